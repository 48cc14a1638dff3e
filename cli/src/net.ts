// Small network helpers shared by the commands that listen (sandbox, dashboard).
import { UserError } from './errors.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

/** Port in use, port not allowed, unknown address: errors that say which flag to change. */
export function listenError(
  err: unknown,
  what: string,
  host: string,
  port: number,
): UserError | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  // The sandbox and dashboard rethrow listen() errors as plain Errors that explain, without the code.
  const message = err instanceof Error ? err.message : '';
  if (code === 'EADDRINUSE' || /already in use/.test(message))
    return new UserError(`Cannot start the ${what}: ${host}:${port} is already in use.`, {
      code: 'PortInUse',
      cause: err,
      actions: [
        `Use another port: --port ${port + 1} (or --port 0 for any free port)`,
        `See what holds it (LocalStack? another sandbox?): lsof -i :${port}`,
      ],
    });
  if (code === 'EACCES')
    return new UserError(`Cannot start the ${what}: not allowed to listen on ${host}:${port}.`, {
      code: 'PortNotAllowed',
      cause: err,
      actions: ['Use a port above 1023, or --port 0 for any free port'],
    });
  if (
    code === 'EADDRNOTAVAIL' ||
    code === 'ENOTFOUND' ||
    /not an address of this machine/.test(message)
  )
    return new UserError(`Cannot start the ${what}: ${host} is not an address of this machine.`, {
      code: 'HostNotAvailable',
      cause: err,
      actions: ['Use --host 127.0.0.1'],
    });
  return undefined;
}

// Listening on a port, and what to tell someone when it fails. One mapping of listen errors
// (port in use, port not allowed, address not of this machine) to a message and advice, for
// the sandbox, the dashboard, the CLI and the start script; one way to find a free port to
// suggest instead.
import { createServer, type Server } from 'node:net';

export interface ListenTarget {
  /** what is starting, e.g. "sandbox" */
  what: string;
  host: string;
  port: number;
}

/** A failed listen(). It keeps the system's code (EADDRINUSE, EACCES, ...), so callers branch on it. */
export class ListenError extends Error {
  readonly code: string;
  readonly target: ListenTarget;

  constructor(cause: NodeJS.ErrnoException, target: ListenTarget) {
    super(listenProblem(cause.code, target)?.message ?? cause.message, { cause });
    this.name = 'ListenError';
    this.code = cause.code ?? 'UNKNOWN';
    this.target = target;
  }
}

/** Listen on host:port; a failure rejects with a ListenError and leaves the server closed. */
export function listenOn(server: Server, target: ListenTarget): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(new ListenError(error, target));
    server.once('error', onError);
    server.listen(target.port, target.host.replace(/^\[(.*)\]$/, '$1'), () => {
      server.off('error', onError);
      resolve();
    });
  });
}

export type ListenProblemCode = 'PortInUse' | 'PortNotAllowed' | 'HostNotAvailable';

export interface ListenAdvice {
  code: ListenProblemCode;
  message: string;
  /** what to do, most likely first */
  actions: string[];
}

export interface AdviceOptions {
  /** how to ask for another port where the advice is read, e.g. p => `--port ${p}` */
  portHint: (port: number) => string;
  /** how to ask for another address, e.g. h => `--host ${h}` */
  hostHint?: (host: string) => string;
  /** a port found free just now (see findFreePort), named instead of a guess */
  freePort?: number;
}

/** The message and advice for an error of listen(), or undefined when it is not one the user can fix. */
export function listenAdvice(
  error: unknown,
  target: ListenTarget,
  options: AdviceOptions,
): ListenAdvice | undefined {
  const problem = listenProblem((error as NodeJS.ErrnoException | undefined)?.code, target);
  if (!problem) return undefined;
  const { portHint, freePort } = options;
  const hostHint = options.hostHint ?? ((h: string) => h);
  const anyPort = `${portHint(0)} picks any free port`;
  switch (problem.code) {
    case 'PortInUse':
      return {
        ...problem,
        actions: [
          freePort === undefined
            ? `Use another port: ${anyPort}`
            : `Use port ${freePort}, free just now: ${portHint(freePort)} (or ${anyPort})`,
          `See what holds port ${target.port} (another sandbox or dashboard? LocalStack?): lsof -i :${target.port}`,
        ],
      };
    case 'PortNotAllowed':
      return {
        ...problem,
        actions: [
          freePort === undefined
            ? `Use a port above 1023: ${anyPort}`
            : `Use port ${freePort}, free just now: ${portHint(freePort)} (or ${anyPort})`,
        ],
      };
    case 'HostNotAvailable':
      return { ...problem, actions: [`Listen on loopback: ${hostHint('127.0.0.1')}`] };
  }
}

function listenProblem(
  code: string | undefined,
  { what, host, port }: ListenTarget,
): { code: ListenProblemCode; message: string } | undefined {
  switch (code) {
    case 'EADDRINUSE':
      return {
        code: 'PortInUse',
        message: `Cannot start the ${what}: ${host}:${port} is already in use.`,
      };
    case 'EACCES':
      return {
        code: 'PortNotAllowed',
        message: `Cannot start the ${what}: not allowed to listen on ${host}:${port} (ports below 1024 need privileges).`,
      };
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return {
        code: 'HostNotAvailable',
        message: `Cannot start the ${what}: ${host} is not an address of this machine.`,
      };
    default:
      return undefined;
  }
}

/**
 * A port that is free on `host` right now: the first of the few after `near` that can be
 * bound, else one the system picks; undefined when none can be bound at all. (Free now is not
 * reserved: advice, not a guarantee.)
 */
export async function findFreePort(host: string, near: number): Promise<number | undefined> {
  const candidates = [];
  for (let p = Math.max(near + 1, 1024); p <= Math.min(near + 10, 65535); p++) candidates.push(p);
  for (const port of [...candidates, 0]) {
    const bound = await tryBind(host, port);
    if (bound !== undefined) return bound;
  }
  return undefined;
}

function tryBind(host: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', () => resolve(undefined));
    probe.listen({ port, host: host.replace(/^\[(.*)\]$/, '$1'), exclusive: true }, () => {
      const address = probe.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      probe.close(() => resolve(bound));
    });
  });
}

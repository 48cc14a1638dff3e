import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { findFreePort, ListenError, listenAdvice, listenOn } from './listen.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function occupied(): Promise<number> {
  const server = createServer();
  servers.push(server);
  await listenOn(server, { what: 'test', host: '127.0.0.1', port: 0 });
  return (server.address() as { port: number }).port;
}

const errno = (code: string) => Object.assign(new Error(`listen ${code}`), { code });
const cli = { portHint: (p: number) => `--port ${p}`, hostHint: (h: string) => `--host ${h}` };

describe('listenOn', () => {
  it('rejects a port in use with a ListenError that keeps the code and says what happened', async () => {
    // Given a port someone holds
    const port = await occupied();
    // When another server listens there
    const error = await listenOn(createServer(), { what: 'sandbox', host: '127.0.0.1', port })
      .then(() => undefined)
      .catch((e: unknown) => e);
    // Then it is told in plain words, and the system's code is kept for callers to branch on
    expect(error).toBeInstanceOf(ListenError);
    expect(error).toMatchObject({
      code: 'EADDRINUSE',
      message: `Cannot start the sandbox: 127.0.0.1:${port} is already in use.`,
    });
  });
});

describe('listenAdvice', () => {
  const target = { what: 'dashboard', host: '127.0.0.1', port: 7300 };

  it.each([
    {
      code: 'EADDRINUSE',
      expected: {
        code: 'PortInUse',
        message: 'Cannot start the dashboard: 127.0.0.1:7300 is already in use.',
        actions: [
          'Use port 7301, free just now: --port 7301 (or --port 0 picks any free port)',
          'See what holds port 7300 (another sandbox or dashboard? LocalStack?): lsof -i :7300',
        ],
      },
    },
    {
      code: 'EACCES',
      expected: {
        code: 'PortNotAllowed',
        actions: ['Use port 7301, free just now: --port 7301 (or --port 0 picks any free port)'],
      },
    },
    {
      code: 'EADDRNOTAVAIL',
      expected: {
        code: 'HostNotAvailable',
        message: 'Cannot start the dashboard: 127.0.0.1 is not an address of this machine.',
        actions: ['Listen on loopback: --host 127.0.0.1'],
      },
    },
  ])('maps $code to one message and its advice', ({ code, expected }) => {
    expect(listenAdvice(errno(code), target, { ...cli, freePort: 7301 })).toMatchObject(expected);
  });

  it('says how to ask for any free port when none was found', () => {
    expect(listenAdvice(errno('EADDRINUSE'), target, cli)?.actions[0]).toBe(
      'Use another port: --port 0 picks any free port',
    );
  });

  it('speaks the language of where it is read', () => {
    const advice = listenAdvice(errno('EADDRINUSE'), target, {
      portHint: (p) => `BALLAST_DASHBOARD_PORT=${p} npm start`,
      freePort: 7305,
    });
    expect(advice?.actions[0]).toBe(
      'Use port 7305, free just now: BALLAST_DASHBOARD_PORT=7305 npm start (or BALLAST_DASHBOARD_PORT=0 npm start picks any free port)',
    );
  });

  it('leaves other errors to the caller', () => {
    expect(listenAdvice(errno('EMFILE'), target, cli)).toBeUndefined();
    expect(listenAdvice(new Error('boom'), target, cli)).toBeUndefined();
  });
});

describe('findFreePort', () => {
  it('names a port that can be bound now, never the one that is taken', async () => {
    // Given a taken port and, right after it, another taken one
    const taken = await occupied();
    // When a free port near it is looked for
    const free = await findFreePort('127.0.0.1', taken);
    // Then it is another port, and it can be bound
    expect(free).toBeDefined();
    expect(free).not.toBe(taken);
    const server = createServer();
    servers.push(server);
    await expect(
      listenOn(server, { what: 'test', host: '127.0.0.1', port: free! }),
    ).resolves.toBeUndefined();
  });
});

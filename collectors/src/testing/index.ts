// Test support for every workspace that collects (collectors, CLI, dashboard): endpoints
// that misbehave the way a real network can, and the context and history to test them
// with. Exported as @ballast/collectors/testing.
import { createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  healthQueries,
  loadPlatformConfig,
  periodFor,
  referencePlatformConfigPath,
  type Point,
  type ResolvedContext,
  type Store,
} from '@ballast/core';

export interface SilentEndpoint {
  /** http://127.0.0.1:PORT */
  url: string;
  /** connections accepted so far */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * A loopback listener that accepts every connection and never answers: the stalled
 * endpoint (a hung proxy, a black-holed load balancer) that only a deadline ends.
 */
export async function silentEndpoint(): Promise<SilentEndpoint> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The built-in sandbox context (reference platform, dummy credentials) at `endpointUrl`. */
export function sandboxContextAt(endpointUrl: string): ResolvedContext {
  return {
    name: 'sandbox',
    region: 'us-east-1',
    endpointUrl,
    platformConfig: referencePlatformConfigPath,
    dummyCredentials: true,
    source: 'flag',
  };
}

/**
 * History as an earlier, healthy collection of `context` over `sinceMs` would have stored
 * it: `points` for every metric the reference platform's health reads.
 */
export function storeHistory(
  store: Store,
  context: ResolvedContext,
  sinceMs: number,
  points: Point[],
): void {
  const periodSeconds = periodFor(sinceMs);
  const queries = healthQueries(loadPlatformConfig(context.platformConfig), { periodSeconds });
  store.saveSeries(
    context.name,
    queries.map((q) => ({ id: q.id, label: q.label, unit: q.unit, partial: false, points })),
    periodSeconds,
  );
}

/**
 * The stand-in k6 executable (src/loadtest/testing/fake-k6.mjs, the same file from src/ and
 * dist/): point K6_BIN at it; FAKE_K6_MODE picks the recording it replays.
 */
export const fakeK6Path = fileURLToPath(
  new URL('../../src/loadtest/testing/fake-k6.mjs', import.meta.url),
);
/** The stand-in kubectl (src/loadtest/testing/fake-kubectl.mjs): replays a recorded cluster. */
export const fakeKubectlPath = fileURLToPath(
  new URL('../../src/loadtest/testing/fake-kubectl.mjs', import.meta.url),
);

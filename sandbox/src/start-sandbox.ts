// Start the sandbox: backfill the simulation, serve it on one port, advance it in real time
// (times a speed factor) until stopped.
import type { AddressInfo } from 'node:net';
import type { PlatformConfig } from '@ballast/core';
import { FaultInjector } from './aws/faults.js';
import { loadReferencePlatform } from './platform/platform-config.js';
import { createSandboxServer } from './server.js';
import { Simulation } from './simulation/simulation.js';
import type { BlackFridayOptions } from './simulation/traffic.js';
import { Storefront } from './storefront/storefront.js';

export interface SandboxOptions {
  /** port to listen on (default 4566, 0 = any free port) */
  port?: number;
  /** address to bind (default 127.0.0.1) */
  host?: string;
  /** seed of every random choice (default 1) */
  seed?: number;
  /** simulated seconds per real second (default 1) */
  speed?: number;
  /** days of 1-minute history to backfill (default 14; fractions allowed) */
  backfillDays?: number;
  /** days of 5-minute history before those (default 28) */
  coarseBackfillDays?: number;
  /** the platform to simulate (default the reference 3D store) */
  platform?: PlatformConfig;
  /** the clock (default Date.now); the simulation starts at now() */
  now?: () => number;
  /** how often the simulation catches up with the clock, ms (default 1000) */
  tickMs?: number;
  /** the Black-Friday event: a day and multiplier, or false for none */
  blackFriday?: BlackFridayOptions | false;
  /** store time zone as an offset from UTC, hours (default -5) */
  utcOffsetHours?: number;
}

export interface RunningSandbox {
  /** base URL, e.g. http://127.0.0.1:4566: the AWS endpoint, /store/ and /_sandbox/ */
  url: string;
  port: number;
  simulation: Simulation;
  stop(): Promise<void>;
}

export const DEFAULT_PORT = 4566;
export const DEFAULT_SEED = 1;

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const now = options.now ?? Date.now;
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new RangeError('speed must be > 0');
  const seed = options.seed ?? DEFAULT_SEED;
  const host = options.host ?? '127.0.0.1';
  const startedAt = now();
  // Simulated time runs `speed` times faster than the clock, from the start.
  const clock = () => startedAt + (now() - startedAt) * speed;

  const simulation = new Simulation({
    platform: options.platform ?? loadReferencePlatform(),
    seed,
    nowMs: startedAt,
    backfillDays: options.backfillDays ?? 14,
    coarseBackfillDays: options.coarseBackfillDays ?? 28,
    ...(options.blackFriday !== undefined ? { blackFriday: options.blackFriday } : {}),
    ...(options.utcOffsetHours !== undefined ? { utcOffsetHours: options.utcOffsetHours } : {}),
  });
  const server = createSandboxServer({
    simulation,
    clock,
    faults: new FaultInjector(seed, simulation.accountId),
    storefront: new Storefront(simulation),
    speed,
  });

  const port = options.port ?? DEFAULT_PORT;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') return reject(error);
      // Keep the code: callers branch on EADDRINUSE.
      const message = `Port ${port} on ${host} is already in use (LocalStack or another sandbox?). Stop it, or start the sandbox on another port (--port 0 picks a free one).`;
      reject(Object.assign(new Error(message, { cause: error }), { code: error.code }));
    });
    server.listen(port, host, resolve);
  });

  const timer = setInterval(() => simulation.advanceTo(clock()), options.tickMs ?? 1000);
  timer.unref();
  const actualPort = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    simulation,
    stop: async () => {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

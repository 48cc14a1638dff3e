// Start the sandbox: take its port, backfill the simulation, serve it, advance it in real time
// (times a speed factor) until stopped.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_SANDBOX_PORT,
  DEFAULT_SANDBOX_SEED,
  listenOn,
  type PlatformConfig,
} from '@ballast/core';
import { FaultInjector } from './aws/faults.js';
import { loadReferencePlatform } from './platform/platform-config.js';
import { sandboxRequestListener } from './server.js';
import { Simulation } from './simulation/simulation.js';
import type { BlackFridayOptions } from './simulation/traffic.js';
import { Storefront } from './storefront/storefront.js';

export interface SandboxOptions {
  /** port to listen on (default DEFAULT_SANDBOX_PORT, 4566; 0 = any free port) */
  port?: number;
  /** address to bind (default 127.0.0.1) */
  host?: string;
  /** seed of every random choice (default DEFAULT_SANDBOX_SEED) */
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

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const now = options.now ?? Date.now;
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new RangeError('speed must be > 0');
  const seed = options.seed ?? DEFAULT_SANDBOX_SEED;
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? DEFAULT_SANDBOX_PORT;

  // Take the port first: a port in use fails at once, not after minutes of backfill. A
  // ListenError keeps the system's code (EADDRINUSE, ...) for callers to give advice by.
  const server = createServer();
  await listenOn(server, { what: 'sandbox', host, port });

  const startedAt = now();
  // Simulated time runs `speed` times faster than the clock, from the start.
  const clock = () => startedAt + (now() - startedAt) * speed;
  let simulation: Simulation;
  try {
    // Synchronous: no request is handled before the listener below is attached.
    simulation = new Simulation({
      platform: options.platform ?? loadReferencePlatform(),
      seed,
      nowMs: startedAt,
      backfillDays: options.backfillDays ?? 14,
      coarseBackfillDays: options.coarseBackfillDays ?? 28,
      ...(options.blackFriday !== undefined ? { blackFriday: options.blackFriday } : {}),
      ...(options.utcOffsetHours !== undefined ? { utcOffsetHours: options.utcOffsetHours } : {}),
    });
  } catch (error) {
    server.close();
    throw error;
  }
  server.on(
    'request',
    sandboxRequestListener({
      simulation,
      clock,
      faults: new FaultInjector(seed, simulation.accountId),
      storefront: new Storefront(simulation),
      speed,
    }),
  );

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

// Starts the dashboard for one context: collectors behind the HTTP app, listening on loopback
// unless a token protects it.
import type { AddressInfo } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { collectHealth, createCollectorSession } from '@ballast/collectors';
import {
  isLoopbackHost,
  localUser,
  listenOn,
  loadPlatformConfig,
  UnknownTierError,
  type ResolvedContext,
  type Store,
} from '@ballast/core';
import { createServer } from './server.js';
import { loadTestSource } from './loadtest-source.js';
import type { Credential } from './roles.js';
import { spendSource } from './spend-source.js';

export {
  createServer,
  SpendUnavailable,
  type DashboardDeps,
  type HealthRequest,
  type SpendDeps,
} from './server.js';
export { spendSource, type SpendSourceOptions } from './spend-source.js';
export { loadTestSource, type LoadTestSourceOptions } from './loadtest-source.js';
export {
  LoadTestRequestSchema,
  type LoadTestDetail,
  type LoadTestList,
  type LoadTestPlanAnswer,
  type LoadTestRequest,
  type LoadTestsDeps,
} from './loadtests.js';
export { type Credential, type Role } from './roles.js';
export { SPEND_RETRY_MS, SPEND_ROUND_MS, SpendRounds } from './spend.js';
export { SPEND_CSV_TABLES, type SpendCsvTable } from './spend-csv.js';
export { lttb, downsampleHealth } from './downsample.js';
export {
  HealthQuerySchema,
  RANGES,
  summarizeHealth,
  type DashboardMeta,
  type HealthErrorEvent,
  type HealthQuery,
  type HealthSummary,
  type Range,
  type SignalSummary,
  type SpendQuery,
  type SpendResponse,
  type SpendSummary,
  type TierSummary,
} from './api.js';

export interface DashboardOptions {
  /** 0 picks a free port */
  port: number;
  /** default 127.0.0.1; anything else needs `token` */
  host?: string;
  context: ResolvedContext;
  store: Store;
  token?: string;
  /** operator and viewer tokens besides `token` */
  credentials?: readonly Credential[];
  /**
   * The environment of load tests started from the dashboard: where k6 is found (K6_BIN,
   * then PATH) and what it runs with; default process.env.
   */
  loadTestEnv?: NodeJS.ProcessEnv;
  /** seconds between live updates; default 15 */
  refreshSeconds?: number;
  /**
   * Deadline of each collection, ms (default the collectors' DEFAULT_TIMEOUT_MS, 20 s):
   * then the page and the live feed get stored history, with the sources that did not
   * answer marked as timed out.
   */
  timeoutMs?: number;
  now?: () => number;
  /** randomness of the backoff's jitter; default Math.random */
  random?: () => number;
  /** the web build to serve; default dist/web beside the compiled server */
  staticDir?: string;
}

export interface RunningDashboard {
  /** the address to open, e.g. http://127.0.0.1:7300/ */
  url: string;
  /** `url` with `?token=` when a token is set: opening it signs the browser in */
  openUrl: string;
  close(): Promise<void>;
}

/** The Vite build next to the compiled server (dist/web beside dist/server). */
const webBuildDir = fileURLToPath(new URL('../web', import.meta.url));

export async function startDashboard(options: DashboardOptions): Promise<RunningDashboard> {
  const { port, host = '127.0.0.1', context, store, token, refreshSeconds = 15 } = options;
  const now = options.now ?? Date.now;
  const bareHost = host.replace(/^\[(.*)\]$/, '$1');

  if (!isLoopbackHost(bareHost) && !token && !options.credentials?.length) {
    // `code` lets a caller (the CLI) recognise this refusal without repeating the host rule.
    throw Object.assign(
      new Error(
        `Refusing to serve the dashboard on ${host} without a token: anyone who can reach that ` +
          `address could read the platform's health. Either keep the default host 127.0.0.1 ` +
          `(and use an SSH tunnel to reach it remotely), or set a token in the environment: ` +
          `BALLAST_DASHBOARD_TOKEN=<secret>.`,
      ),
      { code: 'TokenRequired' },
    );
  }
  // Read once up front: a broken config fails at start, and /api/meta needs no collection.
  const platform = loadPlatformConfig(context.platformConfig);
  // One set of SDK clients (metered into the store) and one backoff state for the
  // dashboard's lifetime: every page and the live feed share them.
  const session = createCollectorSession(context, store, {
    now,
    ...(options.random ? { random: options.random } : {}),
  });
  const app = createServer({
    health: ({ sinceMs, tier }) =>
      collectHealth({
        context,
        store,
        session,
        now: now(),
        sinceMs,
        ...(tier ? { tier } : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      }).catch((error: unknown) => {
        // An unknown ?tier= is the caller's mistake: answer 400 with the known tiers.
        if (error instanceof UnknownTierError) throw Object.assign(error, { status: 400 });
        throw error;
      }),
    spend: spendSource({ context, store, session, platform, now }),
    loadTests: loadTestSource({
      context,
      store,
      session,
      platform,
      now,
      ...(options.loadTestEnv ? { env: options.loadTestEnv } : {}),
    }),
    localUser: localUser(),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    now,
    refreshSeconds,
    staticDir: options.staticDir ?? webBuildDir,
    meta: {
      context: context.name,
      endpoint: context.endpointUrl ?? `AWS (${context.region})`,
      platform: platform.name,
    },
    ...(token ? { token } : {}),
  });

  const server = createHttpServer(app);
  // A failure keeps the system's code (EADDRINUSE, ...): callers give advice by it.
  await listenOn(server, { what: 'dashboard', host: bareHost, port });

  const { port: boundPort } = server.address() as AddressInfo;
  const urlHost = bareHost.includes(':') ? `[${bareHost}]` : bareHost;
  const url = `http://${urlHost}:${boundPort}/`;
  return {
    url,
    openUrl: token ? `${url}?token=${encodeURIComponent(token)}` : url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Live-feed streams never end on their own; closing them also stops the feed's timers.
        server.closeAllConnections();
      }),
  };
}

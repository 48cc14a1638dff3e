// Starts the dashboard for one context: collectors behind the HTTP app, listening on loopback
// unless a token protects it.
import type { AddressInfo } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { collectHealth, createChangeService, createCollectorSession } from '@ballast/collectors';
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
import { parseTokensFile, type Credential } from './roles.js';
import { spendSource } from './spend-source.js';

export {
  createServer,
  SpendUnavailable,
  type DashboardDeps,
  type HealthRequest,
  type SpendDeps,
} from './server.js';
export { spendSource, type SpendSourceOptions } from './spend-source.js';
export { ApplyBodySchema, PlanBodySchema, type ChangesDeps, type PlanBody } from './changes.js';
export { parseTokensFile, type Credential, type Role } from './roles.js';
export { loadTestSource, type LoadTestSourceOptions } from './loadtest-source.js';
export {
  LoadTestRequestSchema,
  type LoadTestDetail,
  type LoadTestList,
  type LoadTestPlanAnswer,
  type LoadTestRequest,
  type LoadTestsDeps,
} from './loadtests.js';
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
  /**
   * Where the other sign-in settings are read from (default process.env), never argv:
   * BALLAST_DASHBOARD_TOKENS_FILE (lines `<viewer|operator> <name> <token>`),
   * BALLAST_DASHBOARD_VIEWER_TOKEN, and BALLAST_DASHBOARD_PROXY_HEADER with
   * BALLAST_DASHBOARD_OPERATORS (comma-separated names) for an authenticating reverse proxy.
   */
  env?: NodeJS.ProcessEnv;
}

/** The sign-in settings of the environment (see DashboardOptions.env). */
export function authFromEnv(env: NodeJS.ProcessEnv): {
  credentials: Credential[];
  proxy?: { header: string; operators: string[] };
} {
  const credentials: Credential[] = [];
  const file = env.BALLAST_DASHBOARD_TOKENS_FILE;
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(
        `Cannot read BALLAST_DASHBOARD_TOKENS_FILE ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
        { cause: error },
      );
    }
    credentials.push(...parseTokensFile(text, file));
  }
  const viewer = env.BALLAST_DASHBOARD_VIEWER_TOKEN;
  if (viewer)
    credentials.push(
      ...parseTokensFile(`viewer viewer ${viewer}`, 'BALLAST_DASHBOARD_VIEWER_TOKEN'),
    );
  const header = env.BALLAST_DASHBOARD_PROXY_HEADER;
  const operators = (env.BALLAST_DASHBOARD_OPERATORS ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  return { credentials, ...(header ? { proxy: { header, operators } } : {}) };
}

export interface RunningDashboard {
  /** the address to open, e.g. http://127.0.0.1:7300/ */
  url: string;
  /** true when a browser must sign in with a token (or come through the proxy) */
  signIn: boolean;
  close(): Promise<void>;
}

/** The Vite build next to the compiled server (dist/web beside dist/server). */
const webBuildDir = fileURLToPath(new URL('../web', import.meta.url));

export async function startDashboard(options: DashboardOptions): Promise<RunningDashboard> {
  const { port, host = '127.0.0.1', context, store, token, refreshSeconds = 15 } = options;
  const now = options.now ?? Date.now;
  const bareHost = host.replace(/^\[(.*)\]$/, '$1');

  const auth = authFromEnv(options.env ?? process.env);
  if (!isLoopbackHost(bareHost) && !token && auth.credentials.length === 0 && !auth.proxy) {
    // `code` lets a caller (the CLI) recognise this refusal without repeating the host rule.
    throw Object.assign(
      new Error(
        `Refusing to serve the dashboard on ${host} without a token: anyone who can reach that ` +
          `address could read the platform's health. Either keep the default host 127.0.0.1 ` +
          `(and use an SSH tunnel to reach it remotely), or set a token in the environment: ` +
          `BALLAST_DASHBOARD_TOKEN=<secret> (an operator), or operator and viewer tokens in ` +
          `BALLAST_DASHBOARD_TOKENS_FILE, or BALLAST_DASHBOARD_PROXY_HEADER behind an ` +
          `authenticating reverse proxy.`,
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
  const changeService = createChangeService({ context, store, session, platform, now });
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
    changes: { service: changeService, platform },
    credentials: auth.credentials,
    ...(auth.proxy ? { proxy: auth.proxy } : {}),
    localUser: localUser(),
    loadTests: loadTestSource({
      context,
      store,
      session,
      platform,
      now,
      capacity: (group) => changeService.engine.replayContext(group),
      ...(options.loadTestEnv ? { env: options.loadTestEnv } : {}),
    }),
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
    signIn: !auth.proxy && (Boolean(token) || auth.credentials.length > 0),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Live-feed streams never end on their own; closing them also stops the feed's timers.
        server.closeAllConnections();
      }),
  };
}

// The dashboard's HTTP app: JSON API, live feed and the web build. It never listens, so
// tests drive it with supertest; index.ts wires in the collectors and listens.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import {
  parseDuration,
  type MeterReport,
  type PlatformHealth,
  type SpendError,
  type SpendPage,
  type SpendPanel,
} from '@ballast/core';
import {
  describeIssues,
  HealthQuerySchema,
  SpendQuerySchema,
  summarizeHealth,
  type DashboardMeta,
  type Range,
  type SpendErrorBody,
  type SpendRefresh,
  type SpendResponse,
  type SpendView,
} from './api.js';
import { DerivedCache, FreshnessCache } from './cache.js';
import { downsampleHealth } from './downsample.js';
import { LiveFeed, openEventStream } from './live-feed.js';
import { mountChanges, type ChangesDeps } from './changes.js';
import { mountLoadTests, type LoadTestsDeps } from './loadtests.js';
import { csrfToken, newCsrfSecret, whoOf, type Credential } from './roles.js';
import { loopbackOnly, requireToken, securityHeaders, trustedProxyHeader } from './security.js';
import { packCostTable } from './wire.js';
import { csvFileName, spendCsv, SPEND_CSV_TABLES, type SpendCsvTable } from './spend-csv.js';
import {
  checkSpendView,
  pageFailures,
  rangePresets,
  SpendRounds,
  spendViewKey,
  summarizeSpend,
  type SpendSummarySource,
} from './spend.js';

export interface HealthRequest {
  sinceMs: number;
  tier?: string;
}

/** Where the Spend page's data comes from (index.ts: the collectors' spend service). */
export interface SpendDeps {
  /** the platform config's spend.tagKeys */
  tagKeys: readonly string[];
  /** Everything the Spend page shows for a view (collectSpendPage). */
  page(view: SpendView): Promise<SpendPage>;
  /** What the Overview's money line is made of, from the same cache. */
  summary(): Promise<SpendSummarySource>;
  /** Ballast's own API cost now (the call ledger: no AWS request). */
  meter(): MeterReport;
}

/**
 * Spend could not be given at all: Cost Explorer failed and nothing is stored. The page
 * shows `detail` (the advice table's reason and what to do) instead.
 */
export class SpendUnavailable extends Error {
  readonly status = 503;
  constructor(
    message: string,
    readonly detail: SpendError,
    readonly missing?: string,
  ) {
    super(message);
    this.name = 'SpendUnavailable';
  }
}

export interface DashboardDeps {
  /** Collects the platform's health over the last `sinceMs` (one tier when `tier` is set). */
  health: (query: HealthRequest) => Promise<PlatformHealth>;
  now: () => number;
  /** When set, every request must present it (see security.ts); it signs in as an operator. */
  token?: string;
  /** Operator and viewer tokens (the tokens file); with `token`, every request must present one. */
  credentials?: readonly Credential[];
  /** Instead of tokens: an authenticating reverse proxy's user header (see trustedProxyHeader). */
  proxy?: { header: string; operators: readonly string[] };
  /** The name the audit records for a loopback user when no authentication is set. */
  localUser?: string;
  /** The Scaling, Workers and Changes pages; without it their API answers 404. */
  changes?: ChangesDeps;
  /** The Load tests page; without it its API answers 404. */
  loadTests?: LoadTestsDeps;
  /** The key of CSRF tokens (default: random per server). */
  csrfSecret?: Buffer;
  /** How often the live feed pushes a fresh summary; default 15. */
  refreshSeconds?: number;
  /** The Vite build of web/; without it only the API is served. */
  staticDir?: string;
  /**
   * How long a collection of the last hour is reused for identical requests; default
   * min(5, refresh / 2). Longer ranges are reused longer (see reuseMs).
   */
  cacheSeconds?: number;
  /** Interval of SSE keep-alive comments; default 15. */
  keepAliveSeconds?: number;
  /** Shown in the header; `platform` defaults to the name in the collected health. */
  meta?: { context: string; endpoint: string; platform?: string };
  /** The Spend page and the Overview's money line; without it /api/spend answers 404. */
  spend?: SpendDeps;
  /** Time between spend rounds, ms (default SPEND_ROUND_MS: a day). */
  spendRoundMs?: number;
}

/** A collected spend answer and when the dashboard collects it again. */
interface Collected<T> {
  value: T;
  refresh: Omit<SpendRefresh, 'now'>;
}

const LIVE_RANGE: Range = '1h';

const packageVersion = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/** An error the health function throws with an HTTP 4xx status is the client's to fix. */
function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const code = typeof status === 'number' ? status : statusCode;
  return typeof code === 'number' && code >= 400 && code < 500 ? code : undefined;
}

/**
 * How long a collection of `range` is reused. The last hour (the live view): `minimumMs`.
 * Longer ranges: as long as one pixel of a chart 720 px wide stands for (a 24-hour chart
 * cannot show a newer collection before two minutes have passed), at most 5 minutes, never
 * less than `minimumMs`. Long ranges are the slow and costly collections (each bills
 * GetMetricData for every metric), so many viewers of a 14-day chart cost one collection
 * per 5 minutes instead of one every few seconds.
 */
export function reuseMs(range: Range, minimumMs: number): number {
  const rangeMs = parseDuration(range);
  if (rangeMs <= parseDuration(LIVE_RANGE)) return minimumMs;
  return Math.max(minimumMs, Math.min(rangeMs / 720, 5 * 60_000));
}

export function createServer(deps: DashboardDeps): Express {
  const refreshSeconds = deps.refreshSeconds ?? 15;
  const cacheMs = (deps.cacheSeconds ?? Math.min(5, refreshSeconds / 2)) * 1000;
  const cache = new FreshnessCache<PlatformHealth>(cacheMs, deps.now);

  // The JSON of /api/health per chart width, for as long as its collection is reused.
  const rendered = new DerivedCache<PlatformHealth, string>();

  const loadHealth = (range: Range, tier?: string): Promise<PlatformHealth> =>
    cache.get(
      `${range}|${tier ?? '*'}`,
      () => deps.health({ sinceMs: parseDuration(range), ...(tier ? { tier } : {}) }),
      reuseMs(range, cacheMs),
    );

  const feed = new LiveFeed({
    load: async () => summarizeHealth(await loadHealth(LIVE_RANGE)),
    refreshMs: refreshSeconds * 1000,
    keepAliveMs: (deps.keepAliveSeconds ?? 15) * 1000,
    now: deps.now,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders);
  const credentials: Credential[] = [
    ...(deps.token ? [{ role: 'operator' as const, name: 'operator', token: deps.token }] : []),
    ...(deps.credentials ?? []),
  ];
  app.use(
    deps.proxy
      ? trustedProxyHeader(deps.proxy)
      : credentials.length > 0
        ? requireToken(credentials)
        : loopbackOnly(deps.localUser ?? 'local'),
  );
  // One key for every write's CSRF token: changes and load tests check the same session.
  const csrfSecret = deps.csrfSecret ?? newCsrfSecret();

  const api = express.Router();
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  api.get('/health', async (req, res) => {
    const parsed = HealthQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      res.status(400).json({ error: 'bad-request', message: describeIssues(parsed.error) });
      return;
    }
    const { range, tier, width } = parsed.data;
    const health = await loadHealth(range, tier);
    const json = rendered.get(health, String(width), () =>
      JSON.stringify(downsampleHealth(health, width)),
    );
    res.type('json').send(json);
  });

  api.get('/events', (req, res) => {
    if (!openEventStream(req, res)) return;
    const unsubscribe = feed.subscribe(res);
    // `res` (not `req`) closes when the browser goes away or the server shuts down.
    res.on('close', unsubscribe);
  });

  if (deps.spend) mountSpend(api, deps.spend, deps);
  if (deps.changes) mountChanges(api, deps.changes, csrfSecret);
  if (deps.loadTests) mountLoadTests(api, deps.loadTests, csrfSecret);

  // Who is signed in, and the CSRF token the page sends with its writes (see roles.ts).
  api.get('/session', (_req, res) => {
    const who = whoOf(res);
    res.json({ ...who, csrfToken: csrfToken(csrfSecret, who) });
  });

  api.get('/meta', async (_req, res) => {
    const platform = deps.meta?.platform ?? (await loadHealth(LIVE_RANGE)).platform;
    const meta: DashboardMeta = {
      context: deps.meta?.context ?? 'unknown',
      endpoint: deps.meta?.endpoint ?? 'unknown',
      platform,
      version: packageVersion,
      refreshSeconds,
    };
    res.json(meta);
  });

  api.use((req, res) => {
    res.status(404).json({
      error: 'not-found',
      message: `No API route ${req.method} /api${req.path}; try ${deps.spend ? '/api/health, /api/events, /api/meta, /api/spend or /api/spend/summary' : '/api/health, /api/events or /api/meta'}.`,
    });
  });

  api.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof SpendUnavailable) {
      const body: SpendErrorBody = {
        error: 'spend-unavailable',
        message: error.message,
        detail: error.detail,
        ...(error.missing ? { missing: error.missing } : {}),
      };
      res.status(503).json(body);
      return;
    }
    const status = clientErrorStatus(error) ?? 500;
    if (req.path.startsWith('/spend')) {
      res.status(status).json({
        error: status === 500 ? 'spend-failed' : 'bad-request',
        message: errorMessage(error),
      });
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    res
      .status(status)
      .json({ error: status === 500 ? 'health-unavailable' : 'bad-request', message });
  });

  app.use('/api', api);

  if (deps.staticDir) serveWebBuild(app, deps.staticDir);
  return app;
}

/** The panel whose data a CSV table is made of, when that panel can be unavailable. */
const CSV_PANEL: Partial<Record<SpendCsvTable, SpendPanel>> = {
  budgets: 'forecast',
  anomalies: 'anomalies',
  movers: 'movers',
  'spot-savings': 'spotSavings',
  'unit-costs': 'unitCosts',
};

const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * /api/spend (the Spend page of a view), /api/spend/csv/<table> (each of its tables) and
 * /api/spend/summary (the Overview's money line). Every answer is collected once per round
 * (see SpendRounds) and then served from memory: reloads, other tabs and CSV exports of a
 * view already collected make no request, and requests that arrive together share one
 * collection.
 */
function mountSpend(api: express.Router, spend: SpendDeps, deps: DashboardDeps): void {
  const rounds = new SpendRounds(deps.now, deps.spendRoundMs);
  const pages = new FreshnessCache<Collected<SpendPage>>(0, deps.now);
  const summaries = new FreshnessCache<Collected<SpendSummarySource>>(0, deps.now);
  const rendered = new DerivedCache<SpendPage, Buffer>();
  const until = (c: Collected<unknown>) => Math.max(0, c.refresh.nextAt - deps.now());

  const loadPage = (view: SpendView) =>
    pages.get(
      spendViewKey(view),
      async () => {
        const page = await spend.page(view);
        return { value: page, refresh: rounds.refreshFor(pageFailures(page)) };
      },
      until,
    );

  /** The view a request asks for, or a 400 naming the parameter. */
  const viewOf = (req: Request, res: Response): SpendView | undefined => {
    const parsed = SpendQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      res.status(400).json({
        error: 'bad-request',
        message: describeIssues(parsed.error, SpendQuerySchema),
      });
      return undefined;
    }
    return checkSpendView(parsed.data, spend.tagKeys, deps.now()).view;
  };

  api.get('/spend', async (req, res) => {
    const view = viewOf(req, res);
    if (!view) return;
    const { value: page, refresh } = await loadPage(view);
    // The page's JSON (a few hundred KB for 13 months by day) is encoded once per
    // collection; the meter (the call ledger, no AWS request) and the clock are current on
    // every answer, written after it.
    const head = rendered.get(page, 'json', () =>
      Buffer.from(
        `{"page":${JSON.stringify({ ...page, costs: packCostTable(page.costs), meter: undefined })},`,
      ),
    );
    const rest: Omit<SpendResponse, 'page'> = {
      meter: spend.meter(),
      view: { ...view, range: page.costs.range, presets: rangePresets(page.evaluatedAt) },
      tagKeys: [...spend.tagKeys],
      refresh: { ...refresh, now: deps.now() },
    };
    const tail = Buffer.from(JSON.stringify(rest).slice(1));
    res.type('json').set('Content-Length', String(head.length + tail.length));
    res.write(head);
    res.end(tail);
  });

  api.get('/spend/summary', async (req, res) => {
    if (Object.keys(req.query).length > 0) {
      res.status(400).json({
        error: 'bad-request',
        message: `unknown parameter ${Object.keys(req.query)
          .map((k) => `"${k}"`)
          .join(', ')} (the summary takes none)`,
      });
      return;
    }
    const { value: source, refresh } = await summaries.get(
      'summary',
      async () => {
        const source = await spend.summary();
        const failures = [
          ...source.unavailable.map((u) => u.error),
          ...[source.forecast, source.anomalies, source.lastMonth].flatMap((v) =>
            v?.freshness.error ? [v.freshness.error] : [],
          ),
        ];
        return { value: source, refresh: rounds.refreshFor(failures) };
      },
      until,
    );
    res.json(summarizeSpend({ ...source, meter: spend.meter() }, { ...refresh, now: deps.now() }));
  });

  api.get('/spend/csv/:table', async (req, res) => {
    const table = req.params.table as SpendCsvTable;
    if (!SPEND_CSV_TABLES.includes(table)) {
      res.status(404).json({
        error: 'not-found',
        message: `No spend table "${req.params.table}"; the tables are ${SPEND_CSV_TABLES.join(', ')}.`,
      });
      return;
    }
    const view = viewOf(req, res);
    if (!view) return;
    const { value: page } = await loadPage(view);
    const csv = spendCsv(table, page, spend.meter());
    if (csv === null) {
      const why = page.unavailable.find((u) => u.panel === CSV_PANEL[table]);
      res.status(404).json({
        error: 'not-found',
        message: `The ${table} table is not available${why ? `: ${why.error.message}` : ' for this platform (no business metrics configured)'}.`,
      });
      return;
    }
    res
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="${csvFileName(table, page.costs.range)}"`)
      .send(csv);
  });
}

/** The Vite build: hashed assets cached for good, everything else answered by index.html. */
function serveWebBuild(app: Express, staticDir: string): void {
  const indexHtml = path.join(staticDir, 'index.html');
  app.use(
    express.static(staticDir, {
      index: false,
      setHeaders: (res, file) => {
        const hashed = file.includes(`${path.sep}assets${path.sep}`);
        res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  app.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (!existsSync(indexHtml)) {
      res
        .status(503)
        .type('text/plain')
        .send(
          `The dashboard's web build is missing (${indexHtml}). Build it with: npm run build -w @ballast/dashboard`,
        );
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(indexHtml);
  });
}

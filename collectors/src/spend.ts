// The spend service: one entry point per view (a cost table, the month's forecast against
// the budgets, anomalies, movers, spot savings, unit costs, Ballast's own API cost, and the
// Spend page as a whole), so the CLI and the dashboard say the same thing. Each answer
// comes from the store's cache when it is fresh (see core's spend policy) and carries a
// freshness block: when its data was read, whether a request was made for it, and what
// that cost. Cost Explorer bills $0.01 a request; the query plan (collectors/README.md)
// keeps a whole Spend page to a handful of them.
import { statSync } from 'node:fs';
import {
  addDays,
  addMonths,
  anomalyReport,
  anyEstimated,
  businessMonthKey,
  businessQueries,
  buildCostTable,
  costMonthKey,
  dailyTotals,
  dailyTrend,
  dayOf,
  dayStart,
  evaluateBudgets,
  isDue,
  isFinalMonth,
  joinBusinessMonths,
  loadPlatformConfig,
  mergeAnomalies,
  mergeFreshness,
  meterReport,
  monthEnd,
  monthForecast,
  monthOf,
  monthsOf,
  monthStart,
  monthToDate,
  planRuns,
  primaryTagKey,
  resolveRange,
  runRange,
  shapeFor,
  SPEND_FRESHNESS,
  spendConfig,
  SpendInputError,
  spendFreshness,
  splitIntoMonths,
  spotSavings,
  toBusinessSeries,
  topMovers,
  unitCosts,
  usageLines,
  usageShape,
  weekWindows,
  MAX_GROUP_BY,
  maxDay,
  minDay,
  type AnomalyReport,
  type BusinessMonth,
  type CacheEntry,
  type CostAnomaly,
  type CostForecast,
  type CostMetric,
  type CostMonth,
  type CostShape,
  type CostTable,
  type DailyAmount,
  type FreshnessPart,
  type Granularity,
  type MeterReport,
  type MoversReport,
  type PlatformConfig,
  type ResolvedContext,
  type SourceStatus,
  type SpendConfig,
  type SpendDimension,
  type SpendError,
  type SpendForecast,
  type SpendFreshness,
  type SpendPage,
  type SpendPanel,
  type Spent,
  type SpotSavings,
  type Store,
  type UnitCosts,
} from '@ballast/core';
import { CloudWatchCollector } from './cloudwatch.js';
import { CostExplorerCollector } from './cost-explorer.js';
import { COST_EXPLORER_REQUEST_USD } from './metering.js';
import { sourceStatus, startRun, type Attempt, type CollectOptions, type Run } from './run.js';
import type { CollectorSession } from './session.js';

/**
 * Cost Explorer is slow (seconds a request) and a cold 13-month page reads several pages:
 * a spend collection may take longer than a health one before it reports what it has.
 */
export const SPEND_TIMEOUT_MS = 60_000;

/** How far back anomalies are asked for on each read (older ones stay in the store). */
export const ANOMALY_LOOKBACK_DAYS = 90;

/** The Spend page's spot savings cover the last days of its range, this many at most. */
export const SPOT_DAYS = 31;

/** The CloudWatch source name of the business metrics, in UnitCosts.metricsSource. */
export const BUSINESS_METRICS_SOURCE = 'business-metrics';

export interface SpendOptions extends CollectOptions {
  /**
   * Read again whatever can still change (open months, the forecast, anomalies), however
   * fresh. Closed months are final and never read again.
   */
  refresh?: boolean;
  /** default UnblendedCost */
  metric?: CostMetric;
}

export interface RangeOptions {
  /** first day, YYYY-MM-DD */
  since?: string;
  /** last day, inclusive, YYYY-MM-DD (today at the latest) */
  until?: string;
}

/**
 * Cost Explorer could not be read and the store has nothing to show instead for part of
 * what was asked: `error` says why and what to do (the one advice table).
 */
export class SpendUnavailableError extends Error {
  constructor(
    readonly error: SpendError,
    /** what is missing, e.g. "cost of 2025-10, 2025-11" */
    readonly missing: string,
  ) {
    super(`${error.message} (nothing stored for ${missing})`);
    this.name = 'SpendUnavailableError';
  }
}

// ---------------------------------------------------------------------------------------
// Entry points

export interface CostTableOptions extends SpendOptions, RangeOptions {
  /** at most two; none for totals only */
  by?: readonly SpendDimension[];
  /** default daily */
  granularity?: Granularity;
  /** months shown without `since` (1 = this month); default 13 */
  defaultMonths?: number;
}

/** Spend over a range by day or month, grouped by up to two dimensions. */
export async function collectCostTable(opts: CostTableOptions): Promise<CostTable> {
  const s = await open(opts);
  try {
    return await costTable(s, {
      by: checkDimensions(opts.by ?? [], s.spend),
      granularity: opts.granularity ?? 'daily',
      range: resolveRange({ ...opts, now: s.now }),
    });
  } finally {
    s.run.end();
  }
}

/** This month: so far against last month, where it lands, and every budget's status. */
export async function collectForecast(opts: SpendOptions): Promise<SpendForecast> {
  const s = await open(opts);
  try {
    return await forecast(s);
  } finally {
    s.run.end();
  }
}

/** Cost anomalies whose last day is in the range (default: 13 months), open ones first. */
export async function collectAnomalies(opts: SpendOptions & RangeOptions): Promise<AnomalyReport> {
  const s = await open(opts);
  try {
    return await anomalies(s, resolveRange({ ...opts, now: s.now }));
  } finally {
    s.run.end();
  }
}

export interface MoversOptions extends SpendOptions {
  /** lines under this, USD a week, are left out (default: $1 or 0.5% of a week's spend) */
  floorUsd?: number;
  /** per dimension; default 10 */
  limit?: number;
}

/** Top movers, last 7 complete days against the 7 before, by service, tag and usage type. */
export async function collectMovers(opts: MoversOptions): Promise<MoversReport> {
  const s = await open(opts);
  try {
    return await movers(s, opts);
  } finally {
    s.run.end();
  }
}

/** Spot savings over the range (default: this month) against the on-demand rate. */
export async function collectSpotSavings(
  opts: SpendOptions & RangeOptions & { defaultMonths?: number },
): Promise<SpotSavings> {
  const s = await open(opts);
  try {
    return await spot(s, resolveRange({ defaultMonths: 1, ...opts, now: s.now }));
  } finally {
    s.run.end();
  }
}

/**
 * Unit costs by day over the range (default: this month); null when the platform config
 * names no business metrics.
 */
export async function collectUnitCosts(
  opts: SpendOptions & RangeOptions & { defaultMonths?: number },
): Promise<UnitCosts | null> {
  const s = await open(opts);
  try {
    return await units(s, resolveRange({ defaultMonths: 1, ...opts, now: s.now }));
  } finally {
    s.run.end();
  }
}

/** What Ballast spent on AWS API calls for the context: today, this month, projected. */
export function collectMeter(opts: {
  context: ResolvedContext;
  store: Store;
  now: number;
}): MeterReport {
  const today = dayOf(opts.now);
  const since = Math.min(dayStart(monthStart(monthOf(today))), dayStart(addDays(today, -7)));
  return meterReport(opts.store.callLedgerByDay({ since, context: opts.context.name }), opts.now);
}

export interface SpendPageOptions extends CostTableOptions, MoversOptions {}

/**
 * Everything the Spend page shows, read together: the cost table of the range (by service
 * unless `by` says otherwise), its trend, the month's forecast and budgets, anomalies and
 * unit costs over the range, movers of the last two weeks, spot savings over the last 31
 * days of the range, and Ballast's own cost.
 */
export async function collectSpendPage(opts: SpendPageOptions): Promise<SpendPage> {
  const s = await open(opts);
  try {
    const range = resolveRange({ ...opts, now: s.now });
    const by = checkDimensions(opts.by ?? ['service'], s.spend);
    const unavailable: SpendPage['unavailable'] = [];
    const panel = async <T>(name: SpendPanel, view: () => Promise<T>): Promise<T | null> => {
      try {
        return await view();
      } catch (err) {
        if (!(err instanceof SpendUnavailableError)) throw err;
        unavailable.push({ panel: name, error: err.error });
        return null;
      }
    };
    // The wide reads first, one query per shape over every month the page needs, so each
    // view after them finds its months in the store: SERVICE x tag over the range, last
    // month (the forecast) and two weeks (movers); usage detail only over the spot
    // savings' days and the movers' two weeks (13 months of it would be as many pages
    // again, for a view the page does not show until asked). A failure here is each
    // panel's to report.
    const today = dayOf(s.now);
    const tomorrow = addDays(today, 1);
    const spotRange = {
      start: maxDay(range.start, addDays(range.end, -SPOT_DAYS)),
      end: range.end,
    };
    const recent = minDay(
      monthStart(addMonths(monthOf(today), -1)),
      weekWindows(today).previous.start,
    );
    const preloads: SpendFreshness[] = [];
    for (const [shape, months] of [
      [
        shapeFor([], s.config, s.metric),
        monthsOf(minDay(range.start, recent), maxDay(range.end, tomorrow)),
      ],
      [
        usageShape(s.metric),
        monthsOf(
          minDay(spotRange.start, weekWindows(today).previous.start),
          maxDay(range.end, tomorrow),
        ),
      ],
    ] as const) {
      const loaded = await loadCostMonths(s, shape, months).catch((err: unknown) => {
        if (err instanceof SpendUnavailableError) return null;
        throw err;
      });
      if (loaded) preloads.push(spendFreshness(loaded.parts, s.now, loaded.spent, loaded.error));
    }
    const costs = await costTable(s, { by, granularity: opts.granularity ?? 'daily', range });
    const totals =
      by.length === 0 ? costs : await costTable(s, { by: [], granularity: 'daily', range });
    const [forecastView, anomalyView, moverView, spotView, unitView] = await Promise.all([
      panel('forecast', () => forecast(s)),
      panel('anomalies', () => anomalies(s, range)),
      panel('movers', () => movers(s, opts)),
      panel('spotSavings', () => spot(s, spotRange)),
      panel('unitCosts', () => units(s, range)),
    ]);
    const meter = collectMeter({ context: s.context, store: s.store, now: s.now });
    const blocks = [
      ...preloads,
      costs.freshness,
      totals.freshness,
      ...[forecastView, anomalyView, moverView, spotView, unitView].flatMap((v) =>
        v ? [v.freshness] : [],
      ),
    ];
    return {
      context: s.context.name,
      evaluatedAt: s.now,
      costs,
      trend: dailyTrend(dailyTotals(totals), s.now),
      forecast: forecastView,
      anomalies: anomalyView,
      movers: moverView,
      spotSavings: spotView,
      unitCosts: unitView,
      unavailable,
      meter,
      freshness: mergeFreshness(blocks, s.now),
    };
  } finally {
    s.run.end();
  }
}

// ---------------------------------------------------------------------------------------
// The views, over one open collection

interface SpendCollection {
  context: ResolvedContext;
  store: Store;
  now: number;
  refresh: boolean;
  metric: CostMetric;
  config: PlatformConfig;
  spend: SpendConfig;
  run: Run;
  session: CollectorSession;
  /** cache entries read or written by this collection (null: known missing) */
  memo: Map<string, CacheEntry | null>;
  /** cost tables built by this collection */
  tables: Map<string, Promise<CostTable>>;
}

/**
 * Parsed platform configs by file, kept while the file is unchanged: parsing one takes tens
 * of milliseconds, more than a warm spend answer itself.
 */
const configs = new Map<string, { stamp: string; config: PlatformConfig }>();

function platformConfig(file: string): PlatformConfig {
  let stamp: string;
  try {
    const stat = statSync(file);
    stamp = `${stat.mtimeMs}:${stat.ctimeMs}:${stat.size}`;
  } catch {
    // Missing or unreadable: the loader says so, with what to do.
    return loadPlatformConfig(file);
  }
  const known = configs.get(file);
  if (known?.stamp === stamp) return known.config;
  const config = loadPlatformConfig(file);
  configs.set(file, { stamp, config });
  return config;
}

async function open(opts: SpendOptions): Promise<SpendCollection> {
  const config = platformConfig(opts.context.platformConfig);
  const run = startRun({ ...opts, timeoutMs: opts.timeoutMs ?? SPEND_TIMEOUT_MS });
  return {
    context: opts.context,
    store: opts.store,
    now: opts.now,
    refresh: opts.refresh ?? false,
    metric: opts.metric ?? 'UnblendedCost',
    config,
    spend: spendConfig(config),
    run,
    session: run.session,
    memo: new Map(),
    tables: new Map(),
  };
}

/** Cached entries of `keys` that exist, each parsed once per collection. */
function readEntries<T>(s: SpendCollection, keys: readonly string[]): Map<string, CacheEntry<T>> {
  const unknown = keys.filter((k) => !s.memo.has(k));
  if (unknown.length > 0) {
    const found = new Map(s.store.readCache(s.context.name, unknown).map((e) => [e.key, e]));
    for (const key of unknown) s.memo.set(key, found.get(key) ?? null);
  }
  const out = new Map<string, CacheEntry<T>>();
  for (const key of keys) {
    const entry = s.memo.get(key);
    if (entry) out.set(key, entry as CacheEntry<T>);
  }
  return out;
}

function writeEntries(s: SpendCollection, entries: readonly CacheEntry[]): void {
  s.store.writeCache(s.context.name, entries);
  for (const entry of entries) s.memo.set(entry.key, entry);
}

/** Dimensions asked for by code (the CLI parses --by with parseGroupBy, which checks too). */
function checkDimensions(dims: readonly SpendDimension[], spend: SpendConfig): SpendDimension[] {
  if (dims.length > MAX_GROUP_BY)
    throw new SpendInputError(
      'by',
      `at most ${MAX_GROUP_BY} dimensions (Cost Explorer groups by two at most), got ${dims.length}: ${dims.join(', ')}`,
    );
  for (const d of dims)
    if (d.startsWith('tag:') && !spend.tagKeys.includes(d.slice(4)))
      throw new SpendInputError(
        'by',
        spend.tagKeys.length
          ? `unknown tag key "${d.slice(4)}": the platform config's spend.tagKeys are ${spend.tagKeys.join(', ')}`
          : `unknown tag key "${d.slice(4)}": no tag keys are configured (add spend.tagKeys to the platform config)`,
      );
  return [...dims];
}

/** A cost table of the collection; asked twice (the page's totals, its unit costs), built once. */
function costTable(
  s: SpendCollection,
  query: { by: SpendDimension[]; granularity: Granularity; range: { start: string; end: string } },
): Promise<CostTable> {
  const key = JSON.stringify(query);
  let table = s.tables.get(key);
  if (!table) s.tables.set(key, (table = buildTable(s, query)));
  return table;
}

async function buildTable(
  s: SpendCollection,
  query: { by: SpendDimension[]; granularity: Granularity; range: { start: string; end: string } },
): Promise<CostTable> {
  const shape = shapeFor(query.by, s.config, s.metric);
  const loaded = await loadCostMonths(s, shape, monthsOf(query.range.start, query.range.end));
  return buildCostTable({
    months: loaded.months,
    dims: query.by,
    granularity: query.granularity,
    range: query.range,
    metric: s.metric,
    freshness: spendFreshness(loaded.parts, s.now, loaded.spent, loaded.error),
  });
}

async function forecast(s: SpendCollection): Promise<SpendForecast> {
  const today = dayOf(s.now);
  const month = monthOf(today);
  // This month and the last (for "same days last month" and the tag shares of the forecast).
  const range = { start: monthStart(addMonths(month, -1)), end: addDays(today, 1) };
  const totals = await costTable(s, { by: [], granularity: 'daily', range });
  const tagKeys = Object.keys(s.spend.budgets.tags);
  const tagTables = await Promise.all(
    tagKeys.map((key) => costTable(s, { by: [`tag:${key}`], granularity: 'daily', range })),
  );
  const ce = await cached<CostForecast>(s, {
    key: `ce:forecast:v1:${s.metric}:${month}`,
    maxAgeMs: SPEND_FRESHNESS.forecastMs,
    final: () => false,
    operation: 'GetCostForecast',
    read: (collector) =>
      collector.getCostForecast({ start: today, end: monthEnd(month), metric: s.metric }),
  });
  const days = dailyTotals(totals);
  const projected = monthForecast(days, ce.value, s.now);
  const tagDays = new Map(tagKeys.map((key, i) => [key, groupDays(tagTables[i]!)] as const));
  return {
    ...projected,
    monthToDate: monthToDate(days, s.now),
    budgets: evaluateBudgets({ spend: s.spend, days, tagDays, forecast: projected, now: s.now }),
    freshness: mergeFreshness(
      [totals.freshness, ...tagTables.map((t) => t.freshness), ce.freshness],
      s.now,
    ),
  };
}

/** Per group of a one-dimension daily table, the amount of every day (0 when absent). */
function groupDays(table: CostTable): Map<string, DailyAmount[]> {
  const out = new Map<string, DailyAmount[]>();
  for (const group of table.groups)
    out.set(
      group.keys[0] ?? group.id,
      table.periods.map((p) => ({
        day: p.start,
        amount: p.amounts[group.id] ?? 0,
        estimated: p.estimated,
      })),
    );
  return out;
}

interface StoredAnomalies {
  anomalies: CostAnomaly[];
  monitors: number | null;
}

async function anomalies(
  s: SpendCollection,
  range: { start: string; end: string },
): Promise<AnomalyReport> {
  const today = dayOf(s.now);
  const result = await cached<StoredAnomalies>(s, {
    key: 'ce:anomalies:v1',
    maxAgeMs: SPEND_FRESHNESS.anomaliesMs,
    final: () => false,
    operation: 'GetAnomalies',
    read: async (collector, stored) => {
      const fresh = await collector.getAnomalies({
        start: addDays(today, -ANOMALY_LOOKBACK_DAYS),
        end: today,
      });
      // With none reported, tell "none found" from "nothing watches".
      const monitors = fresh.length === 0 ? await collector.countAnomalyMonitors() : null;
      return { anomalies: mergeAnomalies(stored?.anomalies ?? [], fresh), monitors };
    },
  });
  return anomalyReport(
    result.value?.anomalies ?? [],
    range,
    s.now,
    result.value?.monitors ?? null,
    result.freshness,
  );
}

async function movers(
  s: SpendCollection,
  opts: { floorUsd?: number; limit?: number },
): Promise<MoversReport> {
  const today = dayOf(s.now);
  const windows = weekWindows(today);
  const range = { start: windows.previous.start, end: windows.current.end };
  const tagKey = primaryTagKey(s.config);
  const dims: SpendDimension[] = [
    'service',
    ...(tagKey ? [`tag:${tagKey}` as const] : []),
    'usage-type',
  ];
  // Service and tag come from one shape, usage type from another: each may fail alone.
  const tables = await Promise.all(
    dims.map((d) =>
      costTable(s, { by: [d], granularity: 'daily', range }).catch((err: unknown) => {
        if (err instanceof SpendUnavailableError) return err;
        throw err;
      }),
    ),
  );
  const read = dims.flatMap((d, i) => {
    const t = tables[i]!;
    return t instanceof SpendUnavailableError ? [] : [{ dimension: d, table: t }];
  });
  if (read.length === 0) throw tables[0] as SpendUnavailableError;
  return {
    byDimension: read.map(({ dimension, table }) => topMovers(table, dimension, s.now, opts)),
    unavailable: dims.flatMap((dimension, i) => {
      const t = tables[i]!;
      return t instanceof SpendUnavailableError ? [{ dimension, error: t.error }] : [];
    }),
    freshness: mergeFreshness(
      read.map(({ table }) => table.freshness),
      s.now,
    ),
  };
}

async function spot(
  s: SpendCollection,
  range: { start: string; end: string },
): Promise<SpotSavings> {
  const shape = usageShape(s.metric);
  const loaded = await loadCostMonths(s, shape, monthsOf(range.start, range.end));
  // On-demand rates of types that ran only spot in the range: the latest cached month they
  // ran on-demand in (the cache only: no request is made to look for them).
  const history = [
    ...readEntries<CostMonth>(
      s,
      s.store.listCacheKeys(s.context.name, costMonthKey(shape, '')),
    ).values(),
  ]
    .map((e) => e.body)
    .sort((a, b) => b.month.localeCompare(a.month))
    .map((m) => usageLines([m], { start: m.start, end: m.end }, s.metric));
  return spotSavings(
    usageLines(loaded.months, range, s.metric),
    history,
    spendFreshness(loaded.parts, s.now, loaded.spent, loaded.error),
  );
}

async function units(
  s: SpendCollection,
  range: { start: string; end: string },
): Promise<UnitCosts | null> {
  const queries = businessQueries(s.spend);
  if (queries.length === 0) return null;
  const totals = await costTable(s, { by: [], granularity: 'daily', range });
  const metrics = await loadBusinessMonths(s, monthsOf(range.start, range.end));
  return unitCosts({
    range,
    days: dailyTotals(totals),
    metrics: joinBusinessMonths(metrics.months, range),
    metricsSource: metrics.source,
    freshness: totals.freshness,
  });
}

// ---------------------------------------------------------------------------------------
// Reading through the cache

interface Loaded<T> {
  months: T[];
  parts: FreshnessPart[];
  spent: Spent;
  error?: SpendError;
}

/**
 * The cached months of a shape, reading first (one query per run of consecutive months)
 * the ones missing or due. A month another collection of this session is reading already
 * is waited for, not read twice. Throws SpendUnavailableError when a month can be neither
 * read nor found in the store.
 */
async function loadCostMonths(
  s: SpendCollection,
  shape: CostShape,
  months: readonly string[],
): Promise<Loaded<CostMonth>> {
  const usage = shape.groupBy.includes('USAGE_TYPE');
  const maxAgeMs = usage ? SPEND_FRESHNESS.openUsageMs : SPEND_FRESHNESS.openCostMs;
  const keyOf = (month: string) => costMonthKey(shape, month);
  const spent = { requests: 0, usd: 0 };
  const error = await readThrough(s, {
    keys: months.map(keyOf),
    maxAgeMs,
    // Open months next to the due ones are read with them (see planRuns).
    expand: (due, entries, busy) => {
      const free = months.filter((m) => !busy.has(keyOf(m)));
      const known = new Map(
        free.flatMap((m) => {
          const e = entries.get(keyOf(m));
          return e && !due.includes(keyOf(m)) ? [[m, e] as const] : [];
        }),
      );
      return planRuns(free, known, s.now, maxAgeMs).flat().map(keyOf);
    },
    read: async (due) => {
      const dueMonths = months.filter((m) => due.includes(keyOf(m)));
      const failures: SpendError[] = [];
      for (const run of planRuns(dueMonths, new Map(), s.now, maxAgeMs)) {
        const range = runRange(run, s.now);
        const attempt = await s.run.attempt('costexplorer', 'GetCostAndUsage', (abortSignal) =>
          new CostExplorerCollector(s.session.clients.costExplorer, {
            abortSignal,
            onPaidRequest: () => count(spent),
          }).getCostAndUsage({ ...range, granularity: 'DAILY', ...shape }),
        );
        if (!attempt.ok) {
          failures.push(attempt.error);
          continue;
        }
        const split = new Map(splitIntoMonths(attempt.value, range).map((m) => [m.month, m]));
        writeEntries(
          s,
          run.map((month): CacheEntry<CostMonth> => {
            const body = split.get(month) ?? emptyMonth(shape, month, range);
            return {
              key: keyOf(month),
              fetchedAt: s.now,
              final: isFinalMonth(month, s.now, anyEstimated(body)),
              body,
            };
          }),
        );
      }
      return failures[0];
    },
  });
  const entries = readEntries<CostMonth>(s, months.map(keyOf));
  const missing = months.filter((m) => !entries.has(keyOf(m)));
  if (missing.length > 0)
    throw new SpendUnavailableError(error ?? unknownFailure(), `cost of ${missing.join(', ')}`);
  const found = months.map((m) => entries.get(keyOf(m))!);
  return {
    months: found.map((e) => e.body),
    parts: found.map((e) => ({ fetchedAt: e.fetchedAt, final: e.final, maxAgeMs })),
    spent,
    ...(error ? { error } : {}),
  };
}

function emptyMonth(
  shape: CostShape,
  month: string,
  range: { start: string; end: string },
): CostMonth {
  const start = monthStart(month) < range.start ? range.start : monthStart(month);
  const end = monthEnd(month) < range.end ? monthEnd(month) : range.end;
  return { month, ...shape, start, end, keys: [], units: [], days: [] };
}

/** The business metrics' daily sums per month, through the cache (CloudWatch, cheap). */
async function loadBusinessMonths(
  s: SpendCollection,
  months: readonly string[],
): Promise<{ months: BusinessMonth[]; source: SourceStatus }> {
  const queries = businessQueries(s.spend);
  const keyOf = (month: string) => businessMonthKey(s.spend, month);
  let attempt: Attempt<unknown> = { ok: true, value: undefined };
  await readThrough(s, {
    keys: months.map(keyOf),
    maxAgeMs: SPEND_FRESHNESS.businessMetricsMs,
    read: async (due) => {
      const dueMonths = months.filter((m) => due.includes(keyOf(m)));
      for (const run of planRuns(dueMonths, new Map(), s.now, 0)) {
        const range = runRange(run, s.now);
        const read = await s.run.attempt('cloudwatch', 'GetMetricData', (abortSignal) =>
          new CloudWatchCollector(s.session.clients.cloudwatch, { abortSignal }).getMetricData(
            queries,
            { start: dayStart(range.start), end: dayStart(range.end) },
          ),
        );
        if (!read.ok) {
          attempt = read;
          continue;
        }
        const series = toBusinessSeries(read.value, queries);
        writeEntries(
          s,
          run.map((month) => ({
            key: keyOf(month),
            fetchedAt: s.now,
            // CloudWatch's daily sums of a month are final once the month is over.
            final: isFinalMonth(month, s.now, false),
            body: {
              month,
              series: series.map((x) => ({
                ...x,
                points: x.points.filter((p) => monthOf(p.day) === month),
              })),
            } satisfies BusinessMonth,
          })),
        );
      }
      return undefined;
    },
  });
  const entries = [...readEntries<BusinessMonth>(s, months.map(keyOf)).values()];
  const oldest = entries.reduce<number | undefined>(
    (t, e) => (t === undefined || e.fetchedAt < t ? e.fetchedAt : t),
    undefined,
  );
  return {
    months: entries.map((e) => e.body),
    source:
      attempt.ok && oldest !== undefined
        ? { source: BUSINESS_METRICS_SOURCE, ok: true, fetchedAt: oldest }
        : sourceStatus(BUSINESS_METRICS_SOURCE, s.now, attempt, oldest),
  };
}

/**
 * One cached value (the forecast, the anomalies), read again when due. Returns the value
 * (fresh, or stored when the read failed; null when neither) and its freshness.
 */
async function cached<T>(
  s: SpendCollection,
  spec: {
    key: string;
    maxAgeMs: number;
    final: (value: T) => boolean;
    operation: string;
    read: (collector: CostExplorerCollector, stored: T | undefined) => Promise<T>;
  },
): Promise<{ value: T | null; freshness: ReturnType<typeof spendFreshness> }> {
  const spent = { requests: 0, usd: 0 };
  const error = await readThrough(s, {
    keys: [spec.key],
    maxAgeMs: spec.maxAgeMs,
    read: async () => {
      const stored = readEntries<T>(s, [spec.key]).get(spec.key)?.body;
      const attempt = await s.run.attempt('costexplorer', spec.operation, (abortSignal) =>
        spec.read(
          new CostExplorerCollector(s.session.clients.costExplorer, {
            abortSignal,
            onPaidRequest: () => count(spent),
          }),
          stored,
        ),
      );
      if (!attempt.ok) return attempt.error;
      writeEntries(s, [
        { key: spec.key, fetchedAt: s.now, final: spec.final(attempt.value), body: attempt.value },
      ]);
      return undefined;
    },
  });
  const entry = readEntries<T>(s, [spec.key]).get(spec.key);
  return {
    value: entry?.body ?? null,
    freshness: spendFreshness(
      entry ? [{ fetchedAt: entry.fetchedAt, final: entry.final, maxAgeMs: spec.maxAgeMs }] : [],
      s.now,
      spent,
      error,
    ),
  };
}

/** Reads in flight per session, by context and cache key: a second reader waits for the first. */
const inflight = new WeakMap<CollectorSession, Map<string, Promise<SpendError | undefined>>>();

/**
 * Calls `read` with the keys that are due (missing, or open and older than `maxAgeMs`, or
 * `refresh`), unless another collection of the session is reading them already: then it
 * waits for that read instead. Returns the read's failure, if any.
 */
async function readThrough(
  s: SpendCollection,
  spec: {
    keys: readonly string[];
    maxAgeMs: number;
    /**
     * The keys to read, given the due ones, what is cached, and what other collections are
     * reading: the due keys themselves unless said otherwise.
     */
    expand?: (
      due: string[],
      entries: ReadonlyMap<string, CacheEntry>,
      busy: ReadonlySet<string>,
    ) => string[];
    read: (keys: string[]) => Promise<SpendError | undefined>;
  },
): Promise<SpendError | undefined> {
  let flights = inflight.get(s.session);
  if (!flights) inflight.set(s.session, (flights = new Map()));
  const flightKey = (key: string) => `${s.context.name}\n${key}`;
  const entries = readEntries(s, spec.keys);
  const waits = new Set<Promise<SpendError | undefined>>();
  const busy = new Set<string>();
  const due: string[] = [];
  for (const key of spec.keys) {
    const flight = flights.get(flightKey(key));
    if (flight) {
      waits.add(flight);
      busy.add(key);
    } else if (isDue(entries.get(key), s.now, spec.maxAgeMs, s.refresh)) due.push(key);
  }
  const toRead = due.length > 0 && spec.expand ? spec.expand(due, entries, busy) : due;
  let own: Promise<SpendError | undefined> | undefined;
  if (toRead.length > 0) {
    const read = spec.read(toRead);
    own = read;
    for (const key of toRead) flights.set(flightKey(key), read);
    const done = () => {
      for (const key of toRead)
        if (flights.get(flightKey(key)) === read) flights.delete(flightKey(key));
    };
    // Settled either way; a rejection reaches the caller through `own`, not a second time.
    read.then(done, done);
  }
  const results = await Promise.all([...(own ? [own] : []), ...waits]);
  // Another collection wrote what was waited for: read it from the store again.
  for (const key of busy) s.memo.delete(key);
  return results.find((e) => e !== undefined);
}

function count(spent: { requests: number; usd: number }): void {
  spent.requests += 1;
  spent.usd += COST_EXPLORER_REQUEST_USD;
}

function unknownFailure(): SpendError {
  return {
    kind: 'service-error',
    message: 'Cost Explorer was not read (another read of the same data failed)',
    actions: ['Try again in a minute.'],
  };
}

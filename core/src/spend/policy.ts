// When spend data is read again. Cost Explorer bills every request ($0.01, every page one),
// its data changes about three times a day, and a closed month's bill is final: so a
// closed month is read once and kept, an open month is read again only once it is older
// than its freshness, and nothing else is ever asked twice.
//
// | data                                   | fresh for | why |
// |----------------------------------------|-----------|-----|
// | a closed, final month (any shape)      | ever      | the bill does not change |
// | open month, SERVICE x tag (and others) | 8 h       | Cost Explorer refreshes ~3 times a day |
// | open month, USAGE_TYPE x REGION        | 24 h      | day-level detail (movers, spot) |
// | forecast of the rest of the month      | 24 h      | AWS forecasts once a day |
// | anomalies                              | 24 h      | detection runs on daily cost |
// | business metrics (CloudWatch), open    | 1 h       | cheap ($0.00001 a metric) |
//
// "Open" is the current month, and the previous one until Cost Explorer stops marking its
// days estimated (see isFinalMonth). Data is due once it is OLDER than its freshness.
import { addMonths } from './dates.js';

const HOUR = 3_600_000;

export const SPEND_FRESHNESS = {
  openCostMs: 8 * HOUR,
  openUsageMs: 24 * HOUR,
  forecastMs: 24 * HOUR,
  anomaliesMs: 24 * HOUR,
  businessMetricsMs: HOUR,
} as const;

/** What the cache knows of one unit of spend data. */
export interface CachedMeta {
  fetchedAt: number;
  final: boolean;
}

/** Whether `entry` must be read (again) at `now`. `refresh` forces whatever can still change. */
export function isDue(
  entry: CachedMeta | undefined,
  now: number,
  maxAgeMs: number,
  refresh = false,
): boolean {
  if (!entry) return true;
  if (entry.final) return false;
  // A read from the future (a clock set back) is not trusted to be fresh.
  if (entry.fetchedAt > now) return true;
  return refresh || now - entry.fetchedAt > maxAgeMs;
}

/** When an entry that is not final becomes due; null when it never will. */
export function dueAt(entry: CachedMeta, maxAgeMs: number): number | null {
  return entry.final ? null : entry.fetchedAt + maxAgeMs + 1;
}

/**
 * The months to read, as runs of consecutive months (`months` ascending): each run is one
 * query, so a cold 13-month load is one query per shape (plus its pages), not thirteen,
 * and a month that needs no read splits the run rather than being read again.
 */
export function planRuns(
  months: readonly string[],
  cached: ReadonlyMap<string, CachedMeta>,
  now: number,
  maxAgeMs: number,
  refresh = false,
): string[][] {
  const runs: string[][] = [];
  let run: string[] = [];
  for (const month of months) {
    const last = run[run.length - 1];
    if (last !== undefined && month !== addMonths(last, 1)) {
      runs.push(run);
      run = [];
    }
    if (isDue(cached.get(month), now, maxAgeMs, refresh)) run.push(month);
    else if (run.length) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length) runs.push(run);
  // An open month next to a run is read with it: the same request (a few more groups)
  // rather than one of its own a few hours later, e.g. last month, still estimated, with
  // this one, or this month when the next one starts.
  const open = (month: string | undefined) =>
    month !== undefined && months.includes(month) && cached.get(month)?.final === false;
  return runs.map((r) => {
    const joined = [...r];
    while (open(addMonths(joined[0]!, -1)) && !isPlanned(runs, addMonths(joined[0]!, -1)))
      joined.unshift(addMonths(joined[0]!, -1));
    while (
      open(addMonths(joined[joined.length - 1]!, 1)) &&
      !isPlanned(runs, addMonths(joined[joined.length - 1]!, 1))
    )
      joined.push(addMonths(joined[joined.length - 1]!, 1));
    return joined;
  });
}

function isPlanned(runs: readonly string[][], month: string): boolean {
  return runs.some((r) => r.includes(month));
}

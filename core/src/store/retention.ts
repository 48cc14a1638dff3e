// How long stored history is kept: as long as CloudWatch itself keeps data at that
// resolution, so the store never holds less than AWS can give back, nor more.
//
// CloudWatch keeps datapoints with a period under 60 s for 3 hours, 1-minute datapoints
// for 15 days, 5-minute datapoints for 63 days and 1-hour datapoints for 455 days, and
// GetMetricData enforces it by period: beyond 3 hours the period must be a multiple of
// 60 s, beyond 15 days of 300 s, beyond 63 days of 3600 s. A stored series has one period
// (it is part of its query id), so the same rule applies to it: a 15-minute series is
// made of 5-minute data and lives 63 days, a 1-hour series 455 days.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** CloudWatch's retention by resolution, longest first. */
export const CLOUDWATCH_RETENTION = [
  { periodMultipleOf: 3_600, keepMs: 455 * DAY },
  { periodMultipleOf: 300, keepMs: 63 * DAY },
  { periodMultipleOf: 60, keepMs: 15 * DAY },
  { periodMultipleOf: 1, keepMs: 3 * HOUR },
] as const;

/** The longest retention: what a series of unknown period is given. */
export const MAX_RETENTION_MS = CLOUDWATCH_RETENTION[0].keepMs;

/** How long points of a series with this period (seconds) are kept. */
export function retentionMs(periodSeconds: number | null | undefined): number {
  if (periodSeconds === null || periodSeconds === undefined || !(periodSeconds > 0))
    return MAX_RETENTION_MS;
  const rule = CLOUDWATCH_RETENTION.find((r) => periodSeconds % r.periodMultipleOf === 0);
  // Sub-second periods do not exist in CloudWatch; keep them like high-resolution data.
  return rule?.keepMs ?? 3 * HOUR;
}

/** Pruning runs at most this often (per store, across processes): it is not a per-write cost. */
export const PRUNE_EVERY_MS = HOUR;

// How CloudWatch turns StartTime, EndTime and Period into datapoints, including its
// retention rules: 1-minute data for 15 days, 5-minute data for 63 days, then hourly.
import { DAY_MS, floorTo, HOUR_MS, MINUTE_MS } from '../time.js';
import { Aggregate, MetricSeries, MetricStore } from './metric-store.js';
import { statisticValue, type Statistic } from './statistics.js';

const FIFTEEN_DAYS_MS = 15 * DAY_MS;
const SIXTY_THREE_DAYS_MS = 63 * DAY_MS;

/** Periods CloudWatch accepts: 1, 5, 10, 30 (high resolution) or a multiple of 60 seconds. */
export function isValidPeriod(periodSeconds: number): boolean {
  return (
    Number.isInteger(periodSeconds) &&
    periodSeconds > 0 &&
    ([1, 5, 10, 30].includes(periodSeconds) || periodSeconds % 60 === 0)
  );
}

export interface BucketPlan {
  firstMs: number;
  periodMs: number;
  /** number of buckets from firstMs while the bucket start is before EndTime */
  count: number;
}

/**
 * Buckets of a query. StartTime is rounded down by its age (minute, 5 minutes, hour) as
 * CloudWatch does. AWS metrics have one datapoint a minute, so sub-minute periods give
 * 1-minute buckets.
 */
export function planBuckets(
  startMs: number,
  endMs: number,
  periodSeconds: number,
  nowMs: number,
): BucketPlan {
  const periodMs = Math.max(60, periodSeconds) * 1000;
  const age = nowMs - startMs;
  const unit =
    age > SIXTY_THREE_DAYS_MS ? HOUR_MS : age > FIFTEEN_DAYS_MS ? 5 * MINUTE_MS : MINUTE_MS;
  const firstMs = floorTo(startMs, unit);
  const count = endMs > firstMs ? Math.ceil((endMs - firstMs) / periodMs) : 0;
  return { firstMs, periodMs, count };
}

/**
 * The buckets of a plan that can hold a datapoint, as indices [lo, hi): those that overlap
 * the data (from dataFromMs, before dataToMs) and start where the retention still offers
 * that period. Their number is bounded by how much is stored, whatever the request's range
 * and period.
 */
export function bucketsWithData(
  plan: BucketPlan,
  dataFromMs: number,
  dataToMs: number,
  nowMs: number,
): { lo: number; hi: number } {
  const { firstMs, periodMs, count } = plan;
  const retainedFrom =
    periodMs % (5 * MINUTE_MS) !== 0
      ? nowMs - FIFTEEN_DAYS_MS
      : periodMs % HOUR_MS !== 0
        ? nowMs - SIXTY_THREE_DAYS_MS
        : -Infinity;
  const lo = Math.max(
    0,
    Math.floor((dataFromMs - firstMs) / periodMs),
    Math.ceil((retainedFrom - firstMs) / periodMs),
  );
  const hi = Math.min(count, Math.ceil((dataToMs - firstMs) / periodMs));
  return hi > lo ? { lo, hi } : { lo: 0, hi: 0 };
}

/**
 * The statistic of one bucket, or undefined when there is no datapoint: no samples, or a
 * period the retention at that age does not offer (then CloudWatch returns nothing either).
 * Only the minutes the store holds are visited, however long the period.
 */
export function bucketValue(
  store: MetricStore,
  series: MetricSeries,
  stat: Statistic,
  bucketStartMs: number,
  periodMs: number,
  nowMs: number,
  scratch: Aggregate,
): number | undefined {
  const age = nowMs - bucketStartMs;
  if (age > SIXTY_THREE_DAYS_MS && periodMs % HOUR_MS !== 0) return undefined;
  if (age > FIFTEEN_DAYS_MS && periodMs % (5 * MINUTE_MS) !== 0) return undefined;

  scratch.reset();
  const startMinute = Math.floor(bucketStartMs / MINUTE_MS);
  const minutes = periodMs / MINUTE_MS;
  if (minutes % 5 === 0 && startMinute % 5 === 0) {
    // Whole 5-minute buckets: the coarse ring holds the same aggregates, and further back.
    const held = store.coarseBucketRange();
    const from = Math.max(startMinute / 5, held.first);
    const to = Math.min(startMinute / 5 + minutes / 5 - 1, held.last);
    for (let b = from; b <= to; b++) series.addCoarseBucket(b, scratch);
  } else {
    const from = Math.max(startMinute, store.oldestFineMinute());
    const to = Math.min(startMinute + minutes - 1, store.latestMinute);
    for (let m = from; m <= to; m++) series.addFineMinute(m, scratch);
  }
  return statisticValue(stat, scratch);
}

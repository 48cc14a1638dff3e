// CloudWatch statistics over an aggregate: Average, Sum, Minimum, Maximum, SampleCount and
// percentiles (p50, p99, p99.9, ...).
import { Aggregate, STORED_PERCENTILES } from './metric-store.js';

export type Statistic =
  | { kind: 'Average' | 'Sum' | 'Minimum' | 'Maximum' | 'SampleCount' }
  | { kind: 'percentile'; percentile: number };

/** Parse a CloudWatch Stat string; undefined when it is not one the sandbox computes. */
export function parseStatistic(stat: string): Statistic | undefined {
  switch (stat) {
    case 'Average':
    case 'Sum':
    case 'Minimum':
    case 'Maximum':
    case 'SampleCount':
      return { kind: stat };
  }
  const match = /^p(\d{1,2}(?:\.\d{1,10})?|100(?:\.0+)?)$/.exec(stat);
  if (!match) return undefined;
  return { kind: 'percentile', percentile: Number(match[1]) };
}

/** The statistic's value for an aggregate, undefined when it has no samples. */
export function statisticValue(stat: Statistic, agg: Aggregate): number | undefined {
  if (agg.count <= 0) return undefined;
  switch (stat.kind) {
    case 'Average':
      return agg.sum / agg.count;
    case 'Sum':
      return agg.sum;
    case 'Minimum':
      return agg.min;
    case 'Maximum':
      return agg.max;
    case 'SampleCount':
      return agg.count;
    case 'percentile':
      return percentile(agg, stat.percentile);
  }
}

/**
 * Percentile of an aggregate. Distribution series interpolate between min, the stored
 * percentiles (count-weighted across the minutes of the bucket, an approximation of the
 * percentile of the merged samples) and max. Other series only know min, mean and max, so
 * p50 is the mean and the tails run linearly to min and max.
 */
function percentile(agg: Aggregate, p: number): number {
  const mean = agg.sum / agg.count;
  if (!agg.hasPercentiles) {
    return p <= 50
      ? agg.min + ((mean - agg.min) * p) / 50
      : mean + ((agg.max - mean) * (p - 50)) / 50;
  }
  let prevP = 0;
  let prevV = agg.min;
  for (let k = 0; k <= STORED_PERCENTILES.length; k++) {
    const atP = k < STORED_PERCENTILES.length ? STORED_PERCENTILES[k]! : 100;
    const atV = k < STORED_PERCENTILES.length ? agg.weightedPct[k]! / agg.count : agg.max;
    if (p <= atP)
      return atP === prevP ? atV : prevV + ((atV - prevV) * (p - prevP)) / (atP - prevP);
    prevP = atP;
    prevV = atV;
  }
  return agg.max;
}

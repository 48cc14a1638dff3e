// Per-metric, per-minute statistics in typed arrays, the way CloudWatch keeps them: a ring of
// 1-minute aggregates for the recent window and a ring of 5-minute aggregates for the whole
// history. A 5-minute bucket is accumulated as its minutes are written, so both rings answer
// identically wherever they overlap.
import type { Dimension } from '@ballast/core';

/**
 * How much a series keeps per minute:
 * - value: one published datapoint per minute (counts, gauges): 4 bytes a minute;
 * - stats: a statistic set (sum, sample count, min, max), e.g. CPU across instances;
 * - distribution: a statistic set plus percentiles, for latency metrics.
 */
export type SeriesKind = 'value' | 'stats' | 'distribution';

/** Percentiles kept for distribution series; others are interpolated between these. */
export const STORED_PERCENTILES = [50, 90, 95, 99, 99.9] as const;
const PCT_COUNT = STORED_PERCENTILES.length;

export interface MetricDefinition {
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  /** CloudWatch StandardUnit, e.g. Count, Percent, Seconds, Milliseconds, Bytes, None */
  unit: string;
  kind: SeriesKind;
}

/** Mutable accumulator for the statistics of one query bucket. */
export class Aggregate {
  sum = 0;
  count = 0;
  min = Infinity;
  max = -Infinity;
  /** count-weighted sums of the stored percentiles (distribution series only) */
  readonly weightedPct = new Float64Array(PCT_COUNT);
  hasPercentiles = false;

  reset(): void {
    this.sum = 0;
    this.count = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.weightedPct.fill(0);
    this.hasPercentiles = false;
  }
}

export interface StoreLayout {
  /** minutes kept at 1-minute resolution */
  fineMinutes: number;
  /** 5-minute buckets kept */
  coarseBuckets: number;
}

export class MetricSeries {
  readonly key: string;
  private readonly fineSum: Float32Array;
  private readonly fineCount: Float32Array | undefined;
  private readonly fineMin: Float32Array | undefined;
  private readonly fineMax: Float32Array | undefined;
  private readonly finePct: Float32Array | undefined; // PCT_COUNT per minute
  private readonly coarseSum: Float32Array;
  private readonly coarseCount: Float32Array;
  private readonly coarseMin: Float32Array;
  private readonly coarseMax: Float32Array;
  private readonly coarsePct: Float32Array | undefined; // count-weighted, PCT_COUNT per bucket
  private lastMinute = -1;

  constructor(
    readonly definition: MetricDefinition,
    private readonly layout: StoreLayout,
  ) {
    this.key = metricKey(definition.namespace, definition.metricName, definition.dimensions);
    const { fineMinutes, coarseBuckets } = layout;
    this.fineSum = new Float32Array(fineMinutes).fill(NaN);
    if (definition.kind !== 'value') {
      this.fineCount = new Float32Array(fineMinutes);
      this.fineMin = new Float32Array(fineMinutes);
      this.fineMax = new Float32Array(fineMinutes);
    }
    if (definition.kind === 'distribution') {
      this.finePct = new Float32Array(fineMinutes * PCT_COUNT);
      this.coarsePct = new Float32Array(coarseBuckets * PCT_COUNT);
    }
    this.coarseSum = new Float32Array(coarseBuckets);
    this.coarseCount = new Float32Array(coarseBuckets);
    this.coarseMin = new Float32Array(coarseBuckets);
    this.coarseMax = new Float32Array(coarseBuckets);
  }

  get kind(): SeriesKind {
    return this.definition.kind;
  }

  /** Record a value-kind datapoint for an epoch minute (NaN: no datapoint that minute). */
  recordValue(minute: number, value: number): void {
    const i = this.prepare(minute);
    this.fineSum[i] = value;
    if (Number.isNaN(value)) return;
    this.accumulateCoarse(minute, value, 1, value, value);
  }

  /** Record a statistic set for an epoch minute; count 0 means no datapoint. */
  recordStats(
    minute: number,
    sum: number,
    count: number,
    min: number,
    max: number,
    percentiles?: ArrayLike<number>,
  ): void {
    const i = this.prepare(minute);
    if (count <= 0) {
      this.fineSum[i] = NaN;
      return;
    }
    this.fineSum[i] = sum;
    this.fineCount![i] = count;
    this.fineMin![i] = min;
    this.fineMax![i] = max;
    const c = this.accumulateCoarse(minute, sum, count, min, max);
    if (this.finePct && percentiles) {
      const base = i * PCT_COUNT;
      const cbase = c * PCT_COUNT;
      for (let k = 0; k < PCT_COUNT; k++) {
        const p = percentiles[k]!;
        this.finePct[base + k] = p;
        this.coarsePct![cbase + k]! += p * count;
      }
    }
  }

  /** Add one minute of the fine ring to an aggregate; false when it has no datapoint. */
  addFineMinute(minute: number, into: Aggregate): boolean {
    const i = mod(minute, this.layout.fineMinutes);
    const sum = this.fineSum[i]!;
    if (Number.isNaN(sum)) return false;
    if (this.definition.kind === 'value') {
      into.sum += sum;
      into.count += 1;
      if (sum < into.min) into.min = sum;
      if (sum > into.max) into.max = sum;
      return true;
    }
    const count = this.fineCount![i]!;
    into.sum += sum;
    into.count += count;
    if (this.fineMin![i]! < into.min) into.min = this.fineMin![i]!;
    if (this.fineMax![i]! > into.max) into.max = this.fineMax![i]!;
    if (this.finePct) {
      into.hasPercentiles = true;
      const base = i * PCT_COUNT;
      for (let k = 0; k < PCT_COUNT; k++) into.weightedPct[k]! += this.finePct[base + k]! * count;
    }
    return true;
  }

  /** The sum of one minute of the fine ring (the value, for value series); NaN for none. */
  minuteSum(minute: number): number {
    return this.fineSum[mod(minute, this.layout.fineMinutes)]!;
  }

  /** Add one 5-minute bucket of the coarse ring to an aggregate; false when it is empty. */
  addCoarseBucket(bucket: number, into: Aggregate): boolean {
    const c = mod(bucket, this.layout.coarseBuckets);
    const count = this.coarseCount[c]!;
    if (count <= 0) return false;
    into.sum += this.coarseSum[c]!;
    into.count += count;
    if (this.coarseMin[c]! < into.min) into.min = this.coarseMin[c]!;
    if (this.coarseMax[c]! > into.max) into.max = this.coarseMax[c]!;
    if (this.coarsePct) {
      into.hasPercentiles = true;
      const base = c * PCT_COUNT;
      for (let k = 0; k < PCT_COUNT; k++) into.weightedPct[k]! += this.coarsePct[base + k]!;
    }
    return true;
  }

  /** Fine-ring slot for the minute; clears the coarse bucket when the minute opens a new one. */
  private prepare(minute: number): number {
    if (minute <= this.lastMinute)
      throw new Error(`${this.key}: minute ${minute} recorded out of order`);
    const bucket = Math.floor(minute / 5);
    if (this.lastMinute < 0 || Math.floor(this.lastMinute / 5) !== bucket) {
      const c = mod(bucket, this.layout.coarseBuckets);
      this.coarseSum[c] = 0;
      this.coarseCount[c] = 0;
      this.coarseMin[c] = Infinity;
      this.coarseMax[c] = -Infinity;
      if (this.coarsePct) this.coarsePct.fill(0, c * PCT_COUNT, (c + 1) * PCT_COUNT);
    }
    this.lastMinute = minute;
    return mod(minute, this.layout.fineMinutes);
  }

  private accumulateCoarse(
    minute: number,
    sum: number,
    count: number,
    min: number,
    max: number,
  ): number {
    const c = mod(Math.floor(minute / 5), this.layout.coarseBuckets);
    this.coarseSum[c]! += sum;
    this.coarseCount[c]! += count;
    if (min < this.coarseMin[c]!) this.coarseMin[c] = min;
    if (max > this.coarseMax[c]!) this.coarseMax[c] = max;
    return c;
  }
}

/**
 * All series of a simulation, plus which minutes each ring still holds. Every series is
 * written once per simulated minute (NaN for "no datapoint"), so the bookkeeping of time is
 * shared.
 */
export class MetricStore {
  private readonly series = new Map<string, MetricSeries>();
  /** first minute with data at all */
  private firstMinute = Number.NaN;
  /** first minute the simulation kept at 1-minute resolution */
  private fineStartMinute = Number.NaN;
  /** last minute written (complete) */
  private lastMinute = Number.NaN;

  constructor(readonly layout: StoreLayout) {
    if (!(layout.fineMinutes >= 60) || !(layout.coarseBuckets >= 12)) {
      throw new RangeError('the store needs at least an hour at each resolution');
    }
  }

  define(definition: MetricDefinition): MetricSeries {
    const key = metricKey(definition.namespace, definition.metricName, definition.dimensions);
    const existing = this.series.get(key);
    if (existing) return existing;
    const created = new MetricSeries(definition, this.layout);
    this.series.set(key, created);
    return created;
  }

  get(
    namespace: string,
    metricName: string,
    dimensions: readonly Dimension[],
  ): MetricSeries | undefined {
    return this.series.get(metricKey(namespace, metricName, dimensions));
  }

  all(): IterableIterator<MetricSeries> {
    return this.series.values();
  }

  get size(): number {
    return this.series.size;
  }

  /** Set where 1-minute history starts (older minutes are only kept as 5-minute buckets). */
  startTimeline(firstMinute: number, fineStartMinute: number): void {
    this.firstMinute = firstMinute;
    this.fineStartMinute = fineStartMinute;
  }

  /** Mark a minute as fully written by every series. */
  completeMinute(minute: number): void {
    this.lastMinute = minute;
  }

  /** Latest complete minute, NaN before the first. */
  get latestMinute(): number {
    return this.lastMinute;
  }

  /**
   * Whether the fine ring still physically holds the minute, published or not: the
   * simulation's own alarms read minutes of the backfill that CloudWatch would only
   * publish at 5-minute resolution.
   */
  holdsMinute(minute: number): boolean {
    return (
      minute <= this.lastMinute &&
      minute > this.lastMinute - this.layout.fineMinutes &&
      minute >= this.firstMinute
    );
  }

  /** Oldest minute the fine ring holds. */
  oldestFineMinute(): number {
    return Math.max(this.fineStartMinute, this.lastMinute - this.layout.fineMinutes + 1);
  }

  /** Whether the fine ring holds the minute. */
  hasFineMinute(minute: number): boolean {
    return minute >= this.oldestFineMinute() && minute <= this.lastMinute;
  }

  /** The 5-minute buckets the coarse ring holds (the last possibly partial), first to last. */
  coarseBucketRange(): { first: number; last: number } {
    const last = Math.floor(this.lastMinute / 5);
    const first = Math.max(Math.floor(this.firstMinute / 5), last - this.layout.coarseBuckets + 1);
    return { first, last };
  }

  /** Whether the coarse ring holds the 5-minute bucket (possibly partially filled). */
  hasCoarseBucket(bucket: number): boolean {
    const { first, last } = this.coarseBucketRange();
    return bucket >= first && bucket <= last;
  }
}

/** Identity of a metric: namespace, name and the set of dimensions (order-insensitive). */
export function metricKey(
  namespace: string,
  metricName: string,
  dimensions: readonly Dimension[],
): string {
  const dims = dimensions
    .map((d) => `${d.name}=${d.value}`)
    .sort()
    .join(',');
  return `${namespace}|${metricName}|${dims}`;
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}

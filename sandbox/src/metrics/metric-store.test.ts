import { describe, expect, it } from 'vitest';
import { bucketValue, isValidPeriod, planBuckets } from './metric-query.js';
import { Aggregate, MetricStore, type MetricDefinition } from './metric-store.js';
import { parseStatistic, statisticValue } from './statistics.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const T0 = Date.parse('2025-11-01T00:00:00Z');
const M0 = T0 / MINUTE;

const def = (kind: MetricDefinition['kind']): MetricDefinition => ({
  namespace: 'Test',
  metricName: kind,
  dimensions: [],
  unit: 'Count',
  kind,
});

/** A store with 2 hours at 1 minute (after 1 hour at 5 minutes only), every minute written. */
function filledStore() {
  const store = new MetricStore({ fineMinutes: 120, coarseBuckets: 48 });
  store.startTimeline(M0, M0 + 60);
  const value = store.define(def('value'));
  const latency = store.define(def('distribution'));
  for (let m = M0; m < M0 + 180; m++) {
    const i = m - M0;
    value.recordValue(m, i % 7 === 0 ? Number.NaN : i);
    // Ten requests a minute, centred on i ms.
    latency.recordStats(m, 10 * i, 10, i - 5, i + 50, [i, i + 10, i + 15, i + 30, i + 40]);
    store.completeMinute(m);
  }
  return { store, value, latency };
}

const stat = (s: string) => parseStatistic(s)!;

describe('MetricStore', () => {
  const { store, value, latency } = filledStore();
  const now = (M0 + 180) * MINUTE;
  const at = (minute: number) => (M0 + minute) * MINUTE;
  const read = (series = value, s = 'Sum', start = at(120), periodMinutes = 5) =>
    bucketValue(store, series, stat(s), start, periodMinutes * MINUTE, now, new Aggregate());

  it('keeps 1-minute data only after the start of the 1-minute history', () => {
    expect(read(value, 'Sum', at(61), 1)).toBe(61);
    expect(read(value, 'Sum', at(59), 1)).toBeUndefined();
    expect(read(value, 'Sum', at(63), 1)).toBeUndefined(); // 63 is a minute without a datapoint
  });

  it('answers whole 5-minute buckets from the 5-minute ring, further back too', () => {
    // Minutes 120..124: 120 + 121 + 122 + 123 + 124 = 610
    expect(read()).toBe(610);
    expect(read(value, 'SampleCount')).toBe(5);
    // Minutes 0..4 are only kept at 5 minutes: 1 + 2 + 3 + 4 (minute 0 had none).
    expect(read(value, 'Sum', at(0))).toBe(10);
    expect(read(value, 'SampleCount', at(0))).toBe(4);
  });

  it('gives the same statistics from both rings where they overlap', () => {
    for (const s of ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount', 'p50', 'p99']) {
      const coarse = read(latency, s, at(125), 5);
      const minutes = new Aggregate();
      for (let m = 125; m < 130; m++) latency.addFineMinute(M0 + m, minutes);
      expect(coarse, s).toBeCloseTo(statisticValue(stat(s), minutes)!, 3);
    }
  });

  it.each([
    { s: 'p50', expected: 127 }, // average of the minutes' p50s
    { s: 'p99', expected: 157 },
    { s: 'p95', expected: 142 },
    { s: 'p70', expected: 132 }, // halfway between p50 (127) and p90 (137)
    { s: 'p100', expected: 179 },
    { s: 'p0', expected: 120 },
  ])('interpolates $s of a distribution between stored percentiles', ({ s, expected }) => {
    expect(read(latency, s, at(125), 5)).toBeCloseTo(expected, 3);
  });

  it('takes the mean as the median of a metric without percentiles', () => {
    expect(read(value, 'p50', at(120), 5)).toBe(122);
    expect(read(value, 'p100', at(120), 5)).toBe(124);
  });

  it('forgets 1-minute data beyond its ring, keeps 5-minute data', () => {
    const small = new MetricStore({ fineMinutes: 60, coarseBuckets: 24 });
    small.startTimeline(M0, M0);
    const s = small.define(def('value'));
    for (let m = M0; m < M0 + 100; m++) {
      s.recordValue(m, 1);
      small.completeMinute(m);
    }
    expect(small.hasFineMinute(M0 + 39)).toBe(false);
    expect(small.hasFineMinute(M0 + 40)).toBe(true);
    expect(small.hasCoarseBucket(0 + M0 / 5)).toBe(true);
  });

  it('refuses writes out of order', () => {
    expect(() => value.recordValue(M0, 1)).toThrow(/out of order/);
  });
});

describe('CloudWatch period rules', () => {
  it.each([
    [1, true],
    [5, true],
    [10, true],
    [30, true],
    [60, true],
    [300, true],
    [3600, true],
    [20, false],
    [45, false],
    [90, false],
    [0, false],
  ])('period %i is valid: %s', (period, valid) => {
    expect(isValidPeriod(period)).toBe(valid);
  });

  const now = Date.parse('2025-11-23T20:00:00Z');
  it.each([
    { age: '1 hour', start: now - 3_600_000 + 34_000, rounded: now - 3_600_000 },
    { age: '20 days', start: now - 20 * DAY + 3 * MINUTE + 34_000, rounded: now - 20 * DAY },
    { age: '70 days', start: now - 70 * DAY + 17 * MINUTE, rounded: now - 70 * DAY },
  ])('rounds a start $age old down as CloudWatch does', ({ start, rounded }) => {
    expect(planBuckets(start, now, 300, now).firstMs).toBe(rounded);
  });

  it('counts buckets while their start is before EndTime', () => {
    expect(planBuckets(now - 3_600_000, now, 300, now).count).toBe(12);
    expect(planBuckets(now - 3_600_000, now + 1, 300, now).count).toBe(13);
    expect(planBuckets(now - 3_600_000, now, 1, now)).toMatchObject({
      periodMs: 60_000,
      count: 60,
    });
  });
});

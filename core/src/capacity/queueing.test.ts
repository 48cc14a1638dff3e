import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TIMEOUT_MS,
  erlangC,
  estimateCapacity,
  responseTimeQuantileMs,
  type CapacityInput,
} from './queueing.js';

// A web pool: 55 req/s per instance at 100% CPU, 120 ms per request when nothing queues.
const pool = (arrivalRate: number, instances: number): CapacityInput => ({
  arrivalRate,
  serviceRatePerInstance: 55,
  instances,
  baseServiceTimeMs: 120,
});

describe('erlangC', () => {
  // Reference values computed from the closed form a^c/c! * c/(c-a) / (sum + that).
  it.each([
    { servers: 1, load: 0.5, expected: 0.5 },
    { servers: 2, load: 1, expected: 1 / 3 },
    { servers: 10, load: 8, expected: 0.409 },
    { servers: 50, load: 45, expected: 0.3639 },
  ])('is $expected for $servers servers offered $load erlangs', ({ servers, load, expected }) => {
    expect(erlangC(servers, load)).toBeCloseTo(expected, 2);
  });

  it.each([
    { load: 0, expected: 0 },
    { load: 4, expected: 1 },
    { load: 9, expected: 1 },
  ])('is $expected at the edges (4 servers, $load erlangs)', ({ load, expected }) => {
    expect(erlangC(4, load)).toBe(expected);
  });

  it('stays finite for large pools', () => {
    const c = erlangC(2000, 1900);
    expect(c).toBeGreaterThan(0);
    expect(c).toBeLessThan(1);
  });

  it('rejects a pool without servers', () => {
    expect(() => erlangC(0, 1)).toThrow(/positive integer/);
  });
});

describe('estimateCapacity', () => {
  it.each([
    { rate: 0, instances: 4, cpu: 0 },
    { rate: 110, instances: 4, cpu: 50 },
    { rate: 154, instances: 4, cpu: 70 },
    { rate: 330, instances: 4, cpu: 100 },
  ])('reports $cpu% CPU for $rate req/s on $instances instances', ({ rate, instances, cpu }) => {
    expect(estimateCapacity(pool(rate, instances)).cpuPercent).toBeCloseTo(cpu, 6);
  });

  it('answers at the base service time when idle', () => {
    const idle = estimateCapacity(pool(0, 4));
    expect(idle.meanMs).toBe(120);
    expect(idle.errorRate).toBe(0);
    expect(idle.p50Ms).toBeLessThan(120);
    expect(idle.p99Ms).toBeGreaterThan(2.5 * 120);
  });

  it('orders percentiles p50 <= p90 <= p99 at every load', () => {
    for (const rate of [10, 100, 180, 210, 240, 300, 600]) {
      const e = estimateCapacity(pool(rate, 4));
      expect(e.p50Ms).toBeLessThanOrEqual(e.p90Ms);
      expect(e.p90Ms).toBeLessThanOrEqual(e.p99Ms);
    }
  });

  it('grows latency monotonically and steeply towards saturation', () => {
    const rates = [50, 100, 150, 180, 200, 210, 215, 220, 240, 300];
    const p99 = rates.map((rate) => estimateCapacity(pool(rate, 4)).p99Ms);
    for (let i = 1; i < p99.length; i++) expect(p99[i]).toBeGreaterThanOrEqual(p99[i - 1]!);
    // 70% busy costs little; saturation costs seconds.
    expect(estimateCapacity(pool(154, 4)).p99Ms).toBeLessThan(600);
    expect(estimateCapacity(pool(240, 4)).p99Ms).toBeGreaterThan(2000);
  });

  it.each([
    { rate: 150, maxErrors: 1e-9 },
    { rate: 210, maxErrors: 1e-6 },
  ])('has (almost) no errors below capacity at $rate req/s', ({ rate, maxErrors }) => {
    expect(estimateCapacity(pool(rate, 4)).errorRate).toBeLessThan(maxErrors);
  });

  it.each([
    { rate: 242, errors: 1 - 220 / 242 },
    { rate: 330, errors: 1 / 3 },
    { rate: 440, errors: 0.5 },
  ])('sheds the load above capacity as errors ($rate req/s on 220 req/s)', ({ rate, errors }) => {
    const e = estimateCapacity(pool(rate, 4));
    expect(e.errorRate).toBeCloseTo(errors, 6);
    expect(e.throughput).toBeCloseTo(220, 6);
  });

  it('keeps latency bounded by the timeout under heavy overload', () => {
    const e = estimateCapacity({ ...pool(5000, 4), timeoutMs: 5000 });
    expect(e.p99Ms).toBeLessThanOrEqual(5000);
    expect(e.p99Ms).toBeGreaterThan(4900);
    expect(e.meanMs).toBeLessThanOrEqual(5000);
  });

  it('fails everything when there are no instances', () => {
    const e = estimateCapacity(pool(100, 0));
    expect(e).toMatchObject({
      utilization: Infinity,
      errorRate: 1,
      throughput: 0,
      p99Ms: DEFAULT_TIMEOUT_MS,
    });
  });

  it('shows the pooling effect: one big pool queues less than a small one at the same utilization', () => {
    const small = estimateCapacity(pool(0.9 * 2 * 55, 2));
    const large = estimateCapacity(pool(0.9 * 40 * 55, 40));
    expect(large.waitProbability).toBeLessThan(small.waitProbability);
    expect(large.p99Ms).toBeLessThan(small.p99Ms);
  });

  it.each([
    { field: 'arrivalRate', input: { ...pool(1, 1), arrivalRate: -1 } },
    { field: 'serviceRatePerInstance', input: { ...pool(1, 1), serviceRatePerInstance: 0 } },
    { field: 'instances', input: { ...pool(1, 1), instances: 1.5 } },
    { field: 'baseServiceTimeMs', input: { ...pool(1, 1), baseServiceTimeMs: 0 } },
  ])('rejects an invalid $field', ({ field, input }) => {
    expect(() => estimateCapacity(input)).toThrow(field);
  });
});

describe('responseTimeQuantileMs', () => {
  it('agrees with the percentiles of estimateCapacity', () => {
    const input = pool(190, 4);
    const e = estimateCapacity(input);
    expect(responseTimeQuantileMs(input, 0.5)).toBeCloseTo(e.p50Ms, 9);
    expect(responseTimeQuantileMs(input, 0.99)).toBeCloseTo(e.p99Ms, 9);
  });

  it.each([
    { q: 0.5, factor: 0.8825 },
    { q: 0.9, factor: 1.6749 },
    { q: 0.999, factor: 4.1376 },
  ])(
    'spreads the base time log-normally when idle (q=$q is $factor x the mean)',
    ({ q, factor }) => {
      expect(responseTimeQuantileMs(pool(0, 4), q) / 120).toBeCloseTo(factor, 3);
    },
  );

  it.each([0, 1, -0.5, 2])('rejects quantile %s', (q) => {
    expect(() => responseTimeQuantileMs(pool(1, 1), q)).toThrow(/quantile/);
  });
});

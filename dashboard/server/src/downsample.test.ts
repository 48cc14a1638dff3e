import { describe, expect, it } from 'vitest';
import type { CapacityPoint, Point } from '@ballast/core';
import { downsampleCapacity, downsampleHealth, lttb } from './downsample.js';
import { makeHealth } from '../../test/health-fixture.js';

/** One point a minute, value from `f(i)`. */
function series(n: number, f: (i: number) => number): Point[] {
  return Array.from({ length: n }, (_, i) => ({ t: 1_700_000_000_000 + i * 60_000, v: f(i) }));
}

describe('lttb', () => {
  it.each([
    [20_160, 600],
    [1_000, 3],
    [101, 100],
    [5_000, 777],
  ])('reduces %i points to exactly %i', (n, width) => {
    const out = lttb(
      series(n, (i) => Math.sin(i / 30)),
      width,
    );
    expect(out).toHaveLength(width);
  });

  it('keeps the first and last point', () => {
    const input = series(1_000, (i) => (i * 7919) % 113);
    const out = lttb(input, 50);
    expect(out[0]).toEqual(input[0]);
    expect(out.at(-1)).toEqual(input.at(-1));
  });

  it('returns points in ascending time order, each one taken from the input', () => {
    const input = series(2_000, (i) => Math.cos(i / 17) * 10 + (i % 13));
    const out = lttb(input, 120);
    const times = new Set(input.map((p) => p.t));
    for (let i = 1; i < out.length; i++) expect(out[i]!.t).toBeGreaterThan(out[i - 1]!.t);
    for (const p of out) expect(times.has(p.t)).toBe(true);
  });

  it('keeps a one-minute spike and dip that averaging would flatten', () => {
    const input = series(10_080, (i) => 50 + Math.sin(i / 200) * 5);
    input[3_333] = { t: input[3_333]!.t, v: 400 };
    input[7_777] = { t: input[7_777]!.t, v: -250 };
    const out = lttb(input, 300);
    const values = out.map((p) => p.v);
    expect(Math.max(...values)).toBe(400);
    expect(Math.min(...values)).toBe(-250);
  });

  it('leaves short series alone and returns a copy', () => {
    const input = series(10, (i) => i);
    const out = lttb(input, 600);
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
  });

  it.each([
    [1, 1],
    [2, 2],
  ])('handles a width of %i', (width, expected) => {
    const input = series(100, (i) => i);
    const out = lttb(input, width);
    expect(out).toHaveLength(expected);
    expect(out.at(-1)).toEqual(input.at(-1));
  });

  it('returns an empty list for an empty series', () => {
    expect(lttb([], 100)).toEqual([]);
  });
});

describe('downsampleCapacity', () => {
  /** A week at 5-minute periods: 10 instances, then pinned at 20 for a day. */
  const week: CapacityPoint[] = Array.from({ length: 2_016 }, (_, i) => {
    const pinned = i >= 1_000 && i < 1_288;
    const inService = pinned ? 20 : 10;
    return {
      t: 1_700_000_000_000 + i * 300_000,
      desired: inService,
      inService,
      max: 20,
      onDemand: 2,
      spot: inService - 2,
    };
  });

  it('reduces to `width` points whose on-demand and spot still add up to in service', () => {
    const out = downsampleCapacity(week, 300);
    expect(out).toHaveLength(300);
    for (const p of out) expect(p.onDemand! + p.spot!).toBeCloseTo(p.inService!, 9);
    expect(out.every((p) => p.max === 20)).toBe(true);
  });

  it('keeps a day at the maximum at the maximum', () => {
    const out = downsampleCapacity(week, 300);
    const atMax = out.filter((p) => p.desired === 20);
    // 288 of 2,016 periods is a seventh of the chart: about 43 of 300 points.
    expect(atMax.length).toBeGreaterThanOrEqual(40);
  });

  it('keeps every spot interruption: a bucket sums its own, none averaged away', () => {
    const withWarnings = week.map((p, i) => (i % 97 === 0 ? { ...p, interruptions: 2 } : p));
    const total = withWarnings.reduce((sum, p) => sum + (p.interruptions ?? 0), 0);
    const out = downsampleCapacity(withWarnings, 300);
    expect(out.reduce((sum, p) => sum + (p.interruptions ?? 0), 0)).toBe(total);
    expect(out.filter((p) => p.interruptions !== undefined).length).toBeLessThanOrEqual(
      withWarnings.filter((p) => p.interruptions).length,
    );
  });

  it('leaves a short history alone and keeps missing values missing', () => {
    const short: CapacityPoint[] = [{ t: 1, desired: 3 }, { t: 2 }];
    expect(downsampleCapacity(short, 600)).toEqual(short);
    expect(downsampleCapacity([{ t: 1, desired: 3 }, { t: 2 }, { t: 3 }], 1)).toEqual([
      { t: 1, desired: 3 },
    ]);
  });
});

describe('downsampleHealth', () => {
  it('downsamples every signal of every tier and keeps everything else', () => {
    const health = makeHealth({ now: 1_700_000_000_000, pointsPerSignal: 1_440 });
    const out = downsampleHealth(health, 200);
    for (const tier of out.tiers) {
      for (const signal of tier.signals) expect(signal.points).toHaveLength(200);
      for (const group of tier.capacity ?? []) expect(group.points).toHaveLength(200);
    }
    expect(out.tiers.flatMap((t) => (t.capacity ?? []).map((c) => c.group))).toEqual([
      'store-web',
      'store-workers',
    ]);
    expect(out.firingAlarms).toEqual(health.firingAlarms);
    expect(out.evaluatedAt).toBe(health.evaluatedAt);
    // The input is not modified.
    expect(health.tiers[0]!.signals[0]!.points).toHaveLength(1_440);
  });
});

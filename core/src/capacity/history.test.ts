import { describe, expect, it } from 'vitest';
import type { AutoScalingGroupState, Point } from '../model/health.js';
import { atMaxSpans, groupCapacity } from './history.js';

const T0 = Date.UTC(2025, 10, 28, 5, 0);
const PERIOD = 900; // a 14-day chart's 15-minute periods
const series = (values: (number | undefined)[]): Point[] =>
  values.flatMap((v, i) => (v === undefined ? [] : [{ t: T0 + i * PERIOD * 1000, v }]));

const workers: AutoScalingGroupState = {
  name: 'store-workers',
  min: 1,
  max: 20,
  desired: 20,
  inService: 20,
  onDemand: 0,
  spot: 20,
  distribution: { onDemandBaseCapacity: 0, onDemandPercentageAboveBaseCapacity: 0 },
};

describe('groupCapacity', () => {
  it('given the group metrics of a sale morning, then one point per period with the spot split and the stretch at the maximum', () => {
    const capacity = groupCapacity({
      group: 'store-workers',
      desired: series([6, 12.5, 20, 20, 20, 18]),
      inService: series([6, 10, 17.5, 20, 20, 19]),
      max: series([20, 20, 20, 20, 20, 20]),
      state: workers,
      periodSeconds: PERIOD,
    });
    expect(capacity.split).toBe('distribution');
    expect(capacity.points[1]).toEqual({
      t: T0 + 900_000,
      desired: 12.5,
      inService: 10,
      max: 20,
      onDemand: 0,
      spot: 10,
    });
    // Periods 2, 3 and 4 stood at the maximum: 45 minutes from the start of period 2.
    expect(capacity.atMax).toEqual([{ start: T0 + 2 * 900_000, end: T0 + 5 * 900_000 }]);
  });

  it('given a group without a mixed instances policy, then all of in service is on-demand', () => {
    const capacity = groupCapacity({
      group: 'store-web',
      desired: series([4]),
      inService: series([3]),
      max: series([30]),
      state: { ...workers, name: 'store-web', distribution: undefined },
      periodSeconds: 60,
    });
    expect(capacity.split).toBe('on-demand');
    expect(capacity.points).toEqual([
      { t: T0, desired: 4, inService: 3, max: 30, onDemand: 3, spot: 0 },
    ]);
    expect(capacity.atMax).toEqual([]);
  });

  it('given the group could not be described, then the split is unknown, not guessed', () => {
    const capacity = groupCapacity({
      group: 'store-workers',
      desired: series([5]),
      inService: series([5]),
      max: series([20]),
      state: undefined,
      periodSeconds: 60,
    });
    expect(capacity.split).toBe('unknown');
    expect(capacity.points).toEqual([{ t: T0, desired: 5, inService: 5, max: 20 }]);
  });

  it('given a metric missing at some times, then those points lack only that value', () => {
    const capacity = groupCapacity({
      group: 'store-workers',
      desired: series([5, undefined, 7]),
      inService: series([5, 6, 7]),
      max: series([]),
      state: workers,
      periodSeconds: 60,
    });
    expect(capacity.points.map((p) => p.desired)).toEqual([5, undefined, 7]);
    expect(capacity.points.every((p) => p.max === undefined)).toBe(true);
    expect(capacity.atMax).toEqual([]);
  });
});

describe('atMaxSpans', () => {
  it('merges consecutive periods and starts a new span after a gap', () => {
    const points = [20, 20, 19, 20, 20, 20].map((desired, i) => ({
      t: T0 + i * 60_000,
      desired,
      max: 20,
    }));
    expect(atMaxSpans(points, 60)).toEqual([
      { start: T0, end: T0 + 2 * 60_000 },
      { start: T0 + 3 * 60_000, end: T0 + 6 * 60_000 },
    ]);
  });
});

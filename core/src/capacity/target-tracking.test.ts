import { describe, expect, it } from 'vitest';
import { instancesForTargetUtilization, targetTrackingCapacity } from './target-tracking.js';

describe('targetTrackingCapacity', () => {
  const bounds = { minCapacity: 2, maxCapacity: 30 };

  it.each([
    { current: 10, metric: 70, expected: 10, why: 'on target' },
    { current: 10, metric: 91, expected: 13, why: 'scale out to bring 91% down to 70%' },
    { current: 10, metric: 71, expected: 11, why: 'any excess rounds up' },
    { current: 10, metric: 35, expected: 5, why: 'scale in by half' },
    { current: 10, metric: 5, expected: 2, why: 'never below min' },
    { current: 25, metric: 100, expected: 30, why: 'never above max' },
    {
      current: 3,
      metric: 70.00000000001,
      expected: 3,
      why: 'floating-point noise is not a breach',
    },
  ])('$current instances at $metric% want $expected ($why)', ({ current, metric, expected }) => {
    expect(
      targetTrackingCapacity({
        currentCapacity: current,
        metricValue: metric,
        targetValue: 70,
        ...bounds,
      }),
    ).toBe(expected);
  });

  it('rejects a zero target', () => {
    expect(() =>
      targetTrackingCapacity({ currentCapacity: 1, metricValue: 1, targetValue: 0, ...bounds }),
    ).toThrow(/targetValue/);
  });
});

describe('instancesForTargetUtilization', () => {
  it.each([
    { rate: 0, target: 70, expected: 0 },
    { rate: 38.5, target: 70, expected: 1 },
    { rate: 38.6, target: 70, expected: 2 },
    { rate: 320, target: 70, expected: 9 },
    { rate: 1600, target: 70, expected: 42 },
    { rate: 1600, target: 100, expected: 30 },
  ])(
    '$rate req/s at $target% CPU needs $expected instances of 55 req/s',
    ({ rate, target, expected }) => {
      expect(
        instancesForTargetUtilization({
          arrivalRate: rate,
          serviceRatePerInstance: 55,
          targetUtilizationPercent: target,
        }),
      ).toBe(expected);
    },
  );

  it('respects the group bounds when given', () => {
    const input = {
      serviceRatePerInstance: 55,
      targetUtilizationPercent: 70,
      minCapacity: 2,
      maxCapacity: 30,
    };
    expect(instancesForTargetUtilization({ ...input, arrivalRate: 1 })).toBe(2);
    expect(instancesForTargetUtilization({ ...input, arrivalRate: 5000 })).toBe(30);
  });

  it.each([0, -5, 120])('rejects a target of %s%', (target) => {
    expect(() =>
      instancesForTargetUtilization({
        arrivalRate: 1,
        serviceRatePerInstance: 1,
        targetUtilizationPercent: target,
      }),
    ).toThrow(/targetUtilizationPercent/);
  });
});

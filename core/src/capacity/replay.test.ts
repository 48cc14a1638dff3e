import { describe, expect, it } from 'vitest';
import { splitOnDemandSpot } from './purchase-options.js';
import {
  prepareReplay,
  replay,
  replayMany,
  type ReplayConfig,
  type ReplayModel,
  type ReplayTraffic,
} from './replay.js';
import { instancesForTargetUtilization } from './target-tracking.js';

const WEB: ReplayModel = {
  kind: 'web',
  serviceRatePerInstance: 50,
  baseServiceTimeMs: 120,
  bootMinutes: 2,
};
const WORKER: ReplayModel = { kind: 'worker', jobsPerInstancePerMinute: 8, bootMinutes: 2 };
/** us-east-1 m6i.large on-demand, and spot at 35% of it */
const PRICES = { onDemandPerHour: 0.096, spotPerHour: 0.0336 };

function traffic(
  load: number[],
  initial: number,
  extra: Partial<ReplayTraffic> = {},
): ReplayTraffic {
  return {
    start: Date.UTC(2025, 10, 20),
    periodSeconds: 60,
    load: Float64Array.from(load),
    initialDesired: initial,
    initialInService: initial,
    ...extra,
  };
}

const constant = (minutes: number, value: number) => Array.from({ length: minutes }, () => value);

describe('replay', () => {
  it('given a fixed group of 12 with 2 on-demand and 30% above, then an hour bills 5 on-demand and 7 spot instance-hours', () => {
    const prepared = prepareReplay(WEB, traffic(constant(60, 100), 12), {});
    const distribution = { onDemandBaseCapacity: 2, onDemandPercentageAboveBaseCapacity: 30 };

    const result = replay(prepared, { min: 12, max: 12, distribution, prices: PRICES });

    // the split Auto Scaling applies: 2 + ceil(10 x 30%) on-demand
    expect(splitOnDemandSpot(12, distribution)).toEqual({ onDemand: 5, spot: 7 });
    expect(result).toMatchObject({ instanceHours: 12, onDemandHours: 5, spotHours: 7 });
    expect(result.costUsd).toBeCloseTo(5 * 0.096 + 7 * 0.0336, 10);
    expect(result.scalingActivities).toBe(0);
  });

  it('given load tripling under a 50% CPU target, then it scales out after 3 minutes above target and settles where target tracking converges', () => {
    // 100 req/s on 4 instances of 50 req/s = 50% CPU; from minute 10, 300 req/s.
    const load = [...constant(10, 100), ...constant(50, 300)];
    const prepared = prepareReplay(WEB, traffic(load, 4), {});
    const config: ReplayConfig = {
      min: 2,
      max: 40,
      policy: {
        metric: 'cpu',
        target: 50,
        warmupMinutes: 5,
        scaleInCooldownMinutes: 5,
        maxScaleInFraction: 0.1,
      },
      prices: PRICES,
    };

    const result = replay(prepared, config);

    // minutes 10-12 above target: desired 4 -> 8 at minute 12 (CPU capped at 100%), serving
    // from minute 15 (2 minutes to boot), then 8 at 75% -> 12 at minute 15.
    const steady = instancesForTargetUtilization({
      arrivalRate: 300,
      serviceRatePerInstance: 50,
      targetUtilizationPercent: 50,
    });
    expect(steady).toBe(12);
    expect(result.peakInstances).toBe(steady);
    expect(result.scalingActivities).toBe(2);
    // 4 x 12 minutes + 8 x 3 + 12 x 45: billed from launch
    expect(result.instanceHours).toBeCloseTo((4 * 12 + 8 * 3 + 12 * 45) / 60, 10);
  });

  it('given load falling away, then it scales in gradually: 10% of the group at a time, once nothing warms and the cooldown has passed', () => {
    const prepared = prepareReplay(WEB, traffic(constant(120, 50), 20), {});
    const config: ReplayConfig = {
      min: 2,
      max: 40,
      policy: {
        metric: 'cpu',
        target: 50,
        warmupMinutes: 5,
        scaleInCooldownMinutes: 10,
        maxScaleInFraction: 0.1,
      },
      prices: PRICES,
    };

    const result = replay(prepared, config);

    // 5% CPU on 20: the first scale-in after 15 low minutes (20 -> 18), then one every
    // 10 minutes: 18 -> 17 ... ; never below the 2 that serve 50 req/s at 50%.
    expect(result.scalingActivities).toBeGreaterThanOrEqual(9);
    expect(result.peakInstances).toBe(20);
    const scaledIn = replay(prepared, {
      ...config,
      policy: { ...config.policy!, disableScaleIn: true },
    });
    expect(scaledIn.scalingActivities).toBe(0);
    expect(scaledIn.instanceHours).toBe(40);
    expect(result.instanceHours).toBeLessThan(scaledIn.instanceHours);
  });

  it('given a scheduled action raising min at minute 30, then capacity is billed from that minute', () => {
    const prepared = prepareReplay(WEB, traffic(constant(60, 100), 10), {});

    const result = replay(prepared, {
      min: 10,
      max: 40,
      schedule: [{ minute: 30, min: 20 }],
      prices: PRICES,
    });

    expect(result.instanceHours).toBe((10 * 30 + 20 * 30) / 60);
    expect(result.scalingActivities).toBe(1);
  });

  it('given 2 instances at 99% of what they can serve, then every minute is over the latency SLO; with 10, none is', () => {
    const slo = { latency: { degraded: 500, critical: 1200 }, saturation: { degraded: 80 } };
    const prepared = prepareReplay(WEB, traffic(constant(30, 99), 10), slo);

    const small = replay(prepared, { min: 2, max: 2, prices: PRICES });
    const large = replay(prepared, { min: 10, max: 10, prices: PRICES });

    expect(small.minutesOverSlo).toEqual({
      latency: { degraded: 30, critical: 30 },
      saturation: { degraded: 30, critical: 0 },
    });
    expect(large.minutesOverSlo).toEqual({
      latency: { degraded: 0, critical: 0 },
      saturation: { degraded: 0, critical: 0 },
    });
  });

  it('given 100 jobs a minute on 10 workers completing 8 each, then the queue grows 20 a minute and its oldest message ages first in, first out', () => {
    const slo = { latency: { degraded: 300_000 } };
    const prepared = prepareReplay(WORKER, traffic(constant(60, 100), 10), slo);

    const result = replay(prepared, { min: 10, max: 10, prices: PRICES });

    // After minute m, 80(m+1) of 100(m+1) jobs are done: the oldest waiting one arrived in
    // minute floor(0.8(m+1)); at minute 59 that is minute 48, 11.5 minutes before.
    expect(result.peakQueueAgeSeconds).toBe(11 * 60 + 30);
    // minutes whose oldest message waited more than 300 s (5.5 minutes or more)
    const over = Array.from({ length: 60 }, (_, m) => m - Math.floor(0.8 * (m + 1))).filter(
      (lag) => lag * 60 + 30 > 300,
    ).length;
    expect(over).toBe(35);
    expect(result.minutesOverSlo).toEqual({ latency: { degraded: 35, critical: 0 } });
  });

  it('given a backlog target, then workers scale out on messages per instance', () => {
    const prepared = prepareReplay(WORKER, traffic(constant(60, 100), 2), {});
    const config: ReplayConfig = {
      min: 1,
      max: 50,
      policy: {
        metric: 'backlog-per-instance',
        target: 16,
        warmupMinutes: 3,
        scaleInCooldownMinutes: 15,
        maxScaleInFraction: 0.1,
      },
      prices: PRICES,
    };

    const withPolicy = replay(prepared, config);
    const without = replay(prepared, { min: 2, max: 2, prices: PRICES });

    expect(withPolicy.scalingActivities).toBeGreaterThan(0);
    expect(withPolicy.peakQueueAgeSeconds!).toBeLessThan(without.peakQueueAgeSeconds!);
  });

  it('given the same traffic and configurations, then every replay gives the same result, whatever ran before it', () => {
    const load = Array.from(
      { length: 7 * 1440 },
      (_, m) => 150 + 120 * Math.sin((m / 1440) * 2 * Math.PI),
    );
    const prepared = prepareReplay(WEB, traffic(load, 6), { latency: { degraded: 500 } });
    const a: ReplayConfig = {
      min: 2,
      max: 30,
      policy: {
        metric: 'cpu',
        target: 50,
        warmupMinutes: 5,
        scaleInCooldownMinutes: 5,
        maxScaleInFraction: 0.1,
      },
      prices: PRICES,
    };
    const b: ReplayConfig = { ...a, policy: { ...a.policy!, target: 70 } };

    const [first, , third] = replayMany(prepared, [a, b, a]);

    expect(third).toEqual(first);
    expect(replay(prepareReplay(WEB, traffic(load, 6), { latency: { degraded: 500 } }), a)).toEqual(
      first,
    );
  });

  it('given traffic that is not minutely, then it refuses it', () => {
    expect(() => prepareReplay(WEB, traffic([1, 2], 1, { periodSeconds: 300 }), {})).toThrow(
      /1-minute traffic, got 300 s/,
    );
  });
});

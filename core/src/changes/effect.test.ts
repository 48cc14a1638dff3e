import { describe, expect, it } from 'vitest';
import { recordedWebWeek, WEB_REFERENCE } from '../../test/recorded-week.js';
import { engineSetup, NOW } from '../../test/engine-setup.js';
import { fakePorts } from '../../test/fake-auto-scaling.js';
import type { ReplayConfig } from '../capacity/replay.js';
import { calibrateReplayModel, computeEffect, pricesFor } from './effect.js';
import { PortError } from './ports.js';
import { scalingPolicyRequest } from './requests.js';

const WEEK_START = NOW - 7 * 86_400_000;
const SLO = {
  latency: { degraded: 500, critical: 1200 },
  errors: { degraded: 0.5, critical: 2 },
  saturation: { degraded: 80, critical: 92 },
};
const PRICES = { onDemandPerHour: 0.096, spotPerHour: 0.0336, source: 'test' };
const policy = (target: number): ReplayConfig['policy'] => ({
  metric: 'cpu',
  target,
  warmupMinutes: 5,
  scaleInCooldownMinutes: 5,
  maxScaleInFraction: 0.1,
});

describe('calibrateReplayModel', () => {
  it('given a week recorded from m6i.large instances, then it recovers what one serves and how long a request takes', () => {
    const recorded = recordedWebWeek(WEEK_START, { min: 2, max: 20, targetCpu: 70 });

    const { model, assumptions } = calibrateReplayModel('web', recorded);

    expect(model.kind).toBe('web');
    if (model.kind !== 'web') return;
    expect(model.serviceRatePerInstance).toBeCloseTo(WEB_REFERENCE.serviceRatePerInstance, 6);
    // from the p50 of minutes under 50% CPU, where the queue adds a little
    expect(model.baseServiceTimeMs / WEB_REFERENCE.baseServiceTimeMs).toBeGreaterThan(0.99);
    expect(model.baseServiceTimeMs / WEB_REFERENCE.baseServiceTimeMs).toBeLessThan(1.05);
    expect(assumptions[1]).toMatch(/^One instance serves 55\.0 req\/s at 100% CPU/);
  });
});

describe('computeEffect', () => {
  const recorded = recordedWebWeek(WEEK_START, { min: 2, max: 20, targetCpu: 70 });
  const current: ReplayConfig = { min: 2, max: 20, policy: policy(70), prices: PRICES };

  it('given the current configuration, then its replay lands near what was recorded, and the backtest says by how much', () => {
    const effect = computeEffect({
      kind: 'web',
      recorded,
      slo: SLO,
      current,
      candidate: current,
      prices: PRICES,
    });

    const hours = effect.backtest.find((b) => b.measure === 'instance-hours')!;
    expect(hours.actual).toBeCloseTo(effect.actual!.instanceHours!, 10);
    // late scale-outs and gradual scale-ins about cancel out over a smooth week
    expect(Math.abs(hours.relativeError!)).toBeLessThan(0.02);
    expect(hours.sentence).toMatch(
      /^The replay of the current configuration gives \d+ instance-hours where \d+ were recorded \([-+]\d+\.\d%\)\.$/,
    );
    expect(effect.coveredMinutes).toBe(7 * 1440);
    expect(effect.candidate).toEqual(effect.current);
  });

  it('given a lower CPU target, then it costs more instance-hours and spends no more minutes over any SLO', () => {
    const effect = computeEffect({
      kind: 'web',
      recorded,
      slo: SLO,
      current,
      candidate: { ...current, policy: policy(50) },
      prices: PRICES,
    });

    expect(effect.candidate.instanceHours).toBeGreaterThan(effect.current.instanceHours * 1.2);
    expect(effect.candidate.costUsd).toBeGreaterThan(effect.current.costUsd);
    for (const [signal, minutes] of Object.entries(effect.candidate.minutesOverSlo))
      expect(minutes.degraded).toBeLessThanOrEqual(effect.current.minutesOverSlo[signal]!.degraded);
  });

  it('given a max too low for the peak, then the replay shows minutes at max and over the saturation SLO', () => {
    const effect = computeEffect({
      kind: 'web',
      recorded,
      slo: SLO,
      current,
      candidate: { ...current, max: 5 },
      prices: PRICES,
    });

    // 300 req/s needs 300 / 55 / 0.92 = 6 instances to stay under 92% CPU
    expect(effect.candidate.minutesAtMax).toBeGreaterThan(0);
    expect(effect.candidate.minutesOverSlo.saturation!.critical).toBeGreaterThan(0);
    expect(effect.current.minutesOverSlo.saturation!.critical).toBe(0);
  });
});

describe('pricesFor', () => {
  it('given no configured prices, then it uses the list price of the first known instance type and says so', () => {
    expect(pricesFor(undefined, ['m6i.large', 'm5.large'], 'us-east-1')).toEqual({
      onDemandPerHour: 0.096,
      spotPerHour: 0.0336,
      source:
        'public on-demand price of m6i.large in us-east-1 (2026-12); spot assumed at 35% of it',
    });
    expect(pricesFor(undefined, ['x9.mega'], 'us-east-1')).toBeUndefined();
  });
});

describe('a plan with recorded traffic', () => {
  it('given a week of traffic, then the plan carries the what-if effect of the candidate next to the current configuration', async () => {
    const recorded = recordedWebWeek(WEEK_START, { min: 2, max: 20, targetCpu: 70 });
    const s = engineSetup({
      ports: (aws) => ({
        ...fakePorts(aws),
        traffic: {
          recorded: (group) => Promise.resolve(group === 'store-web' ? recorded : undefined),
        },
      }),
    });
    try {
      const plan = await s.engine.plan(
        scalingPolicyRequest(s.platform, { group: 'store-web', metric: 'cpu', target: 50 }),
      );

      expect(plan.effectUnavailable).toBeUndefined();
      expect(plan.effect?.prices.source).toMatch(/public on-demand price of m6i\.large/);
      expect(plan.effect!.candidate.instanceHours).toBeGreaterThan(
        plan.effect!.current.instanceHours,
      );
      // the distribution of the group splits the hours: 2 on-demand, then 30% of the rest
      expect(plan.effect!.current.spotHours).toBeGreaterThan(0);
      expect(plan.effect!.backtest.length).toBeGreaterThan(0);
    } finally {
      s.store.close();
    }
  });

  it('given the recorded traffic cannot be read, then the plan stands, saying why it has no effect', async () => {
    const s = engineSetup({
      ports: (aws) => ({
        ...fakePorts(aws),
        traffic: {
          recorded: () => Promise.reject(new PortError('CloudWatch throttled GetMetricData')),
        },
      }),
    });
    try {
      const plan = await s.engine.plan(
        scalingPolicyRequest(s.platform, { group: 'store-web', metric: 'cpu', target: 50 }),
      );

      expect(plan.effectUnavailable).toBe(
        'The recorded traffic of store-web could not be read: CloudWatch throttled GetMetricData',
      );
      expect(plan.steps).toHaveLength(1);
    } finally {
      s.store.close();
    }
  });

  it('given no traffic recorded for the group, then the plan says why it has no effect', async () => {
    const s = engineSetup({
      ports: (aws) => ({
        ...fakePorts(aws),
        traffic: { recorded: () => Promise.resolve(undefined) },
      }),
    });
    try {
      const plan = await s.engine.plan(
        scalingPolicyRequest(s.platform, { group: 'store-web', metric: 'cpu', target: 50 }),
      );

      expect(plan.effectUnavailable).toBe(
        'No traffic of store-web was recorded in the last 7 days.',
      );
    } finally {
      s.store.close();
    }
  });
});

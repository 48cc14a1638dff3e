// The loop closes: what the Auto Scaling and CloudWatch writes store, the simulation does
// from then on (target tracking, step and simple policies, scheduled actions, size limits,
// the on-demand/spot mix), and the worker fleet's own policy scales with the day without
// flapping while a sale still pins it at its max.
import type { Dimension } from '@ballast/core';
import { describe, expect, it } from 'vitest';
import { Aggregate } from '../metrics/metric-store.js';
import { loadReferencePlatform } from '../platform/platform-config.js';
import { MINUTE_MS } from '../time.js';
import type { MetricAlarmDefinition } from './alarms.js';
import type { AutoScalingGroup } from './auto-scaling-group.js';
import type { TargetTrackingDefinition, TargetTrackingPolicy } from './scaling-policies.js';
import { Simulation, SPOT_WARNING_METRIC, type SimulationOptions } from './simulation.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const platform = loadReferencePlatform();
const simulate = (options: Partial<SimulationOptions> & { nowMs: number }) =>
  new Simulation({ platform, seed: 5, backfillDays: 0.5, coarseBackfillDays: 0, ...options });

/** A weekday evening, store time (US Eastern): the web tier busy, near its 70% target. */
const EVENING = Date.parse('2025-11-20T00:30:00Z');

function group(sim: Simulation, name: string): AutoScalingGroup {
  const g = sim.groups.get(name);
  if (!g) throw new Error(`no group ${name}`);
  return g;
}

/** A metric's per-minute values (Average) over [from, to). */
function minutes(
  sim: Simulation,
  namespace: string,
  name: string,
  dims: Dimension[],
  from: number,
  to: number,
) {
  const series = sim.store.get(namespace, name, dims);
  if (!series) throw new Error(`no series ${name}`);
  const a = new Aggregate();
  const out: number[] = [];
  for (let m = from / MINUTE_MS; m < to / MINUTE_MS; m++) {
    a.reset();
    series.addFineMinute(m, a);
    out.push(a.count > 0 ? a.sum / a.count : Number.NaN);
  }
  return out;
}

const cpuTarget = (target: number): TargetTrackingDefinition => ({
  policyType: 'TargetTrackingScaling',
  policyName: 'store-web-cpu70',
  targetValue: target,
  metric: { kind: 'predefined', type: 'ASGAverageCPUUtilization' },
  disableScaleIn: false,
  enabled: true,
});

describe('target tracking from the stored policy', () => {
  it('raises the web tier within the warm-up after its CPU target is lowered', () => {
    // Given the web tier on a busy evening, and the same simulation left alone
    const changed = simulate({ nowMs: EVENING });
    const control = simulate({ nowMs: EVENING });
    const web = group(changed, 'store-web');
    const t0 = changed.now;
    const before = { desired: web.desired, inService: web.count('InService') };
    // When the target drops from 70% to 50% (PutScalingPolicy on the same policy)
    const policy = changed.putScalingPolicy(web, cpuTarget(50), t0);
    expect(policy.arn).toBe(control.groups.get('store-web')!.policies.get('store-web-cpu70')!.arn);
    // Then within the warm-up (300 s) the group has asked for and put more capacity in service
    const warmup = web.defaultWarmupSeconds * 1000;
    changed.advanceTo(t0 + warmup);
    control.advanceTo(t0 + warmup);
    expect(web.desired).toBeGreaterThan(before.desired);
    expect(web.count('InService')).toBeGreaterThan(before.inService);
    expect(web.count('InService')).toBeGreaterThan(group(control, 'store-web').count('InService'));
    // And the alarm follows the new target; the scale-out names it
    const high = changed.alarms.find((a) =>
      a.name.startsWith('TargetTracking-store-web-AlarmHigh'),
    )!;
    expect(high.definition.threshold).toBe(50);
    expect(web.activities.at(-1)!.cause).toContain(
      `a monitor alarm ${high.name} in state ALARM triggered policy store-web-cpu70`,
    );
  });

  it('keeps CPU near a lowered target afterwards', () => {
    const sim = simulate({ nowMs: EVENING });
    const web = group(sim, 'store-web');
    sim.putScalingPolicy(web, cpuTarget(45), sim.now);
    const from = sim.now + HOUR;
    sim.advanceTo(from + HOUR);
    const dims = [{ name: 'AutoScalingGroupName', value: 'store-web' }];
    const cpu = minutes(sim, 'AWS/EC2', 'CPUUtilization', dims, from, from + HOUR);
    const mean = cpu.reduce((a, b) => a + b, 0) / cpu.length;
    expect(mean).toBeGreaterThan(30);
    expect(mean).toBeLessThan(52);
  });

  it('tracks ALB requests per target of the target group named by its ResourceLabel', () => {
    const sim = simulate({ nowMs: EVENING });
    const web = group(sim, 'store-web');
    sim.deleteScalingPolicy(web.policies.get('store-web-cpu70')!, sim.now);
    const before = web.desired;
    const perTarget = minutes(
      sim,
      'AWS/ApplicationELB',
      'RequestCountPerTarget',
      [{ name: 'TargetGroup', value: 'targetgroup/store-web/73e2d6bc24d8a067' }],
      sim.now - 5 * MINUTE_MS,
      sim.now,
    );
    const current = perTarget.reduce((a, b) => a + b, 0) / perTarget.length;
    sim.putScalingPolicy(
      web,
      {
        policyType: 'TargetTrackingScaling',
        policyName: 'requests-per-target',
        targetValue: Math.round(current / 2),
        metric: {
          kind: 'predefined',
          type: 'ALBRequestCountPerTarget',
          resourceLabel: 'app/store-alb/50dc6c495c0c9188/targetgroup/store-web/73e2d6bc24d8a067',
        },
        disableScaleIn: false,
        enabled: true,
      },
      sim.now,
    );
    sim.advanceTo(sim.now + 10 * MINUTE_MS);
    // Half the requests per target: about twice the targets.
    expect(web.desired).toBeGreaterThanOrEqual(Math.min(web.maxSize, 2 * before - 1));
  });

  it('does not scale in with DisableScaleIn, and has no AlarmLow', () => {
    const sim = simulate({ nowMs: EVENING });
    const web = group(sim, 'store-web');
    sim.putScalingPolicy(web, { ...cpuTarget(70), disableScaleIn: true }, sim.now);
    expect(sim.alarms.filter((a) => a.name.startsWith('TargetTracking-store-web-'))).toHaveLength(
      1,
    );
    // Through the night the load falls to a fifth: no scale-in activity at all.
    const peak = web.desired;
    const t0 = sim.now;
    sim.advanceTo(t0 + 8 * HOUR);
    expect(web.desired).toBeGreaterThanOrEqual(peak);
    expect(web.activities.some((a) => a.startTime > t0 && a.cause.includes('AlarmLow'))).toBe(
      false,
    );
  });

  it('deletes a target-tracking policy with its alarms, keeping their history readable', () => {
    const sim = simulate({ nowMs: EVENING });
    const web = group(sim, 'store-web');
    const policy = web.policies.get('store-web-cpu70')!;
    const names = sim.alarms
      .filter((a) => a.name.startsWith('TargetTracking-store-web'))
      .map((a) => a.name);
    sim.deleteScalingPolicy(policy, sim.now);
    expect(sim.alarms.map((a) => a.name)).not.toEqual(expect.arrayContaining(names));
    expect(sim.alarmsWithHistory.map((a) => a.name)).toEqual(expect.arrayContaining(names));
    // Without a policy the group stays where it is, whatever the load does.
    const desired = web.desired;
    sim.advanceTo(sim.now + 6 * HOUR);
    expect(web.desired).toBe(desired);
  });
  it('stops scaling when its alarms are deleted under it', () => {
    const sim = simulate({ nowMs: EVENING });
    const web = group(sim, 'store-web');
    // A low target puts AlarmHigh in ALARM; then its alarms are deleted, in that state.
    const policy = sim.putScalingPolicy(web, cpuTarget(20), sim.now) as TargetTrackingPolicy;
    sim.advanceTo(sim.now + 4 * MINUTE_MS);
    expect(policy.alarmHigh.state).toBe('ALARM');
    for (const alarm of policy.ownAlarms) sim.deleteAlarm(alarm, sim.now);
    const desired = web.desired;
    sim.advanceTo(sim.now + 2 * HOUR);
    expect(web.desired).toBe(desired);
  });
});

describe('step and simple scaling, invoked by alarms', () => {
  const alarmOnCpu = (
    threshold: number,
    actions: string[],
    now: number,
  ): MetricAlarmDefinition => ({
    name: 'web-cpu-step',
    metric: {
      namespace: 'AWS/EC2',
      metricName: 'CPUUtilization',
      dimensions: [{ name: 'AutoScalingGroupName', value: 'store-web' }],
      periodSeconds: 60,
      stat: 'Average',
    },
    periodSeconds: 60,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold,
    comparison: 'GreaterThanThreshold',
    treatMissingData: 'missing',
    alarmActions: actions,
    okActions: [],
    tier: 'web',
    createdAt: now,
  });

  /** The web tier on a busy evening, without its target-tracking policy. */
  const webAlone = () => {
    const sim = simulate({ nowMs: EVENING });
    const web = group(sim, 'store-web');
    sim.deleteScalingPolicy(web.policies.get('store-web-cpu70')!, sim.now);
    return { sim, web };
  };

  it('adds the step matching how far the metric is past the threshold, counting warming instances', () => {
    const { sim, web } = webAlone();
    const step = sim.putScalingPolicy(
      web,
      {
        policyType: 'StepScaling',
        policyName: 'cpu-steps',
        adjustmentType: 'ChangeInCapacity',
        stepAdjustments: [
          { lowerBound: 0, upperBound: 30, scalingAdjustment: 1 },
          { lowerBound: 30, scalingAdjustment: 3 },
        ],
        metricAggregationType: 'Average',
        estimatedInstanceWarmup: 300,
        enabled: true,
      },
      sim.now,
    );
    const before = web.desired;
    // CPU around 65%: 45 past a threshold of 20, the second step (+3).
    sim.putMetricAlarm(alarmOnCpu(20, [step.arn], sim.now));
    sim.advanceTo(sim.now + 2 * MINUTE_MS);
    expect(web.desired).toBe(before + 3);
    expect(web.activities.at(-1)!.cause).toContain(
      'a monitor alarm web-cpu-step in state ALARM triggered policy cpu-steps changing the desired capacity from',
    );
    // The alarm invokes it every minute, but the 3 warming instances already count.
    sim.advanceTo(sim.now + 2 * MINUTE_MS);
    expect(web.desired).toBe(before + 3);
  });

  it('stops when the policy is deleted: the alarm stays, without the action', () => {
    const { sim, web } = webAlone();
    const simple = sim.putScalingPolicy(
      web,
      {
        policyType: 'SimpleScaling',
        policyName: 'add-two',
        adjustmentType: 'ChangeInCapacity',
        scalingAdjustment: 2,
        cooldown: 600,
        enabled: true,
      },
      sim.now,
    );
    const before = web.desired;
    sim.putMetricAlarm(alarmOnCpu(10, [simple.arn], sim.now));
    // Simple scaling: one change, then its cooldown.
    sim.advanceTo(sim.now + 8 * MINUTE_MS);
    expect(web.desired).toBe(before + 2);
    sim.deleteScalingPolicy(simple, sim.now);
    expect(sim.alarm('web-cpu-step')!.definition.alarmActions).toEqual([]);
    sim.advanceTo(sim.now + 20 * MINUTE_MS);
    expect(web.desired).toBe(before + 2);
  });
});

describe('scheduled actions', () => {
  it('run once at their start time, then are gone', () => {
    const sim = simulate({ nowMs: EVENING });
    const workers = group(sim, 'store-workers');
    const t0 = sim.now;
    sim.putScheduledAction(
      workers,
      {
        name: 'pre-warm',
        startTime: t0 + 10 * MINUTE_MS,
        minSize: 25,
        maxSize: 40,
        desiredCapacity: 30,
      },
      t0,
    );
    sim.advanceTo(t0 + 9 * MINUTE_MS);
    expect(workers.maxSize).toBe(20);
    sim.advanceTo(t0 + 11 * MINUTE_MS);
    expect({ min: workers.minSize, max: workers.maxSize }).toEqual({ min: 25, max: 40 });
    expect(workers.desired).toBeGreaterThanOrEqual(30);
    expect(workers.scheduledActions.size).toBe(0);
    expect(workers.activities.at(-1)!.cause).toContain(
      'a scheduled action update of AutoScalingGroup constraints to min: 25, max: 40, desired: 30 changing the desired capacity from',
    );
  });

  it('recur on their cron in their time zone until their end time', () => {
    const sim = simulate({ nowMs: EVENING });
    const web = group(sim, 'store-web');
    const t0 = sim.now;
    // 07:00 in New York is 12:00 UTC in November (EST).
    const action = sim.putScheduledAction(
      web,
      {
        name: 'mornings',
        recurrence: '0 7 * * *',
        timeZone: 'America/New_York',
        minSize: 6,
        endTime: t0 + 2 * DAY,
      },
      t0,
    );
    const firstRun = Date.parse('2025-11-20T12:00:00Z');
    expect(action.nextRun).toBe(firstRun);
    sim.advanceTo(firstRun - MINUTE_MS);
    expect(web.minSize).toBe(2);
    sim.advanceTo(firstRun + MINUTE_MS);
    expect(web.minSize).toBe(6);
    expect(action.nextRun).toBe(firstRun + DAY);
    sim.advanceTo(firstRun + DAY + MINUTE_MS);
    // Its end time falls before a third run.
    expect(web.scheduledActions.has('mornings')).toBe(false);
  });
});

describe('the on-demand/spot mix and spot interruptions', () => {
  it('moves the fleet to a new mix gradually, launching before terminating', () => {
    const sim = simulate({ nowMs: EVENING });
    const workers = group(sim, 'store-workers');
    const size = workers.desired;
    workers.spec.distribution = {
      ...workers.spec.distribution,
      onDemandPercentageAboveBaseCapacity: 50,
    };
    sim.applyNow(workers, sim.now);
    const live = () => workers.instances.filter((i) => i.state !== 'Terminating');
    const onDemand = () => live().filter((i) => i.purchase === 'on-demand').length;
    expect(onDemand()).toBeGreaterThan(0);
    expect(onDemand()).toBeLessThan(Math.ceil(size / 2));
    sim.advanceTo(sim.now + HOUR);
    expect(onDemand()).toBe(Math.ceil(live().length / 2));
    expect(
      workers.activities.some((a) =>
        a.cause.includes('in order to meet the On-Demand and Spot distribution'),
      ),
    ).toBe(true);
  });

  it('publishes a spot interruption warning metric for every group', () => {
    const sim = simulate({ nowMs: EVENING });
    for (const name of ['store-web', 'store-workers']) {
      const dims = [{ name: 'AutoScalingGroupName', value: name }];
      const values = minutes(
        sim,
        SPOT_WARNING_METRIC.namespace,
        SPOT_WARNING_METRIC.metricName,
        dims,
        sim.now - HOUR,
        sim.now,
      );
      expect(values.every((v) => v >= 0)).toBe(true);
    }
  });
});

describe("the worker fleet's own policy", () => {
  it('follows the day without flapping', () => {
    // An ordinary week, no sale: two whole store days.
    const sim = simulate({
      nowMs: Date.parse('2025-11-13T05:00:00Z'),
      backfillDays: 3,
      blackFriday: false,
    });
    const workers = group(sim, 'store-workers');
    const from = sim.now - 2 * DAY;
    const activities = workers.activities.filter((a) => a.startTime >= from).length;
    // It flapped at about 150 activities a day when its backlog tracking also scaled in.
    expect(activities / 2).toBeLessThan(60);
    const dims = [{ name: 'AutoScalingGroupName', value: 'store-workers' }];
    const desired = minutes(sim, 'AWS/AutoScaling', 'GroupDesiredCapacity', dims, from, sim.now);
    expect(Math.max(...desired) - Math.min(...desired)).toBeGreaterThanOrEqual(8);
    // And the queue stays short but for the odd bulk upload: under 5 minutes 95% of the time.
    const age = minutes(
      sim,
      'AWS/SQS',
      'ApproximateAgeOfOldestMessage',
      [{ name: 'QueueName', value: 'model-jobs' }],
      from,
      sim.now,
    ).sort((a, b) => a - b);
    expect(age[Math.floor(age.length * 0.95)]).toBeLessThan(300);
  });
});

// A target-tracking scaling policy as EC2 Auto Scaling runs it: two CloudWatch alarms it
// owns (AlarmHigh: 3 of 3 minutes above target; AlarmLow: 15 of 15 below 90% of target),
// fast scale-out that ignores warming instances, and gradual scale-in after a cooldown.
import { targetTrackingCapacity } from '@ballast/core';
import type { Random } from '../random.js';
import { SECOND_MS } from '../time.js';
import {
  MetricAlarm,
  type AlarmMathQuery,
  type DatapointSource,
  type MetricStatSpec,
} from './alarms.js';
import type { AutoScalingGroup } from './auto-scaling-group.js';

export interface TargetTrackingSpec {
  policyName: string;
  targetValue: number;
  /** the tracked metric: a plain metric, or metric math whose last query is the result */
  metric: MetricStatSpec | { math: AlarmMathQuery[] };
  scaleInCooldownSeconds: number;
  /** largest share of the group removed by one scale-in */
  maxScaleInFraction: number;
}

export class TargetTrackingPolicy {
  readonly arn: string;
  readonly alarmHigh: MetricAlarm;
  readonly alarmLow: MetricAlarm;
  private readonly scaleOutReason: string;
  private readonly scaleInReason: string;

  constructor(
    readonly group: AutoScalingGroup,
    readonly spec: TargetTrackingSpec,
    context: {
      source: DatapointSource;
      region: string;
      accountId: string;
      random: Random;
      createdAt: number;
    },
  ) {
    const { region, accountId, random, createdAt, source } = context;
    const groupName = group.name;
    this.arn = `arn:aws:autoscaling:${region}:${accountId}:scalingPolicy:${random.uuid()}:autoScalingGroupName/${groupName}:policyName/${spec.policyName}`;
    const metricFields =
      'math' in spec.metric ? { metrics: spec.metric.math } : { metric: spec.metric };
    const periodSeconds = 'math' in spec.metric ? 60 : spec.metric.periodSeconds;
    const common = {
      description: `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${this.arn}.`,
      ...metricFields,
      periodSeconds,
      treatMissingData: 'missing' as const,
      alarmActions: [this.arn],
      okActions: [],
      tier: group.spec.tier,
      createdAt,
    };
    const alarmArn = (name: string) => `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
    const highName = `TargetTracking-${groupName}-AlarmHigh-${random.uuid()}`;
    const lowName = `TargetTracking-${groupName}-AlarmLow-${random.uuid()}`;
    this.alarmHigh = new MetricAlarm(
      {
        ...common,
        name: highName,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        threshold: spec.targetValue,
        comparison: 'GreaterThanThreshold',
      },
      source,
      alarmArn(highName),
    );
    this.alarmLow = new MetricAlarm(
      {
        ...common,
        name: lowName,
        evaluationPeriods: 15,
        datapointsToAlarm: 15,
        threshold: round6(spec.targetValue * 0.9),
        comparison: 'LessThanThreshold',
      },
      source,
      alarmArn(lowName),
    );
    const reason = (alarm: MetricAlarm) =>
      `a monitor alarm ${alarm.name} in state ALARM triggered policy ${spec.policyName}`;
    this.scaleOutReason = reason(this.alarmHigh);
    this.scaleInReason = reason(this.alarmLow);
  }

  /** Act on the alarms' current states; call after they were evaluated. */
  act(now: number): void {
    const g = this.group;
    const bounds = {
      minCapacity: g.minSize,
      maxCapacity: g.maxSize,
      targetValue: this.spec.targetValue,
    };

    const high = this.alarmHigh.latestValue;
    if (this.alarmHigh.state === 'ALARM' && high !== undefined) {
      // Warming instances already count in the desired capacity but not in the metric basis,
      // so a policy that is still waiting for them does not scale out again.
      const basis = g.warmCount(now) || g.count('InService');
      const wanted = targetTrackingCapacity({
        ...bounds,
        currentCapacity: basis,
        metricValue: high,
      });
      if (wanted > g.desired) g.setDesiredCapacity(now, wanted, this.scaleOutReason);
      return;
    }

    const low = this.alarmLow.latestValue;
    const cooldown = this.spec.scaleInCooldownSeconds * SECOND_MS;
    const sinceLastScaling = now - Math.max(g.lastScaleInAt, g.lastScaleOutAt);
    if (
      this.alarmLow.state === 'ALARM' &&
      low !== undefined &&
      g.warmingCount(now) === 0 &&
      sinceLastScaling >= cooldown
    ) {
      const wanted = targetTrackingCapacity({
        ...bounds,
        currentCapacity: g.count('InService'),
        metricValue: low,
      });
      const gradual = g.desired - Math.max(1, Math.floor(g.desired * this.spec.maxScaleInFraction));
      const next = Math.max(wanted, gradual);
      if (next < g.desired) g.setDesiredCapacity(now, next, this.scaleInReason);
    }
  }
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

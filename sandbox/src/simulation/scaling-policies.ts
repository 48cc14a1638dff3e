// Scaling policies as EC2 Auto Scaling runs them, from what PutScalingPolicy stored:
// - target tracking: two CloudWatch alarms the policy owns (AlarmHigh: 3 of 3 minutes above
//   the target; AlarmLow: 15 of 15 below 90% of it, not created when scale-in is disabled),
//   fast scale-out that ignores instances still in their warm-up, and gradual scale-in once
//   nothing is warming and the warm-up has passed since the last change. Several on one
//   group: any may scale out, all (with scale-in enabled) must agree to scale in;
// - step scaling: invoked by a CloudWatch alarm naming it in its actions, once a minute while
//   the alarm stays in that state, the step chosen by how far the metric is past the
//   threshold; instances still warming count towards a scale-out already asked for;
// - simple scaling: one adjustment per alarm, then nothing until its cooldown has passed.
import { targetTrackingCapacity, type Dimension } from '@ballast/core';
import { SECOND_MS } from '../time.js';
import type {
  AlarmMathQuery,
  MetricAlarm,
  MetricAlarmDefinition,
  MetricStatSpec,
} from './alarms.js';
import type { AutoScalingGroup } from './auto-scaling-group.js';

export const POLICY_TYPES = ['SimpleScaling', 'StepScaling', 'TargetTrackingScaling'] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];
export const ADJUSTMENT_TYPES = [
  'ChangeInCapacity',
  'ExactCapacity',
  'PercentChangeInCapacity',
] as const;
export type AdjustmentType = (typeof ADJUSTMENT_TYPES)[number];
export const METRIC_AGGREGATION_TYPES = ['Minimum', 'Maximum', 'Average'] as const;
export type MetricAggregationType = (typeof METRIC_AGGREGATION_TYPES)[number];
export const PREDEFINED_METRIC_TYPES = [
  'ASGAverageCPUUtilization',
  'ASGAverageNetworkIn',
  'ASGAverageNetworkOut',
  'ALBRequestCountPerTarget',
] as const;
export type PredefinedMetricType = (typeof PREDEFINED_METRIC_TYPES)[number];

/** What a target-tracking policy tracks. */
export type TrackedMetric =
  | { kind: 'predefined'; type: PredefinedMetricType; resourceLabel?: string }
  /** a customized metric: one metric and statistic (period 60 s) */
  | { kind: 'metric'; metric: MetricStatSpec }
  /** a customized metric as metric math: the query with returnData is the tracked value */
  | { kind: 'math'; queries: AlarmMathQuery[] };

export interface TargetTrackingDefinition {
  policyType: 'TargetTrackingScaling';
  policyName: string;
  targetValue: number;
  metric: TrackedMetric;
  disableScaleIn: boolean;
  /** seconds; undefined: the group's default instance warm-up */
  estimatedInstanceWarmup?: number;
  enabled: boolean;
}

export interface StepAdjustment {
  /** difference from the alarm threshold; undefined: minus infinity */
  lowerBound?: number;
  /** undefined: plus infinity */
  upperBound?: number;
  scalingAdjustment: number;
}

export interface StepScalingDefinition {
  policyType: 'StepScaling';
  policyName: string;
  adjustmentType: AdjustmentType;
  stepAdjustments: StepAdjustment[];
  /** undefined: Average */
  metricAggregationType?: MetricAggregationType;
  minAdjustmentMagnitude?: number;
  estimatedInstanceWarmup?: number;
  enabled: boolean;
}

export interface SimpleScalingDefinition {
  policyType: 'SimpleScaling';
  policyName: string;
  adjustmentType: AdjustmentType;
  scalingAdjustment: number;
  /** seconds; undefined: the group's default cooldown */
  cooldown?: number;
  minAdjustmentMagnitude?: number;
  enabled: boolean;
}

export type PolicyDefinition =
  TargetTrackingDefinition | StepScalingDefinition | SimpleScalingDefinition;

/** How a policy creates and updates the alarms it owns (the simulation keeps the registry). */
export interface AlarmFactory {
  create(definition: MetricAlarmDefinition): MetricAlarm;
  reconfigure(alarm: MetricAlarm, definition: MetricAlarmDefinition): void;
  /** a new alarm-name suffix (AWS uses a UUID) */
  uuid(): string;
}

/** The metric a predefined metric type stands for, for a group. */
export function predefinedMetric(
  type: PredefinedMetricType,
  group: string,
  resourceLabel: string | undefined,
): MetricStatSpec {
  const byGroup: Dimension[] = [{ name: 'AutoScalingGroupName', value: group }];
  switch (type) {
    case 'ASGAverageCPUUtilization':
      return ec2(byGroup, 'CPUUtilization');
    case 'ASGAverageNetworkIn':
      return ec2(byGroup, 'NetworkIn');
    case 'ASGAverageNetworkOut':
      return ec2(byGroup, 'NetworkOut');
    case 'ALBRequestCountPerTarget':
      return {
        namespace: 'AWS/ApplicationELB',
        metricName: 'RequestCountPerTarget',
        dimensions: [{ name: 'TargetGroup', value: targetGroupOfLabel(resourceLabel ?? '') }],
        periodSeconds: 60,
        stat: 'Sum',
      };
  }
}

function ec2(dimensions: Dimension[], metricName: string): MetricStatSpec {
  return { namespace: 'AWS/EC2', metricName, dimensions, periodSeconds: 60, stat: 'Average' };
}

/**
 * The target group of a ResourceLabel, app/<lb>/<id>/targetgroup/<tg>/<id>: its
 * "targetgroup/<tg>/<id>" half, as the RequestCountPerTarget dimension names it.
 */
export function targetGroupOfLabel(label: string): string {
  const at = label.indexOf('/targetgroup/');
  return at < 0 ? '' : label.slice(at + 1);
}

/** The alarm fields of a tracked metric: one metric, or metric math. */
function alarmMetric(
  metric: TrackedMetric,
  group: string,
): Pick<MetricAlarmDefinition, 'metric' | 'metrics'> {
  switch (metric.kind) {
    case 'predefined':
      return { metric: predefinedMetric(metric.type, group, metric.resourceLabel) };
    case 'metric':
      return { metric: metric.metric };
    case 'math':
      return { metrics: metric.queries };
  }
}

const policyArnOf = (group: AutoScalingGroup, name: string, uuid: string, region: string) => {
  const account = group.arn.split(':')[4];
  return `arn:aws:autoscaling:${region}:${account}:scalingPolicy:${uuid}:autoScalingGroupName/${group.name}:policyName/${name}`;
};

/** What every policy has. */
abstract class Policy<D extends PolicyDefinition> {
  readonly arn: string;

  constructor(
    readonly group: AutoScalingGroup,
    public definition: D,
    uuid: string,
    readonly region: string,
  ) {
    this.arn = policyArnOf(group, definition.policyName, uuid, region);
  }

  get name(): string {
    return this.definition.policyName;
  }

  /** Seconds a new instance takes to count: the policy's warm-up, else the group's. */
  get warmupSeconds(): number {
    const d = this.definition;
    return (
      ('estimatedInstanceWarmup' in d ? d.estimatedInstanceWarmup : undefined) ??
      this.group.defaultWarmupSeconds
    );
  }

  protected reasonFor(alarm: MetricAlarm): string {
    return `a monitor alarm ${alarm.name} in state ${alarm.state} triggered policy ${this.name}`;
  }
}

export class TargetTrackingPolicy extends Policy<TargetTrackingDefinition> {
  readonly kind = 'target-tracking';
  readonly alarmHigh: MetricAlarm;
  alarmLow: MetricAlarm | undefined;

  constructor(
    group: AutoScalingGroup,
    definition: TargetTrackingDefinition,
    private readonly alarms: AlarmFactory,
    context: { region: string; createdAt: number },
  ) {
    super(group, definition, alarms.uuid(), context.region);
    this.alarmHigh = alarms.create(
      this.alarmDefinition('high', context.createdAt, this.alarmName('High')),
    );
    if (!definition.disableScaleIn)
      this.alarmLow = alarms.create(
        this.alarmDefinition('low', context.createdAt, this.alarmName('Low')),
      );
  }

  private alarmName(which: 'High' | 'Low'): string {
    return `TargetTracking-${this.group.name}-Alarm${which}-${this.alarms.uuid()}`;
  }

  /** The alarms the policy owns, AlarmHigh first. */
  get ownAlarms(): MetricAlarm[] {
    return this.alarmLow ? [this.alarmHigh, this.alarmLow] : [this.alarmHigh];
  }

  /**
   * A new definition (PutScalingPolicy on an existing name): the alarms keep their names and
   * follow the new target and metric; AlarmLow comes or goes with DisableScaleIn. Returns
   * the alarms added and removed, for the simulation's registry.
   */
  update(
    definition: TargetTrackingDefinition,
    now: number,
  ): { added: MetricAlarm[]; removed: MetricAlarm[] } {
    this.definition = definition;
    const added: MetricAlarm[] = [];
    const removed: MetricAlarm[] = [];
    this.alarms.reconfigure(this.alarmHigh, this.alarmDefinition('high', now, this.alarmHigh.name));
    if (definition.disableScaleIn && this.alarmLow) {
      removed.push(this.alarmLow);
      this.alarmLow = undefined;
    } else if (!definition.disableScaleIn) {
      if (this.alarmLow)
        this.alarms.reconfigure(
          this.alarmLow,
          this.alarmDefinition('low', now, this.alarmLow.name),
        );
      else {
        this.alarmLow = this.alarms.create(this.alarmDefinition('low', now, this.alarmName('Low')));
        added.push(this.alarmLow);
      }
    }
    return { added, removed };
  }

  private alarmDefinition(
    which: 'high' | 'low',
    createdAt: number,
    name: string,
  ): MetricAlarmDefinition {
    const d = this.definition;
    const fields = alarmMetric(d.metric, this.group.name);
    return {
      name,
      description: `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${this.arn}.`,
      ...fields,
      periodSeconds: fields.metric?.periodSeconds ?? 60,
      treatMissingData: 'missing',
      alarmActions: [this.arn],
      okActions: [],
      tier: this.group.spec.tier,
      createdAt,
      ...(which === 'high'
        ? {
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            threshold: d.targetValue,
            comparison: 'GreaterThanThreshold',
          }
        : {
            evaluationPeriods: 15,
            datapointsToAlarm: 15,
            threshold: round6(d.targetValue * 0.9),
            comparison: 'LessThanThreshold',
          }),
    };
  }

  /**
   * The capacity this policy asks for now to scale out, if it does: the metric on the
   * instances past their warm-up (the warming ones are already in the desired capacity).
   */
  scaleOut(now: number): number | undefined {
    const g = this.group;
    const high = this.alarmHigh.latestValue;
    // An alarm deleted under the policy (DeleteAlarms) no longer drives it.
    if (
      !this.definition.enabled ||
      this.alarmHigh.deleted ||
      this.alarmHigh.state !== 'ALARM' ||
      high === undefined
    )
      return undefined;
    const basis = g.warmCount(now, this.warmupSeconds) || g.count('InService');
    const wanted = targetTrackingCapacity({
      minCapacity: g.minSize,
      maxCapacity: g.maxSize,
      targetValue: this.definition.targetValue,
      currentCapacity: basis,
      metricValue: Math.max(0, high),
    });
    return wanted > g.desired ? wanted : undefined;
  }

  /**
   * The capacity this policy would scale in to, if it would: after AlarmLow, with nothing
   * warming and a warm-up since the last change; at most a tenth of the group at a time.
   */
  scaleIn(now: number): number | undefined {
    const g = this.group;
    const low = this.alarmLow?.latestValue;
    if (
      !this.definition.enabled ||
      !this.alarmLow ||
      this.alarmLow.deleted ||
      this.alarmLow.state !== 'ALARM' ||
      low === undefined ||
      g.warmingCount(now, this.warmupSeconds) > 0 ||
      now - g.lastScalingAt < this.warmupSeconds * SECOND_MS
    )
      return undefined;
    const wanted = targetTrackingCapacity({
      minCapacity: g.minSize,
      maxCapacity: g.maxSize,
      targetValue: this.definition.targetValue,
      currentCapacity: g.count('InService'),
      metricValue: Math.max(0, low),
    });
    const gradual = g.desired - Math.max(1, Math.floor(g.desired * MAX_SCALE_IN_FRACTION));
    const next = Math.max(wanted, gradual);
    return next < g.desired ? next : undefined;
  }

  scaleOutReason(): string {
    return this.reasonFor(this.alarmHigh);
  }

  scaleInReason(): string {
    return this.reasonFor(this.alarmLow ?? this.alarmHigh);
  }
}

/** Largest share of a group one target-tracking scale-in removes. */
const MAX_SCALE_IN_FRACTION = 0.1;

/**
 * Apply a group's target-tracking policies for this minute: the largest scale-out any asks
 * for, else a scale-in when every policy with scale-in enabled asks for one (to the largest).
 */
export function applyTargetTracking(
  group: AutoScalingGroup,
  policies: readonly TargetTrackingPolicy[],
  now: number,
): void {
  if (policies.length === 0) return;
  let out: { capacity: number; policy: TargetTrackingPolicy } | undefined;
  for (const p of policies) {
    const capacity = p.scaleOut(now);
    if (capacity !== undefined && (!out || capacity > out.capacity)) out = { capacity, policy: p };
  }
  if (out) {
    group.setDesiredCapacity(now, out.capacity, out.policy.scaleOutReason());
    return;
  }
  const voters = policies.filter((p) => p.definition.enabled && !p.definition.disableScaleIn);
  if (voters.length === 0) return;
  let into: { capacity: number; policy: TargetTrackingPolicy } | undefined;
  for (const p of voters) {
    const capacity = p.scaleIn(now);
    if (capacity === undefined) return;
    if (!into || capacity > into.capacity) into = { capacity, policy: p };
  }
  if (into) group.setDesiredCapacity(now, into.capacity, into.policy.scaleInReason());
}

/** Step and simple scaling: run by the alarms whose actions name them. */
export class AlarmDrivenPolicy extends Policy<StepScalingDefinition | SimpleScalingDefinition> {
  readonly kind = 'alarm-driven';
  /** when this (simple) policy last changed the capacity */
  private lastActionAt = -Infinity;

  constructor(
    group: AutoScalingGroup,
    definition: StepScalingDefinition | SimpleScalingDefinition,
    uuid: string,
    region: string,
  ) {
    super(group, definition, uuid, region);
  }

  update(definition: StepScalingDefinition | SimpleScalingDefinition): void {
    this.definition = definition;
  }

  /** An alarm naming this policy is in the state that invokes it (once a minute). */
  onAlarm(alarm: MetricAlarm, now: number): void {
    const d = this.definition;
    const g = this.group;
    if (!d.enabled) return;
    let adjustment: number;
    if (d.policyType === 'SimpleScaling') {
      // One change, then nothing until it is done and the cooldown has passed.
      const cooldown = (d.cooldown ?? g.spec.defaultCooldown) * SECOND_MS;
      if (now - this.lastActionAt < cooldown || g.activityInProgress(now)) return;
      adjustment = d.scalingAdjustment;
    } else {
      const values = alarm.recentValues();
      if (values.length === 0) return;
      const value = aggregate(values, d.metricAggregationType ?? 'Average');
      const above = alarm.definition.comparison.startsWith('Greater');
      const step = stepFor(d.stepAdjustments, value - alarm.definition.threshold, above);
      if (!step) return;
      adjustment = step.scalingAdjustment;
    }
    // A scale-out counts the instances still warming as already asked for.
    const warming = d.policyType === 'StepScaling' ? g.warmingCount(now, this.warmupSeconds) : 0;
    const growing = d.adjustmentType === 'ExactCapacity' ? adjustment > g.desired : adjustment > 0;
    const base = growing ? Math.max(0, g.desired - warming) : g.desired;
    const wanted = adjusted(base, d.adjustmentType, adjustment, d.minAdjustmentMagnitude);
    if (growing ? wanted > g.desired : wanted < g.desired) {
      if (g.setDesiredCapacity(now, wanted, this.reasonFor(alarm))) this.lastActionAt = now;
    }
  }
}

export type ScalingPolicy = TargetTrackingPolicy | AlarmDrivenPolicy;

/**
 * The step whose interval holds the difference from the threshold. Above the threshold the
 * lower bound is inclusive and the upper exclusive; below it, the other way round.
 */
export function stepFor(
  steps: readonly StepAdjustment[],
  difference: number,
  above: boolean,
): StepAdjustment | undefined {
  return steps.find((s) => {
    const lower = s.lowerBound ?? -Infinity;
    const upper = s.upperBound ?? Infinity;
    return above
      ? difference >= lower && difference < upper
      : difference > lower && difference <= upper;
  });
}

/**
 * Capacity after an adjustment. A percentage change is rounded as Auto Scaling rounds it
 * (above 1 down, between 0 and 1 to 1, between -1 and 0 to -1, below -1 up) and made at
 * least MinAdjustmentMagnitude.
 */
export function adjusted(
  capacity: number,
  type: AdjustmentType,
  adjustment: number,
  minMagnitude: number | undefined,
): number {
  switch (type) {
    case 'ExactCapacity':
      return adjustment;
    case 'ChangeInCapacity':
      return capacity + adjustment;
    case 'PercentChangeInCapacity': {
      const raw = (capacity * adjustment) / 100;
      let change =
        raw > 1 ? Math.floor(raw) : raw > 0 ? 1 : raw === 0 ? 0 : raw > -1 ? -1 : Math.ceil(raw);
      if (minMagnitude !== undefined && change !== 0 && Math.abs(change) < minMagnitude)
        change = Math.sign(change) * minMagnitude;
      return capacity + change;
    }
  }
}

function aggregate(values: number[], type: MetricAggregationType): number {
  switch (type) {
    case 'Minimum':
      return Math.min(...values);
    case 'Maximum':
      return Math.max(...values);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
  }
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

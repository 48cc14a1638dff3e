// Scaling policies over the Query protocol: PutScalingPolicy (target tracking on a
// predefined metric, a customized metric or metric math; step; simple), DescribePolicies and
// DeletePolicy, with EC2 Auto Scaling's validation and its limit of 50 policies a group.
import { z } from 'zod';
import type { AutoScalingGroup } from '../simulation/auto-scaling-group.js';
import {
  ADJUSTMENT_TYPES,
  METRIC_AGGREGATION_TYPES,
  PREDEFINED_METRIC_TYPES,
  predefinedMetric,
  TargetTrackingPolicy,
  targetGroupOfLabel,
  type AdjustmentType,
  type PolicyDefinition,
  type ScalingPolicy,
  type StepAdjustment,
  type TrackedMetric,
} from '../simulation/scaling-policies.js';
import {
  groupFor,
  limitExceeded,
  maxRecords,
  nameList,
  page,
  type AutoScalingContext,
} from './auto-scaling-common.js';
import { checkedMathQueries } from './metric-math-queries.js';
import { validationError } from './protocol.js';
import { parseQuery, qBool, qDouble, qInt, qList, qString } from './query-input.js';
import type { QueryParams } from './query-params.js';
import { el, fragment, members, type XmlFragment } from './xml.js';

/** Scaling policies per Auto Scaling group (the service quota). */
export const MAX_POLICIES_PER_GROUP = 50;
/** Step adjustments per step scaling policy (the service quota). */
const MAX_STEP_ADJUSTMENTS = 20;

// ---------------------------------------------------------------- PutScalingPolicy

const Dimension = z.object({ Name: qString(1, 255), Value: qString(1, 1024) });
const Metric = z.object({
  Namespace: qString(1, 255),
  MetricName: qString(1, 255),
  Dimensions: qList(Dimension, 30).optional(),
});
const MetricDataQuery = z.object({
  Id: qString(1, 64),
  Expression: qString(1, 2047).optional(),
  MetricStat: z
    .object({
      Metric,
      Stat: qString(1, 100),
      Unit: qString(1, 32).optional(),
      Period: qInt(1).optional(),
    })
    .optional(),
  Label: qString(0, 2047).optional(),
  Period: qInt(1).optional(),
  ReturnData: qBool().optional(),
});
const TargetTrackingConfiguration = z.object({
  PredefinedMetricSpecification: z
    .object({
      PredefinedMetricType: z.enum(PREDEFINED_METRIC_TYPES),
      ResourceLabel: qString(1, 1023).optional(),
    })
    .optional(),
  CustomizedMetricSpecification: z
    .object({
      MetricName: qString(1, 255).optional(),
      Namespace: qString(1, 255).optional(),
      Dimensions: qList(Dimension, 30).optional(),
      Statistic: z.enum(['Average', 'Minimum', 'Maximum', 'SampleCount', 'Sum']).optional(),
      Unit: qString(1, 32).optional(),
      Period: qInt(1).optional(),
      Metrics: qList(MetricDataQuery, 10).optional(),
    })
    .optional(),
  TargetValue: qDouble(),
  DisableScaleIn: qBool().optional(),
});
const PutScalingPolicyInput = z.object({
  AutoScalingGroupName: qString(1, 255),
  PolicyName: qString(1, 255),
  PolicyType: qString(1, 64).optional(),
  AdjustmentType: qString(1, 255).optional(),
  MinAdjustmentStep: qInt().optional(),
  MinAdjustmentMagnitude: qInt().optional(),
  ScalingAdjustment: qInt().optional(),
  Cooldown: qInt(0).optional(),
  MetricAggregationType: qString(1, 32).optional(),
  StepAdjustments: qList(
    z.object({
      MetricIntervalLowerBound: qDouble().optional(),
      MetricIntervalUpperBound: qDouble().optional(),
      ScalingAdjustment: qInt(),
    }),
  ).optional(),
  EstimatedInstanceWarmup: qInt(0).optional(),
  TargetTrackingConfiguration: TargetTrackingConfiguration.optional(),
  Enabled: qBool().optional(),
  PredictiveScalingConfiguration: z.unknown().optional(),
});
type PutScalingPolicyInput = z.infer<typeof PutScalingPolicyInput>;

export function putScalingPolicy(params: QueryParams, ctx: AutoScalingContext): string {
  const input = parseQuery(PutScalingPolicyInput, params, Object.keys(PutScalingPolicyInput.shape));
  const group = groupFor(ctx, input.AutoScalingGroupName);
  const definition = policyDefinition(input, group);
  if (!group.policies.has(definition.policyName) && group.policies.size >= MAX_POLICIES_PER_GROUP)
    throw limitExceeded(
      `The number of scaling policies of Auto Scaling group ${group.name} has reached its limit of ${MAX_POLICIES_PER_GROUP}.`,
    );
  const policy = ctx.simulation.putScalingPolicy(group, definition, ctx.now);
  // Alarms: those the policy created, which only target tracking does.
  return (
    el('PolicyARN', policy.arn) +
    (policy instanceof TargetTrackingPolicy ? alarmsXml(ctx, policy) : '')
  );
}

const TYPES = ['SimpleScaling', 'StepScaling', 'TargetTrackingScaling', 'PredictiveScaling'];

/** The fields each policy type takes; any other given is refused. */
const FIELDS_OF: Record<string, readonly (keyof PutScalingPolicyInput)[]> = {
  TargetTrackingScaling: ['TargetTrackingConfiguration', 'EstimatedInstanceWarmup'],
  StepScaling: [
    'AdjustmentType',
    'MinAdjustmentStep',
    'MinAdjustmentMagnitude',
    'MetricAggregationType',
    'StepAdjustments',
    'EstimatedInstanceWarmup',
  ],
  SimpleScaling: [
    'AdjustmentType',
    'MinAdjustmentStep',
    'MinAdjustmentMagnitude',
    'ScalingAdjustment',
    'Cooldown',
  ],
};
const TYPED_FIELDS = [
  'AdjustmentType',
  'MinAdjustmentStep',
  'MinAdjustmentMagnitude',
  'ScalingAdjustment',
  'Cooldown',
  'MetricAggregationType',
  'StepAdjustments',
  'EstimatedInstanceWarmup',
  'TargetTrackingConfiguration',
] as const;

function policyDefinition(input: PutScalingPolicyInput, group: AutoScalingGroup): PolicyDefinition {
  const type = input.PolicyType ?? 'SimpleScaling';
  if (!TYPES.includes(type))
    throw validationError(
      `Invalid policy type: ${type}. Valid policy types are SimpleScaling, StepScaling, TargetTrackingScaling and PredictiveScaling.`,
    );
  if (type === 'PredictiveScaling' || input.PredictiveScalingConfiguration !== undefined)
    throw validationError(
      'The Ballast sandbox does not emulate predictive scaling policies: use TargetTrackingScaling, StepScaling or SimpleScaling.',
    );
  for (const field of TYPED_FIELDS)
    if (input[field] !== undefined && !FIELDS_OF[type]!.includes(field))
      throw validationError(`${field} is not supported for policy type ${type}.`);
  const enabled = input.Enabled ?? true;
  const policyName = input.PolicyName;

  if (type === 'TargetTrackingScaling') {
    const tt = input.TargetTrackingConfiguration;
    if (!tt)
      throw validationError(
        'TargetTrackingConfiguration is required for policy type TargetTrackingScaling.',
      );
    if (!(tt.TargetValue > 0))
      throw validationError(`TargetValue must be greater than 0, not ${tt.TargetValue}.`);
    const metric = trackedMetric(tt, group);
    const duplicate = [...group.policies.values()].find(
      (p) =>
        p instanceof TargetTrackingPolicy &&
        p.name !== policyName &&
        sameMetric(p.definition.metric, metric, group.name),
    );
    if (duplicate)
      throw validationError(
        'Only one TargetTrackingScaling policy for a given metric specification is allowed.',
      );
    return {
      policyType: 'TargetTrackingScaling',
      policyName,
      targetValue: tt.TargetValue,
      metric,
      disableScaleIn: tt.DisableScaleIn ?? false,
      ...(input.EstimatedInstanceWarmup !== undefined
        ? { estimatedInstanceWarmup: input.EstimatedInstanceWarmup }
        : {}),
      enabled,
    };
  }

  const adjustmentType = input.AdjustmentType;
  if (adjustmentType === undefined)
    throw validationError(`AdjustmentType is required for policy type ${type}.`);
  if (!(ADJUSTMENT_TYPES as readonly string[]).includes(adjustmentType))
    throw validationError(
      `Invalid adjustment type: ${adjustmentType}. Valid adjustment types are ChangeInCapacity, ExactCapacity and PercentChangeInCapacity.`,
    );
  const minMagnitude = input.MinAdjustmentMagnitude ?? input.MinAdjustmentStep;
  if (minMagnitude !== undefined) {
    if (adjustmentType !== 'PercentChangeInCapacity')
      throw validationError(
        'MinAdjustmentMagnitude is valid only with the adjustment type PercentChangeInCapacity.',
      );
    if (minMagnitude < 1)
      throw validationError(`MinAdjustmentMagnitude must be at least 1, not ${minMagnitude}.`);
  }
  const common = {
    policyName,
    adjustmentType: adjustmentType as AdjustmentType,
    ...(minMagnitude !== undefined ? { minAdjustmentMagnitude: minMagnitude } : {}),
    enabled,
  };

  if (type === 'StepScaling') {
    const steps = stepAdjustments(input, adjustmentType as AdjustmentType);
    const aggregation = input.MetricAggregationType;
    if (
      aggregation !== undefined &&
      !(METRIC_AGGREGATION_TYPES as readonly string[]).includes(aggregation)
    )
      throw validationError(
        `Invalid metric aggregation type: ${aggregation}. Valid types are Minimum, Maximum and Average.`,
      );
    return {
      policyType: 'StepScaling',
      ...common,
      stepAdjustments: steps,
      ...(aggregation !== undefined
        ? { metricAggregationType: aggregation as (typeof METRIC_AGGREGATION_TYPES)[number] }
        : {}),
      ...(input.EstimatedInstanceWarmup !== undefined
        ? { estimatedInstanceWarmup: input.EstimatedInstanceWarmup }
        : {}),
    };
  }

  if (input.ScalingAdjustment === undefined)
    throw validationError('ScalingAdjustment is required for policy type SimpleScaling.');
  if (adjustmentType === 'ExactCapacity' && input.ScalingAdjustment < 0)
    throw validationError('For ExactCapacity, ScalingAdjustment must not be negative.');
  return {
    policyType: 'SimpleScaling',
    ...common,
    scalingAdjustment: input.ScalingAdjustment,
    ...(input.Cooldown !== undefined ? { cooldown: input.Cooldown } : {}),
  };
}

function stepAdjustments(input: PutScalingPolicyInput, type: AdjustmentType): StepAdjustment[] {
  const raw = input.StepAdjustments ?? [];
  if (raw.length === 0)
    throw validationError('StepAdjustments is required for policy type StepScaling.');
  if (raw.length > MAX_STEP_ADJUSTMENTS)
    throw limitExceeded(
      `A step scaling policy has at most ${MAX_STEP_ADJUSTMENTS} step adjustments, not ${raw.length}.`,
    );
  const steps = raw.map((s) => ({
    ...(s.MetricIntervalLowerBound !== undefined ? { lowerBound: s.MetricIntervalLowerBound } : {}),
    ...(s.MetricIntervalUpperBound !== undefined ? { upperBound: s.MetricIntervalUpperBound } : {}),
    scalingAdjustment: s.ScalingAdjustment,
  }));
  for (const s of steps) {
    if (s.lowerBound !== undefined && s.upperBound !== undefined && s.upperBound <= s.lowerBound)
      throw validationError(
        `The upper bound of a step adjustment must be greater than its lower bound (${s.lowerBound} to ${s.upperBound}).`,
      );
    if (type === 'ExactCapacity' && s.scalingAdjustment < 0)
      throw validationError('For ExactCapacity, ScalingAdjustment must not be negative.');
  }
  if (steps.filter((s) => s.lowerBound === undefined).length > 1)
    throw validationError('Only one step adjustment may have a null lower bound.');
  if (steps.filter((s) => s.upperBound === undefined).length > 1)
    throw validationError('Only one step adjustment may have a null upper bound.');
  const sorted = [...steps].sort(
    (a, b) => (a.lowerBound ?? -Infinity) - (b.lowerBound ?? -Infinity),
  );
  for (let k = 1; k < sorted.length; k++) {
    const before = sorted[k - 1]!.upperBound ?? Infinity;
    const lower = sorted[k]!.lowerBound ?? -Infinity;
    if (before !== lower)
      throw validationError(
        `The intervals of the step adjustments must not ${before > lower ? 'overlap' : 'leave a gap'}: one ends at ${before} and the next starts at ${lower}.`,
      );
  }
  return steps;
}

type TargetTrackingInput = NonNullable<PutScalingPolicyInput['TargetTrackingConfiguration']>;

function trackedMetric(tt: TargetTrackingInput, group: AutoScalingGroup): TrackedMetric {
  const predefined = tt.PredefinedMetricSpecification;
  const customized = tt.CustomizedMetricSpecification;
  if (!predefined === !customized)
    throw validationError(
      'Exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification must be specified.',
    );
  if (predefined) {
    const type = predefined.PredefinedMetricType;
    const label = predefined.ResourceLabel;
    if (type !== 'ALBRequestCountPerTarget') {
      if (label !== undefined)
        throw validationError(`ResourceLabel is not valid for the predefined metric type ${type}.`);
      return { kind: 'predefined', type };
    }
    if (label === undefined)
      throw validationError(
        'ResourceLabel is required for the predefined metric type ALBRequestCountPerTarget.',
      );
    if (!/^app\/[^/]+\/[^/]+\/targetgroup\/[^/]+\/[^/]+$/.test(label))
      throw validationError(
        `Invalid ResourceLabel ${label}: it must be app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>.`,
      );
    const targetGroup = targetGroupOfLabel(label);
    if (!group.spec.targetGroupArns.some((arn) => arn.endsWith(`:${targetGroup}`)))
      throw validationError(
        `The target group ${targetGroup} of ResourceLabel is not attached to the Auto Scaling group ${group.name}.`,
      );
    return { kind: 'predefined', type, resourceLabel: label };
  }
  const c = customized!;
  const single =
    c.MetricName !== undefined || c.Namespace !== undefined || c.Statistic !== undefined;
  if (c.Metrics !== undefined) {
    if (single || c.Dimensions !== undefined || c.Unit !== undefined)
      throw validationError(
        'A CustomizedMetricSpecification has either Metrics or MetricName, Namespace, Dimensions, Statistic and Unit, not both.',
      );
    return { kind: 'math', queries: checkedMathQueries(c.Metrics, validationError, period) };
  }
  if (c.MetricName === undefined || c.Namespace === undefined || c.Statistic === undefined)
    throw validationError(
      'A CustomizedMetricSpecification needs MetricName, Namespace and Statistic (or Metrics).',
    );
  return {
    kind: 'metric',
    metric: {
      namespace: c.Namespace,
      metricName: c.MetricName,
      dimensions: (c.Dimensions ?? []).map((d) => ({ name: d.Name, value: d.Value })),
      periodSeconds: period(c.Period),
      stat: c.Statistic,
      ...(c.Unit !== undefined ? { unit: c.Unit } : {}),
    },
  };
}

/** A target-tracking metric's period: 10, 30 or 60; the sandbox simulates minutes. */
function period(seconds: number | undefined): number {
  if (seconds === undefined || seconds === 60) return 60;
  if (seconds === 10 || seconds === 30)
    throw validationError(
      `The Ballast sandbox simulates 1-minute metrics: a Period of ${seconds} (high resolution) is not emulated; use 60.`,
    );
  throw validationError(`Invalid Period ${seconds}: the period of a metric must be 10, 30 or 60.`);
}

/** Whether two tracked metrics are the same metric specification. */
function sameMetric(a: TrackedMetric, b: TrackedMetric, group: string): boolean {
  const key = (m: TrackedMetric) =>
    JSON.stringify(m.kind === 'predefined' ? predefinedMetric(m.type, group, m.resourceLabel) : m);
  return key(a) === key(b);
}

// ---------------------------------------------------------------- DescribePolicies

const POLICY_TYPES = ['SimpleScaling', 'StepScaling', 'TargetTrackingScaling', 'PredictiveScaling'];

export function describePolicies(params: QueryParams, ctx: AutoScalingContext): string {
  const groupName = params.get('AutoScalingGroupName');
  const names = nameList(params, 'PolicyNames', 50);
  const types = nameList(params, 'PolicyTypes', 10);
  for (const t of types)
    if (!POLICY_TYPES.includes(t))
      throw validationError(
        `Invalid policy type: ${t}. Valid policy types are SimpleScaling, StepScaling, TargetTrackingScaling and PredictiveScaling.`,
      );
  const pageSize = maxRecords(params, 50);
  const wanted = new Set(names);
  const policies = ctx.simulation.policies.filter(
    (p) =>
      (groupName === undefined || p.group.name === groupName) &&
      (wanted.size === 0 || wanted.has(p.name) || wanted.has(p.arn)) &&
      (types.length === 0 || types.includes(p.definition.policyType)),
  );
  const { items, nextToken } = page(policies, params, pageSize, [
    'policies',
    groupName,
    names,
    types,
  ]);
  return members('ScalingPolicies', items, (p) => policyXml(ctx, p)) + el('NextToken', nextToken);
}

/** The alarms that invoke a policy (a target-tracking policy's own). */
function policyAlarms(ctx: AutoScalingContext, policy: ScalingPolicy) {
  return policy instanceof TargetTrackingPolicy
    ? policy.ownAlarms
    : ctx.simulation.alarms.filter(
        (a) =>
          a.definition.alarmActions.includes(policy.arn) ||
          a.definition.okActions.includes(policy.arn),
      );
}

function alarmsXml(ctx: AutoScalingContext, policy: ScalingPolicy): string {
  return members('Alarms', policyAlarms(ctx, policy), (a) =>
    fragment(el('AlarmName', a.name), el('AlarmARN', a.arn)),
  );
}

function policyXml(ctx: AutoScalingContext, p: ScalingPolicy): XmlFragment {
  const d = p.definition;
  const typed =
    d.policyType === 'TargetTrackingScaling'
      ? fragment(
          el('EstimatedInstanceWarmup', d.estimatedInstanceWarmup),
          el(
            'TargetTrackingConfiguration',
            targetTrackingXml(d.metric, d.targetValue, d.disableScaleIn),
          ),
        )
      : d.policyType === 'StepScaling'
        ? fragment(
            el('AdjustmentType', d.adjustmentType),
            el('MinAdjustmentStep', d.minAdjustmentMagnitude),
            el('MinAdjustmentMagnitude', d.minAdjustmentMagnitude),
            members('StepAdjustments', d.stepAdjustments, (s) =>
              fragment(
                el('MetricIntervalLowerBound', s.lowerBound),
                el('MetricIntervalUpperBound', s.upperBound),
                el('ScalingAdjustment', s.scalingAdjustment),
              ),
            ),
            el('MetricAggregationType', d.metricAggregationType ?? 'Average'),
            el('EstimatedInstanceWarmup', d.estimatedInstanceWarmup),
          )
        : fragment(
            el('AdjustmentType', d.adjustmentType),
            el('MinAdjustmentStep', d.minAdjustmentMagnitude),
            el('MinAdjustmentMagnitude', d.minAdjustmentMagnitude),
            el('ScalingAdjustment', d.scalingAdjustment),
            el('Cooldown', d.cooldown),
          );
  return fragment(
    el('AutoScalingGroupName', p.group.name),
    el('PolicyName', p.name),
    el('PolicyARN', p.arn),
    el('PolicyType', d.policyType),
    typed.xml,
    alarmsXml(ctx, p),
    el('Enabled', d.enabled),
  );
}

function targetTrackingXml(metric: TrackedMetric, target: number, disableScaleIn: boolean) {
  const dimensions = (dims: { name: string; value: string }[]) =>
    members('Dimensions', dims, (d) => fragment(el('Name', d.name), el('Value', d.value)));
  let spec: string;
  switch (metric.kind) {
    case 'predefined':
      spec = el(
        'PredefinedMetricSpecification',
        fragment(
          el('PredefinedMetricType', metric.type),
          el('ResourceLabel', metric.resourceLabel),
        ),
      );
      break;
    case 'metric': {
      const m = metric.metric;
      spec = el(
        'CustomizedMetricSpecification',
        fragment(
          el('MetricName', m.metricName),
          el('Namespace', m.namespace),
          dimensions(m.dimensions),
          el('Statistic', m.stat),
          el('Unit', m.unit),
          el('Period', m.periodSeconds),
        ),
      );
      break;
    }
    case 'math':
      spec = el(
        'CustomizedMetricSpecification',
        fragment(
          members('Metrics', metric.queries, (q) =>
            fragment(
              el('Id', q.id),
              el('Expression', q.expression),
              el(
                'MetricStat',
                q.metricStat &&
                  fragment(
                    el(
                      'Metric',
                      fragment(
                        el('Namespace', q.metricStat.namespace),
                        el('MetricName', q.metricStat.metricName),
                        dimensions(q.metricStat.dimensions),
                      ),
                    ),
                    el('Stat', q.metricStat.stat),
                    el('Unit', q.metricStat.unit),
                    el('Period', q.metricStat.periodSeconds),
                  ),
              ),
              el('Label', q.label),
              el('ReturnData', q.returnData),
            ),
          ),
        ),
      );
      break;
  }
  return fragment(spec, el('TargetValue', target), el('DisableScaleIn', disableScaleIn));
}

// ---------------------------------------------------------------- DeletePolicy

const DeletePolicyInput = z.object({
  AutoScalingGroupName: qString(1, 255).optional(),
  PolicyName: qString(1, 1600),
});

export function deletePolicy(params: QueryParams, ctx: AutoScalingContext): undefined {
  const input = parseQuery(DeletePolicyInput, params, ['AutoScalingGroupName', 'PolicyName']);
  const name = input.PolicyName;
  let policy: ScalingPolicy | undefined;
  if (name.startsWith('arn:')) {
    policy = ctx.simulation.policyByArn(name);
    if (
      policy &&
      input.AutoScalingGroupName !== undefined &&
      policy.group.name !== input.AutoScalingGroupName
    )
      policy = undefined;
  } else {
    if (input.AutoScalingGroupName === undefined)
      throw validationError('AutoScalingGroupName is required when PolicyName is not an ARN.');
    policy = groupFor(ctx, input.AutoScalingGroupName).policies.get(name);
  }
  if (!policy)
    throw validationError(
      `Policy ${name} not found${input.AutoScalingGroupName ? ` for Auto Scaling group ${input.AutoScalingGroupName}` : ''}.`,
    );
  ctx.simulation.deleteScalingPolicy(policy, ctx.now);
  return undefined;
}

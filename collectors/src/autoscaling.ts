// Auto Scaling adapter: group capacity (with the on-demand / spot split) and recent
// scaling activities, mapped into the core model; and, for the change engine, the live
// state of a group (policies, scheduled actions, bounds and purchase options) and the
// writes that change it.
import {
  BatchPutScheduledUpdateGroupActionCommand,
  DeletePolicyCommand,
  DeleteScheduledActionCommand,
  DescribeAccountLimitsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand,
  DescribeScalingActivitiesCommand,
  DescribeScheduledActionsCommand,
  PutScalingPolicyCommand,
  SetDesiredCapacityCommand,
  UpdateAutoScalingGroupCommand,
  type Activity,
  type AutoScalingClient,
  type AutoScalingGroup,
  type FailedScheduledUpdateGroupActionRequest,
  type MetricStatistic,
  type PutScalingPolicyCommandInput,
  type ScalingPolicy as AwsScalingPolicy,
  type ScheduledUpdateGroupAction,
  type ScheduledUpdateGroupActionRequest,
  type TargetTrackingConfiguration,
} from '@aws-sdk/client-auto-scaling';
import {
  AccountLimitsSchema,
  AutoScalingGroupStateSchema,
  LiveGroupSchema,
  PredefinedMetricSchema,
  ScalingActivitySchema,
  ScalingPolicySchema,
  ScheduledActionSchema,
  splitOnDemandSpot,
  type AccountLimits,
  type ActivitiesTruncated,
  type AutoScalingGroupState,
  type AutoScalingPort,
  type LiveGroup,
  type MetricStat,
  type ScalingActivity,
  type ScalingPolicy,
  type ScheduledAction,
  type TrackedMetric,
  type WriteOp,
} from '@ballast/core';
import { chunk, collectPages } from './paging.js';

/** DescribeAutoScalingGroups accepts up to 100 names (and returns up to 100 per page). */
const MAX_RECORDS = 100;

export interface AutoScalingCollectorOptions {
  /** aborts every request in flight (a collection's deadline) */
  abortSignal?: AbortSignal;
}

export class AutoScalingCollector {
  private readonly sendOptions: { abortSignal?: AbortSignal };

  constructor(
    private readonly client: AutoScalingClient,
    options: AutoScalingCollectorOptions = {},
  ) {
    this.sendOptions = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  }

  async describeGroups(names: string[]): Promise<AutoScalingGroupState[]> {
    if (names.length === 0) return [];
    const groups: AutoScalingGroup[] = [];
    for (const batch of chunk(names, MAX_RECORDS)) {
      const pages = await collectPages(
        (token) =>
          this.client.send(
            new DescribeAutoScalingGroupsCommand({
              AutoScalingGroupNames: batch,
              MaxRecords: MAX_RECORDS,
              ...(token ? { NextToken: token } : {}),
            }),
            this.sendOptions,
          ),
        (page) => page.NextToken,
      );
      groups.push(...pages.flatMap((p) => p.AutoScalingGroups ?? []));
    }
    return groups.map(toGroupState);
  }

  /**
   * Newest first, at most `max` per group (so a busy group cannot crowd a quiet one out of
   * the markers); per group, paging stops at the first activity older than `since`. A group
   * with more than `max` since then is reported in `truncated`, with how far back it was read.
   */
  async describeActivities(
    names: string[],
    opts: { since?: number; max?: number } = {},
  ): Promise<{ activities: ScalingActivity[]; truncated: ActivitiesTruncated[] }> {
    const max = opts.max ?? 50;
    const since = opts.since ?? -Infinity;
    const perGroup = await Promise.all(
      names.map(async (name) => {
        const pages = await collectPages(
          (token) =>
            this.client.send(
              new DescribeScalingActivitiesCommand({
                AutoScalingGroupName: name,
                MaxRecords: Math.min(max, MAX_RECORDS),
                ...(token ? { NextToken: token } : {}),
              }),
              this.sendOptions,
            ),
          (page) => page.NextToken,
          // AWS returns activities newest first, so once the pages reach past `since` or
          // hold more than `max` activities (one more says some were left out), later pages
          // hold nothing we want.
          (pages) => {
            const activities = pages.flatMap((p) => p.Activities ?? []);
            const oldest = activities[activities.length - 1]?.StartTime?.getTime();
            return activities.length <= max && (oldest === undefined || oldest >= since);
          },
        );
        const fetched = pages.flatMap((p) => p.Activities ?? []).map(toActivity);
        const inWindow = fetched
          .filter((a) => a.startTime >= since)
          .sort((a, b) => b.startTime - a.startTime);
        const kept = inWindow.slice(0, max);
        // More in the window than kept: some were dropped, or the pages stopped short of `since`.
        const morePages = pages[pages.length - 1]?.NextToken !== undefined;
        const reachedSince = fetched.some((a) => a.startTime < since);
        const oldestKept = kept[kept.length - 1];
        const truncated =
          oldestKept && (inWindow.length > max || (morePages && !reachedSince))
            ? { group: name, from: oldestKept.startTime, limit: max }
            : undefined;
        return { kept, truncated };
      }),
    );
    return {
      activities: perGroup.flatMap((g) => g.kept).sort((a, b) => b.startTime - a.startTime),
      truncated: perGroup.flatMap((g) => (g.truncated ? [g.truncated] : [])),
    };
  }
}

function toGroupState(group: AutoScalingGroup): AutoScalingGroupState {
  const inService = (group.Instances ?? []).filter((i) => i.LifecycleState === 'InService').length;
  const mixed = group.MixedInstancesPolicy;
  const distribution = mixed
    ? {
        onDemandBaseCapacity: mixed.InstancesDistribution?.OnDemandBaseCapacity,
        onDemandPercentageAboveBaseCapacity:
          mixed.InstancesDistribution?.OnDemandPercentageAboveBaseCapacity,
      }
    : undefined;
  const { onDemand, spot } = splitOnDemandSpot(inService, distribution);
  return AutoScalingGroupStateSchema.parse({
    name: group.AutoScalingGroupName,
    min: group.MinSize,
    max: group.MaxSize,
    desired: group.DesiredCapacity,
    inService,
    onDemand,
    spot,
    ...(distribution ? { distribution } : {}),
  });
}

function toActivity(activity: Activity): ScalingActivity {
  return ScalingActivitySchema.parse({
    id: activity.ActivityId,
    group: activity.AutoScalingGroupName,
    status: activity.StatusCode,
    description: activity.Description ?? '',
    cause: activity.Cause ?? '',
    startTime: activity.StartTime?.getTime(),
    ...(activity.EndTime ? { endTime: activity.EndTime.getTime() } : {}),
  });
}

// --- the change engine's port: live state and writes --------------------------------------

const opts = (signal?: AbortSignal) => (signal ? { abortSignal: signal } : {});

/** AWS's defaults for an InstancesDistribution field left out. */
const DISTRIBUTION_DEFAULTS = {
  onDemandBaseCapacity: 0,
  onDemandPercentageAboveBaseCapacity: 100,
  spotAllocationStrategy: 'lowest-price',
} as const;

/**
 * The change engine's view of Auto Scaling (core's AutoScalingPort) over the SDK: every
 * read follows its pages, every write is one request, and a write AWS accepts only in
 * part (BatchPutScheduledUpdateGroupAction's failed entries) fails as a whole.
 */
export class AutoScalingChanges implements AutoScalingPort {
  constructor(private readonly client: AutoScalingClient) {}

  async describeGroup(name: string, signal?: AbortSignal): Promise<LiveGroup | undefined> {
    const page = await this.client.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name], MaxRecords: 1 }),
      opts(signal),
    );
    const group = page.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === name);
    return group ? toLiveGroup(group) : undefined;
  }

  async describePolicies(group: string, signal?: AbortSignal): Promise<ScalingPolicy[]> {
    const pages = await collectPages(
      (token) =>
        this.client.send(
          new DescribePoliciesCommand({
            AutoScalingGroupName: group,
            MaxRecords: 50,
            ...(token ? { NextToken: token } : {}),
          }),
          opts(signal),
        ),
      (page) => page.NextToken,
    );
    return pages.flatMap((p) => p.ScalingPolicies ?? []).map(toScalingPolicy);
  }

  async describeScheduledActions(group: string, signal?: AbortSignal): Promise<ScheduledAction[]> {
    const pages = await collectPages(
      (token) =>
        this.client.send(
          new DescribeScheduledActionsCommand({
            AutoScalingGroupName: group,
            MaxRecords: 100,
            ...(token ? { NextToken: token } : {}),
          }),
          opts(signal),
        ),
      (page) => page.NextToken,
    );
    return pages.flatMap((p) => p.ScheduledUpdateGroupActions ?? []).map(toScheduledAction);
  }

  async describeAccountLimits(signal?: AbortSignal): Promise<AccountLimits> {
    const answer = await this.client.send(new DescribeAccountLimitsCommand({}), opts(signal));
    return AccountLimitsSchema.parse({
      maxGroups: answer.MaxNumberOfAutoScalingGroups,
      groups: answer.NumberOfAutoScalingGroups,
      maxLaunchConfigurations: answer.MaxNumberOfLaunchConfigurations,
      launchConfigurations: answer.NumberOfLaunchConfigurations,
    });
  }

  async execute(write: WriteOp, signal?: AbortSignal): Promise<void> {
    switch (write.op) {
      case 'PutScalingPolicy':
        await this.client.send(
          new PutScalingPolicyCommand(putScalingPolicyInput(write.group, write.policy)),
          opts(signal),
        );
        return;
      case 'DeletePolicy':
        await this.client.send(
          new DeletePolicyCommand({
            AutoScalingGroupName: write.group,
            PolicyName: write.policyName,
          }),
          opts(signal),
        );
        return;
      case 'SetDesiredCapacity':
        await this.client.send(
          new SetDesiredCapacityCommand({
            AutoScalingGroupName: write.group,
            DesiredCapacity: write.desired,
            HonorCooldown: write.honorCooldown,
          }),
          opts(signal),
        );
        return;
      case 'UpdateAutoScalingGroup': {
        const d = write.distribution;
        await this.client.send(
          new UpdateAutoScalingGroupCommand({
            AutoScalingGroupName: write.group,
            ...(write.min !== undefined ? { MinSize: write.min } : {}),
            ...(write.max !== undefined ? { MaxSize: write.max } : {}),
            ...(write.desired !== undefined ? { DesiredCapacity: write.desired } : {}),
            // Only the distribution: AWS keeps the launch template and its overrides.
            ...(d
              ? {
                  MixedInstancesPolicy: {
                    InstancesDistribution: {
                      ...(d.onDemandBaseCapacity !== undefined
                        ? { OnDemandBaseCapacity: d.onDemandBaseCapacity }
                        : {}),
                      ...(d.onDemandPercentageAboveBaseCapacity !== undefined
                        ? {
                            OnDemandPercentageAboveBaseCapacity:
                              d.onDemandPercentageAboveBaseCapacity,
                          }
                        : {}),
                      ...(d.spotAllocationStrategy !== undefined
                        ? { SpotAllocationStrategy: d.spotAllocationStrategy }
                        : {}),
                    },
                  },
                }
              : {}),
          }),
          opts(signal),
        );
        return;
      }
      case 'BatchPutScheduledUpdateGroupAction': {
        const answer = await this.client.send(
          new BatchPutScheduledUpdateGroupActionCommand({
            AutoScalingGroupName: write.group,
            ScheduledUpdateGroupActions: write.actions.map(toScheduledActionRequest),
          }),
          opts(signal),
        );
        const failed = answer.FailedScheduledUpdateGroupActions ?? [];
        if (failed.length > 0) throw partialBatchError(failed, write.actions.length);
        return;
      }
      case 'DeleteScheduledAction':
        await this.client.send(
          new DeleteScheduledActionCommand({
            AutoScalingGroupName: write.group,
            ScheduledActionName: write.name,
          }),
          opts(signal),
        );
        return;
    }
  }
}

/** A batch some of whose actions AWS refused: failed as a whole, named after the first refusal. */
function partialBatchError(
  failed: FailedScheduledUpdateGroupActionRequest[],
  total: number,
): Error {
  const first = failed[0]!;
  const list = failed
    .map(
      (f) =>
        `${f.ScheduledActionName} (${f.ErrorCode ?? 'error'}: ${f.ErrorMessage ?? 'no message'})`,
    )
    .join('; ');
  return Object.assign(
    new Error(`${failed.length} of ${total} scheduled actions were not put: ${list}`),
    { name: first.ErrorCode ?? 'BatchPartialFailure', $fault: 'client' },
  );
}

function toLiveGroup(group: AutoScalingGroup): LiveGroup {
  const mixed = group.MixedInstancesPolicy;
  const d = mixed?.InstancesDistribution;
  const overrides = (mixed?.LaunchTemplate?.Overrides ?? []).flatMap((o) =>
    o.InstanceType ? [o.InstanceType] : [],
  );
  const running = [
    ...new Set((group.Instances ?? []).flatMap((i) => (i.InstanceType ? [i.InstanceType] : []))),
  ];
  return LiveGroupSchema.parse({
    name: group.AutoScalingGroupName,
    min: group.MinSize,
    max: group.MaxSize,
    desired: group.DesiredCapacity,
    inService: (group.Instances ?? []).filter((i) => i.LifecycleState === 'InService').length,
    ...(mixed
      ? {
          distribution: {
            onDemandBaseCapacity:
              d?.OnDemandBaseCapacity ?? DISTRIBUTION_DEFAULTS.onDemandBaseCapacity,
            onDemandPercentageAboveBaseCapacity:
              d?.OnDemandPercentageAboveBaseCapacity ??
              DISTRIBUTION_DEFAULTS.onDemandPercentageAboveBaseCapacity,
            spotAllocationStrategy:
              d?.SpotAllocationStrategy ?? DISTRIBUTION_DEFAULTS.spotAllocationStrategy,
          },
        }
      : {}),
    // The overrides in priority order; a group without them runs its launch template's one
    // type, seen on its instances.
    instanceTypes: overrides.length > 0 ? overrides : running,
    ...(group.DefaultInstanceWarmup !== undefined
      ? { defaultInstanceWarmup: group.DefaultInstanceWarmup }
      : {}),
  });
}

const toMetricStat = (stat: {
  Metric?: {
    Namespace?: string;
    MetricName?: string;
    Dimensions?: { Name?: string; Value?: string }[];
  };
  Stat?: string;
  Unit?: string;
  Period?: number;
}): MetricStat => ({
  namespace: stat.Metric?.Namespace ?? '',
  metricName: stat.Metric?.MetricName ?? '',
  dimensions: (stat.Metric?.Dimensions ?? []).map((d) => ({
    name: d.Name ?? '',
    value: d.Value ?? '',
  })),
  stat: stat.Stat ?? '',
  ...(stat.Unit ? { unit: stat.Unit } : {}),
  ...(stat.Period !== undefined ? { period: stat.Period } : {}),
});

function toTrackedMetric(config: TargetTrackingConfiguration): TrackedMetric {
  const predefined = config.PredefinedMetricSpecification;
  if (predefined)
    return {
      type: 'predefined',
      metric: PredefinedMetricSchema.parse(predefined.PredefinedMetricType),
      ...(predefined.ResourceLabel ? { resourceLabel: predefined.ResourceLabel } : {}),
    };
  const custom = config.CustomizedMetricSpecification ?? {};
  if (custom.Metrics && custom.Metrics.length > 0)
    return {
      type: 'math',
      queries: custom.Metrics.map((q) => ({
        id: q.Id ?? '',
        ...(q.Expression ? { expression: q.Expression } : {}),
        ...(q.MetricStat ? { metricStat: toMetricStat(q.MetricStat) } : {}),
        ...(q.Label ? { label: q.Label } : {}),
        returnData: q.ReturnData ?? true,
      })),
    };
  return {
    type: 'customized',
    metric: toMetricStat({
      Metric: {
        Namespace: custom.Namespace,
        MetricName: custom.MetricName,
        Dimensions: custom.Dimensions,
      },
      Stat: custom.Statistic,
      Unit: custom.Unit,
      Period: custom.Period,
    }),
  };
}

function toScalingPolicy(policy: AwsScalingPolicy): ScalingPolicy {
  const tt = policy.TargetTrackingConfiguration;
  const type = policy.PolicyType ?? 'SimpleScaling';
  // Other policy types are carried through as read: compared, never rewritten.
  const other = Object.fromEntries(
    Object.entries({
      AdjustmentType: policy.AdjustmentType,
      ScalingAdjustment: policy.ScalingAdjustment,
      MinAdjustmentMagnitude: policy.MinAdjustmentMagnitude,
      Cooldown: policy.Cooldown,
      MetricAggregationType: policy.MetricAggregationType,
      StepAdjustments: policy.StepAdjustments,
      PredictiveScalingConfiguration: policy.PredictiveScalingConfiguration,
    }).filter(([, v]) => v !== undefined),
  );
  return ScalingPolicySchema.parse({
    name: policy.PolicyName,
    type,
    enabled: policy.Enabled ?? true,
    ...(policy.EstimatedInstanceWarmup !== undefined
      ? { estimatedInstanceWarmup: policy.EstimatedInstanceWarmup }
      : {}),
    ...(tt
      ? {
          targetTracking: {
            metric: toTrackedMetric(tt),
            targetValue: tt.TargetValue,
            disableScaleIn: tt.DisableScaleIn ?? false,
          },
        }
      : {}),
    ...(type !== 'TargetTrackingScaling' && Object.keys(other).length > 0 ? { other } : {}),
  });
}

const fromMetricStat = (m: MetricStat) => ({
  Metric: {
    Namespace: m.namespace,
    MetricName: m.metricName,
    Dimensions: m.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
  },
  Stat: m.stat,
  ...(m.unit ? { Unit: m.unit } : {}),
  ...(m.period !== undefined ? { Period: m.period } : {}),
});

/** PutScalingPolicy's input for a target-tracking policy (the only type Ballast writes). */
export function putScalingPolicyInput(
  group: string,
  policy: ScalingPolicy,
): PutScalingPolicyCommandInput {
  const tt = policy.targetTracking;
  if (policy.type !== 'TargetTrackingScaling' || !tt)
    throw new Error(
      `Ballast writes target-tracking policies only, not ${policy.type} (${policy.name}).`,
    );
  const metric = tt.metric;
  return {
    AutoScalingGroupName: group,
    PolicyName: policy.name,
    PolicyType: 'TargetTrackingScaling',
    Enabled: policy.enabled,
    ...(policy.estimatedInstanceWarmup !== undefined
      ? { EstimatedInstanceWarmup: policy.estimatedInstanceWarmup }
      : {}),
    TargetTrackingConfiguration: {
      TargetValue: tt.targetValue,
      DisableScaleIn: tt.disableScaleIn,
      ...(metric.type === 'predefined'
        ? {
            PredefinedMetricSpecification: {
              PredefinedMetricType: metric.metric,
              ...(metric.resourceLabel ? { ResourceLabel: metric.resourceLabel } : {}),
            },
          }
        : metric.type === 'customized'
          ? {
              CustomizedMetricSpecification: {
                Namespace: metric.metric.namespace,
                MetricName: metric.metric.metricName,
                Dimensions: metric.metric.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
                Statistic: metric.metric.stat as MetricStatistic,
                ...(metric.metric.unit ? { Unit: metric.metric.unit } : {}),
                ...(metric.metric.period !== undefined ? { Period: metric.metric.period } : {}),
              },
            }
          : {
              CustomizedMetricSpecification: {
                Metrics: metric.queries.map((q) => ({
                  Id: q.id,
                  ...(q.expression ? { Expression: q.expression } : {}),
                  ...(q.metricStat ? { MetricStat: fromMetricStat(q.metricStat) } : {}),
                  ...(q.label ? { Label: q.label } : {}),
                  ReturnData: q.returnData,
                })),
              },
            }),
    },
  };
}

function toScheduledAction(action: ScheduledUpdateGroupAction): ScheduledAction {
  return ScheduledActionSchema.parse({
    name: action.ScheduledActionName,
    ...(action.StartTime ? { startTime: action.StartTime.getTime() } : {}),
    ...(action.EndTime ? { endTime: action.EndTime.getTime() } : {}),
    ...(action.Recurrence ? { recurrence: action.Recurrence } : {}),
    ...(action.TimeZone ? { timeZone: action.TimeZone } : {}),
    ...(action.MinSize !== undefined ? { min: action.MinSize } : {}),
    ...(action.MaxSize !== undefined ? { max: action.MaxSize } : {}),
    ...(action.DesiredCapacity !== undefined ? { desired: action.DesiredCapacity } : {}),
  });
}

function toScheduledActionRequest(action: ScheduledAction): ScheduledUpdateGroupActionRequest {
  return {
    ScheduledActionName: action.name,
    ...(action.startTime !== undefined ? { StartTime: new Date(action.startTime) } : {}),
    ...(action.endTime !== undefined ? { EndTime: new Date(action.endTime) } : {}),
    ...(action.recurrence ? { Recurrence: action.recurrence } : {}),
    ...(action.timeZone ? { TimeZone: action.timeZone } : {}),
    ...(action.min !== undefined ? { MinSize: action.min } : {}),
    ...(action.max !== undefined ? { MaxSize: action.max } : {}),
    ...(action.desired !== undefined ? { DesiredCapacity: action.desired } : {}),
  };
}

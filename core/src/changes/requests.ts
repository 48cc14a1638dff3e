// What a command or a form asks for, as a plan request for the engine: "CPU target 50 on
// store-web", "workers max 40, 80% spot". The live state decides the rest (which policy
// tracks CPU, what the distribution is now), so a request changes only what it names.
import type { PlatformConfig } from '../model/platform.js';
import type { PlanRequest } from './engine.js';
import type { GuardrailFacts } from './kind.js';
import {
  replayMetricOf,
  type GroupCapacityState,
  type ScheduledActionsState,
  type TargetTrackingState,
  type WorkerFleetState,
} from './kinds.js';
import type {
  GuardrailOverride,
  ScalingPolicy,
  ScheduledAction,
  SpotAllocationStrategy,
} from './model.js';
import type { ReplayMetric } from '../capacity/replay.js';

interface Common {
  group: string;
  overrides?: GuardrailOverride[];
  signal?: AbortSignal;
  withoutEffect?: boolean;
}

const common = (r: Common) => ({
  ...(r.overrides ? { overrides: r.overrides } : {}),
  ...(r.signal ? { signal: r.signal } : {}),
  ...(r.withoutEffect ? { withoutEffect: true } : {}),
});

/** The enabled target-tracking policy of the group on `metric` (the first by name), if any. */
export function trackingPolicyOn(
  policies: readonly ScalingPolicy[],
  metric: ReplayMetric,
): ScalingPolicy | undefined {
  return policies
    .filter(
      (p) =>
        p.type === 'TargetTrackingScaling' &&
        p.targetTracking !== undefined &&
        replayMetricOf(p.targetTracking.metric) === metric,
    )
    .sort((a, b) => Number(b.enabled) - Number(a.enabled) || a.name.localeCompare(b.name))[0];
}

/** The name a new policy on `metric` gets. */
export const policyNameFor = (group: string, metric: ReplayMetric): string =>
  `${group}-${metric === 'cpu' ? 'cpu' : metric === 'requests-per-target' ? 'requests-per-target' : 'backlog-per-instance'}`;

/** The tracked metric of a new policy on `metric`, from the group's tier in the platform config. */
export function trackedMetricFor(
  platform: PlatformConfig,
  group: string,
  metric: ReplayMetric,
): NonNullable<ScalingPolicy['targetTracking']>['metric'] {
  if (metric === 'cpu') return { type: 'predefined', metric: 'ASGAverageCPUUtilization' };
  const tier = platform.tiers.find((t) =>
    t.resources.some((r) => r.type === 'asg' && r.name === group),
  );
  if (metric === 'requests-per-target') {
    const alb = tier?.resources.find((r) => r.type === 'alb');
    if (!alb)
      throw new Error(
        `${group} is in no tier with a load balancer: it cannot track requests per target.`,
      );
    return {
      type: 'predefined',
      metric: 'ALBRequestCountPerTarget',
      resourceLabel: `${alb.loadBalancer}/${alb.targetGroup}`,
    };
  }
  const queue = tier?.resources.find((r) => r.type === 'sqs-queue');
  if (!queue)
    throw new Error(`${group} is in no tier with an SQS queue: it cannot track a backlog.`);
  // AWS's recipe for scaling on a queue: visible messages / instances in service.
  return {
    type: 'math',
    queries: [
      {
        id: 'm1',
        label: 'Messages visible',
        returnData: false,
        metricStat: {
          namespace: 'AWS/SQS',
          metricName: 'ApproximateNumberOfMessagesVisible',
          dimensions: [{ name: 'QueueName', value: queue.name }],
          stat: 'Sum',
        },
      },
      {
        id: 'm2',
        label: 'Instances in service',
        returnData: false,
        metricStat: {
          namespace: 'AWS/AutoScaling',
          metricName: 'GroupInServiceInstances',
          dimensions: [{ name: 'AutoScalingGroupName', value: group }],
          stat: 'Average',
        },
      },
      { id: 'e1', expression: 'm1 / m2', label: 'Backlog per instance', returnData: true },
    ],
  };
}

export interface TrackingChange {
  metric: ReplayMetric;
  target?: number;
  /** seconds */
  warmupSeconds?: number;
  disableScaleIn?: boolean;
}

/** The policy `change` makes of `policy` (or a new one named `name`). */
function trackingPolicy(
  policy: ScalingPolicy | null,
  name: string,
  change: TrackingChange,
  platform: PlatformConfig,
  group: string,
): ScalingPolicy | null {
  if (!policy && change.target === undefined) return null;
  const tt = policy?.targetTracking;
  return {
    name,
    type: 'TargetTrackingScaling',
    enabled: true,
    ...(change.warmupSeconds !== undefined
      ? { estimatedInstanceWarmup: change.warmupSeconds }
      : policy?.estimatedInstanceWarmup !== undefined
        ? { estimatedInstanceWarmup: policy.estimatedInstanceWarmup }
        : {}),
    targetTracking: {
      metric: tt?.metric ?? trackedMetricFor(platform, group, change.metric),
      targetValue: change.target ?? tt!.targetValue,
      disableScaleIn: change.disableScaleIn ?? tt?.disableScaleIn ?? false,
    },
  };
}

/** `scaling plan GROUP --target-cpu 50`: the target-tracking policy on a metric, created if none. */
export function scalingPolicyRequest(
  platform: PlatformConfig,
  request: Common & TrackingChange & { policyName?: string },
): PlanRequest {
  const nameOf = (f: GuardrailFacts) =>
    request.policyName ??
    trackingPolicyOn(f.policies, request.metric)?.name ??
    policyNameFor(request.group, request.metric);
  return {
    kind: 'target-tracking-policy',
    target: { group: request.group },
    narrow: (f) => ({ policyName: nameOf(f) }),
    desired: (before: unknown, f: GuardrailFacts): TargetTrackingState => ({
      policy: trackingPolicy(
        (before as TargetTrackingState).policy,
        nameOf(f),
        request,
        platform,
        request.group,
      ),
    }),
    ...common(request),
  };
}

export interface FleetChange {
  min?: number;
  max?: number;
  /** percent of the capacity above the on-demand base that runs on spot */
  spotShare?: number;
  onDemandBase?: number;
  allocationStrategy?: SpotAllocationStrategy;
  /** messages per instance the backlog policy tracks */
  backlogTarget?: number;
}

/** `workers apply GROUP --max 40 --spot-share 80`: bounds, purchase options and backlog target. */
export function workerFleetRequest(
  platform: PlatformConfig,
  request: Common & FleetChange,
): PlanRequest {
  const nameOf = (f: GuardrailFacts) =>
    trackingPolicyOn(f.policies, 'backlog-per-instance')?.name ??
    policyNameFor(request.group, 'backlog-per-instance');
  return {
    kind: 'worker-fleet',
    target: { group: request.group },
    narrow: (f) => ({ policyName: nameOf(f) }),
    desired: (before: unknown, f: GuardrailFacts): WorkerFleetState => {
      const b = before as WorkerFleetState;
      const mix =
        request.spotShare !== undefined ||
        request.onDemandBase !== undefined ||
        request.allocationStrategy !== undefined;
      const d = b.distribution;
      return {
        min: request.min ?? b.min,
        max: request.max ?? b.max,
        distribution: !mix
          ? d
          : {
              onDemandBaseCapacity: request.onDemandBase ?? d?.onDemandBaseCapacity ?? 0,
              onDemandPercentageAboveBaseCapacity:
                request.spotShare !== undefined
                  ? 100 - request.spotShare
                  : (d?.onDemandPercentageAboveBaseCapacity ?? 100),
              spotAllocationStrategy:
                request.allocationStrategy ??
                d?.spotAllocationStrategy ??
                'price-capacity-optimized',
            },
        backlogPolicy:
          request.backlogTarget === undefined
            ? b.backlogPolicy
            : trackingPolicy(
                b.backlogPolicy,
                nameOf(f),
                { metric: 'backlog-per-instance', target: request.backlogTarget },
                platform,
                request.group,
              ),
      };
    },
    ...common(request),
  };
}

/** A group's bounds, and desired capacity when given. */
export function groupCapacityRequest(
  request: Common & { min?: number; max?: number; desired?: number },
): PlanRequest {
  return {
    kind: 'group-capacity',
    target: { group: request.group },
    desired: (before: unknown): GroupCapacityState => {
      const b = before as GroupCapacityState;
      return {
        min: request.min ?? b.min,
        max: request.max ?? b.max,
        ...(request.desired !== undefined ? { desired: request.desired } : {}),
      };
    },
    ...common(request),
  };
}

/** `scaling schedule` / `unschedule`: put scheduled actions, or delete them by name. */
export function scheduledActionsRequest(
  request: Common & { put?: ScheduledAction[]; remove?: string[] },
): PlanRequest {
  const put = request.put ?? [];
  const remove = request.remove ?? [];
  return {
    kind: 'scheduled-actions',
    target: { group: request.group, actionNames: [...put.map((a) => a.name), ...remove] },
    desired: (): ScheduledActionsState => ({ actions: put }),
    ...common(request),
  };
}

// The Auto Scaling change kinds: a target-tracking policy of a group, scheduled actions, a
// worker fleet (bounds, purchase options, backlog target) and desired capacity now.
import { z } from 'zod';
import type { ReplayConfig, ReplayMetric } from '../capacity/replay.js';
import { diffStates, holds, type FieldInfo } from './diff.js';
import { pass, refuse, type ChangeKind, type GuardrailFacts } from './kind.js';
import {
  DistributionSchema,
  MAX_POLICIES_PER_GROUP,
  MAX_SCHEDULED_ACTIONS_PER_GROUP,
  ScalingPolicySchema,
  ScheduledActionSchema,
  type ChangeStep,
  type ChangeTarget,
  type GuardrailResult,
  type ScalingPolicy,
  type ScheduledAction,
  type TrackedMetric,
} from './model.js';

/** An AWS per-group quota (not adjustable): `count` after the change against `limit`. */
function quotaGuardrail(
  group: string,
  count: number,
  limit: number,
  what: string,
  action: string,
): GuardrailResult {
  return count > limit
    ? refuse(
        'account-limits',
        `${group} would have ${count} ${what}; Auto Scaling allows ${limit} per group.`,
        [action],
      )
    : pass('account-limits', `${count} of ${limit} ${what} per group.`);
}

function requireField<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`this change needs ${what} in its target`);
  return value;
}

/** The replay metric a tracked metric stands for; undefined when the replay cannot model it. */
export function replayMetricOf(metric: TrackedMetric): ReplayMetric | undefined {
  if (metric.type === 'predefined') {
    if (metric.metric === 'ASGAverageCPUUtilization') return 'cpu';
    if (metric.metric === 'ALBRequestCountPerTarget') return 'requests-per-target';
    return undefined;
  }
  const names =
    metric.type === 'customized'
      ? [metric.metric.metricName]
      : metric.queries.flatMap((q) => (q.metricStat ? [q.metricStat.metricName] : []));
  if (names.includes('ApproximateNumberOfMessagesVisible')) return 'backlog-per-instance';
  if (metric.type === 'customized' && metric.metric.metricName === 'CPUUtilization') return 'cpu';
  return undefined;
}

/** The policy part of a replay configuration for a target-tracking policy (or none). */
export function replayPolicyOf(
  policy: ScalingPolicy | null | undefined,
  facts: Pick<GuardrailFacts, 'group'>,
  previous?: ReplayConfig['policy'],
): ReplayConfig['policy'] {
  if (!policy?.targetTracking || !policy.enabled) return undefined;
  const metric = replayMetricOf(policy.targetTracking.metric);
  if (!metric) return undefined;
  const warmupSeconds = policy.estimatedInstanceWarmup ?? facts.group.defaultInstanceWarmup ?? 300;
  return {
    metric,
    target: policy.targetTracking.targetValue,
    disableScaleIn: policy.targetTracking.disableScaleIn,
    warmupMinutes: Math.round(warmupSeconds / 60),
    // AWS's target tracking waits about 5 minutes between scale-ins (15 for a backlog, as
    // queue workers are usually configured to avoid flapping); the fraction is gradual.
    scaleInCooldownMinutes:
      previous?.scaleInCooldownMinutes ?? (metric === 'backlog-per-instance' ? 15 : 5),
    maxScaleInFraction: previous?.maxScaleInFraction ?? 0.1,
  };
}

const POLICY_FIELDS: Record<string, FieldInfo> = {
  'policy.targetTracking.targetValue': { label: 'Target value' },
  'policy.targetTracking.disableScaleIn': { label: 'Scale-in disabled' },
  'policy.estimatedInstanceWarmup': { label: 'Instance warm-up', unit: 's' },
  'policy.enabled': { label: 'Enabled' },
  'policy.targetTracking.metric.metric': { label: 'Tracked metric' },
  'policy.targetTracking.metric.resourceLabel': { label: 'Load balancer target group' },
  'policy.name': { label: 'Policy name' },
  'policy.type': { label: 'Policy type' },
};

// --- target-tracking policy ----------------------------------------------------------------

export const TargetTrackingStateSchema = z.object({ policy: ScalingPolicySchema.nullable() });
export type TargetTrackingState = z.infer<typeof TargetTrackingStateSchema>;

const metricWords = (metric: TrackedMetric | undefined): string => {
  if (!metric) return 'a metric';
  if (metric.type === 'predefined')
    return metric.metric === 'ASGAverageCPUUtilization'
      ? 'CPU'
      : metric.metric === 'ALBRequestCountPerTarget'
        ? 'requests per target'
        : metric.metric;
  return replayMetricOf(metric) === 'backlog-per-instance'
    ? 'backlog per instance'
    : 'a custom metric';
};

export const targetTrackingPolicyKind: ChangeKind<TargetTrackingState> = {
  kind: 'target-tracking-policy',
  stateSchema: TargetTrackingStateSchema,
  async read(target, autoscaling, signal) {
    const name = requireField(target.policyName, 'a policy name');
    const policies = await autoscaling.describePolicies(target.group, signal);
    return { policy: policies.find((p) => p.name === name) ?? null };
  },
  title(target, before, after) {
    const policy = after.policy ?? before.policy;
    const metric = metricWords(policy?.targetTracking?.metric);
    const value = (s: TargetTrackingState) => s.policy?.targetTracking?.targetValue ?? 'none';
    if (!after.policy) return `Delete target tracking ${target.policyName} of ${target.group}`;
    return `Target tracking of ${target.group} on ${metric}: ${value(before)} -> ${value(after)}`;
  },
  diff: (before, after) => diffStates(before, after, POLICY_FIELDS),
  steps(target, before, after) {
    if (holds(before, after) && holds(after, before)) return [];
    if (!after.policy)
      return [
        {
          description: `Delete scaling policy ${target.policyName} of ${target.group}`,
          write: {
            op: 'DeletePolicy',
            group: target.group,
            policyName: requireField(target.policyName, 'a policy name'),
          },
        },
      ];
    const tt = after.policy.targetTracking;
    return [
      {
        description: `${before.policy ? 'Update' : 'Create'} target-tracking policy ${after.policy.name} of ${target.group}${tt ? ` (${metricWords(tt.metric)} at ${tt.targetValue})` : ''}`,
        write: { op: 'PutScalingPolicy', group: target.group, policy: after.policy },
      },
    ];
  },
  matches: (live, expected) => holds(live, expected),
  capacityShift(before, after, group) {
    const b = before.policy?.targetTracking;
    const a = after.policy?.targetTracking;
    const scalesInLater =
      (a !== undefined && b !== undefined && a.targetValue > b.targetValue) ||
      (a !== undefined && !a.disableScaleIn && b?.disableScaleIn === true);
    return {
      from: group.desired,
      to: group.desired,
      min: group.min,
      max: group.max,
      scalesInLater,
    };
  },
  guardrails(target, before, after, facts) {
    const out: GuardrailResult[] = [];
    if (after.policy && !before.policy) {
      out.push(
        quotaGuardrail(
          target.group,
          facts.policies.length + 1,
          MAX_POLICIES_PER_GROUP,
          'scaling policies',
          'Delete a policy the group no longer uses first.',
        ),
      );
    }
    if (after.policy && after.policy.type !== 'TargetTrackingScaling')
      out.push(
        refuse(
          'policy-type',
          `${after.policy.name} is a ${after.policy.type} policy: this change writes target tracking only.`,
        ),
      );
    if (after.policy?.targetTracking?.metric.type === 'predefined') {
      const m = after.policy.targetTracking.metric;
      if (m.metric === 'ALBRequestCountPerTarget' && !m.resourceLabel)
        out.push(
          refuse(
            'policy-metric',
            'ALBRequestCountPerTarget needs the load balancer and target group (ResourceLabel).',
          ),
        );
      if (m.metric === 'ASGAverageCPUUtilization' && after.policy.targetTracking.targetValue > 100)
        out.push(refuse('policy-metric', 'A CPU target is a percentage: at most 100.'));
    }
    return out;
  },
  replayConfig(state, base, facts) {
    return { ...base, policy: replayPolicyOf(state.policy, facts, base.policy) };
  },
};

// --- scheduled actions ----------------------------------------------------------------------

export const ScheduledActionsStateSchema = z.object({ actions: z.array(ScheduledActionSchema) });
export type ScheduledActionsState = z.infer<typeof ScheduledActionsStateSchema>;

const ACTION_FIELDS: Record<string, FieldInfo> = {
  'actions[].startTime': { label: 'Start time', unit: 'epoch ms' },
  'actions[].endTime': { label: 'End time', unit: 'epoch ms' },
  'actions[].recurrence': { label: 'Recurrence (cron)' },
  'actions[].timeZone': { label: 'Time zone' },
  'actions[].min': { label: 'Min size', unit: 'instances' },
  'actions[].max': { label: 'Max size', unit: 'instances' },
  'actions[].desired': { label: 'Desired capacity', unit: 'instances' },
  'actions[].name': { label: 'Scheduled action' },
};

/**
 * A scheduled action as a state holds it. AWS reports a recurring action's StartTime as its
 * next run, which moves every time it fires: it is left out, so a schedule that merely ran
 * is not a conflict.
 */
export function normalizeScheduledAction(action: ScheduledAction): ScheduledAction {
  if (!action.recurrence) return action;
  const { startTime: _next, ...rest } = action;
  return rest;
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

export const scheduledActionsKind: ChangeKind<ScheduledActionsState> = {
  kind: 'scheduled-actions',
  stateSchema: ScheduledActionsStateSchema,
  async read(target, autoscaling, signal) {
    const names = new Set(requireField(target.actionNames, 'scheduled action names'));
    const actions = await autoscaling.describeScheduledActions(target.group, signal);
    return {
      actions: actions
        .filter((a) => names.has(a.name))
        .map(normalizeScheduledAction)
        .sort(byName),
    };
  },
  title(target, before, after) {
    const put = after.actions.length;
    const removed = before.actions.filter(
      (b) => !after.actions.some((a) => a.name === b.name),
    ).length;
    const parts = [put ? `${put} to put` : '', removed ? `${removed} to delete` : ''].filter(
      Boolean,
    );
    return `Scheduled actions of ${target.group}: ${parts.join(', ') || 'none'}`;
  },
  diff: (before, after) => diffStates(before, after, ACTION_FIELDS),
  steps(target, before, after) {
    const steps: ChangeStep[] = [];
    const changed = after.actions.filter(
      (a) => !before.actions.some((b) => b.name === a.name && holds(b, a) && holds(a, b)),
    );
    for (let i = 0; i < changed.length; i += 50) {
      const batch = changed.slice(i, i + 50);
      steps.push({
        description: `Put ${batch.length} scheduled action${batch.length === 1 ? '' : 's'} on ${target.group}: ${batch.map((a) => a.name).join(', ')}`,
        write: { op: 'BatchPutScheduledUpdateGroupAction', group: target.group, actions: batch },
      });
    }
    for (const b of before.actions)
      if (!after.actions.some((a) => a.name === b.name))
        steps.push({
          description: `Delete scheduled action ${b.name} of ${target.group}`,
          write: { op: 'DeleteScheduledAction', group: target.group, name: b.name },
        });
    return steps;
  },
  matches: (live, expected) =>
    holds(
      live.actions.map(normalizeScheduledAction),
      expected.actions.map(normalizeScheduledAction),
    ),
  capacityShift: (_before, _after, group) => ({
    from: group.desired,
    to: group.desired,
    min: group.min,
    max: group.max,
  }),
  guardrails(target, before, after, facts) {
    const out: GuardrailResult[] = [];
    const kept = facts.scheduledActions.filter(
      (a) => !before.actions.some((b) => b.name === a.name),
    );
    out.push(
      quotaGuardrail(
        target.group,
        kept.length + after.actions.length,
        MAX_SCHEDULED_ACTIONS_PER_GROUP,
        'scheduled actions',
        'Delete scheduled actions that have served their purpose first.',
      ),
    );
    // The bounds each one-off action meets when it fires: the group's now, as the actions
    // before it (kept and planned, in time order) left them.
    const boundsAtFire = new Map<string, { min: number; max: number }>();
    {
      let min = facts.group.min;
      let max = facts.group.max;
      const oneOff = [...kept, ...after.actions]
        .filter((a) => !a.recurrence && a.startTime !== undefined)
        .sort((a, b) => a.startTime! - b.startTime! || a.name.localeCompare(b.name));
      for (const a of oneOff) {
        min = a.min ?? min;
        max = a.max ?? max;
        boundsAtFire.set(a.name, { min, max });
      }
    }
    for (const a of after.actions) {
      const unchanged = before.actions.some((b) => b.name === a.name && holds(b, a) && holds(a, b));
      if (unchanged) continue;
      if (a.min === undefined && a.max === undefined && a.desired === undefined)
        out.push(
          refuse('capacity-bounds', `${a.name} sets none of min, max and desired capacity.`),
        );
      const { min, max } = boundsAtFire.get(a.name) ?? {
        min: a.min ?? facts.group.min,
        max: a.max ?? facts.group.max,
      };
      if (min > max || (a.desired !== undefined && (a.desired < min || a.desired > max)))
        out.push(
          refuse(
            'capacity-bounds',
            `${a.name} would leave ${target.group} with min ${min}, desired ${a.desired ?? '-'}, max ${max} when it fires: min <= desired <= max must hold.`,
            ['Set min, max and desired of the action so that min <= desired <= max.'],
          ),
        );
      if (!a.recurrence && a.startTime !== undefined && a.startTime < facts.now)
        out.push(
          refuse(
            'start-time',
            `${a.name} starts ${new Date(a.startTime).toISOString()}, in the past: AWS refuses a StartTime before now.`,
            ['Choose a start time in the future.'],
          ),
        );
      if (a.endTime !== undefined && a.startTime !== undefined && a.endTime <= a.startTime)
        out.push(refuse('start-time', `${a.name} ends before it starts.`));
      if (!a.recurrence && a.startTime === undefined)
        out.push(refuse('start-time', `${a.name} needs a start time or a recurrence.`));
    }
    return out;
  },
  replayConfig(state, base, facts) {
    // The recorded week stands for the week to come: a one-off action at time t fires at
    // the minute (t - now) of the replay. Recurring actions are not replayed.
    const schedule = state.actions
      .filter((a) => !a.recurrence && a.startTime !== undefined && a.startTime >= facts.now)
      .map((a) => ({
        minute: Math.floor((a.startTime! - facts.now) / 60_000),
        ...(a.min !== undefined ? { min: a.min } : {}),
        ...(a.max !== undefined ? { max: a.max } : {}),
        ...(a.desired !== undefined ? { desired: a.desired } : {}),
      }))
      .sort((a, b) => a.minute - b.minute);
    return { ...base, schedule };
  },
};

/** One UpdateAutoScalingGroup of what changes: bounds, and desired capacity or the mix. */
function updateGroupStep(
  group: string,
  before: { min: number; max: number },
  after: { min: number; max: number },
  more: {
    desired?: { from: number | undefined; to: number };
    distribution?: NonNullable<WorkerFleetState['distribution']>;
  },
): ChangeStep {
  const d = more.distribution;
  const words = [
    before.min !== after.min ? `min ${before.min} -> ${after.min}` : '',
    before.max !== after.max ? `max ${before.max} -> ${after.max}` : '',
    more.desired ? `desired ${more.desired.from ?? '-'} -> ${more.desired.to}` : '',
    d
      ? `spot ${100 - d.onDemandPercentageAboveBaseCapacity}% above an on-demand base of ${d.onDemandBaseCapacity}, ${d.spotAllocationStrategy}`
      : '',
  ].filter(Boolean);
  return {
    description: `Update ${group}: ${words.join('; ')}`,
    write: {
      op: 'UpdateAutoScalingGroup',
      group,
      ...(before.min !== after.min ? { min: after.min } : {}),
      ...(before.max !== after.max ? { max: after.max } : {}),
      ...(more.desired ? { desired: more.desired.to } : {}),
      ...(d ? { distribution: d } : {}),
    },
  };
}

// --- worker fleet ------------------------------------------------------------------------

export const WorkerFleetStateSchema = z.object({
  min: z.number().int().min(0),
  max: z.number().int().min(0),
  /** null: the group has no MixedInstancesPolicy */
  distribution: DistributionSchema.nullable(),
  /** the backlog-per-instance target-tracking policy (target.policyName), null when none */
  backlogPolicy: ScalingPolicySchema.nullable(),
});
export type WorkerFleetState = z.infer<typeof WorkerFleetStateSchema>;

const FLEET_FIELDS: Record<string, FieldInfo> = {
  min: { label: 'Min size', unit: 'instances' },
  max: { label: 'Max size', unit: 'instances' },
  'distribution.onDemandBaseCapacity': { label: 'On-demand base', unit: 'instances' },
  'distribution.onDemandPercentageAboveBaseCapacity': { label: 'On-demand above base', unit: '%' },
  'distribution.spotAllocationStrategy': { label: 'Spot allocation strategy' },
  'backlogPolicy.targetTracking.targetValue': {
    label: 'Backlog target',
    unit: 'messages per instance',
  },
  'backlogPolicy.estimatedInstanceWarmup': { label: 'Instance warm-up', unit: 's' },
  'backlogPolicy.targetTracking.disableScaleIn': { label: 'Scale-in disabled' },
};

export const workerFleetKind: ChangeKind<WorkerFleetState> = {
  kind: 'worker-fleet',
  stateSchema: WorkerFleetStateSchema,
  async read(target, autoscaling, signal) {
    const [group, policies] = await Promise.all([
      autoscaling.describeGroup(target.group, signal),
      target.policyName ? autoscaling.describePolicies(target.group, signal) : Promise.resolve([]),
    ]);
    if (!group) throw new Error(`Auto Scaling group ${target.group} not found`);
    return {
      min: group.min,
      max: group.max,
      distribution: group.distribution ?? null,
      backlogPolicy: policies.find((p) => p.name === target.policyName) ?? null,
    };
  },
  title(target, before, after) {
    const parts = diffStates(before, after, FLEET_FIELDS).map((c) => c.label.toLowerCase());
    return `Worker fleet ${target.group}: ${parts.join(', ') || 'no change'}`;
  },
  diff: (before, after) => diffStates(before, after, FLEET_FIELDS),
  steps(target, before, after) {
    const steps: ChangeStep[] = [];
    const bounds = before.min !== after.min || before.max !== after.max;
    const mix =
      after.distribution !== null &&
      !(
        holds(before.distribution, after.distribution) &&
        holds(after.distribution, before.distribution)
      );
    if (bounds || mix)
      steps.push(
        updateGroupStep(target.group, before, after, {
          ...(mix && after.distribution ? { distribution: after.distribution } : {}),
        }),
      );
    const policyStep = targetTrackingPolicyKind.steps(
      target,
      { policy: before.backlogPolicy },
      { policy: after.backlogPolicy },
    );
    return [...steps, ...policyStep];
  },
  matches: (live, expected) => holds(live, expected),
  capacityShift(before, after, group) {
    const to = Math.min(after.max, Math.max(after.min, group.desired));
    const b = before.backlogPolicy?.targetTracking?.targetValue;
    const a = after.backlogPolicy?.targetTracking?.targetValue;
    return {
      from: group.desired,
      to,
      min: after.min,
      max: after.max,
      scalesInLater: after.max < before.max || (a !== undefined && b !== undefined && a > b),
    };
  },
  guardrails(target, before, after, facts) {
    const out: GuardrailResult[] = [];
    const rules = facts.config.groups[target.group];
    const d = after.distribution;
    const mixChanged = !(
      holds(before.distribution, after.distribution) &&
      holds(after.distribution, before.distribution)
    );
    if (mixChanged && before.distribution === null)
      out.push(
        refuse(
          'spot-bounds',
          `${target.group} has no mixed instances policy, so its spot share cannot be set here.`,
          [
            'Give the group a MixedInstancesPolicy with instance type overrides in its launch template first.',
          ],
        ),
      );
    if (d && mixChanged) {
      const spot = 100 - d.onDemandPercentageAboveBaseCapacity;
      if (rules?.spotShare && (spot < rules.spotShare.min || spot > rules.spotShare.max))
        out.push(
          refuse(
            'spot-bounds',
            `A spot share of ${spot}% is outside ${rules.spotShare.min}-${rules.spotShare.max}% allowed for ${target.group} (changes.groups.${target.group}.spotShare in the platform config).`,
            [
              `Choose a spot share between ${rules.spotShare.min} and ${rules.spotShare.max}%, or change the bounds in the platform config.`,
            ],
          ),
        );
      else
        out.push(
          pass(
            'spot-bounds',
            `Spot share ${spot}%${rules?.spotShare ? ` within ${rules.spotShare.min}-${rules.spotShare.max}%` : ' (no bounds configured)'}.`,
          ),
        );
      const base = d.onDemandBaseCapacity;
      if (rules?.onDemandBase && (base < rules.onDemandBase.min || base > rules.onDemandBase.max))
        out.push(
          refuse(
            'spot-bounds',
            `An on-demand base of ${base} is outside ${rules.onDemandBase.min}-${rules.onDemandBase.max} allowed for ${target.group} (changes.groups.${target.group}.onDemandBase in the platform config).`,
            [
              `Choose an on-demand base between ${rules.onDemandBase.min} and ${rules.onDemandBase.max}.`,
            ],
          ),
        );
    }
    if (after.backlogPolicy)
      out.push(
        ...(targetTrackingPolicyKind.guardrails?.(
          target,
          { policy: before.backlogPolicy },
          { policy: after.backlogPolicy },
          facts,
        ) ?? []),
      );
    return out;
  },
  replayConfig(state, base, facts) {
    return {
      ...base,
      min: state.min,
      max: state.max,
      ...(state.distribution ? { distribution: state.distribution } : {}),
      policy: state.backlogPolicy
        ? replayPolicyOf(state.backlogPolicy, facts, base.policy)
        : base.policy,
    };
  },
};

// --- group capacity -----------------------------------------------------------------------

export const GroupCapacityStateSchema = z.object({
  min: z.number().int().min(0),
  max: z.number().int().min(0),
  /** absent: the change leaves desired capacity to the group's policies */
  desired: z.number().int().min(0).optional(),
});
export type GroupCapacityState = z.infer<typeof GroupCapacityStateSchema>;

const CAPACITY_FIELDS: Record<string, FieldInfo> = {
  min: { label: 'Min size', unit: 'instances' },
  max: { label: 'Max size', unit: 'instances' },
  desired: { label: 'Desired capacity', unit: 'instances' },
};

/** A group's bounds and, when the change sets it, its desired capacity. */
export const groupCapacityKind: ChangeKind<GroupCapacityState> = {
  kind: 'group-capacity',
  stateSchema: GroupCapacityStateSchema,
  async read(target, autoscaling, signal) {
    const group = await autoscaling.describeGroup(target.group, signal);
    if (!group) throw new Error(`Auto Scaling group ${target.group} not found`);
    return { min: group.min, max: group.max, desired: group.desired };
  },
  scope: (state, after) =>
    after.desired === undefined ? { min: state.min, max: state.max } : state,
  title(target, before, after) {
    const parts = diffStates(before, after, CAPACITY_FIELDS).map(
      (c) => `${c.label.toLowerCase()} ${String(c.before ?? '-')} -> ${String(c.after ?? '-')}`,
    );
    return `Capacity of ${target.group}: ${parts.join(', ') || 'no change'}`;
  },
  diff: (before, after) => diffStates(before, after, CAPACITY_FIELDS),
  steps(target, before, after) {
    const bounds = before.min !== after.min || before.max !== after.max;
    const desired = after.desired !== undefined && after.desired !== before.desired;
    if (!bounds && !desired) return [];
    if (!bounds && after.desired !== undefined)
      return [
        {
          description: `Set the desired capacity of ${target.group} to ${after.desired}`,
          write: {
            op: 'SetDesiredCapacity',
            group: target.group,
            desired: after.desired,
            honorCooldown: false,
          },
        },
      ];
    return [
      updateGroupStep(target.group, before, after, {
        ...(desired ? { desired: { from: before.desired, to: after.desired! } } : {}),
      }),
    ];
  },
  matches: (live, expected) => holds(live, expected),
  capacityShift(before, after, group) {
    // Auto Scaling moves desired capacity into new bounds by itself.
    const to = after.desired ?? Math.min(after.max, Math.max(after.min, group.desired));
    return {
      from: group.desired,
      to,
      min: after.min,
      max: after.max,
      scalesInLater: after.max < before.max,
    };
  },
  // Desired capacity set now is overridden by the group's policy within minutes: only the
  // bounds change what the recorded week would have looked like.
  replayConfig: (state, base) => ({ ...base, min: state.min, max: state.max }),
};

export const autoScalingKinds = [
  targetTrackingPolicyKind,
  scheduledActionsKind,
  workerFleetKind,
  groupCapacityKind,
] as const;

export type { ChangeTarget };

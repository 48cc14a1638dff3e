// Flags of the scaling and workers commands, and the plan requests they make (core's
// request builders do the work: a request changes only what its flags name).
import {
  groupCapacityRequest,
  parseDuration,
  scalingPolicyRequest,
  scheduledActionsRequest,
  SpotAllocationStrategySchema,
  workerFleetRequest,
  type GuardrailOverride,
  type PlanRequest,
  type PlatformConfig,
  type ScheduledAction,
} from '@ballast/core';
import { Args, Flags } from '@oclif/core';
import { UserError, USAGE_EXIT_CODE } from './errors.js';

export const groupArg = {
  group: Args.string({ description: 'Auto Scaling group name, e.g. store-web.', required: true }),
};

const count = (summary: string, helpGroup?: string) =>
  Flags.integer({ summary, min: 0, ...(helpGroup ? { helpGroup } : {}) });

/** `scaling plan|apply`: a target-tracking policy, or the group's capacity. */
export const scalingChangeFlags = {
  'target-cpu': Flags.integer({
    summary: 'Target tracking on average CPU: the percentage to hold (1-100).',
    min: 1,
    max: 100,
    helpGroup: 'POLICY',
  }),
  'target-requests': Flags.integer({
    summary: 'Target tracking on ALB requests per target (per minute).',
    min: 1,
    helpGroup: 'POLICY',
  }),
  'target-backlog': Flags.integer({
    summary: 'Target tracking on SQS messages per instance (worker groups).',
    min: 1,
    helpGroup: 'POLICY',
  }),
  warmup: Flags.string({
    summary: "The policy's instance warm-up: 90s, 5m, ...",
    helpGroup: 'POLICY',
  }),
  'scale-in': Flags.boolean({
    summary: 'Let the policy scale in (--no-scale-in: only scale out).',
    allowNo: true,
    helpGroup: 'POLICY',
  }),
  'policy-name': Flags.string({
    summary: 'The policy to change or create; default: the group’s policy on that metric.',
    helpGroup: 'POLICY',
  }),
  min: count('Minimum size of the group.', 'CAPACITY'),
  max: count('Maximum size of the group.', 'CAPACITY'),
  desired: count('Desired capacity now (the policy moves it again later).', 'CAPACITY'),
};

type ScalingFlags = {
  'target-cpu'?: number | undefined;
  'target-requests'?: number | undefined;
  'target-backlog'?: number | undefined;
  warmup?: string | undefined;
  'scale-in'?: boolean | undefined;
  'policy-name'?: string | undefined;
  min?: number | undefined;
  max?: number | undefined;
  desired?: number | undefined;
};

function usage(message: string, command: string): UserError {
  return new UserError(message, {
    code: 'InvalidUsage',
    exitCode: USAGE_EXIT_CODE,
    actions: [`ballast ${command} --help`],
  });
}

export function scalingRequest(
  platform: PlatformConfig,
  group: string,
  flags: ScalingFlags,
  more: { overrides: GuardrailOverride[]; signal?: AbortSignal; command: string },
): PlanRequest {
  const common = {
    group,
    overrides: more.overrides,
    ...(more.signal ? { signal: more.signal } : {}),
  };
  const targets = (
    [
      ['cpu', flags['target-cpu']],
      ['requests-per-target', flags['target-requests']],
      ['backlog-per-instance', flags['target-backlog']],
    ] as const
  ).filter(([, v]) => v !== undefined);
  const policy =
    targets.length > 0 || flags.warmup !== undefined || flags['scale-in'] !== undefined;
  const capacity =
    flags.min !== undefined || flags.max !== undefined || flags.desired !== undefined;
  if (targets.length > 1)
    throw usage(
      'Give one of --target-cpu, --target-requests and --target-backlog: a plan changes one policy.',
      more.command,
    );
  if (policy && capacity)
    throw usage(
      'A plan changes either a policy (--target-*) or the capacity (--min, --max, --desired): plan them one after the other.',
      more.command,
    );
  if (capacity) {
    return groupCapacityRequest({
      ...common,
      ...(flags.min !== undefined ? { min: flags.min } : {}),
      ...(flags.max !== undefined ? { max: flags.max } : {}),
      ...(flags.desired !== undefined ? { desired: flags.desired } : {}),
    });
  }
  const [metric, target] = targets[0] ?? [];
  if (!metric)
    throw usage(
      policy
        ? 'Say which policy: --target-cpu, --target-requests or --target-backlog (with the value to hold).'
        : 'Say what to change: a target (--target-cpu 50, --target-requests 1000, --target-backlog 20) or the capacity (--min, --max, --desired).',
      more.command,
    );
  return scalingPolicyRequest(platform, {
    ...common,
    metric,
    ...(target !== undefined ? { target } : {}),
    ...(flags.warmup !== undefined ? { warmupSeconds: seconds(flags.warmup) } : {}),
    ...(flags['scale-in'] !== undefined ? { disableScaleIn: !flags['scale-in'] } : {}),
    ...(flags['policy-name'] ? { policyName: flags['policy-name'] } : {}),
  });
}

function seconds(duration: string): number {
  return Math.round(parseDuration(duration) / 1000);
}

/** `workers plan|apply`: bounds, backlog target and purchase options. */
export const workerChangeFlags = {
  min: count('Minimum number of workers.'),
  max: count('Maximum number of workers.'),
  'backlog-target': Flags.integer({
    summary:
      'Messages per worker the backlog policy holds (target tracking on visible messages / workers in service).',
    min: 1,
  }),
  'spot-share': Flags.integer({
    summary: 'Percent of the capacity above the on-demand base that runs on spot (0-100).',
    min: 0,
    max: 100,
  }),
  'on-demand-base': count('Instances that always run on-demand, before any spot.'),
  'allocation-strategy': Flags.option({
    summary: 'How spot capacity is chosen.',
    options: SpotAllocationStrategySchema.options,
  })(),
};

type WorkerFlags = {
  min?: number | undefined;
  max?: number | undefined;
  'backlog-target'?: number | undefined;
  'spot-share'?: number | undefined;
  'on-demand-base'?: number | undefined;
  'allocation-strategy'?: (typeof SpotAllocationStrategySchema.options)[number] | undefined;
};

export function workersRequest(
  platform: PlatformConfig,
  group: string,
  flags: WorkerFlags,
  more: { overrides: GuardrailOverride[]; signal?: AbortSignal; command: string },
): PlanRequest {
  const given = Object.values(flags).some((v) => v !== undefined);
  if (!given)
    throw usage(
      'Say what to change: --min, --max, --backlog-target, --spot-share, --on-demand-base or --allocation-strategy.',
      more.command,
    );
  return workerFleetRequest(platform, {
    group,
    overrides: more.overrides,
    ...(more.signal ? { signal: more.signal } : {}),
    ...(flags.min !== undefined ? { min: flags.min } : {}),
    ...(flags.max !== undefined ? { max: flags.max } : {}),
    ...(flags['backlog-target'] !== undefined ? { backlogTarget: flags['backlog-target'] } : {}),
    ...(flags['spot-share'] !== undefined ? { spotShare: flags['spot-share'] } : {}),
    ...(flags['on-demand-base'] !== undefined ? { onDemandBase: flags['on-demand-base'] } : {}),
    ...(flags['allocation-strategy'] ? { allocationStrategy: flags['allocation-strategy'] } : {}),
  });
}

/** `scaling schedule`: one scheduled action, one-off or recurring. */
export const scheduleFlags = {
  name: Flags.string({
    summary: 'Name of the scheduled action (an existing one is replaced).',
    required: true,
  }),
  at: Flags.string({
    summary: 'One-off: when it runs, ISO 8601 (2026-11-27T05:30Z; without a zone, UTC).',
    exclusive: ['recurrence'],
  }),
  recurrence: Flags.string({
    summary: 'Recurring: a cron expression of five fields, e.g. "0 6 * * 1-5".',
    exclusive: ['at'],
  }),
  'time-zone': Flags.string({
    summary: 'IANA time zone of --recurrence, e.g. America/New_York (default UTC).',
    dependsOn: ['recurrence'],
  }),
  'end-at': Flags.string({
    summary: 'Recurring: when it stops, ISO 8601.',
    dependsOn: ['recurrence'],
  }),
  min: count('Minimum size it sets.'),
  max: count('Maximum size it sets.'),
  desired: count('Desired capacity it sets.'),
};

/** An ISO 8601 time; without a zone, UTC. */
export function parseTime(input: string, flag: string, command: string): number {
  const text = input.trim();
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) || !/T|\d{2}:\d{2}/.test(text);
  const t = Date.parse(zoned ? text : `${text.replace(' ', 'T')}Z`);
  if (!Number.isFinite(t))
    throw usage(`--${flag} ${input} is not a time: use ISO 8601, e.g. 2026-11-27T05:30Z.`, command);
  return t;
}

export function scheduleRequest(
  group: string,
  flags: {
    name: string;
    at?: string | undefined;
    recurrence?: string | undefined;
    'time-zone'?: string | undefined;
    'end-at'?: string | undefined;
    min?: number | undefined;
    max?: number | undefined;
    desired?: number | undefined;
  },
  more: { overrides: GuardrailOverride[]; signal?: AbortSignal; command: string },
): PlanRequest {
  if (!flags.at && !flags.recurrence)
    throw usage('Say when: --at TIME (once) or --recurrence CRON (repeatedly).', more.command);
  if (flags.min === undefined && flags.max === undefined && flags.desired === undefined)
    throw usage('Say what it sets: --min, --max and/or --desired.', more.command);
  const action: ScheduledAction = {
    name: flags.name,
    ...(flags.at ? { startTime: parseTime(flags.at, 'at', more.command) } : {}),
    ...(flags.recurrence ? { recurrence: flags.recurrence } : {}),
    ...(flags['time-zone'] ? { timeZone: flags['time-zone'] } : {}),
    ...(flags['end-at'] ? { endTime: parseTime(flags['end-at'], 'end-at', more.command) } : {}),
    ...(flags.min !== undefined ? { min: flags.min } : {}),
    ...(flags.max !== undefined ? { max: flags.max } : {}),
    ...(flags.desired !== undefined ? { desired: flags.desired } : {}),
  };
  return scheduledActionsRequest({
    group,
    put: [action],
    overrides: more.overrides,
    withoutEffect: action.startTime === undefined,
    ...(more.signal ? { signal: more.signal } : {}),
  });
}

/** "8x", "8", "2.5x": the sale's traffic over an ordinary day's. */
export function parsePeak(input: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*x?\s*$/i.exec(input);
  const value = match ? Number(match[1]) : NaN;
  if (!(value >= 1 && value <= 100))
    throw new Error(`${input} is not a peak multiple: give e.g. 8x (between 1x and 100x).`);
  return value;
}

// The change model: what Auto Scaling state a change reads and writes, the write operations
// that carry it out, and the plan and audit documents. Everything here is serializable and
// parsed with zod where it crosses a boundary (a saved plan file, an audit row, an API body).
import { z } from 'zod';
import { DimensionSchema } from '../model/health.js';

// --- Auto Scaling state, as the collectors read it -------------------------------------

export const SpotAllocationStrategySchema = z.enum([
  'price-capacity-optimized',
  'capacity-optimized',
  'capacity-optimized-prioritized',
  'lowest-price',
]);
export type SpotAllocationStrategy = z.infer<typeof SpotAllocationStrategySchema>;

/** A MixedInstancesPolicy's InstancesDistribution, with AWS's defaults filled in. */
export const DistributionSchema = z
  .object({
    onDemandBaseCapacity: z.number().int().min(0),
    /** 100 - the spot share above the base */
    onDemandPercentageAboveBaseCapacity: z.number().int().min(0).max(100),
    spotAllocationStrategy: SpotAllocationStrategySchema,
  })
  .strict();
export type Distribution = z.infer<typeof DistributionSchema>;

/** A group as a change sees it: bounds, desired capacity and purchase options. */
export const LiveGroupSchema = z
  .object({
    name: z.string(),
    min: z.number().int().min(0),
    max: z.number().int().min(0),
    desired: z.number().int().min(0),
    inService: z.number().int().min(0),
    /** absent when the group has no MixedInstancesPolicy (on-demand only) */
    distribution: DistributionSchema.optional(),
    /** launch template overrides (or the one instance type), first = highest priority */
    instanceTypes: z.array(z.string()),
    /** seconds; the group's DefaultInstanceWarmup, when set */
    defaultInstanceWarmup: z.number().optional(),
  })
  .strict();
export type LiveGroup = z.infer<typeof LiveGroupSchema>;

export const PredefinedMetricSchema = z.enum([
  'ASGAverageCPUUtilization',
  'ASGAverageNetworkIn',
  'ASGAverageNetworkOut',
  'ALBRequestCountPerTarget',
]);
export type PredefinedMetric = z.infer<typeof PredefinedMetricSchema>;

export const MetricStatSchema = z
  .object({
    namespace: z.string(),
    metricName: z.string(),
    dimensions: z.array(DimensionSchema).default([]),
    stat: z.string(),
    unit: z.string().optional(),
    /** seconds, for a high-resolution metric (10, 30 or 60) */
    period: z.number().int().positive().optional(),
  })
  .strict();
export type MetricStat = z.infer<typeof MetricStatSchema>;

/** The metric a target-tracking policy tracks. */
export const TrackedMetricSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('predefined'),
      metric: PredefinedMetricSchema,
      /** ALBRequestCountPerTarget only: app/<lb>/<id>/targetgroup/<tg>/<id> */
      resourceLabel: z.string().optional(),
    })
    .strict(),
  z.object({ type: z.literal('customized'), metric: MetricStatSchema }).strict(),
  z
    .object({
      type: z.literal('math'),
      /** CustomizedMetricSpecification.Metrics: one entry returns data */
      queries: z.array(
        z
          .object({
            id: z.string(),
            expression: z.string().optional(),
            metricStat: MetricStatSchema.optional(),
            label: z.string().optional(),
            returnData: z.boolean(),
          })
          .strict(),
      ),
    })
    .strict(),
]);
export type TrackedMetric = z.infer<typeof TrackedMetricSchema>;

export const ScalingPolicySchema = z
  .object({
    name: z.string().min(1).max(255),
    type: z.enum(['TargetTrackingScaling', 'StepScaling', 'SimpleScaling', 'PredictiveScaling']),
    enabled: z.boolean().default(true),
    /** seconds; target tracking and step scaling */
    estimatedInstanceWarmup: z.number().int().min(0).optional(),
    targetTracking: z
      .object({
        metric: TrackedMetricSchema,
        targetValue: z.number().positive(),
        disableScaleIn: z.boolean().default(false),
      })
      .strict()
      .optional(),
    /** other policy types are carried through opaquely (read, compared, never rewritten) */
    other: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type ScalingPolicy = z.infer<typeof ScalingPolicySchema>;

export const ScheduledActionSchema = z
  .object({
    name: z.string().min(1).max(255),
    /** epoch ms; for a recurring action, when recurrences begin (omitted: now) */
    startTime: z.number().optional(),
    endTime: z.number().optional(),
    /** cron, five fields, in timeZone (UTC by default) */
    recurrence: z.string().optional(),
    /** IANA time zone of the recurrence, e.g. America/New_York */
    timeZone: z.string().optional(),
    min: z.number().int().min(0).optional(),
    max: z.number().int().min(0).optional(),
    desired: z.number().int().min(0).optional(),
  })
  .strict();
export type ScheduledAction = z.infer<typeof ScheduledActionSchema>;

/** The documented per-group quotas (Service Quotas; not adjustable) and DescribeAccountLimits. */
export const AccountLimitsSchema = z
  .object({
    maxGroups: z.number().optional(),
    groups: z.number().optional(),
    maxLaunchConfigurations: z.number().optional(),
    launchConfigurations: z.number().optional(),
  })
  .strict();
export type AccountLimits = z.infer<typeof AccountLimitsSchema>;

/** Scaling policies per Auto Scaling group (AWS quota, not adjustable). */
export const MAX_POLICIES_PER_GROUP = 50;
/** Scheduled actions per Auto Scaling group (AWS quota, not adjustable). */
export const MAX_SCHEDULED_ACTIONS_PER_GROUP = 125;

// --- Writes ------------------------------------------------------------------------------

/** One Auto Scaling write, serializable so a plan and the audit can show it. */
export const WriteOpSchema = z.discriminatedUnion('op', [
  z
    .object({ op: z.literal('PutScalingPolicy'), group: z.string(), policy: ScalingPolicySchema })
    .strict(),
  z.object({ op: z.literal('DeletePolicy'), group: z.string(), policyName: z.string() }).strict(),
  z
    .object({
      op: z.literal('SetDesiredCapacity'),
      group: z.string(),
      desired: z.number().int().min(0),
      honorCooldown: z.boolean(),
    })
    .strict(),
  z
    .object({
      op: z.literal('UpdateAutoScalingGroup'),
      group: z.string(),
      min: z.number().int().min(0).optional(),
      max: z.number().int().min(0).optional(),
      desired: z.number().int().min(0).optional(),
      distribution: DistributionSchema.partial().optional(),
    })
    .strict(),
  z
    .object({
      op: z.literal('BatchPutScheduledUpdateGroupAction'),
      group: z.string(),
      actions: z.array(ScheduledActionSchema).min(1).max(50),
    })
    .strict(),
  z
    .object({ op: z.literal('DeleteScheduledAction'), group: z.string(), name: z.string() })
    .strict(),
]);
export type WriteOp = z.infer<typeof WriteOpSchema>;

export const ChangeStepSchema = z.object({
  /** a sentence: "Set the target of store-web-cpu70 from 70 to 50 %" */
  description: z.string(),
  write: WriteOpSchema,
});
export type ChangeStep = z.infer<typeof ChangeStepSchema>;

// --- Plans -------------------------------------------------------------------------------

export const ChangeTargetSchema = z
  .object({
    /** the Ballast context (account + region) the change is for */
    context: z.string(),
    group: z.string(),
    /** the tier of the platform config the group belongs to, when it is in one */
    tier: z.string().optional(),
    /** what else narrows the target: a policy name, scheduled action names */
    policyName: z.string().optional(),
    actionNames: z.array(z.string()).optional(),
  })
  .strict();
export type ChangeTarget = z.infer<typeof ChangeTargetSchema>;

/** One field of the readable diff. */
export const FieldChangeSchema = z.object({
  /** dotted path, e.g. policy.targetValue or actions[bf-warm].desired */
  field: z.string(),
  label: z.string(),
  /** undefined: the field is absent on that side (added or removed) */
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  unit: z.string().optional(),
});
export type FieldChange = z.infer<typeof FieldChangeSchema>;

export const GuardrailOverrideSchema = z.enum(['force', 'during-load-test']);
export type GuardrailOverride = z.infer<typeof GuardrailOverrideSchema>;

export const GuardrailResultSchema = z.object({
  id: z.string(),
  ok: z.boolean(),
  /** why it passed or why it refuses, in a sentence */
  message: z.string(),
  /** the flag that overrides the refusal (without the dashes); absent when nothing may */
  override: GuardrailOverrideSchema.optional(),
  /** what to do instead, most useful first */
  actions: z.array(z.string()).default([]),
});
export type GuardrailResult = z.infer<typeof GuardrailResultSchema>;

export const SloMinutesSchema = z.object({
  degraded: z.number(),
  critical: z.number(),
});

/** The outcome of one replay (a configuration run through recorded traffic). */
export const ReplayOutcomeSchema = z.object({
  instanceHours: z.number(),
  onDemandHours: z.number(),
  spotHours: z.number(),
  costUsd: z.number(),
  /** per SLO signal of the tier (latency, errors, saturation): minutes over each level */
  minutesOverSlo: z.record(z.string(), SloMinutesSchema),
  /** workers: the oldest message's peak age, seconds */
  peakQueueAgeSeconds: z.number().optional(),
  peakInstances: z.number(),
  /** changes of desired capacity the policy made */
  scalingActivities: z.number(),
  minutesAtMax: z.number(),
});
export type ReplayOutcome = z.infer<typeof ReplayOutcomeSchema>;

/** What the plan would have done over the recorded window, next to what it does now. */
export const EffectSchema = z.object({
  window: z.object({ start: z.number(), end: z.number(), periodSeconds: z.number() }),
  /** minutes of the window that had recorded traffic */
  coveredMinutes: z.number(),
  candidate: ReplayOutcomeSchema,
  current: ReplayOutcomeSchema,
  /** what was recorded (what actually happened); absent when the recorded series lack it */
  actual: ReplayOutcomeSchema.partial().optional(),
  /** how far the replay of the current configuration is from what was recorded */
  backtest: z.array(
    z.object({
      measure: z.string(),
      replayed: z.number(),
      actual: z.number(),
      /** (replayed - actual) / actual; absent when actual is 0 */
      relativeError: z.number().optional(),
      sentence: z.string(),
    }),
  ),
  /** the model's parameters and where they came from, so the numbers can be checked */
  assumptions: z.array(z.string()),
  prices: z.object({
    onDemandPerHour: z.number(),
    spotPerHour: z.number(),
    source: z.string(),
  }),
});
export type Effect = z.infer<typeof EffectSchema>;

export const PLAN_FORMAT = 'ballast.change-plan';
export const PLAN_VERSION = 1;

export const PlanSchema = z.object({
  format: z.literal(PLAN_FORMAT),
  version: z.literal(PLAN_VERSION),
  id: z.string(),
  kind: z.string(),
  /** one line: "Target tracking of store-web on CPU: 70 -> 50 %" */
  title: z.string(),
  target: ChangeTargetSchema,
  createdAt: z.number(),
  /** the live state the plan was made against (compare-and-set at apply) */
  before: z.unknown(),
  /** the state the plan leaves */
  after: z.unknown(),
  diff: z.array(FieldChangeSchema),
  steps: z.array(ChangeStepSchema),
  effect: EffectSchema.optional(),
  /** why there is no effect (no recorded traffic, a kind that has none) */
  effectUnavailable: z.string().optional(),
  guardrails: z.array(GuardrailResultSchema),
  /** the overrides given at planning, e.g. ["force"] */
  overrides: z.array(GuardrailOverrideSchema).default([]),
  /** set when this plan undoes an applied change */
  revertOf: z.string().optional(),
  /** sha-256 of the canonical JSON of every other field: a plan edited after saving is refused */
  fingerprint: z.string(),
});
export type Plan = z.infer<typeof PlanSchema>;

// --- Audit -------------------------------------------------------------------------------

export const ActorSchema = z.object({
  /** the AWS principal (STS GetCallerIdentity Arn) */
  principal: z.string(),
  account: z.string().optional(),
  /** the local user, or the dashboard operator */
  user: z.string(),
  via: z.enum(['cli', 'dashboard', 'api', 'test']),
});
export type Actor = z.infer<typeof ActorSchema>;

export const StepOutcomeSchema = z.object({
  description: z.string(),
  write: WriteOpSchema,
  /** unknown: the applying process ended before it recorded the step (see 'interrupted') */
  status: z.enum(['applied', 'failed', 'not-applied', 'unknown']),
  error: z.string().optional(),
  /** failed: what to do about it, when the failure says */
  actions: z.array(z.string()).optional(),
});
export type StepOutcome = z.infer<typeof StepOutcomeSchema>;

export const ChangeStatusSchema = z.enum([
  /** applied and read back */
  'applied',
  /** applied, but the read-back did not match before the verify deadline */
  'unverified',
  /** a write failed; `steps` says which were applied */
  'failed',
  /** the process ended between intent and outcome; recorded when the lease was recovered */
  'interrupted',
]);
export type ChangeStatus = z.infer<typeof ChangeStatusSchema>;

export const AuditBodySchema = z.object({
  seq: z.number().int().positive(),
  changeId: z.string(),
  phase: z.enum(['intent', 'outcome']),
  at: z.number(),
  actor: ActorSchema,
  reason: z.string(),
  kind: z.string(),
  title: z.string(),
  target: ChangeTargetSchema,
  planId: z.string(),
  revertOf: z.string().optional(),
  before: z.unknown(),
  after: z.unknown(),
  /** intent: the whole plan as applied */
  plan: PlanSchema.optional(),
  /** outcome only */
  result: z
    .object({
      status: ChangeStatusSchema,
      steps: z.array(StepOutcomeSchema),
      /** the live state read back last (verify), when it was read */
      observed: z.unknown().optional(),
      error: z.string().optional(),
    })
    .optional(),
});
export type AuditBody = z.infer<typeof AuditBodySchema>;

/** A row of the audit log: the body, and the chain. */
export interface AuditRow {
  seq: number;
  changeId: string;
  phase: 'intent' | 'outcome';
  at: number;
  /** canonical JSON of the AuditBody, exactly as hashed */
  body: string;
  prevHash: string;
  hash: string;
}

/** One change as the audit tells it: its intent and, once known, its outcome. */
export const ChangeRecordSchema = z.object({
  changeId: z.string(),
  kind: z.string(),
  title: z.string(),
  target: ChangeTargetSchema,
  actor: ActorSchema,
  reason: z.string(),
  /** when the intent was recorded */
  at: z.number(),
  /** when the outcome was recorded; absent while unknown */
  finishedAt: z.number().optional(),
  /** 'pending' while the intent has no outcome (in progress, or the process died) */
  status: z.union([ChangeStatusSchema, z.literal('pending')]),
  planId: z.string(),
  revertOf: z.string().optional(),
  /** changes that reverted this one */
  revertedBy: z.array(z.string()).default([]),
  before: z.unknown(),
  after: z.unknown(),
  diff: z.array(FieldChangeSchema),
  steps: z.array(StepOutcomeSchema),
  error: z.string().optional(),
});
export type ChangeRecord = z.infer<typeof ChangeRecordSchema>;

/** A change drawn on a chart: when, on which group and tier, what, and how it ended. */
export const ChangeAnnotationSchema = z.object({
  changeId: z.string(),
  at: z.number(),
  finishedAt: z.number().optional(),
  group: z.string(),
  tier: z.string().optional(),
  kind: z.string(),
  /** short text for the marker */
  label: z.string(),
  status: ChangeRecordSchema.shape.status,
  user: z.string(),
  reason: z.string(),
  revertOf: z.string().optional(),
});
export type ChangeAnnotation = z.infer<typeof ChangeAnnotationSchema>;

// Platform config: which AWS resources make up each tier of the store, and the SLOs that
// turn their golden signals into ok / degraded / critical. Loaded from YAML or JSON.
import { z } from 'zod';
import { ThresholdSchema } from './health.js';

export const ResourceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('route53-health-check'), id: z.string().min(1) }).strict(),
  z.object({ type: z.literal('cloudfront-distribution'), id: z.string().min(1) }).strict(),
  z.object({ type: z.literal('s3-bucket'), name: z.string().min(1) }).strict(),
  z
    .object({
      type: z.literal('alb'),
      /** the LoadBalancer dimension, e.g. app/store-alb/50dc6c495c0c9188 */
      loadBalancer: z.string().regex(/^app\/[^/]+\/[0-9a-f]+$/, 'app/<name>/<id>'),
      /** the TargetGroup dimension, e.g. targetgroup/store-web/73e2d6bc24d8a067 */
      targetGroup: z.string().regex(/^targetgroup\/[^/]+\/[0-9a-f]+$/, 'targetgroup/<name>/<id>'),
    })
    .strict(),
  z
    .object({
      type: z.literal('asg'),
      name: z.string().min(1),
      /**
       * The metric a team publishes from EC2's "Spot Instance Interruption Warning" events
       * (AWS has none), one count per warning, with the dimension AutoScalingGroupName.
       */
      spotInterruptions: z
        .object({ namespace: z.string().min(1), metricName: z.string().min(1) })
        .strict()
        .optional(),
    })
    .strict(),
  z.object({ type: z.literal('sqs-queue'), name: z.string().min(1) }).strict(),
  z.object({ type: z.literal('lambda-function'), name: z.string().min(1) }).strict(),
  z.object({ type: z.literal('rds-instance'), id: z.string().min(1) }).strict(),
  z.object({ type: z.literal('dynamodb-table'), name: z.string().min(1) }).strict(),
  z.object({ type: z.literal('elasticache-cluster'), id: z.string().min(1) }).strict(),
]);
export type Resource = z.infer<typeof ResourceSchema>;
export type ResourceType = Resource['type'];

/** Per-tier SLO thresholds, each in the unit of that tier's signal (see README). */
export const SloSchema = z
  .object({
    traffic: ThresholdSchema.optional(),
    /** error rate, percent of requests */
    errors: ThresholdSchema.optional(),
    /** latency in milliseconds (queue age for a worker tier) */
    latency: ThresholdSchema.optional(),
    /** saturation, percent (CPU and similar) */
    saturation: ThresholdSchema.optional(),
  })
  .strict();
export type Slo = z.infer<typeof SloSchema>;

export const TierSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case id such as "web"'),
    title: z.string().min(1),
    resources: z.array(ResourceSchema).min(1),
    slo: SloSchema.default({}),
  })
  .strict();
export type Tier = z.infer<typeof TierSchema>;

/** A budget in USD a month: a positive number. */
const BudgetUsdSchema = z.number().positive();

/**
 * A cost-allocation tag key as Cost Explorer knows it (activated in the Billing console):
 * AWS allows letters, digits, spaces and _ . : / = + - @.
 */
const TagKeySchema = z
  .string()
  .regex(
    /^[\p{L}\p{N}\s_.:/=+\-@]{1,128}$/u,
    'a tag key such as team (letters, digits, _ . : / = + - @)',
  );

export const SpendConfigSchema = z
  .object({
    /** Cost-allocation tag keys to group by and budget on, most useful first. */
    tagKeys: z.array(TagKeySchema).default([]),
    budgets: z
      .object({
        /** the whole account, USD a month */
        monthly: BudgetUsdSchema.optional(),
        /** per tag value, USD a month: { team: { storefront: 6000 } } */
        tags: z.record(TagKeySchema, z.record(z.string().min(1), BudgetUsdSchema)).default({}),
      })
      .strict()
      .default({ tags: {} }),
    /** The business metrics the store publishes to CloudWatch (daily sums make unit costs). */
    businessMetrics: z
      .object({
        namespace: z.string().min(1),
        /** dimensions every metric is published with, e.g. { Environment: production } */
        dimensions: z.record(z.string().min(1), z.string().min(1)).default({}),
        /** metric names; a unit cost needs its driver named */
        orders: z.string().min(1).optional(),
        revenue: z.string().min(1).optional(),
        modelViews: z.string().min(1).optional(),
        modelBytes: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((spend, ctx) => {
    for (const key of Object.keys(spend.budgets.tags)) {
      if (!spend.tagKeys.includes(key))
        ctx.addIssue({
          code: 'custom',
          path: ['budgets', 'tags', key],
          message:
            spend.tagKeys.length === 0
              ? `tag key "${key}" is not in spend.tagKeys (add it there to budget on it)`
              : `tag key "${key}" is not in spend.tagKeys (${spend.tagKeys.join(', ')}): add it there, or fix its spelling`,
        });
    }
  });
export type SpendConfig = z.infer<typeof SpendConfigSchema>;

/** An inclusive range of whole numbers; min <= max. */
const rangeOf = (lowest: number, highest: number, what: string) =>
  z
    .object({
      min: z.number().int().min(lowest).max(highest),
      max: z.number().int().min(lowest).max(highest),
    })
    .strict()
    .refine((r) => r.min <= r.max, { message: `${what}: min must not be above max` });

/** Guardrails and prices of one Auto Scaling group, for the change engine. */
export const GroupChangeRulesSchema = z
  .object({
    /**
     * Percent of the capacity above the on-demand base that may run on spot (100 -
     * OnDemandPercentageAboveBaseCapacity).
     */
    spotShare: rangeOf(0, 100, 'spotShare').optional(),
    /** OnDemandBaseCapacity, instances */
    onDemandBase: rangeOf(0, 10_000, 'onDemandBase').optional(),
    /** USD per instance-hour, for what-if costs; list prices of the instance type otherwise */
    prices: z
      .object({ onDemandPerHour: z.number().positive(), spotPerHour: z.number().positive() })
      .strict()
      .optional(),
  })
  .strict();
export type GroupChangeRules = z.infer<typeof GroupChangeRulesSchema>;

/** The change engine's guardrails (see core/src/changes). */
export const ChangesConfigSchema = z
  .object({
    /**
     * A change that moves capacity by more than this share of the current desired capacity
     * (0.5 = 50%) needs --force.
     */
    maxStepShare: z.number().gt(0).max(10).default(0.5),
    /** per Auto Scaling group name (an asg resource of a tier) */
    groups: z.record(z.string(), GroupChangeRulesSchema).default({}),
  })
  .strict();
export type ChangesConfig = z.infer<typeof ChangesConfigSchema>;

/**
 * Limits of the load tests Ballast runs against the platform: a test the estimate puts above
 * any of them needs --force.
 */
export const LoadTestLimitsSchema = z
  .object({
    /** the most virtual users (concurrent shoppers) */
    maxVus: z.number().int().positive().optional(),
    /** the highest request rate, requests a second */
    maxRequestsPerSecond: z.number().positive().optional(),
    /** the longest test, minutes */
    maxDurationMinutes: z.number().positive().optional(),
    /** the most bytes downloaded (CloudFront egress is billed per GB) */
    maxBytes: z.number().positive().optional(),
  })
  .strict();
export type LoadTestLimits = z.infer<typeof LoadTestLimitsSchema>;

/**
 * What the platform is. A load test against a production platform at a target that is not
 * loopback needs --i-know-this-is-production.
 */
export const EnvironmentSchema = z.enum(['production', 'staging', 'development', 'sandbox']);
export type Environment = z.infer<typeof EnvironmentSchema>;

export const PlatformConfigSchema = z
  .object({
    name: z.string().min(1),
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region such as us-east-1'),
    tiers: z
      .array(TierSchema)
      .min(1)
      .refine(
        (tiers) => new Set(tiers.map((t) => t.id)).size === tiers.length,
        'tier ids must be unique',
      ),
    /** What Ballast shows about money: budgets, tag keys, business metrics (see spendConfig). */
    spend: SpendConfigSchema.optional(),
    /** Guardrails of changes (see changesConfig). */
    changes: ChangesConfigSchema.optional(),
    /** What this platform is; absent: not known to be production. */
    environment: EnvironmentSchema.optional(),
    /** Limits of load tests (see LoadTestLimitsSchema); absent: none. */
    loadTests: LoadTestLimitsSchema.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const groups = new Set(
      config.tiers.flatMap((t) => t.resources.flatMap((r) => (r.type === 'asg' ? [r.name] : []))),
    );
    for (const name of Object.keys(config.changes?.groups ?? {}))
      if (!groups.has(name))
        ctx.addIssue({
          code: 'custom',
          path: ['changes', 'groups', name],
          message: `no tier has an asg named "${name}" (groups: ${[...groups].join(', ') || 'none'})`,
        });
  });
export type PlatformConfig = z.infer<typeof PlatformConfigSchema>;

/** The spend settings of a platform: none of its budgets, tag keys or metrics when absent. */
export function spendConfig(config: PlatformConfig): SpendConfig {
  return config.spend ?? { tagKeys: [], budgets: { tags: {} } };
}

/** The change guardrails of a platform: a 50% step and no per-group bounds when absent. */
export function changesConfig(config: PlatformConfig): ChangesConfig {
  return config.changes ?? { maxStepShare: 0.5, groups: {} };
}

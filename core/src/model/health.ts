// The health model shared by collectors, CLI and dashboard. Every value that crosses a
// boundary (SDK response -> model, API -> browser) is parsed with these schemas.
import { z } from 'zod';

export const GoldenSignalSchema = z.enum(['traffic', 'errors', 'latency', 'saturation']);
export type GoldenSignal = z.infer<typeof GoldenSignalSchema>;

export const StatusSchema = z.enum(['ok', 'degraded', 'critical', 'unknown']);
export type Status = z.infer<typeof StatusSchema>;

/** One datapoint: `t` is epoch milliseconds (start of the period), `v` the value. */
export const PointSchema = z.object({ t: z.number(), v: z.number() });
export type Point = z.infer<typeof PointSchema>;

export const DimensionSchema = z.object({ name: z.string(), value: z.string() });
export type Dimension = z.infer<typeof DimensionSchema>;

/** One CloudWatch metric query, as the collectors send it (one entry of GetMetricData). */
export const MetricQuerySchema = z.object({
  /** CloudWatch query Id: starts with a lower-case letter, then letters, digits, underscore. */
  id: z.string().regex(/^[a-z][a-zA-Z0-9_]{0,254}$/),
  namespace: z.string(),
  metricName: z.string(),
  dimensions: z.array(DimensionSchema),
  stat: z.string(),
  periodSeconds: z.number().int().positive(),
  label: z.string(),
  unit: z.string(),
});
export type MetricQuery = z.infer<typeof MetricQuerySchema>;

/** A collected time series (points ascending by time). */
export const SeriesSchema = z.object({
  id: z.string(),
  label: z.string(),
  unit: z.string(),
  points: z.array(PointSchema),
  /** CloudWatch said PartialData / the series was cut short. */
  partial: z.boolean().default(false),
});
export type Series = z.infer<typeof SeriesSchema>;

export const ThresholdSchema = z.object({
  degraded: z.number().optional(),
  critical: z.number().optional(),
});
export type Threshold = z.infer<typeof ThresholdSchema>;

export const AlarmStateSchema = z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
export type AlarmState = z.infer<typeof AlarmStateSchema>;

/**
 * A metric-math alarm's comparison: the expression whose result it compares with the
 * threshold (the query with ReturnData), and the metrics that expression reads.
 */
export const AlarmMathSchema = z.object({
  /** e.g. "100*m1/m2" */
  expression: z.string(),
  /** the expression's Label, when it has one */
  label: z.string().optional(),
  /** the metrics the alarm's queries read, by query id */
  metrics: z.array(
    z.object({
      id: z.string(),
      namespace: z.string(),
      metricName: z.string(),
      statistic: z.string().optional(),
    }),
  ),
});
export type AlarmMath = z.infer<typeof AlarmMathSchema>;

export const AlarmSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  state: AlarmStateSchema,
  stateReason: z.string(),
  /** epoch ms of the last state change */
  stateUpdatedAt: z.number(),
  /** the alarm's metric; undefined for a metric-math alarm (see `math`) and composite alarms */
  namespace: z.string().optional(),
  metricName: z.string().optional(),
  /** of the alarm's metric, or of every metric a metric-math alarm reads (so it finds its tier) */
  dimensions: z.array(DimensionSchema).default([]),
  statistic: z.string().optional(),
  periodSeconds: z.number().optional(),
  /** in the unit of the metric (`unit` when the alarm names it), or of the expression */
  threshold: z.number().optional(),
  comparison: z.string().optional(),
  /** the CloudWatch unit the alarm's metric is filtered on (Seconds, Percent...), when it says */
  unit: z.string().optional(),
  /** set for a metric-math alarm: what it compares, instead of one metric */
  math: AlarmMathSchema.optional(),
  /** tier id of the platform config the alarm's metric belongs to, when known */
  tier: z.string().optional(),
});
export type Alarm = z.infer<typeof AlarmSchema>;

/**
 * A CloudWatch alarm whose threshold can be drawn on a golden-signal chart: the threshold is
 * already in the signal's unit (see signalAlarms in health/signal-alarms.ts).
 */
export const SignalAlarmSchema = z.object({
  name: z.string(),
  state: AlarmStateSchema,
  threshold: z.number(),
  /** CloudWatch ComparisonOperator, e.g. GreaterThanThreshold */
  comparison: z.string().optional(),
  /** Auto Scaling's own target-tracking alarm: where the group scales, not a health problem */
  scalingTrigger: z.boolean().default(false),
  /** which way a scaling trigger moves its group (AlarmHigh: out, AlarmLow: in) */
  scaling: z.enum(['out', 'in']).optional(),
});
export type SignalAlarm = z.infer<typeof SignalAlarmSchema>;

export const SignalReadingSchema = z.object({
  signal: GoldenSignalSchema,
  label: z.string(),
  unit: z.string(),
  /** latest complete value in the window, null when there is no data */
  current: z.number().nullable(),
  points: z.array(PointSchema),
  threshold: ThresholdSchema.optional(),
  /** alarms on a metric that feeds this signal, threshold in the signal's unit, lowest first */
  alarms: z.array(SignalAlarmSchema).default([]),
  status: StatusSchema,
});
export type SignalReading = z.infer<typeof SignalReadingSchema>;

/** A source that could not be read, as it bears on one tier. */
export const TierSourceFailureSchema = z.object({
  /** a source name of PlatformHealth.sources */
  source: z.string(),
  /** the sentence about it, as it appears in the tier's `reasons` */
  reason: z.string(),
});
export type TierSourceFailure = z.infer<typeof TierSourceFailureSchema>;

/**
 * An Auto Scaling group's capacity in one period, from the AWS/AutoScaling group metrics:
 * desired and in service are the period's averages, max its maximum. On-demand and spot
 * split in service (see GroupCapacity.split); absent when a metric has no datapoint.
 */
export const CapacityPointSchema = z.object({
  t: z.number(),
  desired: z.number().optional(),
  inService: z.number().optional(),
  max: z.number().optional(),
  onDemand: z.number().optional(),
  spot: z.number().optional(),
  /** spot interruption warnings in the period (present only when there were some) */
  interruptions: z.number().optional(),
});
export type CapacityPoint = z.infer<typeof CapacityPointSchema>;

/** A stretch of time, epoch ms, end exclusive. */
export const TimeSpanSchema = z.object({ start: z.number(), end: z.number() });
export type TimeSpan = z.infer<typeof TimeSpanSchema>;

/** One Auto Scaling group's capacity over the window. */
export const GroupCapacitySchema = z.object({
  group: z.string(),
  /**
   * How in service divides into on-demand and spot: by the group's instances distribution,
   * all on-demand (no mixed instances policy), or unknown (the group could not be read).
   */
  split: z.enum(['distribution', 'on-demand', 'unknown']),
  points: z.array(CapacityPointSchema),
  /** periods in which desired capacity stood at the group's maximum, merged, oldest first */
  atMax: z.array(TimeSpanSchema),
  /** true when the platform names a spot-interruption metric for the group (see points) */
  interruptionsCounted: z.boolean().optional(),
});

/** An SQS queue's depth over the window: ApproximateNumberOfMessagesVisible, Maximum. */
export const QueueDepthSchema = z.object({
  queue: z.string(),
  points: z.array(z.object({ t: z.number(), v: z.number() })),
});
export type QueueDepth = z.infer<typeof QueueDepthSchema>;
export type GroupCapacity = z.infer<typeof GroupCapacitySchema>;

export const TierHealthSchema = z.object({
  tier: z.string(),
  title: z.string(),
  status: StatusSchema,
  /** human sentences explaining the status, worst first; empty when ok */
  reasons: z.array(z.string()),
  /**
   * The failed sources among the reasons. The same failure applies to every tier it touches,
   * so a view can say it once (a banner per source) and leave these out of per-tier lists.
   */
  sourceFailures: z.array(TierSourceFailureSchema).default([]),
  signals: z.array(SignalReadingSchema),
  alarms: z.array(AlarmSchema),
  /** capacity over the window of each Auto Scaling group of the tier (none when absent) */
  capacity: z.array(GroupCapacitySchema).optional(),
  /** depth over the window of each SQS queue of the tier (none when absent) */
  queues: z.array(QueueDepthSchema).optional(),
});
export type TierHealth = z.infer<typeof TierHealthSchema>;

export const AutoScalingGroupStateSchema = z.object({
  name: z.string(),
  tier: z.string().optional(),
  min: z.number(),
  max: z.number(),
  desired: z.number(),
  inService: z.number(),
  onDemand: z.number(),
  spot: z.number(),
  /**
   * The MixedInstancesPolicy's instances distribution; absent when the group has none (it
   * runs on-demand only). Splits capacity history into on-demand and spot.
   */
  distribution: z
    .object({
      onDemandBaseCapacity: z.number().optional(),
      onDemandPercentageAboveBaseCapacity: z.number().optional(),
    })
    .optional(),
});
export type AutoScalingGroupState = z.infer<typeof AutoScalingGroupStateSchema>;

export const ScalingActivitySchema = z.object({
  id: z.string(),
  group: z.string(),
  tier: z.string().optional(),
  status: z.string(),
  description: z.string(),
  cause: z.string(),
  startTime: z.number(),
  endTime: z.number().optional(),
});
export type ScalingActivity = z.infer<typeof ScalingActivitySchema>;

/**
 * A group whose scaling activities were read only back to `from`: it had more than `limit`
 * in the window (Auto Scaling lists them newest first, so the oldest ones were left out).
 */
export const ActivitiesTruncatedSchema = z.object({
  group: z.string(),
  from: z.number(),
  limit: z.number(),
});
export type ActivitiesTruncated = z.infer<typeof ActivitiesTruncatedSchema>;

/** Why a source could not be read; drives the per-panel degradation message. */
export const SourceErrorKindSchema = z.enum([
  'throttled',
  'access-denied',
  'subscription-required',
  'unreachable',
  'credentials',
  'invalid-request',
  'service-error',
]);
export type SourceErrorKind = z.infer<typeof SourceErrorKindSchema>;

export const SourceStatusSchema = z.object({
  source: z.string(),
  ok: z.boolean(),
  /** epoch ms when the data shown from this source was fetched (only when it was read now) */
  fetchedAt: z.number().optional(),
  /**
   * A failed source whose stored history is shown instead: epoch ms of the newest stored
   * datapoint. Absent when nothing stored stands in for it (then nothing is shown at all).
   */
  dataAsOf: z.number().optional(),
  /** how old that stored data was at evaluation (evaluatedAt - dataAsOf), in ms */
  ageMs: z.number().nonnegative().optional(),
  error: z
    .object({
      kind: SourceErrorKindSchema,
      message: z.string(),
      /** IAM action to grant, for access-denied */
      iamAction: z.string().optional(),
      /** what the user can do about it, most useful first (the CLI and the dashboard show these) */
      actions: z.array(z.string()).optional(),
      /** epoch ms of the next attempt, while Ballast backs off after failures */
      retryAt: z.number().optional(),
    })
    .optional(),
});
export type SourceStatus = z.infer<typeof SourceStatusSchema>;

export const PlatformHealthSchema = z.object({
  platform: z.string(),
  context: z.string(),
  evaluatedAt: z.number(),
  window: z.object({ start: z.number(), end: z.number() }),
  status: StatusSchema,
  tiers: z.array(TierHealthSchema),
  /**
   * Alarms in ALARM across tiers, Auto Scaling's own scaling triggers left out (see
   * alarmStanding). null when the alarms could not be read: unknown, not none; the
   * cloudwatch-alarms entry of `sources` says why.
   */
  firingAlarms: z.array(AlarmSchema).nullable(),
  groups: z.array(AutoScalingGroupStateSchema),
  activities: z.array(ScalingActivitySchema),
  /**
   * groups whose activities in the window were not all read (never dropped silently); none
   * when absent
   */
  activitiesTruncated: z.array(ActivitiesTruncatedSchema).optional(),
  sources: z.array(SourceStatusSchema),
});
export type PlatformHealth = z.infer<typeof PlatformHealthSchema>;

/** How bad a status is: unknown ranks between ok and degraded. */
export const STATUS_RANK: Readonly<Record<Status, number>> = {
  ok: 0,
  unknown: 1,
  degraded: 2,
  critical: 3,
};

/** Worst of several statuses (see STATUS_RANK). */
export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = 'ok';
  for (const s of statuses) if (STATUS_RANK[s] > STATUS_RANK[worst]) worst = s;
  return worst;
}

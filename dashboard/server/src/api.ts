// The dashboard's HTTP contract: request schemas and the shapes the browser receives.
// The web app imports the types from here (type-only), so both sides agree at compile time.
import { z } from 'zod';
import type {
  Alarm,
  AutoScalingGroupState,
  GoldenSignal,
  PlatformHealth,
  Point,
  ScalingActivity,
  SourceStatus,
  Status,
  Threshold,
  TierSourceFailure,
} from '@ballast/core';
import { lttb } from './downsample.js';

export const RANGES = ['1h', '6h', '24h', '7d', '14d'] as const;
export type Range = (typeof RANGES)[number];

export const HealthQuerySchema = z
  .object({
    range: z.enum(RANGES, { error: `range must be one of ${RANGES.join(', ')}` }).default('1h'),
    tier: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, 'tier must be a tier id such as "web"')
      .optional(),
    width: z.coerce
      .number({ error: 'width must be a number of points, e.g. 600' })
      .int('width must be a whole number of points')
      .min(10, 'width must be at least 10 points')
      .max(5_000, 'width must be at most 5000 points')
      .default(600),
  })
  .strict();
export type HealthQuery = z.infer<typeof HealthQuerySchema>;

/** `GET /api/meta` */
export interface DashboardMeta {
  context: string;
  /** where AWS requests go: a custom endpoint URL, or "AWS (<region>)" */
  endpoint: string;
  platform: string;
  version: string;
  refreshSeconds: number;
}

/** Latest value and a short trend of one golden signal, for the Overview cards. */
export interface SignalSummary {
  signal: GoldenSignal;
  label: string;
  unit: string;
  current: number | null;
  status: Status;
  threshold?: Threshold;
  trend: Point[];
}

export interface TierSummary {
  tier: string;
  title: string;
  status: Status;
  reasons: string[];
  /** the failed sources among the reasons: a banner says each once, a card only "stale" */
  sourceFailures: TierSourceFailure[];
  signals: SignalSummary[];
}

/** The `event: health` payload of `GET /api/events`: the 1h health without full series. */
export interface HealthSummary {
  platform: string;
  context: string;
  evaluatedAt: number;
  window: { start: number; end: number };
  status: Status;
  tiers: TierSummary[];
  /** null when the alarms could not be read: unknown, not none (see `sources`) */
  firingAlarms: Alarm[] | null;
  groups: AutoScalingGroupState[];
  /** the most recent scaling activity of each group, newest first */
  latestActivities: ScalingActivity[];
  sources: SourceStatus[];
}

/** The `event: health-error` payload: the summary could not be produced this time. */
export interface HealthErrorEvent {
  message: string;
  at: number;
}

/** Points in an Overview sparkline: enough for the shape, small enough for every refresh. */
export const TREND_POINTS = 48;

export function summarizeHealth(health: PlatformHealth): HealthSummary {
  const latestByGroup = new Map<string, ScalingActivity>();
  for (const activity of health.activities) {
    const known = latestByGroup.get(activity.group);
    if (!known || activity.startTime > known.startTime) latestByGroup.set(activity.group, activity);
  }
  return {
    platform: health.platform,
    context: health.context,
    evaluatedAt: health.evaluatedAt,
    window: health.window,
    status: health.status,
    tiers: health.tiers.map((tier) => ({
      tier: tier.tier,
      title: tier.title,
      status: tier.status,
      reasons: tier.reasons,
      sourceFailures: tier.sourceFailures,
      signals: tier.signals.map((s) => ({
        signal: s.signal,
        label: s.label,
        unit: s.unit,
        current: s.current,
        status: s.status,
        ...(s.threshold ? { threshold: s.threshold } : {}),
        trend: lttb(s.points, TREND_POINTS),
      })),
    })),
    firingAlarms: health.firingAlarms,
    groups: health.groups,
    latestActivities: [...latestByGroup.values()].sort((a, b) => b.startTime - a.startTime),
    sources: health.sources,
  };
}

/** "range: ..., width: ..." from a health query's zod error, for a 400 body a person can act on. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return `unknown parameter ${issue.keys.map((k) => `"${k}"`).join(', ')} (allowed: ${Object.keys(HealthQuerySchema.shape).join(', ')})`;
      }
      const where = issue.path.join('.');
      return where && !issue.message.startsWith(where)
        ? `${where}: ${issue.message}`
        : issue.message;
    })
    .join('; ');
}

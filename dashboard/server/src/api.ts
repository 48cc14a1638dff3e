// The dashboard's HTTP contract: request schemas and the shapes the browser receives.
// The web app imports the types from here (type-only), so both sides agree at compile time.
import { z } from 'zod';
import type {
  Alarm,
  AutoScalingGroupState,
  BudgetStatusValue,
  CostMetric,
  GoldenSignal,
  MeterReport,
  PlatformHealth,
  Point,
  ScalingActivity,
  SourceStatus,
  SpendDimension,
  SpendError,
  SpendFreshness,
  SpendPage,
  SpendPanel,
  Status,
  Threshold,
  TierSourceFailure,
} from '@ballast/core';
import { lttb } from './downsample.js';
import type { PackedCostTable } from './wire.js';

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

// ---------------------------------------------------------------------------------------
// Spend

/** The cost metrics the Spend page can show (Cost Explorer's names). */
export const SPEND_METRICS = [
  'UnblendedCost',
  'AmortizedCost',
  'NetUnblendedCost',
] as const satisfies readonly CostMetric[];

const isoDay = (name: string) =>
  z
    .string({ error: `${name} must be one date as YYYY-MM-DD, e.g. 2025-11-01` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${name} must be a date as YYYY-MM-DD, e.g. 2025-11-01`);

/**
 * `GET /api/spend` (and its CSV tables). The shape is checked here; what needs the platform
 * config or the clock (a tag key, a reversed range, a start past 13 months) is checked by
 * core's parseGroupBy and resolveRange, with the same parameter names as the CLI's flags.
 */
export const SpendQuerySchema = z
  .object({
    since: isoDay('since').optional(),
    until: isoDay('until').optional(),
    by: z
      .string({ error: 'by must be one grouping: service, usage-type, region or tag:KEY' })
      .min(1, 'by must name a grouping: service, usage-type, region or tag:KEY')
      .max(200, 'by is too long: at most two groupings, e.g. service,tag:team')
      .optional(),
    metric: z
      .enum(SPEND_METRICS, { error: `metric must be one of ${SPEND_METRICS.join(', ')}` })
      .optional(),
  })
  .strict();
export type SpendQuery = z.infer<typeof SpendQuerySchema>;

/** A view of the Spend page, as checked: what the collectors are asked for. */
export interface SpendView {
  /** as given (undefined: the default, 13 months to today) */
  since?: string;
  until?: string;
  by: SpendDimension[];
  metric: CostMetric;
}

/** When the dashboard collects spend again (see SpendRounds). */
export interface SpendRefresh {
  /** the server's clock when it answered (ages on the page are measured from it) */
  now: number;
  /** when the dashboard collected this answer (reads behind it may be older: `freshness`) */
  collectedAt: number;
  /**
   * When asking again may give something new: the next round, or sooner to retry what
   * failed. Until then every request is answered from memory, without a paid request.
   */
  nextAt: number;
  reason: 'round' | 'retry';
  /** the time between rounds, ms */
  roundMs: number;
}

/** A range the page offers as one click: `since` (undefined: the default 13 months). */
export interface SpendRangePreset {
  id: '1m' | '3m' | '6m' | '13m';
  label: string;
  since?: string;
}

/** `GET /api/spend` */
export interface SpendResponse {
  /**
   * the page as collected, its cost table packed (see wire.ts); its meter is `meter`,
   * current on every answer
   */
  page: Omit<SpendPage, 'meter' | 'costs'> & { costs: PackedCostTable };
  meter: MeterReport;
  view: SpendView & {
    /** the days shown, [start, end) */
    range: { start: string; end: string };
    presets: SpendRangePreset[];
  };
  /** the platform config's cost-allocation tag keys (spend.tagKeys), for the group-by picker */
  tagKeys: string[];
  refresh: SpendRefresh;
}

/** The total budget of the month on the Overview. */
export interface SpendBudgetLine {
  budgetUsd: number;
  actualUsd: number;
  usedPct: number;
  forecastUsd: number;
  lowerUsd: number | null;
  upperUsd: number | null;
  status: BudgetStatusValue;
  overByUsd: number;
}

/** `GET /api/spend/summary`: the Overview's money line, from the same cache as the page. */
export interface SpendSummary {
  context: string;
  evaluatedAt: number;
  /** YYYY-MM */
  month: string;
  /**
   * No complete day of the month yet (the 1st): month to date is not a figure to judge,
   * so the Overview shows last month's closed total against its budget beside it.
   */
  monthJustBegan: boolean;
  /** null: the month's spend could not be read (see `unavailable`) */
  monthToDate: {
    /** complete days, [month start, today) */
    amount: number;
    /** with today's estimated partial day */
    amountWithToday: number;
    days: number;
    /** YYYY-MM of the same days compared */
    previousMonth: string;
    previousAmount: number;
    changePct: number | null;
  } | null;
  /** the month-end forecast and its interval; null when unknown */
  forecast: {
    mean: number;
    lower: number | null;
    upper: number | null;
    basis: 'cost-explorer' | 'run-rate';
  } | null;
  /** the whole account's monthly budget, null without one in the platform config */
  budget: SpendBudgetLine | null;
  /** budgets of tag values that are over or at risk, worst first */
  budgetsAtRisk: { label: string; status: BudgetStatusValue; overByUsd: number }[];
  lastMonth: {
    month: string;
    amount: number;
    /** Cost Explorer still marks some of its days estimated */
    estimated: boolean;
    budgetUsd: number | null;
  } | null;
  /** null: unknown (could not be read), never 0 */
  anomalies: { open: number; openImpactUsd: number } | null;
  unavailable: { panel: SpendPanel | 'lastMonth'; error: SpendError }[];
  freshness: SpendFreshness;
  meter: Pick<MeterReport, 'today' | 'month' | 'projectedMonthUsd'>;
  refresh: SpendRefresh;
}

/** A spend answer that could not be given at all: nothing stored and Cost Explorer failed. */
export interface SpendErrorBody {
  error: 'spend-unavailable';
  message: string;
  /** what is missing, e.g. "cost of 2025-10" */
  missing?: string;
  detail?: SpendError;
}

/** "range: ..., width: ..." from a query's zod error, for a 400 body a person can act on. */
export function describeIssues(error: z.ZodError, schema: z.ZodObject = HealthQuerySchema): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return `unknown parameter ${issue.keys.map((k) => `"${k}"`).join(', ')} (allowed: ${Object.keys(schema.shape).join(', ')})`;
      }
      const where = issue.path.join('.');
      return where && !issue.message.startsWith(where)
        ? `${where}: ${issue.message}`
        : issue.message;
    })
    .join('; ');
}

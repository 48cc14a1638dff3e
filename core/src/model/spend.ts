// The spend model shared by collectors, CLI and dashboard: what the store costs, where the
// money goes, whether the month lands inside budget, what changed, what each order costs,
// and what Ballast itself costs. Amounts are USD as Cost Explorer reports them (list-price
// UnblendedCost unless a table says otherwise); days are UTC ISO dates (YYYY-MM-DD) and
// every period is [start, end) with `end` exclusive, like Cost Explorer's TimePeriod.
import { z } from 'zod';
import { SourceStatusSchema } from './health.js';

export const IsoDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
/** YYYY-MM */
export const IsoMonthSchema = z.string().regex(/^\d{4}-\d{2}$/, 'a month as YYYY-MM');

/** Days [start, end): `end` is the day after the last one, as in Cost Explorer. */
export const DayRangeSchema = z.object({ start: IsoDaySchema, end: IsoDaySchema });
export type DayRange = z.infer<typeof DayRangeSchema>;

/** The cost metrics a table can show (Cost Explorer's names). */
export const CostMetricSchema = z.enum(['UnblendedCost', 'AmortizedCost', 'NetUnblendedCost']);
export type CostMetric = z.infer<typeof CostMetricSchema>;

export const GranularitySchema = z.enum(['daily', 'monthly']);
export type Granularity = z.infer<typeof GranularitySchema>;

/**
 * What a cost table is grouped by: `service`, `usage-type`, `region`, or `tag:KEY` for a
 * cost-allocation tag (KEY as in the platform config's spend.tagKeys).
 */
export const SpendDimensionSchema = z.union([
  z.enum(['service', 'usage-type', 'region']),
  z.templateLiteral(['tag:', z.string().min(1)]),
]);
export type SpendDimension = z.infer<typeof SpendDimensionSchema>;

/** The label of the spend that carries no value for a tag key (Cost Explorer's `team$`). */
export const UNTAGGED = '(untagged)';

/** Why a spend answer could not be refreshed, with what to do (the one advice table). */
export const SpendErrorSchema = SourceStatusSchema.shape.error.unwrap();
export type SpendError = z.infer<typeof SpendErrorSchema>;

/**
 * How fresh an answer is and what it cost to give. Every spend answer carries one, so a
 * view can always say "from cache, 3 h old" or "fetched now: 2 paid requests ($0.02)".
 */
export const SpendFreshnessSchema = z.object({
  /**
   * Epoch ms of the oldest read behind the answer (its data is at least this fresh); null
   * when the answer needed no Cost Explorer data.
   */
  fetchedAt: z.number().nullable(),
  /** now - fetchedAt, ms; null with fetchedAt */
  ageMs: z.number().nonnegative().nullable(),
  /** true when no request was made for this answer: everything came from the store */
  fromCache: z.boolean(),
  /** paid requests made for this answer (Cost Explorer: every page is a request, $0.01 each) */
  paidRequests: z.number().int().nonnegative(),
  /** what those requests cost at list price, USD */
  paidUsd: z.number().nonnegative(),
  /**
   * Epoch ms when the part that changes soonest (the open month, the forecast...) will be
   * read again on the next answer; null when everything behind the answer is final.
   */
  nextRefreshAt: z.number().nullable(),
  /**
   * Set when a refresh failed and what is shown is the stored answer of `fetchedAt`
   * (stale data is shown with its age, never hidden); the reason says what to do.
   */
  error: SpendErrorSchema.optional(),
});
export type SpendFreshness = z.infer<typeof SpendFreshnessSchema>;

// ---------------------------------------------------------------------------------------
// Cost Explorer answers as the collector maps them (SDK response -> model)

export const MetricAmountSchema = z.object({ amount: z.number(), unit: z.string() });
export type MetricAmount = z.infer<typeof MetricAmountSchema>;

/**
 * One GetCostAndUsage query with every page merged: the periods in order, each with its
 * Total (set only when the query has no GroupBy, as AWS does) or its Groups.
 */
export const CostAndUsageSchema = z.object({
  granularity: z.enum(['DAILY', 'MONTHLY']),
  /** the query's group definitions as shape dimensions, e.g. ['SERVICE', 'TAG:team'] */
  groupBy: z.array(z.string()),
  metrics: z.array(z.string()),
  periods: z.array(
    z.object({
      start: IsoDaySchema,
      end: IsoDaySchema,
      estimated: z.boolean(),
      total: z.record(z.string(), MetricAmountSchema),
      groups: z.array(
        z.object({
          /** Cost Explorer's Keys, e.g. ['Amazon CloudFront', 'team$storefront'] */
          keys: z.array(z.string()),
          metrics: z.record(z.string(), MetricAmountSchema),
        }),
      ),
    }),
  ),
});
export type CostAndUsage = z.infer<typeof CostAndUsageSchema>;

export const CostForecastSchema = z.object({
  metric: z.string(),
  start: IsoDaySchema,
  end: IsoDaySchema,
  /** Cost Explorer's Total: the mean over [start, end) */
  mean: z.number(),
  /** the prediction interval of the whole period, when Cost Explorer gave one */
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  predictionIntervalLevel: z.number(),
  unit: z.string(),
});
export type CostForecast = z.infer<typeof CostForecastSchema>;

export const AnomalyRootCauseSchema = z.object({
  service: z.string().optional(),
  region: z.string().optional(),
  linkedAccount: z.string().optional(),
  /** the account's name (the "account tag" founders recognise, e.g. store-dev) */
  linkedAccountName: z.string().optional(),
  usageType: z.string().optional(),
  /** the root cause's share of the anomaly's impact, USD */
  contributionUsd: z.number().nullable(),
});
export type AnomalyRootCause = z.infer<typeof AnomalyRootCauseSchema>;

/** One Cost Anomaly Detection anomaly, as GetAnomalies reports it. */
export const CostAnomalySchema = z.object({
  id: z.string(),
  /** first day of the anomaly */
  start: IsoDaySchema.nullable(),
  /** last day it was seen */
  end: IsoDaySchema.nullable(),
  monitorArn: z.string(),
  /** what the monitor watches that went wrong, e.g. a service name */
  dimensionValue: z.string().optional(),
  rootCauses: z.array(AnomalyRootCauseSchema),
  impact: z.object({
    /** actual - expected over the anomaly, USD */
    totalUsd: z.number(),
    /** the largest one-day difference, USD */
    maxUsd: z.number(),
    actualUsd: z.number().nullable(),
    expectedUsd: z.number().nullable(),
    /** totalUsd as a percentage of expectedUsd */
    percent: z.number().nullable(),
  }),
  score: z.object({ max: z.number(), current: z.number() }),
  feedback: z.enum(['YES', 'NO', 'PLANNED_ACTIVITY']).optional(),
});
export type CostAnomaly = z.infer<typeof CostAnomalySchema>;

// ---------------------------------------------------------------------------------------
// Views

/** A group of a cost table: one row of the table, one band of the stacked chart. */
export const CostGroupSchema = z.object({
  /** keys joined with " / " (unique in the table) */
  id: z.string(),
  /** one key per dimension of `groupBy`; a tag's value, or UNTAGGED */
  keys: z.array(z.string()),
  /** what to print */
  label: z.string(),
  total: z.number(),
  /** the group is spend without a value for a tag key it is grouped by */
  untagged: z.boolean(),
});
export type CostGroup = z.infer<typeof CostGroupSchema>;

export const CostPeriodSchema = z.object({
  start: IsoDaySchema,
  end: IsoDaySchema,
  /** Cost Explorer marks periods not yet final (today, the open month) as estimated */
  estimated: z.boolean(),
  total: z.number(),
  /** amount per group id (groups without spend in the period are left out) */
  amounts: z.record(z.string(), z.number()),
});
export type CostPeriod = z.infer<typeof CostPeriodSchema>;

/** Spend over a range, per period (day or month) and group. */
export const CostTableSchema = z.object({
  metric: CostMetricSchema,
  unit: z.string(),
  granularity: GranularitySchema,
  /** no dimension: totals only */
  groupBy: z.array(SpendDimensionSchema).max(2),
  /** what was asked for */
  range: DayRangeSchema,
  /**
   * What the data covers: the open month ends at the day after its last read (today's
   * partial day included when it was read), never later than `range.end`.
   */
  covered: DayRangeSchema,
  /** largest total first */
  groups: z.array(CostGroupSchema),
  periods: z.array(CostPeriodSchema),
  total: z.number(),
  /** some period is estimated */
  estimated: z.boolean(),
  /** for a table grouped by a tag: the spend without that tag and its share of the total */
  untagged: z
    .object({ tagKey: z.string(), amount: z.number(), share: z.number().nullable() })
    .optional(),
  freshness: SpendFreshnessSchema,
});
export type CostTable = z.infer<typeof CostTableSchema>;

/** Spend this month so far, next to the same days of last month. */
export const MonthToDateSchema = z.object({
  month: IsoMonthSchema,
  /** the days compared: complete days of this month, [month start, today) */
  compared: DayRangeSchema,
  /** spend over `compared` */
  amount: z.number(),
  /** the same number of days at the start of last month (all of it, if shorter) */
  previous: z.object({ month: IsoMonthSchema, range: DayRangeSchema, amount: z.number() }),
  changeUsd: z.number(),
  /** null when last month's days cost nothing */
  changePct: z.number().nullable(),
  /** all spend this month so far, today's estimated partial day included */
  amountWithToday: z.number(),
});
export type MonthToDate = z.infer<typeof MonthToDateSchema>;

export const BudgetStatusValueSchema = z.enum(['under', 'at-risk', 'over']);
export type BudgetStatusValue = z.infer<typeof BudgetStatusValueSchema>;

/** One budget of the platform config against this month's actual and forecast spend. */
export const BudgetStatusSchema = z.object({
  /** the whole account, or the spend carrying one tag value */
  scope: z.union([
    z.object({ kind: z.literal('total') }),
    z.object({ kind: z.literal('tag'), tagKey: z.string(), tagValue: z.string() }),
  ]),
  label: z.string(),
  /** the platform config's path of the budget, e.g. spend.budgets.tags.team.storefront */
  configPath: z.string(),
  budgetUsd: z.number(),
  /** spent this month so far (today's partial day included) */
  actualUsd: z.number(),
  /** actualUsd / budgetUsd, percent */
  usedPct: z.number(),
  /** expected month-end spend and its prediction interval (null when unknown) */
  forecastUsd: z.number(),
  lowerUsd: z.number().nullable(),
  upperUsd: z.number().nullable(),
  /**
   * under: even the interval's upper bound stays inside the budget; at-risk: the expected
   * spend fits but the interval reaches past the budget (no interval: within 10% of it);
   * over: the expected spend, or the spend so far, is past the budget.
   */
  status: BudgetStatusValueSchema,
  /** forecastUsd - budgetUsd: by how much the month lands over (positive) or under */
  overByUsd: z.number(),
  /** the spend so far is already past the budget */
  exceeded: z.boolean(),
  /** how the forecast was made (see SpendForecast.basis) */
  basis: z.enum(['cost-explorer', 'share-of-forecast', 'run-rate']),
});
export type BudgetStatus = z.infer<typeof BudgetStatusSchema>;

/** Where this month will land: actual so far plus Cost Explorer's forecast of the rest. */
export const SpendForecastSchema = z.object({
  month: IsoMonthSchema,
  /** spend already counted: [month start, forecast.start) */
  actual: z.object({ range: DayRangeSchema, amount: z.number() }),
  /** the forecast of the rest of the month, as Cost Explorer made it (null: none) */
  forecast: CostForecastSchema.nullable(),
  monthEnd: z.object({
    mean: z.number(),
    lower: z.number().nullable(),
    upper: z.number().nullable(),
    predictionIntervalLevel: z.number().nullable(),
  }),
  /**
   * cost-explorer: actual + GetCostForecast; run-rate: no forecast could be read, so actual
   * + the average of the last 7 complete days for each day left (no interval).
   */
  basis: z.enum(['cost-explorer', 'run-rate']),
  monthToDate: MonthToDateSchema,
  /** total budget first, then each tag value's */
  budgets: z.array(BudgetStatusSchema),
  freshness: SpendFreshnessSchema,
});
export type SpendForecast = z.infer<typeof SpendForecastSchema>;

export const TrendPointSchema = z.object({
  day: IsoDaySchema,
  amount: z.number(),
  estimated: z.boolean(),
  /** mean of this day and the 6 before it; null until 7 days are known */
  average7: z.number().nullable(),
});
export type TrendPoint = z.infer<typeof TrendPointSchema>;

export const DailyTrendSchema = z.object({
  points: z.array(TrendPointSchema),
  /** the last 7 complete days against the 7 before them (null: not enough days) */
  weekOverWeek: z
    .object({
      current: z.number(),
      previous: z.number(),
      changeUsd: z.number(),
      changePct: z.number().nullable(),
    })
    .nullable(),
});
export type DailyTrend = z.infer<typeof DailyTrendSchema>;

export const MoverSchema = z.object({
  key: z.string(),
  label: z.string(),
  current: z.number(),
  previous: z.number(),
  changeUsd: z.number(),
  /** null when it cost nothing the week before (new spend) */
  changePct: z.number().nullable(),
});
export type Mover = z.infer<typeof MoverSchema>;

/** What changed most between two equal windows, for one dimension. */
export const MoversSchema = z.object({
  dimension: SpendDimensionSchema,
  current: DayRangeSchema,
  previous: DayRangeSchema,
  /** lines below this in both windows are left out, so small lines do not dominate by % */
  floorUsd: z.number(),
  /** largest absolute change first */
  movers: z.array(MoverSchema),
});
export type Movers = z.infer<typeof MoversSchema>;

export const MoversReportSchema = z.object({
  byDimension: z.array(MoversSchema),
  /** dimensions that could not be read (nothing stored either), with why */
  unavailable: z.array(z.object({ dimension: SpendDimensionSchema, error: SpendErrorSchema })),
  freshness: SpendFreshnessSchema,
});
export type MoversReport = z.infer<typeof MoversReportSchema>;

export const AnomalyViewSchema = CostAnomalySchema.extend({
  /** still seen on the last day Cost Anomaly Detection evaluated (yesterday or today) */
  open: z.boolean(),
});
export type AnomalyView = z.infer<typeof AnomalyViewSchema>;

export const AnomalyReportSchema = z.object({
  /** the anomalies whose last day is in this range */
  range: DayRangeSchema,
  /** open first, then the most recent; within each, largest impact first */
  anomalies: z.array(AnomalyViewSchema),
  open: z.object({ count: z.number(), impactUsd: z.number() }),
  past: z.object({ count: z.number(), impactUsd: z.number() }),
  /**
   * anomaly monitors of Cost Anomaly Detection; read only when no anomaly is reported, to
   * tell "none found" from "nothing watches" (null: not read)
   */
  monitors: z.number().nullable(),
  freshness: SpendFreshnessSchema,
});
export type AnomalyReport = z.infer<typeof AnomalyReportSchema>;

/** The business metrics the store publishes, named by the platform config. */
export const BusinessMetricSchema = z.enum(['orders', 'revenue', 'modelViews', 'modelBytes']);
export type BusinessMetric = z.infer<typeof BusinessMetricSchema>;

export const DailyValueSchema = z.object({ day: IsoDaySchema, value: z.number() });
export type DailyValue = z.infer<typeof DailyValueSchema>;

export const BusinessSeriesSchema = z.object({
  metric: BusinessMetricSchema,
  /** CloudWatch metric name */
  name: z.string(),
  unit: z.string(),
  /** daily sums; days without a datapoint are left out (unknown, not zero) */
  points: z.array(DailyValueSchema),
});
export type BusinessSeries = z.infer<typeof BusinessSeriesSchema>;

export const UnitCostDaySchema = z.object({
  day: IsoDaySchema,
  /** total spend of the day; null when Cost Explorer has no figure for it */
  costUsd: z.number().nullable(),
  estimated: z.boolean(),
  orders: z.number().nullable(),
  revenueUsd: z.number().nullable(),
  modelViews: z.number().nullable(),
  /** GB (2^30 bytes, as AWS bills transfer) of 3D models delivered */
  modelGb: z.number().nullable(),
  costPerOrder: z.number().nullable(),
  costPer1000Views: z.number().nullable(),
  costPerGb: z.number().nullable(),
  /** spend per dollar of revenue */
  costPerRevenueUsd: z.number().nullable(),
});
export type UnitCostDay = z.infer<typeof UnitCostDaySchema>;

export const UnitCostsSchema = z.object({
  range: DayRangeSchema,
  days: z.array(UnitCostDaySchema),
  /** over the days where both the cost and the driver are known: sum of cost / sum of driver */
  overall: z.object({
    costPerOrder: z.number().nullable(),
    costPer1000Views: z.number().nullable(),
    costPerGb: z.number().nullable(),
    costPerRevenueUsd: z.number().nullable(),
  }),
  /** the business metrics as read, for charts next to the unit costs */
  metrics: z.array(BusinessSeriesSchema),
  /** the CloudWatch read of the business metrics */
  metricsSource: SourceStatusSchema,
  freshness: SpendFreshnessSchema,
});
export type UnitCosts = z.infer<typeof UnitCostsSchema>;

export const SpotSavingsLineSchema = z.object({
  instanceType: z.string(),
  region: z.string(),
  spotUsageType: z.string(),
  spotHours: z.number(),
  spotCostUsd: z.number(),
  /**
   * The on-demand rate of the same instance type in the same region, USD an hour (see
   * `rateFrom`); null when it is unknown, and so is what spot saved on it.
   */
  onDemandRateUsd: z.number().nullable(),
  /**
   * account: cost / hours of the type's own on-demand usage (BoxUsage) in the account's
   * data; list-price: AWS's public on-demand Linux price, when the account never ran the
   * type on-demand (a spot-only fleet).
   */
  rateFrom: z
    .discriminatedUnion('kind', [
      z.object({
        kind: z.literal('account'),
        usageType: z.string(),
        range: DayRangeSchema,
        hours: z.number(),
        costUsd: z.number(),
      }),
      z.object({ kind: z.literal('list-price'), region: z.string(), asOf: z.string() }),
    ])
    .nullable(),
  onDemandEquivalentUsd: z.number().nullable(),
  savingsUsd: z.number().nullable(),
  savingsPct: z.number().nullable(),
});
export type SpotSavingsLine = z.infer<typeof SpotSavingsLineSchema>;

export const SpotSavingsSchema = z.object({
  range: DayRangeSchema,
  /** largest savings first; unpriced lines last */
  lines: z.array(SpotSavingsLineSchema),
  totals: z.object({
    spotCostUsd: z.number(),
    /** of the priced lines only */
    onDemandEquivalentUsd: z.number(),
    savingsUsd: z.number(),
    savingsPct: z.number().nullable(),
    /** spot spend whose on-demand rate is unknown (not counted in the savings) */
    unpricedSpotCostUsd: z.number(),
  }),
  /** how the on-demand rates were found, in one sentence */
  method: z.string(),
  freshness: SpendFreshnessSchema,
});
export type SpotSavings = z.infer<typeof SpotSavingsSchema>;

export const MeterLineSchema = z.object({
  service: z.string(),
  operation: z.string(),
  today: z.object({ requests: z.number(), usd: z.number() }),
  month: z.object({
    requests: z.number(),
    /** continuation pages among the requests */
    pages: z.number(),
    usd: z.number(),
    /** failed attempts */
    errors: z.number(),
  }),
});
export type MeterLine = z.infer<typeof MeterLineSchema>;

/** What Ballast itself spent on AWS API calls for a context, from its call ledger. */
export const MeterReportSchema = z.object({
  asOf: z.number(),
  today: z.object({ day: IsoDaySchema, requests: z.number(), usd: z.number() }),
  month: z.object({ month: IsoMonthSchema, requests: z.number(), usd: z.number() }),
  /** month so far + the typical day's spend for each day left */
  projectedMonthUsd: z.number(),
  /** how the projection was made, in one sentence */
  projectionBasis: z.string(),
  /** most expensive this month first */
  lines: z.array(MeterLineSchema),
});
export type MeterReport = z.infer<typeof MeterReportSchema>;

export const SpendPanelSchema = z.enum([
  'forecast',
  'anomalies',
  'movers',
  'spotSavings',
  'unitCosts',
]);
export type SpendPanel = z.infer<typeof SpendPanelSchema>;

/**
 * Everything the Spend page shows, read together so they share their data and freshness.
 * A panel whose data can be neither read nor found in the store is null, and listed in
 * `unavailable` with why: it degrades alone.
 */
export const SpendPageSchema = z.object({
  context: z.string(),
  evaluatedAt: z.number(),
  costs: CostTableSchema,
  trend: DailyTrendSchema,
  forecast: SpendForecastSchema.nullable(),
  anomalies: AnomalyReportSchema.nullable(),
  movers: MoversReportSchema.nullable(),
  /** over the last 31 days of the range */
  spotSavings: SpotSavingsSchema.nullable(),
  /** null also when the platform config names no business metrics (not in `unavailable`) */
  unitCosts: UnitCostsSchema.nullable(),
  unavailable: z.array(z.object({ panel: SpendPanelSchema, error: SpendErrorSchema })),
  meter: MeterReportSchema,
  /** the whole page: oldest data, every paid request made for it */
  freshness: SpendFreshnessSchema,
});
export type SpendPage = z.infer<typeof SpendPageSchema>;

// Cost Explorer over AWS JSON 1.1 (X-Amz-Target: AWSInsightsIndexService.<Operation>, signed
// for us-east-1): GetCostAndUsage, GetCostForecast, GetDimensionValues, GetTags, GetAnomalies
// and GetAnomalyMonitors, answered from the simulation's billing ledger as of its last refresh,
// with Cost Explorer's validation, retention, Estimated flags and paging.
import { z } from 'zod';
import { anomalyScore, reportAnomalies } from '../billing/anomaly-report.js';
import { forecastCosts } from '../billing/forecast.js';
import { epochDay, ledgerFirstDay, type LedgerView } from '../billing/ledger.js';
import { COST_TAG_KEYS, DIMENSIONS, NO_VALUE, type Line } from '../billing/lines.js';
import { hashUuid } from '../random.js';
import type { Simulation } from '../simulation/simulation.js';
import { DAY_MS } from '../time.js';
import {
  ceValidation,
  checkDimension,
  compileExpression,
  type LinePredicate,
} from './cost-explorer-expression.js';
import {
  AwsError,
  decodeToken,
  encodeToken,
  fingerprint,
  zodToValidationError,
} from './protocol.js';

export const COST_EXPLORER_TARGET_PREFIX = 'AWSInsightsIndexService';
/** The only region Cost Explorer's endpoint (ce.us-east-1.amazonaws.com) answers in. */
export const COST_EXPLORER_REGION = 'us-east-1';

export interface CostExplorerContext {
  simulation: Simulation;
}

type Handler = (input: unknown, ctx: CostExplorerContext) => unknown;

/** The operations by X-Amz-Target name: a Map, so no name reaches Object.prototype. */
export const costExplorerOperations: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['GetCostAndUsage', (input, ctx) => getCostAndUsage(parse(GetCostAndUsageInput, input), ctx)],
  ['GetCostForecast', (input, ctx) => getCostForecast(parse(GetCostForecastInput, input), ctx)],
  [
    'GetDimensionValues',
    (input, ctx) => getDimensionValues(parse(GetDimensionValuesInput, input), ctx),
  ],
  ['GetTags', (input, ctx) => getTags(parse(GetTagsInput, input), ctx)],
  ['GetAnomalies', (input, ctx) => getAnomalies(parse(GetAnomaliesInput, input), ctx)],
  [
    'GetAnomalyMonitors',
    (input, ctx) => getAnomalyMonitors(parse(GetAnomalyMonitorsInput, input), ctx),
  ],
]);

// ---------------------------------------------------------------- errors

const ceError = (name: string, message: string) => new AwsError(name, message, 400, name);
export const limitExceeded = () => ceError('LimitExceededException', 'Rate limit exceeded');
export const dataUnavailable = () =>
  ceError(
    'DataUnavailableException',
    'Data is not available. Please try to adjust the time period. If you just enabled Cost Explorer, data might not be ingested yet.',
  );
const invalidNextToken = () => ceError('InvalidNextTokenException', 'Invalid next token.');
const requestChanged = () =>
  ceError(
    'RequestChangedException',
    'Your request parameters changed between pages. Try again with the old parameters or without a pagination token.',
  );
const billExpired = () =>
  ceError(
    'BillExpirationException',
    'The requested report expired. Update the date interval and try again.',
  );

// ---------------------------------------------------------------- inputs

const YMD = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}:\d{2}Z)?$/;
const yearMonthDay = () =>
  z.string().max(40).regex(YMD, {
    message:
      'Member must satisfy regular expression pattern: (\\d{4}-\\d{2}-\\d{2})(T\\d{2}:\\d{2}:\\d{2}Z)?',
  });
const DateInterval = z.object({ Start: yearMonthDay(), End: yearMonthDay() });
const Granularity = z.enum(['DAILY', 'MONTHLY', 'HOURLY']);
const NextPageToken = z.string().max(8192);
const BillingViewArn = z.string().min(20).max(2048);
const SortDefinition = z.object({
  Key: z.string().max(1024),
  SortOrder: z.enum(['ASCENDING', 'DESCENDING']).optional(),
});
const GetCostAndUsageInput = z.object({
  TimePeriod: DateInterval,
  Granularity,
  Filter: z.unknown().optional(),
  Metrics: z.array(z.string().max(1024)),
  GroupBy: z
    .array(
      z.object({ Type: z.string().max(1024).optional(), Key: z.string().max(1024).optional() }),
    )
    .optional(),
  BillingViewArn: BillingViewArn.optional(),
  NextPageToken: NextPageToken.optional(),
});
const GetCostForecastInput = z.object({
  TimePeriod: DateInterval,
  Metric: z.enum([
    'BLENDED_COST',
    'UNBLENDED_COST',
    'AMORTIZED_COST',
    'NET_UNBLENDED_COST',
    'NET_AMORTIZED_COST',
    'USAGE_QUANTITY',
    'NORMALIZED_USAGE_AMOUNT',
  ]),
  Granularity,
  Filter: z.unknown().optional(),
  BillingViewArn: BillingViewArn.optional(),
  PredictionIntervalLevel: z.number().int().min(51).max(99).optional(),
});
const GetDimensionValuesInput = z.object({
  SearchString: z.string().max(1024).optional(),
  TimePeriod: DateInterval,
  Dimension: z.string(),
  Context: z.enum(['COST_AND_USAGE', 'RESERVATIONS', 'SAVINGS_PLANS']).optional(),
  Filter: z.unknown().optional(),
  SortBy: z.array(SortDefinition).optional(),
  BillingViewArn: BillingViewArn.optional(),
  MaxResults: z.number().int().min(1).optional(),
  NextPageToken: NextPageToken.optional(),
});
const GetTagsInput = z.object({
  SearchString: z.string().max(1024).optional(),
  TimePeriod: DateInterval,
  TagKey: z.string().max(1024).optional(),
  Filter: z.unknown().optional(),
  SortBy: z.array(SortDefinition).optional(),
  BillingViewArn: BillingViewArn.optional(),
  MaxResults: z.number().int().min(1).optional(),
  NextPageToken: NextPageToken.optional(),
});
const GetAnomaliesInput = z.object({
  MonitorArn: z.string().max(1024).optional(),
  DateInterval: z.object({ StartDate: yearMonthDay(), EndDate: yearMonthDay().optional() }),
  Feedback: z.enum(['YES', 'NO', 'PLANNED_ACTIVITY']).optional(),
  TotalImpact: z
    .object({
      NumericOperator: z.enum([
        'EQUAL',
        'GREATER_THAN_OR_EQUAL',
        'LESS_THAN_OR_EQUAL',
        'GREATER_THAN',
        'LESS_THAN',
        'BETWEEN',
      ]),
      StartValue: z.number(),
      EndValue: z.number().optional(),
    })
    .optional(),
  NextPageToken: NextPageToken.optional(),
  MaxResults: z.number().int().min(1).max(2_147_483_647).optional(),
});
const GetAnomalyMonitorsInput = z.object({
  MonitorArnList: z.array(z.string().max(1024)).max(100).optional(),
  NextPageToken: NextPageToken.optional(),
  MaxResults: z.number().int().min(1).max(2_147_483_647).optional(),
});

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw zodToValidationError(result.error, input);
  return result.data;
}

// ---------------------------------------------------------------- dates and the bill

/** An epoch day from YYYY-MM-DD (a time part, allowed by the pattern, must be midnight). */
function parseDay(text: string, what: string): number {
  const match = YMD.exec(text)!;
  const t = Date.parse(`${match[1]}T00:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== match[1])
    throw ceValidation(`${what} ${text} is not a valid date. Use YYYY-MM-DD.`);
  if (match[2] !== undefined && match[2] !== 'T00:00:00Z')
    throw ceValidation(`${what} ${text} has a time of day, which only HOURLY granularity takes.`);
  return epochDay(t);
}

const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

function firstOfMonth(day: number, months = 0): number {
  const d = new Date(day * DAY_MS);
  return epochDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
}

/** The bill as Cost Explorer shows it now, and "today". */
function bill(ctx: CostExplorerContext): { view: LedgerView; today: number } {
  const sim = ctx.simulation;
  return { view: sim.billing.view(sim.now), today: epochDay(sim.now) };
}

function checkBillingView(arn: string | undefined, ctx: CostExplorerContext): void {
  if (arn === undefined) return;
  if (arn !== `arn:aws:billing::${ctx.simulation.accountId}:billingview/primary`) {
    throw ceError(
      'ResourceNotFoundException',
      `Billing view ${arn.slice(0, 200)} was not found. This account has only its primary billing view.`,
    );
  }
}

/**
 * A TimePeriod of the cost and usage APIs: Start before End, End not past the start of next
 * month, Start within the retention (the first of the month 13 months back: 14 months with
 * the current one).
 */
function costPeriod(
  period: z.infer<typeof DateInterval>,
  today: number,
): { start: number; end: number } {
  const start = parseDay(period.Start, 'Start date');
  const end = parseDay(period.End, 'End date');
  if (!(start < end))
    throw ceValidation('Start date (and hour) should be before end date (and hour)');
  if (end > firstOfMonth(today, 1)) throw ceValidation('end date past the beginning of next month');
  const oldest = ledgerFirstDay(today * DAY_MS);
  if (start < oldest) {
    throw ceValidation(
      `Start date ${period.Start} is more than 14 months ago: Cost Explorer has data from ${isoDay(oldest)}. To retrieve data beyond the past 14 months, enable multi-year data in the Cost Management preferences (monthly granularity only).`,
    );
  }
  return { start, end };
}

/** Periods of a query: days, or calendar months clipped to [start, end). */
function periods(start: number, end: number, granularity: 'DAILY' | 'MONTHLY'): [number, number][] {
  const out: [number, number][] = [];
  for (let from = start; from < end;) {
    const to = granularity === 'DAILY' ? from + 1 : Math.min(end, firstOfMonth(from, 1));
    out.push([from, to]);
    from = to;
  }
  return out;
}

// ---------------------------------------------------------------- metrics

type MetricKind = 'cost' | 'usage' | 'normalized';
const METRICS: Record<string, MetricKind> = {
  AmortizedCost: 'cost',
  BlendedCost: 'cost',
  NetAmortizedCost: 'cost',
  NetUnblendedCost: 'cost',
  UnblendedCost: 'cost',
  UsageQuantity: 'usage',
  NormalizedUsageAmount: 'normalized',
};
const metricKind = (name: string): MetricKind | undefined =>
  METRICS[name] ??
  METRICS[
    Object.keys(METRICS).find(
      (k) => k.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase() === name,
    ) ?? ''
  ];

/** Amounts as Cost Explorer writes them: a decimal string, at most 10 decimals, no trailing 0. */
export function amount(n: number): string {
  if (!(Math.abs(n) >= 5e-11)) return '0';
  return n.toFixed(10).replace(/\.?0+$/, '');
}

class Totals {
  cost = 0;
  usage = 0;
  normalized = 0;
  units = new Set<string>();

  add(line: Line, cost: number, quantity: number): void {
    this.cost += cost;
    this.usage += quantity;
    this.normalized += quantity * (line.normalization ?? 1);
    this.units.add(line.unit);
  }

  metric(kind: MetricKind): { Amount: string; Unit: string } {
    if (kind === 'cost') return { Amount: amount(this.cost), Unit: 'USD' };
    const unit = this.units.size === 1 ? [...this.units][0]! : 'N/A';
    return { Amount: amount(kind === 'usage' ? this.usage : this.normalized), Unit: unit };
  }
}

/** Sum matching lines over [from, to) of the visible bill, by key (one key: undefined). */
function sumOver(
  view: LedgerView,
  from: number,
  to: number,
  lines: readonly (readonly [Line, string | undefined])[],
): Map<string | undefined, Totals> {
  const out = new Map<string | undefined, Totals>();
  for (let day = Math.max(from, view.firstDay); day < to && day <= view.lastDay; day++) {
    const record = view.day(day);
    if (!record) continue;
    for (const [line, key] of lines) {
      const quantity = record.quantity[line.id] ?? 0;
      if (!(quantity > 0)) continue;
      let totals = out.get(key);
      if (!totals) out.set(key, (totals = new Totals()));
      totals.add(line, record.cost[line.id] ?? 0, quantity);
    }
  }
  return out;
}

// ---------------------------------------------------------------- GetCostAndUsage

/** Group rows per page: Cost Explorer does not document its page size; this one is 1,000. */
export const COST_AND_USAGE_PAGE_ROWS = 1000;
const RowCursor = z.object({ row: z.number().int().min(0), asOf: z.number() });

interface GroupSpec {
  type: 'DIMENSION' | 'TAG';
  key: string;
}

function groupSpecs(groupBy: z.infer<typeof GetCostAndUsageInput>['GroupBy']): GroupSpec[] {
  const specs = groupBy ?? [];
  if (specs.length > 2)
    throw ceValidation(
      `You can group by at most two dimensions, tag keys or cost categories; the request has ${specs.length}.`,
    );
  return specs.map((g, i) => {
    if (!g.Type || !g.Key)
      throw ceValidation(
        'Group Definition is invalid. Both type an key need to be set to a non-empty value.',
      );
    if (g.Type === 'DIMENSION') {
      const key = checkDimension(g.Key, `groupBy.${i + 1}.member.key`);
      if (!(key in DIMENSIONS)) throw ceValidation(`Group Definition dimension ${key} is invalid.`);
      return { type: 'DIMENSION', key };
    }
    if (g.Type === 'TAG') return { type: 'TAG', key: g.Key };
    if (g.Type === 'COST_CATEGORY')
      throw ceValidation(`Cost category ${g.Key.slice(0, 50)} does not exist in this account.`);
    throw ceValidation('Group Definition type is invalid.');
  });
}

function groupKey(line: Line, spec: GroupSpec, accountId: string): string {
  if (spec.type === 'TAG')
    return `${spec.key}$${(line.tags as Record<string, string | undefined>)[spec.key] ?? ''}`;
  return DIMENSIONS[spec.key]!(line, accountId) ?? NO_VALUE[spec.key] ?? `No${spec.key}`;
}

function getCostAndUsage(input: z.infer<typeof GetCostAndUsageInput>, ctx: CostExplorerContext) {
  const { view, today } = bill(ctx);
  const accountId = ctx.simulation.accountId;
  checkBillingView(input.BillingViewArn, ctx);
  if (input.Granularity === 'HOURLY') {
    throw ceValidation(
      'Hourly granularity is not enabled for this account. Turn on hourly and resource-level data in the Cost Management preferences.',
    );
  }
  const { start, end } = costPeriod(input.TimePeriod, today);
  if (input.Metrics.length === 0)
    throw ceValidation('Metrics is required for GetCostAndUsage requests.');
  const metrics = input.Metrics.map((name) => {
    const kind = metricKind(name);
    if (!kind) {
      throw ceValidation(
        `Metric ${name.slice(0, 50)} is invalid. Valid values are AmortizedCost, BlendedCost, NetAmortizedCost, NetUnblendedCost, NormalizedUsageAmount, UnblendedCost and UsageQuantity.`,
      );
    }
    return [name, kind] as const;
  });
  const groups = groupSpecs(input.GroupBy);
  const predicate: LinePredicate =
    input.Filter === undefined ? () => true : compileExpression(input.Filter, accountId);

  const print = fingerprint([
    input.TimePeriod,
    input.Granularity,
    input.Filter,
    input.Metrics,
    input.GroupBy,
  ]);
  const cursor = decodeToken(input.NextPageToken, print, RowCursor, {
    invalid: invalidNextToken,
    otherRequest: requestChanged,
  });
  if (cursor && cursor.asOf !== view.refreshedAt) throw billExpired();

  const selected = view.lines
    .filter(predicate)
    .map(
      (line) =>
        [
          line,
          groups.length
            ? groups.map((g) => groupKey(line, g, accountId)).join('\u0000')
            : undefined,
        ] as const,
    );
  const currentMonth = firstOfMonth(today);
  const metricsOf = (totals: Totals | undefined) =>
    Object.fromEntries(
      metrics.map(([name, kind]) => [name, (totals ?? new Totals()).metric(kind)]),
    );

  // Rows: one per period without grouping, one per group (at least one) per period with it.
  interface Row {
    period: number;
    keys?: string[];
    totals?: Totals;
  }
  const spans = periods(start, end, input.Granularity);
  const rows: Row[] = [];
  spans.forEach(([from, to], period) => {
    const sums = sumOver(view, from, to, selected);
    if (groups.length === 0) {
      rows.push({ period, totals: sums.get(undefined) });
      return;
    }
    const keys = [...sums.keys()].sort() as string[];
    if (keys.length === 0) rows.push({ period });
    for (const key of keys) rows.push({ period, keys: key.split('\u0000'), totals: sums.get(key) });
  });
  const first = cursor?.row ?? 0;
  const page = rows.slice(first, first + COST_AND_USAGE_PAGE_ROWS);
  const next = first + COST_AND_USAGE_PAGE_ROWS;

  const results: object[] = [];
  let current: { period: number; entry: Record<string, unknown>; groups: object[] } | undefined;
  for (const row of page) {
    if (current?.period !== row.period) {
      const [from, to] = spans[row.period]!;
      const entry: Record<string, unknown> = {
        TimePeriod: { Start: isoDay(from), End: isoDay(to) },
        Total: groups.length ? {} : metricsOf(row.totals),
        Groups: [] as object[],
        Estimated: to > currentMonth,
      };
      current = { period: row.period, entry, groups: entry.Groups as object[] };
      results.push(entry);
    }
    if (row.keys) current.groups.push({ Keys: row.keys, Metrics: metricsOf(row.totals) });
  }
  return {
    ...(groups.length
      ? { GroupDefinitions: groups.map((g) => ({ Type: g.type, Key: g.key })) }
      : {}),
    ResultsByTime: results,
    DimensionValueAttributes: groups.some(
      (g) => g.type === 'DIMENSION' && g.key === 'LINKED_ACCOUNT',
    )
      ? [{ Value: accountId, Attributes: accountAttributes(ctx) }]
      : [],
    ...(next < rows.length
      ? { NextPageToken: encodeToken({ row: next, asOf: view.refreshedAt }, print) }
      : {}),
  };
}

function accountAttributes(ctx: CostExplorerContext): Record<string, string> {
  return { description: `${ctx.simulation.platform.name} (production)` };
}

// ---------------------------------------------------------------- GetCostForecast

/** 3 months of DAILY forecasts, 18 months of MONTHLY ones. */
const FORECAST_MONTHS = { DAILY: 3, MONTHLY: 18 } as const;
const DEFAULT_PREDICTION_INTERVAL = 80;

function getCostForecast(input: z.infer<typeof GetCostForecastInput>, ctx: CostExplorerContext) {
  const { view, today } = bill(ctx);
  checkBillingView(input.BillingViewArn, ctx);
  if (input.Granularity === 'HOURLY')
    throw ceValidation('GetCostForecast supports only DAILY and MONTHLY granularities.');
  if (input.Metric === 'USAGE_QUANTITY' || input.Metric === 'NORMALIZED_USAGE_AMOUNT') {
    throw ceValidation(
      `Metric ${input.Metric} is not supported by GetCostForecast; forecast usage with GetUsageForecast.`,
    );
  }
  const start = parseDay(input.TimePeriod.Start, 'Start date');
  const end = parseDay(input.TimePeriod.End, 'End date');
  if (!(start < end)) {
    throw ceValidation(
      `Requested Start: ${input.TimePeriod.Start} must be before requested End: ${input.TimePeriod.End}`,
    );
  }
  if (start < today) {
    throw ceValidation(
      `Start date ${input.TimePeriod.Start} is in the past: a forecast starts today (${isoDay(today)}) or later.`,
    );
  }
  const months = FORECAST_MONTHS[input.Granularity];
  const latest = firstOfMonth(today, months) + (today - firstOfMonth(today));
  if (end > latest) {
    throw ceValidation(
      `End date ${input.TimePeriod.End} is too far out: ${input.Granularity} forecasts cover up to ${months} months (until ${isoDay(latest)}).`,
    );
  }
  const predicate =
    input.Filter === undefined
      ? () => true
      : compileExpression(input.Filter, ctx.simulation.accountId);
  const lines = view.lines.filter(predicate);

  // The complete days of the bill, up to the day before the forecast starts.
  const lastDay = Math.min(view.lastDayPartial ? view.lastDay - 1 : view.lastDay, start - 1);
  const history: number[] = [];
  for (let day = view.firstDay; day <= lastDay; day++) {
    const record = view.day(day);
    let cost = 0;
    if (record) for (const line of lines) cost += record.cost[line.id] ?? 0;
    history.push(cost);
  }
  const days: number[] = [];
  for (let day = lastDay + 1; day < end; day++) days.push(day);
  const forecaster = forecastCosts({ history, lastDay, days });
  if (!forecaster) {
    throw ceError(
      'DataUnavailableException',
      'Insufficient amount of historical data to generate forecast.',
    );
  }
  const level = input.PredictionIntervalLevel ?? DEFAULT_PREDICTION_INTERVAL;
  const meanOf = new Map(forecaster.days.map((d) => [d.day, d.mean]));
  const spans = periods(start, end, input.Granularity);
  const inSpan = (from: number, to: number) => days.filter((d) => d >= from && d < to);
  const results = spans.map(([from, to]) => {
    const span = inSpan(from, to);
    const mean = span.reduce((sum, d) => sum + (meanOf.get(d) ?? 0), 0);
    const { lower, upper } = forecaster.interval(span, level);
    return {
      TimePeriod: { Start: isoDay(from), End: isoDay(to) },
      MeanValue: amount(mean),
      PredictionIntervalLowerBound: amount(lower),
      PredictionIntervalUpperBound: amount(upper),
    };
  });
  const total = inSpan(start, end).reduce((sum, d) => sum + (meanOf.get(d) ?? 0), 0);
  return { Total: { Amount: amount(total), Unit: 'USD' }, ForecastResultsByTime: results };
}

// ---------------------------------------------------------------- GetDimensionValues, GetTags

const SORT_KEYS: Record<string, MetricKind> = {
  BlendedCost: 'cost',
  UnblendedCost: 'cost',
  AmortizedCost: 'cost',
  NetAmortizedCost: 'cost',
  NetUnblendedCost: 'cost',
  UsageQuantity: 'usage',
  NormalizedUsageAmount: 'normalized',
};
const LIST_PAGE = 1000;
const OffsetCursor = z.object({ offset: z.number().int().min(0), asOf: z.number() });

interface ListRequest {
  TimePeriod: z.infer<typeof DateInterval>;
  Filter?: unknown;
  SearchString?: string | undefined;
  SortBy?: z.infer<typeof SortDefinition>[] | undefined;
  MaxResults?: number | undefined;
  NextPageToken?: string | undefined;
  BillingViewArn?: string | undefined;
}

/**
 * Values of something (a dimension, a tag key, a tag's values) that have usage in the period,
 * searched, sorted and paged as GetDimensionValues and GetTags do.
 */
function listValues(
  input: ListRequest,
  ctx: CostExplorerContext,
  valueOf: (line: Line) => readonly string[],
  identity: unknown,
): { values: string[]; total: number; next: string | undefined } {
  const { view, today } = bill(ctx);
  checkBillingView(input.BillingViewArn, ctx);
  const { start, end } = costPeriod(input.TimePeriod, today);
  const sortBy = input.SortBy ?? [];
  if (sortBy.length > 0 && (input.NextPageToken !== undefined || input.SearchString !== undefined))
    throw ceValidation(
      'NextPageToken and SearchString are not supported when SortBy is specified.',
    );
  if (sortBy.length > 2) throw ceValidation('SortBy supports at most 2 sort definitions.');
  if (input.MaxResults !== undefined && input.MaxResults > 1000)
    throw ceValidation('MaxResults must be at most 1000.');
  for (const s of sortBy)
    if (!(s.Key in SORT_KEYS))
      throw ceValidation(
        `SortBy key ${s.Key.slice(0, 50)} is invalid. Valid values are ${Object.keys(SORT_KEYS).join(', ')}.`,
      );
  const predicate =
    input.Filter === undefined
      ? () => true
      : compileExpression(input.Filter, ctx.simulation.accountId);
  const pairs = view.lines
    .filter(predicate)
    .flatMap((line) => valueOf(line).map((value) => [line, value] as const));
  const sums = sumOver(view, start, end, pairs);
  let values = [...sums.keys()].filter((v): v is string => v !== undefined);
  const search = input.SearchString?.toLowerCase();
  if (search) values = values.filter((v) => v.toLowerCase().includes(search));
  values.sort();
  if (sortBy.length > 0) {
    values.sort((a, b) => {
      for (const s of sortBy) {
        const kind = SORT_KEYS[s.Key]!;
        const field = kind === 'cost' ? 'cost' : kind === 'usage' ? 'usage' : 'normalized';
        const d = sums.get(a)![field] - sums.get(b)![field];
        if (d !== 0) return s.SortOrder === 'DESCENDING' ? -d : d;
      }
      return 0;
    });
    return {
      values: values.slice(0, input.MaxResults ?? 1000),
      total: values.length,
      next: undefined,
    };
  }
  const print = fingerprint([identity, input.TimePeriod, input.Filter, input.SearchString]);
  const cursor = decodeToken(input.NextPageToken, print, OffsetCursor, {
    invalid: invalidNextToken,
    otherRequest: requestChanged,
  });
  if (cursor && cursor.asOf !== view.refreshedAt) throw billExpired();
  const offset = cursor?.offset ?? 0;
  const next = offset + LIST_PAGE;
  return {
    values: values.slice(offset, next),
    total: values.length,
    next:
      next < values.length
        ? encodeToken({ offset: next, asOf: view.refreshedAt }, print)
        : undefined,
  };
}

function getDimensionValues(
  input: z.infer<typeof GetDimensionValuesInput>,
  ctx: CostExplorerContext,
) {
  const dimension = checkDimension(input.Dimension, 'dimension');
  const accountId = ctx.simulation.accountId;
  // No reservations or Savings Plans in this account: nothing to list in those contexts.
  const context = input.Context ?? 'COST_AND_USAGE';
  const of = context === 'COST_AND_USAGE' ? DIMENSIONS[dimension] : undefined;
  const { values, total, next } = listValues(
    input,
    ctx,
    (line) => {
      const v = of?.(line, accountId);
      return v === undefined ? [] : [v];
    },
    ['dimension', dimension, context],
  );
  return {
    DimensionValues: values.map((Value) => ({
      Value,
      Attributes: dimension === 'LINKED_ACCOUNT' ? accountAttributes(ctx) : {},
    })),
    ReturnSize: values.length,
    TotalSize: total,
    ...(next ? { NextPageToken: next } : {}),
  };
}

function getTags(input: z.infer<typeof GetTagsInput>, ctx: CostExplorerContext) {
  const key = input.TagKey;
  const { values, total, next } = listValues(
    input,
    ctx,
    (line) => {
      const tags = line.tags as Record<string, string | undefined>;
      if (key === undefined) return COST_TAG_KEYS.filter((k) => tags[k] !== undefined);
      const v = tags[key];
      return v === undefined ? [] : [v];
    },
    ['tags', key],
  );
  return {
    Tags: values,
    ReturnSize: values.length,
    TotalSize: total,
    ...(next ? { NextPageToken: next } : {}),
  };
}

// ---------------------------------------------------------------- anomalies

const MONITOR_CREATED = '2025-03-04';

function monitor(ctx: CostExplorerContext) {
  const sim = ctx.simulation;
  const { view } = bill(ctx);
  const lastComplete = view.lastDayPartial ? view.lastDay - 1 : view.lastDay;
  const services = new Set<string>();
  for (let day = Math.max(view.firstDay, lastComplete - 89); day <= lastComplete; day++) {
    const record = view.day(day);
    if (record) record.quantity.forEach((q, id) => q > 0 && services.add(view.lines[id]!.service));
  }
  return {
    MonitorArn: `arn:aws:ce::${sim.accountId}:anomalymonitor/${hashUuid(sim.seed, 'anomaly-monitor')}`,
    MonitorName: 'Default-Services-Monitor',
    CreationDate: MONITOR_CREATED,
    LastUpdatedDate: MONITOR_CREATED,
    LastEvaluatedDate: isoDay(lastComplete),
    MonitorType: 'DIMENSIONAL',
    MonitorDimension: 'SERVICE',
    DimensionalValueCount: services.size,
  };
}

const PageCursor = z.object({ offset: z.number().int().min(0) });
/** Anomalies and monitors per page unless MaxResults says otherwise. */
const ANOMALY_PAGE = 20;

function getAnomalyMonitors(
  input: z.infer<typeof GetAnomalyMonitorsInput>,
  ctx: CostExplorerContext,
) {
  const all = [monitor(ctx)];
  for (const arn of input.MonitorArnList ?? []) {
    if (!all.some((m) => m.MonitorArn === arn))
      throw ceError(
        'UnknownMonitorException',
        `Cost anomaly monitor ${arn.slice(0, 200)} does not exist for the account.`,
      );
  }
  const wanted = input.MonitorArnList?.length
    ? all.filter((m) => input.MonitorArnList!.includes(m.MonitorArn))
    : all;
  const { items, next } = pageOf(wanted, input, ['monitors', input.MonitorArnList]);
  return { AnomalyMonitors: items, ...next };
}

function getAnomalies(input: z.infer<typeof GetAnomaliesInput>, ctx: CostExplorerContext) {
  const sim = ctx.simulation;
  const { view, today } = bill(ctx);
  const from = parseDay(input.DateInterval.StartDate, 'StartDate');
  const to =
    input.DateInterval.EndDate === undefined
      ? today
      : parseDay(input.DateInterval.EndDate, 'EndDate');
  if (from > to) throw ceValidation('StartDate must be on or before EndDate.');
  const impact = input.TotalImpact;
  if (impact?.NumericOperator === 'BETWEEN' && impact.EndValue === undefined)
    throw ceValidation('EndValue is required when NumericOperator is BETWEEN.');
  const m = monitor(ctx);
  const anomalies = reportAnomalies(view, sim.seed)
    .map((r) => {
      const first = r.days[0]!;
      const last = r.days[r.days.length - 1]!;
      const totalActual = r.days.reduce((s, d) => s + d.actual, 0);
      const totalExpected = r.days.reduce((s, d) => s + d.expected, 0);
      const totalImpact = totalActual - totalExpected;
      const maxImpact = Math.max(...r.days.map((d) => d.actual - d.expected));
      const round = (n: number) => Math.round(n * 100) / 100;
      return {
        end: last.day,
        totalImpact,
        anomaly: {
          AnomalyId: r.id,
          AnomalyStartDate: `${isoDay(first.day)}T00:00:00Z`,
          AnomalyEndDate: `${isoDay(last.day)}T00:00:00Z`,
          DimensionValue: r.service,
          RootCauses: [
            {
              Service: r.service,
              Region: r.region,
              LinkedAccount: sim.accountId,
              LinkedAccountName: accountAttributes(ctx).description,
              UsageType: r.usageType,
              Impact: { Contribution: round(totalImpact) },
            },
          ],
          AnomalyScore: {
            MaxScore: Math.max(...r.days.map(anomalyScore)),
            CurrentScore: anomalyScore(last),
          },
          Impact: {
            MaxImpact: round(maxImpact),
            TotalImpact: round(totalImpact),
            TotalActualSpend: round(totalActual),
            TotalExpectedSpend: round(totalExpected),
            ...(totalExpected > 0
              ? { TotalImpactPercentage: round((totalImpact / totalExpected) * 100) }
              : {}),
          },
          MonitorArn: m.MonitorArn,
        },
      };
    })
    .filter((a) => a.end >= from && a.end <= to)
    .filter(() => input.MonitorArn === undefined || input.MonitorArn === m.MonitorArn)
    // Nobody has given feedback on these anomalies yet.
    .filter(() => input.Feedback === undefined)
    .filter((a) => !impact || compare(a.totalImpact, impact))
    .map((a) => a.anomaly);
  const { items, next } = pageOf(anomalies, input, [
    'anomalies',
    input.DateInterval,
    input.MonitorArn,
    input.Feedback,
    impact,
  ]);
  return { Anomalies: items, ...next };
}

function compare(
  value: number,
  filter: NonNullable<z.infer<typeof GetAnomaliesInput>['TotalImpact']>,
): boolean {
  const v = Math.round(value * 100) / 100;
  const a = filter.StartValue;
  switch (filter.NumericOperator) {
    case 'EQUAL':
      return v === a;
    case 'GREATER_THAN_OR_EQUAL':
      return v >= a;
    case 'LESS_THAN_OR_EQUAL':
      return v <= a;
    case 'GREATER_THAN':
      return v > a;
    case 'LESS_THAN':
      return v < a;
    case 'BETWEEN':
      return v >= a && v <= filter.EndValue!;
  }
}

/** A page of a short list (MaxResults, NextPageToken), as the anomaly APIs page. */
function pageOf<T>(
  items: T[],
  input: { MaxResults?: number | undefined; NextPageToken?: string | undefined },
  identity: unknown,
): { items: T[]; next: { NextPageToken: string } | Record<string, never> } {
  const print = fingerprint(identity);
  const offset =
    decodeToken(input.NextPageToken, print, PageCursor, {
      invalid: invalidNextToken,
      otherRequest: requestChanged,
    })?.offset ?? 0;
  const size = Math.min(input.MaxResults ?? ANOMALY_PAGE, 1000);
  const end = offset + size;
  return {
    items: items.slice(offset, end),
    next: end < items.length ? { NextPageToken: encodeToken({ offset: end }, print) } : {},
  };
}

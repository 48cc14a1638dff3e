// Cost Explorer adapter: GetCostAndUsage, GetCostForecast, GetAnomalies and
// GetAnomalyMonitors, every NextPageToken followed, mapped into the core model. Cost
// Explorer bills each request ($0.01, every page one): what to ask and when is decided by
// spend.ts and core's spend policy; this file only asks and maps.
import {
  GetAnomaliesCommand,
  GetAnomalyMonitorsCommand,
  GetCostAndUsageCommand,
  GetCostForecastCommand,
  type Anomaly,
  type CostExplorerClient,
  type GetCostAndUsageCommandOutput,
  type GroupDefinition,
  type Metric,
  type MetricValue,
} from '@aws-sdk/client-cost-explorer';
import {
  CostAndUsageSchema,
  CostAnomalySchema,
  CostForecastSchema,
  type CostAndUsage,
  type CostAnomaly,
  type CostForecast,
  type CostMetric,
} from '@ballast/core';
import { collectPages } from './paging.js';

export interface CostExplorerCollectorOptions {
  /** aborts every request in flight (a collection's deadline) */
  abortSignal?: AbortSignal;
  /** called after each request that got an answer: each one is a paid request */
  onPaidRequest?: () => void;
}

/** The forecast's prediction interval, percent (Cost Explorer's default is 80). */
export const PREDICTION_INTERVAL_LEVEL = 80;

/** GetCostForecast names metrics in capitals. */
const FORECAST_METRIC: Record<CostMetric, Metric> = {
  UnblendedCost: 'UNBLENDED_COST',
  AmortizedCost: 'AMORTIZED_COST',
  NetUnblendedCost: 'NET_UNBLENDED_COST',
};

/**
 * Paging errors: the request changed between pages, or the token is no longer valid.
 * Cost Explorer's advice is to start again without a token; once.
 */
const RESTART_PAGING = new Set(['RequestChangedException', 'InvalidNextTokenException']);

export class CostExplorerCollector {
  constructor(
    private readonly client: CostExplorerClient,
    private readonly options: CostExplorerCollectorOptions = {},
  ) {}

  private get sendOptions(): { abortSignal?: AbortSignal } {
    return this.options.abortSignal ? { abortSignal: this.options.abortSignal } : {};
  }

  /** Counts a request once it is answered: only answered requests are billed. */
  private async paid<T>(request: Promise<T>): Promise<T> {
    const output = await request;
    this.options.onPaidRequest?.();
    return output;
  }

  /**
   * One query over [start, end) (End exclusive), every page merged: a page may end in the
   * middle of a period's groups, and the next page continues that same period.
   */
  async getCostAndUsage(query: {
    start: string;
    end: string;
    granularity: 'DAILY' | 'MONTHLY';
    /** SERVICE, USAGE_TYPE, REGION... or TAG:<key>; two at most */
    groupBy: readonly string[];
    metrics: readonly string[];
  }): Promise<CostAndUsage> {
    const groupBy: GroupDefinition[] = query.groupBy.map((d) =>
      d.startsWith('TAG:') ? { Type: 'TAG', Key: d.slice(4) } : { Type: 'DIMENSION', Key: d },
    );
    const fetchAll = () =>
      collectPages(
        (token) =>
          this.paid(
            this.client.send(
              new GetCostAndUsageCommand({
                TimePeriod: { Start: query.start, End: query.end },
                Granularity: query.granularity,
                Metrics: [...query.metrics],
                ...(groupBy.length ? { GroupBy: groupBy } : {}),
                ...(token ? { NextPageToken: token } : {}),
              }),
              this.sendOptions,
            ),
          ),
        (page) => page.NextPageToken || undefined,
      );
    let pages: GetCostAndUsageCommandOutput[];
    try {
      pages = await fetchAll();
    } catch (err) {
      if (!RESTART_PAGING.has((err as { name?: string }).name ?? '')) throw err;
      pages = await fetchAll();
    }
    return mergeCostPages(pages, query);
  }

  /** Cost Explorer's forecast of [start, end) (start today at the earliest) with its interval. */
  async getCostForecast(query: {
    start: string;
    end: string;
    metric: CostMetric;
  }): Promise<CostForecast> {
    const output = await this.paid(
      this.client.send(
        new GetCostForecastCommand({
          TimePeriod: { Start: query.start, End: query.end },
          Metric: FORECAST_METRIC[query.metric],
          Granularity: 'MONTHLY',
          PredictionIntervalLevel: PREDICTION_INTERVAL_LEVEL,
        }),
        this.sendOptions,
      ),
    );
    const results = output.ForecastResultsByTime ?? [];
    // One result a month; a range across months has one each, whose bounds add up.
    const bound = (pick: 'PredictionIntervalLowerBound' | 'PredictionIntervalUpperBound') =>
      results.length > 0 && results.every((r) => r[pick] !== undefined)
        ? results.reduce((sum, r) => sum + Number(r[pick]), 0)
        : null;
    const mean =
      output.Total?.Amount !== undefined
        ? Number(output.Total.Amount)
        : results.reduce((sum, r) => sum + Number(r.MeanValue ?? 0), 0);
    return CostForecastSchema.parse({
      metric: query.metric,
      start: query.start,
      end: query.end,
      mean,
      lower: bound('PredictionIntervalLowerBound'),
      upper: bound('PredictionIntervalUpperBound'),
      predictionIntervalLevel: PREDICTION_INTERVAL_LEVEL,
      unit: output.Total?.Unit ?? 'USD',
    });
  }

  /** The anomalies whose last day falls in [start, end] (dates inclusive, as GetAnomalies takes them). */
  async getAnomalies(query: { start: string; end: string }): Promise<CostAnomaly[]> {
    const pages = await collectPages(
      (token) =>
        this.paid(
          this.client.send(
            new GetAnomaliesCommand({
              DateInterval: { StartDate: query.start, EndDate: query.end },
              MaxResults: 100,
              ...(token ? { NextPageToken: token } : {}),
            }),
            this.sendOptions,
          ),
        ),
      (page) => page.NextPageToken || undefined,
    );
    return pages.flatMap((p) => p.Anomalies ?? []).map(fromAnomaly);
  }

  /** How many anomaly monitors Cost Anomaly Detection has. */
  async countAnomalyMonitors(): Promise<number> {
    const pages = await collectPages(
      (token) =>
        this.paid(
          this.client.send(
            new GetAnomalyMonitorsCommand({
              MaxResults: 100,
              ...(token ? { NextPageToken: token } : {}),
            }),
            this.sendOptions,
          ),
        ),
      (page) => page.NextPageToken || undefined,
    );
    return pages.reduce((n, p) => n + (p.AnomalyMonitors?.length ?? 0), 0);
  }
}

/** Pages of one GetCostAndUsage query as one answer: periods in order, groups merged. */
export function mergeCostPages(
  pages: readonly GetCostAndUsageCommandOutput[],
  query: {
    granularity: 'DAILY' | 'MONTHLY';
    groupBy: readonly string[];
    metrics: readonly string[];
  },
): CostAndUsage {
  const periods = new Map<
    string,
    {
      start: string;
      end: string;
      estimated: boolean;
      total: Record<string, { amount: number; unit: string }>;
      groups: { keys: string[]; metrics: Record<string, { amount: number; unit: string }> }[];
    }
  >();
  for (const page of pages) {
    for (const result of page.ResultsByTime ?? []) {
      const start = result.TimePeriod?.Start ?? '';
      const period = periods.get(start) ?? {
        start,
        end: result.TimePeriod?.End ?? '',
        estimated: false,
        total: {},
        groups: [],
      };
      period.estimated ||= result.Estimated === true;
      Object.assign(period.total, amounts(result.Total));
      for (const group of result.Groups ?? [])
        period.groups.push({ keys: group.Keys ?? [], metrics: amounts(group.Metrics) });
      periods.set(start, period);
    }
  }
  return CostAndUsageSchema.parse({
    granularity: query.granularity,
    groupBy: [...query.groupBy],
    metrics: [...query.metrics],
    periods: [...periods.values()].sort((a, b) => a.start.localeCompare(b.start)),
  });
}

function amounts(
  metrics: Record<string, MetricValue> | undefined,
): Record<string, { amount: number; unit: string }> {
  const out: Record<string, { amount: number; unit: string }> = {};
  for (const [name, value] of Object.entries(metrics ?? {}))
    out[name] = { amount: Number(value.Amount ?? 0), unit: value.Unit ?? '' };
  return out;
}

function fromAnomaly(a: Anomaly): CostAnomaly {
  const day = (value: string | undefined) => (value ? value.slice(0, 10) : null);
  return CostAnomalySchema.parse({
    id: a.AnomalyId,
    start: day(a.AnomalyStartDate),
    end: day(a.AnomalyEndDate),
    monitorArn: a.MonitorArn,
    ...(a.DimensionValue ? { dimensionValue: a.DimensionValue } : {}),
    rootCauses: (a.RootCauses ?? []).map((r) => ({
      ...(r.Service ? { service: r.Service } : {}),
      ...(r.Region ? { region: r.Region } : {}),
      ...(r.LinkedAccount ? { linkedAccount: r.LinkedAccount } : {}),
      ...(r.LinkedAccountName ? { linkedAccountName: r.LinkedAccountName } : {}),
      ...(r.UsageType ? { usageType: r.UsageType } : {}),
      contributionUsd: r.Impact?.Contribution ?? null,
    })),
    impact: {
      totalUsd: a.Impact?.TotalImpact ?? a.Impact?.MaxImpact ?? 0,
      maxUsd: a.Impact?.MaxImpact ?? 0,
      actualUsd: a.Impact?.TotalActualSpend ?? null,
      expectedUsd: a.Impact?.TotalExpectedSpend ?? null,
      percent: a.Impact?.TotalImpactPercentage ?? null,
    },
    score: { max: a.AnomalyScore?.MaxScore ?? 0, current: a.AnomalyScore?.CurrentScore ?? 0 },
    ...(a.Feedback ? { feedback: a.Feedback } : {}),
  });
}

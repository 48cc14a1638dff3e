// Unit economics by day: what the store's AWS bill comes to per order, per 1,000 3D model
// views and per GB of models delivered, from the daily cost and the business metrics the
// storefront publishes. A day with either side unknown has no unit cost (never zero).
import type { SourceStatus } from '../model/health.js';
import type {
  BusinessMetric,
  BusinessSeries,
  SpendFreshness,
  UnitCostDay,
  UnitCosts,
} from '../model/spend.js';
import { roundAmount } from './cost-table.js';
import { addDays } from './dates.js';
import type { DailyAmount } from './month.js';

/** AWS bills data transfer by the GB of 2^30 bytes. */
export const BYTES_PER_GB = 1024 ** 3;

export interface UnitCostsInput {
  range: { start: string; end: string };
  /** total spend per day */
  days: readonly DailyAmount[];
  metrics: readonly BusinessSeries[];
  metricsSource: SourceStatus;
  freshness: SpendFreshness;
}

export function unitCosts(input: UnitCostsInput): UnitCosts {
  const { range } = input;
  const cost = new Map(input.days.map((d) => [d.day, d]));
  const series = new Map<BusinessMetric, Map<string, number>>(
    input.metrics.map((s) => [s.metric, new Map(s.points.map((p) => [p.day, p.value]))]),
  );
  const value = (metric: BusinessMetric, day: string) => series.get(metric)?.get(day) ?? null;
  const per = (amount: number | null, driver: number | null, scale = 1) =>
    amount === null || driver === null || driver <= 0
      ? null
      : roundAmount((amount / driver) * scale);

  const days: UnitCostDay[] = [];
  const totals = { orders: 0, views: 0, gb: 0, revenue: 0 };
  const paired = { orders: 0, views: 0, gb: 0, revenue: 0 };
  for (let day = range.start; day < range.end; day = addDays(day, 1)) {
    const c = cost.get(day);
    const costUsd = c ? c.amount : null;
    const orders = value('orders', day);
    const revenue = value('revenue', day);
    const views = value('modelViews', day);
    const bytes = value('modelBytes', day);
    const gb = bytes === null ? null : bytes / BYTES_PER_GB;
    days.push({
      day,
      costUsd,
      estimated: c?.estimated ?? false,
      orders,
      revenueUsd: revenue,
      modelViews: views,
      modelGb: gb === null ? null : roundAmount(gb),
      costPerOrder: per(costUsd, orders),
      costPer1000Views: per(costUsd, views, 1000),
      costPerGb: per(costUsd, gb),
      costPerRevenueUsd: per(costUsd, revenue),
    });
    if (costUsd === null) continue;
    // Overall figures pair each driver with the cost of the same days only.
    const pair = (key: keyof typeof totals, driver: number | null) => {
      if (driver === null) return;
      totals[key] += driver;
      paired[key] += costUsd;
    };
    pair('orders', orders);
    pair('views', views);
    pair('gb', gb);
    pair('revenue', revenue);
  }
  return {
    range: { ...range },
    days,
    overall: {
      costPerOrder: per(paired.orders, totals.orders),
      costPer1000Views: per(paired.views, totals.views, 1000),
      costPerGb: per(paired.gb, totals.gb),
      costPerRevenueUsd: per(paired.revenue, totals.revenue),
    },
    metrics: [...input.metrics],
    metricsSource: input.metricsSource,
    freshness: input.freshness,
  };
}

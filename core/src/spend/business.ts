// The business metrics the store publishes to CloudWatch (orders, revenue, 3D model views,
// model bytes delivered), read as daily sums for unit costs. The platform config names
// them (spend.businessMetrics), so a real shop can keep its own names.
import type { MetricQuery, Series } from '../model/health.js';
import type { SpendConfig } from '../model/platform.js';
import type { BusinessMetric, BusinessSeries } from '../model/spend.js';
import { fnv1a32 } from '../hash.js';
import { dayOf } from './dates.js';

/** A day, in seconds: one datapoint (a Sum) per UTC day. */
export const DAY_SECONDS = 86_400;

const UNITS: Record<BusinessMetric, string> = {
  orders: 'Count',
  revenue: 'None',
  modelViews: 'Count',
  modelBytes: 'Bytes',
};

const LABELS: Record<BusinessMetric, string> = {
  orders: 'Orders',
  revenue: 'Revenue (USD)',
  modelViews: '3D model views',
  modelBytes: '3D model bytes delivered',
};

const METRICS: readonly BusinessMetric[] = ['orders', 'revenue', 'modelViews', 'modelBytes'];

/** One daily-sum query per business metric the config names; none without the section. */
export function businessQueries(spend: SpendConfig): MetricQuery[] {
  const config = spend.businessMetrics;
  if (!config) return [];
  const dimensions = Object.entries(config.dimensions).map(([name, value]) => ({ name, value }));
  return METRICS.flatMap((metric) => {
    const metricName = config[metric];
    if (!metricName) return [];
    return [
      {
        id: metric,
        namespace: config.namespace,
        metricName,
        dimensions,
        stat: 'Sum',
        periodSeconds: DAY_SECONDS,
        label: LABELS[metric],
        unit: UNITS[metric],
      },
    ];
  });
}

/** One month of the business metrics' daily sums, as cached. */
export interface BusinessMonth {
  month: string;
  series: BusinessSeries[];
}

/** The cache key of a month of business metrics: the names are part of it. */
export function businessMonthKey(spend: SpendConfig, month: string): string {
  const names = fnv1a32(JSON.stringify(spend.businessMetrics ?? null)).toString(16);
  return `cw:business:v1:${names}:${month}`;
}

/** CloudWatch series (queries of businessQueries) as daily business series. */
export function toBusinessSeries(
  series: readonly Series[],
  queries: readonly MetricQuery[],
): BusinessSeries[] {
  return queries.map((q) => {
    const found = series.find((s) => s.id === q.id);
    return {
      metric: q.id as BusinessMetric,
      name: q.metricName,
      unit: q.unit,
      points: (found?.points ?? []).map((p) => ({ day: dayOf(p.t), value: p.v })),
    };
  });
}

/** Business series of several months as one, over [start, end). */
export function joinBusinessMonths(
  months: readonly BusinessMonth[],
  range: { start: string; end: string },
): BusinessSeries[] {
  const joined = new Map<BusinessMetric, BusinessSeries>();
  for (const month of months) {
    for (const s of month.series) {
      const into = joined.get(s.metric) ?? { ...s, points: [] };
      into.points.push(...s.points.filter((p) => p.day >= range.start && p.day < range.end));
      joined.set(s.metric, into);
    }
  }
  return [...joined.values()].map((s) => ({
    ...s,
    points: s.points.sort((a, b) => a.day.localeCompare(b.day)),
  }));
}

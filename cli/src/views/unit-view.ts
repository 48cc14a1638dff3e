// The `ballast cost unit` screen: what the AWS bill comes to per order, per 1,000 3D model
// views, per GB of models delivered and per dollar of revenue — over the range, as a
// sparkline by day with its low and high, and the last days in a short table.
import type { UnitCostDay, UnitCosts } from '@ballast/core';
import { formatNumber } from '@ballast/core/format';
import { toCsv } from '@ballast/core/format';
import { formatUsd } from '@ballast/core/format';
import { sparkline } from '../output/sparkline.js';
import { renderTable } from '../output/table.js';
import { padEnd, padStart, visibleWidth, wrap } from '../output/text.js';
import { describeSourceError } from './sources.js';
import { dayRangeText, freshnessFooter, type SpendViewOptions } from './spend-view.js';

/** Days listed one by one under the sparklines (all of them when the range is this short). */
export const RECENT_DAYS = 7;

const MEASURES = [
  { key: 'costPerOrder', label: 'per order' },
  { key: 'costPer1000Views', label: 'per 1,000 model views' },
  { key: 'costPerGb', label: 'per GB of models delivered' },
  { key: 'costPerRevenueUsd', label: 'per dollar of revenue' },
] as const;

export function renderUnitCosts(units: UnitCosts, options: SpendViewOptions): string[] {
  const { palette: p, width, now } = options;
  const days = units.days;
  const lines = [
    p.bold('Unit costs: the AWS bill per unit of business'),
    p.dim(`${dayRangeText(units.range)} · ${days.length} day${days.length === 1 ? '' : 's'}`),
    '',
  ];
  if (!units.metricsSource.ok)
    lines.push(
      ...wrap(
        `Business metrics: ${describeSourceError(units.metricsSource, now)}. Days without them have no unit cost.`,
        width,
        '  ',
      ).map(p.yellow),
      '',
    );
  lines.push(...measureRows(units, options), '');
  const recent = days.slice(-RECENT_DAYS);
  lines.push(
    p.bold(days.length > recent.length ? `Last ${recent.length} days` : 'By day'),
    ...dayRows(recent, options),
  );
  const notes: string[] = [];
  if (days.length > recent.length) notes.push('Every day: --json or --csv.');
  if (days.some((d) => d.estimated))
    notes.push('~ estimated: the day is not over or not final in Cost Explorer yet.');
  lines.push(...notes.flatMap((n) => wrap(n, width, '  ')).map(p.dim), '');
  lines.push(...freshnessFooter(units.freshness, options));
  return lines;
}

function measureRows(units: UnitCosts, options: SpendViewOptions): string[] {
  const { palette: p, width } = options;
  const labels = MEASURES.map((m) => m.label);
  const overall = MEASURES.map((m) => formatUsd(units.overall[m.key]));
  const labelWidth = Math.max(...labels.map(visibleWidth));
  const overallWidth = Math.max(...overall.map(visibleWidth), 'whole range'.length);
  const ranges = MEASURES.map((m) => {
    const values = units.days.map((d) => d[m.key]).filter((v): v is number => v !== null);
    return values.length
      ? `${formatUsd(Math.min(...values))} to ${formatUsd(Math.max(...values))}`
      : 'no day known';
  });
  const rangeWidth = Math.max(...ranges.map(visibleWidth), 'low to high'.length);
  const sparkWidth = Math.max(
    8,
    Math.min(units.days.length, width - labelWidth - overallWidth - rangeWidth - 6),
  );
  const header = `${padEnd('', labelWidth)}  ${padStart('whole range', overallWidth)}  ${padEnd('by day', sparkWidth)}  low to high`;
  return [
    p.dim(header),
    ...MEASURES.map((m, i) => {
      const series = units.days.map((d) => d[m.key]);
      const known = series.filter((v): v is number => v !== null);
      // From the lowest day to the highest, so the trend shows; the range beside it gives the scale.
      const line = known.length
        ? sparkline(series, { width: sparkWidth, min: Math.min(...known), max: Math.max(...known) })
        : '';
      return `${padEnd(labels[i]!, labelWidth)}  ${padStart(overall[i]!, overallWidth)}  ${padEnd(line, sparkWidth)}  ${p.dim(ranges[i]!)}`.trimEnd();
    }),
  ];
}

function dayRows(days: readonly UnitCostDay[], options: SpendViewOptions): string[] {
  const { palette: p, width } = options;
  const count = (v: number | null) => (v === null ? '—' : formatNumber(v));
  return renderTable(
    [
      { header: 'day' },
      { header: 'cost', align: 'right' },
      { header: 'orders', align: 'right' },
      { header: 'per order', align: 'right' },
      { header: 'views', align: 'right' },
      { header: 'per 1k views', align: 'right' },
      { header: 'GB', align: 'right' },
      { header: 'per GB', align: 'right' },
    ],
    days.map((d) => [
      `${d.day}${d.estimated ? p.dim('~') : ' '}`,
      d.costUsd === null ? '—' : formatUsd(d.costUsd),
      count(d.orders),
      formatUsd(d.costPerOrder),
      count(d.modelViews),
      formatUsd(d.costPer1000Views),
      count(d.modelGb),
      formatUsd(d.costPerGb),
    ]),
    { width, header: p.dim },
  );
}

/** One record per day: the cost, each business metric and each unit cost (empty: unknown). */
export function unitCostsCsv(units: UnitCosts): string {
  return toCsv(
    [
      'day',
      'cost_usd',
      'estimated',
      'orders',
      'revenue_usd',
      'model_views',
      'model_gb',
      'cost_per_order_usd',
      'cost_per_1000_views_usd',
      'cost_per_gb_usd',
      'cost_per_revenue_usd',
    ],
    units.days.map((d) => [
      d.day,
      d.costUsd,
      d.estimated,
      d.orders,
      d.revenueUsd,
      d.modelViews,
      d.modelGb,
      d.costPerOrder,
      d.costPer1000Views,
      d.costPerGb,
      d.costPerRevenueUsd,
    ]),
  );
}

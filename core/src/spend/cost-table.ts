// A cost table from cached months: the shape's groups projected onto the dimensions asked
// for (SERVICE x team answers "by service", "by team" and the totals), summed per day or
// per month, over the days asked for that the data covers.
import {
  UNTAGGED,
  type CostGroup,
  type CostMetric,
  type CostPeriod,
  type CostTable,
  type Granularity,
  type SpendDimension,
  type SpendFreshness,
} from '../model/spend.js';
import { addDays, maxDay, minDay, monthEnd, monthOf, monthStart } from './dates.js';
import { shapeDimension, type CostMonth } from './cost-months.js';

/** The one group of a table grouped by nothing. */
export const TOTAL = 'Total';

/** What a raw Cost Explorer key means for a view: a tag's value, or UNTAGGED. */
export function displayKey(shapeDim: string, raw: string): string {
  if (!shapeDim.startsWith('TAG:')) return raw;
  // Keys of TAG groups are `key$value`; `key$` is the spend without that tag.
  const dollar = raw.indexOf('$');
  const value = dollar >= 0 ? raw.slice(dollar + 1) : raw;
  return value === '' ? UNTAGGED : value;
}

export interface BuildCostTableInput {
  months: readonly CostMonth[];
  dims: readonly SpendDimension[];
  granularity: Granularity;
  /** the days asked for, [start, end) */
  range: { start: string; end: string };
  metric: CostMetric;
  freshness: SpendFreshness;
}

export function buildCostTable(input: BuildCostTableInput): CostTable {
  const { months, dims, granularity, range, metric } = input;
  const groups = new Map<string, CostGroup>();
  const periods = new Map<string, CostPeriod>();
  let coveredStart: string | undefined;
  let coveredEnd: string | undefined;

  for (const month of months) {
    const metricIndex = month.metrics.indexOf(metric);
    if (metricIndex < 0) continue;
    const dimIndexes = dims.map((d) => {
      const i = month.groupBy.indexOf(shapeDimension(d));
      if (i < 0) throw new Error(`cached ${month.groupBy.join(' x ')} cannot answer ${d}`);
      return i;
    });
    // Each group's projected keys, computed once per month.
    const projected = month.keys.map((raw) => {
      const keys = dimIndexes.map((i) => displayKey(month.groupBy[i]!, raw[i] ?? ''));
      return { id: keys.length ? keys.join(' / ') : TOTAL, keys };
    });
    for (const { day, estimated, rows } of month.days) {
      if (day < range.start || day >= range.end) continue;
      coveredStart = coveredStart === undefined ? day : minDay(coveredStart, day);
      coveredEnd = coveredEnd === undefined ? day : maxDay(coveredEnd, day);
      const period = periodFor(periods, granularity, day, range);
      period.estimated ||= estimated;
      for (const row of rows) {
        const amount = row[1 + metricIndex] ?? 0;
        const { id, keys } = projected[row[0]!]!;
        if (amount === 0 && !groups.has(id)) continue;
        period.amounts[id] = (period.amounts[id] ?? 0) + amount;
        period.total += amount;
        const group = groups.get(id) ?? {
          id,
          keys,
          label: id,
          total: 0,
          untagged: keys.includes(UNTAGGED),
        };
        group.total += amount;
        groups.set(id, group);
      }
    }
  }

  const covered = {
    start: coveredStart ?? range.start,
    end: coveredEnd === undefined ? range.start : addDays(coveredEnd, 1),
  };
  const sortedPeriods = [...periods.values()]
    .sort((a, b) => a.start.localeCompare(b.start))
    .map((p) => ({
      ...p,
      end: minDay(p.end, covered.end),
      total: roundAmount(p.total),
      amounts: Object.fromEntries(Object.entries(p.amounts).map(([id, v]) => [id, roundAmount(v)])),
    }));
  const sortedGroups = [...groups.values()]
    .map((g) => ({ ...g, total: roundAmount(g.total) }))
    .sort((a, b) => b.total - a.total || a.id.localeCompare(b.id));
  const total = roundAmount(sortedPeriods.reduce((sum, p) => sum + p.total, 0));
  const tagDim = dims.find((d) => d.startsWith('tag:'));
  const untaggedAmount = roundAmount(
    sortedGroups.filter((g) => g.untagged).reduce((sum, g) => sum + g.total, 0),
  );
  return {
    metric,
    unit: 'USD',
    granularity,
    groupBy: [...dims],
    range: { ...range },
    covered,
    groups: sortedGroups,
    periods: sortedPeriods,
    total,
    estimated: sortedPeriods.some((p) => p.estimated),
    ...(tagDim
      ? {
          untagged: {
            tagKey: tagDim.slice(4),
            amount: untaggedAmount,
            share: total > 0 ? untaggedAmount / total : null,
          },
        }
      : {}),
    freshness: input.freshness,
  };
}

function periodFor(
  periods: Map<string, CostPeriod>,
  granularity: Granularity,
  day: string,
  range: { start: string; end: string },
): CostPeriod {
  const key = granularity === 'daily' ? day : monthOf(day);
  let period = periods.get(key);
  if (!period) {
    const start = granularity === 'daily' ? day : maxDay(monthStart(key), range.start);
    const end = granularity === 'daily' ? addDays(day, 1) : minDay(monthEnd(key), range.end);
    period = { start, end, estimated: false, total: 0, amounts: {} };
    periods.set(key, period);
  }
  return period;
}

/** Sums of many floats drift; a cent's ten-thousandth is beyond any bill. */
export function roundAmount(amount: number): number {
  return Math.round(amount * 1e6) / 1e6;
}

/** Daily totals of a daily table, oldest first. */
export function dailyTotals(
  table: CostTable,
): { day: string; amount: number; estimated: boolean }[] {
  return table.periods.map((p) => ({ day: p.start, amount: p.total, estimated: p.estimated }));
}

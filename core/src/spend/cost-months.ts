// Cost Explorer answers kept per month and query shape: the unit of the spend cache. One
// query covering several months is split into months when it arrives, so a later range
// reuses every month it shares with an earlier one, and only the months a view lacks (or
// the open months, when due) are ever asked for again.
import type { CostAndUsage, CostMetric, SpendDimension } from '../model/spend.js';
import { spendConfig, type PlatformConfig } from '../model/platform.js';
import { addDays, dayOf, minDay, monthEnd, monthOf, monthStart } from './dates.js';

/**
 * A query shape: what GetCostAndUsage is asked to group by and measure. Dimensions are
 * Cost Explorer's (SERVICE, USAGE_TYPE, REGION...) or TAG:<key> for a cost-allocation tag.
 * Every query Ballast makes is DAILY: a month's total is the sum of its days.
 */
export interface CostShape {
  groupBy: string[];
  metrics: string[];
}

/** One month of one shape's daily answer, compact: groups by index into `keys`. */
export interface CostMonth {
  month: string;
  groupBy: string[];
  metrics: string[];
  /** days covered [start, end): the whole month once closed; up to the read's day while open */
  start: string;
  end: string;
  /** Cost Explorer's group Keys, one entry per group (one empty entry when ungrouped) */
  keys: string[][];
  /** unit of each metric, per group (UsageQuantity's differ: Hrs, GB, Requests...) */
  units: string[][];
  /** every day Cost Explorer returned, in order; rows are [group index, ...metric values] */
  days: { day: string; estimated: boolean; rows: number[][] }[];
}

export const USAGE_QUANTITY = 'UsageQuantity';

/** The shape dimension of a spend dimension: tag:team -> TAG:team. */
export function shapeDimension(dim: SpendDimension): string {
  if (dim === 'service') return 'SERVICE';
  if (dim === 'usage-type') return 'USAGE_TYPE';
  if (dim === 'region') return 'REGION';
  return `TAG:${dim.slice(4)}`;
}

/**
 * The tag key read with every refresh of the open month, alongside the service: the first
 * one with budgets (they need it), else the first of spend.tagKeys; none without tag keys.
 */
export function primaryTagKey(config: PlatformConfig): string | undefined {
  const spend = spendConfig(config);
  const budgeted = Object.keys(spend.budgets.tags).find((k) => spend.tagKeys.includes(k));
  return budgeted ?? spend.tagKeys[0];
}

/** SERVICE x a tag: by service, by that tag, both, and the totals, from one query. */
export function serviceTagShape(tagKey: string | undefined, metric: CostMetric): CostShape {
  return { groupBy: tagKey ? ['SERVICE', `TAG:${tagKey}`] : ['SERVICE'], metrics: [metric] };
}

/** USAGE_TYPE x REGION with usage quantities: usage types, regions, spot savings. */
export function usageShape(metric: CostMetric): CostShape {
  return { groupBy: ['USAGE_TYPE', 'REGION'], metrics: [metric, USAGE_QUANTITY] };
}

/**
 * The shape that answers a grouping. The two standard shapes answer every single grouping
 * and their natural pairs; any other pair (service x region, say) gets a shape of its own,
 * cached the same way.
 */
export function shapeFor(
  dims: readonly SpendDimension[],
  config: PlatformConfig,
  metric: CostMetric,
): CostShape {
  const wanted = dims.map(shapeDimension);
  const primary = primaryTagKey(config);
  const tags = wanted.filter((d) => d.startsWith('TAG:'));
  const others = wanted.filter((d) => !d.startsWith('TAG:'));
  if (others.every((d) => d === 'SERVICE') && tags.length <= 1)
    return serviceTagShape(tags[0]?.slice(4) ?? primary, metric);
  if (tags.length === 0 && others.every((d) => d === 'USAGE_TYPE' || d === 'REGION'))
    return usageShape(metric);
  return { groupBy: wanted, metrics: [metric] };
}

/** The cache key of one month of a shape. */
export function costMonthKey(shape: CostShape, month: string): string {
  return `ce:cost:v1:${shape.metrics.join(',')}:${shape.groupBy.join(',')}:${month}`;
}

/**
 * Splits a DAILY answer into months. Periods are days; a month covers the days the answer
 * had for it.
 */
export function splitIntoMonths(
  answer: CostAndUsage,
  range: { start: string; end: string },
): CostMonth[] {
  const byMonth = new Map<string, CostMonth>();
  const index = new Map<CostMonth, Map<string, number>>();
  const monthFor = (month: string): CostMonth => {
    let entry = byMonth.get(month);
    if (!entry) {
      const start = monthStart(month) < range.start ? range.start : monthStart(month);
      entry = {
        month,
        groupBy: answer.groupBy,
        metrics: answer.metrics,
        start,
        end: minDay(monthEnd(month), range.end),
        keys: [],
        units: [],
        days: [],
      };
      byMonth.set(month, entry);
      index.set(entry, new Map());
    }
    return entry;
  };
  for (const period of answer.periods) {
    const entry = monthFor(monthOf(period.start));
    const keyIndex = index.get(entry)!;
    const groups =
      answer.groupBy.length === 0
        ? [{ keys: [] as string[], metrics: period.total }]
        : period.groups;
    const rows: number[][] = [];
    for (const group of groups) {
      const id = JSON.stringify(group.keys);
      let i = keyIndex.get(id);
      if (i === undefined) {
        i = entry.keys.length;
        keyIndex.set(id, i);
        entry.keys.push(group.keys);
        entry.units.push(answer.metrics.map((m) => group.metrics[m]?.unit ?? ''));
      }
      rows.push([i, ...answer.metrics.map((m) => group.metrics[m]?.amount ?? 0)]);
    }
    entry.days.push({ day: period.start, estimated: period.estimated, rows });
  }
  // A month the answer had no period for (none should happen with DAILY) is not invented.
  return [...byMonth.values()].sort((a, b) => a.month.localeCompare(b.month));
}

/**
 * Whether a month read at `fetchedAt` can never change again: it had ended when it was
 * read and Cost Explorer no longer marked any of its days estimated, or it was read a
 * whole month after it ended (the bill is final by then, whatever the flags say).
 */
export function isFinalMonth(month: string, fetchedAt: number, estimated: boolean): boolean {
  const readOn = dayOf(fetchedAt);
  if (readOn < monthEnd(month)) return false;
  if (!estimated) return true;
  return readOn >= monthEnd(monthOf(monthEnd(month)));
}

export function anyEstimated(month: CostMonth): boolean {
  return month.days.some((d) => d.estimated);
}

/**
 * The days a query for `months` (consecutive) asks for: from the first month's first day to
 * the last month's end, or to tomorrow (End is exclusive: today's partial day included).
 */
export function runRange(months: readonly string[], now: number): { start: string; end: string } {
  const first = months[0]!;
  const last = months[months.length - 1]!;
  return { start: monthStart(first), end: minDay(monthEnd(last), addDays(dayOf(now), 1)) };
}

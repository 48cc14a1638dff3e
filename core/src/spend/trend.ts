// What changed: the daily trend (with a 7-day average and week over week), and the top
// movers of a dimension between the last 7 complete days and the 7 before.
import type { CostTable, DailyTrend, Movers, SpendDimension } from '../model/spend.js';
import { roundAmount } from './cost-table.js';
import { addDays, dayOf } from './dates.js';
import { sumDays, type DailyAmount } from './month.js';

export const WEEK_DAYS = 7;

/** Daily totals with a trailing 7-day mean (when the 7 days are all known) and week over week. */
export function dailyTrend(days: readonly DailyAmount[], now: number): DailyTrend {
  const sorted = [...days].sort((a, b) => a.day.localeCompare(b.day));
  const byDay = new Map(sorted.map((d) => [d.day, d.amount]));
  const points = sorted.map((d) => {
    let sum = 0;
    for (let i = 0; i < WEEK_DAYS; i++) {
      const v = byDay.get(addDays(d.day, -i));
      if (v === undefined) return { ...d, average7: null };
      sum += v;
    }
    return { ...d, average7: roundAmount(sum / WEEK_DAYS) };
  });
  const today = dayOf(now);
  const windows = weekWindows(today);
  const complete = (from: string, to: string) => {
    for (let day = from; day < to; day = addDays(day, 1)) if (!byDay.has(day)) return false;
    return true;
  };
  const known = complete(windows.previous.start, windows.current.end) && sorted.length > 0;
  const current = sumDays(sorted, windows.current.start, windows.current.end);
  const previous = sumDays(sorted, windows.previous.start, windows.previous.end);
  return {
    points: points.map((p) => ({
      day: p.day,
      amount: p.amount,
      estimated: p.estimated,
      average7: p.average7,
    })),
    weekOverWeek: known
      ? {
          current,
          previous,
          changeUsd: roundAmount(current - previous),
          changePct: previous > 0 ? ((current - previous) / previous) * 100 : null,
        }
      : null,
  };
}

/** The last 7 complete days before `today`, and the 7 before them. */
export function weekWindows(today: string): {
  current: { start: string; end: string };
  previous: { start: string; end: string };
} {
  const currentStart = addDays(today, -WEEK_DAYS);
  return {
    current: { start: currentStart, end: today },
    previous: { start: addDays(currentStart, -WEEK_DAYS), end: currentStart },
  };
}

export interface MoversOptions {
  /** lines under this (USD a week) in both weeks are left out; default: see moversFloor */
  floorUsd?: number;
  /** at most this many movers; default 10 */
  limit?: number;
}

/**
 * The floor of a movers list: $1 a week, or 0.5% of the week's average spend when that is
 * more. A line that went from $0.02 to $0.20 grew 900% and matters to nobody.
 */
export function moversFloor(weeklySpend: number): number {
  return Math.max(1, roundAmount(0.005 * weeklySpend));
}

/**
 * The lines of a daily table (grouped by one dimension) that changed most, in dollars,
 * between the last 7 complete days and the 7 before them.
 */
export function topMovers(
  table: CostTable,
  dimension: SpendDimension,
  now: number,
  options: MoversOptions = {},
): Movers {
  const windows = weekWindows(dayOf(now));
  const current = new Map<string, number>();
  const previous = new Map<string, number>();
  let currentTotal = 0;
  let previousTotal = 0;
  for (const period of table.periods) {
    const day = period.start;
    const into =
      day >= windows.current.start && day < windows.current.end
        ? current
        : day >= windows.previous.start && day < windows.previous.end
          ? previous
          : undefined;
    if (!into) continue;
    for (const [id, amount] of Object.entries(period.amounts)) {
      into.set(id, (into.get(id) ?? 0) + amount);
      if (into === current) currentTotal += amount;
      else previousTotal += amount;
    }
  }
  const floorUsd = options.floorUsd ?? moversFloor((currentTotal + previousTotal) / 2);
  const labels = new Map(table.groups.map((g) => [g.id, g.label]));
  const movers = [...new Set([...current.keys(), ...previous.keys()])]
    .map((key) => {
      const after = roundAmount(current.get(key) ?? 0);
      const before = roundAmount(previous.get(key) ?? 0);
      return {
        key,
        label: labels.get(key) ?? key,
        current: after,
        previous: before,
        changeUsd: roundAmount(after - before),
        changePct: before > 0 ? ((after - before) / before) * 100 : null,
      };
    })
    .filter((m) => Math.max(m.current, m.previous) >= floorUsd && m.changeUsd !== 0)
    .sort((a, b) => Math.abs(b.changeUsd) - Math.abs(a.changeUsd) || a.key.localeCompare(b.key))
    .slice(0, options.limit ?? 10);
  return { dimension, current: windows.current, previous: windows.previous, floorUsd, movers };
}

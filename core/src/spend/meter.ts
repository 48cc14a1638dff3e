// What Ballast itself costs: its call ledger (every AWS request it made, priced at list
// price) summed by service and operation for today and this month, and projected to the
// month's end. Shown everywhere spend is, so the tool never hides its own bill.
import type { MeterLine, MeterReport } from '../model/spend.js';
import type { CallLedgerDayRow } from '../store/store.js';
import { roundAmount } from './cost-table.js';
import { addDays, dayOf, daysBetween, maxDay, monthEnd, monthOf, monthStart } from './dates.js';

/** Complete days whose median makes the typical day of the projection. */
export const PROJECTION_DAYS = 7;

/**
 * Today, this month and the month projected: this month so far plus, for each day left
 * after today, the median spend of the last 7 complete days since Ballast first made a
 * call (a median, so one cold load of 13 months of history does not read as every day's
 * spend). With no complete day yet, today so far stands for a typical day.
 */
export function meterReport(rows: readonly CallLedgerDayRow[], now: number): MeterReport {
  const today = dayOf(now);
  const month = monthOf(today);
  const start = monthStart(month);
  const lines = new Map<string, MeterLine>();
  const perDay = new Map<string, number>();
  let firstDay: string | undefined;
  for (const row of rows) {
    if (firstDay === undefined || row.day < firstDay) firstDay = row.day;
    perDay.set(row.day, (perDay.get(row.day) ?? 0) + row.priceUsd);
    if (row.day < start || row.day > today) continue;
    const id = `${row.service}\n${row.operation}`;
    const line = lines.get(id) ?? {
      service: row.service,
      operation: row.operation,
      today: { requests: 0, usd: 0 },
      month: { requests: 0, pages: 0, usd: 0, errors: 0 },
    };
    line.month.requests += row.requests;
    line.month.pages += row.pages;
    line.month.usd += row.priceUsd;
    line.month.errors += row.errors;
    if (row.day === today) {
      line.today.requests += row.requests;
      line.today.usd += row.priceUsd;
    }
    lines.set(id, line);
  }
  const sorted = [...lines.values()]
    .map((l) => ({
      ...l,
      today: { ...l.today, usd: roundAmount(l.today.usd) },
      month: { ...l.month, usd: roundAmount(l.month.usd) },
    }))
    .sort(
      (a, b) =>
        b.month.usd - a.month.usd ||
        b.month.requests - a.month.requests ||
        a.service.localeCompare(b.service) ||
        a.operation.localeCompare(b.operation),
    );
  const sum = (pick: (l: MeterLine) => number) => sorted.reduce((s, l) => s + pick(l), 0);
  const monthUsd = roundAmount(sum((l) => l.month.usd));
  const todayUsd = roundAmount(sum((l) => l.today.usd));

  const from = maxDay(addDays(today, -PROJECTION_DAYS), firstDay ?? today);
  const complete: number[] = [];
  for (let day = from; day < today; day = addDays(day, 1)) complete.push(perDay.get(day) ?? 0);
  const typical = complete.length ? median(complete) : todayUsd;
  const daysLeft = daysBetween(today, monthEnd(month)) - 1;
  // Today costs at least what it has so far, and is taken to cost at least a typical day.
  const projected = monthUsd - todayUsd + Math.max(todayUsd, typical) + typical * daysLeft;
  return {
    asOf: now,
    today: { day: today, requests: sum((l) => l.today.requests), usd: todayUsd },
    month: { month, requests: sum((l) => l.month.requests), usd: monthUsd },
    projectedMonthUsd: roundAmount(projected),
    projectionBasis: complete.length
      ? `this month so far, with today and the ${daysLeft} day(s) after it at least the median of the last ${complete.length} complete day(s) ($${typical.toFixed(2)} a day)`
      : `this month so far, with the ${daysLeft} day(s) after today at today's spend so far ($${typical.toFixed(2)} a day)`,
    lines: sorted,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

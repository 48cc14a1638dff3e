// What the pages show besides values: local clock times, status words, signal names. Values,
// units and durations come from core's one formatting module (`@ballast/core/format`, free of
// zod so it costs the bundle a few kilobytes).
import type { GoldenSignal, Status } from '@ballast/core';
import { formatPct, formatUsd as formatUsdAmount } from '@ballast/core/format';

export { formatAgo, formatNumber, formatParts, formatValue, shortUnit } from '@ballast/core/format';

// Charts and tooltips use the viewer's local time, as the time axis does.
const clock = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const clockSeconds = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const day = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });
const date = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' });
const dayTime = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const monthYear = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric' });
const monthOnly = new Intl.DateTimeFormat('en-GB', { month: 'short' });
const longDate = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});
const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long' });
const monthNameYear = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric' });

export const formatClock = (t: number): string => clock.format(t);
/** "Nov 2026" */
export const formatMonth = (t: number): string => monthYear.format(t);
/** "Nov ’26" */
export const formatShortMonth = (t: number): string =>
  `${monthOnly.format(t)} ’${String(new Date(t).getFullYear()).slice(2)}`;
/** "24 Nov 2026" */
export const formatLongDate = (t: number): string => longDate.format(t);
export const formatClockSeconds = (t: number): string => clockSeconds.format(t);
/** "Tue 24 Nov" */
export const formatDay = (t: number): string => day.format(t);
/** "24 Nov" */
export const formatDate = (t: number): string => date.format(t);
export const formatDayTime = (t: number): string => dayTime.format(t);

export const STATUS_WORD: Record<Status, string> = {
  ok: 'Healthy',
  degraded: 'Degraded',
  critical: 'Critical',
  unknown: 'Unknown',
};

/** "Edge — Route 53, CloudFront" -> ["Edge", "Route 53, CloudFront"] */
export function splitTitle(title: string): [string, string] {
  const i = title.indexOf(' — ');
  return i < 0 ? [title, ''] : [title.slice(0, i), title.slice(i + 3)];
}

export const SIGNAL_ORDER: readonly GoldenSignal[] = ['traffic', 'errors', 'latency', 'saturation'];
export const SIGNAL_NAMES: Record<GoldenSignal, string> = {
  traffic: 'Traffic',
  errors: 'Errors',
  latency: 'Latency',
  saturation: 'Saturation',
};

// ---------------------------------------------------------------------------------------
// Money and billing days

/** Dollars on a card or an axis: as everywhere, compacted from $10,000 ("$12.3K", "$2.5M"). */
export const formatUsd = (value: number | null | undefined): string =>
  formatUsdAmount(value, { compact: true });

/** "+12%", "-3.4%", "new" (no spend before) */
export const formatChangePct = (pct: number | null): string =>
  pct === null ? 'new' : formatPct(pct, { signed: true });

/**
 * A billing day (YYYY-MM-DD, a UTC date in Cost Explorer) as the epoch ms of that date's
 * local midnight, so the charts' local-time axis puts it under its own date.
 */
export function dayMs(day: string): number {
  return new Date(
    Number(day.slice(0, 4)),
    Number(day.slice(5, 7)) - 1,
    Number(day.slice(8, 10)),
  ).getTime();
}

/** "24 Nov" for a billing day. */
export const formatIsoDay = (day: string): string => formatDate(dayMs(day));
/** "Tue 24 Nov" for a billing day. */
export const formatIsoWeekday = (day: string): string => formatDay(dayMs(day));
/** "24 Nov 2026" for a billing day. */
export const formatIsoLongDay = (day: string): string => formatLongDate(dayMs(day));
/** "November" (or "November 2025" with the year) for YYYY-MM. */
export const formatIsoMonth = (month: string, withYear = false): string =>
  (withYear ? monthNameYear : monthName).format(dayMs(`${month}-01`));

/** "3–9 Nov" / "28 Oct – 3 Nov" for days [start, end) (end exclusive, as Cost Explorer's). */
export function formatDayRange(start: string, end: string): string {
  const last = new Date(dayMs(end));
  last.setDate(last.getDate() - 1);
  return formatDaySpan(dayMs(start), last.getTime());
}

/** "3–9 Nov" / "28 Oct – 3 Nov" / "24 Nov" for the days from `first` to `last`, inclusive. */
export function formatDays(first: string, last: string): string {
  return formatDaySpan(dayMs(first), dayMs(last));
}

function formatDaySpan(first: number, last: number): string {
  const a = new Date(first);
  const b = new Date(last);
  // Across years (a 13-month range), each end says its year.
  if (a.getFullYear() !== b.getFullYear())
    return `${formatLongDate(first)} – ${formatLongDate(last)}`;
  if (b.getTime() <= a.getTime()) return formatDate(first);
  if (a.getMonth() === b.getMonth()) return `${a.getDate()}–${formatDate(last)}`;
  return `${formatDate(first)} – ${formatDate(last)}`;
}

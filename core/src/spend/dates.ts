// Calendar arithmetic for spend: Cost Explorer reports by UTC day and month, and its
// periods are [Start, End) with End exclusive, as ISO dates (YYYY-MM-DD). Everything here
// works on those strings and on epoch ms, in UTC, with no clock of its own.

const DAY_MS = 86_400_000;
export { DAY_MS };

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** The UTC day of an epoch ms instant, as YYYY-MM-DD. */
export function dayOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** Epoch ms of 00:00 UTC of a day known to be well formed (no checks: hot loops). */
function startOf(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
}

/** Epoch ms of the start (00:00 UTC) of an ISO day; NaN when it is not a real date. */
export function dayStart(day: string): number {
  if (!ISO_DAY.test(day)) return Number.NaN;
  const ms = startOf(day);
  // Date.UTC rolls 2025-02-30 over into March: a real date reads back the same.
  return dayOf(ms) === day ? ms : Number.NaN;
}

export function isIsoDay(text: string): boolean {
  return !Number.isNaN(dayStart(text));
}

export function addDays(day: string, days: number): string {
  return dayOf(startOf(day) + days * DAY_MS);
}

/** Whole days from `a` to `b` (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((startOf(b) - startOf(a)) / DAY_MS);
}

/** The month of an ISO day: YYYY-MM. */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

/** First day of a month (YYYY-MM) as an ISO day. */
export function monthStart(month: string): string {
  return `${month}-01`;
}

/** The month `n` months after `month` (n may be negative). */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The day after the month's last day: the exclusive End of a whole-month period. */
export function monthEnd(month: string): string {
  return monthStart(addMonths(month, 1));
}

export function daysInMonth(month: string): number {
  return daysBetween(monthStart(month), monthEnd(month));
}

/** Months touched by the days [start, end), oldest first. */
export function monthsOf(start: string, end: string): string[] {
  const months: string[] = [];
  if (end <= start) return months;
  const last = monthOf(addDays(end, -1));
  for (let m = monthOf(start); m <= last; m = addMonths(m, 1)) months.push(m);
  return months;
}

/** The later of two ISO days (or months: the same order holds for both). */
export function maxDay(a: string, b: string): string {
  return a > b ? a : b;
}

export function minDay(a: string, b: string): string {
  return a < b ? a : b;
}

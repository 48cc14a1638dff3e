// What every spend screen says besides its numbers: where the data came from (the cache or
// Cost Explorer, how old, what the read cost, when it is read again), what a failed refresh
// leaves, how dimensions and day ranges read, and what Ballast itself spends on AWS calls.
// Pure: everything comes from the arguments.
import { addDays, type MeterReport, type SpendDimension, type SpendFreshness } from '@ballast/core';
import { formatDuration, formatTimestamp, sourceFailureWords } from '@ballast/core/format';
import { formatUsd } from '@ballast/core/format';
import type { Palette } from '../output/style.js';
import { wrap } from '../output/text.js';

/** What every spend screen is drawn with. */
export interface SpendViewOptions {
  palette: Palette;
  width: number;
  now: number;
  /** Ballast's own spend, for the footer */
  meter?: MeterReport;
}

/** Younger than this, data is "just read" rather than "40 s old". */
const JUST_READ_MS = 60_000;

/**
 * One sentence: "From cache, 2 h old, next refresh in 6 h." or "Read from Cost Explorer: 3
 * requests, $0.03; next refresh in 8 h." A failed refresh is said by staleWarning instead.
 */
export function describeFreshness(f: SpendFreshness, now: number): string {
  const next =
    f.nextRefreshAt === null
      ? 'final: closed months are never read again'
      : f.nextRefreshAt <= now
        ? 'due for a refresh'
        : `next refresh in ${formatDuration(f.nextRefreshAt - now, 'words')}`;
  const paid =
    f.paidRequests > 0
      ? `Read from Cost Explorer: ${f.paidRequests} request${f.paidRequests === 1 ? '' : 's'}, ${formatUsd(f.paidUsd)}`
      : undefined;
  if (f.error) {
    const failed = `(${sourceFailureWords(f.error.kind)}): see the warning`;
    if (f.fetchedAt === null) return `Nothing could be read from Cost Explorer ${failed}.`;
    return paid
      ? `${paid}; a read failed ${failed}.`
      : `From cache, ${age(now - f.fetchedAt)} old; reading Cost Explorer again failed ${failed}.`;
  }
  if (paid) {
    const older =
      f.ageMs !== null && f.ageMs >= JUST_READ_MS
        ? `; the rest from cache, ${age(f.ageMs)} old`
        : '';
    return `${paid}${older}; ${next}.`;
  }
  if (f.fetchedAt === null || f.ageMs === null) return 'Nothing was read from Cost Explorer.';
  const old = f.ageMs < JUST_READ_MS ? 'just read' : `${age(f.ageMs)} old`;
  return `From cache (no request), ${old}, ${next}.`;
}

/**
 * When a read failed: what failed, and what is shown instead (by default the stored data,
 * with its age). Undefined when nothing failed.
 */
export function staleWarning(f: SpendFreshness, now: number, instead?: string): string | undefined {
  if (!f.error) return undefined;
  const shown =
    instead ??
    (f.fetchedAt === null
      ? 'nothing stored is shown instead'
      : now - f.fetchedAt < JUST_READ_MS
        ? 'showing what could be read'
        : `showing what was stored ${age(now - f.fetchedAt)} ago (${formatTimestamp(f.fetchedAt)})`);
  return `Cost Explorer could not be read (${sourceFailureWords(f.error.kind)}: ${f.error.message}); ${shown}.`;
}

/** The footer of a spend screen: the freshness sentence, then Ballast's own spend, dimmed. */
export function freshnessFooter(f: SpendFreshness, options: SpendViewOptions): string[] {
  const { palette: p, width, now, meter } = options;
  const lines = [describeFreshness(f, now)];
  if (meter) lines.push(ownSpendLine(meter));
  return lines.flatMap((line) => wrap(line, width, '  ')).map(p.dim);
}

/** "Ballast's own AWS API spend this month: $0.12 (projected $3.72; `ballast meter`)." */
export function ownSpendLine(meter: MeterReport): string {
  return `Ballast's own AWS API calls this month: ${formatUsd(meter.month.usd)} (${meter.month.requests} requests), projected ${formatUsd(meter.projectedMonthUsd)} (ballast meter).`;
}

function age(ms: number): string {
  return formatDuration(ms, 'words');
}

/** "service", "team (tag)", "usage type", "region". */
export function dimensionTitle(dim: SpendDimension): string {
  if (dim.startsWith('tag:')) return `${dim.slice(4)} (tag)`;
  return dim === 'usage-type' ? 'usage type' : dim;
}

/** "2025-12-01 to 2026-11-30": [start, end) as the days a person counts, both included. */
export function dayRangeText(range: { start: string; end: string }): string {
  const last = addDays(range.end, -1);
  return last === range.start ? range.start : `${range.start} to ${last}`;
}

/** Month names for sentences: "December 2026". */
export function monthName(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${MONTHS[m - 1] ?? month} ${y}`;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

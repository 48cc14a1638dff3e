// Dollars as people read them in a terminal: whole dollars with thousands grouped from $100
// ("$43,089", "$611"), cents below that ("$64.27", "$0.12"), and the significant digits of
// what is smaller than a cent ("$0.00004": Ballast's own GetMetricData calls), never "$0.00"
// for an amount that is not zero. CSV gets plain numbers instead (csv.ts). The CLI and the dashboard both use these.
import { formatNumber } from './number.js';

/** From this amount up, cents are noise next to the dollars. */
const WHOLE_DOLLARS_FROM = 100;

export interface UsdOptions {
  /** "+$1,234" for a positive amount: a change */
  signed?: boolean;
  /** "$12.3K": for places that have no room for the whole amount */
  compact?: boolean;
}

/** null, undefined and non-finite amounts are unknown: "—", never "$0". */
export function formatUsd(amount: number | null | undefined, options: UsdOptions = {}): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '—';
  const abs = Math.abs(amount);
  const sign = amount < 0 && !isZero(abs) ? '-' : options.signed && !isZero(abs) ? '+' : '';
  return `${sign}$${digits(abs, options.compact ?? false)}`;
}

/** Rounds to the digits formatUsd would show, so a zero check matches what is printed. */
function isZero(abs: number): boolean {
  return abs === 0 || digits(abs, false) === '0';
}

function digits(abs: number, compact: boolean): string {
  if (compact && abs >= 10_000) return formatNumber(abs);
  if (abs >= WHOLE_DOLLARS_FROM) return Math.round(abs).toLocaleString('en-US');
  if (abs >= 0.01 || abs === 0) {
    const cents = abs.toFixed(2);
    return cents === '0.00' ? '0' : cents;
  }
  // Under a cent: two significant digits, no exponent.
  return formatNumber(Number(abs.toPrecision(2)));
}

/**
 * "+51%", "-3.2%", "0.6%", "<0.1%": whole percents from 10, one decimal below, so a column of
 * them reads at a glance.
 */
export function formatPct(
  pct: number | null | undefined,
  options: { signed?: boolean } = {},
): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return '—';
  const abs = Math.abs(pct);
  if (abs > 0 && abs < 0.05) return `${pct < 0 ? '>-' : '<'}0.1%`;
  const text =
    abs >= 10 ? Math.round(abs).toLocaleString('en-US') : abs.toFixed(1).replace(/\.0$/, '');
  const sign = text === '0' ? '' : pct < 0 ? '-' : options.signed ? '+' : '';
  return `${sign}${text}%`;
}

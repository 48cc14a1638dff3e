// Human-readable numbers, durations and times. Units follow the health model: "%", "ms",
// "req/min" and friends, plus the CloudWatch unit names in case a series keeps its raw unit.
import type { Threshold } from '@ballast/core';

/** 0.0421 -> "0.042", 12.34 -> "12.3", 1234 -> "1.2k", 2_500_000 -> "2.5M". */
export function compactNumber(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${trim((n / 1e9).toFixed(1))}G`;
  if (abs >= 1e6) return `${trim((n / 1e6).toFixed(1))}M`;
  if (abs >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (abs >= 1e3) return `${trim((n / 1e3).toFixed(1))}k`;
  if (abs >= 100 || Number.isInteger(n)) return String(Math.round(n));
  if (abs >= 10) return trim(n.toFixed(1));
  if (abs >= 0.01 || n === 0) return trim(n.toFixed(2));
  return trim(n.toPrecision(2));
}

function trim(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

const PERCENT = new Set(['%', 'percent']);
const MILLIS = new Set(['ms', 'milliseconds']);
const SECONDS = new Set(['s', 'seconds']);
const BYTES = new Set(['b', 'bytes']);
const UNITLESS = new Set(['', 'count', 'none']);

/** A value with its unit, e.g. "0.42%", "312 ms", "1.8 s", "12k req/min"; "—" for no data. */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const u = unit.toLowerCase();
  if (PERCENT.has(u)) return `${compactNumber(value)}%`;
  if (MILLIS.has(u)) return formatMillis(value);
  if (SECONDS.has(u)) return formatMillis(value * 1000);
  if (BYTES.has(u)) return formatBytes(value);
  if (UNITLESS.has(u)) return compactNumber(value);
  return `${compactNumber(value)} ${unit}`;
}

function formatMillis(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${compactNumber(ms)} ms`;
  if (abs < 60_000) return `${trim((ms / 1000).toFixed(1))} s`;
  if (abs < 3_600_000) return `${trim((ms / 60_000).toFixed(1))} min`;
  return `${trim((ms / 3_600_000).toFixed(1))} h`;
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${i === 0 ? Math.round(v) : trim(v.toFixed(1))} ${units[i]}`;
}

/** An SLO as "degraded / critical", e.g. "500 ms / 1.2 s"; "—" when the signal has no SLO. */
export function formatThreshold(threshold: Threshold | undefined, unit: string): string {
  const parts = [threshold?.degraded, threshold?.critical].map((t) =>
    t === undefined ? '—' : formatValue(t, unit),
  );
  return parts.every((p) => p === '—') ? '—' : parts.join(' / ');
}

/** Two most significant units: 42_000 -> "42s", 3_720_000 -> "1h 2m", 3_600_000 -> "1h", 2 days -> "2d". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

/** "3m ago" relative to `now`; "just now" within a few seconds; "in 5m" for the future. */
export function formatAge(then: number, now: number): string {
  const diff = now - then;
  if (Math.abs(diff) < 5_000) return 'just now';
  return diff > 0 ? `${formatDuration(diff)} ago` : `in ${formatDuration(-diff)}`;
}

/** UTC timestamp without milliseconds: "2025-11-23 20:41:07 UTC". Unambiguous for on-call handover. */
export function formatTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

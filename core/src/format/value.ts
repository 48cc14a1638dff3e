// A value with its unit, the one way the CLI, the dashboard and health reasons show it.
// Units are the health model's ("%", "ms", "req/min") or CloudWatch's ("Percent",
// "Milliseconds", "Count/Second"); a value is shown in the unit that suits its size
// ("1.84 s", "13 h", "5 MB").
import type { Threshold } from '../model/health.js';
import { formatNumber } from './number.js';

export type UnitKind = 'percent' | 'duration' | 'bytes' | 'plain';

/** Milliseconds per unit, for the duration units a value can arrive in. */
const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  milliseconds: 1,
  s: 1_000,
  seconds: 1_000,
  microseconds: 0.001,
};

export function unitKind(unit: string): UnitKind {
  const u = unit.trim().toLowerCase();
  if (u === '%' || u === 'percent') return 'percent';
  if (u in DURATION_UNITS) return 'duration';
  if (u === 'b' || u === 'bytes') return 'bytes';
  return 'plain';
}

const SHORT_UNITS: Record<string, string> = {
  count: '',
  none: '',
  'count/second': '/s',
  'bytes/second': 'B/s',
};

/** The unit to print after a plain number ("" for a bare count). */
export function shortUnit(unit: string): string {
  const u = unit.trim().toLowerCase();
  return u in SHORT_UNITS ? SHORT_UNITS[u]! : unit.trim();
}

/** A display unit: values are divided by `size` and followed by `label`. */
export interface DisplayUnit {
  label: string;
  size: number;
}

const DURATION_SCALE: readonly DisplayUnit[] = [
  { label: 'ms', size: 1 },
  { label: 's', size: 1_000 },
  { label: 'min', size: 60_000 },
  { label: 'h', size: 3_600_000 },
];
const BYTE_SCALE: readonly DisplayUnit[] = ['B', 'KB', 'MB', 'GB', 'TB'].map((label, i) => ({
  label,
  size: 1024 ** i,
}));

/** The ladder of display units for a unit, smallest first (one entry for most units). */
export function displayUnits(unit: string): readonly DisplayUnit[] {
  switch (unitKind(unit)) {
    case 'percent':
      return [{ label: '%', size: 1 }];
    case 'duration': {
      // Values in seconds are shown from milliseconds up, like values in milliseconds.
      const ms = DURATION_UNITS[unit.trim().toLowerCase()]!;
      return DURATION_SCALE.map((d) => ({ label: d.label, size: d.size / ms }));
    }
    case 'bytes':
      return BYTE_SCALE;
    case 'plain':
      return [{ label: shortUnit(unit), size: 1 }];
  }
}

/** The largest display unit that `value` fills at least `min` times (the smallest otherwise). */
export function displayUnitFor(value: number, unit: string, min = 1): DisplayUnit {
  const ladder = displayUnits(unit);
  const abs = Math.abs(value);
  let chosen = ladder[0]!;
  for (const step of ladder) if (abs >= step.size * min) chosen = step;
  return chosen;
}

/** "12 ms", "1.84 s", "7 min", "13 h", "0.009%", "12.3K req/min", "5 MB", "42". */
export function formatValue(value: number | null | undefined, unit: string): string {
  return joinParts(formatParts(value, unit));
}

/** A value split into number and unit, for a big number with a small unit beside it. */
export function formatParts(
  value: number | null | undefined,
  unit: string,
): { value: string; unit: string } {
  if (value === null || value === undefined || !Number.isFinite(value))
    return { value: '—', unit: '' };
  return formatIn(value, displayUnitFor(value, unit));
}

/** `value` in a given display unit, e.g. every tick of an axis in hours. */
export function formatIn(value: number, display: DisplayUnit): { value: string; unit: string } {
  return { value: formatNumber(value / display.size), unit: display.label };
}

/** "0.42%", "/s" and "B/s" attach to the number; other units follow a space. */
export function joinParts(parts: { value: string; unit: string }): string {
  if (!parts.unit) return parts.value;
  return parts.unit === '%' || parts.unit.startsWith('/')
    ? `${parts.value}${parts.unit}`
    : `${parts.value} ${parts.unit}`;
}

/** An SLO as "degraded / critical", e.g. "500 ms / 1.2 s"; "—" when the signal has no SLO. */
export function formatThreshold(threshold: Threshold | undefined, unit: string): string {
  const parts = [threshold?.degraded, threshold?.critical].map((t) =>
    t === undefined ? '—' : formatValue(t, unit),
  );
  return parts.every((p) => p === '—') ? '—' : parts.join(' / ');
}

// Numbers, units and times as the pages show them. CloudWatch units arrive as AWS spells
// them ("Milliseconds", "Percent", "Count/Second"); people read "ms", "%", "/s".
import type { GoldenSignal, Status } from '@ballast/core';

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumSignificantDigits: 3 });
const precise = new Intl.NumberFormat('en', { maximumSignificantDigits: 3 });

function number(v: number): string {
  return Math.abs(v) >= 10_000 ? compact.format(v) : precise.format(v);
}

type UnitKind = 'percent' | 'ms' | 'bytes' | 'plain';

function unitKind(unit: string): UnitKind {
  const u = unit.trim().toLowerCase();
  if (u === 'percent' || u === '%') return 'percent';
  if (u === 'milliseconds' || u === 'ms') return 'ms';
  if (u === 'bytes') return 'bytes';
  return 'plain';
}

const SHORT_UNITS: Record<string, string> = {
  count: '',
  none: '',
  'count/second': '/s',
  'count/minute': '/min',
  seconds: 's',
  'bytes/second': 'B/s',
};

/** The unit to print after a plain number ("" for a bare count). */
export function shortUnit(unit: string): string {
  const u = unit.trim().toLowerCase();
  return u in SHORT_UNITS ? SHORT_UNITS[u]! : unit;
}

/** A value split into number and unit, for a big number with a small unit beside it. */
export function formatParts(
  value: number | null | undefined,
  unit: string,
): { value: string; unit: string } {
  if (value === null || value === undefined || !Number.isFinite(value))
    return { value: '—', unit: '' };
  switch (unitKind(unit)) {
    case 'percent':
      return { value: number(value), unit: '%' };
    case 'ms': {
      const abs = Math.abs(value);
      if (abs >= 3_600_000) return { value: number(value / 3_600_000), unit: 'h' };
      if (abs >= 60_000) return { value: number(value / 60_000), unit: 'min' };
      if (abs >= 1_000) return { value: number(value / 1_000), unit: 's' };
      return { value: number(value), unit: 'ms' };
    }
    case 'bytes': {
      const steps = ['B', 'KB', 'MB', 'GB', 'TB'];
      let v = value;
      let i = 0;
      while (Math.abs(v) >= 1024 && i < steps.length - 1) {
        v /= 1024;
        i++;
      }
      return { value: number(v), unit: steps[i]! };
    }
    default:
      return { value: number(value), unit: shortUnit(unit) };
  }
}

export function formatValue(value: number | null | undefined, unit: string): string {
  const p = formatParts(value, unit);
  if (!p.unit) return p.value;
  return p.unit === '%' || p.unit.startsWith('/') ? `${p.value}${p.unit}` : `${p.value} ${p.unit}`;
}

/** The axis title for a unit, or "" when the tick labels already carry it. */
export function axisUnit(unit: string): string {
  return unitKind(unit) === 'plain' ? shortUnit(unit) || 'count' : '';
}

/** A tick label: short; percentages and durations with their unit, counts bare. */
export function formatTick(value: number, unit: string): string {
  if (unitKind(unit) !== 'plain') return formatValue(value, unit);
  return Math.abs(value) >= 1_000 ? compact.format(value) : precise.format(value);
}

export function formatAgo(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} d ago`;
}

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
const dayTime = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export const formatClock = (t: number): string => clock.format(t);
export const formatClockSeconds = (t: number): string => clockSeconds.format(t);
export const formatDay = (t: number): string => day.format(t);
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

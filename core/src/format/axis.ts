// A chart's value axis: from 0 to a round top in 3 to 5 round steps, every tick written in
// one unit picked from the domain ("0 h, 6 h, 12 h, 18 h", never "4.17 h" next to "250 min").
import { formatNumber } from './number.js';
import { displayUnits, joinParts, unitKind, type DisplayUnit } from './value.js';

export interface ValueAxis {
  /** the top of the domain, in the value's own unit (e.g. ms) */
  top: number;
  /** tick values from 0 to `top`, in the value's own unit */
  ticks: number[];
  /** the unit every tick label is written in */
  display: DisplayUnit;
  /** a tick's label in `display`, e.g. "6 h", "25%", "150K" */
  label(value: number): string;
}

/** Round steps of a decimal scale. */
const DECIMAL = [1, 2, 2.5, 5];
/** Round steps of seconds, minutes and hours, which are counted in sixties and days. */
const SEXAGESIMAL: Record<string, number[]> = {
  s: [1, 2, 5, 10, 15, 30],
  min: [1, 2, 5, 10, 15, 30],
  h: [1, 2, 3, 4, 6, 12, 24],
};

/** Large plain values are written in thousands, millions, ... on an axis ("150K"). */
const PLAIN_SCALE: readonly DisplayUnit[] = [
  { label: '', size: 1 },
  { label: 'K', size: 1e3 },
  { label: 'M', size: 1e6 },
  { label: 'B', size: 1e9 },
];

/**
 * An axis that reaches at least `wanted` (in `unit`). Plain units keep their name off the
 * ticks (the chart titles the axis with it); percentages, durations and bytes carry theirs.
 */
export function valueAxis(wanted: number, unit: string): ValueAxis {
  const display = axisUnit(wanted, unit);
  const want = Math.max(wanted, 0) / display.size || 1;
  let best = { top: Infinity, step: 1, segments: 4 };
  for (const segments of [4, 5, 3]) {
    const step = roundStep(want / segments, display.label);
    if (step * segments < best.top - 1e-9) best = { top: step * segments, step, segments };
  }
  const ticks = Array.from({ length: best.segments + 1 }, (_, i) =>
    roundOff(i * best.step * display.size),
  );
  const plain = unitKind(unit) === 'plain';
  return {
    top: roundOff(best.top * display.size),
    ticks,
    display,
    label: (value) => {
      const n = formatNumber(value / display.size);
      if (plain) return value === 0 ? '0' : `${n}${display.label}`;
      return joinParts({ value: n, unit: display.label });
    },
  };
}

/** The unit of an axis reaching `wanted`: the largest one the axis spans a few of. */
function axisUnit(wanted: number, unit: string): DisplayUnit {
  const ladder = unitKind(unit) === 'plain' ? PLAIN_SCALE : displayUnits(unit);
  let chosen = ladder[0]!;
  for (const step of ladder) {
    // Thousands from 10K (an axis to 5,000 reads fine); minutes and hours from two of them,
    // so that 90 s steps in seconds and 90 min in minutes.
    const fill = step.label === 'K' ? 10 : step.label === 'min' || step.label === 'h' ? 2 : 1;
    if (wanted >= step.size * fill) chosen = step;
  }
  return chosen;
}

/** The smallest round step, in the display unit, of at least `raw`. */
function roundStep(raw: number, label: string): number {
  const steps = SEXAGESIMAL[label];
  // Fractions of a second step in tenths like any decimal.
  if (steps && raw >= 1) {
    const found = steps.find((s) => s >= raw * (1 - 1e-9));
    if (found !== undefined) return found;
    // Beyond a day of hours or half an hour of minutes: round multiples of the largest.
    const largest = steps[steps.length - 1]!;
    return largest * decimalStep(raw / largest);
  }
  return decimalStep(raw);
}

/** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least `raw`. */
function decimalStep(raw: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const factor = DECIMAL.find((f) => f * magnitude >= raw * (1 - 1e-9)) ?? 10;
  return factor * magnitude;
}

/** Drops binary noise such as 0.30000000000000004. */
function roundOff(value: number): number {
  return Number(value.toPrecision(12));
}

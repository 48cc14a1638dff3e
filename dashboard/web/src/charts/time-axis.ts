// Time-axis ticks on round local times (xx:00, midnight), as many as fit the chart's width
// without their labels touching: the step and the label format are picked from the width.
import { textWidth } from './text-width.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface TimeTicks {
  ticks: number[];
  format: (t: number) => string;
}

export interface TimeFormats {
  /** "21:10" */
  clock: (t: number) => string;
  /** "Tue 24 Nov" */
  day: (t: number) => string;
  /** "24 Nov" */
  shortDay: (t: number) => string;
  /** "Nov 2026" */
  month: (t: number) => string;
  /** "Nov ’26" */
  shortMonth: (t: number) => string;
}

const CLOCK_STEPS = [1, 2, 5, 10, 15, 30]
  .map((m) => m * MINUTE)
  .concat([1, 2, 3, 6, 12].map((h) => h * HOUR));
const DAY_STEPS = [1, 2, 3, 7, 14].map((d) => d * DAY);
/** Steps in months, for ranges of months (a year of daily spend). */
const MONTH_STEPS = [1, 2, 3, 6, 12];
/** Space kept between two labels, px: enough that each reads as its own. */
const GAP = 24;

/**
 * The densest ticks whose labels fit `plotWidth` px side by side: clock times within a day,
 * then days ("Tue 24 Nov", or "24 Nov" where that is what fits), then months ("Nov 2026",
 * or "Nov ’26").
 */
export function timeTicks(
  start: number,
  end: number,
  plotWidth: number,
  formats: TimeFormats,
  /** px a label may reach beyond the plot on each side (the value axis, the right margin) */
  overhang: { left: number; right: number } = { left: 0, right: 0 },
): TimeTicks {
  const span = Math.max(1, end - start);
  const fits = (count: number, sample: string) => count * (textWidth(sample) + GAP) <= plotWidth;
  // A label is centred on its tick: one too close to an edge would be cut off.
  const inside = (format: (t: number) => string) => (t: number) => {
    const x = ((t - start) / span) * plotWidth;
    const half = textWidth(format(t)) / 2;
    return x - half >= -overhang.left && x + half <= plotWidth + overhang.right;
  };
  // Over more than a day, ticks are days: clock times alone would not say which day.
  const candidates: { every: () => number[]; format: (t: number) => string }[] = [
    ...CLOCK_STEPS.filter((step) => span <= DAY && step < span).map((step) => ({
      every: () => ticksEvery(start, end, step),
      format: formats.clock,
    })),
    ...DAY_STEPS.flatMap((step) => [
      { every: () => ticksEvery(start, end, step), format: formats.day },
      { every: () => ticksEvery(start, end, step), format: formats.shortDay },
    ]),
    // Months only where they are more than one tick: a few weeks read better in days.
    ...MONTH_STEPS.filter(() => span > 45 * DAY).flatMap((months) => [
      { every: () => monthTicks(start, end, months), format: formats.month },
      { every: () => monthTicks(start, end, months), format: formats.shortMonth },
    ]),
  ];
  for (const { every, format } of candidates) {
    const ticks = every().filter(inside(format));
    // The widest label of the lot decides (month names differ in width).
    const widest = ticks.reduce((w, t) => (format(t).length > w.length ? format(t) : w), '');
    if (ticks.length > 0 && fits(ticks.length, widest)) return { ticks, format };
  }
  const last = candidates[candidates.length - 1]!;
  return { ticks: last.every().filter(inside(last.format)).slice(0, 1), format: last.format };
}

/** Local first days of months from `start` to `end`, every `months` months. */
export function monthTicks(start: number, end: number, months: number): number[] {
  const ticks: number[] = [];
  const d = new Date(start);
  d.setHours(0, 0, 0, 0);
  d.setDate(1);
  if (d.getTime() < start) d.setMonth(d.getMonth() + 1);
  for (; d.getTime() <= end; d.setMonth(d.getMonth() + months)) ticks.push(d.getTime());
  return ticks;
}

/** Round local times from `start` to `end`: multiples of `step`, days from local midnight. */
export function ticksEvery(start: number, end: number, step: number): number[] {
  const ticks: number[] = [];
  if (step >= DAY) {
    const d = new Date(start);
    d.setHours(0, 0, 0, 0);
    if (d.getTime() < start) d.setDate(d.getDate() + 1);
    const every = Math.round(step / DAY);
    for (; d.getTime() <= end; d.setDate(d.getDate() + every)) ticks.push(d.getTime());
  } else {
    const offset = new Date(start).getTimezoneOffset() * MINUTE;
    for (let t = Math.ceil((start - offset) / step) * step + offset; t <= end; t += step)
      ticks.push(t);
  }
  return ticks;
}

/** The start of the local-time bucket of `size` ms (days from local midnight) containing t. */
export function bucketStart(t: number, size: number): number {
  const offset = new Date(t).getTimezoneOffset() * MINUTE;
  if (size < DAY) return Math.floor((t - offset) / size) * size + offset;
  const days = Math.round(size / DAY);
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  // Whole days since the epoch, in local time, rounded down to a multiple of `days`.
  const day = Math.round((d.getTime() - d.getTimezoneOffset() * MINUTE) / DAY);
  d.setDate(d.getDate() - (day % days));
  return d.getTime();
}

/** Round durations for buckets of time, shortest first. */
export const ROUND_DURATIONS = [...CLOCK_STEPS, DAY];

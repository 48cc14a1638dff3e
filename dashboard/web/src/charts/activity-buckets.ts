// Scaling activities as markers above a chart: each one where it happened while they are
// sparse; once two would touch, counted per round stretch of time (a bucket) instead, so a
// week of a busy group reads as "12 launches" pills rather than a solid band.
import type { ScalingActivity } from '@ballast/core';
import { textWidth } from './text-width.js';
import { bucketStart, ROUND_DURATIONS } from './time-axis.js';

export type Direction = 'out' | 'in';

export interface ActivityMark {
  direction: Direction;
  /** where the mark sits: the activity's start, or the middle of its bucket */
  t: number;
  /** the bucket, for a count; for a single activity, from and to are its start */
  from: number;
  to: number;
  /** newest first */
  activities: ScalingActivity[];
}

/** Launches scale out, terminations scale in (AWS's own Description wording). */
export function directionOf(activity: ScalingActivity): Direction {
  return /terminat/i.test(activity.description) ? 'in' : 'out';
}

/** The narrowest a mark is drawn, px: a triangle with room to point at it. */
export const MARK_WIDTH = 22;

/** A mark's width, px: a triangle for one activity, a pill wide enough for the count. */
export function markWidth(count: number): number {
  return count === 1 ? 9 : Math.max(16, textWidth(String(count), 10) + 8);
}

/**
 * Marks for the activities in [start, end] on a plot `plotWidth` px wide: one per activity
 * when no two of the same direction are closer than MARK_WIDTH, else one per direction and
 * bucket of the shortest round duration whose marks do not touch.
 */
export function activityMarks(
  activities: readonly ScalingActivity[],
  window: { start: number; end: number },
  plotWidth: number,
): { marks: ActivityMark[]; bucketMs: number | undefined } {
  const span = Math.max(1, window.end - window.start);
  const pxPerMs = Math.max(1, plotWidth) / span;
  const inWindow = activities
    .filter((a) => a.startTime >= window.start && a.startTime <= window.end)
    .sort((a, b) => a.startTime - b.startTime);
  const byDirection = (['out', 'in'] as const).map((direction) =>
    inWindow.filter((a) => directionOf(a) === direction),
  );

  const crowded = byDirection.some((list) =>
    list.some((a, i) => i > 0 && (a.startTime - list[i - 1]!.startTime) * pxPerMs < MARK_WIDTH),
  );
  if (!crowded) {
    return {
      marks: inWindow.map((a) => ({
        direction: directionOf(a),
        t: a.startTime,
        from: a.startTime,
        to: a.startTime,
        activities: [a],
      })),
      bucketMs: undefined,
    };
  }

  const minimum = MARK_WIDTH / pxPerMs;
  const sizes = ROUND_DURATIONS.filter((d) => d >= minimum);
  for (let days = 2; sizes.length === 0 || sizes[sizes.length - 1]! < span; days *= 2)
    sizes.push(days * DAY);
  for (const bucketMs of sizes) {
    const marks = byDirection.flatMap((list) => bucketed(list, bucketMs, window));
    const apart = (['out', 'in'] as const).every((direction) => {
      const row = marks.filter((m) => m.direction === direction).sort((a, b) => a.t - b.t);
      return row.every((m, i) => {
        const before = row[i - 1];
        if (!before) return true;
        const room = (m.t - before.t) * pxPerMs;
        return (
          room >= (markWidth(m.activities.length) + markWidth(before.activities.length)) / 2 + 2
        );
      });
    });
    if (apart) return { marks, bucketMs };
  }
  // One bucket for the whole window: a single mark per direction cannot touch another.
  return {
    marks: byDirection.flatMap((list) => bucketed(list, 2 * span, window)),
    bucketMs: 2 * span,
  };
}

const DAY = 86_400_000;

/**
 * One mark per round bucket of `size` holding activities (oldest first in, newest first out),
 * at the middle of the bucket's part inside the window. A bucket cut to less than half its
 * length by the window's edge joins its neighbour, so no mark crowds the one beside it.
 */
function bucketed(
  list: readonly ScalingActivity[],
  size: number,
  window: { start: number; end: number },
): ActivityMark[] {
  const buckets: { from: number; to: number; activities: ScalingActivity[] }[] = [];
  for (const activity of list) {
    const from = bucketStart(activity.startTime, size);
    const last = buckets[buckets.length - 1];
    if (last && last.from === from) last.activities.unshift(activity);
    else buckets.push({ from, to: from + size, activities: [activity] });
  }
  const visible = (b: { from: number; to: number }) =>
    Math.min(b.to, window.end) - Math.max(b.from, window.start);
  const merged: typeof buckets = [];
  for (const bucket of buckets) {
    const previous = merged[merged.length - 1];
    const adjacent = previous && previous.to === bucket.from;
    if (adjacent && (visible(previous) < size / 2 || visible(bucket) < size / 2)) {
      previous.to = bucket.to;
      previous.activities.unshift(...bucket.activities);
    } else merged.push({ ...bucket });
  }
  const direction = list[0] ? directionOf(list[0]) : 'out';
  return merged.map((b) => ({
    direction,
    t: (Math.max(b.from, window.start) + Math.min(b.to, window.end)) / 2,
    from: b.from,
    to: b.to,
    activities: b.activities,
  }));
}

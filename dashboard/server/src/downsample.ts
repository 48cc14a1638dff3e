// Server-side downsampling so a 14-day, 1-minute series (20,160 points) reaches the browser
// as roughly one point per horizontal pixel without losing its shape.
import type { CapacityPoint, PlatformHealth, Point } from '@ballast/core';

/**
 * Largest-Triangle-Three-Buckets (Steinarsson, 2013). Returns exactly `threshold` points when
 * the input is longer, always keeping the first and last point. Between them, the points are
 * split into `threshold - 2` buckets and from each bucket the point forming the largest
 * triangle with the previously kept point and the average of the next bucket is kept, which
 * is what lets spikes and dips survive where averaging or striding would flatten them.
 */
export function lttb(points: readonly Point[], threshold: number): Point[] {
  const n = points.length;
  const target = Math.floor(threshold);
  if (!(target > 0) || target >= n) return points.slice();
  if (target === 1) return [points[n - 1]!];
  if (target === 2) return [points[0]!, points[n - 1]!];

  const sampled: Point[] = [points[0]!];
  const bucketSize = (n - 2) / (target - 2);
  let previous = 0;

  for (let bucket = 0; bucket < target - 2; bucket++) {
    // Average of the following bucket (the last bucket's "next" is the final point).
    const nextStart = Math.floor((bucket + 1) * bucketSize) + 1;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, n);
    let avgT = 0;
    let avgV = 0;
    for (let i = nextStart; i < nextEnd; i++) {
      avgT += points[i]!.t;
      avgV += points[i]!.v;
    }
    const nextCount = nextEnd - nextStart;
    avgT /= nextCount;
    avgV /= nextCount;

    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
    const a = points[previous]!;
    let chosen = start;
    let maxArea = -1;
    for (let i = start; i < end; i++) {
      const p = points[i]!;
      // Twice the triangle area; the factor does not change which point wins.
      const area = Math.abs((a.t - avgT) * (p.v - a.v) - (a.t - p.t) * (avgV - a.v));
      if (area > maxArea) {
        maxArea = area;
        chosen = i;
      }
    }
    sampled.push(points[chosen]!);
    previous = chosen;
  }

  sampled.push(points[n - 1]!);
  return sampled;
}

/**
 * Capacity history reduced to at most `width` points, each the average of an equal run of
 * points (max: their maximum). Averages keep on-demand + spot = in service, and the steps
 * of desired capacity stay where they were; the spans at the maximum are computed from
 * every point beforehand, so none is lost here.
 */
export function downsampleCapacity(
  points: readonly CapacityPoint[],
  width: number,
): CapacityPoint[] {
  const target = Math.floor(width);
  if (!(target > 0) || target >= points.length) return points.slice();
  const out: CapacityPoint[] = [];
  const size = points.length / target;
  for (let bucket = 0; bucket < target; bucket++) {
    const run = points.slice(Math.floor(bucket * size), Math.floor((bucket + 1) * size));
    const merged: CapacityPoint = { t: run[0]!.t };
    for (const key of ['desired', 'inService', 'onDemand', 'spot'] as const) {
      const values = run.flatMap((p) => (p[key] === undefined ? [] : [p[key]]));
      if (values.length > 0) merged[key] = values.reduce((a, b) => a + b, 0) / values.length;
    }
    const maxima = run.flatMap((p) => (p.max === undefined ? [] : [p.max]));
    if (maxima.length > 0) merged.max = Math.max(...maxima);
    // Interruptions are events: a bucket holds all of its own, none averaged away.
    const interruptions = run.reduce((sum, p) => sum + (p.interruptions ?? 0), 0);
    if (interruptions > 0) merged.interruptions = interruptions;
    out.push(merged);
  }
  return out;
}

/** A copy of `health` with every signal's and group's points reduced to at most `width`. */
export function downsampleHealth(health: PlatformHealth, width: number): PlatformHealth {
  return {
    ...health,
    tiers: health.tiers.map((tier) => ({
      ...tier,
      signals: tier.signals.map((signal) => ({ ...signal, points: lttb(signal.points, width) })),
      ...(tier.capacity
        ? {
            capacity: tier.capacity.map((group) => ({
              ...group,
              points: downsampleCapacity(group.points, width),
            })),
          }
        : {}),
      ...(tier.queues
        ? { queues: tier.queues.map((q) => ({ ...q, points: lttb(q.points, width) })) }
        : {}),
    })),
  };
}

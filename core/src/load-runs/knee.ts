// The knee of a load test: the load at which latency or errors broke, from the samples read
// while it ran. A single bad reading is noise; two in a row are a break.
import type { LoadSample } from './model.js';

export interface KneeLimits {
  /** p95 latency above this breaks, ms */
  p95Ms?: number;
  /** error rate above this breaks, 0..1 */
  errorRate?: number;
}

export interface Knee {
  /** epoch ms of the first breaking sample */
  at: number;
  reason: 'latency' | 'errors';
  /** the load when it broke */
  requestRate: number;
  vus: number;
  p95Ms: number | null;
  errorRate: number | null;
  /** the highest request rate sustained before it broke */
  lastGoodRequestRate: number | null;
}

/** Consecutive breaking samples that make a break. */
export const KNEE_CONSECUTIVE = 2;

export function findKnee(samples: readonly LoadSample[], limits: KneeLimits): Knee | undefined {
  const breaks = (s: LoadSample): Knee['reason'] | undefined => {
    if (limits.errorRate !== undefined && s.errorRate !== null && s.errorRate > limits.errorRate)
      return 'errors';
    if (limits.p95Ms !== undefined && s.p95Ms !== null && s.p95Ms > limits.p95Ms) return 'latency';
    return undefined;
  };
  // Readings without a request since the one before say nothing about errors or latency.
  const readings = samples.filter((s) => s.errorRate !== null || s.p95Ms !== null);
  let run = 0;
  for (let i = 0; i < readings.length; i++) {
    const reason = breaks(readings[i]!);
    run = reason ? run + 1 : 0;
    if (run < KNEE_CONSECUTIVE) continue;
    const first = readings[i - KNEE_CONSECUTIVE + 1]!;
    const before = readings.slice(0, i - KNEE_CONSECUTIVE + 1).map((s) => s.requestRate);
    return {
      at: first.t,
      reason: breaks(first)!,
      requestRate: first.requestRate,
      vus: first.vus,
      p95Ms: first.p95Ms,
      errorRate: first.errorRate,
      lastGoodRequestRate: before.length ? Math.max(...before) : null,
    };
  }
  return undefined;
}

// Backing off after failures, per AWS operation: while an operation keeps failing, each
// collection that comes due reports the last failure (with when the next try is) instead
// of calling again, so a throttled account is not hit by every refresh of every view.
import type { SourceError } from './errors.js';

export interface BackoffOptions {
  /** pause after the first failure; doubles with each further one. Default 10 s. */
  baseMs?: number;
  /** longest pause. Default 5 min. */
  capMs?: number;
  /** uniform in [0, 1); default Math.random */
  random?: () => number;
}

interface Failing {
  failures: number;
  retryAt: number;
  error: SourceError;
}

export const BACKOFF_BASE_MS = 10_000;
export const BACKOFF_CAP_MS = 5 * 60_000;

export class Backoff {
  private readonly failing = new Map<string, Failing>();
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? BACKOFF_BASE_MS;
    this.capMs = options.capMs ?? BACKOFF_CAP_MS;
    this.random = options.random ?? Math.random;
  }

  /**
   * While `key` is backing off at `now`: the failure to report instead of calling, with
   * `retryAt`. Undefined when a call may go out.
   */
  pending(key: string, now: number): SourceError | undefined {
    const state = this.failing.get(key);
    if (!state || now >= state.retryAt) return undefined;
    return { ...state.error, retryAt: state.retryAt };
  }

  succeeded(key: string): void {
    this.failing.delete(key);
  }

  /**
   * Records a failure at `now`; returns the error with `retryAt`. The pause is capped
   * exponential with "equal jitter": between half and all of min(cap, base * 2^(n-1)), so
   * consecutive failures are always spaced out, and processes that failed together (one
   * outage, several dashboards) do not come back in step.
   */
  failed(key: string, error: SourceError, now: number): SourceError {
    const known = this.failing.get(key);
    // A call that was already in flight when an earlier failure started the pause (two
    // views collecting at once) is the same failure, not a further one.
    if (known && now < known.retryAt) {
      known.error = error;
      return { ...error, retryAt: known.retryAt };
    }
    const failures = (known?.failures ?? 0) + 1;
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(failures - 1, 30));
    const pause = ceiling / 2 + this.random() * (ceiling / 2);
    const retryAt = Math.round(now + pause);
    this.failing.set(key, { failures, retryAt, error });
    return { ...error, retryAt };
  }
}

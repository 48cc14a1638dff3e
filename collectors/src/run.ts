// One collection's run: its deadline, its abort signal, and each AWS read attempted
// through the session's backoff, failures classified with what to do about them. Health
// and spend collections both run this way.
import type { ResolvedContext, SourceStatus, Store } from '@ballast/core';
import { classifyAwsError, deadlineError, errorHints, type SourceError } from './errors.js';
import type { MeteredService } from './metering.js';
import { createCollectorSession, type CollectorSession } from './session.js';

/** How long a whole collection may take by default: then it reports what it has. */
export const DEFAULT_TIMEOUT_MS = 20_000;

export interface CollectOptions {
  context: ResolvedContext;
  store: Store;
  now: number;
  /**
   * Clients and backoff state to reuse across collections (`health --watch` and the
   * dashboard keep one per process); a one-off collection creates its own.
   */
  session?: CollectorSession;
  /** Deadline of the whole collection; what has not answered by then fails as timed out. Default DEFAULT_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Aborts the collection early (e.g. Ctrl-C). */
  signal?: AbortSignal;
}

export type Attempt<T> = { ok: true; value: T } | { ok: false; error: SourceError };

export interface Run {
  session: CollectorSession;
  /**
   * Runs one AWS read, unless its operation is backing off: a failure becomes a
   * SourceError that says what to do about it and when the next try is. Settles by the
   * deadline whatever the read does. `signal` ends the read's requests at the deadline,
   * and once the read has failed (one of several parallel requests failing ends the
   * others, rather than leaving them to retry for nothing).
   */
  attempt<T>(
    service: MeteredService,
    operation: string,
    fn: (signal: AbortSignal) => Promise<T>,
  ): Promise<Attempt<T>>;
  /** Stops the deadline's timer. */
  end(): void;
}

export function startRun(opts: CollectOptions): Run {
  const { context, store, now } = opts;
  const session = opts.session ?? createCollectorSession(context, store, { now: () => now });
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const hints = errorHints(context);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(deadlineError(timeoutMs)), timeoutMs);
  const abortSignal = opts.signal
    ? AbortSignal.any([deadline.signal, opts.signal])
    : deadline.signal;
  const aborted = new Promise<void>((resolve) => {
    if (abortSignal.aborted) resolve();
    else abortSignal.addEventListener('abort', () => resolve(), { once: true });
  });

  return {
    session,
    end: () => clearTimeout(timer),
    async attempt(service, operation, fn) {
      const key = `${service}:${operation}`;
      const waiting = session.backoff.pending(key, session.now());
      if (waiting) return { ok: false, error: waiting };
      const done = new AbortController();
      const outcome = await Promise.race([
        fn(AbortSignal.any([abortSignal, done.signal])).then(
          (value) => ({ ok: true as const, value }),
          (err: unknown) => ({ ok: false as const, err }),
        ),
        // Something that ignores the abort signal (e.g. a credential provider) must not
        // hold the collection past its deadline.
        aborted.then(() => ({ ok: false as const, err: abortSignal.reason as unknown })),
      ]);
      done.abort();
      if (outcome.ok) {
        session.backoff.succeeded(key);
        return outcome;
      }
      // Whatever a request cut off by the deadline threw, the failure is the timeout.
      const cause = deadline.signal.aborted ? deadline.signal.reason : outcome.err;
      const error = classifyAwsError(cause, service, operation, hints);
      // Stopped by the caller (Ctrl-C): not a failure of the operation.
      if (opts.signal?.aborted) return { ok: false, error };
      // The pause starts when the call failed, not when the collection started.
      return { ok: false, error: session.backoff.failed(key, error, session.now()) };
    },
  };
}

/**
 * A failed source has no fresh data, so no fetchedAt; when stored history stands in for it,
 * `storedAsOf` (its newest datapoint) says how old what is shown is.
 */
export function sourceStatus(
  source: string,
  now: number,
  attempt: Attempt<unknown>,
  storedAsOf?: number,
): SourceStatus {
  if (attempt.ok) return { source, ok: true, fetchedAt: now };
  return {
    source,
    ok: false,
    ...(storedAsOf === undefined
      ? {}
      : { dataAsOf: storedAsOf, ageMs: Math.max(0, now - storedAsOf) }),
    error: attempt.error,
  };
}

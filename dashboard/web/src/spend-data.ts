// Loading spend answers (the Spend page, the Overview's money line) and asking again only
// when the server says something new can come: at its `refresh.nextAt` (the next round, or
// the retry of a failed read). Polling sooner would only get the same answer from memory;
// the dashboard left open all day asks once a round.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type SpendRefresh } from './api.js';

/** After a request that failed outright (server down, 503), ask again after this long. */
export const SPEND_ERROR_RETRY_MS = 60_000;
/** Asked this long after `nextAt`, so the round has surely ended on the server's clock. */
export const SPEND_POLL_SLACK_MS = 2_000;

/**
 * When to ask again, on the browser's clock: `nextAt` is the server's, so it is taken
 * relative to the server's `now` and added to when the answer arrived (clock skew does not
 * matter).
 */
export function nextPollAt(refresh: SpendRefresh, receivedAt: number): number {
  return receivedAt + Math.max(0, refresh.nextAt - refresh.now) + SPEND_POLL_SLACK_MS;
}

export interface SpendData<T> {
  data?: T;
  /** the key `data` was loaded for (it differs from the current key while a new view loads) */
  key?: string;
  /** browser clock when `data` arrived */
  receivedAt?: number;
  error?: ApiError;
  loading: boolean;
}

/**
 * Loads `load` for `key` (again when the key changes), then once more at the answer's
 * next refresh, or when the tab comes back into view after it.
 */
export function useSpendData<T extends { refresh: SpendRefresh }>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
): SpendData<T> {
  const [state, setState] = useState<SpendData<T>>({ loading: true });
  const [tick, setTick] = useState(0);
  const dueAt = useRef(Infinity);
  const loadRef = useRef(load);
  loadRef.current = load;

  const poll = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = (at: number) => {
      dueAt.current = at;
      // Timers in a background tab run late; coming back into view checks again.
      timer = setTimeout(poll, Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1));
    };
    setState((s) => ({ ...s, loading: true }));
    loadRef
      .current(abort.signal)
      .then((data) => {
        const receivedAt = Date.now();
        setState({ data, key, receivedAt, loading: false });
        schedule(nextPollAt(data.refresh, receivedAt));
      })
      .catch((e: unknown) => {
        if (abort.signal.aborted) return;
        const error =
          e instanceof ApiError ? e : new ApiError(0, e instanceof Error ? e.message : String(e));
        setState((s) => ({ ...s, error, loading: false }));
        schedule(Date.now() + SPEND_ERROR_RETRY_MS);
      });
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [key, tick, poll]);

  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible' && Date.now() >= dueAt.current) poll();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [poll]);

  return state;
}

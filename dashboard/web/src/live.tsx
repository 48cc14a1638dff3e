// One EventSource on /api/events for the whole app: the server pushes the 1h health summary
// on connect and every refresh; both pages read it from this context.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { HealthErrorEvent, HealthSummary } from './api.js';

export type Connection = 'connecting' | 'open' | 'reconnecting';

export interface LiveState {
  connection: Connection;
  summary?: HealthSummary;
  /** browser clock when `summary` arrived; ages are measured from it, so clock skew does not matter */
  receivedAt?: number;
  /** the last collection failure, cleared by the next good summary */
  failure?: HealthErrorEvent;
}

const LiveContext = createContext<LiveState>({ connection: 'connecting' });

export const useLive = (): LiveState => useContext(LiveContext);

/** How long to wait before reopening a stream the browser gave up on (e.g. after a 401 or 5xx). */
const REOPEN_MS = 5_000;

export function LiveProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<LiveState>({ connection: 'connecting' });

  useEffect(() => {
    let source: EventSource | undefined;
    let reopenTimer: ReturnType<typeof setTimeout> | undefined;
    let disposed = false;

    const open = () => {
      source = new EventSource('/api/events');
      source.onopen = () => setState((s) => ({ ...s, connection: 'open' }));
      source.addEventListener('health', (e) => {
        const summary = JSON.parse((e as MessageEvent<string>).data) as HealthSummary;
        setState({ connection: 'open', summary, receivedAt: Date.now() });
      });
      source.addEventListener('health-error', (e) => {
        const failure = JSON.parse((e as MessageEvent<string>).data) as HealthErrorEvent;
        setState((s) => ({ ...s, failure }));
      });
      source.onerror = () => {
        setState((s) => ({ ...s, connection: 'reconnecting' }));
        // CONNECTING: the browser retries by itself. CLOSED: it gave up, so we retry.
        if (source?.readyState === EventSource.CLOSED && !disposed) {
          source.close();
          reopenTimer = setTimeout(open, REOPEN_MS);
        }
      };
    };

    open();
    return () => {
      disposed = true;
      clearTimeout(reopenTimer);
      source?.close();
    };
  }, []);

  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}

/** The current time, re-read every `intervalMs`, for "N s ago" labels. */
export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

// Calls to the dashboard server. The response types come from the server's own contract.
import type { PlatformHealth } from '@ballast/core';
import type { DashboardMeta, Range } from '../../server/src/api.js';

export type {
  DashboardMeta,
  HealthErrorEvent,
  HealthSummary,
  Range,
  SignalSummary,
  TierSummary,
} from '../../server/src/api.js';

export const RANGES: readonly Range[] = ['1h', '6h', '24h', '7d', '14d'];

/** An API error with the server's explanation (it says what to fix). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { signal, headers: { Accept: 'application/json' } });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(
      0,
      'The dashboard server is not reachable. Is `ballast dashboard` still running?',
    );
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    throw new ApiError(res.status, body?.message ?? `${res.status} ${res.statusText}`);
  }
  return (await res.json()) as T;
}

export function fetchHealth(
  query: { range: Range; tier?: string; width: number },
  signal?: AbortSignal,
): Promise<PlatformHealth> {
  const params = new URLSearchParams({ range: query.range, width: String(query.width) });
  if (query.tier) params.set('tier', query.tier);
  return getJson<PlatformHealth>(`/api/health?${params}`, signal);
}

export function fetchMeta(signal?: AbortSignal): Promise<DashboardMeta> {
  return getJson<DashboardMeta>('/api/meta', signal);
}

// Calls to the dashboard server. The response types come from the server's own contract.
import type { PlatformHealth, SpendPage } from '@ballast/core';
import { unpackCostTable } from '../../server/src/wire.js';
import type {
  DashboardMeta,
  Range,
  SpendErrorBody,
  SpendQuery,
  SpendResponse,
  SpendSummary,
} from '../../server/src/api.js';
import type {
  LoadTestDetail,
  LoadTestList,
  LoadTestPlanAnswer,
  LoadTestRequest,
} from '../../server/src/loadtests.js';
import type { LoadTestReport } from '@ballast/collectors';

export type {
  DashboardMeta,
  HealthErrorEvent,
  HealthSummary,
  Range,
  SignalSummary,
  SpendErrorBody,
  SpendQuery,
  SpendRefresh,
  SpendResponse,
  SpendSummary,
  TierSummary,
} from '../../server/src/api.js';
export type { SpendCsvTable } from '../../server/src/spend-csv.js';

export const RANGES: readonly Range[] = ['1h', '6h', '24h', '7d', '14d'];

/** An API error with the server's explanation (it says what to fix). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** the server's reason when spend could not be read at all (503) */
    readonly spend?: SpendErrorBody,
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
    const body = (await res.json().catch(() => null)) as {
      message?: string;
      error?: string;
    } | null;
    throw new ApiError(
      res.status,
      body?.message ?? `${res.status} ${res.statusText}`,
      body?.error === 'spend-unavailable' ? (body as SpendErrorBody) : undefined,
    );
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

/** The query string of a spend view: only what differs from the default. */
export function spendSearch(query: SpendQuery): string {
  const params = new URLSearchParams();
  if (query.since) params.set('since', query.since);
  if (query.until) params.set('until', query.until);
  if (query.by && query.by !== 'service') params.set('by', query.by);
  if (query.metric && query.metric !== 'UnblendedCost') params.set('metric', query.metric);
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** `GET /api/spend` with its cost table unpacked. */
export type SpendAnswer = Omit<SpendResponse, 'page'> & {
  page: Omit<SpendPage, 'meter'>;
};

export async function fetchSpend(query: SpendQuery, signal?: AbortSignal): Promise<SpendAnswer> {
  const answer = await getJson<SpendResponse>(`/api/spend${spendSearch(query)}`, signal);
  return { ...answer, page: { ...answer.page, costs: unpackCostTable(answer.page.costs) } };
}

export function fetchSpendSummary(signal?: AbortSignal): Promise<SpendSummary> {
  return getJson<SpendSummary>('/api/spend/summary', signal);
}

/** Where a table of the Spend page downloads as CSV (made from the page the server holds). */
export function spendCsvUrl(table: string, query: SpendQuery): string {
  return `/api/spend/csv/${table}${spendSearch(query)}`;
}

/** Who is signed in, and the CSRF token the page's writes carry. */
export interface Session {
  role: 'viewer' | 'operator';
  name: string;
  csrfToken: string;
}

export function fetchSession(signal?: AbortSignal): Promise<Session> {
  return getJson<Session>('/api/session', signal);
}

/** A refused or failed write, with what the server says to do. */
export class ActionError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    readonly actions: string[],
    /** the preflight shown with a load test's refusal */
    readonly plan?: LoadTestPlanAnswer,
  ) {
    super(message);
    this.name = 'ActionError';
  }
}

/** POSTs JSON from this page (Origin and CSRF token, as every write must carry). */
async function postJson<T>(session: Session, path: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        'x-ballast-csrf': session.csrfToken,
      },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ActionError(
      0,
      'The dashboard server is not reachable. Is `ballast dashboard` still running?',
      'unreachable',
      [],
    );
  }
  const answer = (await res.json().catch(() => null)) as
    | (T & { message?: string; error?: string; actions?: string[]; plan?: LoadTestPlanAnswer })
    | null;
  if (!res.ok)
    throw new ActionError(
      res.status,
      answer?.message ?? `${res.status} ${res.statusText}`,
      answer?.error ?? 'failed',
      answer?.actions ?? [],
      answer?.plan,
    );
  return answer as T;
}

export type {
  LoadTestDetail,
  LoadTestList,
  LoadTestListItem,
  LoadTestPlanAnswer,
  LoadTestRequest,
} from '../../server/src/loadtests.js';

export function fetchLoadTests(signal?: AbortSignal): Promise<LoadTestList> {
  return getJson<LoadTestList>('/api/loadtests', signal);
}

export function fetchLoadTest(id: string, signal?: AbortSignal): Promise<LoadTestDetail> {
  return getJson<LoadTestDetail>(`/api/loadtests/${encodeURIComponent(id)}`, signal);
}

export function fetchLoadTestReport(id: string, signal?: AbortSignal): Promise<LoadTestReport> {
  return getJson<LoadTestReport>(`/api/loadtests/${encodeURIComponent(id)}/report`, signal);
}

export function planLoadTest(
  session: Session,
  request: LoadTestRequest,
): Promise<LoadTestPlanAnswer> {
  return postJson<LoadTestPlanAnswer>(session, '/api/loadtests/plan', request);
}

export function startLoadTest(session: Session, request: LoadTestRequest): Promise<{ id: string }> {
  return postJson<{ id: string }>(session, '/api/loadtests/start', request);
}

export function stopLoadTest(session: Session, id: string): Promise<unknown> {
  return postJson(session, `/api/loadtests/${encodeURIComponent(id)}/stop`, {});
}

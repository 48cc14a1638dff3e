// Calls to the dashboard server. The response types come from the server's own contract.
import type { PlatformHealth, SpendPage } from '@ballast/core';
import { unpackCostTable } from '../../server/src/wire.js';
import type { PlanBody } from '../../server/src/changes.js';
import type {
  ApplyResult,
  AuditChainReport,
  ChangeAnnotation,
  ChangeRecord,
  ChangesConfig,
  GuardrailResult,
  LiveGroup,
  Plan,
  ScalingPolicy,
  ScheduledAction,
  TierKind,
} from '@ballast/core';
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
export type { PlanBody } from '../../server/src/changes.js';

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

/**
 * The platform's health, with the changes made through Ballast in its window added to the
 * scaling activities: one timeline of what changed capacity, drawn by the same markers.
 */
export async function fetchHealth(
  query: { range: Range; tier?: string; width: number },
  signal?: AbortSignal,
): Promise<PlatformHealth> {
  const params = new URLSearchParams({ range: query.range, width: String(query.width) });
  if (query.tier) params.set('tier', query.tier);
  const health = await getJson<PlatformHealth>(`/api/health?${params}`, signal);
  // Without the change API (or on a failure) the chart keeps AWS's own activities.
  const annotations = await fetchAnnotations(
    { from: health.window.start, to: health.window.end },
    signal,
  ).then(
    (r) => r.annotations,
    () => [],
  );
  if (annotations.length === 0) return health;
  return {
    ...health,
    activities: [
      ...annotations.map((a) => ({
        id: `change:${a.changeId}`,
        group: a.group,
        ...(a.tier ? { tier: a.tier } : {}),
        status: a.status,
        description: `Ballast change by ${a.user}: ${a.label} (“${a.reason}”)`,
        cause: `change ${a.changeId}${a.revertOf ? `, reverting ${a.revertOf}` : ''}`,
        startTime: a.at,
        ...(a.finishedAt !== undefined ? { endTime: a.finishedAt } : {}),
      })),
      ...health.activities,
    ].sort((x, y) => y.startTime - x.startTime),
  };
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

// --- Changes: scaling state, the audit log, plan / apply / revert -------------------------

export interface Session {
  role: 'viewer' | 'operator';
  name: string;
  csrfToken: string;
}

export interface ScalingGroupRef {
  group: string;
  tier: string;
  kind: TierKind;
}

export interface ScalingGroupView extends ScalingGroupRef {
  live: LiveGroup;
  policies: ScalingPolicy[];
  scheduledActions: ScheduledAction[];
  config: ChangesConfig;
  changes: ChangeRecord[];
  now: number;
}

export const fetchSession = (signal?: AbortSignal) => getJson<Session>('/api/session', signal);
export const fetchScalingGroups = (signal?: AbortSignal) =>
  getJson<{ groups: ScalingGroupRef[] }>('/api/scaling', signal);
export const fetchScalingGroup = (group: string, signal?: AbortSignal) =>
  getJson<ScalingGroupView>(`/api/scaling/${encodeURIComponent(group)}`, signal);
export const fetchChanges = (signal?: AbortSignal) =>
  getJson<{ changes: ChangeRecord[]; chain: AuditChainReport }>('/api/changes', signal);
export const fetchAnnotations = (range: { from: number; to: number }, signal?: AbortSignal) =>
  getJson<{ annotations: ChangeAnnotation[] }>(
    `/api/changes/annotations?from=${Math.floor(range.from)}&to=${Math.ceil(range.to)}`,
    signal,
  );

export const planChange = (session: Session, body: PlanBody) =>
  postJson<{ plan: Plan; blocking: GuardrailResult[] }>('/api/changes/plan', session, body);
export const applyPlan = (session: Session, planId: string, reason: string) =>
  postJson<ApplyResult>('/api/changes/apply', session, { planId, reason });
/** A refused or failed write: the server's message, what to do, and its details. */
export class ActionError extends ApiError {
  constructor(
    status: number,
    message: string,
    readonly code: string,
    readonly actions: string[],
    readonly details: {
      /** what moved since a change was planned (409) */
      changed?: { field: string; label: string; before?: unknown; after?: unknown }[];
      /** the preflight shown with a load test's refusal */
      plan?: LoadTestPlanAnswer;
    } = {},
  ) {
    super(status, message);
    this.name = 'ActionError';
  }
  get changed() {
    return this.details.changed;
  }
  get plan() {
    return this.details.plan;
  }
}

/** POSTs JSON from this page (its Origin and the session's CSRF token, as every write must). */
async function postJson<T>(path: string, session: Session, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        'X-Ballast-Csrf': session.csrfToken,
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
  const answer = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (!res.ok)
    throw new ActionError(
      res.status,
      (answer?.message as string | undefined) ?? `${res.status} ${res.statusText}`,
      (answer?.error as string | undefined) ?? 'failed',
      (answer?.actions as string[] | undefined) ?? [],
      {
        changed: answer?.changed as ActionError['changed'],
        plan: answer?.plan as LoadTestPlanAnswer | undefined,
      },
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
  return postJson<LoadTestPlanAnswer>('/api/loadtests/plan', session, request);
}

export function startLoadTest(session: Session, request: LoadTestRequest): Promise<{ id: string }> {
  return postJson<{ id: string }>('/api/loadtests/start', session, request);
}

export function stopLoadTest(session: Session, id: string): Promise<unknown> {
  return postJson(`/api/loadtests/${encodeURIComponent(id)}/stop`, session, {});
}

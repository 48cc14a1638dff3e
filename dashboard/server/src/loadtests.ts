// The Load tests page's API: the runs (history), one run with its report (k6 per journey
// step next to the platform's view of the window), a live stream of a running test, and
// starting or stopping a test (operators only; planning, the preflight, writes nothing).
// Runs are the store's, whoever started them: a test the CLI runs in another process is
// followed by reading the samples its runner records; one started here is streamed from k6.
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import {
  k6Results,
  type LoadTestPlan,
  type LoadTestReport,
  type LoadTestSession,
  type PreflightCheck,
  type PreflightOverride,
} from '@ballast/collectors';
import {
  parseDuration,
  type LoadEstimate,
  type LoadSample,
  type LoadTestCost,
  type LoadTestRun,
  type Store,
} from '@ballast/core';
import { describeIssues } from './api.js';
import { FreshnessCache } from './cache.js';
import { openEventStream, sseFrame } from './live-feed.js';
import { checkWrite, operatorOnly, whoOf } from './roles.js';

const validDuration = (text: string): boolean => {
  try {
    return parseDuration(text) >= 1000;
  } catch {
    return false;
  }
};

/** The whole test's length, seconds, from the form's duration. */
export const durationSecondsOf = (request: { duration?: string }): number | undefined =>
  request.duration ? parseDuration(request.duration) / 1000 : undefined;

/** What a test is asked to be: the start form's fields. */
export const LoadTestRequestSchema = z
  .object({
    scenario: z.string().min(1).max(64),
    target: z.string().trim().min(1).max(2000),
    /** rates multiplied by it (0.01: a laptop-sized black-friday) */
    scale: z.number().positive().max(100).optional(),
    /** the whole test's length as the CLI's --duration takes it: 20s, 15m, 2h */
    duration: z
      .string()
      .trim()
      .max(20)
      .refine(validDuration, 'duration: a whole number and a unit, e.g. 20s, 15m or 2h')
      .optional(),
    maxVus: z.number().int().min(1).max(1_000_000).optional(),
    overrides: z
      .array(z.enum(['force', 'i-know-this-is-production']))
      .max(2)
      .optional(),
  })
  .strict();
export type LoadTestRequest = z.infer<typeof LoadTestRequestSchema>;

/** Where the page's runs and actions come from (index.ts: loadTestSource). */
export interface LoadTestsDeps {
  store: Store;
  /** the context (platform) whose runs are listed and started */
  context: string;
  scenarios: readonly string[];
  /** the preflight of a test (collectors' planLoadTest) */
  plan(request: LoadTestRequest): Promise<LoadTestPlan>;
  /** starts a planned test (collectors' startLoadTest) */
  start(plan: LoadTestPlan, startedBy: string): Promise<LoadTestSession>;
  /** the report of a run (collectors' loadTestReport) */
  report(run: LoadTestRun): Promise<LoadTestReport>;
  /** whether a running run's process is gone (the store then marks it interrupted) */
  orphaned(run: LoadTestRun): boolean;
  now(): number;
  /** how often a stream reads the store for a test run by another process, ms; default 1000 */
  pollMs?: number;
  /** keep-alive comments on an idle stream, ms; default 15000 */
  keepAliveMs?: number;
}

/** A run in the history table. */
export interface LoadTestListItem {
  id: string;
  scenario: string;
  target: string;
  status: LoadTestRun['status'];
  startedAt: number;
  endedAt?: number;
  exitCode?: number;
  holder: string;
  /** requests, failed share and p95 from k6's summary, when it wrote one */
  requests: number | null;
  failedShare: number | null;
  p95Ms: number | null;
  /** started from this dashboard (it can stop it) */
  stoppable: boolean;
}

export interface LoadTestList {
  context: string;
  scenarios: string[];
  runs: LoadTestListItem[];
  /** the run in progress on this context, if any */
  running?: string;
}

/** The preflight as the page shows it before a start. */
export interface LoadTestPlanAnswer {
  scenario: string;
  description: string;
  target: string;
  scale: number;
  estimate: LoadEstimate;
  cost: LoadTestCost;
  thresholds: LoadTestPlan['thresholds'];
  k6?: string;
  checks: PreflightCheck[];
  blocking: PreflightCheck[];
}

/** One run: the stored row, its samples, the thresholds it runs with, and its report once done. */
export interface LoadTestDetail {
  run: LoadTestRun;
  samples: LoadSample[];
  /** the threshold expressions per metric the script was given */
  thresholds: Record<string, string[]>;
  stoppable: boolean;
}

/** Events of GET /api/loadtests/:id/events. */
export type LoadTestEvent =
  { type: 'sample'; sample: LoadSample } | { type: 'run'; run: LoadTestRun };

const HISTORY_LIMIT = 200;

/** The threshold expressions the run's script was given ({metric: [expression]}). */
export function thresholdsOf(run: LoadTestRun): Record<string, string[]> {
  const options = run.options as {
    runOptions?: { options?: { thresholds?: Record<string, unknown[]> } };
  } | null;
  const given = options?.runOptions?.options?.thresholds ?? {};
  const out: Record<string, string[]> = {};
  for (const [metric, list] of Object.entries(given))
    out[metric] = list.flatMap((t) =>
      typeof t === 'string'
        ? [t]
        : typeof t === 'object' &&
            t !== null &&
            typeof (t as { threshold?: unknown }).threshold === 'string'
          ? [(t as { threshold: string }).threshold]
          : [],
    );
  return out;
}

function planAnswer(plan: LoadTestPlan): LoadTestPlanAnswer {
  return {
    scenario: plan.scenario,
    description: plan.description,
    target: plan.target,
    scale: plan.scale,
    estimate: plan.estimate,
    cost: plan.cost,
    thresholds: plan.thresholds,
    ...(plan.k6 ? { k6: `k6 ${plan.k6.version.text} (${plan.k6.path})` } : {}),
    checks: plan.checks,
    blocking: plan.blocking,
  };
}

/** The body of a request, or a 400 naming the field. */
function bodyOf<T>(schema: z.ZodType<T>, req: Request, res: Response): T | undefined {
  const parsed = schema.safeParse(req.body);
  if (parsed.success) return parsed.data;
  res.status(400).json({ error: 'bad-request', message: describeIssues(parsed.error) });
  return undefined;
}

/** A failure of the preflight itself (a bad target, an unknown scenario): the caller's to fix. */
function sendFailure(error: unknown, res: Response): void {
  const e = error as { message?: string; code?: string; actions?: string[] };
  res.status(400).json({
    error: 'bad-request',
    message: e.message ?? String(error),
    ...(e.actions ? { actions: e.actions } : {}),
  });
}

export function mountLoadTests(api: express.Router, deps: LoadTestsDeps, secret: Buffer): void {
  const { store } = deps;
  const json = express.json({ limit: '64kb' });
  const write = [json, checkWrite(secret)];
  const operator = operatorOnly((req) =>
    req.path.endsWith('/stop') ? 'stop load tests' : 'start load tests',
  );
  /** The tests this server started, by id, until they end. */
  const sessions = new Map<string, LoadTestSession>();
  // A report collects the platform's metrics of the window: reuse it for a minute.
  const reports = new FreshnessCache<LoadTestReport>(60_000, deps.now);

  const running = (): LoadTestRun | undefined =>
    store.loadTests.running(deps.context, deps.orphaned, deps.now())[0];
  const ownRun = (id: string): LoadTestRun | undefined => {
    const run = store.loadTests.get(id);
    return run && run.context === deps.context ? run : undefined;
  };
  const notFound = (res: Response, id: string) =>
    res.status(404).json({
      error: 'not-found',
      message: `No load test ${id} on ${deps.context}; the history lists the runs (GET /api/loadtests).`,
    });

  api.get('/loadtests', (_req, res) => {
    const now = running();
    const runs: LoadTestListItem[] = store.loadTests
      .list({ context: deps.context, limit: HISTORY_LIMIT })
      .map((run) => ({ run, overall: k6Results(run, [], {}).overall }))
      .map(({ run, overall }) => ({
        id: run.id,
        scenario: run.scenario,
        target: run.target,
        status: run.status,
        startedAt: run.startedAt,
        ...(run.endedAt !== undefined ? { endedAt: run.endedAt } : {}),
        ...(run.exitCode !== undefined ? { exitCode: run.exitCode } : {}),
        holder: run.holder,
        requests: overall.requests,
        failedShare: overall.failedShare,
        p95Ms: overall.p95Ms,
        stoppable: sessions.has(run.id),
      }));
    const body: LoadTestList = {
      context: deps.context,
      scenarios: [...deps.scenarios],
      runs,
      ...(now ? { running: now.id } : {}),
    };
    res.json(body);
  });

  api.post('/loadtests/plan', ...write, async (req, res) => {
    const body = bodyOf(LoadTestRequestSchema, req, res);
    if (!body) return;
    if (!deps.scenarios.includes(body.scenario)) {
      res.status(400).json({
        error: 'bad-request',
        message: `No scenario "${body.scenario}"; the scenarios are ${deps.scenarios.join(', ')}.`,
      });
      return;
    }
    try {
      res.json(planAnswer(await deps.plan(body)));
    } catch (error) {
      sendFailure(error, res);
    }
  });

  api.post('/loadtests/start', ...write, operator, async (req, res) => {
    const body = bodyOf(LoadTestRequestSchema, req, res);
    if (!body) return;
    if (!deps.scenarios.includes(body.scenario)) {
      res.status(400).json({
        error: 'bad-request',
        message: `No scenario "${body.scenario}"; the scenarios are ${deps.scenarios.join(', ')}.`,
      });
      return;
    }
    let plan: LoadTestPlan;
    try {
      // The preflight again: what was shown may have changed (another test began, k6 went).
      plan = await deps.plan(body);
    } catch (error) {
      sendFailure(error, res);
      return;
    }
    const blockingRun = plan.blocking.find((c) => c.id === 'running');
    if (blockingRun) {
      res.status(409).json({
        error: 'running',
        message: blockingRun.message,
        actions: blockingRun.actions ?? [],
        plan: planAnswer(plan),
      });
      return;
    }
    if (plan.blocking.length > 0) {
      res.status(422).json({
        error: 'guardrail',
        message: plan.blocking.map((c) => c.message).join(' '),
        actions: plan.blocking.flatMap((c) => [
          ...(c.actions ?? []),
          ...(c.override ? [`Or start it with the ${overrideLabel(c.override)} override.`] : []),
        ]),
        plan: planAnswer(plan),
      });
      return;
    }
    let session: LoadTestSession;
    try {
      session = await deps.start(plan, whoOf(res).name);
    } catch (error) {
      const e = error as { code?: string; message?: string; actions?: string[] };
      // Another process began a test between the preflight and the start.
      const status = e.code === 'LoadTestRunning' ? 409 : 502;
      res.status(status).json({
        error: status === 409 ? 'running' : 'start-failed',
        message: e.message ?? String(error),
        actions: e.actions ?? [],
      });
      return;
    }
    sessions.set(session.id, session);
    void session.done.then(
      () => sessions.delete(session.id),
      () => sessions.delete(session.id),
    );
    res.status(202).json({ id: session.id, run: store.loadTests.get(session.id) });
  });

  api.post('/loadtests/:id/stop', ...write, operator, async (req, res) => {
    const id = String(req.params.id);
    const run = ownRun(id);
    if (!run) return notFound(res, id);
    const session = sessions.get(id);
    if (!session) {
      res.status(409).json({
        error: run.status === 'running' ? 'not-here' : 'not-running',
        message:
          run.status === 'running'
            ? `Load test ${id} was started by ${run.holder} (pid ${run.pid}), not by this dashboard: stop it where it runs.`
            : `Load test ${id} is not running (${run.status}).`,
        actions:
          run.status === 'running'
            ? [`Ctrl-C where it runs, or kill -INT ${run.pid} on that machine.`]
            : [],
      });
      return;
    }
    await session.k6.stop(`stopped from the dashboard by ${whoOf(res).name}`);
    const { run: ended } = await session.done;
    res.json({ run: ended });
  });

  api.get('/loadtests/:id', (req, res) => {
    const id = String(req.params.id);
    const run = ownRun(id);
    if (!run) return notFound(res, id);
    const detail: LoadTestDetail = {
      run,
      samples: store.loadTests.samples(id),
      thresholds: thresholdsOf(run),
      stoppable: sessions.has(id),
    };
    res.json(detail);
  });

  api.get('/loadtests/:id/report', async (req, res) => {
    const id = String(req.params.id);
    const run = ownRun(id);
    if (!run) return notFound(res, id);
    if (run.status === 'running') {
      res.status(409).json({
        error: 'running',
        message: `Load test ${id} is still running: its report comes when it ends (follow it live meanwhile).`,
      });
      return;
    }
    try {
      // Keyed by when it ended: a run's report is the same until then, and the window's
      // platform metrics settle within the reuse.
      res.json(await reports.get(`${id}|${run.endedAt ?? ''}`, () => deps.report(run)));
    } catch (error) {
      res.status(502).json({
        error: 'report-failed',
        message: `The report of ${id} could not be made: ${(error as Error).message}`,
      });
    }
  });

  api.get('/loadtests/:id/events', (req, res) => {
    const id = String(req.params.id);
    const first = ownRun(id);
    if (!first) return notFound(res, id);
    if (!openEventStream(req, res)) return;
    res.write('retry: 5000\n\n');
    // Samples the browser has (Last-Event-ID after a reconnect: the last sample's time).
    const lastSeen = Number(req.headers['last-event-id']);
    let sent = Number.isFinite(lastSeen) ? lastSeen : -Infinity;
    const send = (event: LoadTestEvent) => {
      if (event.type === 'sample') {
        if (event.sample.t <= sent) return;
        sent = event.sample.t;
        res.write(sseFrame('sample', event.sample, event.sample.t));
      } else res.write(sseFrame('run', event.run));
    };
    const cleanups: (() => void)[] = [];
    const close = () => {
      for (const c of cleanups.splice(0)) c();
      res.end();
    };
    res.on('close', () => {
      for (const c of cleanups.splice(0)) c();
    });
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), deps.keepAliveMs ?? 15_000);
    cleanups.push(() => clearInterval(keepAlive));

    send({ type: 'run', run: first });
    for (const sample of store.loadTests.samples(id)) send({ type: 'sample', sample });
    if (first.status !== 'running') return close();

    const session = sessions.get(id);
    if (session) {
      // Started here: k6's samples as the runner reads them, then the stored outcome.
      for (const sample of session.k6.samples) send({ type: 'sample', sample });
      cleanups.push(
        session.k6.subscribe((event) => {
          if (event.type === 'sample') send(event);
        }),
      );
      void session.done.then(
        ({ run }) => {
          send({ type: 'run', run });
          close();
        },
        () => {
          const run = store.loadTests.get(id);
          if (run) send({ type: 'run', run });
          close();
        },
      );
      return;
    }
    // Started by another process: what its runner records in the store.
    const poll = setInterval(() => {
      const now = store.loadTests.running(deps.context, deps.orphaned, deps.now());
      for (const sample of store.loadTests.samples(id)) send({ type: 'sample', sample });
      if (!now.some((r) => r.id === id)) {
        const run = store.loadTests.get(id);
        if (run) send({ type: 'run', run });
        close();
      }
    }, deps.pollMs ?? 1000);
    cleanups.push(() => clearInterval(poll));
  });
}

const overrideLabel = (o: PreflightOverride): string =>
  o === 'force'
    ? '"larger than the limits" (--force)'
    : '"production" (--i-know-this-is-production)';

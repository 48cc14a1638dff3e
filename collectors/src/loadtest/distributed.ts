// A distributed run read back from the cluster: recorded in the store like a local run (one
// at a time per platform), the k6-operator's TestRun followed until it is finished or in
// error (bounded), then each runner pod's log read for the one BALLAST-SUMMARY line the
// bundled scripts print at the end (loadtests/src/lib/summary.ts), and the pods' summaries
// merged into the run's. The operator labels runner pods k6_cr=<TestRun>,runner=true.
import { hostname } from 'node:os';
import {
  localUser,
  orphanedRun,
  type LoadSummary,
  type LoadTestRun,
  type Store,
} from '@ballast/core';
import { z } from 'zod';
import { kubectl, testRunStatus, type TestRunStatus } from './operator.js';
import { loadTestId, runningRefusal } from './service.js';

/** The prefix of the line each runner pod prints with its summary. */
export const SUMMARY_MARKER = 'BALLAST-SUMMARY';

const MarkedSchema = z.object({
  durationMs: z.number().nullable(),
  metrics: z.record(z.string(), z.record(z.string(), z.number())),
  thresholds: z.array(
    z.object({ metric: z.string(), expression: z.string(), failed: z.boolean() }),
  ),
});
export type PodSummary = z.infer<typeof MarkedSchema>;

/** The last BALLAST-SUMMARY line of a pod's log; undefined when there is none (or it is not valid). */
export function summaryFromLog(log: string): PodSummary | undefined {
  const lines = log.split(/\r?\n/).reverse();
  for (const line of lines) {
    const at = line.indexOf(`${SUMMARY_MARKER} {`);
    if (at < 0) continue;
    try {
      const parsed = MarkedSchema.safeParse(JSON.parse(line.slice(at + SUMMARY_MARKER.length + 1)));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const PERCENTILE = /^(med|p\(.+\))$/;

/**
 * One summary from the pods' (each ran its execution segment of the same test, at the same
 * time): counts, passes/fails and per-second rates add up; a Rate's share is recomputed from
 * the summed passes and fails; averages are weighted by count; min and max are the extremes;
 * gauges (VUs) add up. Medians and percentiles cannot be merged from summaries: they are the
 * worst pod's, and the note says so. A threshold failed when it failed on any pod.
 */
export function mergePodSummaries(
  pods: { pod: string; summary?: PodSummary | undefined }[],
): LoadSummary | undefined {
  const reported = pods.filter((p): p is { pod: string; summary: PodSummary } => !!p.summary);
  if (reported.length === 0) return undefined;
  const names = [...new Set(reported.flatMap((p) => Object.keys(p.summary.metrics)))];
  const metrics: LoadSummary['metrics'] = {};
  for (const name of names) {
    const parts = reported.flatMap((p) =>
      p.summary.metrics[name] ? [p.summary.metrics[name]] : [],
    );
    const keys = [...new Set(parts.flatMap((v) => Object.keys(v)))];
    const all = (key: string) => parts.flatMap((v) => (v[key] !== undefined ? [v[key]] : []));
    const sum = (key: string) => all(key).reduce((a, b) => a + b, 0);
    const isRate = keys.includes('passes') && keys.includes('fails');
    const isTrend = keys.includes('avg');
    const values: Record<string, number> = {};
    for (const key of keys) {
      const vs = all(key);
      if (isRate && (key === 'value' || key === 'rate')) {
        const total = sum('passes') + sum('fails');
        values[key] = total > 0 ? sum('passes') / total : 0;
      } else if (key === 'min') values[key] = Math.min(...vs);
      else if (key === 'max') values[key] = isTrend ? Math.max(...vs) : sum(key);
      else if (key === 'avg') {
        const counted = parts.every((v) => v.count !== undefined && v.avg !== undefined);
        const n = sum('count');
        values[key] =
          counted && n > 0
            ? parts.reduce((a, v) => a + (v.avg ?? 0) * (v.count ?? 0), 0) / n
            : vs.reduce((a, b) => a + b, 0) / vs.length;
      } else if (PERCENTILE.test(key)) values[key] = Math.max(...vs);
      // count, passes, fails, a counter's per-second rate, a gauge's value
      else values[key] = sum(key);
    }
    metrics[name] = values;
  }
  const thresholds = new Map<string, LoadSummary['thresholds'][number]>();
  for (const { summary } of reported)
    for (const t of summary.thresholds) {
      const key = `${t.metric}\u0000${t.expression}`;
      const seen = thresholds.get(key);
      thresholds.set(key, { ...t, failed: t.failed || (seen?.failed ?? false) });
    }
  const durations = reported.flatMap((p) =>
    p.summary.durationMs !== null ? [p.summary.durationMs] : [],
  );
  const missing = pods.filter((p) => !p.summary).map((p) => p.pod);
  return {
    durationMs: durations.length ? Math.max(...durations) : null,
    metrics,
    thresholds: [...thresholds.values()],
    source: 'runner-pods',
    note: [
      `Merged from ${reported.length} of ${pods.length} k6 runner pods: counts and rates are the pods' sums; medians and percentiles are the worst pod's, not the whole test's.`,
      missing.length
        ? `No summary in the log of ${missing.join(', ')}: their requests are missing from these totals.`
        : '',
    ]
      .filter(Boolean)
      .join(' '),
  };
}

const PodListSchema = z.object({
  items: z.array(z.object({ metadata: z.object({ name: z.string() }) })),
});

const ns = (namespace: string | undefined) => (namespace ? ['-n', namespace] : []);

/** The TestRun's runner pods (not its initializer or starter), by the operator's labels. */
export async function runnerPods(
  name: string,
  namespace: string | undefined,
  env?: NodeJS.ProcessEnv,
): Promise<string[]> {
  const out = await kubectl(
    ['get', 'pods', '-l', `k6_cr=${name},runner=true`, ...ns(namespace), '-o', 'json'],
    env,
  );
  return PodListSchema.parse(JSON.parse(out))
    .items.map((i) => i.metadata.name)
    .sort();
}

/** Every runner pod's summary, merged; the pods whose log had none are named. */
export async function podResults(
  name: string,
  namespace: string | undefined,
  env?: NodeJS.ProcessEnv,
): Promise<{ pods: string[]; missing: string[]; summary?: LoadSummary }> {
  const pods = await runnerPods(name, namespace, env);
  const read = await Promise.all(
    pods.map(async (pod) => ({
      pod,
      summary: summaryFromLog(await kubectl(['logs', pod, ...ns(namespace)], env)),
    })),
  );
  const summary = mergePodSummaries(read);
  return {
    pods,
    missing: read.filter((r) => !r.summary).map((r) => r.pod),
    ...(summary ? { summary } : {}),
  };
}

export interface FollowOptions {
  name: string;
  namespace?: string | undefined;
  env?: NodeJS.ProcessEnv;
  pollMs: number;
  /** give up following after this long */
  deadlineMs: number;
  now: () => number;
  signal?: AbortSignal;
  onStatus?: (status: TestRunStatus) => void;
}

/** Reads the TestRun's stage until it is finished or error, the deadline passes or `signal` aborts. */
export async function followTestRun(
  o: FollowOptions,
): Promise<{ status: TestRunStatus; ended: 'finished' | 'error' | 'deadline' | 'aborted' }> {
  const until = o.now() + o.deadlineMs;
  let last: TestRunStatus = { stage: null, conditions: [] };
  for (;;) {
    if (o.signal?.aborted) return { status: last, ended: 'aborted' };
    const status = await testRunStatus(o.name, o.namespace, o.env);
    if (status.stage !== last.stage) o.onStatus?.(status);
    last = status;
    if (status.stage === 'finished' || status.stage === 'error')
      return { status, ended: status.stage };
    if (o.now() >= until) return { status, ended: 'deadline' };
    await pause(o.pollMs, o.signal);
  }
}

const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export interface DistributedRunOptions {
  store: Store;
  context: string;
  scenario: string;
  target: string;
  /** the TestRun's name (and its ConfigMap's) */
  name: string;
  namespace?: string | undefined;
  parallelism: number;
  runOptions: unknown;
  details?: Record<string, unknown>;
  /** applies the manifests (kubectl apply); called once the run is recorded */
  apply: () => Promise<unknown>;
  env?: NodeJS.ProcessEnv;
  pollMs?: number;
  deadlineMs: number;
  now?: () => number;
  random?: () => number;
  signal?: AbortSignal;
  onStatus?: (status: TestRunStatus) => void;
  processAlive?: (pid: number) => boolean;
}

export interface DistributedRunResult {
  run: LoadTestRun;
  stage: string | null;
  ended: 'finished' | 'error' | 'deadline' | 'aborted';
  pods: string[];
  missing: string[];
  /** the exit code to exit with, k6's meaning: 0 passed, 99 thresholds failed, 1 otherwise */
  exitCode: number;
}

/**
 * Records the run, applies the TestRun, follows it and records its merged result. A refusal
 * (another test running) throws before anything is applied; a kubectl failure records the run
 * as failed and throws.
 */
export async function runDistributedLoadTest(
  o: DistributedRunOptions,
): Promise<DistributedRunResult> {
  const now = o.now ?? Date.now;
  const startedAt = now();
  const id = loadTestId(startedAt, o.random ?? Math.random);
  const begun = o.store.loadTests.begin(
    {
      id,
      context: o.context,
      scenario: o.scenario,
      target: o.target,
      tiers: [],
      options: {
        runOptions: o.runOptions,
        distributed: {
          testRun: o.name,
          parallelism: o.parallelism,
          ...(o.namespace ? { namespace: o.namespace } : {}),
        },
        ...(o.details ?? {}),
      },
      startedAt,
      holder: `${localUser()}@${hostname()}`,
      pid: process.pid,
    },
    orphanedRun(o.processAlive),
  );
  if (!begun.ok) throw runningRefusal(begun.running);
  const where = `${o.name}${o.namespace ? ` -n ${o.namespace}` : ''}`;
  try {
    await o.apply();
    const followed = await followTestRun({
      name: o.name,
      namespace: o.namespace,
      ...(o.env ? { env: o.env } : {}),
      pollMs: o.pollMs ?? 5_000,
      deadlineMs: o.deadlineMs,
      now,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.onStatus ? { onStatus: o.onStatus } : {}),
    });
    const stage = followed.status.stage;
    if (followed.ended === 'aborted' || followed.ended === 'deadline') {
      o.store.loadTests.finish(id, {
        status: 'interrupted',
        endedAt: now(),
        message: `${followed.ended === 'aborted' ? 'Stopped following' : 'Gave up following (past its expected end)'} TestRun ${o.name} at stage ${stage ?? 'none'}; it may still run in the cluster. Delete it with: kubectl delete testrun ${where}`,
      });
      return {
        run: o.store.loadTests.get(id)!,
        stage,
        ended: followed.ended,
        pods: [],
        missing: [],
        exitCode: 1,
      };
    }
    const results = await podResults(o.name, o.namespace, o.env);
    const failedThresholds = results.summary?.thresholds.some((t) => t.failed) ?? false;
    const status =
      followed.ended === 'error' || !results.summary
        ? 'failed'
        : failedThresholds
          ? 'thresholds-failed'
          : 'passed';
    const exitCode = status === 'passed' ? 0 : status === 'thresholds-failed' ? 99 : 1;
    const condition = followed.status.conditions.find((c) => c.message)?.message;
    o.store.loadTests.finish(id, {
      status,
      endedAt: now(),
      ...(status !== 'failed' ? { exitCode } : {}),
      ...(results.summary ? { summary: results.summary } : {}),
      ...(status === 'failed'
        ? {
            message: [
              followed.ended === 'error'
                ? `TestRun ${o.name} ended in error${condition ? `: ${condition}` : ''}.`
                : '',
              results.pods.length === 0
                ? `No runner pod of TestRun ${o.name} was found (label k6_cr=${o.name},runner=true).`
                : !results.summary
                  ? `No runner pod's log had a summary (${results.missing.join(', ')}).`
                  : '',
              `See: kubectl describe testrun ${where}; kubectl logs -l k6_cr=${o.name},runner=true`,
            ]
              .filter(Boolean)
              .join(' '),
          }
        : {}),
    });
    return {
      run: o.store.loadTests.get(id)!,
      stage,
      ended: followed.ended,
      pods: results.pods,
      missing: results.missing,
      exitCode,
    };
  } catch (err) {
    o.store.loadTests.finish(id, {
      status: 'failed',
      endedAt: now(),
      message: `The distributed run failed: ${(err as Error).message}`,
    });
    throw err;
  }
}

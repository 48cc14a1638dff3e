// Runs k6 and watches it: the REST API on a free loopback port (`--address`, which k6 v2
// needs to serve it at all), polled for live samples; --summary-export and --out json= for
// the result. Stopping asks k6 first (PATCH /v1/status stopped), then SIGINT, then SIGKILL
// after a bounded grace, and keeps the partial result. Whatever happens to this process
// (an exception, process.exit, a SIGKILL), k6 does not outlive it: an exit handler kills it,
// and a small watchdog process kills it when this one's end of a pipe closes.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import {
  findFreePort,
  statusOfExit,
  type LoadSample,
  type LoadSummary,
  type LoadTestStatus,
} from '@ballast/core';
import { LoadTestError } from './errors.js';
import type { K6Binary } from './k6.js';
import {
  parseK6Metrics,
  parseK6Status,
  parseSummaryExport,
  summaryFromMetrics,
  toSample,
  type K6Metric,
} from './k6-results.js';

/** k6's own REST API port; a free one near it is used. */
export const K6_DEFAULT_API_PORT = 6565;
export const DEFAULT_POLL_MS = 1000;
/** How long k6 gets to stop after each request (the REST API's stop, then SIGINT). */
export const DEFAULT_STOP_GRACE_MS = 10_000;

export interface K6ProcessOptions {
  k6: K6Binary;
  /** the bundled script */
  script: string;
  /** passed to the script with -e (e.g. BASE_URL, BALLAST_RUN_OPTIONS) */
  scriptEnv: Record<string, string>;
  /** where k6 writes its summary export and JSON output */
  workDir: string;
  /** write k6's JSON output (--out json=) too; default true */
  jsonOutput?: boolean;
  /** more `k6 run` arguments, before the script */
  extraArgs?: string[];
  /** k6's environment (default process.env) */
  env?: NodeJS.ProcessEnv;
  pollMs?: number;
  stopGraceMs?: number;
  /** stop the run when it has gone on this long (a k6 that never ends); none by default */
  deadlineMs?: number;
  now?: () => number;
}

export type K6RunEvent =
  | { type: 'sample'; sample: LoadSample }
  | { type: 'stopping'; reason: string }
  | { type: 'end'; result: K6RunResult };

export interface K6RunResult {
  /** k6's exit code; null when it was killed by a signal */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** the exit code to exit with: k6's, else 128 + the signal's number */
  runnerExitCode: number;
  status: Exclude<LoadTestStatus, 'running' | 'interrupted'>;
  stopRequested: boolean;
  stopReason?: string;
  /** k6 did not stop when asked and was killed */
  killed: boolean;
  summary?: LoadSummary;
  samples: LoadSample[];
  startedAt: number;
  endedAt: number;
  /** the last lines k6 printed on stderr and stdout */
  outputTail: string[];
  /** where k6 wrote its files */
  files: { summary: string; json?: string };
  apiUrl: string;
  /** CPU time this process used while k6 ran, ms (user + system) */
  runnerCpuMs: number;
}

export interface K6Run {
  readonly pid: number;
  /** k6's REST API, e.g. http://127.0.0.1:6566 */
  readonly apiUrl: string;
  readonly startedAt: number;
  /** every sample so far */
  readonly samples: readonly LoadSample[];
  /** Calls `listener` with each event from now on; returns the unsubscribe. */
  subscribe(listener: (event: K6RunEvent) => void): () => void;
  /** The samples from now until the run ends. */
  [Symbol.asyncIterator](): AsyncIterator<LoadSample>;
  /** Asks k6 to stop (REST API, SIGINT, SIGKILL); resolves with the partial result. */
  stop(reason?: string): Promise<K6RunResult>;
  readonly done: Promise<K6RunResult>;
}

const OUTPUT_TAIL_LINES = 40;

/**
 * The watchdog: a separate process holding one end of a pipe from this one. When the pipe
 * closes without the run having ended (this process died, even by SIGKILL), it stops k6
 * (SIGINT, then SIGKILL after the grace) and exits; it also exits once k6 is gone.
 */
const WATCHDOG = `
const pid = Number(process.argv[1]);
const grace = Number(process.argv[2]);
const alive = () => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const kill = (s) => { try { process.kill(-pid, s); } catch { try { process.kill(pid, s); } catch {} } };
setInterval(() => { if (!alive()) process.exit(0); }, 250);
process.stdin.on('data', () => {});
process.stdin.on('error', () => {});
process.stdin.on('close', () => {
  if (!alive()) process.exit(0);
  kill('SIGINT');
  setTimeout(() => { kill('SIGKILL'); process.exit(0); }, grace);
});
`;

export async function startK6Run(options: K6ProcessOptions): Promise<K6Run> {
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const graceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
  // A port the system picks (near 0 leaves no candidate but the system's): runs started at
  // once, by two terminals or a dashboard and a CLI, must not race for 6565, 6566, ...
  const port = await findFreePort('127.0.0.1', 0);
  if (port === undefined)
    throw new LoadTestError('No free loopback port for k6’s REST API.', 'NoFreePort', [
      'Free a port on 127.0.0.1, then run it again.',
    ]);
  mkdirSync(options.workDir, { recursive: true });
  const files = {
    summary: join(options.workDir, 'summary.json'),
    ...(options.jsonOutput === false ? {} : { json: join(options.workDir, 'k6-output.json') }),
  };
  const apiUrl = `http://127.0.0.1:${port}`;
  const args = [
    'run',
    '--address',
    `127.0.0.1:${port}`,
    '--summary-export',
    files.summary,
    ...(files.json ? ['--out', `json=${files.json}`] : []),
    ...Object.entries(options.scriptEnv).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    ...(options.extraArgs ?? []),
    options.script,
  ];

  const cpuAtStart = process.cpuUsage();
  const startedAt = now();
  // Its own process group: a Ctrl-C on the terminal reaches this process only, which stops
  // k6 in order (the REST API first) instead of both racing.
  const child = spawn(options.k6.path, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (err) => resolve(err));
  });
  if (spawned || child.pid === undefined)
    throw new LoadTestError(
      `Cannot start k6 at ${options.k6.path}: ${spawned?.message ?? 'no process'}.`,
      'K6NotRunnable',
      ['Check that K6_BIN (or the k6 on PATH) is the k6 executable: k6 version'],
      { cause: spawned },
    );
  const pid = child.pid;
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  };
  const onProcessExit = () => killGroup('SIGKILL');
  process.on('exit', onProcessExit);
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG, String(pid), String(graceMs)], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.unref();
  (watchdog.stdin as unknown as Socket | null)?.unref?.();
  watchdog.on('error', () => undefined);

  const outputTail: string[] = [];
  const collect = (stream: NodeJS.ReadableStream | null) => {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split(/\r?\n|\r/);
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) outputTail.push(line);
      if (outputTail.length > OUTPUT_TAIL_LINES * 2)
        outputTail.splice(0, outputTail.length - OUTPUT_TAIL_LINES);
    });
  };
  collect(child.stdout);
  collect(child.stderr);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let running = true;
  const samples: LoadSample[] = [];
  let lastMetrics: Record<string, K6Metric> | undefined;
  const listeners = new Set<(event: K6RunEvent) => void>();
  const emit = (event: K6RunEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // a listener's failure is its own
      }
    }
  };

  const api = async (path: string, init: RequestInit = {}): Promise<unknown> => {
    const response = await fetch(`${apiUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json' },
      signal: AbortSignal.timeout(Math.max(2000, pollMs * 2)),
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  };

  const poll = async () => {
    while (running) {
      try {
        const [status, metrics] = await Promise.all([api('/v1/status'), api('/v1/metrics')]);
        if (!running) break;
        lastMetrics = parseK6Metrics(metrics);
        const sample = toSample(now(), parseK6Status(status), lastMetrics, samples.at(-1));
        samples.push(sample);
        emit({ type: 'sample', sample });
      } catch {
        // not up yet, or already gone: the next reading (or the exit) tells
      }
      if (!running) break;
      await Promise.race([new Promise((r) => setTimeout(r, pollMs)), exited]);
    }
  };
  const polling = poll();

  let stopRequested = false;
  let stopReason: string | undefined;
  let killed = false;
  let stopping: Promise<void> | undefined;
  const waitExit = (ms: number) =>
    Promise.race([
      exited.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref()),
    ]);
  const requestStop = (reason: string): Promise<void> => {
    stopRequested = true;
    stopReason ??= reason;
    stopping ??= (async () => {
      emit({ type: 'stopping', reason });
      await api('/v1/status', {
        method: 'PATCH',
        body: JSON.stringify({
          data: { type: 'status', id: 'default', attributes: { stopped: true } },
        }),
      }).catch(() => undefined);
      if (await waitExit(graceMs)) return;
      killGroup('SIGINT');
      if (await waitExit(graceMs)) return;
      killed = true;
      killGroup('SIGKILL');
      await exited;
    })();
    return stopping;
  };
  const deadline =
    options.deadlineMs !== undefined
      ? setTimeout(
          () =>
            void requestStop(
              `it ran past its deadline (${Math.round(options.deadlineMs! / 1000)} s)`,
            ),
          options.deadlineMs,
        )
      : undefined;

  const done = (async (): Promise<K6RunResult> => {
    const { code, signal } = await exited;
    running = false;
    if (deadline) clearTimeout(deadline);
    await polling;
    // Anything else k6 started in its group goes with it.
    killGroup('SIGKILL');
    process.off('exit', onProcessExit);
    watchdog.stdin?.end();
    const cpu = process.cpuUsage(cpuAtStart);
    let summary: LoadSummary | undefined;
    try {
      summary = parseSummaryExport(JSON.parse(readFileSync(files.summary, 'utf8')));
    } catch {
      if (lastMetrics) summary = summaryFromMetrics(lastMetrics, now() - startedAt);
    }
    const signals: Partial<Record<NodeJS.Signals, number>> = {
      SIGINT: 2,
      SIGKILL: 9,
      SIGTERM: 15,
      SIGABRT: 6,
      SIGSEGV: 11,
    };
    const result: K6RunResult = {
      exitCode: code,
      signal,
      runnerExitCode: code ?? 128 + (signal ? (signals[signal] ?? 1) : 1),
      status: statusOfExit(code, stopRequested) as K6RunResult['status'],
      stopRequested,
      ...(stopReason ? { stopReason } : {}),
      killed,
      ...(summary ? { summary } : {}),
      samples: [...samples],
      startedAt,
      endedAt: now(),
      outputTail: outputTail.slice(-OUTPUT_TAIL_LINES),
      files,
      apiUrl,
      runnerCpuMs: (cpu.user + cpu.system) / 1000,
    };
    emit({ type: 'end', result });
    listeners.clear();
    return result;
  })();

  return {
    pid,
    apiUrl,
    startedAt,
    get samples() {
      return samples;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    [Symbol.asyncIterator]: () =>
      sampleIterator((l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      }, done),
    async stop(reason = 'stop requested') {
      if (child.exitCode === null && child.signalCode === null) await requestStop(reason);
      return done;
    },
    done,
  };
}

/** Samples as an async iterator: buffered, ends when the run does. */
function sampleIterator(
  subscribe: (listener: (event: K6RunEvent) => void) => () => void,
  done: Promise<K6RunResult>,
): AsyncIterator<LoadSample> {
  const queue: LoadSample[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const unsubscribe = subscribe((event) => {
    if (event.type === 'sample') queue.push(event.sample);
    if (event.type === 'end') ended = true;
    wake?.();
  });
  void done.finally(() => {
    ended = true;
    wake?.();
  });
  return {
    async next() {
      while (queue.length === 0 && !ended) await new Promise<void>((r) => (wake = r));
      wake = undefined;
      const sample = queue.shift();
      if (sample) return { value: sample, done: false };
      unsubscribe();
      return { value: undefined, done: true };
    },
    return() {
      unsubscribe();
      ended = true;
      return Promise.resolve({ value: undefined, done: true });
    },
  };
}

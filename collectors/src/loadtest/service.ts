// A load test as Ballast runs it: recorded in the store as running (refused while another
// runs on the same platform), k6 started and watched, every sample stored as it comes, and
// the outcome recorded however it ends. The CLI and the dashboard both start runs here.
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describeExit, localUser, orphanedRun, type LoadTestRun, type Store } from '@ballast/core';
import { LoadTestError } from './errors.js';
import type { K6Binary } from './k6.js';
import { startK6Run, type K6Run, type K6ProcessOptions, type K6RunResult } from './runner.js';

export interface StartLoadTestOptions {
  store: Store;
  /** the context (platform) it runs against */
  context: string;
  scenario: string;
  target: string;
  /** tiers it drives load at; empty: the whole platform */
  tiers: string[];
  /** the K6ProcessOptions document the script reads (written to options.json) */
  runOptions: unknown;
  /** what else to record with the run (flags, estimate) */
  details?: Record<string, unknown>;
  k6: K6Binary;
  script: string;
  /** where the run's files go: <stateDir>/loadtests */
  runsDir: string;
  now?: () => number;
  random?: () => number;
  runner?: Partial<
    Pick<K6ProcessOptions, 'pollMs' | 'stopGraceMs' | 'deadlineMs' | 'env' | 'jsonOutput'>
  >;
  /** for tests: whether a pid runs */
  processAlive?: (pid: number) => boolean;
}

export interface LoadTestSession {
  id: string;
  k6: K6Run;
  workDir: string;
  /** the stored run once it ended, and k6's result */
  done: Promise<{ run: LoadTestRun; result: K6RunResult }>;
}

/** lt-20261127-060000-a1b2 */
export function loadTestId(at: number, random: () => number): string {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const suffix = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
  return `lt-${stamp}-${suffix}`;
}

/** The run that blocks a new one on `context`, with what to do. */
export function runningRefusal(running: LoadTestRun): LoadTestError {
  return new LoadTestError(
    `Load test ${running.id} (${running.scenario} against ${running.target}) is running on ${running.context} since ${new Date(running.startedAt).toISOString()} (${running.holder}, pid ${running.pid}): one load test at a time.`,
    'LoadTestRunning',
    [
      `Wait for it to finish, or stop it: Ctrl-C where it runs (or kill -INT ${running.pid} on that machine).`,
      `See it with: ballast loadtest show ${running.id}`,
    ],
  );
}

export async function startLoadTest(options: StartLoadTestOptions): Promise<LoadTestSession> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const id = loadTestId(startedAt, options.random ?? Math.random);
  const workDir = join(options.runsDir, id);
  const begun = options.store.loadTests.begin(
    {
      id,
      context: options.context,
      scenario: options.scenario,
      target: options.target,
      tiers: options.tiers,
      options: { runOptions: options.runOptions, ...(options.details ?? {}) },
      startedAt,
      k6Version: options.k6.version.text.replace(/^v/, ''),
      holder: `${localUser()}@${hostname()}`,
      pid: process.pid,
    },
    orphanedRun(options.processAlive),
  );
  if (!begun.ok) throw runningRefusal(begun.running);

  const fail = (message: string) =>
    options.store.loadTests.finish(id, { status: 'failed', endedAt: now(), message });
  let k6: K6Run;
  try {
    mkdirSync(workDir, { recursive: true });
    const optionsFile = join(workDir, 'options.json');
    writeFileSync(optionsFile, `${JSON.stringify(options.runOptions, null, 2)}\n`);
    k6 = await startK6Run({
      k6: options.k6,
      script: options.script,
      scriptEnv: { BASE_URL: options.target, BALLAST_RUN_OPTIONS: optionsFile },
      workDir,
      now,
      ...options.runner,
    });
  } catch (err) {
    fail(`k6 did not start: ${(err as Error).message}`);
    throw err;
  }
  const unsubscribe = k6.subscribe((event) => {
    if (event.type === 'sample') options.store.loadTests.addSamples(id, [event.sample]);
  });
  const done = k6.done.then(
    (result) => {
      unsubscribe();
      options.store.loadTests.finish(id, {
        status: result.status,
        endedAt: result.endedAt,
        ...(result.exitCode !== null ? { exitCode: result.exitCode } : {}),
        ...(result.summary ? { summary: result.summary } : {}),
        ...(result.status === 'failed' || result.killed || result.stopReason
          ? {
              message: [
                result.stopReason ? `Stopped: ${result.stopReason}.` : '',
                result.killed ? 'k6 did not stop when asked and was killed.' : '',
                result.status === 'failed'
                  ? `k6 exited ${describeExit(result.exitCode)}${result.signal ? ` by ${result.signal}` : ''}: ${result.outputTail.slice(-3).join(' / ')}`
                  : '',
              ]
                .filter(Boolean)
                .join(' '),
            }
          : {}),
      });
      return { run: options.store.loadTests.get(id)!, result };
    },
    (err: unknown) => {
      unsubscribe();
      fail(`the runner failed: ${(err as Error).message}`);
      throw err;
    },
  );
  return { id, k6, workDir, done };
}

// Load-test runs as Ballast records them: one row per run of k6 (its scenario, target, the
// options it ran with, how it ended, k6's summary) and the live samples read from k6's REST
// API while it ran. The runner (collectors/src/loadtest) fills them; the CLI, the dashboard
// and the change engine ("no scale-in while a load test runs") read them.

/** How a run ended; `running` until it does. */
export type LoadTestStatus =
  | 'running'
  /** k6 exited 0: every threshold held */
  | 'passed'
  /** k6 exited 99: a threshold failed (with abortOnFail, k6 also stopped early) */
  | 'thresholds-failed'
  /** stopped on request (Ctrl-C, stop()), the partial result kept */
  | 'stopped'
  /** k6 failed: a script error, a bad config, a crash, ... (see the exit code) */
  | 'failed'
  /** the process that ran it ended without recording the outcome (found by pid) */
  | 'interrupted';

/** One reading of k6's REST API while the test runs. Counters are totals since the start. */
export interface LoadSample {
  /** epoch ms */
  t: number;
  vus: number;
  /** http_reqs so far */
  requests: number;
  /** requests a second since the previous sample */
  requestRate: number;
  /** p95 of http_req_duration so far, ms (k6's REST API aggregates over the whole run) */
  p95Ms: number | null;
  /** http_req_failed so far */
  failed: number;
  /** failed / requests since the previous sample, 0..1; null when no request was made */
  errorRate: number | null;
  iterations: number;
  bytesReceived: number;
  bytesSent: number;
  /** metrics whose thresholds fail now (k6's "tainted") */
  failingThresholds: string[];
}

/** A threshold expression on a metric and whether it failed, from k6's summary export. */
export interface ThresholdResult {
  metric: string;
  expression: string;
  failed: boolean;
}

/** The parts of k6's end-of-test summary a report needs, per metric (and submetric). */
export interface LoadSummary {
  /** k6's test run duration, ms */
  durationMs: number | null;
  /** metric name (submetrics as k6 names them, e.g. http_req_duration{step:checkout}) -> values */
  metrics: Record<string, Record<string, number>>;
  thresholds: ThresholdResult[];
  /**
   * where it came from: k6's --summary-export, the last REST API reading when k6 wrote none,
   * or the k6-operator's runner pods' summaries merged (a distributed run)
   */
  source: 'summary-export' | 'rest-api' | 'runner-pods';
  /** how it was put together, for people (e.g. which values are the worst pod's) */
  note?: string;
}

export interface LoadTestRun {
  id: string;
  /** the Ballast context (platform) it ran against */
  context: string;
  scenario: string;
  /** base URL the test sent requests to */
  target: string;
  /** tiers the test drives load at; empty: the whole platform */
  tiers: string[];
  /** the run options given to the script (the K6RunOptions document) and the CLI's flags */
  options: unknown;
  status: LoadTestStatus;
  startedAt: number;
  endedAt?: number;
  /** k6's exit code; absent while running or when the process vanished */
  exitCode?: number;
  /** k6's version, e.g. 0.47.0 */
  k6Version?: string;
  /** the runner's process (user@host and pid), for "is it still running?" */
  holder: string;
  pid: number;
  summary?: LoadSummary;
  /** why it failed or was interrupted, for people */
  message?: string;
}

/**
 * k6's exit codes (go.k6.io/k6/errext/exitcodes), with what each means to whoever reads a
 * run. The runner exits with k6's code, so CI can gate on 99 as it would on k6's.
 */
export const K6_EXIT_CODES: Readonly<Record<number, string>> = {
  0: 'passed',
  97: 'the cloud test run failed',
  98: 'could not get the cloud test run progress',
  99: 'thresholds failed',
  100: 'setup() timed out',
  101: 'teardown() timed out',
  102: 'timed out',
  103: 'stopped through the REST API',
  104: 'invalid configuration',
  105: 'aborted from outside (a signal)',
  106: 'could not start the REST API (the --address port)',
  107: 'the script threw an exception',
  108: 'the script aborted the test (exec.test.abort())',
};

/** The status a run ends with, from how k6 exited and whether it was asked to stop. */
export function statusOfExit(exitCode: number | null, stopRequested: boolean): LoadTestStatus {
  if (exitCode === 0) return 'passed';
  if (exitCode === 99) return 'thresholds-failed';
  return stopRequested ? 'stopped' : 'failed';
}

/** "99 (thresholds failed)" */
export function describeExit(exitCode: number | undefined | null): string {
  if (exitCode === undefined || exitCode === null) return 'no exit code (killed)';
  const meaning = K6_EXIT_CODES[exitCode];
  return meaning ? `${exitCode} (${meaning})` : `${exitCode}`;
}

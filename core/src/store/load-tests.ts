// The store's side of load-test runs: starting one only when no other runs on the same
// platform (checked and recorded in one IMMEDIATE transaction, so two processes cannot both
// start), recording its samples and outcome, and finding runs whose process died.
import type Database from 'better-sqlite3';
import type { LoadSample, LoadSummary, LoadTestRun, LoadTestStatus } from '../load-runs/model.js';

export type NewLoadTestRun = Omit<
  LoadTestRun,
  'status' | 'endedAt' | 'exitCode' | 'summary' | 'message'
>;

export type BeginResult = { ok: true; run: LoadTestRun } | { ok: false; running: LoadTestRun };

export interface LoadTestOutcome {
  status: Exclude<LoadTestStatus, 'running'>;
  endedAt: number;
  exitCode?: number;
  summary?: LoadSummary;
  message?: string;
}

export interface LoadTestLog {
  /**
   * Records `run` as running unless another run of its context is: a running row whose
   * process `orphaned` says is gone is marked interrupted first, and does not block.
   */
  begin(run: NewLoadTestRun, orphaned: (held: LoadTestRun) => boolean): BeginResult;
  /** Sets what is learnt after the start (k6's version, its pid). */
  update(id: string, fields: { k6Version?: string }): void;
  addSamples(id: string, samples: readonly LoadSample[]): void;
  /** Records how the run ended (only a running run; returns false otherwise). */
  finish(id: string, outcome: LoadTestOutcome): boolean;
  get(id: string): LoadTestRun | undefined;
  /** Newest first. */
  list(filter?: { context?: string; limit?: number }): LoadTestRun[];
  samples(id: string): LoadSample[];
  /**
   * Runs of `context` (all contexts when undefined) still running; those whose process
   * `orphaned` says is gone are marked interrupted at `now` and left out.
   */
  running(
    context: string | undefined,
    orphaned: (held: LoadTestRun) => boolean,
    now: number,
  ): LoadTestRun[];
}

interface RunRow {
  id: string;
  context: string;
  scenario: string;
  target: string;
  tiers: string;
  options: string;
  status: LoadTestStatus;
  started_at: number;
  ended_at: number | null;
  exit_code: number | null;
  k6_version: string | null;
  holder: string;
  pid: number;
  summary: string | null;
  message: string | null;
}

const toRun = (r: RunRow): LoadTestRun => ({
  id: r.id,
  context: r.context,
  scenario: r.scenario,
  target: r.target,
  tiers: JSON.parse(r.tiers) as string[],
  options: JSON.parse(r.options) as unknown,
  status: r.status,
  startedAt: r.started_at,
  ...(r.ended_at !== null ? { endedAt: r.ended_at } : {}),
  ...(r.exit_code !== null ? { exitCode: r.exit_code } : {}),
  ...(r.k6_version !== null ? { k6Version: r.k6_version } : {}),
  holder: r.holder,
  pid: r.pid,
  ...(r.summary !== null ? { summary: JSON.parse(r.summary) as LoadSummary } : {}),
  ...(r.message !== null ? { message: r.message } : {}),
});

const INTERRUPTED =
  'The process that ran this test ended without recording how it went (killed, crashed or the machine restarted).';

export function createLoadTestLog(db: Database.Database): LoadTestLog {
  const insert = db.prepare(`INSERT INTO load_test_runs
    (id, context, scenario, target, tiers, options, status, started_at, k6_version, holder, pid)
    VALUES (@id, @context, @scenario, @target, @tiers, @options, 'running', @startedAt, @k6Version, @holder, @pid)`);
  const selectRunning = db.prepare(
    "SELECT * FROM load_test_runs WHERE status = 'running' AND (@context IS NULL OR context = @context) ORDER BY started_at",
  );
  const interrupt = db.prepare(
    "UPDATE load_test_runs SET status = 'interrupted', ended_at = @endedAt, message = @message WHERE id = @id AND status = 'running'",
  );
  const finishRun = db.prepare(`UPDATE load_test_runs SET status = @status, ended_at = @endedAt,
    exit_code = @exitCode, summary = @summary, message = @message WHERE id = @id AND status = 'running'`);
  const selectOne = db.prepare('SELECT * FROM load_test_runs WHERE id = ?');
  const insertSample = db.prepare(
    'INSERT OR REPLACE INTO load_test_samples (run_id, t, body) VALUES (?, ?, ?)',
  );
  const selectSamples = db
    .prepare('SELECT body FROM load_test_samples WHERE run_id = ? ORDER BY t')
    .pluck();

  const liveRunning = (
    context: string | undefined,
    orphaned: (held: LoadTestRun) => boolean,
    now: number,
  ): LoadTestRun[] => {
    const alive: LoadTestRun[] = [];
    for (const row of selectRunning.all({ context: context ?? null }) as RunRow[]) {
      const run = toRun(row);
      if (orphaned(run)) interrupt.run({ id: run.id, endedAt: now, message: INTERRUPTED });
      else alive.push(run);
    }
    return alive;
  };

  return {
    begin(run, orphaned) {
      return db
        .transaction((): BeginResult => {
          const [running] = liveRunning(run.context, orphaned, run.startedAt);
          if (running) return { ok: false, running };
          insert.run({
            ...run,
            tiers: JSON.stringify(run.tiers),
            options: JSON.stringify(run.options ?? null),
            k6Version: run.k6Version ?? null,
          });
          return { ok: true, run: { ...run, status: 'running' } };
        })
        .immediate();
    },
    update(id, fields) {
      if (fields.k6Version !== undefined)
        db.prepare('UPDATE load_test_runs SET k6_version = ? WHERE id = ?').run(
          fields.k6Version,
          id,
        );
    },
    addSamples(id, samples) {
      db.transaction(() => {
        for (const s of samples) insertSample.run(id, s.t, JSON.stringify(s));
      })();
    },
    finish(id, outcome) {
      return (
        finishRun.run({
          id,
          status: outcome.status,
          endedAt: outcome.endedAt,
          exitCode: outcome.exitCode ?? null,
          summary: outcome.summary ? JSON.stringify(outcome.summary) : null,
          message: outcome.message ?? null,
        }).changes === 1
      );
    },
    get(id) {
      const row = selectOne.get(id) as RunRow | undefined;
      return row ? toRun(row) : undefined;
    },
    list(filter = {}) {
      const rows = db
        .prepare(
          `SELECT * FROM load_test_runs WHERE (@context IS NULL OR context = @context)
           ORDER BY started_at DESC LIMIT @limit`,
        )
        .all({ context: filter.context ?? null, limit: filter.limit ?? -1 }) as RunRow[];
      return rows.map(toRun);
    },
    samples(id) {
      return (selectSamples.all(id) as string[]).map((b) => JSON.parse(b) as LoadSample);
    },
    running(context, orphaned, now) {
      return db.transaction(() => liveRunning(context, orphaned, now)).immediate();
    },
  };
}

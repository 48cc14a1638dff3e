// Numbered schema migrations. Append only: never edit a migration that has shipped, add
// the next number instead. Each one runs in its own transaction with its bookkeeping row.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'call ledger and metric series',
    sql: `
      -- One row per HTTP attempt to AWS (retries included), priced at list price.
      CREATE TABLE call_ledger (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        context TEXT NOT NULL,
        service TEXT NOT NULL,
        operation TEXT NOT NULL,
        requests INTEGER NOT NULL,
        metrics INTEGER NOT NULL,
        pages INTEGER NOT NULL,
        -- micro-dollars, so sums stay exact (GetMetricData costs 10 per metric)
        price_micro_usd INTEGER NOT NULL,
        ok INTEGER NOT NULL,
        error_code TEXT
      );
      CREATE INDEX call_ledger_by_time ON call_ledger (at);
      CREATE INDEX call_ledger_by_context ON call_ledger (context, at);

      CREATE TABLE series (
        context TEXT NOT NULL,
        series_id TEXT NOT NULL,
        label TEXT NOT NULL,
        unit TEXT NOT NULL,
        partial INTEGER NOT NULL,
        PRIMARY KEY (context, series_id)
      ) WITHOUT ROWID;

      CREATE TABLE series_points (
        context TEXT NOT NULL,
        series_id TEXT NOT NULL,
        t INTEGER NOT NULL,
        v REAL NOT NULL,
        PRIMARY KEY (context, series_id, t)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'series period and store housekeeping',
    sql: `
      -- The period (seconds) of a series decides how long its points are kept (retention.ts);
      -- NULL for series stored before it was recorded: kept the longest.
      ALTER TABLE series ADD COLUMN period_seconds INTEGER;

      -- Small facts about the store itself, e.g. when series were last pruned.
      CREATE TABLE store_meta (
        key TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'response cache of paid APIs',
    sql: `
      -- Answers of paid AWS APIs (Cost Explorer: $0.01 a request), one row per unit of
      -- caching, e.g. one month of one query shape. fetched_at says how old it is; final
      -- marks what can never change again (a closed month's bill), so it is never re-read.
      CREATE TABLE response_cache (
        context TEXT NOT NULL,
        key TEXT NOT NULL,
        fetched_at INTEGER NOT NULL,
        final INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (context, key)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'change audit log and apply leases',
    sql: `
      -- The audit log of changes: append only, hash-chained (core/src/changes/audit.ts).
      -- Each change writes an intent entry before its first AWS write and an outcome after.
      CREATE TABLE change_audit (
        seq INTEGER PRIMARY KEY,
        change_id TEXT NOT NULL,
        phase TEXT NOT NULL CHECK (phase IN ('intent', 'outcome')),
        at INTEGER NOT NULL,
        -- canonical JSON of the entry, exactly as hashed
        body TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX change_audit_by_change ON change_audit (change_id);
      CREATE INDEX change_audit_by_time ON change_audit (at);
      -- Ballast itself never updates or deletes an entry; the hash chain catches whoever does.
      CREATE TRIGGER change_audit_no_update BEFORE UPDATE ON change_audit
        BEGIN SELECT RAISE(ABORT, 'the change audit log is append-only'); END;
      CREATE TRIGGER change_audit_no_delete BEFORE DELETE ON change_audit
        BEGIN SELECT RAISE(ABORT, 'the change audit log is append-only'); END;

      -- One apply at a time per target (context + group): a lease taken atomically before
      -- the compare-and-set re-read, released after the outcome.
      CREATE TABLE change_leases (
        target TEXT PRIMARY KEY,
        change_id TEXT NOT NULL,
        holder TEXT NOT NULL,
        pid INTEGER NOT NULL,
        acquired_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    name: 'load-test runs and their samples',
    sql: `
      -- One row per run of k6 (core/src/load-runs). status is 'running' until the runner
      -- records how it ended; a running row whose process is gone is marked 'interrupted'.
      CREATE TABLE load_test_runs (
        id TEXT PRIMARY KEY,
        context TEXT NOT NULL,
        scenario TEXT NOT NULL,
        target TEXT NOT NULL,
        -- JSON: tiers the test drives load at (empty: the whole platform)
        tiers TEXT NOT NULL,
        -- JSON: the run options given to the script, and the flags
        options TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN
          ('running', 'passed', 'thresholds-failed', 'stopped', 'failed', 'interrupted')),
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        exit_code INTEGER,
        k6_version TEXT,
        holder TEXT NOT NULL,
        pid INTEGER NOT NULL,
        -- JSON: k6's end-of-test summary, condensed (LoadSummary)
        summary TEXT,
        message TEXT
      );
      CREATE INDEX load_test_runs_by_time ON load_test_runs (started_at);
      CREATE INDEX load_test_runs_running ON load_test_runs (status) WHERE status = 'running';

      -- What k6's REST API said while the run went (LoadSample as JSON), one row a reading.
      CREATE TABLE load_test_samples (
        run_id TEXT NOT NULL REFERENCES load_test_runs (id) ON DELETE CASCADE,
        t INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (run_id, t)
      ) WITHOUT ROWID;
    `,
  },
];

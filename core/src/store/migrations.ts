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
];

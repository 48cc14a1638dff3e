// The local SQLite store: metric history and the ledger of every AWS call Ballast made.
// One file per user (<stateDir>/ballast.db), WAL so the CLI and the dashboard can share it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Series } from '../model/health.js';
import { createChangeLog, type ChangeLog } from './audit-log.js';
import { createLoadTestLog, type LoadTestLog } from './load-tests.js';
import { migrations as allMigrations, type Migration } from './migrations.js';
import { PRUNE_EVERY_MS, retentionMs } from './retention.js';

export interface CallRecord {
  /** epoch ms */
  at: number;
  context: string;
  service: string;
  operation: string;
  requests: number;
  /** metrics requested (GetMetricData queries); 0 for other calls */
  metrics: number;
  /** continuation pages requested (calls carrying a NextToken) */
  pages?: number;
  priceUsd: number;
  ok: boolean;
  errorCode?: string;
}

export interface CallLedgerRow {
  service: string;
  operation: string;
  /** HTTP attempts, retries included */
  requests: number;
  metrics: number;
  pages: number;
  priceUsd: number;
  /** attempts that failed */
  errors: number;
}

export interface CallLedger {
  rows: CallLedgerRow[];
  totals: Omit<CallLedgerRow, 'service' | 'operation'>;
}

/** The call ledger summed per UTC day (YYYY-MM-DD), service and operation. */
export interface CallLedgerDayRow {
  day: string;
  service: string;
  operation: string;
  requests: number;
  pages: number;
  priceUsd: number;
  errors: number;
}

/** One cached answer of a paid API (see the response_cache table). */
export interface CacheEntry<T = unknown> {
  key: string;
  /** epoch ms of the read */
  fetchedAt: number;
  /** can never change again: never read again */
  final: boolean;
  /** any JSON value */
  body: T;
}

export interface Store {
  readonly file: string;
  recordCall(entry: CallRecord): void;
  /** Calls summed by service and operation (most expensive first), with totals. */
  callLedger(filter?: { since?: number; context?: string }): CallLedger;
  /** Calls summed per UTC day, service and operation since `since` (epoch ms), oldest first. */
  callLedgerByDay(filter: { since: number; context?: string }): CallLedgerDayRow[];
  /** The cached entries of `keys` that exist (in no particular order). */
  readCache<T = unknown>(context: string, keys: readonly string[]): CacheEntry<T>[];
  /** The keys of the cached entries that start with `prefix`, in order. */
  listCacheKeys(context: string, prefix: string): string[];
  /** Upserts entries by key, in one transaction. */
  writeCache(context: string, entries: readonly CacheEntry[]): void;
  /**
   * Upserts points by (context, series id, t); one transaction for the batch.
   * `periodSeconds` (of every series in the batch) decides how long they are kept.
   */
  saveSeries(context: string, series: Series[], periodSeconds?: number): void;
  /** Stored points with start <= t <= end, ascending; ids never saved are left out. */
  loadSeries(context: string, ids: string[], start: number, end: number): Series[];
  /**
   * Deletes points older than CloudWatch keeps data of their series' period (retention.ts),
   * and series left without points. Runs at most once per PRUNE_EVERY_MS per store (the
   * last run is recorded in it, so every process shares the schedule): cheap to call after
   * each collection. Returns how many points went, or undefined when it was not yet due.
   */
  pruneSeries(now: number): number | undefined;
  /** The change audit log and apply leases (see audit-log.ts). */
  readonly changes: ChangeLog;
  /** Load-test runs and their samples (see load-tests.ts). */
  readonly loadTests: LoadTestLog;
  close(): void;
}

export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

export function openStore(
  stateDir: string,
  options: { migrations?: readonly Migration[] } = {},
): Store {
  mkdirSync(stateDir, { recursive: true });
  const file = join(stateDir, 'ballast.db');
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    // Another Ballast process (dashboard + CLI) may hold the write lock for a moment.
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    migrate(db, file, options.migrations ?? allMigrations);
    return new SqliteStore(db, file);
  } catch (err) {
    db.close();
    throw err;
  }
}

function migrate(db: Database.Database, file: string, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`);
  const current = (): number =>
    (
      db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as {
        v: number;
      }
    ).v;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current() > latest) {
    throw new StoreError(
      `${file} has schema version ${current()} but this Ballast knows only up to ${latest}: ` +
        `upgrade Ballast, or point BALLAST_HOME at another directory.`,
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)');
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    // IMMEDIATE takes the write lock first, so two processes opening the store at once
    // cannot both apply the same migration; the re-check inside sees the winner's work.
    db.transaction(() => {
      if (migration.version <= current()) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name);
    }).immediate();
  }
}

const MICRO = 1_000_000;
/** store_meta key: when series were last pruned (epoch ms). */
const PRUNED_AT = 'series_pruned_at';

interface LedgerSums {
  service: string;
  operation: string;
  requests: number;
  metrics: number;
  pages: number;
  price: number;
  errors: number;
}

interface CacheRow {
  key: string;
  fetched_at: number;
  final: number;
  body: string;
}

function fromCacheRow<T>(row: CacheRow): CacheEntry<T> {
  return {
    key: row.key,
    fetchedAt: row.fetched_at,
    final: row.final === 1,
    body: JSON.parse(row.body) as T,
  };
}

class SqliteStore implements Store {
  private readonly insertCall: Database.Statement;
  private readonly upsertSeries: Database.Statement;
  private readonly upsertPoint: Database.Statement;
  private readonly selectSeries: Database.Statement;
  private readonly selectPoints: Database.Statement;
  private readonly selectMeta: Database.Statement;
  private readonly upsertMeta: Database.Statement;
  private readonly selectSeriesPeriods: Database.Statement;
  private readonly deletePointsBefore: Database.Statement;
  private readonly deleteEmptySeries: Database.Statement;
  readonly changes: ChangeLog;
  readonly loadTests: LoadTestLog;
  private readonly selectCache: Database.Statement;
  private readonly selectCachePrefix: Database.Statement;
  private readonly upsertCache: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    readonly file: string,
  ) {
    this.changes = createChangeLog(db);
    this.loadTests = createLoadTestLog(db);
    this.insertCall = db.prepare(`INSERT INTO call_ledger
      (at, context, service, operation, requests, metrics, pages, price_micro_usd, ok, error_code)
      VALUES (@at, @context, @service, @operation, @requests, @metrics, @pages, @price, @ok, @errorCode)`);
    this.upsertSeries =
      db.prepare(`INSERT INTO series (context, series_id, label, unit, partial, period_seconds)
      VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (context, series_id) DO UPDATE SET label = excluded.label, unit = excluded.unit,
        partial = excluded.partial, period_seconds = COALESCE(excluded.period_seconds, period_seconds)`);
    this.upsertPoint =
      db.prepare(`INSERT INTO series_points (context, series_id, t, v) VALUES (?, ?, ?, ?)
      ON CONFLICT (context, series_id, t) DO UPDATE SET v = excluded.v`);
    this.selectSeries = db.prepare(
      'SELECT label, unit, partial FROM series WHERE context = ? AND series_id = ?',
    );
    this.selectPoints = db
      .prepare(
        'SELECT t, v FROM series_points WHERE context = ? AND series_id = ? AND t BETWEEN ? AND ? ORDER BY t',
      )
      .raw();
    this.selectMeta = db.prepare('SELECT value FROM store_meta WHERE key = ?').pluck();
    this.upsertMeta = db.prepare(
      'INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.selectSeriesPeriods = db
      .prepare('SELECT context, series_id, period_seconds FROM series')
      .raw();
    // Both by primary key: a range delete per series, never a scan of every point.
    this.deletePointsBefore = db.prepare(
      'DELETE FROM series_points WHERE context = ? AND series_id = ? AND t < ?',
    );
    this.deleteEmptySeries = db.prepare(`DELETE FROM series WHERE context = ? AND series_id = ?
      AND NOT EXISTS (SELECT 1 FROM series_points p WHERE p.context = ? AND p.series_id = ?)`);
    this.selectCache = db.prepare(
      'SELECT key, fetched_at, final, body FROM response_cache WHERE context = ? AND key = ?',
    );
    // A prefix range on the primary key: `key >= prefix AND key < prefix + U+FFFF`.
    this.selectCachePrefix = db
      .prepare(
        'SELECT key FROM response_cache WHERE context = ? AND key >= ? AND key < ? ORDER BY key',
      )
      .pluck();
    this.upsertCache =
      db.prepare(`INSERT INTO response_cache (context, key, fetched_at, final, body) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (context, key) DO UPDATE SET fetched_at = excluded.fetched_at,
        final = excluded.final, body = excluded.body`);
  }

  callLedgerByDay(filter: { since: number; context?: string }): CallLedgerDayRow[] {
    const rows = this.db
      .prepare(
        `SELECT strftime('%Y-%m-%d', at / 1000, 'unixepoch') AS day, service, operation,
                SUM(requests) AS requests, SUM(pages) AS pages, SUM(price_micro_usd) AS price,
                SUM(1 - ok) AS errors
         FROM call_ledger WHERE at >= @since ${filter.context === undefined ? '' : 'AND context = @context'}
         GROUP BY day, service, operation
         ORDER BY day, service, operation`,
      )
      .all({
        since: filter.since,
        ...(filter.context !== undefined && { context: filter.context }),
      }) as (Omit<CallLedgerDayRow, 'priceUsd'> & { price: number })[];
    return rows.map(({ price, ...r }) => ({ ...r, priceUsd: price / MICRO }));
  }

  readCache<T>(context: string, keys: readonly string[]): CacheEntry<T>[] {
    const out: CacheEntry<T>[] = [];
    for (const key of keys) {
      const row = this.selectCache.get(context, key) as CacheRow | undefined;
      if (row) out.push(fromCacheRow<T>(row));
    }
    return out;
  }

  listCacheKeys(context: string, prefix: string): string[] {
    return this.selectCachePrefix.all(context, prefix, `${prefix}\uffff`) as string[];
  }

  writeCache(context: string, entries: readonly CacheEntry[]): void {
    this.db.transaction(() => {
      for (const e of entries)
        this.upsertCache.run(context, e.key, e.fetchedAt, e.final ? 1 : 0, JSON.stringify(e.body));
    })();
  }

  recordCall(entry: CallRecord): void {
    this.insertCall.run({
      at: entry.at,
      context: entry.context,
      service: entry.service,
      operation: entry.operation,
      requests: entry.requests,
      metrics: entry.metrics,
      pages: entry.pages ?? 0,
      price: Math.round(entry.priceUsd * MICRO),
      ok: entry.ok ? 1 : 0,
      errorCode: entry.errorCode ?? null,
    });
  }

  callLedger(filter: { since?: number; context?: string } = {}): CallLedger {
    const where: string[] = [];
    if (filter.since !== undefined) where.push('at >= @since');
    if (filter.context !== undefined) where.push('context = @context');
    // Built per filter shape (four variants at most), so not worth caching.
    const rows = this.db
      .prepare(
        `SELECT service, operation, SUM(requests) AS requests, SUM(metrics) AS metrics, SUM(pages) AS pages,
                SUM(price_micro_usd) AS price, SUM(1 - ok) AS errors
         FROM call_ledger ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         GROUP BY service, operation
         ORDER BY price DESC, requests DESC, service, operation`,
      )
      .all({
        ...(filter.since !== undefined && { since: filter.since }),
        ...(filter.context !== undefined && { context: filter.context }),
      }) as LedgerSums[];
    const sum = (key: Exclude<keyof LedgerSums, 'service' | 'operation'>): number =>
      rows.reduce((total, r) => total + r[key], 0);
    return {
      rows: rows.map(({ price, ...r }) => ({ ...r, priceUsd: price / MICRO })),
      totals: {
        requests: sum('requests'),
        metrics: sum('metrics'),
        pages: sum('pages'),
        priceUsd: sum('price') / MICRO,
        errors: sum('errors'),
      },
    };
  }

  saveSeries(context: string, series: Series[], periodSeconds?: number): void {
    this.db.transaction(() => {
      for (const s of series) {
        this.upsertSeries.run(context, s.id, s.label, s.unit, s.partial ? 1 : 0, periodSeconds);
        for (const p of s.points) this.upsertPoint.run(context, s.id, p.t, p.v);
      }
    })();
  }

  loadSeries(context: string, ids: string[], start: number, end: number): Series[] {
    const out: Series[] = [];
    for (const id of ids) {
      const meta = this.selectSeries.get(context, id) as
        { label: string; unit: string; partial: number } | undefined;
      if (!meta) continue;
      const rows = this.selectPoints.all(context, id, start, end) as [number, number][];
      out.push({
        id,
        label: meta.label,
        unit: meta.unit,
        partial: meta.partial === 1,
        points: rows.map(([t, v]) => ({ t, v })),
      });
    }
    return out;
  }

  pruneSeries(now: number): number | undefined {
    // IMMEDIATE: two processes due at once prune once; the second sees the first's mark.
    return this.db
      .transaction((): number | undefined => {
        const last = this.selectMeta.get(PRUNED_AT) as number | undefined;
        // A mark from the future (a clock set back) does not postpone pruning for good.
        if (last !== undefined && now >= last && now - last < PRUNE_EVERY_MS) return undefined;
        let deleted = 0;
        const series = this.selectSeriesPeriods.all() as [string, string, number | null][];
        for (const [context, id, period] of series) {
          deleted += this.deletePointsBefore.run(context, id, now - retentionMs(period)).changes;
          this.deleteEmptySeries.run(context, id, context, id);
        }
        this.upsertMeta.run(PRUNED_AT, now);
        return deleted;
      })
      .immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

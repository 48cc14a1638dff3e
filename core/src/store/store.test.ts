import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Series } from '../model/health.js';
import { migrations } from './migrations.js';
import { PRUNE_EVERY_MS, retentionMs } from './retention.js';
import { openStore, StoreError, type CallRecord, type Store } from './store.js';

let dir: string;
let store: Store;

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'ballast-store-')), 'state');
  store = openStore(dir);
});
afterEach(() => store.close());

const call = (over: Partial<CallRecord>): CallRecord => ({
  at: 1_000,
  context: 'sandbox',
  service: 'cloudwatch',
  operation: 'GetMetricData',
  requests: 1,
  metrics: 500,
  priceUsd: 0.005,
  ok: true,
  ...over,
});

describe('openStore', () => {
  it('given a new state dir, then it creates ballast.db in WAL mode with every migration recorded', () => {
    const db = new Database(join(dir, 'ballast.db'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(
      db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all(),
    ).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })));
    db.close();
  });

  it('given an existing store, then reopening applies nothing twice and keeps the data', () => {
    store.recordCall(call({}));
    store.close();
    store = openStore(dir);
    expect(store.callLedger().totals.requests).toBe(1);
  });

  it('given a migration that fails, then it is rolled back whole and not recorded', () => {
    store.close();
    const broken = [
      ...migrations,
      { version: 99, name: 'broken', sql: 'CREATE TABLE half (x); SELECT * FROM missing_table;' },
    ];
    expect(() => openStore(dir, { migrations: broken })).toThrow(/missing_table/);
    const db = new Database(join(dir, 'ballast.db'), { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").all()).toEqual([]);
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({
      v: migrations.at(-1)?.version,
    });
    db.close();
    store = openStore(dir);
  });

  it('given a store written by a newer Ballast, then it refuses with what to do', () => {
    store.close();
    const newer = [...migrations, { version: 50, name: 'future', sql: 'CREATE TABLE future (x)' }];
    openStore(dir, { migrations: newer }).close();
    expect(() => openStore(dir)).toThrow(StoreError);
    expect(() => openStore(dir)).toThrow(/schema version 50 .* upgrade Ballast/);
    store = openStore(dir, { migrations: newer });
  });
});

describe('call ledger', () => {
  it('given calls across services, contexts and time, then rows are summed per service and operation', () => {
    store.recordCall(call({ at: 1_000 }));
    store.recordCall(call({ at: 2_000, metrics: 3, priceUsd: 0.00003, pages: 1 }));
    store.recordCall(
      call({ at: 2_000, ok: false, errorCode: 'Throttling', metrics: 3, priceUsd: 0 }),
    );
    store.recordCall(
      call({
        at: 3_000,
        service: 'autoscaling',
        operation: 'DescribeAutoScalingGroups',
        metrics: 0,
        priceUsd: 0,
      }),
    );
    store.recordCall(call({ at: 3_000, context: 'prod' }));

    expect(store.callLedger({ context: 'sandbox' })).toEqual({
      rows: [
        {
          service: 'cloudwatch',
          operation: 'GetMetricData',
          requests: 3,
          metrics: 506,
          pages: 1,
          priceUsd: 0.00503,
          errors: 1,
        },
        {
          service: 'autoscaling',
          operation: 'DescribeAutoScalingGroups',
          requests: 1,
          metrics: 0,
          pages: 0,
          priceUsd: 0,
          errors: 0,
        },
      ],
      totals: { requests: 4, metrics: 506, pages: 1, priceUsd: 0.00503, errors: 1 },
    });
    expect(store.callLedger({ since: 3_000 }).totals).toEqual({
      requests: 2,
      metrics: 500,
      pages: 0,
      priceUsd: 0.005,
      errors: 0,
    });
    expect(store.callLedger().totals.requests).toBe(5);
  });

  it('given no calls, then the ledger is empty with zero totals', () => {
    expect(store.callLedger()).toEqual({
      rows: [],
      totals: { requests: 0, metrics: 0, pages: 0, priceUsd: 0, errors: 0 },
    });
  });
});

describe('series', () => {
  const cpu = (points: [number, number][], partial = false): Series => ({
    id: 'ec2_cpuutilization_average_60_abc',
    label: 'store-web CPUUtilization Average',
    unit: 'Percent',
    partial,
    points: points.map(([t, v]) => ({ t, v })),
  });

  it('given overlapping saves, then points are upserted by time and loaded ascending within the range', () => {
    store.saveSeries('sandbox', [
      cpu([
        [3, 30],
        [1, 10],
        [2, 20],
      ]),
    ]);
    store.saveSeries('sandbox', [
      cpu(
        [
          [3, 33],
          [4, 40],
        ],
        true,
      ),
    ]);

    expect(store.loadSeries('sandbox', ['ec2_cpuutilization_average_60_abc'], 2, 4)).toEqual([
      cpu(
        [
          [2, 20],
          [3, 33],
          [4, 40],
        ],
        true,
      ),
    ]);
  });

  it('given another context or an unknown id, then nothing leaks across', () => {
    store.saveSeries('prod', [cpu([[1, 10]])]);
    expect(
      store.loadSeries('sandbox', ['ec2_cpuutilization_average_60_abc', 'nope'], 0, 10),
    ).toEqual([]);
  });

  it('given a day of minutely points for 100 series, then saving is one fast batch', () => {
    const many: Series[] = Array.from({ length: 100 }, (_, i) => ({
      ...cpu(Array.from({ length: 1_440 }, (_, m): [number, number] => [m * 60_000, m % 100])),
      id: `s${i}`,
    }));
    const started = performance.now();
    store.saveSeries('sandbox', many);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(store.loadSeries('sandbox', ['s99'], 0, Infinity)[0]?.points).toHaveLength(1_440);
  });
});

describe('series retention', () => {
  const DAY = 86_400_000;
  const NOW = Date.UTC(2026, 0, 15);
  /** One point at each of these ages (days), for a series of `period` seconds. */
  const aged = (id: string, ages: number[]): Series => ({
    id,
    label: id,
    unit: 'Count',
    partial: false,
    points: ages.map((days) => ({ t: NOW - days * DAY, v: days })),
  });
  const ages = [0, 14.9, 15.1, 62.9, 63.1, 454.9, 455.1];
  const kept = (id: string) =>
    store.loadSeries('sandbox', [id], 0, Infinity)[0]?.points.map((p) => p.v) ?? [];

  it.each([
    [60, 15],
    [120, 15],
    [300, 63],
    [900, 63],
    [3_600, 455],
    [86_400, 455],
    [10, 3 / 24],
    [undefined, 455],
  ])('keeps a series of period %s s for %s days, as CloudWatch does', (period, days) => {
    expect(retentionMs(period)).toBe(days * DAY);
  });

  it('given series of each resolution, then pruning keeps what CloudWatch still has and drops the rest', () => {
    store.saveSeries('sandbox', [aged('minutely', ages)], 60);
    store.saveSeries('sandbox', [aged('five_minutely', ages)], 300);
    store.saveSeries('sandbox', [aged('quarter_hourly', ages)], 900);
    store.saveSeries('prod', [aged('hourly', ages)], 3_600);
    store.saveSeries('sandbox', [aged('unknown_period', ages)]);

    expect(store.pruneSeries(NOW)).toBe(5 + 3 + 3 + 1 + 1);

    expect(kept('minutely')).toEqual([14.9, 0]);
    expect(kept('five_minutely')).toEqual([62.9, 15.1, 14.9, 0]);
    expect(kept('quarter_hourly')).toEqual([62.9, 15.1, 14.9, 0]);
    expect(store.loadSeries('prod', ['hourly'], 0, Infinity)[0]?.points).toHaveLength(6);
    // Saved without a period: nothing says it is short-lived, so it is kept the longest.
    expect(kept('unknown_period')).toHaveLength(6);
  });

  it('given a period learned on a later save, then the series is pruned by it', () => {
    store.saveSeries('sandbox', [aged('minutely', [20])]);
    store.saveSeries('sandbox', [aged('minutely', [0])], 60);
    store.saveSeries('sandbox', [aged('minutely', [1])]);
    store.pruneSeries(NOW);
    expect(kept('minutely')).toEqual([1, 0]);
  });

  it('given pruning ran less than an hour ago (by the `now` passed in), then it does not run again', () => {
    store.saveSeries('sandbox', [aged('minutely', [16])], 60);
    expect(store.pruneSeries(NOW - DAY)).toBe(0);
    expect(store.pruneSeries(NOW - DAY + PRUNE_EVERY_MS - 1)).toBeUndefined();
    expect(kept('minutely')).toEqual([16]);
    expect(store.pruneSeries(NOW - DAY + PRUNE_EVERY_MS)).toBe(1);
  });

  it('given a series with nothing left, then the series itself goes too', () => {
    store.saveSeries('sandbox', [aged('minutely', [30, 20])], 60);
    store.pruneSeries(NOW);
    expect(store.loadSeries('sandbox', ['minutely'], 0, Infinity)).toEqual([]);
  });

  it('given another process pruned recently, then this one waits too (the schedule is in the store)', () => {
    store.pruneSeries(NOW);
    const other = openStore(dir);
    try {
      other.saveSeries('sandbox', [aged('minutely', [40])], 60);
      expect(other.pruneSeries(NOW + 1)).toBeUndefined();
    } finally {
      other.close();
    }
  });
});

describe('the call ledger by day', () => {
  it('given calls around midnight UTC and in two contexts, then sums per UTC day, service and operation', () => {
    const midnight = Date.UTC(2025, 10, 20);
    store.recordCall(
      call({
        at: midnight - 1,
        service: 'costexplorer',
        operation: 'GetCostAndUsage',
        metrics: 0,
        priceUsd: 0.01,
      }),
    );
    store.recordCall(
      call({
        at: midnight,
        service: 'costexplorer',
        operation: 'GetCostAndUsage',
        metrics: 0,
        priceUsd: 0.01,
        pages: 1,
      }),
    );
    store.recordCall(
      call({
        at: midnight + 60_000,
        service: 'costexplorer',
        operation: 'GetCostAndUsage',
        metrics: 0,
        priceUsd: 0,
        ok: false,
        errorCode: 'LimitExceededException',
      }),
    );
    store.recordCall(call({ at: midnight + 60_000, context: 'prod', priceUsd: 0.005 }));

    expect(store.callLedgerByDay({ since: midnight - 3_600_000, context: 'sandbox' })).toEqual([
      {
        day: '2025-11-19',
        service: 'costexplorer',
        operation: 'GetCostAndUsage',
        requests: 1,
        pages: 0,
        priceUsd: 0.01,
        errors: 0,
      },
      {
        day: '2025-11-20',
        service: 'costexplorer',
        operation: 'GetCostAndUsage',
        requests: 2,
        pages: 1,
        priceUsd: 0.01,
        errors: 1,
      },
    ]);
    expect(store.callLedgerByDay({ since: midnight })).toHaveLength(2);
  });
});

describe('the response cache', () => {
  it('given entries written, then they read back by key with their age, finality and body', () => {
    store.writeCache('sandbox', [
      { key: 'ce:cost:v1:2025-10', fetchedAt: 1_000, final: true, body: { days: [1, 2] } },
      { key: 'ce:cost:v1:2025-11', fetchedAt: 2_000, final: false, body: { days: [3] } },
    ]);
    store.writeCache('prod', [
      { key: 'ce:cost:v1:2025-11', fetchedAt: 5, final: false, body: null },
    ]);

    expect(store.readCache('sandbox', ['ce:cost:v1:2025-11', 'ce:cost:v1:2025-09'])).toEqual([
      { key: 'ce:cost:v1:2025-11', fetchedAt: 2_000, final: false, body: { days: [3] } },
    ]);
    expect(store.listCacheKeys('sandbox', 'ce:cost:v1:')).toEqual([
      'ce:cost:v1:2025-10',
      'ce:cost:v1:2025-11',
    ]);
    expect(store.listCacheKeys('sandbox', 'ce:forecast:')).toEqual([]);
  });

  it('given an entry written again, then the newer read replaces it, across reopening', () => {
    store.writeCache('sandbox', [{ key: 'k', fetchedAt: 1, final: false, body: 1 }]);
    store.writeCache('sandbox', [{ key: 'k', fetchedAt: 2, final: true, body: 2 }]);
    store.close();
    store = openStore(dir);
    expect(store.readCache('sandbox', ['k'])).toEqual([
      { key: 'k', fetchedAt: 2, final: true, body: 2 },
    ]);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Series } from '../model/health.js';
import { migrations } from './migrations.js';
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

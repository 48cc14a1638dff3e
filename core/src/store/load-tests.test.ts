import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findKnee } from '../load-runs/knee.js';
import type { LoadSample, LoadTestRun } from '../load-runs/model.js';
import type { NewLoadTestRun } from './load-tests.js';
import { openStore, type Store } from './store.js';

const T0 = Date.parse('2026-11-27T06:00:00Z');
let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-loadtests-'));
  store = openStore(dir);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (id: string, over: Partial<NewLoadTestRun> = {}): NewLoadTestRun => ({
  id,
  context: 'sandbox',
  scenario: 'smoke',
  target: 'http://127.0.0.1:4566/store',
  tiers: ['edge', 'web'],
  options: { scale: 1 },
  startedAt: T0,
  holder: 'ops@host',
  pid: 4242,
  ...over,
});
const alive = () => false;
const sample = (t: number, over: Partial<LoadSample> = {}): LoadSample => ({
  t,
  vus: 10,
  requests: 100,
  requestRate: 50,
  p95Ms: 120,
  failed: 0,
  errorRate: 0,
  iterations: 10,
  bytesReceived: 1000,
  bytesSent: 100,
  failingThresholds: [],
  ...over,
});

describe('load-test runs in the store', () => {
  it('given a running test, then a second one on the same platform is refused, from another process too', () => {
    expect(store.loadTests.begin(run('lt-1'), alive).ok).toBe(true);
    const other = openStore(dir);
    try {
      const second = other.loadTests.begin(run('lt-2', { pid: 5151 }), alive);
      expect(second).toMatchObject({ ok: false, running: { id: 'lt-1', status: 'running' } });
      // another platform is not blocked
      expect(other.loadTests.begin(run('lt-3', { context: 'prod' }), alive).ok).toBe(true);
    } finally {
      other.close();
    }
  });

  it('given a running row whose process is gone, then it is marked interrupted and does not block', () => {
    store.loadTests.begin(run('lt-1'), alive);
    const dead = (held: LoadTestRun) => held.pid === 4242;
    const second = store.loadTests.begin(run('lt-2', { pid: 5151, startedAt: T0 + 60_000 }), dead);
    expect(second.ok).toBe(true);
    expect(store.loadTests.get('lt-1')).toMatchObject({
      status: 'interrupted',
      endedAt: T0 + 60_000,
      message: expect.stringMatching(/ended without recording/),
    });
    expect(store.loadTests.running('sandbox', alive, T0).map((r) => r.id)).toEqual(['lt-2']);
  });

  it('given a finished run, then its outcome, summary and samples read back, newest run first', () => {
    store.loadTests.begin(run('lt-1'), alive);
    store.loadTests.addSamples('lt-1', [sample(T0 + 1000), sample(T0 + 2000, { vus: 20 })]);
    store.loadTests.update('lt-1', { k6Version: '0.47.0' });
    expect(
      store.loadTests.finish('lt-1', {
        status: 'thresholds-failed',
        endedAt: T0 + 5000,
        exitCode: 99,
        summary: { durationMs: 5000, metrics: {}, thresholds: [], source: 'summary-export' },
      }),
    ).toBe(true);
    // a finished run is not finished twice
    expect(store.loadTests.finish('lt-1', { status: 'passed', endedAt: T0 + 6000 })).toBe(false);
    store.loadTests.begin(run('lt-2', { startedAt: T0 + 10_000 }), alive);
    expect(store.loadTests.list().map((r) => [r.id, r.status])).toEqual([
      ['lt-2', 'running'],
      ['lt-1', 'thresholds-failed'],
    ]);
    expect(store.loadTests.get('lt-1')).toMatchObject({ exitCode: 99, k6Version: '0.47.0' });
    expect(store.loadTests.samples('lt-1').map((s) => s.vus)).toEqual([10, 20]);
  });
});

describe('findKnee', () => {
  it('given latency over the limit in two readings in a row, then the knee is the first of them', () => {
    const samples = [
      sample(1, { requestRate: 100, p95Ms: 200 }),
      sample(2, { requestRate: 200, p95Ms: 900 }), // one slow reading: noise
      sample(3, { requestRate: 300, p95Ms: 300 }),
      sample(4, { requestRate: 400, p95Ms: 700, vus: 80 }),
      sample(5, { requestRate: 450, p95Ms: 1500 }),
    ];
    expect(findKnee(samples, { p95Ms: 500, errorRate: 0.01 })).toEqual({
      at: 4,
      reason: 'latency',
      requestRate: 400,
      vus: 80,
      p95Ms: 700,
      errorRate: 0,
      lastGoodRequestRate: 300,
    });
  });

  it('given errors over the limit, then errors break first; without a break there is no knee', () => {
    const erring = [sample(1, { errorRate: 0.05 }), sample(2, { errorRate: 0.08 })];
    expect(findKnee(erring, { p95Ms: 500, errorRate: 0.01 })?.reason).toBe('errors');
    expect(findKnee([sample(1), sample(2)], { p95Ms: 500, errorRate: 0.01 })).toBeUndefined();
  });
});

// The report of a stored run: k6's side from the recorded summary export and samples, the
// platform's side read from the sandbox over the wire (the health collection's code).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LOAD_STEPS,
  openStore,
  type LoadSample,
  type ResolvedContext,
  type Store,
} from '@ballast/core';
import { startSandbox } from '@ballast/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxContextAt } from '../testing/index.js';
import { parseSummaryExport } from './k6-results.js';
import { loadTestReport, renderLoadTestReportHtml } from './report.js';

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let store: Store;
let context: ResolvedContext;
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./testing/fixtures/${name}.json`, import.meta.url), 'utf8')) as {
    summary: unknown;
  };

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, backfillDays: 1, coarseBackfillDays: 0, seed: 7 });
  context = sandboxContextAt(sandbox.url);
  store = openStore(mkdtempSync(join(tmpdir(), 'ballast-report-')));
}, 60_000);
afterAll(async () => {
  store?.close();
  await sandbox?.stop();
});

const sample = (i: number, t: number, over: Partial<LoadSample>): LoadSample => ({
  t,
  vus: 10 * (i + 1),
  requests: 1000 * (i + 1),
  requestRate: 50 * (i + 1),
  p95Ms: 100,
  failed: 0,
  errorRate: 0,
  iterations: 100 * (i + 1),
  bytesReceived: 1e6 * (i + 1),
  bytesSent: 1e4,
  failingThresholds: [],
  ...over,
});

describe('loadTestReport', () => {
  it('given a finished run whose latency broke at 200 req/s, then it reports the steps, the knee, the platform window and its cost', async () => {
    const now = Date.now();
    const start = now - 20 * 60_000;
    const end = now - 5 * 60_000;
    store.loadTests.begin(
      {
        id: 'lt-1',
        context: context.name,
        scenario: 'stress',
        target: 'http://127.0.0.1:4566/store',
        tiers: [],
        options: {},
        startedAt: start,
        holder: 'ops@elsewhere',
        pid: 1,
      },
      () => false,
    );
    const latencies = [120, 150, 180, 700, 900, 1400];
    store.loadTests.addSamples(
      'lt-1',
      latencies.map((p95Ms, i) => sample(i, start + (i + 1) * 60_000, { p95Ms })),
    );
    store.loadTests.finish('lt-1', {
      status: 'thresholds-failed',
      endedAt: end,
      exitCode: 99,
      summary: parseSummaryExport(fixture('thresholds-failed').summary),
    });

    const report = await loadTestReport({
      context,
      store,
      run: store.loadTests.get('lt-1')!,
      now,
      timeoutMs: 30_000,
    });

    expect(report.exit).toBe('99 (thresholds failed)');
    expect(report.steps.map((s) => s.step)).toEqual([...LOAD_STEPS]);
    expect(report.steps.find((s) => s.step === 'checkout')).toMatchObject({ failed: true });
    // the per-step counts (summaryTrendStats with count) add up to k6's request count
    expect(report.steps.every((s) => typeof s.requests === 'number')).toBe(true);
    expect(report.steps.reduce((sum, s) => sum + (s.requests ?? 0), 0)).toBe(
      report.overall.requests,
    );
    // the run's own threshold p(95)<500 sets where latency breaks
    expect(report.kneeLimits.p95Ms).toBe(500);
    expect(report.knee).toMatchObject({
      reason: 'latency',
      requestRate: 200,
      lastGoodRequestRate: 150,
    });
    expect(report.platform.unavailable).toEqual([]);
    const web = report.platform.signals.filter((s) => s.tier === 'web').map((s) => s.signal);
    expect(web).toEqual(expect.arrayContaining(['traffic', 'errors', 'latency', 'saturation']));
    expect(
      report.platform.signals.find((s) => s.tier === 'workers' && s.signal === 'latency'),
    ).toBeDefined();
    expect(report.platform.capacity.map((c) => c.group)).toEqual(
      expect.arrayContaining(['store-web']),
    );
    expect(report.cost.lines.map((l) => l.item)).toEqual(
      expect.arrayContaining(['cloudfront-egress', 'cloudfront-requests', 'alb-lcu']),
    );

    const html = renderLoadTestReportHtml(report);
    expect(html).toMatch(/<b>Knee:<\/b> latency broke at 200 requests a second/);
    // self-contained: nothing loaded from elsewhere
    expect(html).not.toMatch(/<script|<link|src="http/);
  }, 60_000);
});

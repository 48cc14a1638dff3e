// /api/spend with the real collectors against the sandbox's Cost Explorer (13 months of
// bill), on a clock the test moves: what a view costs in paid requests, and what the page
// says when Cost Explorer denies, throttles or does not answer (the sandbox's faults).
// Each test has its own store, so each starts cold and runs alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCollectorSession, type CollectorSession } from '@ballast/collectors';
import { sandboxContextAt, silentEndpoint, type SilentEndpoint } from '@ballast/collectors/testing';
import { loadPlatformConfig, openStore, type ResolvedContext, type Store } from '@ballast/core';
import { startSandbox, type RunningSandbox } from '@ballast/sandbox';
import { makeHealth } from '../../test/health-fixture.js';
import type { SpendResponse, SpendSummary } from './api.js';
import { createServer } from './server.js';
import { spendSource } from './spend-source.js';

const HOUR = 3_600_000;
/** Friday 20 November 2026, 10:00 UTC: a full month of bill behind, an open one ahead. */
let clock = Date.UTC(2026, 10, 20, 10);
let sandbox: RunningSandbox;
const dirs: string[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    seed: 7,
    backfillDays: 0.25,
    coarseBackfillDays: 0,
    now: () => clock,
    tickMs: 60_000,
  });
}, 60_000);
afterEach(async () => {
  await setFaults([]);
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await sandbox?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function setFaults(rules: object[]): Promise<void> {
  const res = await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: rules.length ? 'POST' : 'DELETE',
    headers: { 'content-type': 'application/json' },
    ...(rules.length ? { body: JSON.stringify({ rules }) } : {}),
  });
  expect(res.ok).toBe(true);
}

/** A dashboard over a store of its own (or `store`), collecting from `endpoint`. */
function dashboard(options: { endpoint?: string; store?: Store; timeoutMs?: number } = {}) {
  let store = options.store;
  if (!store) {
    const dir = mkdtempSync(path.join(tmpdir(), 'ballast-spend-dash-'));
    dirs.push(dir);
    const opened = openStore(dir);
    cleanups.push(() => opened.close());
    store = opened;
  }
  const context: ResolvedContext = sandboxContextAt(options.endpoint ?? sandbox.url);
  const session: CollectorSession = createCollectorSession(context, store, { now: () => clock });
  const app = createServer({
    health: async () => makeHealth({ now: clock }),
    now: () => clock,
    spend: spendSource({
      context,
      store,
      session,
      platform: loadPlatformConfig(context.platformConfig),
      now: () => clock,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    }),
  });
  /** Cost Explorer requests in the call ledger since `since` (every page is one). */
  const ceRequests = (since = 0) =>
    store
      .callLedger({ since, context: context.name })
      .rows.filter((r) => r.service === 'costexplorer')
      .reduce((n, r) => n + r.requests, 0);
  return { app, store, ceRequests };
}

describe('the Spend page against the sandbox', { timeout: 120_000 }, () => {
  it('given a cold store, then the page reads Cost Explorer once; reloads, other tabs and CSV exports of it read nothing', async () => {
    const { app, ceRequests } = dashboard();
    const [first, ...others] = await Promise.all(
      Array.from({ length: 4 }, () => request(app).get('/api/spend').expect(200)),
    );
    const page = (first!.body as SpendResponse).page;
    expect(page.freshness.paidRequests).toBeGreaterThan(0);
    expect(page.freshness.paidRequests).toBeLessThanOrEqual(20);
    // Four requests at once: one collection, all it paid for in the ledger
    expect(ceRequests()).toBe(page.freshness.paidRequests);
    for (const other of others) expect((other.body as SpendResponse).page).toEqual(page);
    expect(page.costs.groups.map((g) => g.label)).toContain('Amazon CloudFront');
    expect(page.anomalies?.anomalies.length).toBeGreaterThan(0);

    const before = ceRequests();
    clock += HOUR;
    await request(app).get('/api/spend').expect(200);
    await request(app).get('/api/spend/csv/costs').expect(200);
    await request(app).get('/api/spend/csv/anomalies').expect(200);
    const summary = (await request(app).get('/api/spend/summary').expect(200)).body as SpendSummary;
    expect(ceRequests()).toBe(before);
    expect(summary).toMatchObject({
      monthJustBegan: false,
      anomalies: { open: expect.any(Number) },
    });
    expect(summary.monthToDate?.amount).toBeGreaterThan(0);
  });

  it('given GetAnomalies denied, then only the anomalies panel is missing, and it names the ce: action to grant', async () => {
    await setFaults([{ service: 'ce', operation: 'GetAnomalies', kind: 'access-denied', rate: 1 }]);
    const { app } = dashboard();
    const body = (await request(app).get('/api/spend').expect(200)).body as SpendResponse;
    expect(body.page.anomalies).toBeNull();
    expect(body.page.unavailable).toEqual([
      {
        panel: 'anomalies',
        error: expect.objectContaining({ kind: 'access-denied', iamAction: 'ce:GetAnomalies' }),
      },
    ]);
    expect(body.page.forecast).not.toBeNull();
    expect(body.page.costs.total).toBeGreaterThan(0);
    // Tried again soon (after its backoff), not a day later
    expect(body.refresh.reason).toBe('retry');
    expect(body.refresh.nextAt - clock).toBeLessThan(HOUR);
  });

  it('given Cost Explorer throttling a day after a good load, then the stored page is shown with its age and why, and tried again after the backoff', async () => {
    const { app } = dashboard();
    await request(app).get('/api/spend').expect(200);
    clock += 25 * HOUR;
    await setFaults([{ service: 'ce', operation: 'GetCostAndUsage', kind: 'throttle', rate: 1 }]);

    const body = (await request(app).get('/api/spend').expect(200)).body as SpendResponse;

    expect(body.page.freshness.error).toMatchObject({ kind: 'throttled' });
    expect(body.page.freshness.ageMs).toBeGreaterThanOrEqual(25 * HOUR);
    expect(body.page.costs.total).toBeGreaterThan(0);
    expect(body.refresh).toMatchObject({
      reason: 'retry',
      nextAt: body.page.freshness.error?.retryAt,
    });
  });

  it('given Cost Explorer unreachable a day after a good load, then the stored page is shown with its age, marked unreachable', async () => {
    const warm = dashboard();
    await request(warm.app).get('/api/spend').expect(200);
    const silent: SilentEndpoint = await silentEndpoint();
    cleanups.push(() => silent.close());
    clock += 25 * HOUR;
    const { app } = dashboard({ endpoint: silent.url, store: warm.store, timeoutMs: 1_500 });

    const body = (await request(app).get('/api/spend').expect(200)).body as SpendResponse;

    expect(body.page.freshness.error).toMatchObject({ kind: 'unreachable' });
    expect(body.page.freshness.ageMs).toBeGreaterThanOrEqual(25 * HOUR);
    expect(body.page.costs.groups.length).toBeGreaterThan(3);
    expect(body.refresh.reason).toBe('retry');
  });
});

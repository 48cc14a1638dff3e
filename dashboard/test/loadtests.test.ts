// The Load tests page in a browser against the sandbox: a finished run's report (k6 per step
// beside the platform's metrics, the knee) and its window as a band on the Health charts; a
// test an operator starts from the dashboard with the stand-in k6, followed live and then
// reported; and a viewer refused. Each test signs in with its own token on its own page, so
// each passes run alone and in any order.
import { describe, expect, it } from 'vitest';
import { fakeK6Path } from '@ballast/collectors/testing';
import type { LoadSample, LoadSummary } from '@ballast/core';
import { browserSuite, signIn, SHOTS, tokensFileEnv } from './browser-env.js';

const OPERATOR = 'operator-token-6a1d0e9c2b7f';
const VIEWER = 'viewer-token-3c8b1f0e7d2a';
const PHONE = { width: 390, height: 844 };

/** A smoke run another process ran 20 to 10 minutes ago, whose p95 broke at its peak. */
function recordFinishedRun(env: ReturnType<ReturnType<typeof browserSuite>['env']>): string {
  const id = 'lt-20261127-060000-f1f1';
  if (env.store.loadTests.get(id)) return id;
  const end = Date.now() - 10 * 60_000;
  const start = end - 10 * 60_000;
  env.store.loadTests.begin(
    {
      id,
      context: 'sandbox',
      scenario: 'stress',
      target: `${env.sandbox.url}/store`,
      tiers: [],
      options: {
        runOptions: {
          options: {
            thresholds: { http_req_duration: ['p(95)<800'], http_req_failed: ['rate<0.01'] },
          },
        },
      },
      startedAt: start,
      k6Version: '0.47.0',
      holder: 'ci@elsewhere',
      pid: 4242,
    },
    () => false,
  );
  const samples: LoadSample[] = Array.from({ length: 20 }, (_, i) => {
    const rate = 20 + i * 15;
    return {
      t: start + i * 30_000,
      vus: 5 + i * 4,
      requests: Math.round((rate * (i + 1) * 30) / 2),
      requestRate: rate,
      p95Ms: i < 12 ? 180 + i * 20 : 900 + (i - 12) * 150,
      failed: 0,
      errorRate: i < 15 ? 0 : 0.002,
      iterations: i * 10,
      bytesReceived: i * 40_000_000,
      bytesSent: i * 100_000,
      failingThresholds: i < 12 ? [] : ['http_req_duration'],
    };
  });
  env.store.loadTests.addSamples(id, samples);
  const step = (med: number, p95: number) => ({
    avg: med * 1.1,
    med,
    'p(90)': p95 * 0.9,
    'p(95)': p95,
    max: p95 * 2,
  });
  const summary: LoadSummary = {
    durationMs: 600_000,
    source: 'summary-export',
    metrics: {
      http_reqs: { count: 61_234, rate: 102 },
      http_req_failed: { rate: 0.0006 },
      http_req_duration: { 'p(95)': 1240, 'p(99)': 2210, avg: 420, med: 300, max: 4100 },
      'http_req_duration{step:landing}': step(120, 340),
      'http_req_duration{step:product}': step(210, 620),
      'http_req_duration{step:model-glb}': step(640, 1900),
      'http_req_duration{step:checkout}': step(380, 980),
      data_received: { count: 780_000_000 },
      vus_max: { value: 81 },
      model_ttlb: { 'p(95)': 2600 },
    },
    thresholds: [
      { metric: 'http_req_duration', expression: 'p(95)<800', failed: true },
      { metric: 'http_req_failed', expression: 'rate<0.01', failed: false },
      { metric: 'http_req_duration{step:model-glb}', expression: 'p(95)<1500', failed: true },
    ],
  };
  env.store.loadTests.finish(id, {
    status: 'thresholds-failed',
    endedAt: end,
    exitCode: 99,
    summary,
  });
  return id;
}

describe('the Load tests page, against the sandbox', { timeout: 240_000 }, () => {
  const { open, env } = browserSuite(
    {
      env: tokensFileEnv([
        { role: 'operator', name: 'jane', token: OPERATOR },
        { role: 'viewer', name: 'sam', token: VIEWER },
      ]),
      loadTestEnv: {
        ...process.env,
        K6_BIN: fakeK6Path,
        FAKE_K6_MODE: 'progress',
        // Six readings four seconds apart: long enough to be seen live on a busy machine.
        FAKE_K6_FRAME_MS: '4000',
      },
    },
    120_000,
  );

  it('given a finished run, when its page is opened, then the report shows k6 per step beside the platform, the knee, and the run as a band on every Health chart', async () => {
    const id = recordFinishedRun(env());
    const { page, problems } = await open(`/loadtests?run=${id}`);
    await signIn(page, problems, VIEWER);
    const report = page.getByTestId('loadtest-report');
    await report.waitFor();
    await page.getByTestId('report-exit').waitFor();
    expect(await page.getByTestId('report-exit').textContent()).toMatch(
      /^99 \(thresholds failed\)/,
    );
    expect(await report.getByTestId('run-status').getAttribute('data-status')).toBe(
      'thresholds-failed',
    );
    const knee = page.getByTestId('report-knee');
    expect(await knee.getAttribute('data-found')).toBe('true');
    expect(await knee.textContent()).toMatch(/Knee at 200 req\/s/);
    expect(await page.locator('[data-testid="report-steps"] tr[data-step]').count()).toBe(4);
    expect(
      await page.locator('[data-testid="report-thresholds"] li[data-failed="true"]').count(),
    ).toBe(1);
    // The platform's side: CloudWatch's signals of the window, each with the test as a band.
    await page.getByTestId('platform-chart').first().waitFor();
    expect(await page.getByTestId('platform-chart').count()).toBeGreaterThanOrEqual(4);
    expect(await page.getByTestId('report-cost').textContent()).toMatch(/^\$/);
    await page.screenshot({ path: `${SHOTS}/loadtest-report.png`, fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: `${SHOTS}/loadtest-report-phone.png`, fullPage: true });

    // One timeline: the Health page draws the run's window on every chart.
    await page.getByRole('link', { name: 'Health' }).click();
    await page.locator('[data-testid="health-loaded"][data-loaded-at]').waitFor();
    await page.getByTestId('loadtest-legend').waitFor();
    const charts = await page.locator('.chart-card').count();
    const bands = page.locator(`[data-testid="loadtest-band"][data-run="${id}"]`);
    await bands.first().waitFor();
    expect(charts).toBeGreaterThan(4);
    expect(await bands.count()).toBe(charts);
  });

  it('given an operator, when a smoke test is started from the form, then its preflight is confirmed, it is followed live, and its report follows', async () => {
    const { page, problems } = await open('/loadtests');
    await signIn(page, problems, OPERATOR);
    await page.getByTestId('loadtest-form').waitFor();
    expect(await page.getByTestId('role').textContent()).toBe('jane · operator');
    await page.locator('select[name="scenario"]').selectOption('smoke');
    await page.locator('input[name="target"]').fill(`${env().sandbox.url}/store`);
    await page.locator('input[name="duration"]').fill('20s');
    await page.getByRole('button', { name: 'Preflight' }).click();

    const dialog = page.getByTestId('loadtest-plan');
    await dialog.waitFor();
    const checks = dialog.getByTestId('preflight-checks');
    expect(await checks.locator('li[data-ok="false"]').count()).toBe(0);
    expect(await checks.locator('li[data-check="k6"]').textContent()).toMatch(/k6 v?1\./);
    expect(await dialog.getByTestId('plan-cost').textContent()).toMatch(/^\$/);
    await page.screenshot({ path: `${SHOTS}/loadtest-preflight.png` });
    await dialog.getByRole('button', { name: 'Start test' }).click();

    const live = page.getByTestId('loadtest-live');
    await live.waitFor();
    const id = await live.getAttribute('data-run');
    expect(id).toMatch(/^lt-/);
    await expect
      .poll(() => page.getByTestId('live-vus').textContent(), { timeout: 60_000 })
      .not.toBe('—');
    expect(await page.getByTestId('live-rate').textContent()).toMatch(/\/s$/);
    expect(await page.locator('[data-testid="live-thresholds"] li').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/loadtest-live.png`, fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: `${SHOTS}/loadtest-live-phone.png`, fullPage: true });

    // When k6 ends, the same place shows its report.
    const report = page.locator(`[data-testid="loadtest-report"][data-run="${id}"]`);
    await report.waitFor({ timeout: 90_000 });
    await page.getByTestId('report-exit').waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('report-exit').textContent()).toMatch(/^0 \(passed\)/);
    const row = page.locator(`[data-testid="loadtest-row"][data-run="${id}"]`);
    await row.waitFor();
    expect(await row.getByTestId('run-status').getAttribute('data-status')).toBe('passed');
    expect(env().store.loadTests.get(id!)?.options).toMatchObject({
      startedBy: { user: 'jane', via: 'dashboard' },
    });
  });

  it('given a viewer, when a test is confirmed, then the server refuses it and nothing runs', async () => {
    const { page, problems } = await open('/loadtests');
    await signIn(page, problems, VIEWER);
    await page.getByTestId('loadtest-form').waitFor();
    expect(await page.getByTestId('role').textContent()).toBe('sam · viewer');
    const before = env().store.loadTests.list().length;
    await page.locator('select[name="scenario"]').selectOption('smoke');
    await page.locator('input[name="target"]').fill(`${env().sandbox.url}/store`);
    await page.locator('input[name="duration"]').fill('20s');
    await page.getByRole('button', { name: 'Preflight' }).click();
    const dialog = page.getByTestId('loadtest-plan');
    await dialog.waitFor();
    expect(await dialog.getByTestId('viewer-note').textContent()).toMatch(/only an operator/);
    await dialog.getByRole('button', { name: 'Start test' }).click();
    expect(await page.getByTestId('start-error').textContent()).toMatch(
      /sam signed in as a viewer: only an operator may start load tests/,
    );
    await page.screenshot({ path: `${SHOTS}/loadtest-viewer.png` });
    expect(env().store.loadTests.list().length).toBe(before);
    // The browser logs the refused request; that one is expected, nothing else is.
    const refused = problems.findIndex((p) => p.includes('status of 403 (Forbidden)'));
    expect(refused).toBeGreaterThanOrEqual(0);
    problems.splice(refused, 1);
  });
});

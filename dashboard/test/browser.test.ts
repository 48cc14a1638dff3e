// End to end: the real sandbox, the real collectors, the dashboard server and its web build,
// driven in headless Chromium. Needs the web build (npm run build -w @ballast/dashboard).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openStore,
  referencePlatformConfigPath,
  type ResolvedContext,
  type Store,
} from '@ballast/core';
import { startSandbox } from '@ballast/sandbox';
import { startDashboard, type RunningDashboard } from '../server/src/index.js';

const WEB_BUILD = fileURLToPath(new URL('../dist/web', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = '/tmp/ballast-shots';
const TIERS = ['edge', 'web', 'workers', 'data'];

describe('dashboard in a browser, against the sandbox', { timeout: 60_000 }, () => {
  let sandbox: { url: string; stop(): Promise<void> };
  let stateDir: string;
  let store: Store;
  let dashboard: RunningDashboard;
  let browser: Browser;
  let page: Page;
  /** console errors and uncaught exceptions, e.g. a Content-Security-Policy violation */
  const pageProblems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(WEB_BUILD, 'index.html'))) {
      throw new Error(
        `No web build in ${WEB_BUILD}: run \`npm run build -w @ballast/dashboard\` first.`,
      );
    }
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `No Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`,
      );
    }
    sandbox = await startSandbox({ port: 0, backfillDays: 1, coarseBackfillDays: 0, seed: 7 });
    stateDir = mkdtempSync(path.join(tmpdir(), 'ballast-dashboard-'));
    store = openStore(stateDir);
    const context: ResolvedContext = {
      name: 'sandbox',
      region: 'us-east-1',
      endpointUrl: sandbox.url,
      platformConfig: referencePlatformConfigPath,
      dummyCredentials: true,
      source: 'flag',
    };
    dashboard = await startDashboard({
      port: 0,
      context,
      store,
      refreshSeconds: 2,
      staticDir: WEB_BUILD,
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') pageProblems.push(m.text());
    });
    page.on('pageerror', (e) => pageProblems.push(e.message));
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await sandbox?.stop();
    store?.close();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it('shows one card per tier with a status on the Overview', async () => {
    await page.goto(dashboard.url);
    for (const tier of TIERS) {
      const card = page.getByTestId(`tier-card-${tier}`);
      await card.waitFor();
      expect(await card.getAttribute('data-status')).toMatch(/^(ok|degraded|critical|unknown)$/);
      expect(await page.getByTestId(`tier-status-${tier}`).textContent()).toMatch(
        /Healthy|Degraded|Critical|Unknown/,
      );
    }
    // The web tier's big numbers come from real CloudWatch data.
    const webTraffic = await page.getByTestId('signal-web-traffic').locator('.num').textContent();
    expect(webTraffic).toMatch(/\d/);
    await expect
      .poll(() => page.getByTestId('live-indicator').getAttribute('data-state'))
      .toBe('live');
    await page.getByTestId('capacity-panel').getByTestId('group-store-web').waitFor();
    await page.screenshot({ path: `${SHOTS}/overview.png`, fullPage: true });
  });

  it('charts every tier on the Health page, with SLO and alarm thresholds', async () => {
    await page.getByRole('link', { name: 'Health' }).click();
    const latency = page.getByTestId('chart-web-latency').locator('.recharts-line-curve');
    await latency.waitFor();
    // A path through ~60 one-minute points is long; an empty or two-point chart is not.
    expect((await latency.getAttribute('d'))!.length).toBeGreaterThan(400);
    for (const tier of TIERS) {
      const traffic = page.getByTestId(`chart-${tier}-traffic`);
      expect(Number(await traffic.getAttribute('data-points'))).toBeGreaterThan(30);
      expect(
        (await traffic.locator('.recharts-area-curve').getAttribute('d'))!.length,
      ).toBeGreaterThan(400);
    }
    // SLO thresholds are drawn on the chart.
    expect(
      await page.getByTestId('chart-web-latency').locator('.recharts-reference-line').count(),
    ).toBeGreaterThan(0);
    // So are the sandbox's CloudWatch alarm thresholds: the ALB p99 alarm on latency, target
    // tracking's scale-out and scale-in on CPU; the legend says what the lines are.
    const webAlarmLines = page
      .getByTestId('chart-web-latency')
      .or(page.getByTestId('chart-web-saturation'))
      .getByTestId('alarm-line');
    expect(await webAlarmLines.count()).toBeGreaterThan(0);
    expect(
      await page.getByTestId('chart-web-saturation').getByTestId('chart-legend').textContent(),
    ).toMatch(/alarms?:.*scale-out/);
    await page.screenshot({ path: `${SHOTS}/health.png`, fullPage: true });
  });

  it('loads a longer range when the range picker changes', async () => {
    const traffic = page.getByTestId('chart-web-traffic');
    const before = Number(await traffic.getAttribute('data-points'));
    const pathBefore = await traffic.locator('.recharts-area-curve').getAttribute('d');

    await page.getByTestId('range-24h').click();
    await page.locator('[data-testid="health-loaded"][data-range="24h"]').waitFor();
    expect(page.url()).toMatch(/range=24h/);
    const after = Number(await traffic.getAttribute('data-points'));
    // One day of one-minute points, downsampled to about one per pixel.
    expect(after).toBeGreaterThan(before * 3);
    expect(await traffic.locator('.recharts-area-curve').getAttribute('d')).not.toBe(pathBefore);
  });

  it('receives live updates over server-sent events', async () => {
    const updated = page.getByTestId('last-updated');
    const first = await updated.getAttribute('data-evaluated-at');
    await expect
      .poll(() => updated.getAttribute('data-evaluated-at'), { timeout: 15_000 })
      .not.toBe(first);
    expect(await page.getByTestId('live-indicator').getAttribute('data-state')).toBe('live');
  });

  it('ran without console errors or Content-Security-Policy violations', () => {
    expect(pageProblems).toEqual([]);
  });
});

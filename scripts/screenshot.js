#!/usr/bin/env node
// Screenshots of the dashboard pages in Debian's Chromium, for looking at a change: the
// Overview, the Health page over 1 hour, 7 and 14 days, the Spend page (13 months by
// service, 3 months by team with an anomaly opened), the Scaling page (and a plan's
// confirmation), the Workers and the Changes pages, and the Load tests page (the newest
// run's report, or the test in progress), on a desktop and a phone.
//   node scripts/screenshot.js [http://127.0.0.1:7300] [out-dir]
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { DEFAULT_DASHBOARD_PORT } from '@ballast/core';

const base = (process.argv[2] ?? `http://127.0.0.1:${DEFAULT_DASHBOARD_PORT}`).replace(/\/$/, '');
const out = process.argv[3] ?? 'artifacts/screenshots';
const PAGES = [
  ['overview', '/'],
  ['health', '/health'],
  ['health-7d', '/health?range=7d'],
  ['health-14d', '/health?range=14d'],
  ['spend', '/spend'],
  ['spend-team', '/spend?by=tag:team&since=3m', { anomaly: true }],
  ['scaling', '/scaling', { ready: 'policies' }],
  ['scaling-plan', '/scaling', { ready: 'policies', plan: true }],
  ['workers', '/workers', { ready: 'policies' }],
  ['changes', '/changes', { ready: 'chain-status' }],
  ['loadtests', '/loadtests', { newestRun: true }],
];
const DEVICES = [
  ['', { width: 1440, height: 1000 }],
  ['-phone', { width: 390, height: 844 }],
];

/** `since=3m` stands for the first day of the month two months back (as the page's preset). */
async function resolve(page, path) {
  if (!path.includes('since=3m')) return path;
  const d = new Date();
  const since = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 2, 1))
    .toISOString()
    .slice(0, 10);
  return path.replace('since=3m', `since=${since}`);
}

mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});
try {
  for (const [suffix, viewport] of DEVICES) {
    const page = await browser.newPage({ viewport });
    page.setDefaultTimeout(60_000);
    for (const [name, path, options = {}] of PAGES) {
      await page.goto(`${base}${await resolve(page, path)}`, { waitUntil: 'networkidle' });
      // The Health page says when its range has loaded; the Overview when its first summary came.
      if (path.startsWith('/health'))
        await page.locator('[data-testid="health-loaded"][data-loaded-at]').waitFor();
      if (path.startsWith('/spend')) await page.getByTestId('spend-loaded').waitFor();
      if (options.anomaly) await page.getByTestId('anomaly-mark').first().click();
      if (options.ready) await page.getByTestId(options.ready).waitFor();
      if (options.plan) {
        // The confirmation dialog of a lower CPU target: diff, guardrails and what-if.
        await page.locator('input[name="target-cpu"]').fill('45');
        await page.getByRole('button', { name: 'Plan' }).click();
        await page.getByTestId('plan-diff').waitFor();
      }
      if (options.newestRun) {
        await page.getByTestId('loadtest-history').waitFor();
        const newest = page.locator('[data-testid="loadtest-row"] a').first();
        if (await newest.count()) {
          await newest.click();
          await page
            .locator('[data-testid="report-exit"], [data-testid="loadtest-live"]')
            .first()
            .waitFor();
        }
      }
      await page.waitForTimeout(1000);
      const file = `${out}/${name}${suffix}.png`;
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
    await page.close();
  }
} finally {
  await browser.close();
}

#!/usr/bin/env node
// Screenshots of the dashboard pages in Debian's Chromium, for looking at a change:
//   node scripts/screenshot.js [http://127.0.0.1:7300] [out-dir]
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { DEFAULT_DASHBOARD_PORT } from '@ballast/core';

const base = (process.argv[2] ?? `http://127.0.0.1:${DEFAULT_DASHBOARD_PORT}`).replace(/\/$/, '');
const out = process.argv[3] ?? 'artifacts/screenshots';
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
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  for (const [name, path] of [
    ['overview', '/'],
    ['health', '/health'],
  ]) {
    await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
    console.log(`${out}/${name}.png`);
  }
} finally {
  await browser.close();
}

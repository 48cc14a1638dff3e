// The environment of the browser tests: the real sandbox, the real collectors, the
// dashboard server and its web build, and headless Chromium (Debian's, never a download).
// Each test opens its own page (`openPage`) so tests run alone or in any order.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { sandboxContextAt } from '@ballast/collectors/testing';
import { openStore, type Store } from '@ballast/core';
import { startSandbox } from '@ballast/sandbox';
import { startDashboard, type Credential, type RunningDashboard } from '../server/src/index.js';

/**
 * A tokens file of `credentials` in a temporary directory (removed after the file's tests),
 * as the dashboard's environment names it: the way a deployment signs people in.
 */
export function tokensFileEnv(credentials: readonly Credential[]): NodeJS.ProcessEnv {
  const dir = mkdtempSync(path.join(tmpdir(), 'ballast-tokens-'));
  const file = path.join(dir, 'tokens');
  writeFileSync(file, credentials.map((c) => `${c.role} ${c.name} ${c.token}\n`).join(''));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return { BALLAST_DASHBOARD_TOKENS_FILE: file };
}

/**
 * Signs in on the form a dashboard with tokens answers first (with a 401, which the browser
 * logs: that one is expected and taken out of `problems`), and waits for the page asked for.
 */
export async function signIn(page: Page, problems: string[], token: string): Promise<void> {
  await page.locator('input[name="token"]').fill(token);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/signin'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  const unauthorized = problems.findIndex((p) => p.includes('status of 401 (Unauthorized)'));
  expect(unauthorized).toBeGreaterThanOrEqual(0);
  problems.splice(unauthorized, 1);
}

export const WEB_BUILD = fileURLToPath(new URL('../dist/web', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots the tests take, to look at after a run. */
export const SHOTS = '/tmp/ballast-shots';
export const TIERS = ['edge', 'web', 'workers', 'data'];

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export interface BrowserEnv {
  sandbox: { url: string; stop(): Promise<void> };
  dashboard: RunningDashboard;
  /** the dashboard's store, e.g. to record a load-test run */
  store: Store;
  browser: Browser;
  /**
   * A fresh page at `path` of the dashboard; `problems` collects its console errors and
   * uncaught exceptions (e.g. a Content-Security-Policy violation).
   */
  openPage(
    path?: string,
    viewport?: { width: number; height: number },
  ): Promise<{ page: Page; problems: string[] }>;
  close(): Promise<void>;
}

export interface BrowserEnvOptions {
  /** days of one-minute history the sandbox backfills; default 1 */
  backfillDays?: number;
  /** seconds between live-feed refreshes; default 2 */
  refreshSeconds?: number;
  /** a Black-Friday day (YYYY-MM-DD, store time) in the history; default the sandbox's own */
  blackFriday?: string;
  /** the dashboard's sign-in settings (startDashboard's env), e.g. operator and viewer tokens */
  env?: NodeJS.ProcessEnv;
  /** the environment of load tests started from the dashboard (K6_BIN: the stand-in k6) */
  loadTestEnv?: NodeJS.ProcessEnv;
}

export async function startBrowserEnv(options: BrowserEnvOptions = {}): Promise<BrowserEnv> {
  if (!existsSync(path.join(WEB_BUILD, 'index.html')))
    throw new Error(
      `No web build in ${WEB_BUILD}: run \`npm run build -w @ballast/dashboard\` first.`,
    );
  if (!existsSync(CHROMIUM))
    throw new Error(
      `No Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  mkdirSync(SHOTS, { recursive: true });

  const cleanups: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const sandbox = await startSandbox({
      port: 0,
      backfillDays: options.backfillDays ?? 1,
      coarseBackfillDays: 0,
      seed: 7,
      ...(options.blackFriday ? { blackFriday: { date: options.blackFriday } } : {}),
    });
    cleanups.push(() => sandbox.stop());
    const stateDir = mkdtempSync(path.join(tmpdir(), 'ballast-dashboard-'));
    cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));
    const store: Store = openStore(stateDir);
    cleanups.push(() => store.close());
    const context = sandboxContextAt(sandbox.url);
    const dashboard = await startDashboard({
      port: 0,
      context,
      store,
      refreshSeconds: options.refreshSeconds ?? 2,
      staticDir: WEB_BUILD,
      env: options.env ?? {},
      ...(options.loadTestEnv ? { loadTestEnv: options.loadTestEnv } : {}),
    });
    cleanups.push(() => dashboard.close());
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());

    const openPage: BrowserEnv['openPage'] = async (
      pagePath = '/',
      viewport = { width: 1440, height: 900 },
    ) => {
      const page = await browser.newPage({ viewport });
      // A loaded 2-core machine renders slowly; a missing element still fails within a minute.
      page.setDefaultTimeout(60_000);
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(new URL(pagePath, dashboard.url).toString());
      return { page, problems };
    };
    return { sandbox, dashboard, store, browser, openPage, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The hooks of a browser suite, registered inside its `describe`: the environment starts
 * once before the tests and closes after them; `open` gives a test a fresh page, which is
 * closed after the test and must have logged no console error or CSP violation.
 */
export function browserSuite(options: BrowserEnvOptions = {}, startTimeoutMs = 90_000) {
  let env: BrowserEnv | undefined;
  let opened: { page: Page; problems: string[] } | undefined;

  beforeAll(async () => {
    env = await startBrowserEnv(options);
  }, startTimeoutMs);

  afterEach(async () => {
    const problems = opened?.problems ?? [];
    await opened?.page.close();
    opened = undefined;
    expect(problems, 'console errors or Content-Security-Policy violations').toEqual([]);
  });

  afterAll(async () => {
    await env?.close();
  });

  const started = (): BrowserEnv => {
    if (!env) throw new Error('The browser environment did not start (see beforeAll).');
    return env;
  };
  return {
    open: async (path?: string, viewport?: { width: number; height: number }) =>
      (opened = await started().openPage(path, viewport)),
    /** the sandbox, dashboard and browser behind the pages, e.g. to inject faults */
    env: started,
  };
}

#!/usr/bin/env node
// `node scripts/dashboard-load.js [DASHBOARD_URL | --render-only]`: how /api/health holds up
// when many people watch the dashboard at once. 50 viewers (BALLAST_LOAD_VIEWERS) each request
// the Health page's data over and over, on mixed ranges and chart widths, for 20 s
// (BALLAST_LOAD_SECONDS); the report is the latency of those requests (p50, p95, p99).
//   - Without a URL it starts `npm start`'s stack (a sandbox with 14 days of history and a
//     dashboard) in a child process on free loopback ports (or BALLAST_SANDBOX_PORT and
//     BALLAST_DASHBOARD_PORT), in a temporary BALLAST_HOME, and stops it afterwards: end to
//     end, collections included (each range is collected again every 5 s).
//   - --render-only collects each range once from an in-process sandbox and serves those
//     collections for good: what remains is the dashboard's own work per request.
// Loopback only. Not a test: it reports.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  findFreePort,
  isLoopbackHost,
  openStore,
  parseDuration,
  referencePlatformConfigPath,
} from '@ballast/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { fetch } = globalThis;

export const RANGES = ['1h', '6h', '24h', '7d', '14d'];
export const WIDTHS = [320, 600, 900, 1280, 1920];

/** The request mix: every (range, width) pair, in a fixed shuffled order per viewer. */
function mix(viewer) {
  const pairs = RANGES.flatMap((range) => WIDTHS.map((width) => ({ range, width })));
  // A small LCG seeded by the viewer: deterministic, different per viewer.
  let state = (viewer + 1) * 2654435761;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [pairs[i], pairs[j]] = [pairs[j], pairs[i]];
  }
  return pairs;
}

const percentile = (sorted, p) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/**
 * `viewers` concurrent loops of GET /api/health on mixed ranges and widths for `seconds`;
 * resolves to request counts and latency percentiles in ms.
 */
export async function measureDashboardLoad({ url, viewers = 50, seconds = 20 }) {
  const base = new URL(url);
  if (!isLoopbackHost(base.hostname))
    throw new Error(`Refusing to load ${url}: this script only loads loopback addresses.`);
  // One request per (range, width) first, so the collections exist and timing is steady state.
  for (const range of RANGES) await fetch(new URL(`api/health?range=${range}`, base));
  const latencies = [];
  let failures = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: viewers }, async (_, viewer) => {
      const pairs = mix(viewer);
      for (let i = 0; performance.now() < deadline; i++) {
        const { range, width } = pairs[i % pairs.length];
        const t0 = performance.now();
        try {
          const res = await fetch(new URL(`api/health?range=${range}&width=${width}`, base));
          await res.arrayBuffer();
          if (!res.ok) failures++;
        } catch {
          failures++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    viewers,
    seconds,
    requests: latencies.length,
    failures,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? NaN,
  };
}

/**
 * `npm start`'s stack in a child process on loopback, on BALLAST_SANDBOX_PORT and
 * BALLAST_DASHBOARD_PORT when set, else on free ports; resolves once it is up.
 */
export async function startStack() {
  const sandboxPort = Number(
    process.env.BALLAST_SANDBOX_PORT ?? (await findFreePort('127.0.0.1', 4600)),
  );
  const dashboardPort = Number(
    process.env.BALLAST_DASHBOARD_PORT ?? (await findFreePort('127.0.0.1', 7400)),
  );
  const child = spawn(process.execPath, [join(root, 'scripts', 'start.js')], {
    env: {
      ...process.env,
      BALLAST_HOME: process.env.BALLAST_HOME ?? mkdtempSync(join(tmpdir(), 'ballast-load-')),
      BALLAST_SANDBOX_PORT: String(sandboxPort),
      BALLAST_DASHBOARD_PORT: String(dashboardPort),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk.toString();
      const match = /Dashboard\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (match && output.includes('Ctrl-C')) resolve(match[1]);
    });
    child.once('exit', (code) =>
      reject(new Error(`npm start's stack exited (${code}):\n${output}`)),
    );
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

/**
 * The dashboard's HTTP app in this process, serving one collection per range (from a sandbox
 * with 14 days of history) for good: no collection happens during the load.
 */
export async function startRenderOnlyDashboard() {
  const [{ startSandbox }, { collectHealth }, { createServer }] = await Promise.all([
    import('@ballast/sandbox'),
    import('@ballast/collectors'),
    import('@ballast/dashboard'),
  ]);
  const sandbox = await startSandbox({ port: 0 });
  const store = openStore(mkdtempSync(join(tmpdir(), 'ballast-load-')));
  const context = {
    name: 'load',
    region: 'us-east-1',
    endpointUrl: sandbox.url,
    platformConfig: referencePlatformConfigPath,
    dummyCredentials: true,
    source: 'flag',
  };
  const collected = new Map();
  for (const range of RANGES) {
    const sinceMs = parseDuration(range);
    collected.set(sinceMs, await collectHealth({ context, store, now: Date.now(), sinceMs }));
  }
  await sandbox.stop();
  store.close();
  const app = createServer({
    health: async ({ sinceMs }) => collected.get(sinceMs),
    now: Date.now,
    cacheSeconds: 86_400,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

const ms = (n) => `${n.toFixed(0)} ms`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const viewers = Number(process.env.BALLAST_LOAD_VIEWERS ?? 50);
  const seconds = Number(process.env.BALLAST_LOAD_SECONDS ?? 20);
  const arg = process.argv[2];
  const stack =
    arg === '--render-only'
      ? await startRenderOnlyDashboard()
      : arg
        ? undefined
        : await startStack();
  const url = stack?.url ?? arg;
  try {
    process.stderr.write(
      `Loading ${new URL('api/health', url).href}: ${viewers} viewers for ${seconds} s…\n`,
    );
    const r = await measureDashboardLoad({ url, viewers, seconds });
    console.log(
      `/api/health, ${r.viewers} viewers on ranges ${RANGES.join('/')} x widths ${WIDTHS.join('/')}, ${r.seconds} s:\n` +
        `  ${r.requests} requests (${r.failures} failed), p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, p99 ${ms(r.p99)}, max ${ms(r.max)}`,
    );
  } finally {
    await stack?.stop();
  }
}

#!/usr/bin/env node
// What the dashboard's Spend page costs in Cost Explorer requests ($0.01 each, every page
// one), on a simulated clock shared by the sandbox and the dashboard (no real 24 h wait):
//   - a cold load of the Spend page and the Overview's money line, 13 months of history;
//   - a warm reload, and a reload after the dashboard restarted (the store only);
//   - the dashboard left open for 3 days, the page and the Overview each asking every 10
//     minutes (more often than the page does: it asks at the answer's next refresh): the
//     first 24 h after the cold load and the worst 24 h window of the three days;
//   - /api/spend latency warm, 200 requests, 4 at a time.
// Paid requests are counted in the store's call ledger. The clock starts late in a month
// (BENCH_SPEND_START, default 2026-11-29 10:00 UTC), where usage detail takes two pages and
// the month changes during the run: the worst case for the bill.
// Run alone: node scripts/spend-bench.js. `npm run bench` runs it with the rest.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify, TextDecoder } from 'node:util';
import { openStore, referencePlatformConfigPath } from '@ballast/core';
import { startDashboard } from '@ballast/dashboard';
import { startSandbox } from '@ballast/sandbox';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const { fetch } = globalThis;

const exec = promisify(execFile);

/** GETs argv[1] 200 times, 4 at a time; prints the latencies (ms) and the body size. */
const LATENCY_CLIENT = `
const url = process.argv[1];
const latencies = [];
let bytes = 0;
for (let i = 0; i < 50; i++)
  await Promise.all(Array.from({ length: 4 }, async () => {
    const started = performance.now();
    const res = await fetch(url);
    bytes = (await res.arrayBuffer()).byteLength;
    if (!res.ok) throw new Error(url + ': ' + res.status);
    latencies.push(performance.now() - started);
  }));
console.log(JSON.stringify({ latencies, bytes }));
`;

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const dollars = (usd) => `$${usd.toFixed(2)}`;

/** Runs the measurements; `report(name, value, target, ok)` gets one row each. */
export async function benchSpend(report) {
  let clock = Date.parse(process.env.BENCH_SPEND_START ?? '2026-11-29T10:00:00Z');
  const sandbox = await startSandbox({
    port: 0,
    backfillDays: 1,
    coarseBackfillDays: 0,
    now: () => clock,
    tickMs: 60_000,
  });
  const store = openStore(mkdtempSync(join(tmpdir(), 'ballast-bench-spend-')));
  const context = {
    name: 'bench-spend',
    region: 'us-east-1',
    endpointUrl: sandbox.url,
    platformConfig: referencePlatformConfigPath,
    dummyCredentials: true,
    source: 'flag',
  };
  const start = () => startDashboard({ port: 0, context, store, now: () => clock });
  let dashboard = await start();
  /** Cost Explorer requests in the call ledger from `since` (the ledger keeps the simulated clock). */
  const paid = (since) => {
    const rows = store
      .callLedger({ since, context: context.name })
      .rows.filter((r) => r.service === 'costexplorer');
    return {
      requests: rows.reduce((n, r) => n + r.requests, 0),
      usd: rows.reduce((n, r) => n + r.priceUsd, 0),
    };
  };
  const get = async (path) => {
    const res = await fetch(new URL(path, dashboard.url));
    const body = await res.arrayBuffer();
    if (!res.ok) throw new Error(`${path}: ${res.status} ${new TextDecoder().decode(body)}`);
    return body.byteLength;
  };
  /** What a browser on the Spend page asks: the page and its headline (the Overview's line). */
  const load = async () => {
    await get('api/spend');
    await get('api/spend/summary');
  };

  try {
    // (a) cold
    let since = clock;
    const t0 = performance.now();
    await load();
    const coldMs = performance.now() - t0;
    const cold = paid(since);
    report(
      'Spend page cold, 13 months: paid Cost Explorer requests',
      `${cold.requests} (${dollars(cold.usd)})`,
      `<= 20, took ${(coldMs / 1000).toFixed(1)} s`,
      cold.requests <= 20,
    );

    // (b) warm, and after a restart of the dashboard (nothing in memory, all in the store)
    clock += MINUTE;
    since = clock;
    await load();
    const warm = paid(since);
    report('Spend page warm reload: paid requests', `${warm.requests}`, '= 0', warm.requests === 0);
    await dashboard.close();
    dashboard = await start();
    clock += MINUTE;
    since = clock;
    const t1 = performance.now();
    await load();
    const restartMs = performance.now() - t1;
    const restarted = paid(since);
    report(
      'Spend page after a dashboard restart: paid requests',
      `${restarted.requests}`,
      `= 0 (store only, ${restartMs.toFixed(0)} ms)`,
      restarted.requests === 0,
    );

    // (d) latency, warm: 200 requests of the default view, 4 at a time, from another
    // process (as a browser is: the sandbox and the dashboard share this one)
    const { stdout } = await exec(process.execPath, [
      '--input-type=module',
      '-e',
      LATENCY_CLIENT,
      new URL('api/spend', dashboard.url).href,
    ]);
    const { latencies, bytes } = JSON.parse(stdout);
    latencies.sort((a, b) => a - b);
    const p95 = percentile(latencies, 0.95);
    report(
      '/api/spend p95 warm (200 requests, 4 at a time)',
      `${p95.toFixed(0)} ms`,
      `< 100 ms (p50 ${percentile(latencies, 0.5).toFixed(0)} ms, ${(bytes / 1024).toFixed(0)} KB)`,
      p95 < 100,
    );

    // (c) left open: 3 days, the page and the Overview asking every 10 minutes
    const openedAt = clock;
    const steps = [];
    for (let t = 10 * MINUTE; t <= 72 * HOUR; t += 10 * MINUTE) {
      const before = clock + 1;
      clock = openedAt + t;
      await load();
      const spent = paid(before);
      if (spent.requests > 0) steps.push({ at: clock - openedAt, ...spent });
    }
    const within = (from, to) => {
      const inWindow = steps.filter((s) => s.at > from && s.at <= to);
      return {
        requests: inWindow.reduce((n, s) => n + s.requests, 0),
        usd: inWindow.reduce((n, s) => n + s.usd, 0),
      };
    };
    const first = within(0, 24 * HOUR);
    let worst = { requests: 0, usd: 0 };
    for (const s of steps) {
      const w = within(s.at - 1, s.at - 1 + 24 * HOUR);
      if (w.requests > worst.requests) worst = w;
    }
    const total = within(0, 72 * HOUR);
    report(
      'Spend page open 24 h right after the cold load: paid requests',
      `${first.requests} (${dollars(first.usd)})`,
      '<= 5 ($0.05)',
      first.requests <= 5,
    );
    report(
      'Spend page open 3 days: the worst 24 h of them',
      `${worst.requests} (${dollars(worst.usd)})`,
      `<= 5 ($0.05); reads at ${steps.map((s) => `${(s.at / HOUR).toFixed(1)} h: ${s.requests}`).join(', ')}; 3 days ${total.requests}`,
      worst.requests <= 5,
    );
  } finally {
    await dashboard.close();
    await sandbox.stop();
    store.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const rows = [];
  await benchSpend((name, value, target, ok) => {
    rows.push({ name, value, target, ok });
    process.stderr.write(`  … ${name}: ${value}\n`);
  });
  const w = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows)
    console.log(`  ${r.ok ? ' ' : '✗'} ${r.name.padEnd(w)}  ${r.value.padStart(12)}  ${r.target}`);
  process.exitCode = rows.some((r) => !r.ok) ? 1 : 0;
}

#!/usr/bin/env node
// `npm run bench`: speed and size figures against the sandbox (not a test: it reports).
//   - GetMetricData calls per refresh (must be ceil(queries / 500)) and refresh wall time,
//     for the reference platform and a generated large one (200 ASGs, >= 5,000 queries);
//   - `ballast health --json` and `ballast --version` wall time;
//   - /api/health latency with 50 viewers on mixed ranges (scripts/dashboard-load.js);
//   - the Spend page's paid Cost Explorer requests: cold (13 months), warm, 24 h and 3 days
//     left open on a simulated clock, and /api/spend latency (scripts/spend-bench.js);
//   - the dashboard's initial JS (gzip);
//   - the what-if replay: 7 days x 1 minute x 100 candidate configurations of the sandbox's
//     recorded web traffic, and the backtest error of the current configuration;
//   - the storefront's sustained request rate and GLB throughput on loopback
//     (scripts/storefront-bench.js);
//   - the k6 runner's CPU while k6 runs (scripts/loadtest-runner-bench.js).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { startSandbox, generateLargePlatform } from '@ballast/sandbox';
import {
  calibrateReplayModel,
  computeEffect,
  healthQueries,
  openStore,
  periodFor,
  prepareRecorded,
  referencePlatformConfigPath,
  loadPlatformConfig,
  replayMany,
} from '@ballast/core';
import {
  AutoScalingChanges,
  collectHealth,
  createCollectorSession,
  recordedTraffic,
} from '@ballast/collectors';
import { measureDashboardLoad, startRenderOnlyDashboard, startStack } from './dashboard-load.js';
import { benchSpend } from './spend-bench.js';
import { benchLoadTestRunner } from './loadtest-runner-bench.js';
import { benchStorefront } from './storefront-bench.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'cli', 'bin', 'run.js');
const HOUR = 3_600_000;
const rows = [];
const report = (name, value, target, ok) => {
  rows.push({ name, value, target, ok });
  process.stderr.write(`  … ${name}: ${value}\n`);
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(fn) {
  const t0 = performance.now();
  const result = await fn();
  return { ms: performance.now() - t0, result };
}

/** Refreshes a platform `runs` times; returns queries, calls per refresh and median time. */
async function benchRefresh(label, sandbox, configPath, runs) {
  const home = mkdtempSync(join(tmpdir(), 'ballast-bench-'));
  const store = openStore(home);
  const context = {
    name: `bench-${label}`,
    region: 'us-east-1',
    endpointUrl: sandbox.url,
    platformConfig: configPath,
    dummyCredentials: true,
    source: 'flag',
  };
  const config = loadPlatformConfig(configPath);
  const queries = healthQueries(config, { periodSeconds: periodFor(HOUR) }).length;
  const times = [];
  let calls = 0;
  for (let i = 0; i < runs; i++) {
    const before = Date.now() - 1;
    const { ms, result } = await timed(() =>
      collectHealth({ context, store, now: Date.now(), sinceMs: HOUR }),
    );
    const failed = result.sources.filter((s) => !s.ok);
    if (failed.length) throw new Error(`${label}: sources failed: ${JSON.stringify(failed)}`);
    times.push(ms);
    const ledger = store.callLedger({ since: before, context: context.name });
    calls = ledger.rows.find((r) => r.operation === 'GetMetricData')?.requests ?? 0;
  }
  store.close();
  const expected = Math.ceil(queries / 500);
  report(`${label}: metric queries per refresh`, `${queries}`, '', true);
  report(
    `${label}: GetMetricData calls per refresh`,
    `${calls}`,
    `= ceil(${queries}/500) = ${expected}`,
    calls === expected,
  );
  return { queries, calls, ms: median(times) };
}

// 1. Reference platform, default 14 days of 1-minute history + 28 days at 5 minutes.
const { ms: startMs, result: sandbox } = await timed(() => startSandbox({ port: 0 }));
report(
  'sandbox start (reference platform, 42 days backfilled)',
  `${(startMs / 1000).toFixed(2)} s`,
  '',
  true,
);
const ref = await benchRefresh('reference', sandbox, referencePlatformConfigPath, 5);
report('reference: refresh wall time (median of 5)', `${ref.ms.toFixed(0)} ms`, '', true);

// 2. `ballast health --json` and `ballast --version`, as a user runs them.
const env = {
  ...process.env,
  BALLAST_SANDBOX_URL: sandbox.url,
  BALLAST_HOME: mkdtempSync(join(tmpdir(), 'ballast-bench-cli-')),
  NO_COLOR: '1',
};
// Async on purpose: the sandbox answers from this process's event loop.
const exec = promisify(execFile);
const run = async (args) => {
  const t0 = performance.now();
  await exec(process.execPath, [cli, ...args], { env });
  return performance.now() - t0;
};
const repeat = async (n, args) => {
  const times = [];
  for (let i = 0; i < n; i++) times.push(await run(args));
  return median(times);
};
await run(['--version']);
const versionMs = await repeat(7, ['--version']);
report(
  '`ballast --version` wall time (median of 7)',
  `${versionMs.toFixed(0)} ms`,
  '< 300 ms',
  versionMs < 300,
);
const healthMs = await repeat(5, ['health', '--json', '--context', 'sandbox']);
report('`ballast health --json` wall time (median of 5)', `${healthMs.toFixed(0)} ms`, '', true);
await benchReplay(sandbox);
await sandbox.stop();

/**
 * The what-if replay of a plan's effect: the sandbox's last 7 days of 1-minute store-web
 * traffic (read as a plan reads it) through 100 candidate configurations; prepared once,
 * as a plan does, then replayed. Also the backtest: the current configuration replayed
 * against what the sandbox recorded.
 */
async function benchReplay(sandbox) {
  const home = mkdtempSync(join(tmpdir(), 'ballast-bench-replay-'));
  const store = openStore(home);
  const context = {
    name: 'bench-replay',
    region: 'us-east-1',
    endpointUrl: sandbox.url,
    platformConfig: referencePlatformConfigPath,
    dummyCredentials: true,
    source: 'flag',
  };
  const platform = loadPlatformConfig(referencePlatformConfigPath);
  const session = createCollectorSession(context, store, { now: Date.now });
  const end = Math.floor(Date.now() / 60_000) * 60_000;
  const range = { start: end - 7 * 24 * HOUR, end };
  const recorded = await recordedTraffic({ context, store, platform, session }).recorded(
    'store-web',
    range,
  );
  if (!recorded) throw new Error('the sandbox recorded no store-web traffic');
  const tier = platform.tiers.find((t) => t.id === 'web');
  const prices = { onDemandPerHour: 0.096, spotPerHour: 0.0336 };
  const distribution = { onDemandBaseCapacity: 2, onDemandPercentageAboveBaseCapacity: 30 };
  const policy = (target) => ({
    metric: 'cpu',
    target,
    warmupMinutes: 5,
    scaleInCooldownMinutes: 5,
    maxScaleInFraction: 0.1,
  });
  const configs = Array.from({ length: 100 }, (_, i) => ({
    min: 2,
    max: 20 + (i % 5) * 10,
    distribution,
    policy: policy(30 + Math.floor(i / 5) * 3),
    prices,
  }));
  const minutes = recorded.values.requests?.length ?? 0;
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const model = calibrateReplayModel('web', recorded).model;
    const prepared = prepareRecorded('web', recorded, tier.slo, model);
    replayMany(prepared, configs);
    times.push(performance.now() - t0);
  }
  const ms = median(times);
  report(
    `what-if replay: ${minutes} minutes x 100 configurations (median of 5)`,
    `${ms.toFixed(0)} ms`,
    '< 1000 ms',
    ms < 1000 && minutes >= 7 * 1440 - 1,
  );
  // Each group as it is, with the sandbox's policy (CPU 70%; 16 messages per worker).
  const port = new AutoScalingChanges(session.clients.autoscaling);
  for (const [group, kind, tierId, groupPolicy] of [
    ['store-web', 'web', 'web', policy(70)],
    [
      'store-workers',
      'worker',
      'workers',
      { ...policy(16), metric: 'backlog-per-instance', scaleInCooldownMinutes: 15 },
    ],
  ]) {
    const live = await port.describeGroup(group);
    const week = await recordedTraffic({ context, store, platform, session }).recorded(
      group,
      range,
    );
    const current = {
      min: live.min,
      max: live.max,
      distribution: live.distribution,
      policy: groupPolicy,
      prices,
    };
    const effect = computeEffect({
      kind,
      recorded: week,
      slo: platform.tiers.find((t) => t.id === tierId).slo,
      current,
      candidate: current,
      prices: { ...prices, source: 'bench' },
    });
    for (const b of effect.backtest.filter((x) => x.relativeError !== undefined))
      report(
        `what-if backtest, ${group} current config: ${b.measure}`,
        `${(b.relativeError * 100).toFixed(1)}%`,
        `(replayed ${b.replayed.toFixed(1)}, recorded ${b.actual.toFixed(1)})`,
        true,
      );
  }
  store.close();
}

// 3. A large platform: 200 ASGs, one day of history.
const large = generateLargePlatform(200);
const largeFile = join(mkdtempSync(join(tmpdir(), 'ballast-bench-large-')), 'platform.json');
writeFileSync(largeFile, JSON.stringify(large, null, 2));
const { ms: largeStartMs, result: largeSandbox } = await timed(() =>
  startSandbox({ port: 0, platform: large, backfillDays: 1, coarseBackfillDays: 0 }),
);
report(
  'sandbox start (200 ASGs, 1 day backfilled)',
  `${(largeStartMs / 1000).toFixed(2)} s`,
  '',
  true,
);
const big = await benchRefresh('large', largeSandbox, largeFile, 3);
report(
  'large: refresh wall time (median of 3)',
  `${big.ms.toFixed(0)} ms`,
  '< 2000 ms',
  big.ms < 2000,
);
if (big.queries < 5000) report('large: at least 5,000 queries', `${big.queries}`, '>= 5000', false);
await largeSandbox.stop();

// 4. /api/health under 50 viewers on mixed ranges and widths: end to end against npm start's
// stack (collections included), then the dashboard's own work (collections made once).
for (const [label, start] of [
  ['', startStack],
  [' (render only)', startRenderOnlyDashboard],
]) {
  const stack = await start();
  try {
    const load = await measureDashboardLoad({ url: stack.url, viewers: 50, seconds: 20 });
    report(
      `/api/health p95, 50 viewers, mixed ranges and widths${label}`,
      `${load.p95.toFixed(0)} ms`,
      `(p50 ${load.p50.toFixed(0)} ms, ${load.requests} requests)`,
      load.failures === 0,
    );
  } finally {
    await stack.stop();
  }
}

// 5. The Spend page: what it costs in Cost Explorer requests, and /api/spend latency.
await benchSpend(report);

// 6. Dashboard initial JS: the entry script and what index.html preloads, gzipped.
const webDist = join(root, 'dashboard', 'dist', 'web');
if (existsSync(join(webDist, 'index.html'))) {
  const html = readFileSync(join(webDist, 'index.html'), 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
  const gz = assets.reduce((sum, a) => sum + gzipSync(readFileSync(join(webDist, a))).length, 0);
  report(
    `dashboard initial JS (${assets.length} files, gzip)`,
    `${(gz / 1024).toFixed(1)} KB`,
    '< 250 KB',
    gz < 250 * 1024,
  );
}

// 7. The storefront load tests hit: sustained API request rate and GLB throughput.
await benchStorefront(report);

// 8. The k6 runner's own CPU while k6 runs (the stand-in k6 replaying a recorded run).
await benchLoadTestRunner(report);

const w = Math.max(...rows.map((r) => r.name.length));
console.log('\nBallast benchmark\n');
for (const r of rows)
  console.log(`  ${r.ok ? ' ' : '✗'} ${r.name.padEnd(w)}  ${r.value.padStart(10)}  ${r.target}`);
const missed = rows.filter((r) => !r.ok).length;
console.log(missed ? `\n  ${missed} target(s) missed.\n` : '\n  All targets met.\n');
process.exitCode = missed ? 1 : 0;

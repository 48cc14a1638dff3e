#!/usr/bin/env node
// `npm run bench:faults`: how Ballast behaves when AWS misbehaves (not a test: it reports).
//   - time from start to a clear error of `ballast health` and `ballast alarms` against an
//     endpoint that accepts connections and never answers (default deadline, --timeout 5s);
//   - failed AWS calls per minute under 100% throttling (every operation throttled), for
//     the dashboard's live feed (one subscriber) and for `ballast health --watch --interval 5`,
//     counted in the call ledger of a fresh state dir.
// Ports: BALLAST_SANDBOX_PORT and BALLAST_DASHBOARD_PORT (default: any free port).
// BENCH_SECONDS (default 60) is how long each throttling run lasts; BENCH_ONLY=silent,
// dashboard or watch runs only that part.
/* global fetch, AbortController -- Node's own, like the imports below */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { TextDecoder } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '@ballast/sandbox';
import { startDashboard } from '@ballast/dashboard';
import { ballastPaths, openStore, resolveContext } from '@ballast/core';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'cli', 'bin', 'run.js');
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const sandboxPort = Number(process.env.BALLAST_SANDBOX_PORT ?? 0);
const dashboardPort = Number(process.env.BALLAST_DASHBOARD_PORT ?? 0);
/** A run that has not ended after this long is reported as hanging. */
const HANG_CAP_MS = 90_000;
const log = (line) => process.stderr.write(`  … ${line}\n`);
const rows = [];

/** Runs the CLI until it exits (or HANG_CAP_MS); returns wall time, exit code, first error line. */
function runCli(args, env, { stopAfterMs } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, ...args], {
      env: { ...process.env, ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const cap = setTimeout(() => child.kill('SIGKILL'), (stopAfterMs ?? 0) + HANG_CAP_MS);
    const stop = stopAfterMs ? setTimeout(() => child.kill('SIGINT'), stopAfterMs) : undefined;
    child.on('exit', (code, signal) => {
      clearTimeout(cap);
      clearTimeout(stop);
      const error = stderr.split('\n').find((l) => l.startsWith('Error:')) ?? '';
      resolve({ ms: performance.now() - started, code, signal, error });
    });
  });
}

/** A loopback listener that accepts connections and never answers. */
async function silentEndpoint() {
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function freshHome() {
  return mkdtempSync(join(tmpdir(), 'ballast-bench-faults-'));
}

/** Failed attempts in the call ledger of BALLAST_HOME=`home` since `since`. */
function failedCalls(home, since) {
  const store = openStore(ballastPaths({ BALLAST_HOME: home }).stateDir);
  try {
    const { totals } = store.callLedger({ since });
    return { failed: totals.errors, requests: totals.requests };
  } finally {
    store.close();
  }
}

async function benchSilentEndpoint() {
  const silent = await silentEndpoint();
  try {
    for (const command of ['health', 'alarms'])
      for (const extra of [[], ['--timeout', '5s']]) {
        const home = freshHome();
        const run = await runCli([command, '--endpoint-url', silent.url, ...extra], {
          BALLAST_HOME: home,
          BALLAST_CONTEXT: 'sandbox',
        });
        rmSync(home, { recursive: true, force: true });
        const name = `ballast ${[command, ...extra].join(' ')} vs a silent endpoint`;
        const value =
          run.signal === 'SIGKILL'
            ? `still hanging after ${HANG_CAP_MS / 1000} s`
            : `${(run.ms / 1000).toFixed(1)} s, exit ${run.code}: ${run.error.slice(0, 110)}`;
        rows.push({ name, value });
        log(`${name}: ${value}`);
      }
  } finally {
    await silent.close();
  }
}

async function benchThrottling() {
  const sandbox = await startSandbox({
    port: sandboxPort,
    host: '127.0.0.1',
    backfillDays: 1,
    coarseBackfillDays: 0,
  });
  try {
    const faults = await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        rules: [{ service: '*', operation: '*', kind: 'throttle', rate: 1 }],
      }),
    });
    if (!faults.ok) throw new Error(`could not set fault rules: ${faults.status}`);

    // The dashboard's live feed with one subscriber (an open Overview page).
    if (wanted('dashboard')) {
      const home = freshHome();
      const paths = ballastPaths({ BALLAST_HOME: home });
      const store = openStore(paths.stateDir);
      process.env.BALLAST_SANDBOX_URL = sandbox.url;
      const context = resolveContext({ name: 'sandbox', paths });
      const dashboard = await startDashboard({ port: dashboardPort, context, store });
      const since = Date.now();
      const controller = new AbortController();
      const events = await fetch(`${dashboard.url}api/events`, { signal: controller.signal });
      const reader = events.body.getReader();
      let frames = 0;
      const reading = (async () => {
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read().catch(() => ({ done: true }));
          if (done) return;
          frames += (decoder.decode(value).match(/^event: health/gm) ?? []).length;
        }
      })();
      await sleep(seconds * 1000);
      controller.abort();
      await reading;
      await dashboard.close();
      store.close();
      const { failed, requests } = failedCalls(home, since);
      rmSync(home, { recursive: true, force: true });
      const name = 'dashboard live feed, 100% throttling';
      const value = `${Math.round((failed * 60) / seconds)} failed calls/min (${failed} of ${requests} in ${seconds} s, ${frames} frames)`;
      rows.push({ name, value });
      log(`${name}: ${value}`);
    }

    // `ballast health --watch --interval 5`.
    if (wanted('watch')) {
      const home = freshHome();
      const since = Date.now();
      const run = await runCli(
        ['health', '--watch', '--interval', '5'],
        { BALLAST_HOME: home, BALLAST_CONTEXT: 'sandbox', BALLAST_SANDBOX_URL: sandbox.url },
        { stopAfterMs: seconds * 1000 },
      );
      const { failed, requests } = failedCalls(home, since);
      rmSync(home, { recursive: true, force: true });
      const name = 'health --watch --interval 5, 100% throttling';
      const value = `${Math.round((failed * 60) / seconds)} failed calls/min (${failed} of ${requests} in ${seconds} s, exit ${run.code ?? run.signal})`;
      rows.push({ name, value });
      log(`${name}: ${value}`);
    }
  } finally {
    await sandbox.stop();
  }
}

// BENCH_ONLY=silent, dashboard or watch runs only that part.
const only = process.env.BENCH_ONLY;
function wanted(part) {
  return !only || only === part;
}
if (wanted('silent')) await benchSilentEndpoint();
if (wanted('dashboard') || wanted('watch')) await benchThrottling();
console.log('\nBallast under faults');
for (const { name, value } of rows) console.log(`  ${name.padEnd(58)} ${value}`);

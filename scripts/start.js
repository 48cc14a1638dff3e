#!/usr/bin/env node
// `npm start`: the sandbox platform and the dashboard in one process, for a first look.
// Ports: BALLAST_SANDBOX_PORT (4566) and BALLAST_DASHBOARD_PORT (7300). Ctrl-C stops both.
import { startSandbox } from '@ballast/sandbox';
import { startDashboard } from '@ballast/dashboard';
import { ballastPaths, openStore, resolveContext } from '@ballast/core';

// The SDK's notice about its future Node.js floor is not something to act on mid-incident;
// the README states the supported Node.js versions.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const sandboxPort = Number(process.env.BALLAST_SANDBOX_PORT ?? 4566);
const dashboardPort = Number(process.env.BALLAST_DASHBOARD_PORT ?? 7300);
const speed = Number(process.env.BALLAST_SANDBOX_SPEED ?? 1);

function fail(message, tryThis) {
  console.error(`\n  ${message}\n\n  Try this:\n${tryThis.map((t) => `    - ${t}`).join('\n')}\n`);
  process.exit(1);
}

const started = Date.now();
let sandbox;
try {
  sandbox = await startSandbox({ port: sandboxPort, speed });
} catch (err) {
  if (err?.code === 'EADDRINUSE')
    fail(`Port ${sandboxPort} is already in use, so the sandbox cannot start.`, [
      'stop what is listening there (another `npm start` or LocalStack?)',
      `or pick another port: BALLAST_SANDBOX_PORT=4570 npm start`,
    ]);
  throw err;
}
process.env.BALLAST_SANDBOX_URL = sandbox.url;

const paths = ballastPaths();
const store = openStore(paths.stateDir);
const context = resolveContext({ name: 'sandbox', paths });
let dashboard;
try {
  dashboard = await startDashboard({ port: dashboardPort, context, store });
} catch (err) {
  await sandbox.stop();
  if (err?.code === 'EADDRINUSE')
    fail(`Port ${dashboardPort} is already in use, so the dashboard cannot start.`, [
      `pick another port: BALLAST_DASHBOARD_PORT=7301 npm start`,
    ]);
  throw err;
}

// The built-in sandbox context assumes port 4566; say how to reach another one.
const envHint = sandboxPort === 4566 ? '' : `BALLAST_SANDBOX_URL=${sandbox.url} `;
const secs = ((Date.now() - started) / 1000).toFixed(1);
console.log(`
  Ballast is up (${secs} s).

  Dashboard   ${dashboard.url}
  Sandbox     ${sandbox.url}   (AWS-compatible endpoint of the simulated 3D store)

  In another terminal:
    ${envHint}npx ballast health                  # platform health, per tier
    ${envHint}npx ballast alarms --state ALARM    # what is firing
    AWS_ENDPOINT_URL=${sandbox.url} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \\
      aws cloudwatch describe-alarms --region us-east-1   # any AWS tool works too

  Ctrl-C stops both.
`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  console.log('\n  Stopping…');
  await dashboard.close();
  await sandbox.stop();
  store.close();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

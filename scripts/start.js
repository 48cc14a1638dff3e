#!/usr/bin/env node
// `npm start`: the sandbox platform and the dashboard in one process, for a first look.
// Ports: BALLAST_SANDBOX_PORT (4566) and BALLAST_DASHBOARD_PORT (7300). Ctrl-C stops both.
import { startSandbox } from '@ballast/sandbox';
import { startDashboard } from '@ballast/dashboard';
import {
  ballastPaths,
  DEFAULT_DASHBOARD_PORT,
  DEFAULT_SANDBOX_PORT,
  findFreePort,
  listenAdvice,
  openStore,
  resolveContext,
} from '@ballast/core';

// The SDK's notice about its future Node.js floor is not something to act on mid-incident;
// the README states the supported Node.js versions.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const sandboxPort = Number(process.env.BALLAST_SANDBOX_PORT ?? DEFAULT_SANDBOX_PORT);
const dashboardPort = Number(process.env.BALLAST_DASHBOARD_PORT ?? DEFAULT_DASHBOARD_PORT);
const speed = Number(process.env.BALLAST_SANDBOX_SPEED ?? 1);

function fail(message, tryThis) {
  console.error(`\n  ${message}\n\n  Try this:\n${tryThis.map((t) => `    - ${t}`).join('\n')}\n`);
  process.exit(1);
}

/** Exits with the advice for a listen error (port in use, ...), naming a port free right now. */
async function failToListen(err, what, port, variable) {
  const target = { what, host: '127.0.0.1', port };
  const free = ['EADDRINUSE', 'EACCES'].includes(err?.code)
    ? await findFreePort(target.host, port)
    : undefined;
  const advice = listenAdvice(err, target, {
    portHint: (p) => `${variable}=${p} npm start`,
    freePort: free,
  });
  if (!advice) throw err;
  fail(advice.message, advice.actions);
}

const started = Date.now();
let sandbox;
try {
  sandbox = await startSandbox({ port: sandboxPort, speed });
} catch (err) {
  await failToListen(err, 'sandbox', sandboxPort, 'BALLAST_SANDBOX_PORT');
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
  await failToListen(err, 'dashboard', dashboardPort, 'BALLAST_DASHBOARD_PORT');
}

// The built-in sandbox context assumes the default port; say how to reach another one.
const envHint = sandbox.port === DEFAULT_SANDBOX_PORT ? '' : `BALLAST_SANDBOX_URL=${sandbox.url} `;
const secs = ((Date.now() - started) / 1000).toFixed(1);
console.log(`
  Ballast is up (${secs} s).

  Dashboard   ${dashboard.url}   (spend: ${dashboard.url}spend)
  Sandbox     ${sandbox.url}   (AWS-compatible endpoint of the simulated 3D store)

  In another terminal:
    ${envHint}npx ballast health                  # platform health, per tier
    ${envHint}npx ballast alarms --state ALARM    # what is firing
    ${envHint}npx ballast cost forecast           # this month against its budget
    ${envHint}npx ballast cost anomalies          # what changed in the bill, and why
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

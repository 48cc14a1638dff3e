#!/usr/bin/env node
// ballast-sandbox: start the stand-in platform (AWS endpoint, storefront, admin API) on one
// port and keep it running until Ctrl-C / SIGTERM.
import { parseArgs } from 'node:util';

let core;
try {
  core = await import('@ballast/core');
} catch (error) {
  console.error(
    `ballast-sandbox: Ballast is not built (${error.message}).\nBuild it first: npm run build`,
  );
  process.exit(1);
}
const { DEFAULT_SANDBOX_PORT, DEFAULT_SANDBOX_SEED, findFreePort, listenAdvice } = core;

const USAGE = `Usage: ballast-sandbox [options]
  --port <n>                  port to listen on (default ${DEFAULT_SANDBOX_PORT}; 0 = any free port)
  --host <address>            address to bind (default 127.0.0.1)
  --seed <n>                  seed of the simulation (default ${DEFAULT_SANDBOX_SEED})
  --speed <x>                 simulated seconds per real second (default 1)
  --backfill-days <d>         days of 1-minute history (default 14)
  --coarse-backfill-days <d>  days of 5-minute history before those (default 28)
  --black-friday <date|off>   the sale day as YYYY-MM-DD (default: every last Friday of November)
  -h, --help                  show this help`;

function fail(message) {
  console.error(`ballast-sandbox: ${message}\n\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      speed: { type: 'string' },
      'backfill-days': { type: 'string' },
      'coarse-backfill-days': { type: 'string' },
      'black-friday': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }));
} catch (error) {
  fail(error.message);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function number(flag, { min = -Infinity, integer = false } = {}) {
  const raw = values[flag];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n)))
    fail(`--${flag} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got "${raw}"`);
  return n;
}

const options = {
  port: number('port', { min: 0, integer: true }),
  host: values.host,
  seed: number('seed', { integer: true }),
  speed: number('speed', { min: Number.MIN_VALUE }),
  backfillDays: number('backfill-days', { min: Number.MIN_VALUE }),
  coarseBackfillDays: number('coarse-backfill-days', { min: 0 }),
  blackFriday:
    values['black-friday'] === undefined
      ? undefined
      : values['black-friday'] === 'off'
        ? false
        : { date: values['black-friday'] },
};
for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];

let startSandbox;
try {
  ({ startSandbox } = await import('../dist/index.js'));
} catch (error) {
  console.error(
    `ballast-sandbox: the sandbox is not built (${error.message}).\nBuild it first: npx tsc -b sandbox`,
  );
  process.exit(1);
}

let sandbox;
try {
  sandbox = await startSandbox(options);
} catch (error) {
  // A port in use (or not allowed, or an address not of this machine): say what to do.
  const target = error.target ?? { what: 'sandbox', host: '127.0.0.1', port: 0 };
  const freePort =
    error.code === 'EADDRINUSE' || error.code === 'EACCES'
      ? await findFreePort(target.host, target.port)
      : undefined;
  const advice = listenAdvice(error, target, {
    portHint: (p) => `--port ${p}`,
    hostHint: (h) => `--host ${h}`,
    freePort,
  });
  console.error(`ballast-sandbox: ${error.message}`);
  for (const action of advice?.actions ?? []) console.error(`  - ${action}`);
  process.exit(1);
}

const sim = sandbox.simulation;
console.log(
  `Ballast sandbox: ${sim.platform.name} (${sim.platform.region}), seed ${sim.seed}, listening on ${sandbox.url}`,
);
console.log(
  `History from ${new Date(sim.startMs).toISOString()}; simulated time now ${new Date(sim.now).toISOString()}.`,
);
console.log('Point AWS clients (SDK, CLI, ballast) at it with:');
console.log(`  export AWS_ENDPOINT_URL=${sandbox.url}`);
console.log(
  `  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=${sim.platform.region}`,
);
console.log(
  `Storefront: ${sandbox.url}/store/api/products   Status: ${sandbox.url}/_sandbox/status`,
);

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the sandbox`);
  await sandbox.stop();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));

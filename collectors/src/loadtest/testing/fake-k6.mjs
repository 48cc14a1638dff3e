#!/usr/bin/env node
/* global setTimeout, setInterval, clearInterval, structuredClone */
// A stand-in for the k6 executable, for tests (k6 itself is not installed where they run).
// It answers `k6 version` like k6 v0.47 (FAKE_K6_VERSION=old) or v1.3 (default), and
// `k6 run` by replaying a recording from fixtures/<FAKE_K6_MODE>.json (default progress):
// its REST API (GET/PATCH /v1/status, GET /v1/metrics) on the --address given, one reading
// every FAKE_K6_FRAME_MS (default 200), the --summary-export file and --out json= lines,
// k6's banner and errors, and its exit code. Like k6: the REST API's stop or a SIGINT end
// the test early with the summary so far (exit 103 and 105); a second SIGINT exits at once.
// Recordings with ignoreSignals ignore both (only SIGKILL ends them).
// FAKE_K6_ARGS_FILE: where to write the arguments and pid it was started with, as JSON.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const args = process.argv.slice(2);
const env = process.env;

if (args[0] === 'version' || args[0] === '--version') {
  const versions = JSON.parse(readFileSync(join(fixtures, 'versions.json'), 'utf8'));
  process.stdout.write(versions[env.FAKE_K6_VERSION ?? 'new'] ?? versions.new);
  process.exit(0);
}
if (args[0] !== 'run') {
  process.stderr.write(`unknown command "${args[0] ?? ''}" for "k6"\n`);
  process.exit(255);
}

const flags = { env: {} };
let script;
for (let i = 1; i < args.length; i++) {
  const a = args[i];
  const value = () => args[++i];
  if (a === '--address' || a === '-a') flags.address = value();
  else if (a.startsWith('--address=')) flags.address = a.slice(10);
  else if (a === '--summary-export') flags.summaryExport = value();
  else if (a.startsWith('--summary-export=')) flags.summaryExport = a.slice(17);
  else if (a === '--out' || a === '-o') flags.out = value();
  else if (a === '-e' || a === '--env') {
    const [k, ...v] = value().split('=');
    flags.env[k] = v.join('=');
  } else if (a.startsWith('-')) {
    // other flags of k6 run take a value unless they are boolean; the runner sends none
  } else script = a;
}
if (env.FAKE_K6_ARGS_FILE)
  writeFileSync(env.FAKE_K6_ARGS_FILE, JSON.stringify({ args, pid: process.pid, flags }));
if (!script || !existsSync(script)) {
  process.stderr.write(
    `time="2026-11-27T06:00:00Z" level=error msg="The moduleSpecifier \\"${script ?? ''}\\" couldn't be found on local disk."\n`,
  );
  process.exit(107);
}

const recording = JSON.parse(
  readFileSync(join(fixtures, `${env.FAKE_K6_MODE ?? 'progress'}.json`), 'utf8'),
);
const frameMs = Number(env.FAKE_K6_FRAME_MS ?? 200);
let index = 0;
let stopping = false;
const frame = () => recording.frames[Math.min(index, recording.frames.length - 1)];

for (const line of recording.stdout) process.stdout.write(`${line}\n`);

const jsonOut = flags.out?.startsWith('json=') ? flags.out.slice(5) : undefined;
const jsonLines = [];
const recordPoints = () => {
  if (!jsonOut) return;
  const time = new Date().toISOString();
  for (const m of frame().metrics.data) {
    const value =
      m.attributes.sample.count ?? m.attributes.sample.value ?? m.attributes.sample.rate;
    if (value === undefined || m.id.includes('{')) continue;
    jsonLines.push(
      JSON.stringify({ type: 'Point', data: { time, value, tags: null }, metric: m.id }),
    );
  }
  writeFileSync(jsonOut, `${jsonLines.join('\n')}\n`);
};

const finish = (code) => {
  if (recording.summary && flags.summaryExport) {
    const summary = structuredClone(recording.summary);
    // Stopped early: the summary counts what ran until now.
    if (index < recording.frames.length - 1) {
      const reading = Object.fromEntries(
        frame().metrics.data.map((m) => [m.id, m.attributes.sample]),
      );
      // Submetrics and trends the REST API reading lacks shrink with the requests made so far.
      const share =
        (reading.http_reqs?.count ?? 0) / (summary.metrics.http_reqs?.count || Infinity);
      for (const [id, values] of Object.entries(summary.metrics))
        if (reading[id]?.count !== undefined) values.count = reading[id].count;
        else if (values.count !== undefined && values.avg !== undefined)
          values.count = Math.round(values.count * share);
      summary.state.testRunDurationMs = (index + 1) * frameMs;
    }
    writeFileSync(flags.summaryExport, JSON.stringify(summary, null, 2));
  }
  for (const line of recording.stderr) process.stderr.write(`${line}\n`);
  server?.close();
  process.exit(code);
};

let server;
if (flags.address) {
  const [host, port] = flags.address.split(':');
  server = createServer((req, res) => {
    const send = (body) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/v1/status' && req.method === 'GET') return send(frame().status);
    if (req.url === '/v1/metrics' && req.method === 'GET') return send(frame().metrics);
    if (req.url === '/v1/status' && req.method === 'PATCH') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const stopped = JSON.parse(body || '{}')?.data?.attributes?.stopped === true;
        send({
          data: {
            ...frame().status.data,
            attributes: { ...frame().status.data.attributes, stopped },
          },
        });
        if (stopped && !recording.ignoreSignals) setTimeout(() => finish(103), 20);
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ status: '404', title: 'not found' }] }));
  });
  server.on('error', (err) => {
    process.stderr.write(
      `time="2026-11-27T06:00:00Z" level=error msg="could not start the REST API: ${err.message}"\n`,
    );
    process.exit(106);
  });
  server.listen(Number(port), host);
}

process.on('SIGINT', () => {
  if (recording.ignoreSignals) return;
  if (stopping) process.exit(105);
  stopping = true;
  process.stderr.write(
    'time="2026-11-27T06:00:30Z" level=warning msg="Stopping k6 in response to signal..."\n',
  );
  finish(105);
});
process.on('SIGTERM', () => {
  if (recording.ignoreSignals) return;
  finish(105);
});

recordPoints();
const tick = setInterval(() => {
  if (index < recording.frames.length - 1) {
    index++;
    recordPoints();
    return;
  }
  if (recording.loopLastFrame) return;
  clearInterval(tick);
  finish(recording.exitCode);
}, frameMs);

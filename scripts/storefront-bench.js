#!/usr/bin/env node
// The sandbox storefront's capacity on loopback, with the load generated in a separate
// process so the server has this one to itself:
//   - sustained request rate of mixed API requests (catalog pages, search, product pages,
//     model metadata, add to cart) from 64 clients for 10 s, with p50/p95 latency; each
//     answer includes the simulated web tier's response time, as a load test sees it;
//   - GLB throughput: 4 clients downloading full-detail models (1-50 MB) for 10 s, MB/s.
// Bounded in count and time; 127.0.0.1 only.
// Run alone: node scripts/storefront-bench.js. `npm run bench` runs it with the rest.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startSandbox } from '@ballast/sandbox';

const exec = promisify(execFile);

/** argv: base URL, mode (api|glb), seconds, clients, most requests. Prints one JSON line. */
const CLIENT = `
const [base, mode, seconds, clients, most] = process.argv.slice(1);
const deadline = performance.now() + Number(seconds) * 1000;
const products = (await (await fetch(base + '/api/products')).json()).products;
const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];
const words = ['walnut', 'oak table', 'lamp', 'velvet sofa', 'rug', 'mirror'];
const api = [
  () => fetch(base + '/api/catalog?page=' + (1 + Math.floor(Math.random() * 3))),
  () => fetch(base + '/api/catalog?category=' + pick(products).category),
  () => fetch(base + '/api/search?q=' + encodeURIComponent(pick(words))),
  () => fetch(base + '/api/products/' + pick(products).id),
  () => fetch(base + '/api/models/' + pick(products).modelId),
  () => fetch(base + '/api/cart', { method: 'POST', body: JSON.stringify({ productId: pick(products).id }) }),
];
const glbUrl = async () => {
  const model = await (await fetch(base + '/api/models/' + pick(products).modelId)).json();
  return base.replace(/\\/store$/, '') + model.lods[0].url;
};
let sent = 0, failed = 0, bytes = 0;
const latencies = [];
const started = performance.now();
await Promise.all(Array.from({ length: Number(clients) }, async () => {
  while (performance.now() < deadline && sent < Number(most)) {
    sent++;
    const request = mode === 'glb' ? fetch(await glbUrl()) : pick(api)();
    const t0 = performance.now();
    const res = await request;
    const body = await res.arrayBuffer();
    latencies.push(performance.now() - t0);
    if (res.status >= 400) failed++;
    else bytes += body.byteLength;
  }
}));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
console.log(JSON.stringify({ requests: latencies.length, failed, bytes, elapsed, p50: q(0.5), p95: q(0.95) }));
`;

async function client(base, mode, seconds, clients, most) {
  const { stdout } = await exec(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      CLIENT,
      base,
      mode,
      String(seconds),
      String(clients),
      String(most),
    ],
    { timeout: (seconds + 60) * 1000, maxBuffer: 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').pop());
}

const cpuPercent = (used, seconds) =>
  (((used.user + used.system) / 1e6 / seconds) * 100).toFixed(0);

/** Measures the storefront of a fresh sandbox; `report(name, value, target, ok)` per figure. */
export async function benchStorefront(report) {
  const sandbox = await startSandbox({
    port: 0,
    host: '127.0.0.1',
    backfillDays: 0.05,
    coarseBackfillDays: 0,
  });
  try {
    const base = `${sandbox.url}/store`;
    // Each answer waits for the simulated response time (~100 ms), so the rate is bounded
    // by clients / latency until the server itself saturates: 256 clients find that limit.
    for (const clients of [64, 256]) {
      const cpu = process.cpuUsage();
      const api = await client(base, 'api', 10, clients, 200_000);
      const used = process.cpuUsage(cpu);
      report(
        `storefront: mixed API requests, ${clients} clients, 10 s`,
        `${(api.requests / api.elapsed).toFixed(0)} req/s`,
        `(p50 ${api.p50.toFixed(0)} ms, p95 ${api.p95.toFixed(0)} ms incl. simulated latency; ${api.failed} of ${api.requests} 4xx/5xx; sandbox CPU ${cpuPercent(used, api.elapsed)}% of a core)`,
        api.requests > 0,
      );
    }
    const cpu = process.cpuUsage();
    const glb = await client(base, 'glb', 10, 4, 2_000);
    const used = process.cpuUsage(cpu);
    report(
      'storefront: GLB download throughput, 4 clients, 10 s',
      `${(glb.bytes / 1e6 / glb.elapsed).toFixed(0)} MB/s`,
      `(${glb.requests} full-detail models, ${(glb.bytes / 1e9).toFixed(2)} GB; ${glb.failed} failed; sandbox CPU ${cpuPercent(used, glb.elapsed)}% of a core)`,
      glb.bytes > 0,
    );
  } finally {
    await sandbox.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await benchStorefront((name, value, target) => console.log(`  ${name}: ${value} ${target}`));
}

#!/usr/bin/env node
// The k6 runner's own cost while k6 runs: CPU time of this (the Ballast) process over a
// 30-second run of the stand-in k6 (collectors' testing/fake-k6.mjs, replaying a recorded
// run), with the REST API polled once a second as `ballast loadtest run` does. k6's own CPU
// is not counted: it is another process. Alone: node scripts/loadtest-runner-bench.js
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findK6, startK6Run } from '@ballast/collectors';
import { fakeK6Path } from '@ballast/collectors/testing';

export async function benchLoadTestRunner(report, seconds = 30) {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-runner-bench-'));
  try {
    const script = join(dir, 'script.js');
    writeFileSync(script, 'export default function () {}\n');
    // six recorded readings spread over the run
    const env = { ...process.env, FAKE_K6_FRAME_MS: String((seconds * 1000) / 6) };
    const k6 = await findK6({ ...env, K6_BIN: fakeK6Path });
    const run = await startK6Run({
      k6,
      script,
      scriptEnv: { BASE_URL: 'http://127.0.0.1:9/store' },
      workDir: join(dir, 'out'),
      env,
    });
    const result = await run.done;
    const wallMs = result.endedAt - result.startedAt;
    report(
      `k6 runner: CPU of the Ballast process while k6 runs (${(wallMs / 1000).toFixed(0)} s, 1 poll/s)`,
      `${((result.runnerCpuMs / wallMs) * 100).toFixed(2)}%`,
      `of a core (${result.runnerCpuMs.toFixed(0)} ms CPU, ${result.samples.length} readings; < 2%)`,
      result.runnerCpuMs / wallMs < 0.02,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await benchLoadTestRunner((name, value, target) => console.log(`  ${name}: ${value} ${target}`));
}

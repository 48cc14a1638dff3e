// The runner against the stand-in k6 (testing/fake-k6.mjs) in each recorded mode: what it
// reads live, how it ends, the exit code it passes on, and that no k6 is left running.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeK6Path } from '../testing/index.js';
import { findK6, type K6Binary } from './k6.js';
import { startK6Run, type K6ProcessOptions } from './runner.js';

let dir: string;
let script: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-k6-'));
  script = join(dir, 'smoke.js');
  writeFileSync(script, 'export default function () {}\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const until = async (predicate: () => boolean, timeoutMs = 20_000) => {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

const fake = async (
  mode: string,
  extra: Record<string, string> = {},
): Promise<K6ProcessOptions> => {
  const env = {
    ...process.env,
    K6_BIN: fakeK6Path,
    FAKE_K6_MODE: mode,
    FAKE_K6_FRAME_MS: '150',
    FAKE_K6_ARGS_FILE: join(dir, 'args.json'),
    ...extra,
  };
  const k6: K6Binary = await findK6(env);
  return {
    k6,
    script,
    scriptEnv: {
      BASE_URL: 'http://127.0.0.1:4566/store',
      BALLAST_RUN_OPTIONS: join(dir, 'o.json'),
    },
    workDir: join(dir, 'out'),
    env,
    pollMs: 50,
    stopGraceMs: 1500,
  };
};

describe('startK6Run', () => {
  it('given a run that passes, then it streams samples, reads the summary export and ends 0', async () => {
    // readings 0.6 s apart, so a busy machine's polls still see at least three of them
    const run = await startK6Run(await fake('progress', { FAKE_K6_FRAME_MS: '600' }));
    const streamed: number[] = [];
    for await (const sample of run) streamed.push(sample.vus);
    const result = await run.done;

    expect(result).toMatchObject({
      exitCode: 0,
      runnerExitCode: 0,
      status: 'passed',
      killed: false,
    });
    expect(streamed.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...streamed)).toBe(10);
    const last = result.samples.at(-1)!;
    expect(last).toMatchObject({ requests: 1260, failed: 0, failingThresholds: [] });
    expect(last.p95Ms).toBe(130);
    expect(result.summary?.source).toBe('summary-export');
    expect(result.summary?.metrics['http_req_duration{step:checkout}']?.['p(95)']).toBeCloseTo(169);
    expect(result.summary?.thresholds.every((t) => !t.failed)).toBe(true);
    // what k6 was asked to do
    const started = JSON.parse(readFileSync(join(dir, 'args.json'), 'utf8')) as {
      args: string[];
      flags: { address: string; env: Record<string, string>; out: string };
    };
    expect(started.flags.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(started.flags.env.BASE_URL).toBe('http://127.0.0.1:4566/store');
    expect(started.flags.out).toBe(`json=${join(dir, 'out', 'k6-output.json')}`);
    expect(readFileSync(join(dir, 'out', 'k6-output.json'), 'utf8')).toMatch(/"type":"Point"/);
    expect(alive(run.pid)).toBe(false);
  });

  it('given thresholds that fail, then the status is thresholds-failed and the exit code 99', async () => {
    const run = await startK6Run(await fake('thresholds-failed'));
    const result = await run.done;
    expect(result).toMatchObject({ exitCode: 99, runnerExitCode: 99, status: 'thresholds-failed' });
    expect(result.samples.some((s) => s.failingThresholds.includes('http_req_duration'))).toBe(
      true,
    );
    expect(result.summary?.thresholds.filter((t) => t.failed).map((t) => t.metric)).toEqual([
      'http_req_duration',
      'http_req_duration{step:checkout}',
    ]);
  });

  it('given an abortOnFail threshold that breaks, then k6 ends early with 99 and says why', async () => {
    const result = await (await startK6Run(await fake('abort'))).done;
    expect(result.status).toBe('thresholds-failed');
    expect(result.exitCode).toBe(99);
    expect(result.outputTail.join('\n')).toMatch(/abortOnFail enabled, stopping test prematurely/);
    expect(Math.max(...result.samples.map((s) => s.errorRate ?? 0))).toBeGreaterThan(0.1);
  });

  it('given k6 crashes, then the run failed with its exit code, and the last reading stands in for the summary', async () => {
    const result = await (await startK6Run(await fake('crash'))).done;
    expect(result).toMatchObject({ exitCode: 2, status: 'failed' });
    expect(result.summary?.source).toBe('rest-api');
    expect(result.outputTail.join('\n')).toMatch(/panic: runtime error/);
  });

  it('given a stop while it runs, then k6 stops through its REST API and the partial result is kept', async () => {
    const run = await startK6Run(await fake('progress', { FAKE_K6_FRAME_MS: '1000' }));
    await until(() => run.samples.length >= 2);
    const result = await run.stop('Ctrl-C');
    expect(result).toMatchObject({
      status: 'stopped',
      stopRequested: true,
      exitCode: 103,
      killed: false,
    });
    expect(result.summary?.source).toBe('summary-export');
    expect(result.summary?.metrics.http_reqs?.count).toBeLessThan(1260);
    expect(alive(run.pid)).toBe(false);
  });

  it('given a k6 that ignores the stop and SIGINT, then it is killed after the grace and nothing is left', async () => {
    const run = await startK6Run(await fake('hang'));
    await until(() => run.samples.length >= 1);
    const result = await run.stop();
    expect(result).toMatchObject({
      status: 'stopped',
      killed: true,
      exitCode: null,
      signal: 'SIGKILL',
    });
    expect(result.runnerExitCode).toBe(137);
    expect(result.summary?.source).toBe('rest-api');
    expect(alive(run.pid)).toBe(false);
  });

  it('given a run past its deadline, then it is stopped', async () => {
    const run = await startK6Run({ ...(await fake('hang')), deadlineMs: 500 });
    const result = await run.done;
    expect(result.stopReason).toMatch(/deadline/);
    expect(alive(run.pid)).toBe(false);
  });

  it('given the runner process is killed with SIGKILL, then its k6 does not outlive it', async () => {
    const options = await fake('hang');
    // a runner in a process of its own (on the built collectors), printing k6's pid
    const child = fileURLToPath(new URL('../../test/k6-runner-child.mjs', import.meta.url));
    const runner = spawn(
      process.execPath,
      [child, JSON.stringify({ ...options, env: undefined })],
      {
        env: options.env,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    runner.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await until(() => /\d+\n/.test(out), 45_000);
    const k6Pid = Number(out.trim());
    expect(alive(k6Pid)).toBe(true);

    runner.kill('SIGKILL');
    // the watchdog sends SIGINT (ignored by this k6), then SIGKILL after the grace
    await until(() => !alive(k6Pid), 20_000);
    expect(alive(k6Pid)).toBe(false);
  }, 90_000);
});

describe('findK6', () => {
  it.each([
    ['old', { major: 0, minor: 47, patch: 0, text: 'v0.47.0' }],
    ['new', { major: 1, minor: 3, patch: 0, text: 'v1.3.0' }],
  ])('given k6 %s, then its version is read', async (version, expected) => {
    const k6 = await findK6({
      K6_BIN: fakeK6Path,
      FAKE_K6_VERSION: version,
      PATH: process.env.PATH,
    });
    expect(k6.version).toEqual(expected);
    expect(k6.from).toBe('K6_BIN');
  });

  it('given no k6 anywhere, then the error says how to install it', async () => {
    await expect(findK6({ PATH: dir })).rejects.toMatchObject({
      code: 'K6NotFound',
      message: expect.stringMatching(/k6 is not installed/),
      actions: expect.arrayContaining([
        expect.stringMatching(/brew install k6/),
        expect.stringMatching(/apt-get install k6/),
        expect.stringMatching(/docker pull grafana\/k6/),
        expect.stringMatching(/github.com\/grafana\/k6\/releases/),
      ]),
    });
    await expect(findK6({ K6_BIN: join(dir, 'nope') })).rejects.toMatchObject({
      code: 'K6NotRunnable',
    });
  });
});

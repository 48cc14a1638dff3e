// A distributed run read back from the cluster, against the stand-in kubectl
// (testing/fake-kubectl.mjs) replaying a recorded k6-operator: the TestRun's stages, its
// runner pods and their logs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '@ballast/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeKubectlPath } from '../testing/index.js';
import { runDistributedLoadTest, summaryFromLog } from './distributed.js';

interface Recording {
  testRuns: { status?: { stage?: string; conditions?: { message?: string }[] } }[];
  pods: string[];
  logs: Record<string, string>;
}
const finished = JSON.parse(
  readFileSync(new URL('./testing/fixtures/operator-finished.json', import.meta.url), 'utf8'),
) as Recording;
const NAME = 'ballast-black-friday-20261201054900';
const [POD1, POD2] = finished.pods as [string, string];

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-distributed-'));
  store = openStore(join(dir, 'state'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (recording: Recording, env: Record<string, string> = {}) => {
  writeFileSync(join(dir, 'recording.json'), JSON.stringify(recording));
  let clock = Date.parse('2026-12-01T05:49:00Z');
  return runDistributedLoadTest({
    store,
    context: 'sandbox',
    scenario: 'black-friday',
    target: 'https://shop.example.com',
    name: NAME,
    namespace: 'load',
    parallelism: 2,
    runOptions: {},
    apply: async () => {},
    env: {
      ...process.env,
      KUBECTL: fakeKubectlPath,
      FAKE_KUBECTL_RECORDING: join(dir, 'recording.json'),
      FAKE_KUBECTL_CALLS: join(dir, 'calls.jsonl'),
      ...env,
    },
    pollMs: 1,
    deadlineMs: 60 * 60_000,
    now: () => (clock += 1000),
    random: () => 0.5,
  });
};
const calls = () =>
  readFileSync(join(dir, 'calls.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as string[]);

describe('a distributed run', () => {
  it('given a TestRun that finishes, then it records the pods’ merged summary: sums, the worst pod’s percentiles, any failed threshold', async () => {
    const result = await run(finished);

    expect(result).toMatchObject({ stage: 'finished', ended: 'finished', exitCode: 99 });
    expect(result.pods).toEqual([POD1, POD2]);
    expect(calls()).toContainEqual([
      'get',
      'pods',
      '-l',
      `k6_cr=${NAME},runner=true`,
      '-n',
      'load',
      '-o',
      'json',
    ]);
    const stored = store.loadTests.get(result.run.id)!;
    expect(store.loadTests.list().map((r) => r.id)).toEqual([result.run.id]);
    expect(stored).toMatchObject({ status: 'thresholds-failed', exitCode: 99 });
    const m = stored.summary!.metrics;
    expect(m.http_reqs!.count).toBe(298_000);
    expect(m.http_req_failed!.passes).toBe(590);
    expect(m.http_req_failed!.rate).toBeCloseTo(590 / 298_000, 9);
    expect(m.http_req_duration!['p(95)']).toBe(310.25);
    expect(m.http_req_duration!.avg).toBeCloseTo((98.2 * 150_000 + 104.6 * 148_000) / 298_000, 6);
    expect(m.http_req_duration!.min).toBe(3.1);
    expect(m.vus!.max).toBe(1210);
    expect(stored.summary!.durationMs).toBe(960_350.5);
    expect(stored.summary!.thresholds).toContainEqual({
      metric: 'http_req_duration{step:checkout}',
      expression: 'p(95)<500',
      failed: true,
    });
    expect(stored.summary!.source).toBe('runner-pods');
    expect(stored.summary!.note).toMatch(/2 of 2 k6 runner pods.*worst pod/);
  });

  it('given a TestRun that ends in error, then the run is recorded as failed with the cluster’s reason', async () => {
    const error = structuredClone(finished);
    error.testRuns[error.testRuns.length - 1] = {
      status: { stage: 'error', conditions: [{ message: 'initializer pod failed: bad script' }] },
    };
    const result = await run(error);

    expect(result).toMatchObject({ ended: 'error', exitCode: 1 });
    expect(store.loadTests.get(result.run.id)).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/ended in error: initializer pod failed: bad script/),
    });
  });

  it('given a pod whose log has no summary, then the others’ are recorded and the note names it', async () => {
    const partial = structuredClone(finished);
    partial.logs[POD2] = 'level=error msg="context deadline exceeded"\n';
    const result = await run(partial);

    expect(result.missing).toEqual([POD2]);
    const stored = store.loadTests.get(result.run.id)!;
    expect(stored.status).toBe('passed');
    expect(stored.summary!.metrics.http_reqs!.count).toBe(150_000);
    expect(stored.summary!.note).toMatch(new RegExp(`1 of 2 .*No summary in the log of ${POD2}`));
  });

  it('given no kubectl, then it says how to get it and records the run as failed', async () => {
    await expect(run(finished, { KUBECTL: join(dir, 'no-kubectl') })).rejects.toMatchObject({
      code: 'KubectlNotFound',
    });
    expect(store.loadTests.list()).toMatchObject([{ status: 'failed' }]);
  });

  it('given another test running on the platform, then it is refused before anything is applied', async () => {
    await run(finished);
    store.loadTests.begin(
      {
        id: 'lt-held',
        context: 'sandbox',
        scenario: 'smoke',
        target: 'http://127.0.0.1:4566/store',
        tiers: [],
        options: {},
        startedAt: Date.parse('2026-12-01T06:30:00Z'),
        holder: 'ops@elsewhere',
        pid: process.pid,
      },
      () => false,
    );
    await expect(run(finished)).rejects.toMatchObject({ code: 'LoadTestRunning' });
  });

  it('reads the marked line wherever the log puts it, and nothing from a log without one', () => {
    expect(summaryFromLog(finished.logs[POD1]!)?.metrics.http_reqs).toEqual({
      count: 150_000,
      rate: expect.any(Number),
    });
    expect(summaryFromLog('BALLAST-SUMMARY {not json\n')).toBeUndefined();
    expect(summaryFromLog('no marker here')).toBeUndefined();
  });
});

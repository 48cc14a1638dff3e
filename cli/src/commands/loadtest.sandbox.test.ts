// `ballast loadtest` through the harness against a sandbox, with K6_BIN pointing at the
// stand-in k6 (collectors' testing/fake-k6.mjs): the contract lines of the feature, the
// refusals, and that a refused run sends nothing and records nothing.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fakeK6Path, fakeKubectlPath } from '@ballast/collectors/testing';
import { openStore, referencePlatformConfigPath, ballastPaths, localUser } from '@ballast/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeStdin } from '../testing/changes.js';
import { parseEnvelope, runCommand } from '../testing/harness.js';
import { useSandboxContext } from '../testing/sandbox.js';
import ContextAdd from './context/add.js';
import LoadtestList, { type LoadtestListResult } from './loadtest/list.js';
import LoadtestPlan, { type LoadtestPlanResult } from './loadtest/plan.js';
import LoadtestReport, { type LoadtestReportResult } from './loadtest/report.js';
import LoadtestRun, { type LoadtestRunResult } from './loadtest/run.js';
import LoadtestShow, { type LoadtestShowResult } from './loadtest/show.js';

const sandbox = useSandboxContext();
const target = () => `${sandbox.url}/store`;
let restoreStdin: (() => void) | undefined;
beforeEach(() => {
  Object.assign(process.env, { K6_BIN: fakeK6Path, FAKE_K6_FRAME_MS: '100' });
  delete process.env.FAKE_K6_MODE;
  restoreStdin = fakeStdin({ tty: false });
});
afterEach(() => {
  restoreStdin?.();
  for (const k of ['K6_BIN', 'FAKE_K6_FRAME_MS', 'FAKE_K6_MODE']) delete process.env[k];
});

const recordedRuns = () => {
  const store = openStore(ballastPaths().stateDir);
  try {
    return store.loadTests.list();
  } finally {
    store.close();
  }
};

describe('ballast loadtest (contract lines)', () => {
  it('list --json: the scenarios, and no runs yet', async () => {
    const { stdout } = await runCommand(LoadtestList, ['--json']);
    expect(parseEnvelope<LoadtestListResult>(stdout)).toMatchObject({
      status: 0,
      result: { scenarios: ['smoke', 'black-friday', 'spike', 'soak', 'stress'], runs: [] },
    });
  });

  it('plan black-friday --scale 0.01 --json: what it sends, costs and the checks, all passing', async () => {
    const { stdout } = await runCommand(LoadtestPlan, [
      'black-friday',
      '--target',
      target(),
      '--scale',
      '0.01',
      '--json',
    ]);
    const plan = parseEnvelope<LoadtestPlanResult>(stdout);
    if (!('result' in plan)) throw new Error(stdout);
    expect(plan.result.estimate.requests).toBeGreaterThan(0);
    expect(plan.result.estimate.peakVus).toBeLessThanOrEqual(30);
    expect(plan.result.cost.lines.map((l) => l.item)).toEqual([
      'cloudfront-egress',
      'cloudfront-requests',
      'alb-lcu',
      'extra-instances',
    ]);
    // the web group's extra instances from the what-if model of `ballast scaling plan`
    const extra = plan.result.cost.lines.find((l) => l.item === 'extra-instances')!;
    expect(extra.basis).toMatch(
      /store-web: the what-if replay of the group's last \d+ recorded minutes/,
    );
    expect(extra.quantity).toBeGreaterThanOrEqual(0);
    expect(plan.result.cost.notes.join(' ')).not.toMatch(/instance-hours .* not included/);
    expect(plan.result.checks.map((c) => [c.id, c.ok])).toEqual([
      ['k6', true],
      ['target', true],
      ['production', true],
      ['limits', true],
      ['running', true],
    ]);
    expect(plan.result.k6?.version.text).toBe('v1.3.0');
  });

  it('run smoke --duration 20s --yes with K6_BIN at the stand-in: it runs, records, and report reads it back', async () => {
    // readings three seconds apart over 18 s, so the runner's once-a-second polls see the
    // run progress even on a busy machine (6 s was too short at a load average of 10)
    process.env.FAKE_K6_FRAME_MS = '3000';
    const { result, error, stdout } = await runCommand<LoadtestRunResult>(LoadtestRun, [
      'smoke',
      '--target',
      target(),
      '--duration',
      '20s',
      '--yes',
    ]);
    expect(error).toBeUndefined();
    expect(result?.run).toMatchObject({
      scenario: 'smoke',
      status: 'passed',
      exitCode: 0,
      k6Version: '1.3.0',
    });
    expect(result?.plan.profile.stages.reduce((s, x) => s + x.duration, 0)).toBe(20);
    // plain lines through a pipe, then the outcome
    expect(stdout).toMatch(/vus=\d+ +rate=/);
    expect(stdout).toMatch(/passed · k6 exit 0 \(passed\)/);
    const id = result!.run!.id;

    const report = await runCommand(LoadtestReport, [id, '--json']);
    const body = parseEnvelope<LoadtestReportResult>(report.stdout);
    if (!('result' in body)) throw new Error(report.stdout);
    expect(body.result.steps).toHaveLength(9);
    expect(body.result.samples.length).toBeGreaterThan(0);
    expect(
      body.result.platform.signals.some((s) => s.tier === 'web' && s.signal === 'latency'),
    ).toBe(true);

    const show = await runCommand<LoadtestShowResult>(LoadtestShow, [id]);
    expect(show.result?.run.id).toBe(id);
    expect(show.stdout).toMatch(/checkout/);
  }, 120_000);

  it('run --distributed 4 --dry-run --out: writes the TestRun and ConfigMap, sends nothing', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ballast-k8s-'));
    const { result, error } = await runCommand<LoadtestRunResult>(LoadtestRun, [
      'black-friday',
      '--target',
      'https://shop.example.com',
      '--distributed',
      '4',
      '--dry-run',
      '--out',
      out,
    ]);
    expect(error).toBeUndefined();
    expect(result?.distributed).toMatchObject({ parallelism: 4, applied: false });
    expect(readFileSync(join(out, 'testrun.yaml'), 'utf8')).toMatch(/parallelism: 4/);
    expect(existsSync(join(out, 'configmap.yaml'))).toBe(true);
    expect(recordedRuns()).toEqual([]);
  });

  it('run --distributed 2 --apply: records the run and the runner pods’ merged result, which report reads', async () => {
    const recording = JSON.parse(
      readFileSync(join(dirname(fakeKubectlPath), 'fixtures/operator-finished.json'), 'utf8'),
    ) as { testRuns: unknown[] };
    const dir = mkdtempSync(join(tmpdir(), 'ballast-k8s-'));
    writeFileSync(
      join(dir, 'recording.json'),
      JSON.stringify({ ...recording, testRuns: recording.testRuns.slice(-1) }),
    );
    Object.assign(process.env, {
      KUBECTL: fakeKubectlPath,
      FAKE_KUBECTL_RECORDING: join(dir, 'recording.json'),
    });
    try {
      const { error } = await runCommand<LoadtestRunResult>(LoadtestRun, [
        'black-friday',
        '--target',
        'https://shop.example.com',
        '--scale',
        '0.01',
        '--distributed',
        '2',
        '--out',
        join(dir, 'k8s'),
        '--apply',
        '--yes',
      ]);
      expect(error).toMatchObject({ code: 'ThresholdsFailed', exitCode: 99 });
      const [run] = recordedRuns();
      expect(run).toMatchObject({ status: 'thresholds-failed', scenario: 'black-friday' });
      const { stdout } = await runCommand(LoadtestReport, [run!.id, '--json']);
      const body = parseEnvelope<LoadtestReportResult>(stdout);
      if (!('result' in body)) throw new Error(stdout);
      expect(body.result.overall.requests).toBe(298_000);
      expect(body.result.run.summary?.note).toMatch(/worst pod/);
    } finally {
      delete process.env.KUBECTL;
      delete process.env.FAKE_KUBECTL_RECORDING;
    }
  }, 60_000);
});

describe('ballast loadtest run: exit codes and refusals', () => {
  it('given thresholds that fail, then it exits 99 like k6, with the run recorded', async () => {
    process.env.FAKE_K6_MODE = 'thresholds-failed';
    const { error } = await runCommand(LoadtestRun, ['smoke', '--target', target(), '--yes']);
    expect(error).toMatchObject({ code: 'ThresholdsFailed', exitCode: 99 });
    expect(recordedRuns()[0]).toMatchObject({ status: 'thresholds-failed', exitCode: 99 });
  }, 60_000);

  it('given no terminal and no --yes, then it refuses and runs nothing', async () => {
    const { error } = await runCommand(LoadtestRun, ['smoke', '--target', target()]);
    expect(error).toMatchObject({ code: 'ConfirmationRequired', exitCode: 1 });
    expect(recordedRuns()).toEqual([]);
  });

  it('given no k6, then it says how to install it and exits 1', async () => {
    delete process.env.K6_BIN;
    process.env.PATH = `${tmpdir()}/no-k6-here`;
    try {
      const { error } = await runCommand(LoadtestRun, ['smoke', '--target', target(), '--yes']);
      expect(error).toMatchObject({ code: 'K6NotFound', exitCode: 1 });
      expect(error?.actions.join('\n')).toMatch(/brew install k6[\s\S]*docker pull grafana\/k6/);
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it('given a test above the limits, then it needs --force', async () => {
    const { error } = await runCommand(LoadtestRun, [
      'black-friday',
      '--target',
      target(),
      '--yes',
    ]);
    expect(error).toMatchObject({ code: 'LoadTestRefused', exitCode: 1 });
    expect(error?.message).toMatch(/Larger than the load-test limits .*\(override: --force\)/s);
    expect(error?.actions).toContain('If you are sure, run it again with --force');
    expect(recordedRuns()).toEqual([]);
  });

  it('given a production platform and a target that is not loopback, then it needs --i-know-this-is-production', async () => {
    const config = join(mkdtempSync(join(tmpdir(), 'ballast-prod-')), 'prod.yaml');
    writeFileSync(
      config,
      readFileSync(referencePlatformConfigPath, 'utf8').replace(
        'environment: sandbox',
        'environment: production',
      ),
    );
    await runCommand(ContextAdd, [
      'prod',
      '--region',
      'us-east-1',
      '--platform-config',
      config,
      '--endpoint-url',
      sandbox.url,
    ]);
    const { error } = await runCommand(LoadtestRun, [
      'smoke',
      '--context',
      'prod',
      '--target',
      'https://shop.example.com',
      '--distributed',
      '2',
      '--out',
      mkdtempSync(join(tmpdir(), 'ballast-k8s-')),
      '--apply',
      '--yes',
    ]);
    expect(error).toMatchObject({ code: 'LoadTestRefused' });
    expect(error?.message).toMatch(/is production .*\(override: --i-know-this-is-production\)/s);
  });

  it('given a load test running on the platform, then a second one is refused', async () => {
    const store = openStore(ballastPaths().stateDir);
    store.loadTests.begin(
      {
        id: 'lt-running',
        context: 'sandbox',
        scenario: 'soak',
        target: target(),
        tiers: [],
        options: {},
        startedAt: Date.now(),
        holder: `${localUser()}@${hostname()}`,
        pid: process.pid,
      },
      () => false,
    );
    store.close();
    const { error } = await runCommand(LoadtestRun, ['smoke', '--target', target(), '--yes']);
    expect(error).toMatchObject({ code: 'LoadTestRunning', exitCode: 1 });
    expect(error?.message).toMatch(/Load test lt-running \(soak\) is running on sandbox/);
  });
});

const savedPath = process.env.PATH;

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as collectors from '@ballast/collectors';
import { silentEndpoint } from '@ballast/collectors/testing';
import { PlatformHealthSchema, referencePlatformConfigPath } from '@ballast/core';
import { describe, expect, it, vi } from 'vitest';
import type { JsonFailure, JsonSuccess } from '../base-command.js';
import { stripAnsi, visibleWidth } from '../output/text.js';
import {
  closedPort,
  fakeTerminal,
  parseEnvelope,
  runCommand,
  startCommand,
  waitFor,
} from '../testing/harness.js';
import { setFaults, useSandboxContext } from '../testing/sandbox.js';
import ContextAdd from './context/add.js';
import Health, { type HealthResult } from './health.js';

// The real collectors, watched: which session each collection was given.
vi.mock('@ballast/collectors', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@ballast/collectors')>();
  return {
    ...actual,
    collectHealth: vi.fn(actual.collectHealth),
    createCollectorSession: vi.fn(actual.createCollectorSession),
  };
});

const sandbox = useSandboxContext();

/**
 * Runs `health --watch` with stdout looking like a terminal of `size` until `enough` holds
 * for what it printed, then stops it with Ctrl-C. The command reads the terminal's size when
 * it starts, after a few awaits, so the fake terminal stays until it is done.
 */
async function watchOnTerminal(
  size: { columns: number; rows: number },
  argv: string[],
  enough: (stdout: string) => boolean,
) {
  const restore = fakeTerminal(size);
  const run = startCommand<HealthResult>(Health, ['--watch', ...argv]);
  try {
    await waitFor(() => enough(run.stdout()), 20_000);
  } finally {
    process.emit('SIGINT');
    await run.done;
    restore();
  }
  return run.done;
}

describe('health (human)', () => {
  it('reports every tier of the sandbox platform, with signals, sparklines and where the data came from', async () => {
    const { result, stdout, error } = await runCommand<HealthResult>(Health, []);
    expect(error).toBeUndefined();
    expect(result?.context).toBe('sandbox');
    expect(result?.tiers.map((t) => t.tier)).toEqual(['edge', 'web', 'workers', 'data']);
    const web = result?.tiers.find((t) => t.tier === 'web');
    expect(web?.signals.find((s) => s.signal === 'traffic')?.current).toBeGreaterThan(0);
    expect(result?.sources.every((s) => s.ok)).toBe(true);

    expect(stdout).toMatch(/^3d-store {2}(● OK|▲ DEGRADED|✖ CRITICAL|\? UNKNOWN)/);
    for (const tier of ['edge', 'web', 'workers', 'data'])
      expect(stdout).toMatch(
        new RegExp(`^(● OK|▲ DEGRADED|✖ CRITICAL|\\? UNKNOWN) {2}${tier} `, 'm'),
      );
    expect(stdout).toMatch(/[▁▂▃▄▅▆▇█]{5,}/);
    expect(stdout).toContain(`context sandbox · us-east-1 · ${sandbox.url}`);
    expect(stdout).not.toContain('\u001b['); // NO_COLOR, and not a TTY
    for (const line of stdout.split('\n')) expect(visibleWidth(line)).toBeLessThanOrEqual(100);
  });

  it('with --tier, then only that tier is read and shown', async () => {
    const { result, stdout } = await runCommand<HealthResult>(Health, [
      '--tier',
      'web',
      '--since',
      '30m',
    ]);
    expect(result?.tiers.map((t) => t.tier)).toEqual(['web']);
    expect(result && result.window.end - result.window.start).toBe(30 * 60_000);
    expect(stdout).toContain('last 30m');
    expect(stdout).not.toMatch(/ {2}edge /);
  });

  it('with --watch through a pipe, then it prints successive reports until Ctrl-C', async () => {
    const run = startCommand<HealthResult>(Health, ['--watch', '--interval', '1', '--tier', 'web']);
    await waitFor(() => (run.stdout().match(/Refreshing every 1s/g) ?? []).length >= 2, 15_000);
    process.emit('SIGINT');
    const { result, error, stdout } = await run.done;
    expect(error).toBeUndefined();
    expect(result?.tiers.map((t) => t.tier)).toEqual(['web']);
    expect(stdout).not.toContain('\u001b[2J'); // no screen clearing when stdout is not a terminal
  }, 20_000);

  it.each([
    { columns: 80, rows: 24 },
    { columns: 120, rows: 40 },
  ])(
    'with --watch on a $columns x $rows terminal, then each screen fits it: verdict first, every tier, status last',
    async (size) => {
      const { stdout, error } = await watchOnTerminal(size, ['--interval', '1'], (out) => {
        return (out.match(/Refreshing every 1s/g) ?? []).length >= 2;
      });
      expect(error).toBeUndefined();
      const frames = stdout.split('\u001b[H\u001b[2J\u001b[3J').filter(Boolean);
      expect(frames.length).toBeGreaterThanOrEqual(2);
      for (const frame of frames) {
        const lines = frame.replace(/\n$/, '').split('\n');
        // One line short of the screen: the cursor sits on the line after the last one.
        expect(lines.length).toBeLessThanOrEqual(size.rows - 1);
        for (const line of lines)
          expect(visibleWidth(line)).toBeLessThanOrEqual(Math.min(size.columns, 100));
        expect(stripAnsi(lines[0] ?? '')).toMatch(
          /^3d-store {2}(● OK|▲ DEGRADED|✖ CRITICAL|\? UNKNOWN) {2}(no alarms firing|\d+ alarms? firing)/,
        );
        for (const tier of ['edge', 'web', 'workers', 'data'])
          expect(frame).toMatch(new RegExp(`^(. [A-Z]+ {2}|. )${tier} `, 'm'));
        expect(lines.at(-1)).toMatch(/^Refreshing every 1s · Ctrl-C to stop/);
      }
    },
    30_000,
  );

  it('with --watch on a terminal, when the report fits the screen, then it is the full report', async () => {
    const { stdout } = await watchOnTerminal(
      { columns: 100, rows: 200 },
      ['--interval', '60', '--tier', 'web'],
      (out) => out.includes('Refreshing every 60s'),
    );
    expect(stdout).toContain('\u001b[2J'); // a terminal: redrawn in place
    expect(stdout).toMatch(/signal +measured as +now +SLO degr \/ crit +last 1h/);
    expect(stdout).not.toContain('compact (full report');
  }, 20_000);

  it('given DescribeAlarms is denied, then the headline says alarms are unknown and why, not "no alarms firing"', async () => {
    await setFaults(sandbox, [
      { service: 'cloudwatch', operation: 'DescribeAlarms', kind: 'access-denied', rate: 1 },
    ]);
    const { result, stdout, error } = await runCommand<HealthResult>(Health, ['--tier', 'web']);
    expect(error).toBeUndefined();
    expect(result?.firingAlarms).toBeNull();
    expect(result?.sources.find((s) => s.source === 'cloudwatch-alarms')).toMatchObject({
      ok: false,
      error: { kind: 'access-denied', iamAction: 'cloudwatch:DescribeAlarms' },
    });
    expect(stdout.split('\n')[0]).toMatch(
      /^3d-store {2}. [A-Z]+ {2}alarms unknown: access denied$/,
    );
    expect(stdout).not.toContain('no alarms firing');
    expect(stdout).toContain('› cloudwatch-alarms: access denied — which alarms fire is unknown');
    expect(stdout).toContain('Grant cloudwatch:DescribeAlarms');
  });

  it('with --watch, then every refresh reuses one set of SDK clients', async () => {
    vi.mocked(collectors.collectHealth).mockClear();
    vi.mocked(collectors.createCollectorSession).mockClear();
    const run = startCommand<HealthResult>(Health, ['--watch', '--interval', '1', '--tier', 'web']);
    await waitFor(() => (run.stdout().match(/Refreshing every 1s/g) ?? []).length >= 3, 20_000);
    process.emit('SIGINT');
    await run.done;

    expect(collectors.createCollectorSession).toHaveBeenCalledTimes(1);
    const sessions = vi.mocked(collectors.collectHealth).mock.calls.map(([opts]) => opts.session);
    expect(sessions.length).toBeGreaterThanOrEqual(3);
    expect(new Set(sessions)).toEqual(
      new Set([vi.mocked(collectors.createCollectorSession).mock.results[0]?.value]),
    );
    expect(sessions[0]?.clients.cloudwatch).toBeDefined();
  }, 30_000);

  it('with --watch against an endpoint that never answers, then each refresh ends at --timeout and says so', async () => {
    const silent = await silentEndpoint();
    try {
      const run = startCommand<HealthResult>(Health, [
        '--watch',
        '--interval',
        '1',
        '--timeout',
        '1s',
        '--endpoint-url',
        silent.url,
      ]);
      await waitFor(() => (run.stdout().match(/Refreshing every 1s/g) ?? []).length >= 2, 20_000);
      process.emit('SIGINT');
      const { result, stdout } = await run.done;
      for (const source of result?.sources ?? [])
        expect(source.error).toMatchObject({
          kind: 'unreachable',
          message: expect.stringContaining('(timed out): no answer within 1 s'),
        });
      expect(stdout).toMatch(/endpoint unreachable \(next try in \d+s\) — Cannot reach/);
    } finally {
      await silent.close();
    }
  }, 30_000);

  it('with --watch, when the reader of stdout goes away (EPIPE), then it stops', async () => {
    const run = startCommand<HealthResult>(Health, [
      '--watch',
      '--interval',
      '60',
      '--tier',
      'web',
    ]);
    await waitFor(() => run.stdout().includes('Refreshing every 60s'), 15_000);
    process.stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    const { result, error } = await run.done;
    expect(error).toBeUndefined();
    expect(result?.tiers.map((t) => t.tier)).toEqual(['web']);
  }, 20_000);
});

describe('health (--json)', () => {
  it('prints the report in the success envelope', async () => {
    const { stdout } = await runCommand(Health, ['--json', '--tier', 'data']);
    const envelope = parseEnvelope<HealthResult>(stdout) as JsonSuccess<HealthResult>;
    expect(Object.keys(envelope)).toEqual(['status', 'result', 'warnings']);
    expect(envelope.status).toBe(0);
    expect(envelope.warnings).toEqual([]);
    expect(PlatformHealthSchema.parse(envelope.result).tiers[0]?.tier).toBe('data');
  });

  it('given metrics are throttled after a good run, then the metrics source carries the age of the stored data shown', async () => {
    await runCommand(Health, ['--json', '--tier', 'web']);
    await setFaults(sandbox, [
      { service: 'cloudwatch', operation: 'GetMetricData', kind: 'throttle', rate: 1 },
    ]);
    const { stdout } = await runCommand(Health, ['--json', '--tier', 'web']);
    const envelope = parseEnvelope<HealthResult>(stdout) as JsonSuccess<HealthResult>;
    const health = PlatformHealthSchema.parse(envelope.result);
    const metrics = health.sources.find((s) => s.source === 'cloudwatch-metrics');
    expect(metrics).toMatchObject({ ok: false, error: { kind: 'throttled' } });
    expect(metrics?.fetchedAt).toBeUndefined();
    const newest = Math.max(
      ...health.tiers.flatMap((t) => t.signals.flatMap((s) => s.points.map((p) => p.t))),
    );
    expect(metrics?.dataAsOf).toBe(newest);
    expect(metrics?.ageMs).toBe(health.evaluatedAt - newest);
    expect(health.tiers[0]?.sourceFailures).toEqual([
      { source: 'cloudwatch-metrics', reason: expect.stringMatching(/newest datapoint .* old\)$/) },
    ]);
  }, 30_000);

  it('with --watch, then it prints one envelope per line (NDJSON) until Ctrl-C', async () => {
    const run = startCommand<HealthResult>(Health, [
      '--watch',
      '--json',
      '--interval',
      '1',
      '--tier',
      'edge',
    ]);
    await waitFor(() => run.stdout().split('\n').filter(Boolean).length >= 2, 15_000);
    process.emit('SIGINT');
    const { stdout } = await run.done;
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines)
      expect(JSON.parse(line)).toMatchObject({
        status: 0,
        result: { context: 'sandbox' },
        warnings: [],
      });
  }, 20_000);
});

describe('health (error)', () => {
  it('given an unknown context, then the error envelope says which contexts exist and what to run', async () => {
    process.env.BALLAST_CONTEXT = 'nope';
    const { stdout, error } = await runCommand(Health, ['--json']);
    expect(error?.exitCode).toBe(1);
    const envelope = parseEnvelope(stdout) as JsonFailure;
    expect(envelope).toMatchObject({
      status: 1,
      name: 'UserError',
      code: 'ContextError',
      exitCode: 1,
    });
    expect(envelope.message).toContain(
      'Unknown context "nope" (from BALLAST_CONTEXT). Known contexts: sandbox.',
    );
    expect(envelope.actions).toContain('ballast context list');
  });

  it('given an unreachable sandbox, then it says to start it', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const { error, stderr } = await runCommand(Health, ['--endpoint-url', url, '--tier', 'web']);
    expect(error).toMatchObject({ name: 'UserError', code: 'EndpointUnreachable', exitCode: 1 });
    expect(stderr).toContain('Try this:');
    expect(stderr).toContain('ballast sandbox');
  }, 30_000);

  it('given an endpoint that accepts connections and never answers, then --timeout ends it with the same error as a refused connection (--json)', async () => {
    const silent = await silentEndpoint();
    try {
      const { error, stdout } = await runCommand(Health, [
        '--json',
        '--endpoint-url',
        silent.url,
        '--timeout',
        '1s',
      ]);
      expect(error).toMatchObject({ code: 'EndpointUnreachable', exitCode: 1 });
      expect(parseEnvelope(stdout)).toMatchObject({
        status: 1,
        code: 'EndpointUnreachable',
        message: expect.stringContaining('(timed out): no answer within 1 s'),
        actions: ['Start the sandbox in another terminal: ballast sandbox', expect.any(String)],
      });
    } finally {
      await silent.close();
    }
  }, 30_000);

  it('given a context whose platform config was broken after it was added, then the error names file, line and path', async () => {
    const file = join(process.env.BALLAST_HOME ?? '', 'prod.yaml');
    const reference = readFileSync(referencePlatformConfigPath, 'utf8');
    writeFileSync(file, reference);
    await runCommand(ContextAdd, ['prod', '--region', 'us-east-1', '--platform-config', file]);
    writeFileSync(file, reference.replace('region: us-east-1', 'region: virginia'));
    const { error } = await runCommand(Health, ['--context', 'prod']);
    expect(error).toMatchObject({ code: 'InvalidConfig', exitCode: 1 });
    const line = reference.split('\n').findIndex((l) => l.startsWith('region:')) + 1;
    expect(error?.message).toContain(
      `${file}:${line}: region: expected an AWS region such as us-east-1, got "virginia"`,
    );
  });

  it.each([
    { flags: ['--since', 'soon'], message: 'Invalid duration "soon"' },
    { flags: ['--tier', 'db'], message: 'Unknown tier "db"' },
    { flags: ['--interval', '0'], message: '--interval' },
    { flags: ['--timeout', '0s'], message: 'Parsing --timeout: Invalid duration "0s"' },
    { flags: ['--nope'], message: 'Nonexistent flag: --nope' },
  ])('given $flags, then it is a usage error with exit code 2', async ({ flags, message }) => {
    const { error, stderr } = await runCommand(Health, flags);
    expect(error?.exitCode).toBe(2);
    expect(stderr).toContain(message);
  });
});

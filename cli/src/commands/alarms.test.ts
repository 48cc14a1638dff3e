import { silentEndpoint } from '@ballast/collectors/testing';
import { alarmStanding } from '@ballast/core';
import { describe, expect, it } from 'vitest';
import type { JsonSuccess } from '../base-command.js';
import { visibleWidth } from '../output/text.js';
import { closedPort, parseEnvelope, runCommand } from '../testing/harness.js';
import { setFaults, useSandboxContext } from '../testing/sandbox.js';
import Alarms, { type AlarmsResult } from './alarms.js';

const sandbox = useSandboxContext();

describe('alarms (human)', () => {
  it('lists the alarms of the sandbox, firing first, with a summary line', async () => {
    const { result, stdout, error } = await runCommand<AlarmsResult>(Alarms, []);
    expect(error).toBeUndefined();
    expect(result?.source.ok).toBe(true);
    expect(result?.alarms.length).toBeGreaterThan(0);
    // Target tracking's names are too long for a table at 100 columns: one alarm after the
    // other, each name whole on the line of its state.
    for (const alarm of result?.alarms ?? [])
      expect(stdout).toMatch(new RegExp(`^. [A-Z ]+ {2,}${alarm.name}$`, 'm'));
    expect(stdout).toMatch(new RegExp(`^${result?.alarms.length} alarms?: `, 'm'));
  });

  it('with --state, then only alarms in that state are returned', async () => {
    const { result } = await runCommand<AlarmsResult>(Alarms, ['--state', 'OK']);
    expect(result?.alarms.length).toBeGreaterThan(0);
    expect(result?.alarms.every((a) => a.state === 'OK')).toBe(true);
  });

  it.each([
    ['alarm', 'ALARM'],
    ['Ok', 'OK'],
    ['insufficient_data', 'INSUFFICIENT_DATA'],
    ['no-data', 'INSUFFICIENT_DATA'],
  ])('given --state %s, then it means %s', async (input, state) => {
    const { result, error } = await runCommand<AlarmsResult>(Alarms, ['--state', input]);
    expect(error).toBeUndefined();
    expect(result?.alarms.every((a) => a.state === state)).toBe(true);
  });

  it("describes the sandbox's metric-math alarms by their expression, and target tracking's by the standing health gives them", async () => {
    const { result, stdout } = await runCommand<AlarmsResult>(Alarms, []);
    // The worker group's target tracking tracks backlog per instance: m1 / m2.
    const math = result?.alarms.filter((a) => a.math) ?? [];
    expect(math.length).toBeGreaterThan(0);
    for (const alarm of math) {
      expect(alarm).toMatchObject({
        math: {
          expression: 'm1 / m2',
          metrics: [
            { id: 'm1', metricName: 'ApproximateNumberOfMessagesVisible' },
            { id: 'm2', metricName: 'GroupInServiceInstances' },
          ],
        },
      });
      expect(alarm.metricName).toBeUndefined();
    }
    expect(stdout).toMatch(/ m1 \/ m2 /);
    expect(stdout).toContain('m1 = ApproximateNumberOfMessagesVisible Sum');
    for (const alarm of result?.alarms ?? []) expect(alarm.standing).toBe(alarmStanding(alarm));
    // A target-tracking alarm in ALARM is scaling, never a red ALARM row.
    expect(stdout).not.toMatch(/^✖ ALARM +TargetTracking-/m);
    // CPU thresholds carry their unit.
    expect(stdout).toMatch(/TargetTracking-store-web-[\s\S]*?Average [<>] \d+(\.\d+)?%/);
  });

  it('through a pipe with COLUMNS=80, then it fits 80 columns and cuts no name or metric', async () => {
    process.env.COLUMNS = '80';
    try {
      const { stdout, result } = await runCommand<AlarmsResult>(Alarms, []);
      const lines = stdout.trimEnd().split('\n');
      for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(80);
      expect(stdout).not.toContain('…');
      // Every name is there, whole once its wrapped pieces are put back together.
      const joined = lines.map((l) => l.trim()).join('');
      for (const alarm of result?.alarms ?? []) expect(joined).toContain(alarm.name);
    } finally {
      delete process.env.COLUMNS;
    }
  });
});

describe('alarms (--json)', () => {
  it('prints alarms and their source status in the envelope', async () => {
    const { stdout } = await runCommand(Alarms, ['--json']);
    const envelope = parseEnvelope<AlarmsResult>(stdout) as JsonSuccess<AlarmsResult>;
    expect(envelope.status).toBe(0);
    expect(envelope.result.source).toMatchObject({ source: expect.any(String), ok: true });
    expect(envelope.result.alarms[0]).toMatchObject({
      name: expect.any(String),
      state: expect.stringMatching(/^(OK|ALARM|INSUFFICIENT_DATA)$/),
    });
  });
});

describe('alarms (error)', () => {
  it('given an invalid --state, then it lists the valid ones and exits 2', async () => {
    const { error, stderr } = await runCommand(Alarms, ['--state', 'FIRING']);
    expect(error?.exitCode).toBe(2);
    expect(stderr).toContain(
      '"FIRING" is not an alarm state: use one of OK, ALARM, INSUFFICIENT_DATA (any case).',
    );
  });

  it('given DescribeAlarms is denied, then it says it could not read the alarms, not that there are none', async () => {
    await setFaults(sandbox, [
      { service: 'cloudwatch', operation: 'DescribeAlarms', kind: 'access-denied', rate: 1 },
    ]);
    const { error, stdout } = await runCommand(Alarms, []);
    expect(error).toMatchObject({ code: 'AwsAccessDenied', exitCode: 1 });
    expect(error?.actions.join(' ')).toContain('cloudwatch:DescribeAlarms');
    expect(stdout).not.toContain('No alarms match');
  });

  it('given an unreachable endpoint, then it is a user error with actions', async () => {
    const { error } = await runCommand(Alarms, [
      '--endpoint-url',
      `http://127.0.0.1:${await closedPort()}`,
    ]);
    expect(error).toMatchObject({ code: 'EndpointUnreachable' });
    expect(error?.actions).toContain('Start the sandbox in another terminal: ballast sandbox');
  }, 30_000);

  it('given an endpoint that accepts connections and never answers, then --timeout ends it with the message and advice of a refused connection', async () => {
    const silent = await silentEndpoint();
    try {
      const timedOut = await runCommand(Alarms, ['--endpoint-url', silent.url, '--timeout', '1s']);
      const refused = await runCommand(Alarms, [
        '--endpoint-url',
        `http://127.0.0.1:${await closedPort()}`,
      ]);
      expect(timedOut.error).toMatchObject({ code: 'EndpointUnreachable', exitCode: 1 });
      expect(timedOut.error?.message).toBe(
        `Could not read cloudwatch-alarms: Cannot reach ${silent.url} for DescribeAlarms (timed out): no answer within 1 s`,
      );
      expect(refused.error?.code).toBe('EndpointUnreachable');
      expect(timedOut.error?.actions).toEqual(refused.error?.actions);
      expect(timedOut.stderr).toContain('Start the sandbox in another terminal: ballast sandbox');
      expect(silent.connections).toBeGreaterThan(0);
    } finally {
      await silent.close();
    }
  }, 30_000);

  it.each([
    { timeout: 'soon', message: 'Parsing --timeout: Invalid duration "soon"' },
    { timeout: '1h', message: '1h is longer than the longest deadline, 10m.' },
  ])('given --timeout $timeout, then it is a usage error', async ({ timeout, message }) => {
    const { error, stderr } = await runCommand(Alarms, ['--timeout', timeout]);
    expect(error?.exitCode).toBe(2);
    expect(stderr).toContain(message);
  });
});

import { silentEndpoint } from '@ballast/collectors/testing';
import { describe, expect, it } from 'vitest';
import type { JsonSuccess } from '../base-command.js';
import { closedPort, parseEnvelope, runCommand } from '../testing/harness.js';
import { useSandboxContext } from '../testing/sandbox.js';
import Alarms, { type AlarmsResult } from './alarms.js';

useSandboxContext();

describe('alarms (human)', () => {
  it('lists the alarms of the sandbox, firing first, with a summary line', async () => {
    const { result, stdout, error } = await runCommand<AlarmsResult>(Alarms, []);
    expect(error).toBeUndefined();
    expect(result?.source.ok).toBe(true);
    expect(result?.alarms.length).toBeGreaterThan(0);
    expect(stdout).toMatch(/^state +alarm +tier +metric +threshold +since$/m);
    expect(stdout).toMatch(new RegExp(`^${result?.alarms.length} alarms?: `, 'm'));
  });

  it('with --state, then only alarms in that state are returned', async () => {
    const { result } = await runCommand<AlarmsResult>(Alarms, ['--state', 'OK']);
    expect(result?.alarms.length).toBeGreaterThan(0);
    expect(result?.alarms.every((a) => a.state === 'OK')).toBe(true);
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
    expect(stderr).toMatch(/--state=FIRING to be one of: .*ALARM/);
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

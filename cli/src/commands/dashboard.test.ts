import { silentEndpoint } from '@ballast/collectors/testing';
import type { PlatformHealth } from '@ballast/core';
import { describe, expect, it } from 'vitest';
import type { JsonFailure } from '../base-command.js';
import { parseEnvelope, runCommand, startCommand, waitFor } from '../testing/harness.js';
import { useSandboxContext } from '../testing/sandbox.js';
import Dashboard, { type DashboardResult } from './dashboard.js';
import Health from './health.js';

const sandbox = useSandboxContext();

describe('dashboard (human)', () => {
  it('serves the context until Ctrl-C, then closes', async () => {
    const run = startCommand<DashboardResult>(Dashboard, ['--port', '0', '--refresh', '5']);
    await waitFor(() => run.stdout().includes('Ctrl-C to stop'), 30_000);
    const url = /on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(run.stdout())?.[1];
    expect(run.stdout()).toContain('Dashboard for context sandbox');
    const meta = (await (await fetch(`${url}api/meta`)).json()) as {
      context: string;
      refreshSeconds: number;
    };
    expect(meta).toMatchObject({ context: 'sandbox', refreshSeconds: 5 });

    process.emit('SIGINT');
    const { result, error } = await run.done;
    expect(error).toBeUndefined();
    expect(result).toMatchObject({
      url,
      context: 'sandbox',
      endpointUrl: sandbox.url,
      refreshSeconds: 5,
    });
    await expect(fetch(`${url}api/meta`)).rejects.toThrow();
  }, 40_000);
});

describe('dashboard (--json)', () => {
  it('prints the URL as one envelope line once it listens', async () => {
    const run = startCommand<DashboardResult>(Dashboard, ['--port', '0', '--json']);
    await waitFor(() => run.stdout().includes('\n'), 30_000);
    expect(JSON.parse(run.stdout())).toMatchObject({
      status: 0,
      result: { context: 'sandbox', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/) },
    });
    process.emit('SIGINT');
    await run.done;
  }, 40_000);
});

describe('dashboard (error)', () => {
  it('refuses a non-loopback address without a token, and says how to fix it', async () => {
    const { error, stdout } = await runCommand(Dashboard, [
      '--host',
      '0.0.0.0',
      '--port',
      '0',
      '--json',
    ]);
    expect(error?.exitCode).toBe(1);
    const envelope = parseEnvelope(stdout) as JsonFailure;
    expect(envelope).toMatchObject({ code: 'TokenRequired', name: 'UserError' });
    expect(envelope.message).toContain('without a token');
    expect(envelope.actions.join('\n')).toContain('BALLAST_DASHBOARD_TOKEN=');
  });

  it('warns that a --token on the command line shows in ps, and names the variable to use', async () => {
    const { stderr } = await runCommand(Dashboard, [
      '--token',
      'visible-secret',
      '--context',
      'no-such-context',
    ]);
    expect(stderr).toMatch(/visible to every user of this machine/);
    expect(stderr).toMatch(/BALLAST_DASHBOARD_TOKEN/);
  });
});

describe('dashboard and CLI', () => {
  it('given the same failure (an endpoint that never answers, --timeout 1s), then both say the same: message and actions', async () => {
    const silent = await silentEndpoint();
    const cli = await runCommand(Health, [
      '--json',
      '--endpoint-url',
      silent.url,
      '--timeout',
      '1s',
    ]);
    const failure = parseEnvelope(cli.stdout) as JsonFailure;
    const run = startCommand<DashboardResult>(Dashboard, [
      '--port',
      '0',
      '--json',
      '--endpoint-url',
      silent.url,
      '--timeout',
      '1s',
    ]);
    try {
      await waitFor(() => run.stdout().includes('\n'), 30_000);
      const { url } = (JSON.parse(run.stdout()) as { result: DashboardResult }).result;
      const health = (await (await fetch(`${url}api/health`)).json()) as PlatformHealth;
      const source = health.sources.find((s) => !s.ok);

      expect(failure.code).toBe('EndpointUnreachable');
      expect(source?.error?.message).toContain('(timed out): no answer within 1 s');
      expect(failure.message).toBe(`Could not read ${source?.source}: ${source?.error?.message}`);
      expect(failure.actions).toEqual(source?.error?.actions);
    } finally {
      process.emit('SIGINT');
      await run.done;
      await silent.close();
    }
  }, 40_000);
});

import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isolateEnvironment, runCommand, startCommand, waitFor } from '../testing/harness.js';
import Sandbox, { type SandboxResult } from './sandbox.js';

let restore: () => void;
beforeEach(() => {
  restore = isolateEnvironment();
});
afterEach(() => restore());

const quick = ['--port', '0', '--backfill-days', '1'];

describe('sandbox (human)', () => {
  it('starts, says how to use it, serves until Ctrl-C, then stops cleanly', async () => {
    const run = startCommand<SandboxResult>(Sandbox, quick);
    await waitFor(() => run.stdout().includes('Ctrl-C to stop'), 30_000);
    const url = /Sandbox listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(run.stdout())?.[1];
    expect(url).toBeDefined();
    // Not on the default port, so the hint carries the URL for the built-in context.
    expect(run.stdout()).toContain(
      `BALLAST_SANDBOX_URL=${url} BALLAST_CONTEXT=sandbox ballast health`,
    );
    expect(run.stdout()).toContain(`AWS_ENDPOINT_URL=${url}`);
    expect((await fetch(`${url}/_sandbox/status`)).status).toBe(200);

    process.emit('SIGINT');
    const { result, error } = await run.done;
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ url, seed: 42, speed: 1, backfillDays: 1 });
    await expect(fetch(`${url}/_sandbox/status`)).rejects.toThrow();
  }, 40_000);
});

describe('sandbox (--json)', () => {
  it('prints one envelope line with the URL as soon as it listens, and stops on SIGTERM', async () => {
    const run = startCommand<SandboxResult>(Sandbox, [
      ...quick,
      '--json',
      '--seed',
      '7',
      '--speed',
      '60',
    ]);
    await waitFor(() => run.stdout().includes('\n'), 30_000);
    const line = JSON.parse(run.stdout().split('\n')[0] ?? '') as {
      status: number;
      result: SandboxResult;
    };
    expect(line).toMatchObject({
      status: 0,
      result: { seed: 7, speed: 60, backfillDays: 1 },
      warnings: [],
    });
    process.emit('SIGTERM');
    const { stdout } = await run.done;
    expect(stdout.trim().split('\n')).toHaveLength(1); // no second envelope at exit
  }, 40_000);
});

describe('sandbox (error)', () => {
  it('given a port in use, then it says to pick another', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const { error } = await runCommand(Sandbox, ['--port', String(port), '--backfill-days', '1']);
      expect(error).toMatchObject({ code: 'PortInUse', exitCode: 1 });
      expect(error?.actions[0]).toContain(`--port ${port + 1}`);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  }, 30_000);

  it.each([
    [['--speed', 'fast'], 'Invalid --speed "fast"'],
    [['--port', '70000'], '--port'],
    [['--black-friday', 'friday'], 'Invalid --black-friday "friday"'],
    [['--black-friday', '2026-13-45'], 'Invalid --black-friday "2026-13-45"'],
  ])('given %j, then it is a usage error (exit 2)', async (flags, message) => {
    const { error } = await runCommand(Sandbox, flags);
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toContain(message);
  });
});

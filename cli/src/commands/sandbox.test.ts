import { createServer, type Server } from 'node:net';
import { DEFAULT_SANDBOX_SEED } from '@ballast/core';
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
    await waitFor(() => run.stdout().includes('Ctrl-C to stop'), 60_000);
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
    expect(result).toMatchObject({ url, seed: DEFAULT_SANDBOX_SEED, speed: 1, backfillDays: 1 });
    await expect(fetch(`${url}/_sandbox/status`)).rejects.toThrow();
  }, 90_000);
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
    await waitFor(() => run.stdout().includes('\n'), 60_000);
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
  }, 90_000);
});

describe('sandbox (error)', () => {
  it('given a port in use, then it names another port that is free now', async () => {
    // Given the port and the one after it are both taken
    const listen = async (port: number) => {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
      return server;
    };
    const blockers: Server[] = [await listen(0)];
    const { port } = blockers[0]!.address() as { port: number };
    blockers.push(await listen(port + 1).catch(() => listen(0)));
    const taken = blockers.map((b) => (b.address() as { port: number }).port);
    try {
      // When the sandbox is started on it
      const { error } = await runCommand(Sandbox, ['--port', String(port), '--backfill-days', '1']);
      // Then the advice names a port that is neither, and that can be bound
      expect(error).toMatchObject({ code: 'PortInUse', exitCode: 1 });
      const named = Number(/--port (\d+)/.exec(error?.actions[0] ?? '')?.[1]);
      expect(taken).not.toContain(named);
      blockers.push(await listen(named));
    } finally {
      await Promise.all(
        blockers.map((b) => new Promise<void>((resolve) => b.close(() => resolve()))),
      );
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

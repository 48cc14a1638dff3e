import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIXED_NOW, startTestSandbox } from '../test/helpers.js';
import { startSandbox } from './start-sandbox.js';

describe('startSandbox', () => {
  it('listens on a free port of 127.0.0.1 and stops', async () => {
    const sandbox = await startTestSandbox({ backfillDays: 0.05 });
    expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
    expect((await fetch(`${sandbox.url}/_sandbox/status`)).status).toBe(200);
    await sandbox.stop();
    await expect(fetch(`${sandbox.url}/_sandbox/status`)).rejects.toThrow();
  });

  it('runs simulated time at the speed factor', async () => {
    const sandbox = await startTestSandbox({ backfillDays: 0.05, speed: 60 });
    try {
      expect(sandbox.simulation.now).toBe(FIXED_NOW);
      sandbox.setTime(FIXED_NOW + 10_000); // 10 real seconds = 10 simulated minutes
      const status = (await (await fetch(`${sandbox.url}/_sandbox/status`)).json()) as {
        simulatedTime: string;
        speed: number;
      };
      expect(status).toMatchObject({
        speed: 60,
        simulatedTime: new Date(FIXED_NOW + 10 * 60_000).toISOString(),
      });
    } finally {
      await sandbox.stop();
    }
  });

  it('says what to do when the port is taken', async () => {
    const first = await startTestSandbox({ backfillDays: 0.05 });
    try {
      await expect(
        startSandbox({
          port: first.port,
          backfillDays: 0.05,
          coarseBackfillDays: 0,
          now: () => FIXED_NOW,
        }),
      ).rejects.toMatchObject({
        code: 'EADDRINUSE',
        message: expect.stringMatching(/already in use .*--port 0 picks a free one/),
      });
    } finally {
      await first.stop();
    }
  });
});

describe('bin/sandbox.js', () => {
  const bin = fileURLToPath(new URL('../bin/sandbox.js', import.meta.url));
  const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));

  it('prints the URL and the environment to use, then stops cleanly on SIGTERM', async () => {
    expect(existsSync(built), 'the bin runs the build: npx tsc -b sandbox first').toBe(true);
    const child = spawn(
      process.execPath,
      [bin, '--port', '0', '--backfill-days', '0.05', '--coarse-backfill-days', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        output += c.toString();
        const match = /AWS_ENDPOINT_URL=(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.once('exit', () => reject(new Error(`exited early:\n${output}`)));
    });
    expect((await fetch(`${url}/_sandbox/status`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('SIGTERM: stopping the sandbox');
  });
});

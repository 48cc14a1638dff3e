import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createServer, type Server } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { FIXED_NOW, startTestSandbox } from '../test/helpers.js';
import { startSandbox } from './start-sandbox.js';

// Counts the simulations built (each one is a backfill), to see what a failed start cost.
const built = vi.hoisted(() => ({ simulations: 0 }));
vi.mock('./simulation/simulation.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('./simulation/simulation.js')>();
  class CountedSimulation extends original.Simulation {
    constructor(...args: ConstructorParameters<typeof original.Simulation>) {
      super(...args);
      built.simulations++;
    }
  }
  return { ...original, Simulation: CountedSimulation };
});

async function occupy(port = 0): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}

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

  it('fails on a taken port at once, before any backfill, keeping the error code', async () => {
    // Given a port someone holds
    const blocker = await occupy();
    const { port } = blocker.address() as { port: number };
    const before = built.simulations;
    try {
      // When a sandbox with a long history is started there
      await expect(
        startSandbox({ port, backfillDays: 14, now: () => FIXED_NOW }),
      ).rejects.toMatchObject({
        code: 'EADDRINUSE',
        message: `Cannot start the sandbox: 127.0.0.1:${port} is already in use.`,
      });
      // Then no history was simulated for nothing
      expect(built.simulations).toBe(before);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
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

  it('on a taken port, exits 1 and names a port that is free now', async () => {
    const blocker = await occupy();
    const { port } = blocker.address() as { port: number };
    try {
      const child = spawn(process.execPath, [bin, '--port', String(port)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toContain(`127.0.0.1:${port} is already in use`);
      const named = Number(/--port (\d+)/.exec(stderr)?.[1]);
      expect(named).not.toBe(port);
      (await occupy(named)).close();
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

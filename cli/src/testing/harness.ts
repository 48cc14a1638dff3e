// Test support (not part of the build): run a command class in-process the way the bin
// would, capturing what it prints, in an isolated BALLAST_HOME.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import type { Command } from '@oclif/core';
import { vi } from 'vitest';
import type { JsonFailure, JsonSuccess } from '../base-command.js';
import type { BugError, UserError } from '../errors.js';

/** The cli/ folder: oclif reads package.json (bin name, topics) from there. */
export const cliRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface RunOutcome<T> {
  result?: T;
  error?: UserError | BugError;
  stdout: string;
  stderr: string;
}

type CommandClass = { run(argv?: string[], opts?: string): Promise<unknown> } & typeof Command;

/** Runs `Cmd` with argv to completion; never throws: a failure comes back as `error`. */
export async function runCommand<T>(Cmd: CommandClass, argv: string[]): Promise<RunOutcome<T>> {
  return startCommand<T>(Cmd, argv).done;
}

/**
 * Starts `Cmd` and returns at once, for commands that run until Ctrl-C: read what it has
 * printed so far with stdout(), stop it with process.emit('SIGINT'), then await `done`.
 * Output is captured until `done` settles.
 */
export function startCommand<T>(
  Cmd: CommandClass,
  argv: string[],
): { stdout(): string; done: Promise<RunOutcome<T>> } {
  const out: string[] = [];
  const err: string[] = [];
  const capture = (into: string[]) => (chunk: string | Uint8Array) => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  // oclif's ux.stdout/ux.stderr print through console.log/console.error.
  const spies = [
    vi
      .spyOn(process.stdout, 'write')
      .mockImplementation(capture(out) as typeof process.stdout.write),
    vi
      .spyOn(process.stderr, 'write')
      .mockImplementation(capture(err) as typeof process.stderr.write),
    vi
      .spyOn(console, 'log')
      .mockImplementation((...args: unknown[]) => void out.push(`${format(...args)}\n`)),
    vi
      .spyOn(console, 'error')
      .mockImplementation((...args: unknown[]) => void err.push(`${format(...args)}\n`)),
  ];
  // The bin takes ids from the file layout; here, from the class name (ContextAdd -> context:add).
  Cmd.id ??= Cmd.name.replace(/(?<=[a-z])(?=[A-Z])/g, ':').toLowerCase();
  const done = (async (): Promise<RunOutcome<T>> => {
    try {
      const result = (await Cmd.run(argv, cliRoot)) as T;
      return { result, stdout: out.join(''), stderr: err.join('') };
    } catch (error) {
      return { error: error as UserError | BugError, stdout: out.join(''), stderr: err.join('') };
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  })();
  return { stdout: () => out.join(''), done };
}

/** The single JSON document a --json command printed. */
export function parseEnvelope<T>(stdout: string): JsonSuccess<T> | JsonFailure {
  return JSON.parse(stdout) as JsonSuccess<T> | JsonFailure;
}

/** A fresh BALLAST_HOME and an environment free of the developer's own AWS/ballast settings. */
export function isolateEnvironment(extra: Record<string, string> = {}): () => void {
  const home = mkdtempSync(join(tmpdir(), 'ballast-cli-'));
  const keys = [
    'BALLAST_HOME',
    'BALLAST_CONTEXT',
    'BALLAST_SANDBOX_URL',
    'BALLAST_DASHBOARD_TOKEN',
    'AWS_ENDPOINT_URL',
    'AWS_PROFILE',
    'NO_COLOR',
    'FORCE_COLOR',
    ...Object.keys(extra),
  ];
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  for (const k of keys) delete process.env[k];
  Object.assign(process.env, { BALLAST_HOME: home, NO_COLOR: '1' }, extra);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(home, { recursive: true, force: true });
  };
}

/** A loopback port that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Waits until `predicate` holds, polling; fails the test after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Makes process.stdout look like a terminal of `columns` x `rows` to the commands started
 * until the returned function restores it (output is still captured by startCommand).
 */
export function fakeTerminal(size: { columns: number; rows: number }): () => void {
  const stdout = process.stdout;
  const keys = ['isTTY', 'columns', 'rows'] as const;
  const saved = keys.map((key) => [key, Object.getOwnPropertyDescriptor(stdout, key)] as const);
  const values = { isTTY: true, ...size };
  for (const key of keys)
    Object.defineProperty(stdout, key, { value: values[key], configurable: true, writable: true });
  return () => {
    for (const [key, descriptor] of saved) {
      if (descriptor) Object.defineProperty(stdout, key, descriptor);
      else Reflect.deleteProperty(stdout, key);
    }
  };
}

// The built CLI as users run it: a real process, real exit codes, oclif's manifest.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRoot } from './testing/harness.js';

const bin = join(cliRoot, 'bin', 'run.js');
const home = mkdtempSync(join(tmpdir(), 'ballast-bin-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/**
 * Runs the CLI as a child process. Asynchronously: a synchronous spawn would block the test
 * worker, and on a busy machine several in a row outlast vitest's 60 s worker heartbeat.
 */
function ballast(
  ...argv: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  if (!existsSync(join(cliRoot, 'oclif.manifest.json')))
    throw new Error('cli is not built: run `npm run build -w @ballast/cli` first');
  const env: NodeJS.ProcessEnv = { ...process.env, BALLAST_HOME: home, NO_COLOR: '1' };
  delete env.BALLAST_CONTEXT;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...argv], { env, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

// Each test starts a Node process that loads oclif and the commands: seconds on a busy machine.
describe('bin/run.js', { timeout: 90_000 }, () => {
  it('prints the version and exits 0', async () => {
    const run = await ballast('--version');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^@ballast\/cli\/0\.1\.0 /);
  });

  it('lists every command in --help, the spend ones too, each with its one-line summary', async () => {
    const run = await ballast('--help');
    expect(run.status).toBe(0);
    for (const id of [
      'cost',
      'cost forecast',
      'cost anomalies',
      'cost movers',
      'cost unit',
      'meter',
      'health',
      'alarms',
      'context add',
    ])
      expect(run.stdout).toMatch(new RegExp(`^ {2}${id} {2,}\\S`, 'm'));
    expect(run.stdout).toContain('Will the month land inside budget?');
    expect(run.stdout).toContain('What Ballast itself spent on AWS API calls');
  });

  it('exits 2 for bad flags, with the problem on stderr', async () => {
    const run = await ballast('health', '--since', 'soon');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Error: Invalid duration "soon"');
    expect(run.stderr).toContain('Try this:');
  });

  it('exits 1 for a user error, with the error envelope on stdout under --json', async () => {
    const run = await ballast('context', 'use', 'nope', '--json');
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 1, code: 'ContextError', exitCode: 1 });
    expect(run.stderr).toBe('');
  });

  it('exits 0 with the success envelope under --json', async () => {
    const run = await ballast('context', 'list', '--json');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 0,
      result: { current: 'sandbox' },
      warnings: [],
    });
  });

  it.each([
    { argv: ['helth'], suggestion: 'health', next: 'ballast health' },
    { argv: ['helth', '--tier', 'web'], suggestion: 'health', next: 'ballast health --tier web' },
    { argv: ['alrams'], suggestion: 'alarms', next: 'ballast alarms' },
    {
      argv: ['context', 'ad', 'prod'],
      suggestion: 'context add',
      next: 'ballast context add prod',
    },
    { argv: ['cost', 'forcast'], suggestion: 'cost forecast', next: 'ballast cost forecast' },
  ])(
    'given the mistyped command $argv, then it suggests "$suggestion" and exits 2',
    async ({ argv, suggestion, next }) => {
      const run = await ballast(...argv);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`is not a ballast command. Did you mean "${suggestion}"?`);
      expect(run.stderr).toContain(`• ${next}`);
    },
  );

  it('given a command followed by a word it does not take, then it says so and points at its help', async () => {
    const run = await ballast('cost', 'movers', 'extra');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      '"extra" is neither a command of "ballast cost movers" nor an argument it takes.',
    );
    expect(run.stderr).toContain('• ballast cost movers --help');
  });

  it('given a word that is no command at all, then it points at the list of commands', async () => {
    const run = await ballast('xyzzy');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('"xyzzy" is not a ballast command.');
    expect(run.stderr).not.toContain('Did you mean');
    expect(run.stderr).toContain('ballast --help');
  });

  it('given a mistyped command with --json, then the error envelope carries the suggestion', async () => {
    const run = await ballast('helth', '--json');
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 2,
      code: 'UnknownCommand',
      message: '"helth" is not a ballast command. Did you mean "health"?',
      actions: ['ballast health', 'ballast --help   (every command)'],
      exitCode: 2,
    });
  });
});

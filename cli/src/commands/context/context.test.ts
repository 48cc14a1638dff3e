import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { referencePlatformConfigPath } from '@ballast/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JsonFailure, JsonSuccess } from '../../base-command.js';
import { UserError } from '../../errors.js';
import { isolateEnvironment, parseEnvelope, runCommand } from '../../testing/harness.js';
import ContextAdd, { type ContextAddResult } from './add.js';
import ContextList, { type ContextListResult } from './list.js';
import ContextUse, { type ContextUseResult } from './use.js';

let restore: () => void;
beforeEach(() => {
  restore = isolateEnvironment();
});
afterEach(() => restore());

const addProd = (...more: string[]) =>
  runCommand<ContextAddResult>(ContextAdd, [
    'prod',
    '--region',
    'us-east-1',
    '--profile',
    'store-prod',
    '--platform-config',
    referencePlatformConfigPath,
    ...more,
  ]);

describe('context (human)', () => {
  it('given a fresh install, when listing, then only the built-in sandbox is there and current', async () => {
    const { result, stdout } = await runCommand<ContextListResult>(ContextList, []);
    expect(result?.current).toBe('sandbox');
    expect(result?.contexts.map((c) => [c.name, c.builtIn])).toEqual([['sandbox', true]]);
    expect(stdout).toMatch(
      /^\* +sandbox \(built in\) +us-east-1 +test\/test +http:\/\/127\.0\.0\.1:4566 +\S*sandbox\.yaml$/m,
    );
  });

  it('when a context is added, used and listed, then it is saved and becomes current', async () => {
    const added = await addProd();
    expect(added.error).toBeUndefined();
    expect(added.result?.context).toMatchObject({
      name: 'prod',
      region: 'us-east-1',
      profile: 'store-prod',
    });
    expect(added.result?.platform.tiers).toEqual(['edge', 'web', 'workers', 'data']);
    expect(added.stdout).toContain('ballast context use prod');

    const used = await runCommand<ContextUseResult>(ContextUse, ['prod']);
    expect(used.result).toEqual({ current: 'prod' });

    const listed = await runCommand<ContextListResult>(ContextList, []);
    expect(listed.result?.current).toBe('prod');
    expect(listed.result?.contexts.map((c) => c.name)).toEqual(['sandbox', 'prod']);
    expect(listed.stdout).toMatch(/^\* +prod +us-east-1 +store-prod +AWS/m);
  });

  it('with --use, then the new context is current at once', async () => {
    await addProd('--use');
    const listed = await runCommand<ContextListResult>(ContextList, []);
    expect(listed.result?.current).toBe('prod');
  });

  it('when the platform config is for another region, then it warns but saves', async () => {
    const { result, stderr } = await runCommand<ContextAddResult>(ContextAdd, [
      'west',
      '--region',
      'us-west-2',
      '--platform-config',
      referencePlatformConfigPath,
    ]);
    expect(result?.context.region).toBe('us-west-2');
    expect(stderr).toContain('The platform config says region us-east-1');
  });
});

describe('context (--json)', () => {
  it('prints the list in the success envelope', async () => {
    const { stdout } = await runCommand(ContextList, ['--json']);
    const envelope = parseEnvelope<ContextListResult>(stdout) as JsonSuccess<ContextListResult>;
    expect(envelope).toMatchObject({ status: 0, warnings: [], result: { current: 'sandbox' } });
    expect(envelope.result.contexts[0]).toMatchObject({
      name: 'sandbox',
      builtIn: true,
      dummyCredentials: true,
    });
  });

  it('puts warnings into the envelope instead of stderr', async () => {
    const { stdout, stderr } = await runCommand(ContextAdd, [
      'west',
      '--region',
      'us-west-2',
      '--platform-config',
      referencePlatformConfigPath,
      '--json',
    ]);
    const envelope = parseEnvelope<ContextAddResult>(stdout) as JsonSuccess<ContextAddResult>;
    expect(envelope.warnings).toEqual([
      expect.stringContaining('The platform config says region us-east-1'),
    ]);
    expect(stderr).toBe('');
  });

  it('prints an error envelope with code and actions for an unknown context', async () => {
    const { stdout, error } = await runCommand(ContextUse, ['nope', '--json']);
    expect(error).toBeInstanceOf(UserError);
    const envelope = parseEnvelope(stdout) as JsonFailure;
    expect(envelope).toEqual({
      status: 1,
      name: 'UserError',
      message: expect.stringContaining('Unknown context "nope"'),
      code: 'ContextError',
      actions: [
        'ballast context list',
        'ballast context add NAME --region REGION --platform-config FILE',
      ],
      exitCode: 1,
    });
  });
});

describe('context (error)', () => {
  it('refuses to replace the built-in sandbox context, and says what to do instead', async () => {
    const { error, stderr } = await runCommand(ContextAdd, [
      'sandbox',
      '--region',
      'us-east-1',
      '--platform-config',
      referencePlatformConfigPath,
    ]);
    expect(error).toMatchObject({ code: 'ReservedContextName', exitCode: 1 });
    expect(stderr).toContain('Error: "sandbox" is the built-in context and cannot be replaced.');
    expect(stderr).toContain('Try this:');
    expect(stderr).toContain('BALLAST_SANDBOX_URL');
  });

  it('given an invalid platform config, then the error names the file, the line and the path, and nothing is saved', async () => {
    const file = join(process.env.BALLAST_HOME ?? '', 'broken.yaml');
    writeFileSync(
      file,
      readFileSync(referencePlatformConfigPath, 'utf8').replace(
        'loadBalancer: app/store-alb/50dc6c495c0c9188',
        'loadBalancer: store-alb',
      ),
    );
    const { error, stderr } = await runCommand(ContextAdd, [
      'broken',
      '--region',
      'us-east-1',
      '--platform-config',
      file,
    ]);
    expect(error).toMatchObject({ code: 'InvalidConfig' });
    expect(stderr).toMatch(
      new RegExp(
        `${file}:\\d+: tiers\\[1\\]\\.resources\\[0\\]\\.loadBalancer: expected app/<name>/<id>, got "store-alb"`,
      ),
    );
    const listed = await runCommand<ContextListResult>(ContextList, []);
    expect(listed.result?.contexts.map((c) => c.name)).toEqual(['sandbox']);
  });

  it('given a platform config that does not exist, then it says how to create one', async () => {
    const { error } = await runCommand(ContextAdd, [
      'x',
      '--region',
      'us-east-1',
      '--platform-config',
      '/nonexistent/prod.yaml',
    ]);
    expect(error?.message).toContain('No readable platform config at /nonexistent/prod.yaml');
    expect(error?.message).toContain('cp ');
  });

  it('given a missing required flag, then it is a usage error with exit code 2', async () => {
    const { error, stderr } = await runCommand(ContextAdd, [
      'x',
      '--platform-config',
      referencePlatformConfigPath,
    ]);
    expect(error).toMatchObject({ code: 'InvalidUsage', exitCode: 2 });
    expect(stderr).toContain('--region');
    expect(stderr).toContain('ballast context add --help');
  });

  it('when using an unknown context, then the error lists the known ones', async () => {
    const { error } = await runCommand(ContextUse, ['nope']);
    expect(error?.message).toContain('Known contexts: sandbox');
  });
});

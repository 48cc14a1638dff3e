import { ConfigError, ContextError, DurationError, UnknownTierError } from '@ballast/core';
import { describe, expect, it } from 'vitest';
import { formatHumanError, formatWarning, tidyParseMessage } from './base-command.js';
import { classifyAwsError } from '@ballast/collectors';
import { BugError, sourceFailureToUserError, toCliError, UserError } from './errors.js';
import { createPalette } from './output/style.js';

const sandbox = {
  contextName: 'sandbox',
  region: 'us-east-1',
  endpointUrl: 'http://127.0.0.1:4566',
  sandbox: true,
  commandId: 'health',
};
const prod = {
  contextName: 'prod',
  region: 'us-east-1',
  profile: 'store-prod',
  commandId: 'health',
};

/** An SDK-style service error: a name and the HTTP status in $metadata. */
function awsError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} happened`), {
    name,
    $metadata: { httpStatusCode: status },
  });
}

describe('toCliError', () => {
  it('keeps a UserError as it is', () => {
    const err = new UserError('fix it', { code: 'X', actions: ['do this'] });
    expect(toCliError(err, prod)).toBe(err);
  });

  it('turns an unknown context into actions that list and add contexts', () => {
    const err = toCliError(new ContextError('Unknown context "nope".', ['sandbox']), prod);
    expect(err).toMatchObject({
      name: 'UserError',
      code: 'ContextError',
      exitCode: 1,
      message: 'Unknown context "nope".',
    });
    expect(err.actions).toContain('ballast context list');
  });

  it('keeps the file:line list of a config error and points at the file', () => {
    const err = toCliError(
      new ConfigError('/x/prod.yaml', [{ path: 'region', line: 2, message: 'expected a region' }]),
      prod,
    );
    expect(err.message).toContain('/x/prod.yaml:2: region: expected a region');
    expect(err.actions).toEqual([
      'Fix the lines listed above in /x/prod.yaml, then run the command again.',
    ]);
  });

  it('makes bad durations and unknown tiers usage errors (exit 2)', () => {
    expect(toCliError(new DurationError('soon'), prod)).toMatchObject({
      code: 'InvalidUsage',
      exitCode: 2,
      actions: ['ballast health --help'],
    });
    const tier = toCliError(new UnknownTierError('db', ['web', 'data'], '3d-store'), prod);
    expect(tier).toMatchObject({
      code: 'UnknownTier',
      exitCode: 2,
      actions: ['ballast health --tier web', 'ballast health --tier data'],
    });
  });

  it.each([
    {
      when: 'the sandbox is not running',
      err: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), {
        code: 'ECONNREFUSED',
      }),
      ctx: sandbox,
      code: 'EndpointUnreachable',
      action: 'Start the sandbox in another terminal: ballast sandbox',
    },
    {
      when: 'a real endpoint is unreachable (cause carries the code)',
      err: new Error('fetch failed', {
        cause: Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }),
      }),
      ctx: prod,
      code: 'EndpointUnreachable',
      action: 'If AWS_ENDPOINT_URL is set by mistake, unset it to talk to real AWS.',
    },
    {
      when: 'there are no credentials for the profile',
      err: Object.assign(new Error('Could not load credentials'), {
        name: 'CredentialsProviderError',
      }),
      ctx: prod,
      code: 'AwsCredentials',
      action: 'aws sso login --profile store-prod',
    },
    {
      when: 'there are no credentials and no profile',
      err: Object.assign(new Error('Could not load credentials'), {
        name: 'CredentialsProviderError',
      }),
      ctx: { contextName: 'x', region: 'us-east-1' },
      code: 'AwsCredentials',
      action: 'Set AWS_PROFILE to a configured profile, or pass --profile NAME',
    },
    {
      when: 'access is denied',
      err: awsError('AccessDeniedException', 400),
      ctx: prod,
      code: 'AwsAccessDenied',
      action: 'Grant the IAM permission named in the message to your identity.',
    },
    {
      when: 'AWS throttles',
      err: awsError('ThrottlingException', 400),
      ctx: prod,
      code: 'AwsThrottled',
      action: expect.stringContaining('--interval'),
    },
    {
      when: 'the request is rejected',
      err: awsError('ValidationError', 400),
      ctx: prod,
      code: 'AwsInvalidRequest',
      action: expect.stringContaining('--region REGION --context prod'),
    },
    {
      when: 'AWS fails',
      err: awsError('InternalFailure', 500),
      ctx: prod,
      code: 'AwsServiceError',
      action: expect.stringContaining('Try again'),
    },
  ])('when $when, then it is a user error with what to do', ({ err, ctx, code, action }) => {
    const mapped = toCliError(err, ctx);
    expect(mapped).toBeInstanceOf(UserError);
    expect(mapped.code).toBe(code);
    expect(mapped.actions).toContainEqual(action);
  });

  it('does not mistake a file-system error for an AWS one', () => {
    const err = Object.assign(new Error('EACCES: permission denied, open contexts.json'), {
      code: 'EACCES',
    });
    expect(toCliError(err, prod)).toBeInstanceOf(BugError);
  });

  it('for a missing platform config, says to check the path instead of fixing lines', () => {
    const err = toCliError(
      new ConfigError('/x/prod.yaml', [{ path: '', message: 'file not found' }]),
      prod,
    );
    expect(err.actions).toEqual([
      'Check the file: ls -l /x/prod.yaml',
      'See which file each context uses: ballast context list',
    ]);
  });

  it('calls anything else a bug in ballast', () => {
    const err = toCliError(
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      prod,
    );
    expect(err).toBeInstanceOf(BugError);
    expect(err.message).toBe(
      "This is a bug in ballast: Cannot read properties of undefined (reading 'x')",
    );
    expect(err.exitCode).toBe(1);
  });
});

describe('sourceFailureToUserError', () => {
  it("gives the collector's message and advice, under the code of the failure's kind", () => {
    const error = classifyAwsError(
      Object.assign(new Error('not authorized'), { name: 'AccessDenied' }),
      'cloudwatch',
      'GetMetricData',
      prod,
    );
    const err = sourceFailureToUserError({ source: 'cloudwatch', ok: false, error }, prod);
    expect(err).toMatchObject({
      code: 'AwsAccessDenied',
      message:
        'Could not read cloudwatch: Access denied to cloudwatch:GetMetricData: not authorized',
    });
    expect(err.actions).toEqual([
      'Grant cloudwatch:GetMetricData to the IAM identity of profile store-prod.',
    ]);
  });

  it('says to start the sandbox when the sandbox context cannot reach it', () => {
    const err = sourceFailureToUserError(
      { source: 'cloudwatch', ok: false, error: { kind: 'unreachable', message: 'ECONNREFUSED' } },
      sandbox,
    );
    expect(err).toMatchObject({ code: 'EndpointUnreachable' });
    expect(err.actions[0]).toBe('Start the sandbox in another terminal: ballast sandbox');
  });

  it('given a source with its own advice, then that advice is the list', () => {
    const err = sourceFailureToUserError(
      {
        source: 'cloudwatch',
        ok: false,
        error: {
          kind: 'throttled',
          message: 'Rate exceeded',
          actions: ['Raise the quota in Service Quotas'],
        },
      },
      prod,
    );
    expect(err.actions).toEqual(['Raise the quota in Service Quotas']);
  });
});

describe('formatHumanError', () => {
  it('prints the message, then a "Try this:" list', () => {
    const text = formatHumanError(
      new UserError('Port 4566 is in use.', {
        code: 'PortInUse',
        actions: ['--port 4567', 'lsof -i :4566'],
      }),
      createPalette(false),
    );
    expect(text).toBe(
      'Error: Port 4566 is in use.\n\nTry this:\n  • --port 4567\n  • lsof -i :4566',
    );
  });
});

describe('formatWarning', () => {
  it('wraps to the width, continuing each line indented and each action under its text', () => {
    const text = formatWarning(
      'Cost Explorer could not be read (throttled by AWS: Rate exceeded); showing what was stored 2 h ago.\nTry this:\n  • Wait a minute: Ballast backs off and tries again by itself, every time.',
      createPalette(false),
      60,
    );
    expect(text.split('\n')).toEqual([
      'Warning: Cost Explorer could not be read (throttled by AWS:',
      '  Rate exceeded); showing what was stored 2 h ago.',
      'Try this:',
      '  • Wait a minute: Ballast backs off and tries again by',
      '    itself, every time.',
    ]);
  });
});

describe('tidyParseMessage', () => {
  it.each([
    [
      'The following error occurred:\n  Missing required flag region\nSee more help with --help',
      'Missing required flag --region',
    ],
    ['Nonexistent flag: --nope\nSee more help with --help', 'Nonexistent flag: --nope'],
    [
      'Parsing --interval \n\tExpected an integer but received: soon\nSee more help with --help',
      'Parsing --interval: Expected an integer but received: soon',
    ],
  ])('tidies %j', (raw, tidy) => {
    expect(tidyParseMessage(raw)).toBe(tidy);
  });
});

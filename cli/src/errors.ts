// Two kinds of error, as in Shopify CLI: a UserError is something the user can fix and
// comes with actions ("Try this:"); anything else reaching the top is a BugError. The
// mapping from library errors (core, collectors, AWS SDK, oclif's flag parser) lives here
// so every command explains the same failure the same way.
import {
  ConfigError,
  ContextError,
  DurationError,
  StoreError,
  UnknownTierError,
  type SourceErrorKind,
  type SourceStatus,
} from '@ballast/core';
import { classifyAwsError } from '@ballast/collectors';

/** Exit code for bad flags and arguments (like oclif's own parse errors). */
export const USAGE_EXIT_CODE = 2;

export class UserError extends Error {
  readonly code: string;
  readonly actions: readonly string[];
  readonly exitCode: number;

  constructor(
    message: string,
    options: { code: string; actions?: readonly string[]; exitCode?: number; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.code = options.code;
    this.actions = options.actions ?? [];
    this.exitCode = options.exitCode ?? 1;
  }
}

export class BugError extends Error {
  readonly code = 'Bug';
  readonly actions: readonly string[] = [
    'Run it again with BALLAST_DEBUG=1 to print the stack trace.',
    'Report it with the command you ran and the output.',
  ];
  readonly exitCode = 1;

  constructor(cause: unknown) {
    super(`This is a bug in ballast: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'BugError';
  }
}

/** What the command knew when it failed, to make the advice specific. */
export interface ErrorContext {
  /** oclif command id, e.g. "context add" */
  commandId?: string;
  contextName?: string;
  profile?: string;
  region?: string;
  endpointUrl?: string;
  /** the context targets the local sandbox (advice: start it) */
  sandbox?: boolean;
}

export function toCliError(err: unknown, ctx: ErrorContext): UserError | BugError {
  if (err instanceof UserError || err instanceof BugError) return err;
  if (err instanceof ContextError)
    return new UserError(err.message, {
      code: 'ContextError',
      cause: err,
      actions: [
        'ballast context list',
        'ballast context add NAME --region REGION --platform-config FILE',
      ],
    });
  if (err instanceof ConfigError)
    return new UserError(err.message, {
      code: 'InvalidConfig',
      cause: err,
      actions: err.issues.some((issue) => issue.line !== undefined)
        ? [`Fix the lines listed above in ${err.file}, then run the command again.`]
        : [
            `Check the file: ls -l ${err.file}`,
            'See which file each context uses: ballast context list',
          ],
    });
  if (err instanceof StoreError)
    return new UserError(err.message, { code: 'StoreError', cause: err });
  if (err instanceof DurationError) return usageError(err.message, ctx, err);
  if (err instanceof UnknownTierError)
    return new UserError(err.message, {
      code: 'UnknownTier',
      exitCode: USAGE_EXIT_CODE,
      cause: err,
      actions: err.known.map((t) => `ballast health --tier ${t}`),
    });
  if (err instanceof Error) {
    // Only the kind: the service and operation (and so the IAM action) are unknown here.
    const { kind } = classifyAwsError(err, 'aws', 'request', ctx);
    if (isSdkError(err) || kind === 'unreachable' || kind === 'credentials')
      return awsUserError(kind, err.message, ctx, { cause: err });
  }
  return new BugError(err);
}

export function usageError(message: string, ctx: ErrorContext, cause?: unknown): UserError {
  return new UserError(message, {
    code: 'InvalidUsage',
    exitCode: USAGE_EXIT_CODE,
    cause,
    actions: [`ballast ${ctx.commandId ?? ''} --help`.replace(/ +/g, ' ')],
  });
}

/** A source that failed outright becomes the error of the whole command (nothing to show). */
export function sourceFailureToUserError(source: SourceStatus, ctx: ErrorContext): UserError {
  const error = source.error;
  if (!error) return new UserError(`Could not read ${source.source}.`, { code: 'SourceFailed' });
  return awsUserError(error.kind, `Could not read ${source.source}: ${error.message}`, ctx, {
    iamAction: error.iamAction,
    collectorAction: error.action,
  });
}

/**
 * An AWS SDK service error that a collector let through (collectors normally turn them into
 * degraded sources): the SDK marks them with $metadata and $fault.
 */
function isSdkError(err: Error): boolean {
  return '$metadata' in err || '$fault' in err;
}

function awsUserError(
  kind: SourceErrorKind,
  message: string,
  ctx: ErrorContext,
  options: { cause?: unknown; iamAction?: string; collectorAction?: string } = {},
): UserError {
  const actions = sourceActions(
    { kind, iamAction: options.iamAction, action: options.collectorAction },
    ctx,
  );
  return new UserError(message, { code: CODE[kind], cause: options.cause, actions });
}

/** What to do about a failed source, as a "Try this:" list. */
export function sourceActions(
  error: { kind: SourceErrorKind; iamAction?: string; action?: string },
  ctx: ErrorContext,
): string[] {
  // The CLI knows more than the collector about these (sandbox or not, the profile, the
  // IAM action); for the rest the collector's advice is the more specific one.
  const cliKnowsBetter = ['unreachable', 'credentials', 'access-denied'].includes(error.kind);
  return cliKnowsBetter || !error.action
    ? actionsFor(error.kind, ctx, error.iamAction)
    : [capitalize(error.action)];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const CODE: Record<SourceErrorKind, string> = {
  throttled: 'AwsThrottled',
  'access-denied': 'AwsAccessDenied',
  'subscription-required': 'AwsSubscriptionRequired',
  unreachable: 'EndpointUnreachable',
  credentials: 'AwsCredentials',
  'invalid-request': 'AwsInvalidRequest',
  'service-error': 'AwsServiceError',
};

function actionsFor(
  kind: SourceErrorKind,
  ctx: ErrorContext,
  iamAction: string | undefined,
): string[] {
  const contextFlag = ctx.contextName ? ` --context ${ctx.contextName}` : '';
  switch (kind) {
    case 'unreachable':
      return ctx.sandbox
        ? [
            'Start the sandbox in another terminal: ballast sandbox',
            'Or point at a sandbox already running elsewhere: --endpoint-url http://127.0.0.1:PORT',
          ]
        : [
            `Check that ${ctx.endpointUrl ?? 'the AWS endpoint'} is reachable (network, VPN, proxy).`,
            'If AWS_ENDPOINT_URL is set by mistake, unset it to talk to real AWS.',
          ];
    case 'credentials':
      return ctx.profile
        ? [
            `aws sso login --profile ${ctx.profile}`,
            `Check that the profile exists: aws configure list-profiles`,
            `Or use another profile: --profile NAME (or set AWS_PROFILE)`,
          ]
        : [
            'Set AWS_PROFILE to a configured profile, or pass --profile NAME',
            'aws sso login --profile NAME   (for SSO profiles)',
            `Save the profile in the context: ballast context add NAME --profile NAME --region REGION --platform-config FILE`,
          ];
    case 'access-denied':
      return [
        iamAction
          ? `Grant ${iamAction} to the IAM identity of ${ctx.profile ? `profile ${ctx.profile}` : 'your credentials'}.`
          : 'Grant the IAM permission named in the message to your identity.',
      ];
    case 'throttled':
      return ['Wait a minute and try again; with --watch, use a longer --interval.'];
    case 'subscription-required':
      return [
        'This data needs an AWS Business or Enterprise Support plan; the rest of ballast works without it.',
      ];
    case 'invalid-request':
      return [
        `Check the region: the context uses ${ctx.region ?? 'its default region'}; pass --region REGION${contextFlag} if the resources live elsewhere.`,
      ];
    case 'service-error':
      return ['Try again in a minute; check https://health.aws.amazon.com for an AWS incident.'];
  }
}

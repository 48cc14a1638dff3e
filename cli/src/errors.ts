// Two kinds of error, as in Shopify CLI: a UserError is something the user can fix and
// comes with actions ("Try this:"); anything else reaching the top is a BugError. The
// mapping from library errors (core, collectors, AWS SDK, oclif's flag parser) lives here
// so every command explains the same failure the same way; what to do about an AWS
// failure comes from the collectors' one table (adviceFor), which the dashboard shows too.
import {
  BlackFridayError,
  ChangeRefusedError,
  ConfigError,
  PortError,
  ContextError,
  DurationError,
  SpendInputError,
  StoreError,
  UnknownTierError,
  type SourceErrorKind,
  type SourceStatus,
} from '@ballast/core';
import { formatFieldValue } from './views/change-view.js';
import {
  adviceFor,
  ChangeAwsError,
  classifyAwsError,
  LoadTestError,
  SpendUnavailableError,
  type ErrorHints,
} from '@ballast/collectors';

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
export interface ErrorContext extends ErrorHints {
  /** oclif command id, e.g. "context add" */
  commandId?: string;
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
  // A spend flag (--by, --since, --until) the data cannot answer: the message names it.
  if (err instanceof SpendInputError) return usageError(err.message, ctx, err);
  // Cost Explorer could not be read and nothing stored can stand in.
  if (err instanceof SpendUnavailableError)
    return new UserError(
      `Could not read Cost Explorer, and nothing stored can stand in: ${err.error.message}`,
      {
        code: CODE[err.error.kind],
        cause: err,
        actions: sourceActions(err.error, ctx),
      },
    );
  if (err instanceof UnknownTierError)
    return new UserError(err.message, {
      code: 'UnknownTier',
      exitCode: USAGE_EXIT_CODE,
      cause: err,
      actions: err.known.map((t) => `ballast health --tier ${t}`),
    });
  if (err instanceof ChangeRefusedError) return changeRefusal(err);
  if (err instanceof ChangeAwsError)
    return new UserError(err.message, {
      code: CODE[err.error.kind],
      cause: err,
      actions: sourceActions(err.error, ctx),
    });
  if (err instanceof BlackFridayError)
    return new UserError(err.message, { code: 'InvalidSale', cause: err, actions: err.actions });
  if (err instanceof LoadTestError)
    return new UserError(err.message, {
      code: err.code,
      cause: err,
      actions: err.actions,
      exitCode: err.exitCode,
    });
  if (err instanceof PortError)
    return new UserError(err.message, { code: 'ChangeFailed', cause: err, actions: err.actions });
  if (err instanceof Error) {
    // Only the kind: the service and operation (and so the IAM action) are unknown here.
    const { kind } = classifyAwsError(err, 'aws', 'request', ctx);
    if (isSdkError(err) || kind === 'unreachable' || kind === 'credentials')
      return new UserError(err.message, {
        code: CODE[kind],
        cause: err,
        actions: adviceFor(kind, ctx),
      });
  }
  return new BugError(err);
}

const REFUSAL_CODE: Record<ChangeRefusedError['code'], string> = {
  guardrail: 'GuardrailRefused',
  conflict: 'LiveStateMoved',
  busy: 'ChangeInProgress',
  'invalid-plan': 'InvalidPlan',
  'wrong-context': 'WrongContext',
  'already-applied': 'AlreadyApplied',
  'no-change': 'NoChange',
  'unknown-kind': 'UnknownChangeKind',
  'unknown-change': 'NotFound',
  'not-revertible': 'NotRevertible',
};

/** The change engine refused: nothing was written. A moved live state lists what moved. */
function changeRefusal(err: ChangeRefusedError): UserError {
  const changed = err.details.changed;
  const message =
    err.code === 'conflict' && changed
      ? `Live state moved since the plan: ${changed
          .map(
            (c) =>
              `${c.label} was ${formatFieldValue(c, c.before)} when planned, is ${formatFieldValue(c, c.after)} now`,
          )
          .join('; ')}. Nothing was applied.`
      : err.message;
  return new UserError(message, { code: REFUSAL_CODE[err.code], cause: err, actions: err.actions });
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
  return new UserError(`Could not read ${source.source}: ${error.message}`, {
    code: CODE[error.kind],
    actions: sourceActions(error, ctx),
  });
}

/**
 * An AWS SDK service error that a collector let through (collectors normally turn them into
 * degraded sources): the SDK marks them with $metadata and $fault.
 */
function isSdkError(err: Error): boolean {
  return '$metadata' in err || '$fault' in err;
}

/** What to do about a failed source, as a "Try this:" list: the collector's advice. */
export function sourceActions(
  error: { kind: SourceErrorKind; iamAction?: string; actions?: string[] },
  ctx: ErrorContext,
): string[] {
  // Every collector failure carries its advice; one built without it gets the same table's.
  return error.actions ?? adviceFor(error.kind, ctx, { iamAction: error.iamAction });
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

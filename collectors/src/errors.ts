// Turning an AWS SDK failure into a SourceStatus error that tells the user what happened
// and what to do: which IAM action to grant, which command to run, what to check. The one
// table of advice: the CLI (its error path and its report) and the dashboard both show
// these messages and actions, so the same failure is explained the same way everywhere.
import {
  SANDBOX_CONTEXT,
  type ResolvedContext,
  type SourceErrorKind,
  type SourceStatus,
} from '@ballast/core';

export type SourceError = NonNullable<SourceStatus['error']>;

/** What is known about where the request went, to make the advice specific. */
export interface ErrorHints {
  /** the context's profile, for the `aws sso login` hint */
  profile?: string;
  /** the custom endpoint, for the "is the endpoint reachable?" hint */
  endpointUrl?: string;
  region?: string;
  /** the context's name, for `--context NAME` in the advice */
  contextName?: string;
  /** the context targets the local sandbox (advice: start it) */
  sandbox?: boolean;
}

/** The hints a context gives: every collection and the CLI describe failures with these. */
export function errorHints(context: ResolvedContext): ErrorHints {
  return {
    contextName: context.name,
    profile: context.profile,
    region: context.region,
    endpointUrl: context.endpointUrl,
    sandbox: context.name === SANDBOX_CONTEXT || context.dummyCredentials === true,
  };
}

/** What to do about a failure of this kind, as a "Try this:" list, most useful first. */
export function adviceFor(
  kind: SourceErrorKind,
  hints: ErrorHints,
  details: {
    iamAction?: string;
    /** the metered service that failed, when the advice depends on it */
    service?: string;
    /** the AWS error name, when the advice depends on it */
    code?: string;
  } = {},
): string[] {
  const contextFlag = hints.contextName ? ` --context ${hints.contextName}` : '';
  if (details.service === 'costexplorer') {
    const advice = costExplorerAdvice(kind, details.code);
    if (advice) return advice;
  }
  if (details.service === 'autoscaling' && details.code) {
    const advice = AUTO_SCALING_REFUSALS.get(details.code)?.advice;
    if (advice) return advice;
  }
  switch (kind) {
    case 'unreachable':
      return hints.sandbox
        ? [
            'Start the sandbox in another terminal: ballast sandbox',
            'Or point at a sandbox already running elsewhere: --endpoint-url http://127.0.0.1:PORT',
          ]
        : [
            `Check that ${hints.endpointUrl ?? 'the AWS endpoint'} is reachable (network, VPN, proxy).`,
            'If AWS_ENDPOINT_URL is set by mistake, unset it to talk to real AWS.',
          ];
    case 'credentials':
      return hints.profile
        ? [
            `aws sso login --profile ${hints.profile}`,
            'Check that the profile exists: aws configure list-profiles',
            'Or use another profile: --profile NAME (or set AWS_PROFILE)',
          ]
        : [
            'Set AWS_PROFILE to a configured profile, or pass --profile NAME',
            'aws sso login --profile NAME   (for SSO profiles)',
            'Save the profile in the context: ballast context add NAME --profile NAME --region REGION --platform-config FILE',
          ];
    case 'access-denied':
      return [
        details.iamAction
          ? `Grant ${details.iamAction} to the IAM identity of ${hints.profile ? `profile ${hints.profile}` : 'your credentials'}.`
          : 'Grant the IAM permission named in the message to your identity.',
      ];
    case 'throttled':
      return [
        'Wait a minute: Ballast backs off and tries again by itself.',
        // The same line for every service, so a report lists it once (the message names it).
        "If it keeps happening, raise that API's rate quota in Service Quotas, or refresh less often (a longer --interval or --refresh).",
      ];
    case 'subscription-required':
      return [
        'This data needs an AWS Business or Enterprise Support plan; the rest of ballast works without it.',
      ];
    case 'invalid-request':
      return [
        `Check the region: the context uses ${hints.region ?? 'its default region'}; pass --region REGION${contextFlag} if the resources live elsewhere.`,
        'If the region is right, this may be a bug in ballast: report it with this message.',
      ];
    case 'service-error':
      return ['Try again in a minute; check https://health.aws.amazon.com for an AWS incident.'];
  }
}

/** Cost Explorer's own failures, whose advice differs from other services' (null: the usual). */
function costExplorerAdvice(kind: SourceErrorKind, code: string | undefined): string[] | null {
  switch (kind) {
    case 'subscription-required':
      return [
        'Enable Cost Explorer: as the management account, open Billing and Cost Management > Cost Explorer and launch it; its data appears within 24 hours.',
        'Other ballast commands work without it.',
      ];
    case 'invalid-request':
      return code === 'BillExpirationException'
        ? [
            'That period is older than Cost Explorer keeps: pick a later --since (13 months back at most).',
          ]
        : [
            'Check --since and --until: dates as YYYY-MM-DD, within the last 13 months.',
            'If they are right, this may be a bug in ballast: report it with this message.',
          ];
    case 'service-error':
      if (code === 'DataUnavailableException')
        return [
          'If Cost Explorer was enabled in the last 24 hours, its data is still being prepared: try again later.',
          'Otherwise pick a period within the last 13 months (--since).',
        ];
      if (code === 'RequestChangedException' || code === 'InvalidNextTokenException')
        return ["Cost Explorer's data changed while its answer was being paged: try again."];
      return null;
    default:
      return null;
  }
}

const SERVICES: Record<string, { title: string; iamPrefix: string }> = {
  cloudwatch: { title: 'CloudWatch', iamPrefix: 'cloudwatch' },
  autoscaling: { title: 'Auto Scaling', iamPrefix: 'autoscaling' },
  costexplorer: { title: 'Cost Explorer', iamPrefix: 'ce' },
  sts: { title: 'STS', iamPrefix: 'sts' },
};

/**
 * Auto Scaling's refusals of a change, by error name (the SDK names a modeled error after its
 * shape, ScalingActivityInProgressFault; the wire code is ScalingActivityInProgress): what
 * kind of failure each is and what to do. Nothing was changed by the refused write.
 */
const AUTO_SCALING_REFUSALS: ReadonlyMap<
  string,
  { kind: SourceErrorKind; why: string; advice: string[] }
> = (() => {
  const table = {
    ScalingActivityInProgress: {
      kind: 'service-error' as const,
      why: 'the group is scaling now',
      advice: [
        'The group is launching or terminating instances; AWS refuses this write until that ends. Apply again in a minute or two.',
      ],
    },
    ResourceContention: {
      kind: 'throttled' as const,
      why: 'another request is updating the group',
      advice: [
        'Another request is updating this group at the same moment: apply again in a few seconds.',
      ],
    },
    LimitExceeded: {
      kind: 'invalid-request' as const,
      why: 'a quota of the group or the account is reached',
      advice: [
        'The group has reached an Auto Scaling quota (50 scaling policies and 125 scheduled actions per group): delete what it no longer uses first.',
        'Account quotas (groups, launch configurations) can be raised in Service Quotas.',
      ],
    },
    AlreadyExists: {
      kind: 'invalid-request' as const,
      why: 'one of that name exists already',
      advice: [
        'Remove the existing one first (ballast scaling unschedule), or choose another name.',
      ],
    },
    ValidationError: {
      kind: 'invalid-request' as const,
      why: 'AWS refused the values',
      advice: [
        'Plan again with values AWS accepts: its message says which one it refused (min <= desired <= max, a start time in the future, a known metric).',
        'If the values are right, this may be a bug in ballast: report it with this message.',
      ],
    },
    ServiceLinkedRoleFailure: {
      kind: 'service-error' as const,
      why: 'Auto Scaling could not use its service-linked role',
      advice: [
        'Check that the role AWSServiceRoleForAutoScaling exists in IAM (aws iam get-role --role-name AWSServiceRoleForAutoScaling), then apply again.',
      ],
    },
  };
  return new Map(
    Object.entries(table).flatMap(([code, entry]) => [
      [code, entry],
      [`${code}Fault`, entry],
    ]),
  );
})();

/** Cost Explorer's LimitExceededException is its throttling (elsewhere it means a quota). */
const COST_EXPLORER_THROTTLED = new Set(['LimitExceededException']);
/** Cost Explorer failures that are about the data, not the request or the account. */
const COST_EXPLORER_DATA = new Set([
  'DataUnavailableException',
  'RequestChangedException',
  'InvalidNextTokenException',
]);
/** "User not enabled for cost explorer access": the account never launched Cost Explorer. */
const NOT_ENABLED = /not enabled for cost explorer/i;

const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);
const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'NotAuthorized',
]);
const SUBSCRIPTION = new Set(['SubscriptionRequiredException', 'OptInRequired']);
const CREDENTIALS = new Set([
  'CredentialsProviderError',
  'TokenProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'MissingAuthenticationToken',
]);
const REGION = new Set(['UnrecognizedClientException', 'InvalidRegion', 'AuthFailure']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
const TIMEOUTS = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

/**
 * The error a collection reports for a call still unanswered at its deadline: classified
 * like any other timeout (unreachable), with how long it waited.
 */
export function deadlineError(timeoutMs: number): Error {
  return Object.assign(new Error(`no answer within ${formatSeconds(timeoutMs)}`), {
    name: 'TimeoutError',
    code: 'ETIMEDOUT',
  });
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

export function classifyAwsError(
  err: unknown,
  service: string,
  operation: string,
  hints: ErrorHints = {},
): SourceError {
  const { title, iamPrefix } = SERVICES[service] ?? { title: service, iamPrefix: service };
  const { name, code, status, message, fault } = inspect(err);
  const detail = message ? `: ${message}` : '';
  const failure = (kind: SourceErrorKind, text: string, iamAction?: string): SourceError => ({
    kind,
    message: text,
    ...(iamAction ? { iamAction } : {}),
    actions: adviceFor(kind, hints, { iamAction, service, code: name }),
  });
  const costExplorer = service === 'costexplorer';

  if (costExplorer && (NOT_ENABLED.test(message) || SUBSCRIPTION.has(name)))
    return failure(
      'subscription-required',
      `Cost Explorer is not enabled for this account (${name || status})${detail}`,
    );
  if (costExplorer && COST_EXPLORER_THROTTLED.has(name))
    return failure('throttled', `${title} throttled ${operation} (${name})${detail}`);
  if (costExplorer && COST_EXPLORER_DATA.has(name))
    return failure('service-error', `${title} could not answer ${operation} (${name})${detail}`);
  if (costExplorer && name === 'BillExpirationException')
    return failure('invalid-request', `${title} rejected ${operation} (${name})${detail}`);
  const refusal = service === 'autoscaling' ? AUTO_SCALING_REFUSALS.get(name) : undefined;
  if (refusal)
    return failure(
      refusal.kind,
      `${title} refused ${operation}: ${refusal.why} (${name})${detail}`,
    );
  if (THROTTLED.has(name) || status === 429)
    return failure('throttled', `${title} throttled ${operation} (${name || status})${detail}`);
  if (
    CREDENTIALS.has(name) ||
    /could not load credentials|credentials? (?:is|are) missing|session .* expired/i.test(message)
  )
    return failure(
      'credentials',
      `No valid AWS credentials for ${title} ${operation} (${name || 'credentials'})${detail}`,
    );
  if (ACCESS_DENIED.has(name) || (status === 403 && !name)) {
    const iamAction = `${iamPrefix}:${operation}`;
    return failure('access-denied', `Access denied to ${iamAction}${detail}`, iamAction);
  }
  if (SUBSCRIPTION.has(name))
    return failure(
      'subscription-required',
      `This account is not subscribed to ${title} ${operation}${detail}`,
    );
  const timedOut = TIMEOUTS.has(name) || TIMEOUTS.has(code) || code === 'ETIMEDOUT';
  if (timedOut || NETWORK_CODES.has(code)) {
    const where =
      hints.endpointUrl ?? `the ${title} endpoint${hints.region ? ` in ${hints.region}` : ''}`;
    // The SDK's own timeout messages start with the package that raised them.
    const why = timedOut ? 'timed out' : code || name;
    const tidy = detail.replace(/^: @smithy\/[\w-]+ - (?:\[\w+\] )?/, ': ');
    return failure('unreachable', `Cannot reach ${where} for ${operation} (${why})${tidy}`);
  }
  if (REGION.has(name) || (!costExplorer && /region/i.test(message)))
    return failure(
      'invalid-request',
      `${title} rejected ${operation} (${name || 'invalid request'})${detail}`,
    );
  if (fault === 'server' || (status !== undefined && status >= 500))
    return failure('service-error', `${title} failed on ${operation} (${name || status})${detail}`);
  if (fault === 'client' || (status !== undefined && status >= 400))
    return failure(
      'invalid-request',
      `${title} rejected ${operation} (${name || status})${detail}`,
    );
  return failure(
    'service-error',
    `${operation} failed (${name || code || 'unknown error'})${detail}`,
  );
}

interface Inspected {
  name: string;
  code: string;
  status: number | undefined;
  message: string;
  fault: string | undefined;
}

/** Pulls name, code and HTTP status out of SDK errors, Node network errors and their causes. */
function inspect(err: unknown): Inspected {
  const chain: Record<string, unknown>[] = [];
  let current: unknown = err;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    chain.push(current as Record<string, unknown>);
    const { errors, cause } = current as { errors?: unknown; cause?: unknown };
    // Node reports a refused dual-stack connect as an AggregateError of per-address errors.
    current = Array.isArray(errors) && errors.length > 0 ? errors[0] : cause;
  }
  const first = chain[0] ?? {};
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const name =
    str(first.name) === 'Error' || str(first.name) === 'AggregateError' ? '' : str(first.name);
  const code = chain.map((e) => str(e.code)).find(Boolean) ?? '';
  const metadata = first.$metadata as { httpStatusCode?: number } | undefined;
  const message =
    (str(first.message) || chain.map((e) => str(e.message)).find(Boolean) || '').split('\n')[0] ??
    '';
  return {
    name,
    code,
    status: metadata?.httpStatusCode,
    message,
    fault: str(first.$fault) || undefined,
  };
}

// Turning an AWS SDK failure into a SourceStatus error that tells the user what happened
// and what to do: which IAM action to grant, which command to run, what to check.
import type { SourceStatus } from '@ballast/core';

export type SourceError = NonNullable<SourceStatus['error']>;

export interface ErrorHints {
  /** the context's profile, for the `aws sso login` hint */
  profile?: string;
  /** the custom endpoint, for the "is the endpoint right?" hint */
  endpointUrl?: string;
  region?: string;
}

const SERVICES: Record<string, { title: string; iamPrefix: string }> = {
  cloudwatch: { title: 'CloudWatch', iamPrefix: 'cloudwatch' },
  autoscaling: { title: 'Auto Scaling', iamPrefix: 'autoscaling' },
};

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

export function classifyAwsError(
  err: unknown,
  service: string,
  operation: string,
  hints: ErrorHints = {},
): SourceError {
  const { title, iamPrefix } = SERVICES[service] ?? { title: service, iamPrefix: service };
  const { name, code, status, message, fault } = inspect(err);
  const detail = message ? `: ${message}` : '';

  if (THROTTLED.has(name) || status === 429) {
    return {
      kind: 'throttled',
      message: `${title} throttled ${operation} (${name || status})${detail}`,
      action:
        'Ballast already retried; wait a minute and refresh, or ask for a shorter --since window. ' +
        'If it keeps happening, raise the API rate quota in Service Quotas.',
    };
  }
  if (
    CREDENTIALS.has(name) ||
    /could not load credentials|credentials? (?:is|are) missing|session .* expired/i.test(message)
  ) {
    return {
      kind: 'credentials',
      message: `No valid AWS credentials for ${title} ${operation} (${name || 'credentials'})${detail}`,
      action: hints.profile
        ? `run \`aws sso login --profile ${hints.profile}\` (or refresh that profile's keys), then retry`
        : 'set AWS_PROFILE or pass --profile (or add a profile to this context with `ballast context add`)',
    };
  }
  if (ACCESS_DENIED.has(name) || (status === 403 && !name)) {
    const iamAction = `${iamPrefix}:${operation}`;
    return {
      kind: 'access-denied',
      message: `Access denied to ${iamAction}${detail}`,
      iamAction,
      action: `grant ${iamAction} to the role or user of this context`,
    };
  }
  if (SUBSCRIPTION.has(name)) {
    return {
      kind: 'subscription-required',
      message: `This account is not subscribed to ${title} ${operation}${detail}`,
      action: `enable ${title} for the account (some APIs need a Business or Enterprise Support plan), or ignore this panel`,
    };
  }
  if (NETWORK_CODES.has(code) || TIMEOUTS.has(name) || TIMEOUTS.has(code)) {
    const where =
      hints.endpointUrl ?? `the ${title} endpoint${hints.region ? ` in ${hints.region}` : ''}`;
    return {
      kind: 'unreachable',
      message: `Cannot reach ${where} for ${operation} (${code || name})${detail}`,
      action: hints.endpointUrl
        ? 'is the endpoint URL right? for the sandbox run `ballast sandbox`'
        : 'check the network or proxy, and that the region is right',
    };
  }
  if (REGION.has(name) || /region/i.test(message)) {
    return {
      kind: 'invalid-request',
      message: `${title} rejected ${operation} (${name || 'invalid request'})${detail}`,
      action: `check the region${hints.region ? ` (${hints.region})` : ''}: the credentials may not be valid there, or the region is not enabled for the account`,
    };
  }
  if (fault === 'server' || (status !== undefined && status >= 500)) {
    return {
      kind: 'service-error',
      message: `${title} failed on ${operation} (${name || status})${detail}`,
      action: 'an AWS-side error; retry shortly, and check the AWS Health Dashboard if it persists',
    };
  }
  if (fault === 'client' || (status !== undefined && status >= 400)) {
    return {
      kind: 'invalid-request',
      message: `${title} rejected ${operation} (${name || status})${detail}`,
      action: 'this looks like a Ballast bug; please report it with this message',
    };
  }
  return {
    kind: 'service-error',
    message: `${operation} failed (${name || code || 'unknown error'})${detail}`,
    action: 'retry; if it persists, report it with this message',
  };
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

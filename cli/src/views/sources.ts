// One phrase per failed source: what went wrong. What to do about it is errors.ts's
// sourceActions, shared with the error path.
import type { SourceErrorKind, SourceStatus } from '@ballast/core';

const KIND_LABEL: Record<SourceErrorKind, string> = {
  throttled: 'throttled by AWS',
  'access-denied': 'access denied',
  'subscription-required': 'needs a subscription',
  unreachable: 'endpoint unreachable',
  credentials: 'no usable AWS credentials',
  'invalid-request': 'request rejected',
  'service-error': 'AWS service error',
};

export function describeSourceError(source: SourceStatus): string {
  const error = source.error;
  return error ? `${KIND_LABEL[error.kind]} — ${error.message}` : 'failed for an unknown reason';
}

/** The gist only, for a headline: "access denied", "throttled by AWS". */
export function sourceErrorGist(source: SourceStatus): string {
  return source.error ? KIND_LABEL[source.error.kind] : 'failed';
}

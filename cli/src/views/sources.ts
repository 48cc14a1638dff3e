// One phrase per failed source: what went wrong. What to do about it is errors.ts's
// sourceActions, shared with the error path.
import { formatDuration, sourceFailureWords, type SourceStatus } from '@ballast/core';

/** `now` dates the next try of a source that is backing off ("next try in 40s"). */
export function describeSourceError(source: SourceStatus, now?: number): string {
  const error = source.error;
  if (!error) return 'failed for an unknown reason';
  const wait = error.retryAt !== undefined && now !== undefined ? error.retryAt - now : undefined;
  const retry =
    wait === undefined
      ? ''
      : wait < 1_000
        ? ' (trying again)'
        : ` (next try in ${formatDuration(wait)})`;
  return `${sourceFailureWords(error.kind)}${retry} — ${error.message}`;
}

/** The gist only, for a headline: "access denied", "throttled by AWS". */
export function sourceErrorGist(source: SourceStatus): string {
  return source.error ? sourceFailureWords(source.error.kind) : 'failed';
}

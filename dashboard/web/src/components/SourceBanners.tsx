import type { HEALTH_SOURCES, SourceErrorKind, SourceStatus } from '@ballast/core';
import { formatAgo, formatClockSeconds } from '../format.js';

/**
 * Source names as core's HEALTH_SOURCES spells them. Typed against it, so a rename there
 * fails this build instead of silently hiding a panel's problem (the value itself is not
 * imported: core's runtime does not belong in the browser bundle).
 */
const SOURCES: typeof HEALTH_SOURCES = {
  metrics: 'cloudwatch-metrics',
  alarms: 'cloudwatch-alarms',
  autoscaling: 'autoscaling',
};

const SOURCE_NAMES: Record<string, string> = {
  [SOURCES.metrics]: 'CloudWatch metrics',
  [SOURCES.alarms]: 'CloudWatch alarms',
  [SOURCES.autoscaling]: 'Auto Scaling',
};

/** For the header, where there is room for a few words: "metrics throttled". */
const SHORT_NAMES: Record<string, string> = {
  [SOURCES.metrics]: 'metrics',
  [SOURCES.alarms]: 'alarms',
  [SOURCES.autoscaling]: 'Auto Scaling',
};

const KIND_WORDS: Record<SourceErrorKind, string> = {
  throttled: 'throttled by AWS',
  'access-denied': 'access denied',
  'subscription-required': 'needs a subscription',
  unreachable: 'unreachable',
  credentials: 'no valid credentials',
  'invalid-request': 'request rejected',
  'service-error': 'AWS service error',
};

const SHORT_KIND_WORDS: Record<SourceErrorKind, string> = {
  throttled: 'throttled',
  'access-denied': 'access denied',
  'subscription-required': 'need a subscription',
  unreachable: 'unreachable',
  credentials: 'without credentials',
  'invalid-request': 'rejected',
  'service-error': 'failing',
};

/** AWS messages often lack a full stop and actions a capital; both start sentences here. */
const sentence = (text: string): string => {
  const t = text.trim();
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

export const sourceName = (source: string): string => SOURCE_NAMES[source] ?? source;

/** "CloudWatch metrics: access denied", for a panel that only has room for the gist. */
export function sourceGist(source: SourceStatus): string {
  return `${sourceName(source.source)}: ${source.error ? KIND_WORDS[source.error.kind] : 'unavailable'}`;
}

/** The status of the source that feeds a panel. */
export function findSource(
  sources: SourceStatus[],
  kind: keyof typeof SOURCES,
): SourceStatus | undefined {
  return sources.find((s) => s.source === SOURCES[kind]);
}

/**
 * How old the stored data shown for a failed source is now, in ms: its age when the report
 * was made, plus the time since the report arrived (`receivedAt`, browser clock), so a skewed
 * clock does not matter. Undefined when nothing stored is shown.
 */
export function storedDataAge(
  source: SourceStatus,
  now?: number,
  receivedAt?: number,
): number | undefined {
  if (source.ageMs === undefined) return undefined;
  const since = now === undefined || receivedAt === undefined ? 0 : Math.max(0, now - receivedAt);
  return source.ageMs + since;
}

/** "4 min" */
const ageWords = (ms: number): string => formatAgo(ms).replace(/ ago$/, '');

/** "metrics throttled, data 4 min old": one failed source in a few words, for the header. */
export function staleSummary(source: SourceStatus, now: number, receivedAt: number): string {
  const what = `${SHORT_NAMES[source.source] ?? source.source} ${source.error ? SHORT_KIND_WORDS[source.error.kind] : 'unavailable'}`;
  const age = storedDataAge(source, now, receivedAt);
  return age === undefined ? what : `${what}, data ${ageWords(age)} old`;
}

/**
 * "stale · 4 min old": what a card shows when a failed source left it stored data; without
 * `now` and `receivedAt`, the age when the report was made.
 */
export function staleTag(source: SourceStatus, now?: number, receivedAt?: number): string {
  const age = storedDataAge(source, now, receivedAt);
  return age === undefined ? 'no data' : `stale · ${ageWords(age)} old`;
}

/** One failing source: what failed, why, what to do, and how old the data shown instead is. */
export function SourceProblem({
  source,
  now,
  receivedAt,
}: {
  source: SourceStatus;
  now: number;
  receivedAt: number;
}) {
  const error = source.error;
  const age = storedDataAge(source, now, receivedAt);
  return (
    <div
      className="source-problem"
      data-testid={`source-problem-${source.source}`}
      data-kind={error?.kind}
    >
      <strong>{sourceGist(source)}</strong>
      {error?.message ? <span className="source-message"> — {sentence(error.message)}</span> : null}
      {/* The collectors' advice, as the CLI prints it under "Try this:". */}
      {error?.actions?.map((action) => (
        <span key={action} className="source-action">
          {' '}
          {sentence(action)}
        </span>
      ))}
      {error?.retryAt ? (
        <span className="source-retry"> Next try at {formatClockSeconds(error.retryAt)}.</span>
      ) : null}
      {age !== undefined ? (
        <span className="source-age" data-testid="source-age">
          {' '}
          Showing stored data, {ageWords(age)} old.
        </span>
      ) : null}
    </div>
  );
}

/** One banner per failing source: the one place a failure is explained in full. */
export function SourceBanners({
  sources,
  now,
  receivedAt,
}: {
  sources: SourceStatus[];
  now: number;
  receivedAt: number;
}) {
  const failing = sources.filter((s) => !s.ok);
  if (failing.length === 0) return null;
  return (
    <div className="banners" data-testid="source-banners">
      {failing.map((s) => (
        <div
          key={s.source}
          className="banner banner-degraded"
          role="status"
          data-testid={`source-banner-${s.source}`}
        >
          <span className="banner-icon" aria-hidden="true">
            !
          </span>
          <SourceProblem source={s} now={now} receivedAt={receivedAt} />
        </div>
      ))}
    </div>
  );
}

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

const KIND_WORDS: Record<SourceErrorKind, string> = {
  throttled: 'throttled by AWS',
  'access-denied': 'access denied',
  'subscription-required': 'needs a subscription',
  unreachable: 'unreachable',
  credentials: 'no valid credentials',
  'invalid-request': 'request rejected',
  'service-error': 'AWS service error',
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

/** One line per failing source: what failed, why, and what to do. */
export function SourceProblem({ source, now }: { source: SourceStatus; now: number }) {
  const error = source.error;
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
      {source.fetchedAt ? (
        <span className="source-age"> Showing data from {formatAgo(now - source.fetchedAt)}.</span>
      ) : null}
    </div>
  );
}

export function SourceBanners({ sources, now }: { sources: SourceStatus[]; now: number }) {
  const failing = sources.filter((s) => !s.ok);
  if (failing.length === 0) return null;
  return (
    <div className="banner banner-degraded" role="status" data-testid="source-banners">
      <span className="banner-icon" aria-hidden="true">
        !
      </span>
      <div>
        {failing.map((s) => (
          <SourceProblem key={s.source} source={s} now={now} />
        ))}
      </div>
    </div>
  );
}

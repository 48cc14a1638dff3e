import type { SourceStatus } from '@ballast/core';
import { HEALTH_SOURCES as SOURCES, sourceFailureWords, sourceTitle } from '@ballast/core/format';
import { formatAgo, formatClockSeconds } from '../format.js';

/** AWS messages often lack a full stop and actions a capital; both start sentences here. */
const sentence = (text: string): string => {
  const t = text.trim();
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

export const sourceName = (source: string): string => sourceTitle(source);

/** "CloudWatch metrics: access denied", for a panel that only has room for the gist. */
export function sourceGist(source: SourceStatus): string {
  return `${sourceName(source.source)}: ${sourceFailureWords(source.error?.kind)}`;
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
  const what = `${sourceTitle(source.source, 'short')} ${sourceFailureWords(source.error?.kind, 'short')}`;
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

import { formatAgo, formatDayTime } from '../format.js';
import { useLive, useNow } from '../live.js';
import { staleSummary } from './SourceBanners.js';

/**
 * Whether the page is receiving live updates, and how old the data is. "Live" means the
 * stream is open, the last summary is not overdue (three refresh periods) and every source
 * of it could be read; while one fails it is "Stale", with what failed and how old the data
 * shown instead is ("metrics throttled, data 4 min old").
 */
export function LiveIndicator({ refreshSeconds }: { refreshSeconds: number }) {
  const { connection, summary, receivedAt, failure } = useLive();
  const now = useNow();
  const age = receivedAt === undefined ? undefined : now - receivedAt;
  const overdue = age !== undefined && age > Math.max(3 * refreshSeconds * 1000, 10_000);
  const failed = summary?.sources.filter((s) => !s.ok) ?? [];
  const detail =
    receivedAt === undefined ? '' : failed.map((s) => staleSummary(s, now, receivedAt)).join('; ');

  let state: 'live' | 'stale' | 'offline' | 'connecting';
  let word: string;
  if (connection === 'reconnecting') [state, word] = ['offline', 'Reconnecting…'];
  else if (!summary) [state, word] = ['connecting', failure ? 'No data' : 'Connecting…'];
  else if (overdue || failure || failed.length > 0) [state, word] = ['stale', 'Stale'];
  else [state, word] = ['live', 'Live'];

  return (
    <div
      className={`live live-${state}`}
      data-testid="live-indicator"
      data-state={state}
      title={[failure?.message, detail].filter(Boolean).join(' · ') || undefined}
    >
      <span className="live-dot" aria-hidden="true" />
      <span className="live-word">{word}</span>
      {detail && state === 'stale' ? (
        <span className="live-detail" data-testid="live-detail">
          {detail}
        </span>
      ) : null}
      {summary && age !== undefined ? (
        <span
          className="live-updated"
          data-testid="last-updated"
          data-evaluated-at={summary.evaluatedAt}
          title={`Evaluated ${formatDayTime(summary.evaluatedAt)}`}
        >
          updated {formatAgo(age)}
        </span>
      ) : null}
    </div>
  );
}

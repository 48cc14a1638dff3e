import { formatAgo, formatDayTime } from '../format.js';
import { useLive, useNow } from '../live.js';

/**
 * Whether the page is receiving live updates, and how old the data is. "Live" means the
 * stream is open and the last summary is not overdue (three refresh periods).
 */
export function LiveIndicator({ refreshSeconds }: { refreshSeconds: number }) {
  const { connection, summary, receivedAt, failure } = useLive();
  const now = useNow();
  const age = receivedAt === undefined ? undefined : now - receivedAt;
  const overdue = age !== undefined && age > Math.max(3 * refreshSeconds * 1000, 10_000);

  let state: 'live' | 'stale' | 'offline' | 'connecting';
  let word: string;
  if (connection === 'reconnecting') [state, word] = ['offline', 'Reconnecting…'];
  else if (!summary) [state, word] = ['connecting', failure ? 'No data' : 'Connecting…'];
  else if (overdue || failure) [state, word] = ['stale', 'Stale'];
  else [state, word] = ['live', 'Live'];

  return (
    <div
      className={`live live-${state}`}
      data-testid="live-indicator"
      data-state={state}
      title={failure?.message}
    >
      <span className="live-dot" aria-hidden="true" />
      <span className="live-word">{word}</span>
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

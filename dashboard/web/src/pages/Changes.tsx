// The Changes page: the audit log, newest first, with whether its hash chain holds; each
// change's diff, who made it (the AWS principal and the person) and why; and Revert, which
// plans the inverse through the same confirmation as any change.
import { useEffect, useState } from 'react';
import type { AuditChainReport, ChangeRecord } from '@ballast/core';
import { ApiError, fetchChanges } from '../api.js';
import { DiffList } from '../components/ChangeDialog.js';
import { formatDayTime } from '../format.js';
import { usePlanDialog, useSession } from './Scaling.js';

const STATUS_CLASS: Record<ChangeRecord['status'], string> = {
  applied: 'pill-ok',
  unverified: 'pill-degraded',
  pending: 'pill-unknown',
  failed: 'pill-critical',
  interrupted: 'pill-critical',
};

export default function ChangesPage() {
  const session = useSession();
  const [data, setData] = useState<{ changes: ChangeRecord[]; chain: AuditChainReport }>();
  const [error, setError] = useState<string>();
  const [reloads, setReloads] = useState(0);
  const {
    plan,
    planning,
    error: planError,
    dialog,
  } = usePlanDialog(session, () => setReloads((n) => n + 1));

  useEffect(() => {
    const abort = new AbortController();
    fetchChanges(abort.signal).then(setData, (e: unknown) => {
      if ((e as Error).name !== 'AbortError') setError((e as ApiError).message);
    });
    return () => abort.abort();
  }, [reloads]);

  return (
    <div className="page changes-page" data-testid="changes-page">
      <div className="toolbar">
        <h1 className="page-title">Changes</h1>
        {data ? <ChainStatus chain={data.chain} /> : null}
      </div>
      {error ? <div className="banner banner-critical">{error}</div> : null}
      {planError ? (
        <div className="banner banner-critical" role="alert">
          {planError}
        </div>
      ) : null}
      {data && data.changes.length === 0 ? (
        <div className="empty">
          No change was made through Ballast yet. Plan one on the Scaling or Workers page.
        </div>
      ) : null}
      <ol className="change-list">
        {data?.changes.map((c) => (
          <li key={c.changeId} className="card change" data-testid="change">
            <div className="change-head">
              <span className={`pill ${STATUS_CLASS[c.status]}`}>{c.status}</span>
              <strong className="change-title">{c.title}</strong>
              <span className="change-when num">{formatDayTime(c.at)}</span>
            </div>
            <div className="change-who">
              {c.actor.user} via {c.actor.via} as <code>{c.actor.principal}</code> — “{c.reason}”
              {c.revertOf ? ` · reverts ${c.revertOf}` : ''}
              {c.revertedBy.length ? ` · reverted by ${c.revertedBy.join(', ')}` : ''}
            </div>
            <DiffList diff={c.diff} />
            {c.error ? <p className="chart-foot-problem">{c.error}</p> : null}
            {c.status === 'applied' && c.revertedBy.length === 0 ? (
              <button
                type="button"
                disabled={planning || !session}
                onClick={() => void plan({ kind: 'revert', changeId: c.changeId })}
              >
                Revert…
              </button>
            ) : null}
            <span className="change-id">{c.changeId}</span>
          </li>
        ))}
      </ol>
      {dialog}
    </div>
  );
}

function ChainStatus({ chain }: { chain: AuditChainReport }) {
  return chain.ok ? (
    <span className="pill pill-ok" data-testid="chain-status">
      Audit chain intact · {chain.entries} entries
    </span>
  ) : (
    <span className="pill pill-critical" data-testid="chain-status" title={chain.message}>
      Audit chain broken at entry {chain.brokenAt}: {chain.message}
    </span>
  );
}

// The confirmation every change goes through: the plan's diff, its guardrails, its what-if
// effect next to the current configuration, and a required reason. Nothing is applied until
// the operator confirms here; a viewer sees the same plan and is told who may apply it.
import { useEffect, useRef, useState } from 'react';
import type { ApplyResult, Effect, FieldChange, GuardrailResult, Plan } from '@ballast/core';
import { formatDuration, formatNumber, formatUsd } from '@ballast/core/format';
import { applyPlan, ActionError, type Session } from '../api.js';

const show = (v: unknown): string =>
  v === undefined || v === null ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v);

export function DiffList({ diff }: { diff: readonly FieldChange[] }) {
  if (diff.length === 0) return <p className="panel-empty">Nothing would change.</p>;
  return (
    <table className="diff-table" data-testid="plan-diff">
      <thead>
        <tr>
          <th>Field</th>
          <th>Now</th>
          <th>After</th>
        </tr>
      </thead>
      <tbody>
        {diff.map((d) => (
          <tr key={d.field}>
            <td>{d.label}</td>
            <td className="num diff-before">
              {show(d.before)}
              {d.unit && d.before !== undefined ? ` ${d.unit}` : ''}
            </td>
            <td className="num diff-after">
              {show(d.after)}
              {d.unit && d.after !== undefined ? ` ${d.unit}` : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The what-if table: the candidate against the current configuration over the recorded week. */
export function EffectTable({ effect }: { effect: Effect }) {
  const { candidate, current } = effect;
  const slos = Object.keys({ ...current.minutesOverSlo, ...candidate.minutesOverSlo });
  const rows: { label: string; now: string; then: string }[] = [
    {
      label: 'Instance-hours',
      now: formatNumber(current.instanceHours),
      then: formatNumber(candidate.instanceHours),
    },
    {
      label: 'Cost',
      now: formatUsd(current.costUsd),
      then: formatUsd(candidate.costUsd),
    },
    {
      label: 'On-demand / spot hours',
      now: `${formatNumber(current.onDemandHours)} / ${formatNumber(current.spotHours)}`,
      then: `${formatNumber(candidate.onDemandHours)} / ${formatNumber(candidate.spotHours)}`,
    },
    ...slos.map((slo) => ({
      label: `Minutes over ${slo} SLO`,
      now: formatNumber(current.minutesOverSlo[slo]?.degraded ?? 0),
      then: formatNumber(candidate.minutesOverSlo[slo]?.degraded ?? 0),
    })),
    ...(current.peakQueueAgeSeconds !== undefined || candidate.peakQueueAgeSeconds !== undefined
      ? [
          {
            label: 'Peak queue age',
            now: formatDuration((current.peakQueueAgeSeconds ?? 0) * 1000),
            then: formatDuration((candidate.peakQueueAgeSeconds ?? 0) * 1000),
          },
        ]
      : []),
    {
      label: 'Minutes at max',
      now: formatNumber(current.minutesAtMax),
      then: formatNumber(candidate.minutesAtMax),
    },
  ];
  return (
    <div className="effect" data-testid="plan-effect">
      <table className="diff-table">
        <thead>
          <tr>
            <th>Last {formatDuration(effect.window.end - effect.window.start, 'words')}</th>
            <th>Current</th>
            <th>Candidate</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <td>{r.label}</td>
              <td className="num">{r.now}</td>
              <td className="num">{r.then}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {effect.backtest.length > 0 ? (
        <ul className="effect-notes">
          {effect.backtest.map((b) => (
            <li key={b.measure}>{b.sentence}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function Guardrails({ results }: { results: readonly GuardrailResult[] }) {
  const refusing = results.filter((g) => !g.ok);
  if (refusing.length === 0) return <p className="guardrails-ok">All guardrails pass.</p>;
  return (
    <ul className="guardrails" data-testid="plan-guardrails">
      {refusing.map((g) => (
        <li key={g.id}>
          {g.message}
          {g.actions.length ? <span className="guardrail-do"> {g.actions.join(' ')}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** The plan, and Apply with a required reason (operators only). */
export function ChangeDialog(props: {
  plan: Plan;
  blocking: readonly GuardrailResult[];
  session: Session;
  onClose: () => void;
  onApplied: (result: ApplyResult) => void;
}) {
  const { plan, blocking, session, onClose, onApplied } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ActionError>();
  const operator = session.role === 'operator';

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  const apply = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onApplied(await applyPlan(session, plan.id, reason));
    } catch (e) {
      setError(
        e instanceof ActionError ? e : new ActionError(0, (e as Error).message, 'failed', []),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} className="change-dialog" onClose={onClose} aria-labelledby="plan-title">
      <h2 id="plan-title">{plan.title}</h2>
      <DiffList diff={plan.diff} />
      <h3>Steps</h3>
      <ol className="plan-steps">
        {plan.steps.map((s, i) => (
          <li key={i}>{s.description}</li>
        ))}
      </ol>
      <h3>Guardrails</h3>
      <Guardrails results={plan.guardrails} />
      <h3>What-if over recorded traffic</h3>
      {plan.effect ? (
        <EffectTable effect={plan.effect} />
      ) : (
        <p className="panel-empty">{plan.effectUnavailable ?? 'No effect to replay.'}</p>
      )}
      {error ? (
        <div className="banner banner-critical" role="alert" data-testid="apply-error">
          <div>
            <strong>{error.message}</strong>
            {error.changed?.length ? (
              <ul>
                {error.changed.map((c) => (
                  <li key={c.field}>
                    {c.label}: planned {show(c.before)}, now {show(c.after)}
                  </li>
                ))}
              </ul>
            ) : null}
            {error.actions.length ? <p>{error.actions.join(' ')}</p> : null}
          </div>
        </div>
      ) : null}
      <form
        method="dialog"
        className="apply-form"
        onSubmit={(e) => {
          e.preventDefault();
          void apply();
        }}
      >
        <label>
          Reason (recorded in the audit log)
          <input
            name="reason"
            required
            minLength={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="why this change"
          />
        </label>
        {!operator ? (
          <p className="role-note" data-testid="viewer-note">
            Signed in as {session.name}, a viewer: only an operator may apply this.
          </p>
        ) : null}
        <div className="dialog-buttons">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button
            type="submit"
            className="primary"
            disabled={busy || blocking.length > 0 || plan.diff.length === 0}
          >
            {busy ? 'Applying…' : 'Apply'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

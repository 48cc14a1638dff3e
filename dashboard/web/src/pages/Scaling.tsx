// The Scaling page (web groups) and the Workers page (the SQS-fed worker fleet): per group,
// its capacity and signals over the last day (the Health page's charts, with changes marked;
// for workers, the queue against the fleet and the spot interruptions too),
// its policies with their targets, its scheduled actions on a timeline, and a form that plans
// a change. Every plan opens the confirmation dialog: diff, guardrails, what-if, reason.
import { useCallback, useEffect, useState } from 'react';
import type { GuardrailResult, PlatformHealth, Plan, ScheduledAction } from '@ballast/core';
import { formatDuration, formatNumber } from '@ballast/core/format';
import {
  ApiError,
  fetchHealth,
  fetchScalingGroup,
  fetchScalingGroups,
  fetchSession,
  planChange,
  type PlanBody,
  type ScalingGroupRef,
  type ScalingGroupView,
  type Session,
} from '../api.js';
import { ChangeDialog } from '../components/ChangeDialog.js';
import { formatDayTime } from '../format.js';
import { navigate, useLocation } from '../router.js';
import { TierSection } from './Health.js';
import { QueueChart } from './QueueChart.js';

/** The signed-in role and CSRF token, for the pages that change things. */
export function useSession(): Session | undefined {
  const [session, setSession] = useState<Session>();
  useEffect(() => {
    const abort = new AbortController();
    fetchSession(abort.signal).then(setSession, () => undefined);
    return () => abort.abort();
  }, []);
  return session;
}

/** A plan being confirmed, and the dialog that confirms it. */
export function usePlanDialog(session: Session | undefined, onApplied: () => void) {
  const [pending, setPending] = useState<{ plan: Plan; blocking: GuardrailResult[] }>();
  const [planning, setPlanning] = useState(false);
  const [error, setError] = useState<string>();
  const plan = useCallback(
    async (body: PlanBody) => {
      if (!session) return;
      setPlanning(true);
      setError(undefined);
      try {
        setPending(await planChange(session, body));
      } catch (e) {
        setError((e as Error).message);
      } finally {
        setPlanning(false);
      }
    },
    [session],
  );
  const dialog =
    pending && session ? (
      <ChangeDialog
        plan={pending.plan}
        blocking={pending.blocking}
        session={session}
        onClose={() => setPending(undefined)}
        onApplied={() => {
          setPending(undefined);
          onApplied();
        }}
      />
    ) : null;
  return { plan, planning, error, dialog };
}

const targetOf = (view: ScalingGroupView, metric: string) =>
  view.policies.find(
    (p) =>
      p.targetTracking &&
      (metric === 'cpu'
        ? p.targetTracking.metric.type === 'predefined' &&
          p.targetTracking.metric.metric === 'ASGAverageCPUUtilization'
        : p.targetTracking.metric.type === 'math'),
  )?.targetTracking?.targetValue;

export default function ScalingPage({ kind }: { kind: 'web' | 'workers' }) {
  const location = useLocation();
  const session = useSession();
  const [groups, setGroups] = useState<ScalingGroupRef[]>();
  const [view, setView] = useState<ScalingGroupView>();
  const [health, setHealth] = useState<PlatformHealth>();
  const [error, setError] = useState<string>();
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    fetchScalingGroups(abort.signal).then(
      (r) => setGroups(r.groups.filter((g) => g.kind === (kind === 'web' ? 'web' : 'worker'))),
      (e: unknown) => {
        if ((e as Error).name !== 'AbortError') setError((e as ApiError).message);
      },
    );
    return () => abort.abort();
  }, [kind]);

  const group = location.searchParams.get('group') ?? groups?.[0]?.group;
  const ref = groups?.find((g) => g.group === group);

  useEffect(() => {
    if (!ref) return;
    const abort = new AbortController();
    setError(undefined);
    fetchScalingGroup(ref.group, abort.signal).then(setView, (e: unknown) => {
      if ((e as Error).name !== 'AbortError') setError((e as ApiError).message);
    });
    fetchHealth({ range: '24h', tier: ref.tier, width: 400 }, abort.signal).then(
      setHealth,
      () => undefined,
    );
    return () => abort.abort();
  }, [ref, reloads]);

  const {
    plan,
    planning,
    error: planError,
    dialog,
  } = usePlanDialog(session, () => setReloads((n) => n + 1));

  const title = kind === 'web' ? 'Scaling' : 'Workers';
  const tier = health?.tiers.find((t) => t.tier === ref?.tier);
  return (
    <div
      className="page scaling-page"
      data-testid={`${kind === 'web' ? 'scaling' : 'workers'}-page`}
    >
      <div className="toolbar">
        <h1 className="page-title">{title}</h1>
        {groups && groups.length > 1 ? (
          <select
            aria-label="Group"
            value={group}
            onChange={(e) =>
              navigate(`${location.pathname}?group=${encodeURIComponent(e.target.value)}`)
            }
          >
            {groups.map((g) => (
              <option key={g.group}>{g.group}</option>
            ))}
          </select>
        ) : null}
        {session ? (
          <span className="tag" data-testid="role">
            {session.name} · {session.role}
          </span>
        ) : null}
      </div>
      {error ? <div className="banner banner-critical">{error}</div> : null}
      {groups && groups.length === 0 ? (
        <div className="empty">The platform has no {kind} Auto Scaling group.</div>
      ) : null}
      {view ? (
        <>
          <GroupFacts view={view} />
          {kind === 'web' ? (
            <CpuForm view={view} planning={planning} onPlan={plan} />
          ) : (
            <FleetForm view={view} planning={planning} onPlan={plan} />
          )}
          {planError ? (
            <div className="banner banner-critical" role="alert" data-testid="plan-error">
              {planError}
            </div>
          ) : null}
          <Policies view={view} />
          <Schedule actions={view.scheduledActions} now={view.now} />
        </>
      ) : !error && groups?.length !== 0 ? (
        <div className="loading">Reading {group ?? 'the groups'}…</div>
      ) : null}
      {kind === 'workers' && tier && health
        ? (tier.queues ?? []).map((queue) => (
            <QueueChart
              key={queue.queue}
              queue={queue}
              capacity={tier.capacity?.find((c) => c.group === ref?.group)}
              window={health.window}
            />
          ))
        : null}
      {tier && health ? <TierSection tier={tier} health={health} /> : null}
      {dialog}
    </div>
  );
}

function GroupFacts({ view }: { view: ScalingGroupView }) {
  const { live } = view;
  const d = live.distribution;
  const spotShare = d ? 100 - d.onDemandPercentageAboveBaseCapacity : 0;
  return (
    <div className="card group-facts" data-testid="group-facts">
      <strong>{live.name}</strong>
      <span>
        {formatNumber(live.inService)} in service · desired {formatNumber(live.desired)} · min{' '}
        {formatNumber(live.min)} · max {formatNumber(live.max)}
      </span>
      <span>
        {d
          ? `${formatNumber(spotShare)}% spot above ${formatNumber(d.onDemandBaseCapacity)} on-demand (${d.spotAllocationStrategy})`
          : 'on-demand only'}
      </span>
    </div>
  );
}

interface Field {
  name: string;
  label: string;
  min: number;
  max?: number;
  required?: boolean;
  initial: string;
}

/** A form of number fields that plans the change `body` makes of their values. */
function PlanForm(props: {
  fields: readonly Field[];
  body: (values: Record<string, string>) => PlanBody;
  planning: boolean;
  onPlan: (body: PlanBody) => Promise<void>;
}) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(props.fields.map((f) => [f.name, f.initial])),
  );
  return (
    <form
      className="card change-form"
      onSubmit={(e) => {
        e.preventDefault();
        void props.onPlan(props.body(values));
      }}
    >
      {props.fields.map((f) => (
        <label key={f.name}>
          {f.label}
          <input
            name={f.name}
            type="number"
            min={f.min}
            {...(f.max !== undefined ? { max: f.max } : {})}
            required={f.required ?? true}
            value={values[f.name] ?? ''}
            onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
          />
        </label>
      ))}
      <button type="submit" disabled={props.planning}>
        {props.planning ? 'Planning…' : 'Plan'}
      </button>
    </form>
  );
}

/** The CPU target of a web group. */
function CpuForm(props: {
  view: ScalingGroupView;
  planning: boolean;
  onPlan: (body: PlanBody) => Promise<void>;
}) {
  const { view } = props;
  const fields: Field[] = [
    {
      name: 'target-cpu',
      label: 'CPU target (%)',
      min: 1,
      max: 100,
      initial: String(targetOf(view, 'cpu') ?? 50),
    },
  ];
  return (
    <PlanForm
      {...props}
      fields={fields}
      body={(v) => ({
        kind: 'scaling-policy',
        group: view.group,
        metric: 'cpu',
        target: Number(v['target-cpu']),
      })}
    />
  );
}

/** Max workers, backlog per worker and spot share of the worker fleet. */
function FleetForm(props: {
  view: ScalingGroupView;
  planning: boolean;
  onPlan: (body: PlanBody) => Promise<void>;
}) {
  const { view } = props;
  const d = view.live.distribution;
  const fields: Field[] = [
    { name: 'max', label: 'Max workers', min: 0, initial: String(view.live.max) },
    {
      name: 'backlog-target',
      label: 'Backlog per worker',
      min: 1,
      required: false,
      initial: String(targetOf(view, 'backlog') ?? ''),
    },
    {
      name: 'spot-share',
      label: 'Spot share (%)',
      min: 0,
      max: 100,
      initial: String(d ? 100 - d.onDemandPercentageAboveBaseCapacity : 0),
    },
  ];
  return (
    <PlanForm
      {...props}
      fields={fields}
      body={(v) => ({
        kind: 'worker-fleet',
        group: view.group,
        max: Number(v.max),
        spotShare: Number(v['spot-share']),
        ...(v['backlog-target'] ? { backlogTarget: Number(v['backlog-target']) } : {}),
      })}
    />
  );
}

function Policies({ view }: { view: ScalingGroupView }) {
  return (
    <section className="card" data-testid="policies">
      <h2 className="panel-head">Policies</h2>
      {view.policies.length === 0 ? (
        <p className="panel-empty">No scaling policy: capacity changes only by hand or schedule.</p>
      ) : (
        <table className="diff-table">
          <thead>
            <tr>
              <th>Policy</th>
              <th>Tracks</th>
              <th>Target</th>
              <th>Warm-up</th>
            </tr>
          </thead>
          <tbody>
            {view.policies.map((p) => {
              const m = p.targetTracking?.metric;
              const tracks = !m
                ? p.type
                : m.type === 'predefined'
                  ? m.metric
                  : m.type === 'customized'
                    ? m.metric.metricName
                    : (m.queries.find((q) => q.returnData)?.label ?? 'metric math');
              return (
                <tr key={p.name} className={p.enabled ? '' : 'muted'}>
                  <td>{p.name}</td>
                  <td>{tracks}</td>
                  <td className="num">
                    {p.targetTracking ? formatNumber(p.targetTracking.targetValue) : '—'}
                    {p.targetTracking?.disableScaleIn ? ' (no scale-in)' : ''}
                  </td>
                  <td className="num">
                    {p.estimatedInstanceWarmup !== undefined
                      ? formatDuration(p.estimatedInstanceWarmup * 1000)
                      : '—'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Scheduled actions on a timeline of the next 14 days; recurring ones listed with their cron. */
function Schedule({ actions, now }: { actions: readonly ScheduledAction[]; now: number }) {
  const span = 14 * 86_400_000;
  const dated = actions
    .filter((a) => a.recurrence === undefined && a.startTime !== undefined)
    .sort((a, b) => a.startTime! - b.startTime!);
  const recurring = actions.filter((a) => a.recurrence !== undefined);
  const size = (a: ScheduledAction) =>
    [
      a.min !== undefined ? `min ${a.min}` : '',
      a.desired !== undefined ? `desired ${a.desired}` : '',
      a.max !== undefined ? `max ${a.max}` : '',
    ]
      .filter(Boolean)
      .join(', ');
  return (
    <section className="card" data-testid="schedule">
      <h2 className="panel-head">Scheduled actions</h2>
      {actions.length === 0 ? <p className="panel-empty">No scheduled action.</p> : null}
      {dated.length > 0 ? (
        <div className="schedule-line" aria-hidden="true">
          {dated
            .filter((a) => a.startTime! >= now && a.startTime! <= now + span)
            .map((a) => (
              <span
                key={a.name}
                className="schedule-mark"
                style={{ left: `${((a.startTime! - now) / span) * 100}%` }}
                title={`${a.name}: ${size(a)}`}
              />
            ))}
        </div>
      ) : null}
      <ul className="schedule-list">
        {dated.map((a) => (
          <li key={a.name}>
            <span className="num">{formatDayTime(a.startTime!)}</span> {a.name}: {size(a)}
          </li>
        ))}
        {recurring.map((a) => (
          <li key={a.name}>
            <code>{a.recurrence}</code> {a.timeZone ?? 'UTC'} {a.name}: {size(a)}
          </li>
        ))}
      </ul>
    </section>
  );
}

// The Load tests page: the runs of this platform (history), a running test live (VUs, request
// rate, p95, errors, bytes, thresholds) fed by the server's stream, a finished run's report
// (k6 per journey step beside the platform's metrics of the same window, the knee called
// out), and a start form whose preflight is confirmed in a dialog. Starting and stopping are
// an operator's; a viewer sees the same preflight and is refused by the server.
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ReferenceLine,
  Tooltip,
  type TooltipContentProps,
} from 'recharts';
import type { LoadSample, LoadTestRun } from '@ballast/core';
import type { LoadTestReport, PlatformSignal, PreflightCheck } from '@ballast/collectors';
import {
  formatDuration,
  formatNumber,
  formatPct,
  formatUsd,
  formatValue,
  valueAxis,
} from '@ballast/core/format';
import {
  ActionError,
  fetchLoadTest,
  fetchLoadTestReport,
  fetchLoadTests,
  fetchSession,
  planLoadTest,
  startLoadTest,
  stopLoadTest,
  type LoadTestDetail,
  type LoadTestList,
  type LoadTestPlanAnswer,
  type LoadTestRequest,
  type Session,
} from '../api.js';
import {
  AXIS,
  CHART_HEIGHT,
  CRITICAL,
  GRID,
  LineSwatch,
  plotGeometry,
  timeAxis,
  useElementWidth,
  valueAxisElement,
} from '../charts/chart-kit.js';
import { LOAD_TEST_BAND, LOAD_TEST_COLOUR } from '../charts/load-test-bands.js';
import { formatClock, formatDayTime } from '../format.js';
import { navigate, useLocation } from '../router.js';

const MINUTE = 60_000;
const RATE = '#5b9cf5';
const P95 = '#e3b341';
const VUS = '#2dd4bf';

const STATUS_WORDS: Record<LoadTestRun['status'], string> = {
  running: 'running',
  passed: 'passed',
  'thresholds-failed': 'thresholds failed',
  stopped: 'stopped',
  failed: 'failed',
  interrupted: 'interrupted',
};
const STATUS_PILL: Record<LoadTestRun['status'], string> = {
  running: 'pill-unknown',
  passed: 'pill-ok',
  'thresholds-failed': 'pill-critical',
  stopped: 'pill-degraded',
  failed: 'pill-critical',
  interrupted: 'pill-degraded',
};

const bytes = (n: number | null | undefined): string =>
  n === null || n === undefined ? '—' : formatValue(n, 'Bytes');
const ms = (n: number | null | undefined): string =>
  n === null || n === undefined ? '—' : formatValue(n, 'Milliseconds');
const share = (n: number | null | undefined): string =>
  n === null || n === undefined ? '—' : formatPct(n * 100);
const num = (n: number | null | undefined): string =>
  n === null || n === undefined ? '—' : formatNumber(n);

/** How long the run was planned to last (the preflight's estimate), ms; 0 when unknown. */
function plannedMs(run: LoadTestRun): number {
  const seconds = (run.options as { estimate?: { durationSeconds?: number } } | null)?.estimate
    ?.durationSeconds;
  return typeof seconds === 'number' ? seconds * 1000 : 0;
}

export function StatusBadge({ status }: { status: LoadTestRun['status'] }) {
  return (
    <span className={`pill ${STATUS_PILL[status]}`} data-testid="run-status" data-status={status}>
      {STATUS_WORDS[status]}
    </span>
  );
}

export default function LoadTestsPage() {
  const location = useLocation();
  const selected = location.searchParams.get('run') ?? undefined;
  const [list, setList] = useState<LoadTestList>();
  const [session, setSession] = useState<Session>();
  const [error, setError] = useState<string>();
  const [reloads, setReloads] = useState(0);
  const reload = useCallback(() => setReloads((n) => n + 1), []);

  useEffect(() => {
    const abort = new AbortController();
    fetchSession(abort.signal).then(setSession, () => undefined);
    return () => abort.abort();
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    fetchLoadTests(abort.signal).then(
      (l) => {
        setList(l);
        setError(undefined);
      },
      (e: Error) => {
        if (e.name !== 'AbortError') setError(e.message);
      },
    );
    return () => abort.abort();
  }, [reloads, selected]);

  // The test in progress is what an engineer opens this page for.
  const shown = selected ?? list?.running;

  return (
    <div className="page lt-page">
      <div className="lt-title">
        <h1>Load tests</h1>
        {session ? (
          <span className="role-badge" data-testid="role">
            {session.name} · {session.role}
          </span>
        ) : null}
      </div>
      {error ? (
        <div className="banner banner-critical" role="alert">
          {error}
        </div>
      ) : null}
      {list && session ? (
        <StartForm
          list={list}
          session={session}
          onStarted={(id) => navigate(`/loadtests?run=${encodeURIComponent(id)}`)}
        />
      ) : null}
      {shown ? <RunView key={shown} id={shown} session={session} onEnded={reload} /> : null}
      {list ? (
        <History list={list} selected={shown} />
      ) : (
        <div className="loading">Loading runs…</div>
      )}
    </div>
  );
}

function History({ list, selected }: { list: LoadTestList; selected?: string }) {
  return (
    <section className="card panel" data-testid="loadtest-history">
      <div className="panel-head">
        <h2>History</h2>
        <span className="count">{list.runs.length}</span>
      </div>
      {list.runs.length === 0 ? (
        <p className="panel-empty">
          No load test has run on {list.context} yet. Start one above, or with `ballast loadtest
          run`.
        </p>
      ) : (
        <div className="lt-table-wrap">
          <table className="spend-table lt-table">
            <thead>
              <tr>
                <th>Run</th>
                <th>Scenario</th>
                <th>Status</th>
                <th>Started</th>
                <th className="num">Length</th>
                <th className="num">Requests</th>
                <th className="num">Failed</th>
                <th className="num">p95</th>
              </tr>
            </thead>
            <tbody>
              {list.runs.map((r) => (
                <tr
                  key={r.id}
                  data-testid="loadtest-row"
                  data-run={r.id}
                  className={r.id === selected ? 'lt-selected' : undefined}
                >
                  <td>
                    <a
                      href={`/loadtests?run=${encodeURIComponent(r.id)}`}
                      onClick={(e) => {
                        if (e.button !== 0 || e.metaKey || e.ctrlKey) return;
                        e.preventDefault();
                        navigate(`/loadtests?run=${encodeURIComponent(r.id)}`);
                      }}
                    >
                      {r.id}
                    </a>
                    <div className="cell-sub">{r.target}</div>
                  </td>
                  <td>{r.scenario}</td>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td>{formatDayTime(r.startedAt)}</td>
                  <td className="num">
                    {r.endedAt !== undefined ? formatDuration(r.endedAt - r.startedAt) : '—'}
                  </td>
                  <td className="num">{num(r.requests)}</td>
                  <td className="num">{share(r.failedShare)}</td>
                  <td className="num">{ms(r.p95Ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The form: what to run, then its preflight in the dialog. */
function StartForm(props: {
  list: LoadTestList;
  session: Session;
  onStarted: (id: string) => void;
}) {
  const { list, session, onStarted } = props;
  const last = list.runs[0];
  const [scenario, setScenario] = useState(last?.scenario ?? list.scenarios[0] ?? 'smoke');
  const [target, setTarget] = useState(last?.target ?? '');
  const [scale, setScale] = useState('');
  const [duration, setDuration] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ActionError>();
  const [plan, setPlan] = useState<{ request: LoadTestRequest; answer: LoadTestPlanAnswer }>();

  const request = (): LoadTestRequest => ({
    scenario,
    target: target.trim(),
    ...(scale.trim() ? { scale: Number(scale) } : {}),
    ...(duration.trim() ? { duration: duration.trim() } : {}),
  });

  const preview = async () => {
    setBusy(true);
    setProblem(undefined);
    const r = request();
    try {
      setPlan({ request: r, answer: await planLoadTest(session, r) });
    } catch (e) {
      setProblem(e instanceof ActionError ? e : new ActionError(0, String(e), 'failed', []));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card panel" data-testid="loadtest-form">
      <div className="panel-head">
        <h2>Start a load test</h2>
        {list.running ? (
          <span className="panel-note">{list.running} is running: one test at a time.</span>
        ) : null}
      </div>
      <form
        className="lt-form"
        onSubmit={(e) => {
          e.preventDefault();
          void preview();
        }}
      >
        <label className="lt-field">
          Scenario
          <select name="scenario" value={scenario} onChange={(e) => setScenario(e.target.value)}>
            {list.scenarios.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="lt-field lt-field-wide">
          Target
          <input
            name="target"
            required
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            placeholder="http://127.0.0.1:4566/store"
            inputMode="url"
          />
        </label>
        <label className="lt-field lt-field-short">
          Scale
          <input
            name="scale"
            value={scale}
            onChange={(e) => setScale(e.target.value)}
            placeholder="1"
            inputMode="decimal"
          />
        </label>
        <label className="lt-field lt-field-short">
          Duration
          <input
            name="duration"
            value={duration}
            onChange={(e) => setDuration(e.target.value)}
            placeholder="profile's"
          />
        </label>
        <button type="submit" className="button lt-primary" disabled={busy}>
          {busy ? 'Checking…' : 'Preflight'}
        </button>
      </form>
      {problem ? <ActionProblem error={problem} testId="plan-error" /> : null}
      {plan ? (
        <StartDialog
          request={plan.request}
          plan={plan.answer}
          session={session}
          onClose={() => setPlan(undefined)}
          onStarted={(id) => {
            setPlan(undefined);
            onStarted(id);
          }}
        />
      ) : null}
    </section>
  );
}

function ActionProblem({ error, testId }: { error: ActionError; testId: string }) {
  return (
    <div className="banner banner-critical lt-problem" role="alert" data-testid={testId}>
      <div>
        <strong>{error.message}</strong>
        {error.actions.length ? <p>{error.actions.join(' ')}</p> : null}
      </div>
    </div>
  );
}

function Checks({ checks }: { checks: readonly PreflightCheck[] }) {
  return (
    <ul className="lt-checks" data-testid="preflight-checks">
      {checks.map((c) => (
        <li
          key={c.id}
          data-check={c.id}
          data-ok={c.ok}
          className={c.ok ? 'lt-check-ok' : c.overridden ? 'lt-check-overridden' : 'lt-check-no'}
        >
          <span className="lt-check-mark" aria-hidden="true">
            {c.ok ? '✓' : c.overridden ? '!' : '✕'}
          </span>
          <span>
            {c.message}
            {!c.ok && c.actions?.length ? (
              <span className="guardrail-do"> {c.actions.join(' ')}</span>
            ) : null}
          </span>
        </li>
      ))}
    </ul>
  );
}

const OVERRIDE_WORDS: Record<string, string> = {
  force: 'Run it although it is larger than the limits (--force)',
  'i-know-this-is-production': 'I know this is production (--i-know-this-is-production)',
};

/** The preflight: what the test will send and cost, the checks, and Start (operators only). */
function StartDialog(props: {
  request: LoadTestRequest;
  plan: LoadTestPlanAnswer;
  session: Session;
  onClose: () => void;
  onStarted: (id: string) => void;
}) {
  const { request, session, onClose, onStarted } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const [plan, setPlan] = useState(props.plan);
  const [overrides, setOverrides] = useState<string[]>(request.overrides ?? []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ActionError>();
  const operator = session.role === 'operator';

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  const overridable = plan.checks.filter((c) => !c.ok && c.override);
  const blocking = plan.blocking.filter((c) => !(c.override && overrides.includes(c.override)));
  const withOverrides = (): LoadTestRequest => ({
    ...request,
    ...(overrides.length
      ? { overrides: overrides as NonNullable<LoadTestRequest['overrides']> }
      : {}),
  });

  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onStarted((await startLoadTest(session, withOverrides())).id);
    } catch (e) {
      const err = e instanceof ActionError ? e : new ActionError(0, String(e), 'failed', []);
      if (err.plan) setPlan(err.plan);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const e = plan.estimate;
  return (
    <dialog
      ref={dialog}
      className="lt-dialog"
      onClose={onClose}
      aria-labelledby="lt-plan-title"
      data-testid="loadtest-plan"
    >
      <h2 id="lt-plan-title">
        {plan.scenario} against {plan.target}
      </h2>
      <p className="lt-desc">
        {plan.description}
        {plan.scale !== 1 ? ` Scaled ×${formatNumber(plan.scale)}.` : ''}
      </p>
      <h3>What it will send</h3>
      <table className="lt-kv" data-testid="plan-estimate">
        <tbody>
          <tr>
            <td>Length</td>
            <td className="num">{formatDuration(e.durationSeconds * 1000)}</td>
          </tr>
          <tr>
            <td>Shopper sessions</td>
            <td className="num">{formatNumber(e.iterations)}</td>
          </tr>
          <tr>
            <td>Requests</td>
            <td className="num">{formatNumber(e.requests)}</td>
          </tr>
          <tr>
            <td>Downloaded</td>
            <td className="num">{bytes(e.bytes)}</td>
          </tr>
          <tr>
            <td>Peak rate</td>
            <td className="num">{formatNumber(e.peakRequestsPerSecond)} req/s</td>
          </tr>
          <tr>
            <td>Peak VUs</td>
            <td className="num">{formatNumber(e.peakVus)}</td>
          </tr>
          <tr>
            <td>Estimated AWS cost</td>
            <td className="num" data-testid="plan-cost">
              {formatUsd(plan.cost.totalUsd)}
            </td>
          </tr>
        </tbody>
      </table>
      {plan.cost.lines.length ? (
        <ul className="lt-notes">
          {plan.cost.lines.map((l) => (
            <li key={l.item}>
              {formatUsd(l.usd)}: {formatNumber(l.quantity)} {l.unit} ({l.basis})
            </li>
          ))}
        </ul>
      ) : null}
      <h3>Preflight</h3>
      <Checks checks={plan.checks} />
      {overridable.length ? (
        <div className="lt-overrides">
          {overridable.map((c) => (
            <label key={c.id} className="lt-override">
              <input
                type="checkbox"
                name={`override-${c.override}`}
                checked={overrides.includes(c.override!)}
                onChange={(ev) =>
                  setOverrides((o) =>
                    ev.target.checked ? [...o, c.override!] : o.filter((x) => x !== c.override),
                  )
                }
              />
              {OVERRIDE_WORDS[c.override!] ?? c.override}
            </label>
          ))}
        </div>
      ) : null}
      <h3>Thresholds (from the platform&apos;s SLOs)</h3>
      <ul className="lt-notes lt-mono">
        {Object.entries(plan.thresholds)
          .filter(([metric]) => !metric.includes('{step:'))
          .map(([metric, list]) => (
            <li key={metric}>
              {metric}: {list.map((t) => (typeof t === 'string' ? t : t.threshold)).join(', ')}
            </li>
          ))}
      </ul>
      {error ? <ActionProblem error={error} testId="start-error" /> : null}
      {!operator ? (
        <p className="role-note lt-role-note" data-testid="viewer-note">
          Signed in as {session.name}, a viewer: only an operator may start a load test.
        </p>
      ) : null}
      <div className="dialog-buttons lt-buttons">
        <button type="button" className="button" onClick={() => dialog.current?.close()}>
          Cancel
        </button>
        <button
          type="button"
          className="button lt-primary"
          disabled={busy || blocking.length > 0}
          onClick={() => void start()}
        >
          {busy ? 'Starting…' : 'Start test'}
        </button>
      </div>
    </dialog>
  );
}

/** One run: live while it runs, its report once it ended. */
function RunView(props: { id: string; session?: Session; onEnded: () => void }) {
  const { id, session, onEnded } = props;
  const [detail, setDetail] = useState<LoadTestDetail>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const abort = new AbortController();
    fetchLoadTest(id, abort.signal).then(setDetail, (e: Error) => {
      if (e.name !== 'AbortError') setError(e.message);
    });
    return () => abort.abort();
  }, [id]);

  if (error)
    return (
      <div className="banner banner-critical" role="alert">
        {error}
      </div>
    );
  if (!detail) return <div className="loading">Loading {id}…</div>;
  if (detail.run.status === 'running')
    return (
      <LiveRun
        detail={detail}
        session={session}
        onEnded={(run) => {
          setDetail({ ...detail, run });
          onEnded();
        }}
      />
    );
  return <Report run={detail.run} />;
}

/** The last sample, and the samples so far, from the run's stream. */
function useRunStream(id: string, onEnd: (run: LoadTestRun) => void) {
  const [samples, setSamples] = useState<LoadSample[]>([]);
  const [connected, setConnected] = useState(false);
  const ended = useRef(onEnd);
  ended.current = onEnd;
  useEffect(() => {
    const source = new EventSource(`/api/loadtests/${encodeURIComponent(id)}/events`);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener('sample', (e) => {
      const sample = JSON.parse((e as MessageEvent<string>).data) as LoadSample;
      setSamples((s) => (s.length && s[s.length - 1]!.t >= sample.t ? s : [...s, sample]));
    });
    source.addEventListener('run', (e) => {
      const run = JSON.parse((e as MessageEvent<string>).data) as LoadTestRun;
      // The server ends the stream with the run's outcome: do not reconnect.
      if (run.status !== 'running') {
        source.close();
        ended.current(run);
      }
    });
    return () => source.close();
  }, [id]);
  return { samples, connected };
}

function LiveRun(props: {
  detail: LoadTestDetail;
  session?: Session;
  onEnded: (run: LoadTestRun) => void;
}) {
  const { detail, session, onEnded } = props;
  const { run } = detail;
  const { samples, connected } = useRunStream(run.id, onEnded);
  const [stopError, setStopError] = useState<ActionError>();
  const [stopping, setStopping] = useState(false);
  const last = samples.at(-1);
  const failing = new Set(last?.failingThresholds ?? []);
  const metrics = Object.entries(detail.thresholds);

  const stop = async () => {
    if (!session) return;
    setStopping(true);
    setStopError(undefined);
    try {
      await stopLoadTest(session, run.id);
    } catch (e) {
      setStopError(e instanceof ActionError ? e : new ActionError(0, String(e), 'failed', []));
      setStopping(false);
    }
  };

  return (
    <section className="card panel lt-run" data-testid="loadtest-live" data-run={run.id}>
      <div className="panel-head">
        <h2>
          {run.scenario} · {run.id}
        </h2>
        <StatusBadge status={run.status} />
        <span className={`lt-live ${connected ? 'lt-live-on' : ''}`}>
          {connected ? 'live' : 'connecting…'}
        </span>
        {detail.stoppable ? (
          <button
            type="button"
            className="button lt-stop"
            onClick={() => void stop()}
            disabled={stopping}
          >
            {stopping ? 'Stopping…' : 'Stop'}
          </button>
        ) : null}
      </div>
      <p className="lt-desc">
        Against {run.target} since {formatClock(run.startedAt)}, run by {run.holder}
        {detail.stoppable ? '' : ' (stop it where it runs)'}.
      </p>
      {stopError ? <ActionProblem error={stopError} testId="stop-error" /> : null}
      <div className="lt-tiles" data-testid="live-tiles">
        <Tile label="VUs" value={last ? formatNumber(last.vus) : '—'} testId="live-vus" />
        <Tile
          label="Request rate"
          value={last ? `${formatNumber(last.requestRate)}/s` : '—'}
          testId="live-rate"
        />
        <Tile label="p95" value={ms(last?.p95Ms)} testId="live-p95" />
        <Tile label="Errors" value={share(last?.errorRate)} testId="live-errors" />
        <Tile label="Downloaded" value={bytes(last?.bytesReceived)} testId="live-bytes" />
        <Tile label="Requests" value={last ? formatNumber(last.requests) : '—'} />
      </div>
      <LoadChart
        samples={samples}
        start={run.startedAt}
        // The planned length: the chart fills as the test goes on.
        end={Math.max(last?.t ?? run.startedAt, run.startedAt + plannedMs(run))}
      />
      <h3 className="lt-sub">Thresholds</h3>
      <ul className="lt-thresholds" data-testid="live-thresholds">
        {metrics.map(([metric, expressions]) => (
          <li
            key={metric}
            data-metric={metric}
            data-failing={failing.has(metric)}
            className={failing.has(metric) ? 'lt-check-no' : 'lt-check-ok'}
          >
            <span className="lt-check-mark" aria-hidden="true">
              {failing.has(metric) ? '✕' : '✓'}
            </span>
            <span className="lt-mono">
              {metric} {expressions.join(', ')}
            </span>
            <span className="lt-threshold-state">
              {failing.has(metric) ? 'failing' : 'passing'}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Tile(props: { label: string; value: string; testId?: string; tone?: 'bad' }) {
  return (
    <div className={`lt-tile ${props.tone === 'bad' ? 'lt-tile-bad' : ''}`}>
      <div className="lt-tile-label">{props.label}</div>
      <div className="lt-tile-value num" {...(props.testId ? { 'data-testid': props.testId } : {})}>
        {props.value}
      </div>
    </div>
  );
}

/** k6's load over the run: request rate (left axis) and p95 (right, as a share of its top). */
function LoadChart(props: {
  samples: readonly LoadSample[];
  start: number;
  end: number;
  knee?: { at: number } | null;
  p95Limit?: number;
}) {
  const { samples, knee, p95Limit } = props;
  const [ref, width] = useElementWidth<HTMLDivElement>();
  // Whole minutes: the time axis ticks at minutes, and a smoke test lasts less than one.
  const window = {
    start: Math.floor(props.start / MINUTE) * MINUTE,
    end: Math.ceil(Math.max(props.end, props.start + 10_000) / MINUTE) * MINUTE,
  };
  const topRate = samples.reduce((m, s) => Math.max(m, s.requestRate), 0);
  const topP95 = samples.reduce((m, s) => Math.max(m, s.p95Ms ?? 0), p95Limit ?? 0);
  const axis = valueAxis(Math.max(1, topRate * 1.1), 'Count/Second');
  const geometry = plotGeometry(width, axis, { axisTitle: true });
  // p95 drawn on the rate's scale: its top matches the rate axis' top.
  const p95Scale = topP95 > 0 ? axis.top / (topP95 * 1.1) : 1;
  const data = samples.map((s) => ({
    t: s.t,
    rate: s.requestRate,
    p95: s.p95Ms === null ? null : s.p95Ms * p95Scale,
    p95Ms: s.p95Ms,
    vus: s.vus,
  }));
  return (
    <figure className="card chart-card lt-chart" data-testid="load-chart">
      <div className="chart-head">
        <span className="chart-title">k6: request rate and p95</span>
        <span className="chart-legend">
          <span className="legend-item">
            <LineSwatch colour={RATE} /> req/s
          </span>
          <span className="legend-item">
            <LineSwatch colour={P95} /> p95 (to {ms(topP95 * 1.1)} at the top)
          </span>
        </span>
      </div>
      <div className="chart-body" ref={ref}>
        {width > 0 && samples.length > 0 ? (
          <ComposedChart data={data} width={width} height={CHART_HEIGHT} margin={geometry.margin}>
            <CartesianGrid stroke={GRID} vertical={false} />
            {timeAxis(window, geometry)}
            {valueAxisElement(axis, geometry, 'req/s')}
            <Tooltip
              isAnimationActive={false}
              cursor={{ stroke: AXIS, strokeDasharray: '3 3' }}
              content={(p: TooltipContentProps) => <LoadTooltip {...p} />}
            />
            {p95Limit !== undefined && p95Limit * p95Scale <= axis.top ? (
              <ReferenceLine
                y={p95Limit * p95Scale}
                stroke={P95}
                strokeDasharray="5 4"
                ifOverflow="hidden"
              />
            ) : null}
            {knee ? (
              <ReferenceLine
                x={knee.at}
                stroke={CRITICAL}
                strokeWidth={1.5}
                label={{ value: 'knee', fill: CRITICAL, fontSize: 11, position: 'insideTopRight' }}
              />
            ) : null}
            <Line
              dataKey="rate"
              stroke={RATE}
              dot={false}
              strokeWidth={1.6}
              isAnimationActive={false}
            />
            <Line
              dataKey="p95"
              stroke={P95}
              dot={false}
              strokeWidth={1.4}
              isAnimationActive={false}
              connectNulls
            />
          </ComposedChart>
        ) : (
          <div className="chart-empty" style={{ height: CHART_HEIGHT }}>
            Waiting for k6’s first reading…
          </div>
        )}
      </div>
    </figure>
  );
}

function LoadTooltip(props: TooltipContentProps) {
  const point = props.payload?.[0]?.payload as
    { t: number; rate: number; p95Ms: number | null; vus: number } | undefined;
  if (!props.active || !point) return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-time">{formatClock(point.t)}</div>
      <div className="chart-tooltip-value">{formatNumber(point.rate)} req/s</div>
      <div className="chart-tooltip-time">
        p95 {ms(point.p95Ms)} · {formatNumber(point.vus)} VUs
      </div>
    </div>
  );
}

/** A finished run: k6's results beside the platform's view of the same window. */
function Report({ run }: { run: LoadTestRun }) {
  const [report, setReport] = useState<LoadTestReport>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const abort = new AbortController();
    fetchLoadTestReport(run.id, abort.signal).then(setReport, (e: Error) => {
      if (e.name !== 'AbortError') setError(e.message);
    });
    return () => abort.abort();
  }, [run.id]);

  return (
    <section className="card panel lt-run" data-testid="loadtest-report" data-run={run.id}>
      <div className="panel-head">
        <h2>
          {run.scenario} · {run.id}
        </h2>
        <StatusBadge status={run.status} />
      </div>
      <p className="lt-desc">
        Against {run.target}, {formatDayTime(run.startedAt)}
        {run.endedAt !== undefined ? ` for ${formatDuration(run.endedAt - run.startedAt)}` : ''},
        run by {run.holder}
        {run.k6Version ? ` with k6 ${run.k6Version}` : ''}.{run.message ? ` ${run.message}` : ''}
      </p>
      {error ? (
        <div className="banner banner-critical" role="alert" data-testid="report-error">
          {error}
        </div>
      ) : null}
      {!report ? (
        error ? null : (
          <div className="loading">Reading the platform’s metrics of the window…</div>
        )
      ) : (
        <ReportBody report={report} />
      )}
    </section>
  );
}

function ReportBody({ report }: { report: LoadTestReport }) {
  const o = report.overall;
  const knee = report.knee;
  const testWindow = {
    start: report.run.startedAt,
    end: report.run.endedAt ?? report.window.end,
  };
  const failedThresholds = report.thresholds.filter((t) => t.failed);
  return (
    <>
      <div className="lt-tiles" data-testid="report-tiles">
        <Tile label="Exit" value={report.exit} testId="report-exit" />
        <Tile label="Requests" value={num(o.requests)} />
        <Tile
          label="Request rate"
          value={o.requestsPerSecond === null ? '—' : `${formatNumber(o.requestsPerSecond)}/s`}
        />
        <Tile label="Failed" value={share(o.failedShare)} />
        <Tile label="p95 / p99" value={`${ms(o.p95Ms)} / ${ms(o.p99Ms)}`} />
        <Tile label="3D model p95 (last byte)" value={ms(o.modelTtlbP95Ms)} />
        <Tile label="Downloaded" value={bytes(o.bytesReceived)} />
        <Tile label="Max VUs" value={num(o.maxVus)} />
        <Tile
          label="Cost of the window"
          value={formatUsd(report.cost.totalUsd)}
          testId="report-cost"
        />
      </div>
      <div
        className={`lt-knee ${knee ? 'lt-knee-found' : ''}`}
        data-testid="report-knee"
        data-found={Boolean(knee)}
      >
        {knee ? (
          <>
            <strong>Knee at {formatNumber(knee.requestRate)} req/s</strong> (
            {formatNumber(knee.vus)} VUs, {formatClock(knee.at)}):{' '}
            {knee.reason === 'latency'
              ? `p95 went to ${ms(knee.p95Ms)}${report.kneeLimits.p95Ms !== undefined ? `, over ${ms(report.kneeLimits.p95Ms)}` : ''}`
              : `errors went to ${share(knee.errorRate)}${report.kneeLimits.errorRate !== undefined ? `, over ${share(report.kneeLimits.errorRate)}` : ''}`}
            .
            {knee.lastGoodRequestRate !== null
              ? ` The highest rate held before it: ${formatNumber(knee.lastGoodRequestRate)} req/s.`
              : ''}
          </>
        ) : (
          <>
            No knee: latency and errors stayed within{' '}
            {report.kneeLimits.p95Ms !== undefined
              ? `p95 ${ms(report.kneeLimits.p95Ms)}`
              : 'the limits'}
            {report.kneeLimits.errorRate !== undefined
              ? ` and ${share(report.kneeLimits.errorRate)} errors`
              : ''}{' '}
            at every load the test reached.
          </>
        )}
      </div>
      <LoadChart
        samples={report.samples}
        start={testWindow.start}
        end={testWindow.end}
        knee={knee}
        {...(report.kneeLimits.p95Ms !== undefined ? { p95Limit: report.kneeLimits.p95Ms } : {})}
      />
      <div className="panel-row">
        <div>
          <h3 className="lt-sub">
            Thresholds{' '}
            {failedThresholds.length ? (
              <span className="lt-bad">{failedThresholds.length} failed</span>
            ) : report.thresholds.length ? (
              <span className="lt-good">all passed</span>
            ) : null}
          </h3>
          {report.thresholds.length === 0 ? (
            <p className="panel-empty">k6 reported no thresholds.</p>
          ) : (
            <ul className="lt-thresholds" data-testid="report-thresholds">
              {report.thresholds
                .filter((t) => !t.metric.includes('{step:'))
                .map((t) => (
                  <li
                    key={`${t.metric} ${t.expression}`}
                    className={t.failed ? 'lt-check-no' : 'lt-check-ok'}
                    data-failed={t.failed}
                  >
                    <span className="lt-check-mark" aria-hidden="true">
                      {t.failed ? '✕' : '✓'}
                    </span>
                    <span className="lt-mono">
                      {t.metric} {t.expression}
                    </span>
                  </li>
                ))}
            </ul>
          )}
        </div>
        <div>
          <h3 className="lt-sub">Per journey step</h3>
          <div className="lt-table-wrap">
            <table className="spend-table lt-table" data-testid="report-steps">
              <thead>
                <tr>
                  <th>Step</th>
                  <th className="num">median</th>
                  <th className="num">p90</th>
                  <th className="num">p95</th>
                  <th className="num">max</th>
                </tr>
              </thead>
              <tbody>
                {report.steps.map((s) => (
                  <tr
                    key={s.step}
                    data-step={s.step}
                    className={s.failed ? 'lt-row-bad' : undefined}
                  >
                    <td>
                      {s.step}
                      {s.failed ? <span className="lt-bad"> threshold failed</span> : null}
                    </td>
                    <td className="num">{ms(s.medMs)}</td>
                    <td className="num">{ms(s.p90Ms)}</td>
                    <td className="num">{ms(s.p95Ms)}</td>
                    <td className="num">{ms(s.maxMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
      <h3 className="lt-sub">The platform in the same window (CloudWatch)</h3>
      {report.platform.unavailable.map((u) => (
        <div key={u.source} className="banner banner-degraded" data-testid="report-unavailable">
          {u.source}: {u.message}
        </div>
      ))}
      <p className="lt-desc">
        {report.platform.activities.length} scaling{' '}
        {report.platform.activities.length === 1 ? 'activity' : 'activities'} in the window
        {report.platform.capacity
          .filter((c) => c.inServiceMin !== null)
          .map(
            (c) =>
              `; ${c.group} ran ${formatNumber(c.inServiceMin!)}–${formatNumber(c.inServiceMax!)} instances`,
          )
          .join('')}
        .
      </p>
      <div className="chart-grid" data-testid="report-platform">
        {report.platform.signals
          .filter((s) => s.points.length > 0)
          .map((s) => (
            <PlatformChart
              key={`${s.tier}-${s.signal}`}
              signal={s}
              window={report.window}
              test={testWindow}
              kneeAt={knee?.at}
            />
          ))}
      </div>
      <h3 className="lt-sub">Cost of the window at list prices</h3>
      <table className="lt-kv" data-testid="report-cost-lines">
        <tbody>
          {report.cost.lines.map((l) => (
            <tr key={l.item}>
              <td>
                {l.item} <span className="cell-sub">{l.basis}</span>
              </td>
              <td className="num">
                {formatNumber(l.quantity)} {l.unit}
              </td>
              <td className="num">{formatUsd(l.usd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.cost.notes.length ? (
        <ul className="lt-notes">
          {report.cost.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

/** One platform signal over the report's window, the test as a band and the knee as a line. */
function PlatformChart(props: {
  signal: PlatformSignal;
  window: { start: number; end: number };
  test: { start: number; end: number };
  kneeAt?: number;
}) {
  const { signal, window, test, kneeAt } = props;
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const top = signal.points.reduce((m, p) => Math.max(m, p.v), 0);
  // A flat zero still gets a readable axis (0 to 1 of its unit).
  const axis = valueAxis(top > 0 ? top * 1.08 : 1, signal.unit);
  const geometry = plotGeometry(width, axis, { height: 150 });
  return (
    <figure className="card chart-card" data-testid="platform-chart" data-signal={signal.signal}>
      <div className="chart-head">
        <span className="chart-title">
          {signal.tier} · {signal.label}
        </span>
        <span className="chart-legend">
          {signal.max !== null ? `max ${formatValue(signal.max, signal.unit)} in the test` : ''}
          {signal.atKnee !== null
            ? ` · ${formatValue(signal.atKnee, signal.unit)} at the knee`
            : ''}
        </span>
      </div>
      <div className="chart-body lt-chart-small" ref={ref}>
        {width > 0 ? (
          <ComposedChart data={signal.points} width={width} height={150} margin={geometry.margin}>
            <CartesianGrid stroke={GRID} vertical={false} />
            {timeAxis(window, geometry)}
            {valueAxisElement(axis, geometry)}
            <ReferenceArea
              x1={test.start}
              x2={test.end}
              fill={LOAD_TEST_COLOUR}
              fillOpacity={LOAD_TEST_BAND.fillOpacity}
              ifOverflow="hidden"
            />
            {kneeAt !== undefined ? (
              <ReferenceLine x={kneeAt} stroke={CRITICAL} strokeWidth={1.2} />
            ) : null}
            <Line
              dataKey="v"
              stroke={VUS}
              dot={false}
              strokeWidth={1.4}
              isAnimationActive={false}
            />
          </ComposedChart>
        ) : null}
      </div>
    </figure>
  );
}

// Golden-signal charts per tier over a chosen range, with SLO and CloudWatch alarm
// thresholds and scaling activity, and each Auto Scaling group's capacity. Loaded lazily:
// this page (and recharts) is not part of the initial bundle.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { PlatformHealth, ScalingActivity, TierHealth } from '@ballast/core';
import {
  ApiError,
  fetchHealth,
  fetchLoadTests,
  RANGES,
  type LoadTestListItem,
  type Range,
} from '../api.js';
import {
  LOAD_TEST_COLOUR,
  loadTestWindows,
  type LoadTestWindow,
} from '../charts/load-test-bands.js';
import { SourceBanners, findSource } from '../components/SourceBanners.js';
import { StatusPill } from '../components/StatusPill.js';
import { formatAgo, formatClockSeconds, SIGNAL_ORDER, splitTitle } from '../format.js';
import { useLive, useNow } from '../live.js';
import { Link, navigate, useLocation } from '../router.js';
import { CapacityChart } from './CapacityChart.js';
import { SignalChart } from './SignalChart.js';

/**
 * The shortest time between automatic reloads of a range. A 14-day view barely changes in a
 * minute, and reloading it costs CloudWatch requests for 20,000 points per metric.
 */
const AUTO_REFRESH_MIN_MS: Record<Range, number> = {
  '1h': 0,
  '6h': 60_000,
  '24h': 120_000,
  '7d': 300_000,
  '14d': 300_000,
};

const RANGE_WORDS: Record<Range, string> = {
  '1h': 'last hour',
  '6h': 'last 6 hours',
  '24h': 'last 24 hours',
  '7d': 'last 7 days',
  '14d': 'last 14 days',
};

/** Points to ask for: about one per pixel of a chart (two charts side by side). */
function chartWidthPoints(): number {
  return Math.max(200, Math.min(1_000, Math.round(window.innerWidth / 2)));
}

interface Loaded {
  health: PlatformHealth;
  range: Range;
  tier: string;
  loadedAt: number;
  /** the load-test runs, drawn as bands; undefined when they could not be read */
  loadTests?: LoadTestListItem[];
}

export default function HealthPage() {
  const location = useLocation();
  const params = location.searchParams;
  const rangeParam = params.get('range');
  const range: Range = RANGES.includes(rangeParam as Range) ? (rangeParam as Range) : '1h';
  const tier = params.get('tier') ?? '';

  const { summary } = useLive();
  const now = useNow();
  const [autoRefresh, setAutoRefresh] = useState(true);
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [reloads, setReloads] = useState(0);
  const width = useMemo(chartWidthPoints, []);
  const lastLoadRef = useRef(0);

  // Each new live summary reloads the charts when auto-refresh is on, unless a load is still
  // running or the range's minimum interval has not passed.
  const liveTick = summary?.evaluatedAt;
  const seenTick = useRef(liveTick);
  const loadingRef = useRef(false);
  const [autoTick, setAutoTick] = useState(0);
  useEffect(() => {
    if (seenTick.current === liveTick) return;
    seenTick.current = liveTick;
    if (!autoRefresh || loadingRef.current) return;
    if (Date.now() - lastLoadRef.current >= AUTO_REFRESH_MIN_MS[range]) setAutoTick((n) => n + 1);
  }, [liveTick, autoRefresh, range]);

  useEffect(() => {
    const abort = new AbortController();
    setLoading(true);
    loadingRef.current = true;
    lastLoadRef.current = Date.now();
    // The load tests are drawn as bands: without them (an older server) the charts still show.
    const loadTests = fetchLoadTests(abort.signal).then(
      (l) => l.runs,
      () => undefined,
    );
    fetchHealth({ range, width, ...(tier ? { tier } : {}) }, abort.signal)
      .then(async (health) => {
        const runs = await loadTests;
        if (abort.signal.aborted) return;
        setLoaded({
          health,
          range,
          tier,
          loadedAt: Date.now(),
          ...(runs ? { loadTests: runs } : {}),
        });
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (abort.signal.aborted) return;
        setError(e instanceof ApiError || e instanceof Error ? e.message : String(e));
      })
      .finally(() => {
        if (abort.signal.aborted) return;
        setLoading(false);
        loadingRef.current = false;
      });
    return () => abort.abort();
  }, [range, tier, width, reloads, autoTick]);

  const setQuery = (next: { range?: Range; tier?: string }) => {
    const q = new URLSearchParams();
    const r = next.range ?? range;
    const t = next.tier ?? tier;
    if (r !== '1h') q.set('range', r);
    if (t) q.set('tier', t);
    const search = q.toString();
    navigate(`/health${search ? `?${search}` : ''}`, { replace: true });
  };

  const tierOptions = summary?.tiers ?? loaded?.health.tiers ?? [];
  const health = loaded?.health;
  const stale = loaded !== undefined && (loaded.range !== range || loaded.tier !== tier);
  const windows = useMemo(
    () =>
      loaded?.loadTests && health
        ? loadTestWindows(loaded.loadTests, health.window, loaded.loadedAt)
        : [],
    [loaded, health],
  );

  return (
    <div className="page" data-testid="health-page">
      <div className="toolbar" role="toolbar" aria-label="Chart options">
        <div className="segmented" role="group" aria-label="Time range" data-testid="range-picker">
          {RANGES.map((r) => (
            <button
              key={r}
              type="button"
              className="segment"
              aria-pressed={r === range}
              data-testid={`range-${r}`}
              onClick={() => setQuery({ range: r })}
            >
              {r}
            </button>
          ))}
        </div>
        <label className="select">
          <span>Tier</span>
          <select
            value={tier}
            onChange={(e) => setQuery({ tier: e.target.value })}
            data-testid="tier-filter"
          >
            <option value="">All tiers</option>
            {tierOptions.map((t) => (
              <option key={t.tier} value={t.tier}>
                {splitTitle(t.title)[0]}
              </option>
            ))}
          </select>
        </label>
        <label className="toggle">
          <input
            type="checkbox"
            checked={autoRefresh}
            onChange={(e) => setAutoRefresh(e.target.checked)}
            data-testid="auto-refresh"
          />
          <span className="toggle-track" aria-hidden="true" />
          <span>Auto-refresh</span>
        </label>
        <div
          className="toolbar-status"
          data-testid="health-loaded"
          data-loaded-at={loaded?.loadedAt}
          data-range={loaded?.range}
        >
          {loading ? <span className="spinner" aria-label="Loading" /> : null}
          {loaded ? (
            <span title={`Loaded ${formatClockSeconds(loaded.loadedAt)}`}>
              {RANGE_WORDS[loaded.range]} · loaded {formatAgo(now - loaded.loadedAt)}
            </span>
          ) : null}
          <button
            type="button"
            className="button"
            onClick={() => setReloads((n) => n + 1)}
            disabled={loading}
          >
            Reload
          </button>
        </div>
      </div>

      {error ? (
        <div className="banner banner-critical" role="alert" data-testid="health-error">
          {error}
        </div>
      ) : null}

      {windows.length > 0 ? (
        <div className="lt-band-legend" data-testid="loadtest-legend">
          <span className="lt-band-key" style={{ background: LOAD_TEST_COLOUR }} />
          Load tests in this range:{' '}
          {windows.map((w, i) => (
            <span key={w.id}>
              {i > 0 ? ', ' : ''}
              <Link to={`/loadtests?run=${encodeURIComponent(w.id)}`}>
                {w.scenario} {w.id}
              </Link>{' '}
              ({w.status})
            </span>
          ))}
        </div>
      ) : null}

      {loaded ? (
        <SourceBanners sources={loaded.health.sources} now={now} receivedAt={loaded.loadedAt} />
      ) : null}

      {!health ? (
        <div className="loading">{error ? null : 'Collecting metrics…'}</div>
      ) : (
        <div className={`tier-sections ${stale ? 'is-stale' : ''}`}>
          {health.tiers.map((t) => (
            <TierSection key={t.tier} tier={t} health={health} loadTests={windows} />
          ))}
        </div>
      )}
    </div>
  );
}

export function TierSection({
  tier,
  health,
  loadTests = [],
}: {
  tier: TierHealth;
  health: PlatformHealth;
  /** load-test windows to draw as bands (the Health page reads them for its range) */
  loadTests?: LoadTestWindow[];
}) {
  const [name, detail] = splitTitle(tier.title);
  const metrics = findSource(health.sources, 'metrics');
  const scaling = findSource(health.sources, 'autoscaling');
  const groupTier = new Map(health.groups.map((g) => [g.name, g.tier]));
  const activities: ScalingActivity[] = health.activities.filter(
    (a) =>
      (a.tier ?? groupTier.get(a.group)) === tier.tier &&
      a.startTime >= health.window.start &&
      a.startTime <= health.window.end,
  );
  const tierGroups = new Set(
    [...health.groups.filter((g) => g.tier === tier.tier).map((g) => g.name)].concat(
      (tier.capacity ?? []).map((c) => c.group),
    ),
  );
  const hasGroups = tierGroups.size > 0;
  const truncated = (health.activitiesTruncated ?? []).filter((t) => tierGroups.has(t.group));
  // firingAlarms leaves out Auto Scaling's own target-tracking triggers (their scale-in
  // alarm sits in ALARM whenever the group could shrink): those are not health problems.
  // It is null when the alarms could not be read: the banner above says so.
  const firing = (health.firingAlarms ?? []).filter((a) => a.tier === tier.tier);
  // A failed source is explained once, in its banner; here it is only "stale".
  const said = new Set(tier.sourceFailures.map((f) => f.reason));
  const reasons = tier.reasons.filter((r) => !said.has(r));
  const stale = tier.sourceFailures.length > 0;

  return (
    <section
      className="tier-section"
      data-testid={`tier-section-${tier.tier}`}
      data-status={tier.status}
    >
      <header className="tier-section-head">
        <div className="tier-section-title">
          <h2>{name}</h2>
          {detail ? <span className="tier-detail">{detail}</span> : null}
        </div>
        <StatusPill status={tier.status} />
      </header>
      {reasons.length > 0 || firing.length > 0 || stale ? (
        <div className="tier-section-notes">
          {stale ? (
            <span className="note note-stale" data-testid={`tier-stale-${tier.tier}`}>
              stale
            </span>
          ) : null}
          {reasons.map((r) => (
            <span key={r} className="note clamp-2" title={r}>
              {r}
            </span>
          ))}
          {firing.map((a) => (
            <span key={a.name} className="note note-alarm" title={a.stateReason}>
              ALARM {a.name}
            </span>
          ))}
        </div>
      ) : null}
      <div className="chart-grid">
        {SIGNAL_ORDER.map((signal) => {
          const reading = tier.signals.find((s) => s.signal === signal);
          if (!reading) return null;
          const markers = signal === 'saturation' && hasGroups;
          return (
            <SignalChart
              key={signal}
              tier={tier.tier}
              reading={reading}
              window={health.window}
              activities={markers ? activities : undefined}
              activitiesTruncated={markers ? truncated : undefined}
              metricsProblem={metrics && !metrics.ok ? metrics : undefined}
              activitiesProblem={markers && scaling && !scaling.ok ? scaling : undefined}
              loadTests={loadTests}
            />
          );
        })}
        {(tier.capacity ?? []).map((capacity) => (
          <CapacityChart
            key={capacity.group}
            capacity={capacity}
            window={health.window}
            metricsProblem={metrics && !metrics.ok ? metrics : undefined}
            scalingProblem={scaling && !scaling.ok ? scaling : undefined}
            loadTests={loadTests}
          />
        ))}
      </div>
    </section>
  );
}

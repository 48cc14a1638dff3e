// "Is the store healthy, what changed, what do I do now?" — one card per tier, the alarms
// that are firing, and what Auto Scaling did last. Everything comes from the live feed.
import type {
  Alarm,
  AutoScalingGroupState,
  GoldenSignal,
  ScalingActivity,
  SourceStatus,
} from '@ballast/core';
import type { HealthSummary, SignalSummary, TierSummary } from '../api.js';
import {
  SourceBanners,
  findSource,
  sourceGist,
  sourceName,
  staleTag,
} from '../components/SourceBanners.js';
import { SpendHeadline } from '../components/SpendHeadline.js';
import { Sparkline } from '../components/Sparkline.js';
import { StatusPill } from '../components/StatusPill.js';
import {
  formatAgo,
  formatDayTime,
  formatParts,
  formatValue,
  SIGNAL_NAMES,
  SIGNAL_ORDER,
  splitTitle,
  STATUS_WORD,
} from '../format.js';
import { fetchSpendSummary } from '../api.js';
import { useLive, useNow } from '../live.js';
import { Link } from '../router.js';
import { useSpendData } from '../spend-data.js';

export function Overview() {
  const { summary, failure, receivedAt = Date.now() } = useLive();
  const now = useNow();

  if (!summary) {
    return (
      <div className="page">
        {failure ? (
          <div className="banner banner-critical" role="alert">
            Could not collect the platform&apos;s health: {failure.message}
          </div>
        ) : null}
        <div className="tier-grid">
          {[0, 1, 2, 3].map((i) => (
            <div key={i} className="card tier-card skeleton" aria-busy="true" />
          ))}
        </div>
      </div>
    );
  }

  return (
    <div className="page" data-testid="overview">
      <PlatformStrip summary={summary} />
      {failure ? (
        <div className="banner banner-degraded" role="status">
          The last refresh failed ({failure.message}); showing the previous result.
        </div>
      ) : null}
      {/* Each failed source is explained once, here; the cards below only say "stale". */}
      <SourceBanners sources={summary.sources} now={now} receivedAt={receivedAt} />
      <section className="tier-grid" aria-label="Tiers">
        {summary.tiers.map((tier) => (
          <TierCard
            key={tier.tier}
            tier={tier}
            tags={tierTags(tier, summary.sources, now, receivedAt)}
          />
        ))}
      </section>
      <SpendSection />
      <div className="panel-row">
        <AlarmsPanel
          alarms={summary.firingAlarms}
          source={findSource(summary.sources, 'alarms')}
          now={now}
        />
        <CapacityPanel
          groups={summary.groups}
          activities={summary.latestActivities}
          source={findSource(summary.sources, 'autoscaling')}
          now={now}
        />
      </div>
    </div>
  );
}

function PlatformStrip({ summary }: { summary: HealthSummary }) {
  const attention = summary.tiers.filter((t) => t.status === 'degraded' || t.status === 'critical');
  const failed = summary.sources.filter((s) => !s.ok);
  const headline =
    attention.length === 0
      ? summary.status === 'unknown'
        ? failed.length > 0
          ? `Partly unknown: ${failed.map((s) => sourceName(s.source)).join(' and ')} could not be read`
          : 'Some signals have no data'
        : 'All tiers within their SLOs'
      : `${attention.map((t) => splitTitle(t.title)[0]).join(' and ')} ${attention.length === 1 ? 'needs' : 'need'} attention`;
  return (
    <section
      className={`strip strip-${summary.status}`}
      data-testid="platform-status"
      data-status={summary.status}
    >
      <div className="strip-status">
        <StatusPill status={summary.status} />
        <h1 className="strip-headline">{headline}</h1>
      </div>
      <div className="strip-meta">
        {summary.platform} · last hour · evaluated {formatDayTime(summary.evaluatedAt)}
      </div>
    </section>
  );
}

/**
 * What the failed sources leave of a tier, in a word or two ("stale · 4 min old", "alarms
 * unknown"): the banners above say why.
 */
function tierTags(
  tier: TierSummary,
  sources: SourceStatus[],
  now: number,
  receivedAt: number,
): string[] {
  return tier.sourceFailures.map((f) => {
    const source = sources.find((s) => s.source === f.source);
    if (f.source === findSource(sources, 'alarms')?.source) return 'alarms unknown';
    return source ? staleTag(source, now, receivedAt) : 'stale';
  });
}

function TierCard({ tier, tags }: { tier: TierSummary; tags: string[] }) {
  const [name, detail] = splitTitle(tier.title);
  const bySignal = new Map(tier.signals.map((s) => [s.signal, s]));
  // A failed source's reason is in the banner above, not repeated on every card.
  const said = new Set(tier.sourceFailures.map((f) => f.reason));
  const reasons = tier.reasons.filter((r) => !said.has(r));
  return (
    <article
      className={`card tier-card tier-${tier.status}`}
      data-testid={`tier-card-${tier.tier}`}
      data-status={tier.status}
    >
      <header className="tier-head">
        <div>
          <h2 className="tier-name">{name}</h2>
          {detail ? <div className="tier-detail">{detail}</div> : null}
        </div>
        <StatusPill status={tier.status} testId={`tier-status-${tier.tier}`} />
      </header>
      {tags.length > 0 ? (
        <div className="tier-tags" data-testid={`tier-stale-${tier.tier}`}>
          {tags.map((t) => (
            <span key={t} className="tag tag-stale">
              {t}
            </span>
          ))}
        </div>
      ) : null}
      {reasons.length > 0 ? (
        <ul className="reasons">
          {reasons.map((r) => (
            <li key={r} title={r}>
              <span className="clamp-2">{r}</span>
            </li>
          ))}
        </ul>
      ) : tags.length > 0 ? null : (
        <p className="reasons-ok">
          {tier.status === 'ok' ? 'All signals within SLO.' : STATUS_WORD[tier.status]}
        </p>
      )}
      <div className="signal-grid">
        {SIGNAL_ORDER.map((signal) => (
          <SignalTile
            key={signal}
            tier={tier.tier}
            signal={signal}
            reading={bySignal.get(signal)}
          />
        ))}
      </div>
      <footer className="tier-foot">
        <Link to={`/health?tier=${tier.tier}`} className="tier-link">
          Charts →
        </Link>
      </footer>
    </article>
  );
}

function SignalTile({
  tier,
  signal,
  reading,
}: {
  tier: string;
  signal: GoldenSignal;
  reading?: SignalSummary;
}) {
  if (!reading) {
    return (
      <div className="signal signal-none" data-testid={`signal-${tier}-${signal}`}>
        <div className="signal-name">{SIGNAL_NAMES[signal]}</div>
        <div className="signal-missing">not measured for this tier</div>
      </div>
    );
  }
  const { value, unit } = formatParts(reading.current, reading.unit);
  const { degraded, critical } = reading.threshold ?? {};
  return (
    <div
      className={`signal signal-${reading.status}`}
      data-testid={`signal-${tier}-${signal}`}
      data-status={reading.status}
    >
      <div className="signal-name">{SIGNAL_NAMES[signal]}</div>
      <div className="signal-label" title={reading.label}>
        {reading.label}
      </div>
      <div className="signal-value">
        <span className="num">{value}</span>
        {unit ? <span className="unit">{unit}</span> : null}
      </div>
      <Sparkline points={reading.trend} className={`spark-${reading.status}`} />
      {degraded !== undefined || critical !== undefined ? (
        <div className="signal-slo">
          {degraded !== undefined ? <>SLO {formatValue(degraded, reading.unit)}</> : null}
          {degraded !== undefined && critical !== undefined ? ' · ' : null}
          {critical !== undefined ? <>crit {formatValue(critical, reading.unit)}</> : null}
        </div>
      ) : (
        <div className="signal-slo">no SLO</div>
      )}
    </div>
  );
}

function AlarmsPanel({
  alarms,
  source,
  now,
}: {
  /** null: the alarms could not be read, so how many fire is unknown (never 0) */
  alarms: Alarm[] | null;
  source?: SourceStatus;
  now: number;
}) {
  if (alarms === null)
    return (
      <section className="card panel" data-testid="alarms-panel" aria-label="Firing alarms">
        <header className="panel-head">
          <h2>Firing alarms</h2>
          <span
            className="count count-unknown"
            data-testid="alarms-count"
            title="Unknown: the alarms could not be read"
          >
            ?
          </span>
        </header>
        <p className="panel-empty panel-unknown" data-testid="alarms-unknown">
          Unknown — {source ? sourceGist(source) : 'CloudWatch alarms could not be read'}.
        </p>
      </section>
    );
  return (
    <section className="card panel" data-testid="alarms-panel" aria-label="Firing alarms">
      <header className="panel-head">
        <h2>Firing alarms</h2>
        <span className={`count ${alarms.length ? 'count-alert' : ''}`} data-testid="alarms-count">
          {alarms.length}
        </span>
      </header>
      {alarms.length === 0 ? (
        <p className="panel-empty">No alarms in ALARM state.</p>
      ) : (
        <ul className="alarm-list">
          {alarms.map((a) => (
            <li key={a.name} className="alarm" data-testid="firing-alarm">
              <div className="alarm-head">
                <span className="alarm-name">{a.name}</span>
                {a.tier ? <span className="tag">{a.tier}</span> : null}
                <span className="alarm-age" title={formatDayTime(a.stateUpdatedAt)}>
                  since {formatAgo(now - a.stateUpdatedAt).replace(' ago', '')}
                </span>
              </div>
              <div className="alarm-reason clamp-2">{a.stateReason}</div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function CapacityPanel(props: {
  groups: AutoScalingGroupState[];
  activities: ScalingActivity[];
  source?: SourceStatus;
  now: number;
}) {
  const { groups, activities, source, now } = props;
  return (
    <section className="card panel" data-testid="capacity-panel" aria-label="Auto Scaling">
      <header className="panel-head">
        <h2>Capacity and scaling</h2>
      </header>
      {source && !source.ok ? (
        <p className="panel-empty panel-unknown" data-testid="capacity-unknown">
          Unavailable — {sourceGist(source)}.
        </p>
      ) : null}
      {groups.length === 0 && !(source && !source.ok) ? (
        <p className="panel-empty">No Auto Scaling groups in this platform.</p>
      ) : null}
      <ul className="group-list">
        {groups.map((g) => (
          <GroupRow
            key={g.name}
            group={g}
            activity={activities.find((a) => a.group === g.name)}
            now={now}
          />
        ))}
      </ul>
    </section>
  );
}

function GroupRow({
  group,
  activity,
  now,
}: {
  group: AutoScalingGroupState;
  activity?: ScalingActivity;
  now: number;
}) {
  const scale = Math.max(group.max, group.desired, group.inService, 1);
  const pct = (n: number) => `${(n / scale) * 100}%`;
  const short = group.inService < group.desired;
  return (
    <li className="group" data-testid={`group-${group.name}`}>
      <div className="group-head">
        <span className="group-name">{group.name}</span>
        {group.tier ? <span className="tag">{group.tier}</span> : null}
        <span className={`group-count ${short ? 'group-short' : ''}`}>
          <span className="num">{group.inService}</span> in service of{' '}
          <span className="num">{group.desired}</span> desired
        </span>
      </div>
      <div
        className="capacity-bar"
        aria-label={`${group.onDemand} on-demand, ${group.spot} spot, max ${group.max}`}
      >
        <span className="bar-ondemand" style={{ width: pct(group.onDemand) }} />
        <span className="bar-spot" style={{ width: pct(group.spot) }} />
        <span
          className="bar-desired"
          style={{ left: pct(group.desired) }}
          title={`desired ${group.desired}`}
        />
      </div>
      <div className="group-legend">
        <span className="legend-ondemand">{group.onDemand} on-demand</span>
        <span className="legend-spot">{group.spot} spot</span>
        <span className="legend-range">
          min {group.min} · max {group.max}
        </span>
      </div>
      {activity ? (
        <div className="activity" data-testid={`activity-${group.name}`}>
          <span className={`activity-status activity-${activity.status.toLowerCase()}`}>
            {activity.status.replace(/([a-z])([A-Z])/g, '$1 $2')}
          </span>
          <span className="activity-desc">{activity.description}</span>
          <span className="activity-age" title={formatDayTime(activity.startTime)}>
            {formatAgo(now - activity.startTime)}
          </span>
          <div className="activity-cause clamp-2">{activity.cause}</div>
        </div>
      ) : (
        <div className="activity activity-none">No recent scaling activity.</div>
      )}
    </li>
  );
}

/**
 * The money line: this month against the budget, the forecast, open anomalies and what
 * Ballast costs, from the Spend page's cache (no extra Cost Explorer request).
 */
function SpendSection() {
  const { data, receivedAt, error } = useSpendData('summary', (signal) =>
    fetchSpendSummary(signal),
  );
  const now = useNow(30_000);
  // Without a spend source (404) the Overview is about health only.
  if (error?.status === 404) return null;
  return (
    <section className="spend-section" data-testid="overview-spend" aria-label="Spend">
      <header className="section-head">
        <h2>Spend</h2>
        <Link to="/spend" className="tier-link">
          Spend page →
        </Link>
      </header>
      {data && receivedAt !== undefined ? (
        <SpendHeadline summary={data} now={now} receivedAt={receivedAt} />
      ) : error ? (
        <p className="panel-empty panel-unknown" data-testid="overview-spend-error">
          Spend unknown — {error.spend?.detail?.message ?? error.message}
        </p>
      ) : (
        <div className="spend-headline">
          {[0, 1, 2, 3].map((i) => (
            <div key={i} className="card spend-card skeleton" aria-busy="true" />
          ))}
        </div>
      )}
    </section>
  );
}

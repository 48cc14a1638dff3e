// Health evaluation: golden signals of each tier against its SLOs, firing alarms of its
// resources and the state of the sources, turned into a status with reasons people can
// act on. Pure: everything, including "now", comes in through the input.
import { groupCapacity } from '../capacity/history.js';
import { formatClock, formatDuration, formatValue } from '../format/index.js';
import {
  STATUS_RANK,
  type ActivitiesTruncated,
  worstStatus,
  type Alarm,
  type AutoScalingGroupState,
  type GroupCapacity,
  type QueueDepth,
  type PlatformHealth,
  type Point,
  type ScalingActivity,
  type Series,
  type SignalReading,
  type SourceStatus,
  type Status,
  type Threshold,
  type TierHealth,
} from '../model/health.js';
import type { PlatformConfig, Resource, Tier } from '../model/platform.js';
import { HEALTH_SOURCES } from '../format/sources.js';
import { assignAlarmTiers, assignGroupTiers, isFiringAlarm } from './alarms.js';
import { periodFor, tierQueries } from './catalog.js';
import { resourceLabel } from './resources.js';
import { signalAlarms } from './signal-alarms.js';
import { deriveSignals, GOLDEN_SIGNALS, signalSourceFor } from './signals.js';

export interface EvaluateHealthInput {
  config: PlatformConfig;
  context: string;
  series: Series[];
  alarms: Alarm[];
  groups: AutoScalingGroupState[];
  activities: ScalingActivity[];
  /** groups whose activities in the window were not all read */
  activitiesTruncated?: ActivitiesTruncated[];
  sources: SourceStatus[];
  window: { start: number; end: number };
  now: number;
  /** the period the series were fetched at; defaults to periodFor(window length) */
  periodSeconds?: number;
}

interface Finding {
  status: Status;
  reason: string;
  /** the failed source the finding is about */
  source?: string;
}

export function evaluateHealth(input: EvaluateHealthInput): PlatformHealth {
  const { config, window, now } = input;
  const periodSeconds = input.periodSeconds ?? periodFor(window.end - window.start);
  const series = new Map(input.series.map((s) => [s.id, s]));
  const alarms = assignAlarmTiers(config, input.alarms);
  const failed = (source: string): SourceStatus | undefined =>
    input.sources.find((s) => s.source === source && !s.ok);
  const alarmsFailure = failed(HEALTH_SOURCES.alarms);

  const tiers = config.tiers.map((tier) =>
    evaluateTier(tier, {
      series,
      periodSeconds,
      window,
      now,
      alarms: alarms.filter((a) => a.tier === tier.id),
      platformAlarms: alarms,
      groups: input.groups,
      metricsFailure: failed(HEALTH_SOURCES.metrics),
      alarmsFailure,
    }),
  );

  return {
    platform: config.name,
    context: input.context,
    evaluatedAt: now,
    window,
    status: worstStatus(tiers.map((t) => t.status)),
    tiers,
    // Alarms that could not be read are unknown, not "none firing".
    firingAlarms: alarmsFailure ? null : alarms.filter(isFiringAlarm),
    groups: assignGroupTiers(config, input.groups),
    activities: assignGroupTiers(config, input.activities).sort(
      (a, b) => b.startTime - a.startTime,
    ),
    activitiesTruncated: input.activitiesTruncated ?? [],
    sources: input.sources,
  };
}

interface TierInput {
  series: ReadonlyMap<string, Series>;
  periodSeconds: number;
  window: { start: number; end: number };
  now: number;
  /** alarms of this tier's resources: judged, and listed with the tier */
  alarms: Alarm[];
  /**
   * every alarm, for the threshold lines on the charts: an alarm is drawn wherever its metric
   * feeds a signal, also on a second tier that shares the resource
   */
  platformAlarms: Alarm[];
  /** the groups as DescribeAutoScalingGroups describes them (empty when it failed) */
  groups: AutoScalingGroupState[];
  metricsFailure: SourceStatus | undefined;
  alarmsFailure: SourceStatus | undefined;
}

function evaluateTier(tier: Tier, input: TierInput): TierHealth {
  const { window, now, periodSeconds, metricsFailure } = input;
  const findings: Finding[] = [];
  const windowText = formatDuration(window.end - window.start);

  const signals: SignalReading[] = deriveSignals(tier, input.series, periodSeconds).map(
    (derived) => {
      const threshold = tier.slo[derived.signal];
      const points = inWindow(derived.points, window, periodSeconds);
      const latest = latestComplete(points, periodSeconds, now);
      let status: Status;
      if (metricsFailure || !latest) {
        status = 'unknown';
        if (!metricsFailure && threshold) {
          findings.push({
            status,
            reason: `No ${derived.label.toLowerCase()} data in the last ${windowText} (${derived.resources.join(', ')})`,
          });
        }
      } else if (!threshold) {
        status = 'ok';
      } else {
        const recent = lastComplete(points, periodSeconds, now, SUSTAINED_DATAPOINTS);
        const verdict = judge(sustainedValue(recent, threshold), threshold);
        status = verdict.status;
        if (verdict.status !== 'ok') {
          const span =
            recent.length > 1
              ? `for the last ${recent.length} datapoints`
              : 'at the latest datapoint';
          findings.push({
            status: verdict.status,
            reason:
              `${derived.label} has been ${verdict.direction} the ` +
              `${formatValue(verdict.bound, derived.unit)} ${verdict.status === 'critical' ? 'critical' : 'degraded'} SLO ` +
              `${span} (now ${formatValue(latest.v, derived.unit)}, ${formatClock(latest.t)})`,
          });
        }
      }
      return {
        signal: derived.signal,
        label: derived.label,
        unit: derived.unit,
        current: latest?.v ?? null,
        points,
        ...(threshold ? { threshold } : {}),
        alarms: signalAlarms(tier, derived.signal, input.platformAlarms),
        status,
      };
    },
  );

  for (const signal of GOLDEN_SIGNALS) {
    if (tier.slo[signal] && !signalSourceFor(tier, signal)) {
      findings.push({
        status: 'unknown',
        reason: `No resource of this tier measures ${signal}, so its SLO cannot be checked`,
      });
    }
  }

  if (metricsFailure && signals.length > 0) {
    const history = signals.some((s) => s.points.length > 0)
      ? `; charts show stored history${storedAge(metricsFailure)}`
      : '';
    findings.push({
      status: 'unknown',
      reason: `Metrics unavailable — ${describeFailure(metricsFailure)}${history}`,
      source: metricsFailure.source,
    });
  } else if (!metricsFailure) {
    findings.push(...resourceChecks(tier, input));
  }

  for (const alarm of input.alarms) {
    if (isFiringAlarm(alarm))
      findings.push({
        status: 'degraded',
        reason: `Alarm "${alarm.name}" is firing: ${truncate(alarm.stateReason, 200)}`,
      });
  }
  if (input.alarmsFailure)
    findings.push({
      status: 'unknown',
      reason: `Alarms unavailable — ${describeFailure(input.alarmsFailure)}`,
      source: input.alarmsFailure.source,
    });

  findings.sort((a, b) => STATUS_RANK[b.status] - STATUS_RANK[a.status]);
  return {
    tier: tier.id,
    title: tier.title,
    status: worstStatus(findings.map((f) => f.status)),
    reasons: findings.map((f) => f.reason),
    sourceFailures: findings.flatMap((f) =>
      f.source ? [{ source: f.source, reason: f.reason }] : [],
    ),
    signals,
    alarms: [...input.alarms].sort(
      (a, b) => Number(b.state === 'ALARM') - Number(a.state === 'ALARM'),
    ),
    capacity: tierCapacity(tier, input),
    ...(tier.resources.some((r) => r.type === 'sqs-queue')
      ? { queues: tierQueues(tier, input) }
      : {}),
  };
}

/** The points of one resource's metric (by catalog role) inside the window. */
function resourcePoints(tier: Tier, input: TierInput) {
  const planned = tierQueries(tier, { periodSeconds: input.periodSeconds });
  return (resource: Resource, role: string) => {
    const query = planned.find((p) => p.resource === resource && p.spec.role === role)?.query;
    const series = query ? input.series.get(query.id) : undefined;
    return inWindow(series?.points ?? [], input.window, input.periodSeconds);
  };
}

/** Capacity over the window of each Auto Scaling group of the tier, from its group metrics. */
function tierCapacity(tier: Tier, input: TierInput): GroupCapacity[] {
  const points = resourcePoints(tier, input);
  return tier.resources.flatMap((resource) => {
    if (resource.type !== 'asg') return [];
    const capacityUnits = points(resource, 'inServiceCapacity');
    return [
      groupCapacity({
        group: resource.name,
        desired: points(resource, 'desired'),
        inService: capacityUnits.length > 0 ? capacityUnits : points(resource, 'inService'),
        max: points(resource, 'maxSize'),
        ...(resource.spotInterruptions
          ? { interruptions: points(resource, 'spotInterruptions') }
          : {}),
        state: input.groups.find((g) => g.name === resource.name),
        periodSeconds: input.periodSeconds,
      }),
    ];
  });
}

/** Depth over the window of each SQS queue of the tier (what a worker fleet drains). */
function tierQueues(tier: Tier, input: TierInput): QueueDepth[] {
  const points = resourcePoints(tier, input);
  return tier.resources.flatMap((resource) =>
    resource.type === 'sqs-queue'
      ? [{ queue: resource.name, points: points(resource, 'visible') }]
      : [],
  );
}

/** Hard failures that are not golden signals: a failing Route 53 check, an ALB with no healthy targets. */
function resourceChecks(tier: Tier, input: TierInput): Finding[] {
  const findings: Finding[] = [];
  for (const { resource, spec, query } of tierQueries(tier, {
    periodSeconds: input.periodSeconds,
  })) {
    const points = inWindow(
      input.series.get(query.id)?.points ?? [],
      input.window,
      input.periodSeconds,
    );
    const latest = latestComplete(points, input.periodSeconds, input.now);
    if (!latest) continue;
    if (spec.role === 'healthStatus' && latest.v < 1) {
      findings.push({
        status: 'critical',
        reason: `Route 53 health check ${resourceLabel(resource)} reports the store unhealthy (${formatClock(latest.t)})`,
      });
    }
    if (spec.role === 'healthyHosts' && latest.v < 1 && resource.type === 'alb') {
      findings.push({
        status: 'critical',
        reason: `No healthy targets behind ${resourceLabel(resource)} in ${resource.targetGroup.split('/')[1] ?? resource.targetGroup} (${formatClock(latest.t)})`,
      });
    }
  }
  return findings;
}

/** Points whose period overlaps the window (the first one may start before it). */
function inWindow(
  points: readonly Point[],
  window: { start: number; end: number },
  periodSeconds: number,
): Point[] {
  return points.filter((p) => p.t + periodSeconds * 1000 > window.start && p.t <= window.end);
}

/**
 * An SLO counts as breached only when the last few complete datapoints all breach it, as a
 * CloudWatch alarm with "3 out of 3" would: a single noisy minute (one failed invocation
 * out of sixty) must not flip a tier's status back and forth.
 */
const SUSTAINED_DATAPOINTS = 3;

/**
 * The last `count` complete datapoints (fewer when the series is shorter), oldest first. A
 * point is complete once its whole period has passed: the one still filling would under-count.
 */
function lastComplete(
  points: readonly Point[],
  periodSeconds: number,
  now: number,
  count: number,
): Point[] {
  const out: Point[] = [];
  for (let i = points.length - 1; i >= 0 && out.length < count; i--) {
    const point = points[i];
    if (point && point.t + periodSeconds * 1000 <= now) out.unshift(point);
  }
  return out;
}

/** The least bad of the recent values: what has been true for all of them. */
function sustainedValue(recent: readonly Point[], threshold: Threshold): number {
  const values = recent.map((p) => p.v);
  return isLowerWorse(threshold) ? Math.max(...values) : Math.min(...values);
}

function isLowerWorse(threshold: Threshold): boolean {
  return (
    threshold.critical !== undefined &&
    threshold.degraded !== undefined &&
    threshold.critical < threshold.degraded
  );
}

/** The newest complete datapoint (see lastComplete). */
export function latestComplete(
  points: readonly Point[],
  periodSeconds: number,
  now: number,
): Point | undefined {
  return lastComplete(points, periodSeconds, now, 1)[0];
}

/**
 * Higher is worse, unless the critical bound is below the degraded one (e.g. a traffic
 * floor: degraded under 100 req/min, critical under 10), then lower is worse.
 */
export function judge(
  value: number,
  threshold: Threshold,
): { status: Status; bound: number; direction: 'above' | 'below' } {
  const lowerIsWorse = isLowerWorse(threshold);
  const direction = lowerIsWorse ? 'below' : 'above';
  const breached = (bound: number | undefined): bound is number =>
    bound !== undefined && (lowerIsWorse ? value < bound : value > bound);
  if (breached(threshold.critical))
    return { status: 'critical', bound: threshold.critical, direction };
  if (breached(threshold.degraded))
    return { status: 'degraded', bound: threshold.degraded, direction };
  return { status: 'ok', bound: threshold.degraded ?? threshold.critical ?? 0, direction };
}

function describeFailure(source: SourceStatus): string {
  const error = source.error;
  if (!error) return 'the source failed';
  return [`${error.kind}: ${error.message}`, error.actions?.[0]].filter(Boolean).join('; ');
}

/** " (newest datapoint 4m old)", from the age the collector measured; "" when unknown. */
function storedAge(source: SourceStatus): string {
  if (source.ageMs === undefined) return '';
  const minutes = Math.floor(source.ageMs / 60_000);
  return minutes < 1
    ? ' (newest datapoint under a minute old)'
    : ` (newest datapoint ${formatDuration(minutes * 60_000)} old)`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

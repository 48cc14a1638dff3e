// Collecting platform health for a context: metrics, alarms and Auto Scaling state are
// fetched in parallel and fail independently; whatever could be read is evaluated.
import {
  assignAlarmTiers,
  evaluateHealth,
  groupNames,
  HEALTH_SOURCES,
  healthQueries,
  loadPlatformConfig,
  periodFor,
  selectTier,
  US_EAST_1_NAMESPACES,
  type Alarm,
  type AlarmState,
  type MetricQuery,
  type PlatformHealth,
  type ResolvedContext,
  type Series,
  type SourceStatus,
  type Store,
} from '@ballast/core';
import { AutoScalingCollector } from './autoscaling.js';
import { createAwsClients, type AwsClients } from './clients.js';
import { CloudWatchCollector } from './cloudwatch.js';
import { classifyAwsError, type SourceError } from './errors.js';
import { Meter, type MeteredService } from './metering.js';

export interface CollectHealthOptions {
  context: ResolvedContext;
  store: Store;
  now: number;
  /** how far back to look, e.g. parseDuration('1h') */
  sinceMs: number;
  /** only this tier (its metrics, groups and alarms) */
  tier?: string;
  /** reuse clients across calls (the dashboard does); created and metered per call otherwise */
  clients?: AwsClients;
}

/**
 * Scaling activities read per group and report: every one a 14-day chart needs for a group
 * that scales a few hundred times a day (50 pages of DescribeScalingActivities at most),
 * while a 1-hour view stops at its first page. A group with more in the window is reported
 * in activitiesTruncated, so the charts say where their markers start.
 */
const MAX_ACTIVITIES = 5_000;

export async function collectHealth(opts: CollectHealthOptions): Promise<PlatformHealth> {
  const { context, store, now } = opts;
  const config = selectTier(loadPlatformConfig(context.platformConfig), opts.tier);
  const clients = clientsFor(opts);
  const cloudwatch = new CloudWatchCollector(clients.cloudwatch);
  const cloudwatchUsEast1 =
    clients.cloudwatchUsEast1 && clients.cloudwatchUsEast1 !== clients.cloudwatch
      ? new CloudWatchCollector(clients.cloudwatchUsEast1)
      : undefined;
  const autoscaling = new AutoScalingCollector(clients.autoscaling);

  const periodSeconds = periodFor(opts.sinceMs);
  const window = { start: now - opts.sinceMs, end: now };
  // Start on a period boundary so the first datapoint covers a whole period.
  const range = {
    start: Math.floor(window.start / (periodSeconds * 1000)) * periodSeconds * 1000,
    end: now,
  };
  const queries = healthQueries(config, { periodSeconds });
  const groups = groupNames(config);

  const [metrics, alarms, groupStates, activities] = await Promise.all([
    attempt(context, 'cloudwatch', 'GetMetricData', () => fetchMetrics(queries, range)),
    attempt(context, 'cloudwatch', 'DescribeAlarms', () => cloudwatch.describeAlarms()),
    attempt(context, 'autoscaling', 'DescribeAutoScalingGroups', () =>
      autoscaling.describeGroups(groups),
    ),
    attempt(context, 'autoscaling', 'DescribeScalingActivities', () =>
      autoscaling.describeActivities(groups, { since: window.start, max: MAX_ACTIVITIES }),
    ),
  ]);

  let series = metrics.ok ? metrics.value : [];
  if (metrics.ok) store.saveSeries(context.name, series);
  // Stale data is shown with its reason, never hidden: fall back to stored history.
  else
    series = store.loadSeries(
      context.name,
      queries.map((q) => q.id),
      range.start,
      now,
    );

  const alarmList = alarms.ok ? assignAlarmTiers(config, alarms.value) : [];
  const scalingFailure = [groupStates, activities].find((a) => !a.ok);
  const sources: SourceStatus[] = [
    sourceStatus(HEALTH_SOURCES.metrics, now, metrics),
    sourceStatus(HEALTH_SOURCES.alarms, now, alarms),
    sourceStatus(HEALTH_SOURCES.autoscaling, now, scalingFailure ?? groupStates),
  ];

  return evaluateHealth({
    config,
    context: context.name,
    series,
    // With --tier, alarms of other tiers are not this report's business.
    alarms: opts.tier ? alarmList.filter((a) => a.tier !== undefined) : alarmList,
    groups: groupStates.ok ? groupStates.value : [],
    activities: activities.ok ? activities.value.activities : [],
    activitiesTruncated: activities.ok ? activities.value.truncated : [],
    sources,
    window,
    now,
    periodSeconds,
  });

  /** All series in query order; CloudFront and Route 53 from us-east-1 when the platform is elsewhere. */
  async function fetchMetrics(
    all: MetricQuery[],
    timeRange: { start: number; end: number },
  ): Promise<Series[]> {
    if (!cloudwatchUsEast1) return cloudwatch.getMetricData(all, timeRange);
    const global = all.filter((q) => US_EAST_1_NAMESPACES.includes(q.namespace));
    const regional = all.filter((q) => !US_EAST_1_NAMESPACES.includes(q.namespace));
    const fetched = (
      await Promise.all([
        cloudwatch.getMetricData(regional, timeRange),
        cloudwatchUsEast1.getMetricData(global, timeRange),
      ])
    ).flat();
    const byId = new Map(fetched.map((s) => [s.id, s]));
    return all.flatMap((q) => byId.get(q.id) ?? []);
  }
}

export interface CollectAlarmsOptions {
  context: ResolvedContext;
  store: Store;
  now: number;
  state?: AlarmState;
  clients?: AwsClients;
}

/** Alarms of the account (optionally in one state), each with the tier it belongs to. */
export async function collectAlarms(
  opts: CollectAlarmsOptions,
): Promise<{ alarms: Alarm[]; source: SourceStatus }> {
  const { context, now } = opts;
  const config = loadPlatformConfig(context.platformConfig);
  const cloudwatch = new CloudWatchCollector(clientsFor(opts).cloudwatch);
  const alarms = await attempt(context, 'cloudwatch', 'DescribeAlarms', () =>
    cloudwatch.describeAlarms(opts.state ? { state: opts.state } : {}),
  );
  return {
    alarms: alarms.ok ? assignAlarmTiers(config, alarms.value) : [],
    source: sourceStatus(HEALTH_SOURCES.alarms, now, alarms),
  };
}

/** The caller's clients, or a set metered into the store's call ledger for this call. */
function clientsFor(opts: {
  context: ResolvedContext;
  store: Store;
  now: number;
  clients?: AwsClients;
}): AwsClients {
  const { context, store, now } = opts;
  return opts.clients ?? createAwsClients(context, new Meter(store, context.name, () => now));
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: SourceError };

/** Runs one AWS read; a failure becomes a SourceError that says what to do about it. */
function attempt<T>(
  context: ResolvedContext,
  service: MeteredService,
  operation: string,
  fn: () => Promise<T>,
): Promise<Attempt<T>> {
  return fn().then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => ({
      ok: false as const,
      error: classifyAwsError(err, service, operation, {
        profile: context.profile,
        endpointUrl: context.endpointUrl,
        region: context.region,
      }),
    }),
  );
}

function sourceStatus(source: string, now: number, attempt: Attempt<unknown>): SourceStatus {
  // A failed source has no fresh data, so no fetchedAt.
  return attempt.ok
    ? { source, ok: true, fetchedAt: now }
    : { source, ok: false, error: attempt.error };
}

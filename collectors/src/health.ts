// Collecting platform health for a context: metrics, alarms and Auto Scaling state are
// fetched in parallel and fail independently; whatever could be read is evaluated. Every
// collection ends by its deadline, and an operation that keeps failing is backed off.
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
  type Series,
  type SourceStatus,
} from '@ballast/core';
import { AutoScalingCollector } from './autoscaling.js';
import { CloudWatchCollector } from './cloudwatch.js';
import { sourceStatus, startRun, type CollectOptions } from './run.js';

export interface CollectHealthOptions extends CollectOptions {
  /** how far back to look, e.g. parseDuration('1h') */
  sinceMs: number;
  /** only this tier (its metrics, groups and alarms) */
  tier?: string;
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
  const run = startRun(opts);
  const { clients } = run.session;
  // Collectors per attempt: each gets the signal that ends that attempt's requests.
  const cloudwatch = (abortSignal: AbortSignal) =>
    new CloudWatchCollector(clients.cloudwatch, { abortSignal });
  const cloudwatchUsEast1 =
    clients.cloudwatchUsEast1 && clients.cloudwatchUsEast1 !== clients.cloudwatch
      ? clients.cloudwatchUsEast1
      : undefined;
  const autoscaling = (abortSignal: AbortSignal) =>
    new AutoScalingCollector(clients.autoscaling, { abortSignal });

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
    run.attempt('cloudwatch', 'GetMetricData', (signal) => fetchMetrics(queries, range, signal)),
    run.attempt('cloudwatch', 'DescribeAlarms', (signal) => cloudwatch(signal).describeAlarms()),
    run.attempt('autoscaling', 'DescribeAutoScalingGroups', (signal) =>
      autoscaling(signal).describeGroups(groups),
    ),
    run.attempt('autoscaling', 'DescribeScalingActivities', (signal) =>
      autoscaling(signal).describeActivities(groups, {
        since: window.start,
        max: MAX_ACTIVITIES,
      }),
    ),
  ]).finally(run.end);

  let series = metrics.ok ? metrics.value : [];
  if (metrics.ok) {
    store.saveSeries(context.name, series, periodSeconds);
    store.pruneSeries(now);
  }
  // Stale data is shown with its reason and its age, never hidden: fall back to stored history.
  else
    series = store.loadSeries(
      context.name,
      queries.map((q) => q.id),
      range.start,
      now,
    );
  const storedAsOf = metrics.ok ? undefined : newestPoint(series);

  const alarmList = alarms.ok ? assignAlarmTiers(config, alarms.value) : [];
  const scalingFailure = [groupStates, activities].find((a) => !a.ok);
  const sources: SourceStatus[] = [
    sourceStatus(HEALTH_SOURCES.metrics, now, metrics, storedAsOf),
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
    abortSignal: AbortSignal,
  ): Promise<Series[]> {
    if (!cloudwatchUsEast1) return cloudwatch(abortSignal).getMetricData(all, timeRange);
    const global = all.filter((q) => US_EAST_1_NAMESPACES.includes(q.namespace));
    const regional = all.filter((q) => !US_EAST_1_NAMESPACES.includes(q.namespace));
    const fetched = (
      await Promise.all([
        cloudwatch(abortSignal).getMetricData(regional, timeRange),
        new CloudWatchCollector(cloudwatchUsEast1, { abortSignal }).getMetricData(
          global,
          timeRange,
        ),
      ])
    ).flat();
    const byId = new Map(fetched.map((s) => [s.id, s]));
    return all.flatMap((q) => byId.get(q.id) ?? []);
  }
}

export interface CollectAlarmsOptions extends CollectOptions {
  state?: AlarmState;
}

/** Alarms of the account (optionally in one state), each with the tier it belongs to. */
export async function collectAlarms(
  opts: CollectAlarmsOptions,
): Promise<{ alarms: Alarm[]; source: SourceStatus }> {
  const { context, now } = opts;
  const config = loadPlatformConfig(context.platformConfig);
  const run = startRun(opts);
  const alarms = await run
    .attempt('cloudwatch', 'DescribeAlarms', (abortSignal) =>
      new CloudWatchCollector(run.session.clients.cloudwatch, { abortSignal }).describeAlarms(
        opts.state ? { state: opts.state } : {},
      ),
    )
    .finally(run.end);
  return {
    alarms: alarms.ok ? assignAlarmTiers(config, alarms.value) : [],
    source: sourceStatus(HEALTH_SOURCES.alarms, now, alarms),
  };
}

/** Time of the newest datapoint of any series; undefined when there is none. */
function newestPoint(series: readonly Series[]): number | undefined {
  let newest: number | undefined;
  for (const s of series) {
    const last = s.points.at(-1);
    if (last && (newest === undefined || last.t > newest)) newest = last.t;
  }
  return newest;
}

// CloudWatch adapter: metric data and alarms, mapped into the core model.
import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type CloudWatchClient,
  type CompositeAlarm,
  type MetricAlarm,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import {
  AlarmSchema,
  SeriesSchema,
  type Alarm,
  type AlarmState,
  type Dimension,
  type MetricQuery,
  type Series,
} from '@ballast/core';
import { chunk, collectPages, mapWithConcurrency } from './paging.js';

/** GetMetricData takes at most 500 queries per call. */
export const MAX_QUERIES_PER_CALL = 500;

export interface CloudWatchCollectorOptions {
  /** GetMetricData batches in flight at once (CloudWatch allows 50 TPS per account and region) */
  concurrency?: number;
  /** aborts every request in flight (a collection's deadline) */
  abortSignal?: AbortSignal;
}

export class CloudWatchCollector {
  constructor(
    private readonly client: CloudWatchClient,
    private readonly options: CloudWatchCollectorOptions = {},
  ) {}

  private get sendOptions(): { abortSignal?: AbortSignal } {
    return this.options.abortSignal ? { abortSignal: this.options.abortSignal } : {};
  }

  /**
   * All queries in ceil(n / 500) GetMetricData calls, each followed through NextToken.
   * Returns one series per query, in query order, points ascending.
   */
  async getMetricData(
    queries: MetricQuery[],
    range: { start: number; end: number },
  ): Promise<Series[]> {
    const batches = chunk(queries, MAX_QUERIES_PER_CALL);
    const results = await mapWithConcurrency(batches, this.options.concurrency ?? 4, (batch) =>
      this.fetchBatch(batch, range),
    );
    const merged = new Map(results.flatMap((r) => [...r]));
    return queries.map((q) => {
      const found = merged.get(q.id);
      const points = found ? found.points.sort((a, b) => a.t - b.t) : [];
      return SeriesSchema.parse({
        id: q.id,
        label: q.label,
        unit: q.unit,
        points,
        partial: found?.partial ?? false,
      });
    });
  }

  async describeAlarms(filter: { state?: AlarmState } = {}): Promise<Alarm[]> {
    const pages = await collectPages(
      (token) =>
        this.client.send(
          new DescribeAlarmsCommand({
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            MaxRecords: 100,
            ...(filter.state ? { StateValue: filter.state } : {}),
            ...(token ? { NextToken: token } : {}),
          }),
          this.sendOptions,
        ),
      (page) => page.NextToken,
    );
    return pages.flatMap((page) => [
      ...(page.MetricAlarms ?? []).map(fromMetricAlarm),
      ...(page.CompositeAlarms ?? []).map(fromCompositeAlarm),
    ]);
  }

  private async fetchBatch(batch: MetricQuery[], range: { start: number; end: number }) {
    const pages = await collectPages(
      (token) =>
        this.client.send(
          new GetMetricDataCommand({
            MetricDataQueries: batch.map(toMetricDataQuery),
            StartTime: new Date(range.start),
            EndTime: new Date(range.end),
            ScanBy: 'TimestampAscending',
            ...(token ? { NextToken: token } : {}),
          }),
          this.sendOptions,
        ),
      (page) => page.NextToken,
    );
    // A query's datapoints can be spread over several pages: merge them per Id.
    const byId = new Map<string, { points: { t: number; v: number }[]; partial: boolean }>();
    for (const result of pages.flatMap((p) => p.MetricDataResults ?? [])) {
      if (!result.Id) continue;
      const entry = byId.get(result.Id) ?? { points: [], partial: false };
      entry.points.push(...pointsOf(result));
      entry.partial ||= result.StatusCode !== undefined && result.StatusCode !== 'Complete';
      byId.set(result.Id, entry);
    }
    return byId;
  }
}

function toMetricDataQuery(q: MetricQuery): MetricDataQuery {
  // No Unit filter: CloudWatch would drop datapoints published in another unit; the unit
  // travels with the query into the series instead.
  return {
    Id: q.id,
    MetricStat: {
      Metric: {
        Namespace: q.namespace,
        MetricName: q.metricName,
        Dimensions: q.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
      },
      Period: q.periodSeconds,
      Stat: q.stat,
    },
    ReturnData: true,
  };
}

function pointsOf(result: MetricDataResult): { t: number; v: number }[] {
  const timestamps = result.Timestamps ?? [];
  const values = result.Values ?? [];
  const points: { t: number; v: number }[] = [];
  for (let i = 0; i < Math.min(timestamps.length, values.length); i++) {
    const v = values[i];
    const t = timestamps[i];
    if (t !== undefined && v !== undefined && Number.isFinite(v))
      points.push({ t: t.getTime(), v });
  }
  return points;
}

function dims(list: { Name?: string; Value?: string }[] | undefined): Dimension[] {
  return (list ?? []).flatMap((d) =>
    d.Name !== undefined && d.Value !== undefined ? [{ name: d.Name, value: d.Value }] : [],
  );
}

function fromMetricAlarm(a: MetricAlarm): Alarm {
  const base = {
    name: a.AlarmName,
    description: a.AlarmDescription || undefined,
    state: a.StateValue,
    stateReason: a.StateReason ?? '',
    stateUpdatedAt: a.StateUpdatedTimestamp?.getTime() ?? 0,
    threshold: a.Threshold,
    comparison: a.ComparisonOperator,
    unit: a.Unit,
  };
  if (a.MetricName || !a.Metrics?.length)
    return AlarmSchema.parse({
      ...base,
      namespace: a.Namespace,
      metricName: a.MetricName,
      dimensions: dims(a.Dimensions),
      statistic: a.Statistic ?? a.ExtendedStatistic,
      periodSeconds: a.Period,
    });

  // An alarm on metric queries compares the query that returns data (an anomaly band's
  // ThresholdMetricId is the threshold, not the compared value). When that is a plain metric,
  // it is an ordinary metric alarm; when it is an expression, the alarm is described by it.
  const compared =
    a.Metrics.find((q) => q.ReturnData !== false && q.Id !== a.ThresholdMetricId) ?? a.Metrics[0];
  const stats = a.Metrics.flatMap((q) => (q.MetricStat ? [{ id: q.Id, stat: q.MetricStat }] : []));
  // The dimensions of every metric read, so the alarm still finds its tier.
  const dimensions = uniqueDimensions(stats.flatMap((s) => dims(s.stat.Metric?.Dimensions)));
  const stat = compared?.MetricStat;
  if (stat && !compared.Expression)
    return AlarmSchema.parse({
      ...base,
      namespace: stat.Metric?.Namespace,
      metricName: stat.Metric?.MetricName,
      dimensions,
      statistic: stat.Stat,
      periodSeconds: stat.Period ?? compared.Period,
      unit: a.Unit ?? stat.Unit,
    });
  return AlarmSchema.parse({
    ...base,
    dimensions,
    periodSeconds: compared?.Period ?? stats[0]?.stat.Period,
    math: {
      expression: compared?.Expression ?? '',
      label: compared?.Label || undefined,
      metrics: stats.flatMap(({ id, stat: s }) =>
        id && s.Metric?.Namespace && s.Metric.MetricName
          ? [
              {
                id,
                namespace: s.Metric.Namespace,
                metricName: s.Metric.MetricName,
                statistic: s.Stat,
              },
            ]
          : [],
      ),
    },
  });
}

function fromCompositeAlarm(a: CompositeAlarm): Alarm {
  return AlarmSchema.parse({
    name: a.AlarmName,
    description: a.AlarmDescription || undefined,
    state: a.StateValue,
    stateReason: a.StateReason ?? '',
    stateUpdatedAt: a.StateUpdatedTimestamp?.getTime() ?? 0,
    dimensions: [],
  });
}

function uniqueDimensions(list: Dimension[]): Dimension[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.name}=${d.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

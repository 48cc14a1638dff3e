import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import type { MetricQuery } from '@ballast/core';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CloudWatchCollector } from './cloudwatch.js';

const cw = mockClient(CloudWatchClient);
const client = new CloudWatchClient({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9', // a missed mock must never reach AWS
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const T0 = Date.UTC(2025, 10, 28, 12, 0);
const range = { start: T0 - 3_600_000, end: T0 };

const query = (i: number): MetricQuery => ({
  id: `q${i}`,
  namespace: 'AWS/EC2',
  metricName: 'CPUUtilization',
  dimensions: [{ name: 'AutoScalingGroupName', value: `asg-${i}` }],
  stat: 'Average',
  periodSeconds: 60,
  label: `asg-${i} CPUUtilization Average`,
  unit: 'Percent',
});

const result = (
  id: string,
  points: [number, number][],
  statusCode: MetricDataResult['StatusCode'] = 'Complete',
): MetricDataResult => ({
  Id: id,
  Timestamps: points.map(([t]) => new Date(t)),
  Values: points.map(([, v]) => v),
  StatusCode: statusCode,
});

const inputs = (): GetMetricDataCommandInput[] =>
  cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);

beforeEach(() => cw.reset());

describe('CloudWatchCollector.getMetricData', () => {
  it('given 1,201 queries, then exactly 3 calls carry 500, 500 and 201 of them', async () => {
    const queries = Array.from({ length: 1_201 }, (_, i) => query(i));
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
      MetricDataResults: (input.MetricDataQueries ?? []).map((q) =>
        result(q.Id ?? '', [[T0 - 60_000, 1]]),
      ),
    }));

    const series = await new CloudWatchCollector(client).getMetricData(queries, range);

    expect(
      inputs()
        .map((i) => i.MetricDataQueries?.length)
        .sort(),
    ).toEqual([201, 500, 500]);
    expect(series.map((s) => s.id)).toEqual(queries.map((q) => q.id));
    expect(series.every((s) => s.points.length === 1)).toBe(true);
  });

  it('then each query goes out as a MetricStat with its exact namespace, dimensions, period and stat', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    await new CloudWatchCollector(client).getMetricData([query(7)], range);
    expect(inputs()[0]).toEqual({
      MetricDataQueries: [
        {
          Id: 'q7',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/EC2',
              MetricName: 'CPUUtilization',
              Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'asg-7' }],
            },
            Period: 60,
            Stat: 'Average',
          },
          ReturnData: true,
        },
      ],
      StartTime: new Date(range.start),
      EndTime: new Date(range.end),
      ScanBy: 'TimestampAscending',
    });
  });

  it('given a NextToken, then the next page is fetched with it and pages merge per Id, ascending', async () => {
    cw.on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [
          result('q0', [
            [T0 - 60_000, 3],
            [T0 - 180_000, 1],
          ]),
          result('q1', [[T0 - 60_000, 10]]),
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({ MetricDataResults: [result('q0', [[T0 - 120_000, 2]], 'PartialData')] });

    const [q0, q1] = await new CloudWatchCollector(client).getMetricData(
      [query(0), query(1)],
      range,
    );

    expect(inputs().map((i) => i.NextToken)).toEqual([undefined, 'page-2']);
    expect(q0).toEqual({
      id: 'q0',
      label: 'asg-0 CPUUtilization Average',
      unit: 'Percent',
      partial: true,
      points: [
        { t: T0 - 180_000, v: 1 },
        { t: T0 - 120_000, v: 2 },
        { t: T0 - 60_000, v: 3 },
      ],
    });
    expect(q1).toMatchObject({ partial: false, points: [{ t: T0 - 60_000, v: 10 }] });
  });

  it('given a query CloudWatch returned nothing for, then it is an empty series (no data, not an error)', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    expect(await new CloudWatchCollector(client).getMetricData([query(0)], range)).toEqual([
      {
        id: 'q0',
        label: 'asg-0 CPUUtilization Average',
        unit: 'Percent',
        partial: false,
        points: [],
      },
    ]);
  });

  it('given many batches, then no more than `concurrency` calls are in flight at once', async () => {
    let inFlight = 0;
    let peak = 0;
    cw.on(GetMetricDataCommand).callsFake(async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return { MetricDataResults: [] };
    });
    await new CloudWatchCollector(client, { concurrency: 2 }).getMetricData(
      Array.from({ length: 2_600 }, (_, i) => query(i)),
      range,
    );
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(6);
    expect(peak).toBe(2);
  });

  it('given a failing call, then the error propagates (the caller turns it into a source status)', async () => {
    cw.on(GetMetricDataCommand).rejects(
      Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }),
    );
    await expect(new CloudWatchCollector(client).getMetricData([query(0)], range)).rejects.toThrow(
      'Rate exceeded',
    );
  });
});

describe('CloudWatchCollector.describeAlarms', () => {
  const updated = new Date(T0 - 300_000);

  it('given two pages of metric, metric-math and composite alarms, then all are mapped', async () => {
    cw.on(DescribeAlarmsCommand)
      .resolvesOnce({
        MetricAlarms: [
          {
            AlarmName: 'store-web-5xx',
            AlarmDescription: 'web 5xx',
            StateValue: 'ALARM',
            StateReason: 'Threshold Crossed',
            StateUpdatedTimestamp: updated,
            Namespace: 'AWS/ApplicationELB',
            MetricName: 'HTTPCode_Target_5XX_Count',
            Dimensions: [{ Name: 'LoadBalancer', Value: 'app/store-alb/50dc6c495c0c9188' }],
            Statistic: 'Sum',
            Period: 60,
            Threshold: 50,
            ComparisonOperator: 'GreaterThanThreshold',
          },
        ],
        NextToken: 'more',
      })
      .resolvesOnce({
        MetricAlarms: [
          {
            AlarmName: 'queue-backlog-math',
            StateValue: 'OK',
            StateReason: 'ok',
            StateUpdatedTimestamp: updated,
            Metrics: [
              { Id: 'e1', Expression: 'm1 / 60' },
              {
                Id: 'm1',
                MetricStat: {
                  Metric: {
                    Namespace: 'AWS/SQS',
                    MetricName: 'ApproximateNumberOfMessagesVisible',
                    Dimensions: [{ Name: 'QueueName', Value: 'model-jobs' }],
                  },
                  Period: 60,
                  Stat: 'Maximum',
                },
              },
            ],
            Threshold: 100,
            ComparisonOperator: 'GreaterThanThreshold',
          },
        ],
        CompositeAlarms: [
          {
            AlarmName: 'store-down',
            StateValue: 'INSUFFICIENT_DATA',
            StateReason: 'no data',
            StateUpdatedTimestamp: updated,
          },
        ],
      });

    const alarms = await new CloudWatchCollector(client).describeAlarms({ state: 'ALARM' });

    expect(cw.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input)).toEqual([
      { AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, StateValue: 'ALARM' },
      {
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        MaxRecords: 100,
        StateValue: 'ALARM',
        NextToken: 'more',
      },
    ]);
    expect(alarms).toEqual([
      {
        name: 'store-web-5xx',
        description: 'web 5xx',
        state: 'ALARM',
        stateReason: 'Threshold Crossed',
        stateUpdatedAt: updated.getTime(),
        namespace: 'AWS/ApplicationELB',
        metricName: 'HTTPCode_Target_5XX_Count',
        dimensions: [{ name: 'LoadBalancer', value: 'app/store-alb/50dc6c495c0c9188' }],
        statistic: 'Sum',
        periodSeconds: 60,
        threshold: 50,
        comparison: 'GreaterThanThreshold',
      },
      {
        name: 'queue-backlog-math',
        state: 'OK',
        stateReason: 'ok',
        stateUpdatedAt: updated.getTime(),
        dimensions: [{ name: 'QueueName', value: 'model-jobs' }],
        periodSeconds: 60,
        threshold: 100,
        comparison: 'GreaterThanThreshold',
        math: {
          expression: 'm1 / 60',
          metrics: [
            {
              id: 'm1',
              namespace: 'AWS/SQS',
              metricName: 'ApproximateNumberOfMessagesVisible',
              statistic: 'Maximum',
            },
          ],
        },
      },
      {
        name: 'store-down',
        state: 'INSUFFICIENT_DATA',
        stateReason: 'no data',
        stateUpdatedAt: updated.getTime(),
        dimensions: [],
      },
    ]);
  });

  it('given a metric-math alarm, then it is described by the expression it compares, not its first metric', async () => {
    const count = (id: string, metricName: string) => ({
      Id: id,
      MetricStat: {
        Metric: {
          Namespace: 'AWS/ApplicationELB',
          MetricName: metricName,
          Dimensions: [{ Name: 'LoadBalancer', Value: 'app/store-alb/50dc6c495c0c9188' }],
        },
        Period: 60,
        Stat: 'Sum',
      },
      ReturnData: false,
    });
    cw.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        {
          AlarmName: 'store-alb-5xx-rate',
          StateValue: 'ALARM',
          StateReason: 'Threshold Crossed',
          StateUpdatedTimestamp: updated,
          Metrics: [
            count('m1', 'HTTPCode_Target_5XX_Count'),
            count('m2', 'RequestCount'),
            { Id: 'e1', Expression: '100*m1/m2', Label: '5xx rate', ReturnData: true },
          ],
          Threshold: 2,
          ComparisonOperator: 'GreaterThanThreshold',
        },
      ],
    });

    const [alarm] = await new CloudWatchCollector(client).describeAlarms();

    expect(alarm).toMatchObject({
      name: 'store-alb-5xx-rate',
      dimensions: [{ name: 'LoadBalancer', value: 'app/store-alb/50dc6c495c0c9188' }],
      periodSeconds: 60,
      threshold: 2,
      math: {
        expression: '100*m1/m2',
        label: '5xx rate',
        metrics: [
          { id: 'm1', metricName: 'HTTPCode_Target_5XX_Count', statistic: 'Sum' },
          { id: 'm2', metricName: 'RequestCount', statistic: 'Sum' },
        ],
      },
    });
    // Not "HTTPCode_Target_5XX_Count Sum > 2": the alarm has no metric of its own.
    expect(alarm?.metricName).toBeUndefined();
    expect(alarm?.statistic).toBeUndefined();
  });

  it('given an alarm on one metric query without an expression, then it is an ordinary metric alarm', async () => {
    cw.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        {
          AlarmName: 'p99',
          StateValue: 'OK',
          StateUpdatedTimestamp: updated,
          Metrics: [
            {
              Id: 'm1',
              MetricStat: {
                Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'TargetResponseTime' },
                Period: 300,
                Stat: 'p99',
                Unit: 'Seconds',
              },
              ReturnData: true,
            },
          ],
          Threshold: 1.2,
          ComparisonOperator: 'GreaterThanThreshold',
        },
      ],
    });
    const [alarm] = await new CloudWatchCollector(client).describeAlarms();
    expect(alarm).toMatchObject({
      metricName: 'TargetResponseTime',
      statistic: 'p99',
      periodSeconds: 300,
      unit: 'Seconds',
    });
    expect(alarm?.math).toBeUndefined();
  });
});

import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  ListMetricsCommand,
  paginateGetMetricData,
  paginateListMetrics,
  type CloudWatchClient,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients, FIXED_NOW, startTestSandbox } from '../../test/helpers.js';
import type { RunningSandbox } from '../start-sandbox.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const webCpu = {
  Namespace: 'AWS/EC2',
  MetricName: 'CPUUtilization',
  Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'store-web' }],
};
const albLatency = {
  Namespace: 'AWS/ApplicationELB',
  MetricName: 'TargetResponseTime',
  Dimensions: [{ Name: 'LoadBalancer', Value: 'app/store-alb/50dc6c495c0c9188' }],
};
const query = (
  Id: string,
  Stat: string,
  Period = 60,
  Metric: typeof webCpu = webCpu,
): MetricDataQuery => ({
  Id,
  MetricStat: { Metric, Period, Stat },
});

let sandbox: RunningSandbox;
let cw: CloudWatchClient;

beforeAll(async () => {
  // 1 day at 1-minute resolution and 16 more at 5 minutes: old enough for the 15-day rule.
  sandbox = await startTestSandbox({ backfillDays: 1, coarseBackfillDays: 16 });
  cw = awsClients(sandbox.url).cloudWatch;
});
afterAll(() => sandbox.stop());

const getData = (
  queries: MetricDataQuery[],
  start: number,
  end: number,
  extra: Record<string, unknown> = {},
) =>
  cw.send(
    new GetMetricDataCommand({
      MetricDataQueries: queries,
      StartTime: new Date(start),
      EndTime: new Date(end),
      ...extra,
    }),
  );

async function errorOf(
  promise: Promise<unknown>,
): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the request to fail');
}

describe('GetMetricData', () => {
  it('answers 500 queries in one request, in order', async () => {
    const queries = Array.from({ length: 500 }, (_, i) =>
      query(`q${i}`, i % 2 ? 'Maximum' : 'Average'),
    );
    const out = await getData(queries, FIXED_NOW - HOUR, FIXED_NOW);
    expect(out.MetricDataResults).toHaveLength(500);
    expect(out.MetricDataResults!.map((r) => r.Id)).toEqual(queries.map((q) => q.Id));
    expect(
      out.MetricDataResults!.every((r) => r.StatusCode === 'Complete' && r.Values!.length === 60),
    ).toBe(true);
    expect(out.NextToken).toBeUndefined();
  });

  it('refuses more than 500 queries with a ValidationError', async () => {
    const queries = Array.from({ length: 501 }, (_, i) => query(`q${i}`, 'Average'));
    expect(await errorOf(getData(queries, FIXED_NOW - HOUR, FIXED_NOW))).toMatchObject({
      name: 'ValidationException',
      status: 400,
      message: expect.stringContaining('must not have a size greater than 500'),
    });
  });

  it('returns timestamps newest first by default, in epoch seconds at period starts', async () => {
    const out = await getData([query('cpu', 'Average', 300)], FIXED_NOW - HOUR, FIXED_NOW);
    const times = out.MetricDataResults![0]!.Timestamps!.map((t) => t.getTime());
    expect(times).toHaveLength(12);
    expect(times[0]).toBe(FIXED_NOW - 5 * 60_000);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const asc = await getData([query('cpu', 'Average', 300)], FIXED_NOW - HOUR, FIXED_NOW, {
      ScanBy: 'TimestampAscending',
    });
    expect(asc.MetricDataResults![0]!.Timestamps!.map((t) => t.getTime())).toEqual(
      [...times].reverse(),
    );
  });

  it('pages with NextToken across results when MaxDatapoints is small', async () => {
    const queries = [
      query('a', 'Average'),
      query('b', 'Maximum'),
      query('c', 'p99', 60, albLatency),
    ];
    const whole = await getData(queries, FIXED_NOW - 2 * HOUR, FIXED_NOW);
    const pages: MetricDataResult[][] = [];
    const paginator = paginateGetMetricData(
      { client: cw, pageSize: 50 },
      {
        MetricDataQueries: queries,
        StartTime: new Date(FIXED_NOW - 2 * HOUR),
        EndTime: new Date(FIXED_NOW),
      },
    );
    for await (const page of paginator) pages.push(page.MetricDataResults ?? []);
    // 3 x 120 datapoints, 50 a page.
    expect(pages).toHaveLength(Math.ceil(360 / 50));
    expect(pages[0]![0]!.StatusCode).toBe('PartialData');
    const merged = new Map<string, number[]>();
    for (const page of pages)
      for (const r of page) merged.set(r.Id!, [...(merged.get(r.Id!) ?? []), ...r.Values!]);
    for (const r of whole.MetricDataResults!) expect(merged.get(r.Id!)).toEqual(r.Values);
  });

  it('refuses a NextToken from another request', async () => {
    const first = await getData([query('a', 'Average')], FIXED_NOW - HOUR, FIXED_NOW, {
      MaxDatapoints: 10,
    });
    expect(first.NextToken).toBeDefined();
    expect(
      await errorOf(
        getData([query('a', 'Sum')], FIXED_NOW - HOUR, FIXED_NOW, { NextToken: first.NextToken }),
      ),
    ).toMatchObject({
      name: 'InvalidNextToken',
      status: 400,
    });
  });

  it.each([
    { period: 45, ok: false },
    { period: 90, ok: false },
    { period: 1, ok: true },
    { period: 30, ok: true },
    { period: 120, ok: true },
  ])('accepts period $period: $ok', async ({ period, ok }) => {
    const request = getData([query('cpu', 'Average', period)], FIXED_NOW - HOUR, FIXED_NOW);
    if (ok) await expect(request).resolves.toBeDefined();
    else
      expect(await errorOf(request)).toMatchObject({
        name: 'InvalidParameterValueException',
        status: 400,
        message: expect.stringContaining('Period'),
      });
  });

  it('bounds its work by what is stored, not by the period asked for', async () => {
    // Given 500 queries whose period is as long as a 32-bit integer allows (68 years), half
    // from within the 1-minute history and half from 400 days back (whole hours there)
    const fine = query('fine', 'Sum', 2_147_483_580); // a multiple of 60, not of 300
    const coarse = query('coarse', 'Sum', 2_147_482_800); // a multiple of 3600
    const from = { fine: FIXED_NOW - 10 * DAY, coarse: FIXED_NOW - 400 * DAY };
    const many = (q: MetricDataQuery) =>
      Array.from({ length: 250 }, (_, i) => ({ ...q, Id: `${q.Id}${i}` }));
    // When they are asked for (before the fix, each visited every minute of its 68 years)
    const [fineOut, coarseOut] = await Promise.all([
      getData(many(fine), from.fine, FIXED_NOW + 400 * DAY),
      getData(many(coarse), from.coarse, FIXED_NOW + 400 * DAY),
    ]);
    // Then each answers one datapoint: the sum of everything stored since its start
    const total = async (q: MetricDataQuery, period: number, start: number) =>
      (
        await getData(
          [{ ...q, MetricStat: { ...q.MetricStat!, Period: period } }],
          start,
          FIXED_NOW,
        )
      ).MetricDataResults![0]!.Values!.reduce((a, b) => a + b, 0);
    for (const [out, q, period, start] of [
      [fineOut, fine, 60, from.fine],
      [coarseOut, coarse, 3600, from.coarse],
    ] as const) {
      const values = out.MetricDataResults!.map((r) => r.Values!);
      expect(values.every((v) => v.length === 1 && v[0] === values[0]![0])).toBe(true);
      const expected = await total(q, period, start);
      expect(Math.abs(values[0]![0]! - expected) / expected).toBeLessThan(1e-4);
    }
  });

  it.each([
    { what: 'far in the past', start: -8.64e15, end: -8.64e15 + HOUR },
    { what: 'far in the future', start: 8.64e15 - HOUR, end: 8.64e15 },
    { what: 'everything a timestamp can hold', start: -8.64e15, end: 8.64e15 },
  ])('answers a range $what with what is stored in it', async ({ start, end }) => {
    const out = await getData([query('cpu', 'Average', 60)], start, end, { MaxDatapoints: 100 });
    expect(out.MetricDataResults![0]!.Values!.length).toBeLessThanOrEqual(100);
  });

  it('answers sub-minute periods with the 1-minute datapoints AWS metrics have', async () => {
    const out = await getData([query('cpu', 'Average', 1)], FIXED_NOW - 10 * 60_000, FIXED_NOW);
    expect(out.MetricDataResults![0]!.Values).toHaveLength(10);
  });

  it('has only 5-minute (or coarser) periods for data older than 15 days', async () => {
    const start = FIXED_NOW - 16 * DAY;
    const oneMinute = await getData([query('cpu', 'Average', 60)], start, start + HOUR);
    const fiveMinutes = await getData([query('cpu', 'Average', 300)], start, start + HOUR);
    expect(oneMinute.MetricDataResults![0]!.Values).toEqual([]);
    expect(fiveMinutes.MetricDataResults![0]!.Values).toHaveLength(12);
  });

  it('agrees between 1-minute and 5-minute resolution where both exist', async () => {
    const out = await getData(
      [query('fine', 'Sum', 60), query('coarse', 'Sum', 300)],
      FIXED_NOW - HOUR,
      FIXED_NOW,
    );
    const [fine, coarse] = out.MetricDataResults!;
    const fineTotal = fine!.Values!.reduce((a, b) => a + b, 0);
    const coarseTotal = coarse!.Values!.reduce((a, b) => a + b, 0);
    expect(coarseTotal).toBeCloseTo(fineTotal, 0);
  });

  it('computes consistent statistics', async () => {
    const stats = ['Average', 'Sum', 'SampleCount', 'Minimum', 'Maximum', 'p50', 'p99', 'p99.9'];
    const out = await getData(
      stats.map((s, i) => query(`s${i}`, s, 300, albLatency)),
      FIXED_NOW - HOUR,
      FIXED_NOW,
    );
    const v = Object.fromEntries(out.MetricDataResults!.map((r, i) => [stats[i]!, r.Values![0]!]));
    expect(v.Sum).toBeCloseTo(v.Average! * v.SampleCount!, 3);
    expect(v.Minimum).toBeLessThanOrEqual(v.p50!);
    expect(v.p50).toBeLessThan(v.p99!);
    expect(v.p99).toBeLessThanOrEqual(v['p99.9']!);
    expect(v['p99.9']).toBeLessThanOrEqual(v.Maximum!);
    // A web store's median response is around a tenth of a second.
    expect(v.p50).toBeGreaterThan(0.05);
    expect(v.p50).toBeLessThan(0.3);
  });

  it.each([
    {
      what: 'an unknown statistic',
      q: query('x', 'Median'),
      name: 'InvalidParameterValueException',
    },
    {
      what: 'a metric-math expression',
      q: { Id: 'x', Expression: 'SUM(METRICS())' },
      name: 'InvalidParameterValueException',
    },
    {
      what: 'an Id not starting lower-case',
      q: query('X1', 'Average'),
      name: 'ValidationException',
    },
  ])('refuses $what', async ({ q, name }) => {
    expect(await errorOf(getData([q], FIXED_NOW - HOUR, FIXED_NOW))).toMatchObject({
      name,
      status: 400,
    });
  });

  it('returns no datapoints for a metric that does not exist or another unit', async () => {
    const out = await getData(
      [
        query('missing', 'Average', 60, {
          ...webCpu,
          Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'no-such-group' }],
        }),
        {
          Id: 'unit',
          MetricStat: { Metric: webCpu, Period: 60, Stat: 'Average', Unit: 'Seconds' },
        },
      ],
      FIXED_NOW - HOUR,
      FIXED_NOW,
    );
    expect(out.MetricDataResults!.map((r) => [r.StatusCode, r.Values])).toEqual([
      ['Complete', []],
      ['Complete', []],
    ]);
  });
});

describe('ListMetrics', () => {
  it('lists metrics with their AWS namespaces and dimensions', async () => {
    const out = await cw.send(
      new ListMetricsCommand({ Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount' }),
    );
    expect(out.Metrics).toEqual([
      {
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'RequestCount',
        Dimensions: [{ Name: 'LoadBalancer', Value: 'app/store-alb/50dc6c495c0c9188' }],
      },
      {
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'RequestCount',
        Dimensions: [
          { Name: 'TargetGroup', Value: 'targetgroup/store-web/73e2d6bc24d8a067' },
          { Name: 'LoadBalancer', Value: 'app/store-alb/50dc6c495c0c9188' },
        ],
      },
    ]);
  });

  it('filters by dimension name, with or without value', async () => {
    const byName = await cw.send(new ListMetricsCommand({ Dimensions: [{ Name: 'TableName' }] }));
    expect(
      new Set(byName.Metrics!.map((m) => m.Dimensions!.find((d) => d.Name === 'TableName')!.Value)),
    ).toEqual(new Set(['carts', 'sessions']));
    const byValue = await cw.send(
      new ListMetricsCommand({
        Dimensions: [
          { Name: 'TableName', Value: 'carts' },
          { Name: 'Operation', Value: 'GetItem' },
        ],
      }),
    );
    expect(byValue.Metrics!.map((m) => m.MetricName).sort()).toEqual([
      'SuccessfulRequestLatency',
      'SystemErrors',
      'ThrottledRequests',
    ]);
  });

  it("covers every namespace of the reference platform, and the store's business metrics", async () => {
    const all = [];
    for await (const page of paginateListMetrics({ client: cw }, {}))
      all.push(...(page.Metrics ?? []));
    expect(new Set(all.map((m) => m.Namespace))).toEqual(
      new Set([
        'AWS/ApplicationELB',
        'AWS/EC2',
        'AWS/AutoScaling',
        'AWS/SQS',
        'AWS/Lambda',
        'AWS/RDS',
        'AWS/DynamoDB',
        'AWS/ElastiCache',
        'AWS/CloudFront',
        'AWS/S3',
        'AWS/Route53',
        'Store3D/Business',
        // the spot interruption warnings the platform publishes itself
        'Store3D/Spot',
      ]),
    );
  });
});

describe('DescribeAlarms', () => {
  it('filters by state and prefix, and pages', async () => {
    const all = await cw.send(new DescribeAlarmsCommand({}));
    const alarms = all.MetricAlarms!;
    expect(alarms.length).toBeGreaterThanOrEqual(8);
    for (const state of ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const) {
      const filtered = await cw.send(new DescribeAlarmsCommand({ StateValue: state }));
      expect(filtered.MetricAlarms!.map((a) => a.AlarmName)).toEqual(
        alarms.filter((a) => a.StateValue === state).map((a) => a.AlarmName),
      );
    }
    const tracking = await cw.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: 'TargetTracking-store-web-' }),
    );
    expect(tracking.MetricAlarms!.map((a) => a.AlarmName!.replace(/-[0-9a-f-]{36}$/, ''))).toEqual([
      'TargetTracking-store-web-AlarmHigh',
      'TargetTracking-store-web-AlarmLow',
    ]);
    const page = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 3 }));
    expect(page.MetricAlarms).toHaveLength(3);
    const rest = await cw.send(
      new DescribeAlarmsCommand({ MaxRecords: 100, NextToken: page.NextToken }),
    );
    expect([...page.MetricAlarms!, ...rest.MetricAlarms!].map((a) => a.AlarmName)).toEqual(
      alarms.map((a) => a.AlarmName),
    );
  });

  it('describes the target-tracking pair as AWS creates it', async () => {
    const out = await cw.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: 'TargetTracking-store-web-AlarmHigh-' }),
    );
    expect(out.MetricAlarms![0]).toMatchObject({
      Namespace: 'AWS/EC2',
      MetricName: 'CPUUtilization',
      Statistic: 'Average',
      Period: 60,
      EvaluationPeriods: 3,
      Threshold: 70,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmDescription: expect.stringMatching(
        /^DO NOT EDIT OR DELETE\. For TargetTrackingScaling policy arn:aws:autoscaling:/,
      ),
    });
  });
});

describe('DescribeAlarmHistory', () => {
  it('lists state changes newest first with AWS summaries', async () => {
    const out = await cw.send(new DescribeAlarmHistoryCommand({ MaxRecords: 20 }));
    const items = out.AlarmHistoryItems!;
    expect(items.length).toBe(20);
    expect(items.map((i) => i.Timestamp!.getTime())).toEqual(
      items.map((i) => i.Timestamp!.getTime()).sort((a, b) => b - a),
    );
    expect(items[0]!.HistorySummary).toMatch(
      /^Alarm updated from (OK|ALARM|INSUFFICIENT_DATA) to (OK|ALARM|INSUFFICIENT_DATA)$/,
    );
    expect(JSON.parse(items[0]!.HistoryData!)).toHaveProperty('newState.stateValue');
  });
});

describe('wire errors', () => {
  const post = (headers: Record<string, string>, body: string) =>
    fetch(sandbox.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', ...headers },
      body,
    });
  const auth = {
    authorization:
      'AWS4-HMAC-SHA256 Credential=test/20251123/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=0',
  };

  it.each([
    {
      what: 'an unknown operation',
      headers: { ...auth, 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricStream' },
      body: '{}',
      status: 400,
      type: 'UnknownOperationException',
      code: 'UnknownOperationException;Sender',
    },
    {
      what: 'a body that is not JSON',
      headers: { ...auth, 'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics' },
      body: '{not json',
      status: 400,
      type: 'SerializationException',
      code: 'SerializationException;Sender',
    },
    {
      what: 'no Authorization header',
      headers: { 'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics' },
      body: '{}',
      status: 403,
      type: 'MissingAuthenticationTokenException',
      code: 'MissingAuthenticationToken;Sender',
    },
  ])('answers $what as AWS does', async ({ headers, body, status, type, code }) => {
    const res = await post(headers, body);
    expect(res.status).toBe(status);
    expect(res.headers.get('x-amzn-query-error')).toBe(code);
    expect(((await res.json()) as { __type: string }).__type).toMatch(new RegExp(`#${type}$`));
  });
});

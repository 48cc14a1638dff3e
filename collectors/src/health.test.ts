import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  CloudWatchClient,
  CloudWatchServiceException,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import {
  HEALTH_SOURCES,
  PlatformHealthSchema,
  openStore,
  referencePlatformConfigPath,
  UnknownTierError,
  type ResolvedContext,
  type Store,
} from '@ballast/core';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';
import type { AwsClients } from './clients.js';
import type { CollectorSession } from './session.js';
import { collectAlarms, collectHealth } from './health.js';

const cw = mockClient(CloudWatchClient);
const asg = mockClient(AutoScalingClient);
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
// Should a mock ever miss, the request goes to a closed loopback port, never to AWS.
const LOOPBACK = 'http://127.0.0.1:9';
const clients: AwsClients = {
  cloudwatch: new CloudWatchClient({ region: 'us-east-1', endpoint: LOOPBACK, credentials }),
  autoscaling: new AutoScalingClient({ region: 'us-east-1', endpoint: LOOPBACK, credentials }),
  costExplorer: new CostExplorerClient({ region: 'us-east-1', endpoint: LOOPBACK, credentials }),
  sts: new STSClient({ region: 'us-east-1', endpoint: LOOPBACK, credentials }),
};
const context: ResolvedContext = {
  name: 'sandbox',
  region: 'us-east-1',
  endpointUrl: 'http://127.0.0.1:4566',
  platformConfig: referencePlatformConfigPath,
  dummyCredentials: true,
  source: 'default',
};
const NOW = Date.UTC(2025, 10, 28, 12, 0, 30);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let store: Store;
/** Clients and backoff kept across the collections of one test, as a long-running process keeps them. */
let session: CollectorSession;

/** Every query answered with a flat line at a value that keeps the SLOs happy. */
function answerAllQueries(value = 1) {
  cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => ({
      Id: q.Id,
      StatusCode: 'Complete',
      Timestamps: [new Date(NOW - 3 * MINUTE - 30_000), new Date(NOW - 2 * MINUTE - 30_000)],
      Values: [value, value],
    })),
  }));
}

function scalingState() {
  asg.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: 'store-web',
        MinSize: 2,
        MaxSize: 20,
        DesiredCapacity: 2,
        DefaultCooldown: 300,
        AvailabilityZones: [],
        HealthCheckType: 'ELB',
        CreatedTime: new Date(0),
        Instances: [],
      },
    ],
  });
  asg.on(DescribeScalingActivitiesCommand).resolves({ Activities: [] });
  asg.on(DescribeScalingActivitiesCommand, { AutoScalingGroupName: 'store-web' }).resolves({
    Activities: [
      {
        ActivityId: 'a1',
        AutoScalingGroupName: 'store-web',
        Cause: 'scale out',
        StartTime: new Date(NOW - 5 * MINUTE),
        StatusCode: 'Successful',
      },
    ],
  });
}

/** A client-fault error as the CloudWatch client throws it. */
function cloudWatchError(name: string, httpStatusCode: number, message: string) {
  return new CloudWatchServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode },
    message,
  });
}

const firingAlarm = {
  AlarmName: 'store-web-cpu-high',
  StateValue: 'ALARM' as const,
  StateReason: 'Threshold Crossed',
  StateUpdatedTimestamp: new Date(NOW - MINUTE),
  Namespace: 'AWS/EC2',
  MetricName: 'CPUUtilization',
  Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'store-web' }],
};

beforeEach(() => {
  cw.reset();
  asg.reset();
  store = openStore(mkdtempSync(join(tmpdir(), 'ballast-health-')));
  session = { clients, backoff: new Backoff(), now: () => NOW };
});
afterEach(() => store.close());

describe('collectHealth', () => {
  it('given every source answers, then all tiers are evaluated, alarms mapped and series stored', async () => {
    answerAllQueries();
    cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [firingAlarm] });
    scalingState();

    const health = await collectHealth({ context, store, now: NOW, sinceMs: HOUR, session });

    expect(PlatformHealthSchema.parse(health)).toEqual(health);
    expect(health.window).toEqual({ start: NOW - HOUR, end: NOW });
    expect(health.tiers.map((t) => t.tier)).toEqual(['edge', 'web', 'workers', 'data']);
    expect(health.sources).toEqual([
      { source: HEALTH_SOURCES.metrics, ok: true, fetchedAt: NOW },
      { source: HEALTH_SOURCES.alarms, ok: true, fetchedAt: NOW },
      { source: HEALTH_SOURCES.autoscaling, ok: true, fetchedAt: NOW },
    ]);
    expect(health.firingAlarms).toEqual([
      expect.objectContaining({ name: 'store-web-cpu-high', tier: 'web' }),
    ]);
    expect(health.groups).toEqual([expect.objectContaining({ name: 'store-web', tier: 'web' })]);
    expect(health.activities).toEqual([expect.objectContaining({ id: 'a1', tier: 'web' })]);

    const request = cw.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(request?.StartTime).toEqual(new Date(NOW - HOUR - 30_000)); // aligned to the minute
    const ids = (request?.MetricDataQueries ?? []).map((q) => q.Id ?? '');
    expect(store.loadSeries('sandbox', ids, 0, NOW)).toHaveLength(ids.length);
  });

  it('given GetMetricData is denied, then only the metrics source fails (with the IAM action) and the rest still shows', async () => {
    cw.on(GetMetricDataCommand).rejects(cloudWatchError('AccessDenied', 403, 'not authorized'));
    cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [firingAlarm] });
    scalingState();

    const health = await collectHealth({ context, store, now: NOW, sinceMs: HOUR, session });

    expect(health.sources[0]).toEqual({
      source: HEALTH_SOURCES.metrics,
      ok: false,
      error: {
        kind: 'access-denied',
        message: 'Access denied to cloudwatch:GetMetricData: not authorized',
        iamAction: 'cloudwatch:GetMetricData',
        actions: ['Grant cloudwatch:GetMetricData to the IAM identity of your credentials.'],
        retryAt: expect.any(Number),
      },
    });
    expect(health.sources.slice(1).every((s) => s.ok)).toBe(true);
    expect(health.firingAlarms).toHaveLength(1);
    expect(health.groups).toHaveLength(1);
    expect(health.tiers.find((t) => t.tier === 'web')?.status).toBe('degraded');
    expect(health.tiers.find((t) => t.tier === 'data')).toMatchObject({
      status: 'unknown',
      reasons: [
        'Metrics unavailable — access-denied: Access denied to cloudwatch:GetMetricData: not authorized; Grant cloudwatch:GetMetricData to the IAM identity of your credentials.',
      ],
    });
  });

  it('given metrics fail after an earlier successful run, then charts fall back to the stored history', async () => {
    answerAllQueries();
    cw.on(DescribeAlarmsCommand).resolves({});
    scalingState();
    await collectHealth({ context, store, now: NOW, sinceMs: HOUR, session });

    cw.on(GetMetricDataCommand).rejects(cloudWatchError('Throttling', 400, 'Rate exceeded'));
    const health = await collectHealth({
      context,
      store,
      now: NOW + MINUTE,
      sinceMs: HOUR,
      session,
    });

    const web = health.tiers.find((t) => t.tier === 'web');
    expect(web?.signals[0]?.points.length).toBeGreaterThan(0);
    expect(web?.reasons).toEqual([
      expect.stringMatching(
        /^Metrics unavailable — throttled: .*charts show stored history \(newest datapoint 3m old\)$/,
      ),
    ]);
    // The age of what is shown instead, from the stored history: the newest stored point
    // started at NOW - 2m30s and the report is a minute later.
    expect(health.sources[0]).toMatchObject({
      source: HEALTH_SOURCES.metrics,
      ok: false,
      dataAsOf: NOW - 2 * MINUTE - 30_000,
      ageMs: 3 * MINUTE + 30_000,
      error: { kind: 'throttled' },
    });
    expect(health.sources[0]?.fetchedAt).toBeUndefined();
    expect(PlatformHealthSchema.parse(health)).toEqual(health);
  });

  it('given metrics fail with no stored history, then the source has no data age', async () => {
    cw.on(GetMetricDataCommand).rejects(cloudWatchError('Throttling', 400, 'Rate exceeded'));
    cw.on(DescribeAlarmsCommand).resolves({});
    scalingState();
    const health = await collectHealth({ context, store, now: NOW, sinceMs: HOUR, session });
    expect(health.sources[0]).toEqual({
      source: HEALTH_SOURCES.metrics,
      ok: false,
      error: expect.objectContaining({ kind: 'throttled' }),
    });
  });

  it('given DescribeAlarms is denied, then firing alarms are unknown (null), not none, and the source says why', async () => {
    answerAllQueries();
    cw.on(DescribeAlarmsCommand).rejects(cloudWatchError('AccessDenied', 403, 'not authorized'));
    scalingState();
    const health = await collectHealth({ context, store, now: NOW, sinceMs: HOUR, session });
    expect(health.firingAlarms).toBeNull();
    expect(health.sources[1]).toMatchObject({
      source: HEALTH_SOURCES.alarms,
      ok: false,
      error: { kind: 'access-denied', iamAction: 'cloudwatch:DescribeAlarms' },
    });
    expect(health.tiers.every((t) => t.status !== 'ok')).toBe(true);
    expect(PlatformHealthSchema.parse(health)).toEqual(health);
  });

  it('given Auto Scaling is unreachable, then groups are empty, the source says why, and metrics still judge the tiers', async () => {
    answerAllQueries();
    cw.on(DescribeAlarmsCommand).resolves({});
    asg
      .onAnyCommand()
      .rejects(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' }),
      );

    const health = await collectHealth({ context, store, now: NOW, sinceMs: HOUR, session });

    expect(health.sources[2]).toMatchObject({
      source: HEALTH_SOURCES.autoscaling,
      ok: false,
      error: { kind: 'unreachable' },
    });
    expect(health.groups).toEqual([]);
    expect(health.tiers.every((t) => t.signals.length > 0)).toBe(true);
  });

  it('given a tier, then only its metrics and groups are asked for and only it is reported', async () => {
    answerAllQueries();
    cw.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        firingAlarm,
        { ...firingAlarm, AlarmName: 'carts', Dimensions: [{ Name: 'TableName', Value: 'carts' }] },
      ],
    });
    scalingState();

    const health = await collectHealth({
      context,
      store,
      now: NOW,
      sinceMs: HOUR,
      tier: 'workers',
      session,
    });

    expect(health.tiers.map((t) => t.tier)).toEqual(['workers']);
    const dims = (
      cw.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries ?? []
    ).flatMap((q) => q.MetricStat?.Metric?.Dimensions ?? []);
    expect(new Set(dims.map((d) => d.Value))).toEqual(
      new Set(['store-workers', 'model-jobs', 'thumbnailer']),
    );
    expect(
      asg.commandCalls(DescribeAutoScalingGroupsCommand)[0]?.args[0].input.AutoScalingGroupNames,
    ).toEqual(['store-workers']);
    expect(health.firingAlarms).toEqual([]);
  });

  it('given an unknown tier, then it fails before any AWS call, listing the tier ids', async () => {
    await expect(
      collectHealth({ context, store, now: NOW, sinceMs: HOUR, tier: 'db', session }),
    ).rejects.toThrow(UnknownTierError);
    await expect(
      collectHealth({ context, store, now: NOW, sinceMs: HOUR, tier: 'db', session }),
    ).rejects.toThrow('Known tiers: edge, web, workers, data.');
    expect(cw.calls()).toHaveLength(0);
  });

  it('given a platform outside us-east-1, then CloudFront and Route 53 metrics are read from us-east-1', async () => {
    answerAllQueries();
    cw.on(DescribeAlarmsCommand).resolves({});
    scalingState();
    const usEast1 = new CloudWatchClient({ region: 'us-east-1', endpoint: LOOPBACK, credentials });

    const health = await collectHealth({
      context: { ...context, region: 'eu-west-1' },
      store,
      now: NOW,
      sinceMs: HOUR,
      session: { ...session, clients: { ...clients, cloudwatchUsEast1: usEast1 } },
    });

    const namespacesSentTo = (client: CloudWatchClient) =>
      new Set(
        cw
          .commandCalls(GetMetricDataCommand)
          .filter((call) => call.thisValue === client)
          .flatMap((call) => call.args[0].input.MetricDataQueries ?? [])
          .map((q) => q.MetricStat?.Metric?.Namespace),
      );
    expect(namespacesSentTo(usEast1)).toEqual(new Set(['AWS/CloudFront', 'AWS/Route53']));
    expect(namespacesSentTo(clients.cloudwatch)).toEqual(
      new Set([
        'AWS/S3',
        'AWS/ApplicationELB',
        'AWS/EC2',
        'AWS/AutoScaling',
        'AWS/SQS',
        'AWS/Lambda',
        'AWS/RDS',
        'AWS/DynamoDB',
        'AWS/ElastiCache',
        // the spot interruption count the platform config names, published in its region
        'Store3D/Spot',
      ]),
    );
    const edge = health.tiers.find((t) => t.tier === 'edge');
    expect(edge?.signals.find((s) => s.signal === 'traffic')?.current).toBe(1);
  });

  it('given a 7-day window, then 5-minute periods are asked for', async () => {
    answerAllQueries();
    cw.on(DescribeAlarmsCommand).resolves({});
    scalingState();
    await collectHealth({ context, store, now: NOW, sinceMs: 7 * 24 * HOUR, session });
    expect(
      cw.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries?.[0]?.MetricStat
        ?.Period,
    ).toBe(300);
  });
});

describe('collectHealth, backing off', () => {
  it('given GetMetricData keeps being throttled, then collections every 5 s call it less and less often, reporting the failure and the next try meanwhile', async () => {
    cw.on(GetMetricDataCommand).rejects(cloudWatchError('Throttling', 400, 'Rate exceeded'));
    cw.on(DescribeAlarmsCommand).resolves({});
    scalingState();
    // random 0: each pause is half its ceiling, 5 s, 10 s, 20 s, 40 s, ...
    let clock = NOW;
    session = { clients, backoff: new Backoff({ random: () => 0 }), now: () => clock };

    const reports = [];
    for (let i = 0; i < 12; i++, clock += 5_000)
      reports.push(await collectHealth({ context, store, now: clock, sinceMs: HOUR, session }));

    // Called at 0, 5, 15 and 35 s: 4 calls in a minute instead of 12.
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(4);
    // Healthy operations are not held back by a failing one.
    expect(cw.commandCalls(DescribeAlarmsCommand)).toHaveLength(12);
    const metrics = reports.map((r) => r.sources[0]);
    const nextTry = [5, 15, 15, 35, 35, 35, 35, 75, 75, 75, 75, 75];
    expect(metrics.map((m) => m?.error?.retryAt)).toEqual(nextTry.map((s) => NOW + s * 1_000));
    for (const m of metrics)
      expect(m).toMatchObject({
        ok: false,
        error: { kind: 'throttled', message: expect.stringContaining('Rate exceeded') },
      });
  });

  it('given the throttling stops, then the next call after the pause succeeds and the backoff starts over', async () => {
    cw.on(GetMetricDataCommand).rejects(cloudWatchError('Throttling', 400, 'Rate exceeded'));
    cw.on(DescribeAlarmsCommand).resolves({});
    scalingState();
    let clock = NOW;
    session = { clients, backoff: new Backoff({ random: () => 0 }), now: () => clock };
    await collectHealth({ context, store, now: clock, sinceMs: HOUR, session });

    answerAllQueries();
    clock = NOW + 1_000;
    const during = await collectHealth({ context, store, now: clock, sinceMs: HOUR, session });
    clock = NOW + 5_000;
    const after = await collectHealth({ context, store, now: clock, sinceMs: HOUR, session });

    expect(during.sources[0]?.ok).toBe(false);
    expect(after.sources[0]).toEqual({
      source: HEALTH_SOURCES.metrics,
      ok: true,
      fetchedAt: NOW + 5_000,
    });
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(2);
  });
});

describe('collectAlarms', () => {
  it('given a state, then it is passed on and alarms carry their tier', async () => {
    cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [firingAlarm] });
    const { alarms, source } = await collectAlarms({
      context,
      store,
      now: NOW,
      state: 'ALARM',
      session,
    });
    expect(cw.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input.StateValue).toBe('ALARM');
    expect(alarms).toEqual([expect.objectContaining({ name: 'store-web-cpu-high', tier: 'web' })]);
    expect(source).toEqual({ source: HEALTH_SOURCES.alarms, ok: true, fetchedAt: NOW });
  });

  it('given DescribeAlarms is throttled, then no alarms and a throttled source', async () => {
    cw.on(DescribeAlarmsCommand).rejects(cloudWatchError('Throttling', 400, 'Rate exceeded'));
    const result = await collectAlarms({ context, store, now: NOW, session });
    expect(result).toMatchObject({
      alarms: [],
      source: { ok: false, error: { kind: 'throttled' } },
    });
  });
});

// The change service over the SDK clients (aws-sdk-client-mock answering as AWS documents):
// what it sends, what it records, and how an AWS failure reaches the user.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoScalingClient,
  AutoScalingServiceException,
  DescribeAccountLimitsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand,
  DescribeScheduledActionsCommand,
  PutScalingPolicyCommand,
  type ScalingPolicy as AwsScalingPolicy,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { hostname } from 'node:os';
import {
  ChangeRefusedError,
  groupCapacityRequest,
  loadPlatformConfig,
  openStore,
  recordedQueries,
  referencePlatformConfigPath,
  scalingPolicyRequest,
  type Store,
} from '@ballast/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeAwsError, createChangeService, recordedTraffic } from './changes.js';
import { createCollectorSession } from './session.js';
import { sandboxContextAt } from './testing/index.js';

const asg = mockClient(AutoScalingClient);
const sts = mockClient(STSClient);
const cw = mockClient(CloudWatchClient);
// Should a mock ever miss, the request goes to a closed loopback port, never to AWS.
const context = sandboxContextAt('http://127.0.0.1:9');
const platform = loadPlatformConfig(referencePlatformConfigPath);
const NOW = Date.UTC(2025, 10, 20, 15, 0);
const PRINCIPAL = 'arn:aws:sts::123456789012:assumed-role/ops/jane';

let store: Store;
let dir: string;
let policies: AwsScalingPolicy[];

const cpu = (target: number): AwsScalingPolicy => ({
  AutoScalingGroupName: 'store-web',
  PolicyName: 'store-web-cpu70',
  PolicyType: 'TargetTrackingScaling',
  EstimatedInstanceWarmup: 300,
  TargetTrackingConfiguration: {
    PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
    TargetValue: target,
    DisableScaleIn: false,
  },
  Enabled: true,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-change-service-'));
  store = openStore(dir);
  asg.reset();
  sts.reset();
  cw.reset();
  policies = [cpu(70)];
  asg.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: 'store-web',
        MinSize: 2,
        MaxSize: 20,
        DesiredCapacity: 6,
        DefaultCooldown: 300,
        AvailabilityZones: ['us-east-1a'],
        HealthCheckType: 'ELB',
        CreatedTime: new Date(NOW - 86_400_000),
        MixedInstancesPolicy: {
          LaunchTemplate: { Overrides: [{ InstanceType: 'm6i.large' }] },
          InstancesDistribution: {
            OnDemandBaseCapacity: 2,
            OnDemandPercentageAboveBaseCapacity: 30,
          },
        },
        Instances: [],
      },
    ],
  });
  asg.on(DescribePoliciesCommand).callsFake(() => ({ ScalingPolicies: structuredClone(policies) }));
  asg.on(DescribeScheduledActionsCommand).resolves({ ScheduledUpdateGroupActions: [] });
  asg
    .on(DescribeAccountLimitsCommand)
    .resolves({ MaxNumberOfAutoScalingGroups: 500, NumberOfAutoScalingGroups: 2 });
  asg
    .on(PutScalingPolicyCommand)
    .callsFake((input: { TargetTrackingConfiguration: { TargetValue: number } }) => {
      policies = [cpu(input.TargetTrackingConfiguration.TargetValue)];
      return { PolicyARN: 'arn:aws:autoscaling:policy', Alarms: [] };
    });
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Arn: PRINCIPAL, Account: '123456789012', UserId: 'AROA:jane' });
  cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
});
afterEach(() => store.close());

const service = () =>
  createChangeService({
    context,
    store,
    now: () => NOW,
    engine: { sleep: () => Promise.resolve() },
  });

describe('createChangeService', () => {
  it('given a CPU target change, then it writes the policy, reads it back, and records the AWS principal', async () => {
    const changes = service();

    const plan = await changes.planChange(
      scalingPolicyRequest(platform, { group: 'store-web', metric: 'cpu', target: 50 }),
    );
    const result = await changes.applyChange(plan, {
      actor: { user: 'jane', via: 'cli' },
      reason: 'pre-sale',
    });

    expect(result.status).toBe('applied');
    expect(asg.commandCalls(PutScalingPolicyCommand)).toHaveLength(1);
    expect(changes.show(result.changeId)).toMatchObject({
      actor: { principal: PRINCIPAL, account: '123456789012', user: 'jane', via: 'cli' },
      reason: 'pre-sale',
      status: 'applied',
    });
    expect(changes.verify()).toMatchObject({ ok: true, entries: 2 });
    // no traffic recorded: the plan says so instead of guessing
    expect(plan.effectUnavailable).toBe('No traffic of store-web was recorded in the last 7 days.');
  });

  it('given a load test recorded as running in the store, then a scale-in of its tier is refused', async () => {
    store.loadTests.begin(
      {
        id: 'lt-bf',
        context: context.name,
        scenario: 'black-friday',
        target: 'http://127.0.0.1:4566/store',
        tiers: ['web'],
        options: {},
        startedAt: NOW - 60_000,
        holder: `ops@${hostname()}`,
        pid: process.pid,
      },
      () => false,
    );
    const plan = await service().planChange(
      groupCapacityRequest({ group: 'store-web', desired: 4 }),
    );
    expect(plan.guardrails.find((g) => g.id === 'load-test')).toMatchObject({
      ok: false,
      override: 'during-load-test',
      message: expect.stringMatching(/Load test lt-bf is running against store-web/),
    });
  });

  it('given the write is denied, then the change is recorded as failed, naming the IAM action to grant', async () => {
    asg.on(PutScalingPolicyCommand).rejects(
      new AutoScalingServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message:
          'User: arn:aws:sts::123456789012:assumed-role/ops/jane is not authorized to perform: autoscaling:PutScalingPolicy',
      }),
    );
    const changes = service();
    const plan = await changes.planChange(
      scalingPolicyRequest(platform, { group: 'store-web', metric: 'cpu', target: 50 }),
    );

    const result = await changes.applyChange(plan, {
      actor: { user: 'jane', via: 'cli' },
      reason: 'pre-sale',
    });

    expect(result).toMatchObject({
      status: 'failed',
      steps: [
        {
          status: 'failed',
          error: expect.stringMatching(
            /^Access denied to autoscaling:PutScalingPolicy: User: .* is not authorized/,
          ),
        },
      ],
      actions: ['Grant autoscaling:PutScalingPolicy to the IAM identity of your credentials.'],
    });
    expect(changes.show(result.changeId)?.status).toBe('failed');
    expect(policies[0]?.TargetTrackingConfiguration?.TargetValue).toBe(70);
  });

  it('given a read is throttled, then planning fails with the classified error and its advice', async () => {
    asg.on(DescribePoliciesCommand).rejects(
      new AutoScalingServiceException({
        name: 'Throttling',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Rate exceeded',
      }),
    );

    const error = await service()
      .planChange(scalingPolicyRequest(platform, { group: 'store-web', metric: 'cpu', target: 50 }))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ChangeAwsError);
    expect((error as ChangeAwsError).error).toMatchObject({
      kind: 'throttled',
      message: 'Auto Scaling throttled DescribePolicies (Throttling): Rate exceeded',
    });
  });

  it('given a plan saved to a file, then it loads back; a missing file says how to make one', async () => {
    const changes = service();
    const plan = await changes.planChange(
      scalingPolicyRequest(platform, { group: 'store-web', metric: 'cpu', target: 50 }),
    );
    const file = join(dir, 'web.plan');

    await changes.savePlan(file, plan);

    expect(await changes.loadPlan(file)).toEqual(plan);
    const missing = await changes.loadPlan(join(dir, 'nope.plan')).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ChangeRefusedError);
    expect((missing as ChangeRefusedError).message).toBe(`No plan file ${join(dir, 'nope.plan')}.`);
  });
});

describe('recordedTraffic', () => {
  const tier = platform.tiers.find((t) => t.id === 'web')!;
  const queries = recordedQueries(tier, 'store-web');
  const start = NOW - 7 * 86_400_000;
  const minutes = (from: number, to: number, v: number) =>
    Array.from({ length: (to - from) / 60_000 }, (_, i) => ({ t: from + i * 60_000, v }));
  /** CloudWatch answering every query with `v` for each minute it is asked about. */
  const answer = (v: number) =>
    cw
      .on(GetMetricDataCommand)
      .callsFake(
        (input: { MetricDataQueries: { Id: string }[]; StartTime: Date; EndTime: Date }) => {
          const points = minutes(input.StartTime.getTime(), input.EndTime.getTime(), v);
          return {
            MetricDataResults: input.MetricDataQueries.map((q) => ({
              Id: q.Id,
              StatusCode: 'Complete',
              Timestamps: points.map((p) => new Date(p.t)),
              Values: points.map((p) => p.v),
            })),
          };
        },
      );
  const asked = () =>
    new Set(cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.StartTime?.getTime()));
  const traffic = (now: number) =>
    recordedTraffic({
      context,
      store,
      platform,
      session: createCollectorSession(context, store, { now: () => now }),
    });

  it('given only the last hour stored by a health collection, then the whole week is read, once', async () => {
    store.saveSeries(
      context.name,
      queries.map((q) => ({
        id: q.query.id,
        label: q.query.label,
        unit: q.query.unit,
        partial: false,
        points: minutes(NOW - 3_600_000, NOW, 5),
      })),
      60,
    );
    answer(10);

    const week = await traffic(NOW).recorded('store-web', { start, end: NOW });

    expect(asked()).toEqual(new Set([start]));
    expect(week?.values.requests?.length).toBe(7 * 1440);
    expect(week?.values.requests?.every((v) => v === 10)).toBe(true);
  });

  it('given the week read a day ago, then only the day since (and two minutes before it) is asked for', async () => {
    const yesterday = NOW - 86_400_000;
    answer(10);
    await traffic(yesterday).recorded('store-web', { start: start - 86_400_000, end: yesterday });
    cw.reset();
    answer(20);

    const week = await traffic(NOW).recorded('store-web', { start, end: NOW });

    expect(asked()).toEqual(new Set([yesterday - 120_000]));
    expect(week?.values.requests?.[0]).toBe(10);
    expect(week?.values.requests?.[7 * 1440 - 1]).toBe(20);
  });
});

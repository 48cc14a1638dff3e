// Every Auto Scaling write through the real SDK client, read back through the API: the
// policies, scheduled actions, sizes and mix stored, what the simulation does with them,
// AWS's limits, and a change failing part-way under fault injection. Each test has its own
// sandbox, so none depends on another.
import {
  BatchPutScheduledUpdateGroupActionCommand,
  DeletePolicyCommand,
  DeleteScheduledActionCommand,
  DescribeAccountLimitsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand,
  DescribeScalingActivitiesCommand,
  DescribeScheduledActionsCommand,
  PutScalingPolicyCommand,
  PutScheduledUpdateGroupActionCommand,
  SetDesiredCapacityCommand,
  UpdateAutoScalingGroupCommand,
  type AutoScalingClient,
  type ScheduledUpdateGroupActionRequest,
} from '@aws-sdk/client-auto-scaling';
import {
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  type CloudWatchClient,
} from '@aws-sdk/client-cloudwatch';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { awsClients, FIXED_NOW, startTestSandbox } from '../../test/helpers.js';
import type { RunningSandbox } from '../start-sandbox.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let running: (RunningSandbox & { setTime(ms: number): void }) | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function sandbox(): Promise<{
  as: AutoScalingClient;
  cw: CloudWatchClient;
  setTime(ms: number): void;
  url: string;
}> {
  running = await startTestSandbox({ backfillDays: 0.25 });
  const { autoScaling, cloudWatch } = awsClients(running.url);
  return { as: autoScaling, cw: cloudWatch, setTime: running.setTime, url: running.url };
}

async function group(as: AutoScalingClient, name: string) {
  const out = await as.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
  );
  return out.AutoScalingGroups![0]!;
}

const inService = (g: Awaited<ReturnType<typeof group>>) =>
  g.Instances!.filter((i) => i.LifecycleState === 'InService').length;

async function policies(as: AutoScalingClient, groupName: string) {
  const out = await as.send(new DescribePoliciesCommand({ AutoScalingGroupName: groupName }));
  return out.ScalingPolicies!;
}

describe('PutScalingPolicy', () => {
  it('lowers the web CPU target: the alarm follows, and capacity rises within the warm-up', async () => {
    // Given the web tier tracking 70% CPU
    const { as, cw, setTime } = await sandbox();
    const [current] = await policies(as, 'store-web');
    expect(current).toMatchObject({
      PolicyName: 'store-web-cpu70',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
        TargetValue: 70,
        DisableScaleIn: false,
      },
    });
    const before = await group(as, 'store-web');

    // When the same policy is put with a target of 35%
    const put = await as.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: 'store-web',
        PolicyName: 'store-web-cpu70',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
          TargetValue: 35,
        },
      }),
    );

    // Then it is the same policy, with the alarms it owns, and CloudWatch shows them at 35%
    expect(put.PolicyARN).toBe(current!.PolicyARN);
    expect(put.Alarms!.map((a) => a.AlarmName)).toEqual([
      expect.stringMatching(/^TargetTracking-store-web-AlarmHigh-[0-9a-f-]{36}$/),
      expect.stringMatching(/^TargetTracking-store-web-AlarmLow-[0-9a-f-]{36}$/),
    ]);
    const alarms = await cw.send(
      new DescribeAlarmsCommand({ AlarmNames: put.Alarms!.map((a) => a.AlarmName!) }),
    );
    expect(alarms.MetricAlarms!.map((a) => [a.ComparisonOperator, a.Threshold])).toEqual([
      ['GreaterThanThreshold', 35],
      ['LessThanThreshold', 31.5],
    ]);
    expect(alarms.MetricAlarms![0]).toMatchObject({
      Namespace: 'AWS/EC2',
      MetricName: 'CPUUtilization',
      Statistic: 'Average',
      Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'store-web' }],
      AlarmActions: [current!.PolicyARN],
    });
    // And within the warm-up (300 s) the group asks for about twice the capacity and has more in service
    setTime(FIXED_NOW + 5 * MINUTE);
    const after = await group(as, 'store-web');
    expect(after.DesiredCapacity).toBeGreaterThanOrEqual(
      Math.min(after.MaxSize!, Math.floor(before.DesiredCapacity! * 1.5)),
    );
    expect(inService(after)).toBeGreaterThan(inService(before));
    const activities = await as.send(
      new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'store-web', MaxRecords: 1 }),
    );
    expect(activities.Activities![0]!.Cause).toContain(
      `a monitor alarm ${put.Alarms![0]!.AlarmName} in state ALARM triggered policy store-web-cpu70 changing the desired capacity from ${before.DesiredCapacity} to`,
    );
  });

  it('stores request-count and metric-math target tracking as given, and step scaling', async () => {
    const { as, cw } = await sandbox();
    const label = 'app/store-alb/50dc6c495c0c9188/targetgroup/store-web/73e2d6bc24d8a067';
    await as.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: 'store-web',
        PolicyName: 'requests',
        PolicyType: 'TargetTrackingScaling',
        EstimatedInstanceWarmup: 240,
        TargetTrackingConfiguration: {
          PredefinedMetricSpecification: {
            PredefinedMetricType: 'ALBRequestCountPerTarget',
            ResourceLabel: label,
          },
          TargetValue: 3000,
          DisableScaleIn: true,
        },
      }),
    );
    // The SQS backlog per instance, as AWS's guide builds it with metric math.
    const backlog = {
      Metrics: [
        {
          Id: 'visible',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/SQS',
              MetricName: 'ApproximateNumberOfMessagesVisible',
              Dimensions: [{ Name: 'QueueName', Value: 'model-jobs' }],
            },
            Stat: 'Sum',
          },
          ReturnData: false,
        },
        {
          Id: 'instances',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/AutoScaling',
              MetricName: 'GroupInServiceInstances',
              Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'store-workers' }],
            },
            Stat: 'Average',
          },
          ReturnData: false,
        },
        {
          Id: 'backlog',
          Expression: 'visible / instances',
          Label: 'Backlog per instance',
          ReturnData: true,
        },
      ],
    };
    const math = await as.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: 'store-workers',
        PolicyName: 'backlog',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingConfiguration: { CustomizedMetricSpecification: backlog, TargetValue: 16 },
      }),
    );
    await as.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: 'store-web',
        PolicyName: 'cpu-steps',
        PolicyType: 'StepScaling',
        AdjustmentType: 'PercentChangeInCapacity',
        MinAdjustmentMagnitude: 2,
        MetricAggregationType: 'Maximum',
        EstimatedInstanceWarmup: 120,
        StepAdjustments: [
          { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 15, ScalingAdjustment: 10 },
          { MetricIntervalLowerBound: 15, ScalingAdjustment: 30 },
        ],
      }),
    );

    const web = await policies(as, 'store-web');
    expect(web.find((p) => p.PolicyName === 'requests')).toMatchObject({
      PolicyType: 'TargetTrackingScaling',
      EstimatedInstanceWarmup: 240,
      TargetTrackingConfiguration: {
        PredefinedMetricSpecification: {
          PredefinedMetricType: 'ALBRequestCountPerTarget',
          ResourceLabel: label,
        },
        TargetValue: 3000,
        DisableScaleIn: true,
      },
      Enabled: true,
    });
    // Scale-in disabled: only AlarmHigh.
    expect(web.find((p) => p.PolicyName === 'requests')!.Alarms).toHaveLength(1);
    expect(web.find((p) => p.PolicyName === 'cpu-steps')).toMatchObject({
      PolicyType: 'StepScaling',
      AdjustmentType: 'PercentChangeInCapacity',
      MinAdjustmentMagnitude: 2,
      MetricAggregationType: 'Maximum',
      EstimatedInstanceWarmup: 120,
      StepAdjustments: [
        { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 15, ScalingAdjustment: 10 },
        { MetricIntervalLowerBound: 15, ScalingAdjustment: 30 },
      ],
      Alarms: [],
    });
    const workers = await policies(as, 'store-workers');
    expect(workers.find((p) => p.PolicyName === 'backlog')!.TargetTrackingConfiguration).toEqual({
      CustomizedMetricSpecification: {
        Metrics: backlog.Metrics.map((q) =>
          'MetricStat' in q ? { ...q, MetricStat: { ...q.MetricStat, Period: 60 } } : q,
        ),
      },
      TargetValue: 16,
      DisableScaleIn: false,
    });
    // Its alarms read the metric math, as CloudWatch shows target-tracking alarms.
    const alarms = await cw.send(
      new DescribeAlarmsCommand({ AlarmNames: math.Alarms!.map((a) => a.AlarmName!) }),
    );
    expect(
      alarms.MetricAlarms![0]!.Metrics!.map(
        (m) => m.Expression ?? m.MetricStat!.Metric!.MetricName,
      ),
    ).toEqual([
      'ApproximateNumberOfMessagesVisible',
      'GroupInServiceInstances',
      'visible / instances',
    ]);
  });

  it('runs a step policy from the alarm PutMetricAlarm names it in, until the alarm is deleted', async () => {
    const { as, cw, setTime } = await sandbox();
    // Only the step policy scales the web tier.
    const [cpu] = await policies(as, 'store-web');
    await as.send(new DeletePolicyCommand({ PolicyName: cpu!.PolicyARN! }));
    const step = await as.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: 'store-web',
        PolicyName: 'busy-add-two',
        PolicyType: 'StepScaling',
        AdjustmentType: 'ChangeInCapacity',
        EstimatedInstanceWarmup: 900,
        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }],
      }),
    );
    // Step scaling creates no alarm: one of CloudWatch's will invoke it.
    expect(step.Alarms).toBeUndefined();
    const before = await group(as, 'store-web');
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'web-busy',
        Namespace: 'AWS/EC2',
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'store-web' }],
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [step.PolicyARN!],
      }),
    );
    expect((await policies(as, 'store-web'))[0]!.Alarms).toEqual([
      {
        AlarmName: 'web-busy',
        AlarmARN: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-busy',
      },
    ]);
    setTime(FIXED_NOW + 3 * MINUTE);
    // Invoked each minute in ALARM, the two warming instances count as already added.
    expect((await group(as, 'store-web')).DesiredCapacity).toBe(before.DesiredCapacity! + 2);
    const [activity] = (
      await as.send(
        new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'store-web', MaxRecords: 1 }),
      )
    ).Activities!;
    expect(activity!.Cause).toContain(
      'a monitor alarm web-busy in state ALARM triggered policy busy-add-two',
    );
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['web-busy'] }));
    expect(
      (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['web-busy'] }))).MetricAlarms,
    ).toEqual([]);
    setTime(FIXED_NOW + 30 * MINUTE);
    expect((await group(as, 'store-web')).DesiredCapacity).toBe(before.DesiredCapacity! + 2);
  });

  it('keeps 50 policies a group: a 51st is refused, an update is not', async () => {
    const { as } = await sandbox();
    const put = (name: string, adjustment = 1) =>
      as.send(
        new PutScalingPolicyCommand({
          AutoScalingGroupName: 'store-web',
          PolicyName: name,
          AdjustmentType: 'ChangeInCapacity',
          ScalingAdjustment: adjustment,
        }),
      );
    // The web group has its CPU policy: 49 more make 50.
    for (let i = 1; i <= 49; i++) await put(`extra-${i}`);
    await expect(put('one-too-many')).rejects.toMatchObject({
      name: 'LimitExceededFault',
      $metadata: { httpStatusCode: 400 },
      message: expect.stringMatching(/reached its limit of 50/),
    });
    await expect(put('extra-7', 3)).resolves.toMatchObject({ PolicyARN: expect.any(String) });
    const stored = await as.send(
      new DescribePoliciesCommand({ AutoScalingGroupName: 'store-web', PolicyNames: ['extra-7'] }),
    );
    expect(stored.ScalingPolicies![0]).toMatchObject({
      PolicyType: 'SimpleScaling',
      ScalingAdjustment: 3,
    });
    // And they page: 50 policies, 20 at a time.
    let count = 0;
    let token: string | undefined;
    do {
      const page = await as.send(
        new DescribePoliciesCommand({
          AutoScalingGroupName: 'store-web',
          MaxRecords: 20,
          NextToken: token,
        }),
      );
      count += page.ScalingPolicies!.length;
      token = page.NextToken;
    } while (token);
    expect(count).toBe(50);
  });
});

describe('DeletePolicy', () => {
  it('removes a target-tracking policy with its alarms, by name or ARN', async () => {
    const { as, cw } = await sandbox();
    const [web] = await policies(as, 'store-web');
    await as.send(new DeletePolicyCommand({ PolicyName: web!.PolicyARN! }));
    expect(await policies(as, 'store-web')).toEqual([]);
    const alarms = await cw.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: 'TargetTracking-store-web' }),
    );
    expect(alarms.MetricAlarms).toEqual([]);
    // Their history stays readable, as CloudWatch keeps a deleted alarm's for 30 days.
    const history = await cw.send(
      new DescribeAlarmHistoryCommand({ AlarmName: web!.Alarms![0]!.AlarmName }),
    );
    expect(history.AlarmHistoryItems!.length).toBeGreaterThan(0);
    // A step policy's alarm stays, without the action.
    const [, scaleIn] = await policies(as, 'store-workers');
    expect(scaleIn).toMatchObject({
      PolicyName: 'store-workers-scale-in',
      Alarms: [{ AlarmName: 'store-workers-idle' }],
    });
    await as.send(
      new DeletePolicyCommand({
        AutoScalingGroupName: 'store-workers',
        PolicyName: 'store-workers-scale-in',
      }),
    );
    const idle = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['store-workers-idle'] }));
    expect(idle.MetricAlarms![0]!.AlarmActions).toEqual([]);
  });
});

describe('SetDesiredCapacity', () => {
  it('sets the capacity at once, and refuses a cooldown-honouring change while activities run', async () => {
    const { as, setTime } = await sandbox();
    // Without its policies, only these requests change the fleet.
    for (const p of await policies(as, 'store-workers'))
      await as.send(new DeletePolicyCommand({ PolicyName: p.PolicyARN! }));
    const before = await group(as, 'store-workers');
    const wanted = before.DesiredCapacity! + 2;
    await as.send(
      new SetDesiredCapacityCommand({
        AutoScalingGroupName: 'store-workers',
        DesiredCapacity: wanted,
      }),
    );
    setTime(FIXED_NOW + 20_000);
    const after = await group(as, 'store-workers');
    expect(after.DesiredCapacity).toBe(wanted);
    const [latest] = (
      await as.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'store-workers' }))
    ).Activities!;
    expect(latest!.Cause).toContain(
      `a user request explicitly set group desired capacity changing the desired capacity from ${before.DesiredCapacity} to ${wanted}.`,
    );
    expect(latest!.StatusCode).toBe('InProgress');
    const honouring = (n: number) =>
      as.send(
        new SetDesiredCapacityCommand({
          AutoScalingGroupName: 'store-workers',
          DesiredCapacity: n,
          HonorCooldown: true,
        }),
      );
    await expect(honouring(wanted + 1)).rejects.toMatchObject({
      name: 'ScalingActivityInProgressFault',
      $metadata: { httpStatusCode: 400 },
      message: expect.stringMatching(
        /^Scaling activity [0-9a-f-]{36} is in progress and blocks this action$/,
      ),
    });
    // Without HonorCooldown it goes through; once the launches are done and the 300 s
    // cooldown has passed, so does a cooldown-honouring change.
    await as.send(
      new SetDesiredCapacityCommand({
        AutoScalingGroupName: 'store-workers',
        DesiredCapacity: wanted + 1,
      }),
    );
    setTime(FIXED_NOW + 15 * MINUTE);
    await expect(honouring(wanted)).resolves.toBeDefined();
  });
});

describe('UpdateAutoScalingGroup', () => {
  it('changes the limits and the on-demand/spot mix, which DescribeAutoScalingGroups and the fleet follow', async () => {
    const { as, setTime, url } = await sandbox();
    await as.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: 'store-workers',
        MinSize: 6,
        MaxSize: 40,
        DefaultCooldown: 120,
        MixedInstancesPolicy: {
          InstancesDistribution: {
            OnDemandBaseCapacity: 2,
            OnDemandPercentageAboveBaseCapacity: 20,
            SpotAllocationStrategy: 'capacity-optimized',
          },
        },
      }),
    );
    const updated = await group(as, 'store-workers');
    expect(updated).toMatchObject({
      MinSize: 6,
      MaxSize: 40,
      DefaultCooldown: 120,
      MixedInstancesPolicy: {
        InstancesDistribution: {
          OnDemandAllocationStrategy: 'prioritized',
          OnDemandBaseCapacity: 2,
          OnDemandPercentageAboveBaseCapacity: 20,
          SpotAllocationStrategy: 'capacity-optimized',
        },
      },
    });
    // A min above the capacity raises it.
    expect(updated.DesiredCapacity).toBeGreaterThanOrEqual(6);
    // Within the hour the fleet runs the new mix: what the billing meter counts each minute.
    setTime(FIXED_NOW + HOUR);
    const status = (await (await fetch(`${url}/_sandbox/status`)).json()) as {
      groups: { name: string; onDemand: number; spot: number }[];
    };
    const fleet = status.groups.find((g) => g.name === 'store-workers')!;
    const total = fleet.onDemand + fleet.spot;
    expect(fleet.onDemand).toBe(2 + Math.ceil((total - 2) * 0.2));
    // A capacity set with the limits is kept.
    await as.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: 'store-workers',
        MinSize: 1,
        MaxSize: 10,
        DesiredCapacity: 7,
      }),
    );
    expect(await group(as, 'store-workers')).toMatchObject({
      MinSize: 1,
      MaxSize: 10,
      DesiredCapacity: 7,
    });
  });
});

describe('scheduled actions', () => {
  it('run at their time, recur in their time zone, and are described until done', async () => {
    const { as, setTime } = await sandbox();
    const start = new Date(FIXED_NOW + 10 * MINUTE);
    await as.send(
      new PutScheduledUpdateGroupActionCommand({
        AutoScalingGroupName: 'store-workers',
        ScheduledActionName: 'sale-prewarm',
        StartTime: start,
        MinSize: 12,
        MaxSize: 40,
        DesiredCapacity: 25,
      }),
    );
    await as.send(
      new PutScheduledUpdateGroupActionCommand({
        AutoScalingGroupName: 'store-web',
        ScheduledActionName: 'weekday-mornings',
        Recurrence: '0 7 * * MON-FRI',
        TimeZone: 'America/New_York',
        MinSize: 4,
      }),
    );
    const listed = await as.send(new DescribeScheduledActionsCommand({}));
    expect(listed.ScheduledUpdateGroupActions).toEqual([
      {
        AutoScalingGroupName: 'store-web',
        ScheduledActionName: 'weekday-mornings',
        ScheduledActionARN: expect.stringMatching(
          /^arn:aws:autoscaling:us-east-1:123456789012:scheduledUpdateGroupAction:[0-9a-f-]{36}:autoScalingGroupName\/store-web:scheduledActionName\/weekday-mornings$/,
        ),
        // Monday 07:00 in New York.
        Time: new Date('2025-11-24T12:00:00Z'),
        StartTime: new Date('2025-11-24T12:00:00Z'),
        Recurrence: '0 7 * * MON-FRI',
        MinSize: 4,
        TimeZone: 'America/New_York',
      },
      expect.objectContaining({
        AutoScalingGroupName: 'store-workers',
        ScheduledActionName: 'sale-prewarm',
        StartTime: start,
        MinSize: 12,
        MaxSize: 40,
        DesiredCapacity: 25,
      }),
    ]);

    setTime(FIXED_NOW + 11 * MINUTE);
    const workers = await group(as, 'store-workers');
    expect(workers).toMatchObject({ MinSize: 12, MaxSize: 40 });
    expect(workers.DesiredCapacity).toBeGreaterThanOrEqual(25);
    const remaining = await as.send(
      new DescribeScheduledActionsCommand({ AutoScalingGroupName: 'store-workers' }),
    );
    expect(remaining.ScheduledUpdateGroupActions).toEqual([]);
    const [activity] = (
      await as.send(
        new DescribeScalingActivitiesCommand({
          AutoScalingGroupName: 'store-workers',
          MaxRecords: 1,
        }),
      )
    ).Activities!;
    expect(activity!.Cause).toContain(
      'a scheduled action update of AutoScalingGroup constraints to min: 12, max: 40, desired: 25 changing the desired capacity from',
    );

    await as.send(
      new DeleteScheduledActionCommand({
        AutoScalingGroupName: 'store-web',
        ScheduledActionName: 'weekday-mornings',
      }),
    );
    expect(
      (await as.send(new DescribeScheduledActionsCommand({}))).ScheduledUpdateGroupActions,
    ).toEqual([]);
  });

  it('take a batch, failing each bad action alone, and keep 125 a group', async () => {
    const { as } = await sandbox();
    const action = (name: string, extra: Partial<ScheduledUpdateGroupActionRequest> = {}) => ({
      ScheduledActionName: name,
      StartTime: new Date(FIXED_NOW + HOUR),
      DesiredCapacity: 4,
      ...extra,
    });
    const batch = (actions: ScheduledUpdateGroupActionRequest[]) =>
      as.send(
        new BatchPutScheduledUpdateGroupActionCommand({
          AutoScalingGroupName: 'store-web',
          ScheduledUpdateGroupActions: actions,
        }),
      );
    const mixed = await batch([
      action('good'),
      action('late', { StartTime: new Date(FIXED_NOW - HOUR) }),
      action('twice'),
      action('twice', { DesiredCapacity: 5 }),
    ]);
    expect(mixed.FailedScheduledUpdateGroupActions).toEqual([
      {
        ScheduledActionName: 'late',
        ErrorCode: 'ValidationError',
        ErrorMessage: 'Given start time is in the past',
      },
      {
        ScheduledActionName: 'twice',
        ErrorCode: 'AlreadyExists',
        ErrorMessage: 'The scheduled action twice is given more than once in this request.',
      },
    ]);
    // 2 stored; 123 more fill the group; the 126th fails on its own.
    const names = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => action(`a-${from + i}`));
    expect((await batch(names(0, 50))).FailedScheduledUpdateGroupActions).toEqual([]);
    expect((await batch(names(50, 50))).FailedScheduledUpdateGroupActions).toEqual([]);
    const last = await batch([
      ...names(100, 23),
      action('one-too-many'),
      action('good', { DesiredCapacity: 6 }),
    ]);
    expect(last.FailedScheduledUpdateGroupActions).toEqual([
      {
        ScheduledActionName: 'one-too-many',
        ErrorCode: 'LimitExceeded',
        ErrorMessage: expect.stringMatching(/reached its limit of 125/),
      },
    ]);
    await expect(
      as.send(
        new PutScheduledUpdateGroupActionCommand({
          AutoScalingGroupName: 'store-web',
          ...action('still-too-many'),
        }),
      ),
    ).rejects.toMatchObject({ name: 'LimitExceededFault', $metadata: { httpStatusCode: 400 } });
    // They page, 100 at most at a time.
    const first = await as.send(new DescribeScheduledActionsCommand({ MaxRecords: 100 }));
    const second = await as.send(
      new DescribeScheduledActionsCommand({ MaxRecords: 100, NextToken: first.NextToken }),
    );
    expect(
      first.ScheduledUpdateGroupActions!.length + second.ScheduledUpdateGroupActions!.length,
    ).toBe(125);
    expect(second.NextToken).toBeUndefined();
  });
});

describe('DescribeAccountLimits', () => {
  it("gives the region's quotas and what is used", async () => {
    const { as } = await sandbox();
    expect(await as.send(new DescribeAccountLimitsCommand({}))).toMatchObject({
      MaxNumberOfAutoScalingGroups: 500,
      MaxNumberOfLaunchConfigurations: 200,
      NumberOfAutoScalingGroups: 2,
      NumberOfLaunchConfigurations: 0,
    });
  });
});

describe('a change failing part-way', () => {
  it('keeps what was applied before the failed write, and nothing of it', async () => {
    const { as, url } = await sandbox();
    await fetch(`${url}/_sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({
        rules: [
          { service: 'autoscaling', operation: 'PutScalingPolicy', kind: 'server-error', rate: 1 },
        ],
      }),
    });
    await as.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'store-workers', MaxSize: 40 }),
    );
    await expect(
      as.send(
        new PutScalingPolicyCommand({
          AutoScalingGroupName: 'store-workers',
          PolicyName: 'store-workers-backlog-per-instance',
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingConfiguration: {
            PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
            TargetValue: 60,
          },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
    expect((await group(as, 'store-workers')).MaxSize).toBe(40);
    const [tracking] = await policies(as, 'store-workers');
    expect(tracking!.TargetTrackingConfiguration!.TargetValue).toBe(16);
  });
});

describe('STS GetCallerIdentity', () => {
  it.each([
    ['alice', 'arn:aws:iam::123456789012:user/alice', /^AIDA[0-9A-Z]{17}$/],
    [
      'AKIAIOSFODNN7EXAMPLE',
      /^arn:aws:iam::123456789012:user\/sandbox-user-[0-9a-f]{8}$/,
      /^AIDA[0-9A-Z]{17}$/,
    ],
    [
      'ASIAIOSFODNN7EXAMPLE',
      'arn:aws:sts::123456789012:assumed-role/ballast-sandbox-operator/ASIAIOSFODNN7EXAMPLE',
      /^AROA[0-9A-Z]{17}:ASIAIOSFODNN7EXAMPLE$/,
    ],
  ])('names the caller of key %s', async (accessKeyId, arn, userId) => {
    running = await startTestSandbox({ backfillDays: 0.1 });
    const sts = new STSClient({
      endpoint: running.url,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const who = await sts.send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({
      Account: '123456789012',
      Arn: typeof arn === 'string' ? arn : expect.stringMatching(arn),
      UserId: expect.stringMatching(userId),
    });
    // The same key, the same principal.
    expect((await sts.send(new GetCallerIdentityCommand({}))).UserId).toBe(who.UserId);
  });
});

// The change engine's Auto Scaling port over the SDK: what AWS's documented answers
// (botocore autoscaling 2011-01-01 shapes) map to, and what each write sends.
import {
  AutoScalingClient,
  BatchPutScheduledUpdateGroupActionCommand,
  DeletePolicyCommand,
  DeleteScheduledActionCommand,
  DescribeAccountLimitsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand,
  DescribeScheduledActionsCommand,
  PutScalingPolicyCommand,
  SetDesiredCapacityCommand,
  UpdateAutoScalingGroupCommand,
  type AutoScalingGroup,
  type ScalingPolicy as AwsScalingPolicy,
} from '@aws-sdk/client-auto-scaling';
import { trackedMetricFor, loadPlatformConfig, referencePlatformConfigPath } from '@ballast/core';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AutoScalingChanges, putScalingPolicyInput } from './autoscaling.js';

const asg = mockClient(AutoScalingClient);
const client = new AutoScalingClient({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9', // a missed mock must never reach AWS
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const port = () => new AutoScalingChanges(client);
const T0 = Date.UTC(2025, 10, 28, 12, 0);

beforeEach(() => asg.reset());

const webGroup: AutoScalingGroup = {
  AutoScalingGroupName: 'store-web',
  MinSize: 2,
  MaxSize: 20,
  DesiredCapacity: 4,
  DefaultCooldown: 300,
  AvailabilityZones: ['us-east-1a'],
  HealthCheckType: 'ELB',
  CreatedTime: new Date(T0 - 86_400_000),
  DefaultInstanceWarmup: 180,
  MixedInstancesPolicy: {
    LaunchTemplate: {
      LaunchTemplateSpecification: { LaunchTemplateName: 'store-web', Version: '$Latest' },
      Overrides: [{ InstanceType: 'm6i.large' }, { InstanceType: 'm5.large' }],
    },
    InstancesDistribution: {
      OnDemandAllocationStrategy: 'prioritized',
      OnDemandBaseCapacity: 2,
      OnDemandPercentageAboveBaseCapacity: 30,
      SpotAllocationStrategy: 'price-capacity-optimized',
    },
  },
  Instances: ['InService', 'InService', 'InService', 'Pending'].map((state, i) => ({
    InstanceId: `i-${i}`,
    InstanceType: 'm6i.large',
    AvailabilityZone: 'us-east-1a',
    LifecycleState: state as 'InService',
    HealthStatus: 'Healthy',
    ProtectedFromScaleIn: false,
  })),
};

describe('describeGroup', () => {
  it('given a group with a mixed instances policy, then bounds, capacity, distribution and override types', async () => {
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [webGroup] });

    expect(await port().describeGroup('store-web')).toEqual({
      name: 'store-web',
      min: 2,
      max: 20,
      desired: 4,
      inService: 3,
      distribution: {
        onDemandBaseCapacity: 2,
        onDemandPercentageAboveBaseCapacity: 30,
        spotAllocationStrategy: 'price-capacity-optimized',
      },
      instanceTypes: ['m6i.large', 'm5.large'],
      defaultInstanceWarmup: 180,
    });
    expect(asg.commandCalls(DescribeAutoScalingGroupsCommand)[0]?.args[0].input).toEqual({
      AutoScalingGroupNames: ['store-web'],
      MaxRecords: 1,
    });
  });

  it("given a distribution with fields left out, then AWS's defaults fill them", async () => {
    asg.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [
        {
          ...webGroup,
          MixedInstancesPolicy: { ...webGroup.MixedInstancesPolicy, InstancesDistribution: {} },
        },
      ],
    });

    expect((await port().describeGroup('store-web'))?.distribution).toEqual({
      onDemandBaseCapacity: 0,
      onDemandPercentageAboveBaseCapacity: 100,
      spotAllocationStrategy: 'lowest-price',
    });
  });

  it('given a group without a mixed instances policy, then no distribution and the type its instances run', async () => {
    const { MixedInstancesPolicy: _none, ...plain } = webGroup;
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [plain] });

    const group = await port().describeGroup('store-web');

    expect(group?.distribution).toBeUndefined();
    expect(group?.instanceTypes).toEqual(['m6i.large']);
  });

  it('given no such group, then undefined', async () => {
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });

    expect(await port().describeGroup('nope')).toBeUndefined();
  });
});

const cpuPolicy: AwsScalingPolicy = {
  AutoScalingGroupName: 'store-web',
  PolicyName: 'store-web-cpu70',
  PolicyARN:
    'arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1:autoScalingGroupName/store-web:policyName/store-web-cpu70',
  PolicyType: 'TargetTrackingScaling',
  EstimatedInstanceWarmup: 300,
  Alarms: [{ AlarmName: 'TargetTracking-store-web-AlarmHigh-1', AlarmARN: 'arn:1' }],
  TargetTrackingConfiguration: {
    PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
    TargetValue: 70,
    DisableScaleIn: false,
  },
  Enabled: true,
};

const backlogPolicy: AwsScalingPolicy = {
  AutoScalingGroupName: 'store-workers',
  PolicyName: 'store-workers-backlog-per-instance',
  PolicyType: 'TargetTrackingScaling',
  TargetTrackingConfiguration: {
    CustomizedMetricSpecification: {
      Metrics: [
        {
          Id: 'm1',
          Label: 'Messages visible',
          ReturnData: false,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/SQS',
              MetricName: 'ApproximateNumberOfMessagesVisible',
              Dimensions: [{ Name: 'QueueName', Value: 'model-jobs' }],
            },
            Stat: 'Sum',
          },
        },
        {
          Id: 'm2',
          Label: 'Instances in service',
          ReturnData: false,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/AutoScaling',
              MetricName: 'GroupInServiceInstances',
              Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'store-workers' }],
            },
            Stat: 'Average',
          },
        },
        { Id: 'e1', Expression: 'm1 / m2', Label: 'Backlog per instance', ReturnData: true },
      ],
    },
    TargetValue: 16,
  },
  Enabled: true,
};

describe('describePolicies', () => {
  it('given two pages, then every policy, target tracking mapped and step scaling carried as it is', async () => {
    asg
      .on(DescribePoliciesCommand, { AutoScalingGroupName: 'store-web' })
      .resolvesOnce({ ScalingPolicies: [cpuPolicy], NextToken: 'p2' })
      .resolvesOnce({
        ScalingPolicies: [
          {
            PolicyName: 'legacy-step',
            PolicyType: 'StepScaling',
            AdjustmentType: 'ChangeInCapacity',
            StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }],
            Enabled: false,
          },
        ],
      });

    const policies = await port().describePolicies('store-web');

    expect(policies).toEqual([
      {
        name: 'store-web-cpu70',
        type: 'TargetTrackingScaling',
        enabled: true,
        estimatedInstanceWarmup: 300,
        targetTracking: {
          metric: { type: 'predefined', metric: 'ASGAverageCPUUtilization' },
          targetValue: 70,
          disableScaleIn: false,
        },
      },
      {
        name: 'legacy-step',
        type: 'StepScaling',
        enabled: false,
        other: {
          AdjustmentType: 'ChangeInCapacity',
          StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }],
        },
      },
    ]);
    expect(asg.commandCalls(DescribePoliciesCommand).map((c) => c.args[0].input.NextToken)).toEqual(
      [undefined, 'p2'],
    );
  });

  it('given the SQS backlog-per-instance recipe, then it reads back as the metric math Ballast writes', async () => {
    asg.on(DescribePoliciesCommand).resolves({ ScalingPolicies: [backlogPolicy] });
    const platform = loadPlatformConfig(referencePlatformConfigPath);

    const [policy] = await port().describePolicies('store-workers');

    expect(policy?.targetTracking?.metric).toEqual(
      trackedMetricFor(platform, 'store-workers', 'backlog-per-instance'),
    );
  });
});

describe('describeScheduledActions', () => {
  it('given a one-off and a recurring action over two pages, then both, times as epoch ms', async () => {
    asg
      .on(DescribeScheduledActionsCommand)
      .resolvesOnce({
        ScheduledUpdateGroupActions: [
          {
            AutoScalingGroupName: 'store-web',
            ScheduledActionName: 'bf-20261127-warm',
            StartTime: new Date(T0),
            Time: new Date(T0),
            MinSize: 40,
            MaxSize: 80,
          },
        ],
        NextToken: 'n',
      })
      .resolvesOnce({
        ScheduledUpdateGroupActions: [
          {
            ScheduledActionName: 'weekday-morning',
            StartTime: new Date(T0 + 3_600_000),
            Recurrence: '0 8 * * 1-5',
            TimeZone: 'America/New_York',
            DesiredCapacity: 6,
          },
        ],
      });

    expect(await port().describeScheduledActions('store-web')).toEqual([
      { name: 'bf-20261127-warm', startTime: T0, min: 40, max: 80 },
      {
        name: 'weekday-morning',
        startTime: T0 + 3_600_000,
        recurrence: '0 8 * * 1-5',
        timeZone: 'America/New_York',
        desired: 6,
      },
    ]);
  });
});

describe('describeAccountLimits', () => {
  it('then the group and launch configuration quotas and counts', async () => {
    asg.on(DescribeAccountLimitsCommand).resolves({
      MaxNumberOfAutoScalingGroups: 500,
      NumberOfAutoScalingGroups: 2,
      MaxNumberOfLaunchConfigurations: 200,
      NumberOfLaunchConfigurations: 0,
    });

    expect(await port().describeAccountLimits()).toEqual({
      maxGroups: 500,
      groups: 2,
      maxLaunchConfigurations: 200,
      launchConfigurations: 0,
    });
  });
});

describe('execute', () => {
  it('given a target-tracking policy, then PutScalingPolicy carries its whole configuration', async () => {
    asg.on(PutScalingPolicyCommand).resolves({ PolicyARN: 'arn:p', Alarms: [] });
    asg.on(DescribePoliciesCommand).resolves({ ScalingPolicies: [cpuPolicy] });
    const [read] = await port().describePolicies('store-web');

    await port().execute({
      op: 'PutScalingPolicy',
      group: 'store-web',
      policy: { ...read!, targetTracking: { ...read!.targetTracking!, targetValue: 50 } },
    });

    expect(asg.commandCalls(PutScalingPolicyCommand)[0]?.args[0].input).toEqual({
      AutoScalingGroupName: 'store-web',
      PolicyName: 'store-web-cpu70',
      PolicyType: 'TargetTrackingScaling',
      Enabled: true,
      EstimatedInstanceWarmup: 300,
      TargetTrackingConfiguration: {
        TargetValue: 50,
        DisableScaleIn: false,
        PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
      },
    });
  });

  it('given the backlog policy read from AWS, then writing it sends back the same metric math', async () => {
    asg.on(DescribePoliciesCommand).resolves({ ScalingPolicies: [backlogPolicy] });
    const [read] = await port().describePolicies('store-workers');

    const input = putScalingPolicyInput('store-workers', read!);

    expect(input.TargetTrackingConfiguration?.CustomizedMetricSpecification).toEqual(
      backlogPolicy.TargetTrackingConfiguration?.CustomizedMetricSpecification,
    );
  });

  it('given a step scaling policy, then Ballast refuses to write it', () => {
    expect(() =>
      putScalingPolicyInput('store-web', {
        name: 'legacy-step',
        type: 'StepScaling',
        enabled: true,
      }),
    ).toThrow('Ballast writes target-tracking policies only, not StepScaling (legacy-step).');
  });

  it.each([
    {
      write: { op: 'DeletePolicy', group: 'store-web', policyName: 'store-web-cpu70' },
      command: DeletePolicyCommand,
      input: { AutoScalingGroupName: 'store-web', PolicyName: 'store-web-cpu70' },
    },
    {
      write: { op: 'SetDesiredCapacity', group: 'store-web', desired: 8, honorCooldown: false },
      command: SetDesiredCapacityCommand,
      input: { AutoScalingGroupName: 'store-web', DesiredCapacity: 8, HonorCooldown: false },
    },
    {
      write: {
        op: 'UpdateAutoScalingGroup',
        group: 'store-workers',
        max: 40,
        distribution: {
          onDemandPercentageAboveBaseCapacity: 20,
          spotAllocationStrategy: 'capacity-optimized',
        },
      },
      command: UpdateAutoScalingGroupCommand,
      input: {
        AutoScalingGroupName: 'store-workers',
        MaxSize: 40,
        MixedInstancesPolicy: {
          InstancesDistribution: {
            OnDemandPercentageAboveBaseCapacity: 20,
            SpotAllocationStrategy: 'capacity-optimized',
          },
        },
      },
    },
    {
      write: { op: 'DeleteScheduledAction', group: 'store-web', name: 'bf-20261127-warm' },
      command: DeleteScheduledActionCommand,
      input: { AutoScalingGroupName: 'store-web', ScheduledActionName: 'bf-20261127-warm' },
    },
  ] as const)(
    'given $write.op, then the one request with its input',
    async ({ write, command, input }) => {
      asg.onAnyCommand().resolves({});

      await port().execute(write);

      expect(asg.calls()).toHaveLength(1);
      const sent = asg.call(0).args[0];
      expect(sent).toBeInstanceOf(command);
      expect(sent.input).toEqual(input);
    },
  );

  it('given scheduled actions, then one batch with start times as dates', async () => {
    asg
      .on(BatchPutScheduledUpdateGroupActionCommand)
      .resolves({ FailedScheduledUpdateGroupActions: [] });

    await port().execute({
      op: 'BatchPutScheduledUpdateGroupAction',
      group: 'store-web',
      actions: [
        { name: 'bf-warm', startTime: T0, min: 40, max: 80 },
        { name: 'mornings', recurrence: '0 8 * * *', timeZone: 'Europe/Paris', desired: 6 },
      ],
    });

    expect(asg.commandCalls(BatchPutScheduledUpdateGroupActionCommand)[0]?.args[0].input).toEqual({
      AutoScalingGroupName: 'store-web',
      ScheduledUpdateGroupActions: [
        { ScheduledActionName: 'bf-warm', StartTime: new Date(T0), MinSize: 40, MaxSize: 80 },
        {
          ScheduledActionName: 'mornings',
          Recurrence: '0 8 * * *',
          TimeZone: 'Europe/Paris',
          DesiredCapacity: 6,
        },
      ],
    });
  });

  it('given a batch AWS accepts only in part, then the write fails, naming what was refused', async () => {
    asg.on(BatchPutScheduledUpdateGroupActionCommand).resolves({
      FailedScheduledUpdateGroupActions: [
        {
          ScheduledActionName: 'too-late',
          ErrorCode: 'ValidationError',
          ErrorMessage: 'Given start time is in the past',
        },
      ],
    });

    const error = await port()
      .execute({
        op: 'BatchPutScheduledUpdateGroupAction',
        group: 'store-web',
        actions: [
          { name: 'fine', startTime: T0, min: 4 },
          { name: 'too-late', startTime: T0 - 1, min: 4 },
        ],
      })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'ValidationError',
      message:
        '1 of 2 scheduled actions were not put: too-late (ValidationError: Given start time is in the past)',
    });
  });
});

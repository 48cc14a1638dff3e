import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
  type Activity,
  type AutoScalingGroup,
  type Instance,
} from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AutoScalingCollector } from './autoscaling.js';

const asg = mockClient(AutoScalingClient);
const client = new AutoScalingClient({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9', // a missed mock must never reach AWS
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const collector = () => new AutoScalingCollector(client);
const T0 = Date.UTC(2025, 10, 28, 12, 0);
const MINUTE = 60_000;

const instances = (states: Instance['LifecycleState'][]): Instance[] =>
  states.map((state, i) => ({
    InstanceId: `i-${i}`,
    LifecycleState: state,
    AvailabilityZone: 'us-east-1a',
    HealthStatus: 'Healthy',
    ProtectedFromScaleIn: false,
  }));

const group = (over: Partial<AutoScalingGroup>): AutoScalingGroup => ({
  AutoScalingGroupName: 'store-web',
  MinSize: 2,
  MaxSize: 20,
  DesiredCapacity: 4,
  DefaultCooldown: 300,
  AvailabilityZones: ['us-east-1a'],
  HealthCheckType: 'ELB',
  CreatedTime: new Date(T0 - 86_400_000),
  Instances: instances(['InService', 'InService', 'InService', 'Pending']),
  ...over,
});

beforeEach(() => asg.reset());

describe('AutoScalingCollector.describeGroups', () => {
  it('given two pages, then every group is mapped with in-service and the on-demand/spot split', async () => {
    asg
      .on(DescribeAutoScalingGroupsCommand)
      .resolvesOnce({ AutoScalingGroups: [group({})], NextToken: 'n1' })
      .resolvesOnce({
        AutoScalingGroups: [
          group({
            AutoScalingGroupName: 'store-workers',
            MinSize: 0,
            MaxSize: 40,
            DesiredCapacity: 6,
            Instances: instances([
              'InService',
              'InService',
              'InService',
              'InService',
              'InService',
              'InService',
            ]),
            MixedInstancesPolicy: {
              InstancesDistribution: {
                OnDemandBaseCapacity: 1,
                OnDemandPercentageAboveBaseCapacity: 0,
              },
            },
          }),
        ],
      });

    const groups = await collector().describeGroups(['store-web', 'store-workers']);

    expect(asg.commandCalls(DescribeAutoScalingGroupsCommand).map((c) => c.args[0].input)).toEqual([
      { AutoScalingGroupNames: ['store-web', 'store-workers'], MaxRecords: 100 },
      { AutoScalingGroupNames: ['store-web', 'store-workers'], MaxRecords: 100, NextToken: 'n1' },
    ]);
    expect(groups).toEqual([
      { name: 'store-web', min: 2, max: 20, desired: 4, inService: 3, onDemand: 3, spot: 0 },
      {
        name: 'store-workers',
        min: 0,
        max: 40,
        desired: 6,
        inService: 6,
        onDemand: 1,
        spot: 5,
        distribution: { onDemandBaseCapacity: 1, onDemandPercentageAboveBaseCapacity: 0 },
      },
    ]);
  });

  it('given no names, then nothing is asked', async () => {
    expect(await collector().describeGroups([])).toEqual([]);
    expect(asg.calls()).toHaveLength(0);
  });
});

describe('AutoScalingCollector.describeActivities', () => {
  const activity = (id: string, group: string, minutesAgo: number): Activity => ({
    ActivityId: id,
    AutoScalingGroupName: group,
    Description: `Launching a new EC2 instance: i-${id}`,
    Cause:
      'At 2025-11-28T11:55:00Z a monitor alarm TargetTracking-store-web-AlarmHigh in state ALARM triggered policy cpu50',
    StartTime: new Date(T0 - minutesAgo * MINUTE),
    EndTime: new Date(T0 - minutesAgo * MINUTE + 30_000),
    StatusCode: 'Successful',
    Progress: 100,
  });

  it('given activities of two groups, then they are merged newest first and capped at max per group', async () => {
    asg
      .on(DescribeScalingActivitiesCommand, { AutoScalingGroupName: 'store-web' })
      .resolves({ Activities: [activity('w1', 'store-web', 1), activity('w2', 'store-web', 30)] });
    asg
      .on(DescribeScalingActivitiesCommand, { AutoScalingGroupName: 'store-workers' })
      .resolves({ Activities: [activity('k1', 'store-workers', 10)] });

    const { activities, truncated } = await collector().describeActivities(
      ['store-web', 'store-workers'],
      { max: 2 },
    );

    // store-web's two and store-workers' one: a busy group does not crowd out a quiet one
    expect(activities.map((a) => a.id)).toEqual(['w1', 'k1', 'w2']);
    expect(truncated).toEqual([]);
    expect(activities[0]).toEqual({
      id: 'w1',
      group: 'store-web',
      status: 'Successful',
      description: 'Launching a new EC2 instance: i-w1',
      cause: expect.stringContaining('TargetTracking-store-web-AlarmHigh'),
      startTime: T0 - MINUTE,
      endTime: T0 - MINUTE + 30_000,
    });
  });

  it('given `since`, then paging stops at the first page reaching past it and older activities are dropped', async () => {
    asg
      .on(DescribeScalingActivitiesCommand)
      .resolvesOnce({
        Activities: [activity('a1', 'store-web', 5), activity('a2', 'store-web', 20)],
        NextToken: 'p2',
      })
      .resolvesOnce({
        Activities: [activity('a3', 'store-web', 50), activity('a4', 'store-web', 90)],
        NextToken: 'p3',
      })
      .resolvesOnce({ Activities: [activity('a5', 'store-web', 200)] });

    const { activities, truncated } = await collector().describeActivities(['store-web'], {
      since: T0 - 60 * MINUTE,
    });

    expect(
      asg.commandCalls(DescribeScalingActivitiesCommand).map((c) => c.args[0].input.NextToken),
    ).toEqual([undefined, 'p2']);
    expect(activities.map((a) => a.id)).toEqual(['a1', 'a2', 'a3']);
    // The pages reached past `since`: nothing in the window was left out.
    expect(truncated).toEqual([]);
  });

  it('given max, then paging stops once a group has more than that many, and says from when it read them', async () => {
    asg
      .on(DescribeScalingActivitiesCommand)
      .resolvesOnce({
        Activities: [activity('a1', 'store-web', 5), activity('a2', 'store-web', 6)],
        NextToken: 'p2',
      })
      .resolvesOnce({ Activities: [activity('a3', 'store-web', 7)] });
    const { activities, truncated } = await collector().describeActivities(['store-web'], {
      max: 2,
      since: T0 - 60 * MINUTE,
    });
    expect(activities.map((a) => a.id)).toEqual(['a1', 'a2']);
    expect(asg.commandCalls(DescribeScalingActivitiesCommand)).toHaveLength(2);
    // Never silently: the markers of the window's first 54 minutes are missing, and that is said.
    expect(truncated).toEqual([{ group: 'store-web', from: T0 - 6 * MINUTE, limit: 2 }]);
  });

  it('given exactly max in the window, then nothing is reported missing', async () => {
    asg
      .on(DescribeScalingActivitiesCommand)
      .resolvesOnce({
        Activities: [activity('a1', 'store-web', 5), activity('a2', 'store-web', 6)],
        NextToken: 'p2',
      })
      .resolvesOnce({ Activities: [activity('a3', 'store-web', 70)], NextToken: 'p3' });
    const { activities, truncated } = await collector().describeActivities(['store-web'], {
      max: 2,
      since: T0 - 60 * MINUTE,
    });
    expect(activities.map((a) => a.id)).toEqual(['a1', 'a2']);
    expect(truncated).toEqual([]);
  });

  it('given more activities in the window than max on one page, then the oldest are dropped and reported', async () => {
    asg.on(DescribeScalingActivitiesCommand).resolves({
      Activities: [1, 2, 3].map((m) => activity(`a${m}`, 'store-web', m)),
    });
    const { activities, truncated } = await collector().describeActivities(['store-web'], {
      max: 2,
      since: T0 - 60 * MINUTE,
    });
    expect(activities.map((a) => a.id)).toEqual(['a1', 'a2']);
    expect(truncated).toEqual([{ group: 'store-web', from: T0 - 2 * MINUTE, limit: 2 }]);
  });

  it('given no `since`, then every page is followed', async () => {
    asg
      .on(DescribeScalingActivitiesCommand)
      .resolvesOnce({ Activities: [activity('a1', 'store-web', 5)], NextToken: 'p2' })
      .resolvesOnce({ Activities: [activity('a2', 'store-web', 500)] });
    const { activities, truncated } = await collector().describeActivities(['store-web']);
    expect(activities.map((a) => a.id)).toEqual(['a1', 'a2']);
    expect(truncated).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlatformConfig } from '../config/platform-config.js';
import type { Alarm, GoldenSignal } from '../model/health.js';
import type { PlatformConfig, Tier } from '../model/platform.js';
import { comparableStatistic, signalAlarms } from './signal-alarms.js';
import { GOLDEN_SIGNALS } from './signals.js';

const config: PlatformConfig = parsePlatformConfig(
  readFileSync(new URL('../../platforms/sandbox.yaml', import.meta.url), 'utf8'),
  'sandbox.yaml',
);
const tier = (id: string): Tier => {
  const found = config.tiers.find((t) => t.id === id);
  if (!found) throw new Error(`no tier ${id}`);
  return found;
};

const ALB = { name: 'LoadBalancer', value: 'app/store-alb/50dc6c495c0c9188' };
const TARGET_GROUP = { name: 'TargetGroup', value: 'targetgroup/store-web/73e2d6bc24d8a067' };
const WEB_GROUP = { name: 'AutoScalingGroupName', value: 'store-web' };

const alarm = (over: Partial<Alarm> & Pick<Alarm, 'name'>): Alarm => ({
  state: 'OK',
  stateReason: '',
  stateUpdatedAt: 0,
  dimensions: [],
  periodSeconds: 60,
  comparison: 'GreaterThanThreshold',
  ...over,
});

const BACKLOG_PER_INSTANCE: Alarm['math'] = {
  expression: 'm1 / m2',
  label: 'Backlog per instance',
  metrics: [
    {
      id: 'm1',
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      statistic: 'Sum',
    },
    {
      id: 'm2',
      namespace: 'AWS/AutoScaling',
      metricName: 'GroupInServiceInstances',
      statistic: 'Average',
    },
  ],
};

/** The alarms `node sandbox/bin/sandbox.js` answers DescribeAlarms with, as the collectors map them. */
const SANDBOX_ALARMS: Alarm[] = [
  alarm({
    name: 'TargetTracking-store-web-AlarmHigh-26b986a7-87c3-42c2-ae2e-dd275af93030',
    description: 'DO NOT EDIT OR DELETE. For TargetTrackingScaling policy arn:aws:autoscaling:...',
    namespace: 'AWS/EC2',
    metricName: 'CPUUtilization',
    dimensions: [WEB_GROUP],
    statistic: 'Average',
    threshold: 70,
  }),
  alarm({
    name: 'TargetTracking-store-web-AlarmLow-09ba4e00-1a39-4fc7-851d-bd2757d0946c',
    description: 'DO NOT EDIT OR DELETE. For TargetTrackingScaling policy arn:aws:autoscaling:...',
    namespace: 'AWS/EC2',
    metricName: 'CPUUtilization',
    dimensions: [WEB_GROUP],
    statistic: 'Average',
    threshold: 63,
    comparison: 'LessThanThreshold',
  }),
  // Metric math (backlog per instance = visible messages / in-service instances): the
  // collectors keep the expression and the dimensions of both metrics.
  alarm({
    name: 'TargetTracking-store-workers-AlarmHigh-e0a24425-2afc-425c-a71c-893ee1907840',
    namespace: undefined,
    metricName: undefined,
    dimensions: [
      { name: 'QueueName', value: 'model-jobs' },
      { name: 'AutoScalingGroupName', value: 'store-workers' },
    ],
    math: BACKLOG_PER_INSTANCE,
    threshold: 16,
  }),
  alarm({
    name: 'TargetTracking-store-workers-AlarmLow-6463c3f7-f5c2-48e9-8bc6-68e172720730',
    state: 'ALARM',
    namespace: undefined,
    metricName: undefined,
    dimensions: [
      { name: 'QueueName', value: 'model-jobs' },
      { name: 'AutoScalingGroupName', value: 'store-workers' },
    ],
    math: BACKLOG_PER_INSTANCE,
    threshold: 14.4,
    comparison: 'LessThanThreshold',
  }),
  alarm({
    name: 'model-jobs-oldest-message-age',
    namespace: 'AWS/SQS',
    metricName: 'ApproximateAgeOfOldestMessage',
    dimensions: [{ name: 'QueueName', value: 'model-jobs' }],
    statistic: 'Maximum',
    threshold: 900,
  }),
  alarm({
    name: 'store-alb-p99-latency',
    namespace: 'AWS/ApplicationELB',
    metricName: 'TargetResponseTime',
    dimensions: [ALB],
    statistic: 'p99',
    threshold: 1.2,
  }),
  alarm({
    name: 'store-alb-target-5xx',
    namespace: 'AWS/ApplicationELB',
    metricName: 'HTTPCode_Target_5XX_Count',
    dimensions: [ALB],
    statistic: 'Sum',
    threshold: 96,
  }),
  alarm({
    name: 'store-db-cpu-high',
    namespace: 'AWS/RDS',
    metricName: 'CPUUtilization',
    dimensions: [{ name: 'DBInstanceIdentifier', value: 'store-db' }],
    statistic: 'Average',
    periodSeconds: 300,
    threshold: 80,
  }),
];

describe('signalAlarms', () => {
  it("given the sandbox's alarms, then each chart gets the ones it can draw, in its unit", () => {
    const drawn = Object.fromEntries(
      config.tiers.flatMap((t) =>
        GOLDEN_SIGNALS.map((signal) => [
          `${t.id} ${signal}`,
          signalAlarms(t, signal, SANDBOX_ALARMS).map((a) => `${a.name} ${a.threshold}`),
        ]),
      ),
    );
    expect(drawn).toEqual({
      'edge traffic': [],
      'edge errors': [],
      'edge latency': [],
      'edge saturation': [],
      'web traffic': [],
      // a count of 5xx cannot be drawn on a 5xx rate
      'web errors': [],
      // ALB-wide p99 in seconds, on the target group's p99 in ms
      'web latency': ['store-alb-p99-latency 1200'],
      // target tracking: scale in below 63%, out above 70%
      'web saturation': [
        'TargetTracking-store-web-AlarmLow-09ba4e00-1a39-4fc7-851d-bd2757d0946c 63',
        'TargetTracking-store-web-AlarmHigh-26b986a7-87c3-42c2-ae2e-dd275af93030 70',
      ],
      // the backlog-per-instance alarms are metric math on a queue and a group: nowhere
      'workers traffic': [],
      'workers errors': [],
      'workers latency': ['model-jobs-oldest-message-age 900000'],
      'workers saturation': [],
      'data traffic': [],
      'data errors': [],
      'data latency': [],
      // a 5-minute Average is still a percentage of CPU
      'data saturation': ['store-db-cpu-high 80'],
    });
  });

  it('then the state and comparison come along, so a firing alarm can be drawn as such', () => {
    const firing = SANDBOX_ALARMS.map((a) =>
      a.name === 'store-alb-p99-latency' ? { ...a, state: 'ALARM' as const } : a,
    );
    expect(signalAlarms(tier('web'), 'latency', firing)).toEqual([
      {
        name: 'store-alb-p99-latency',
        state: 'ALARM',
        threshold: 1200,
        comparison: 'GreaterThanThreshold',
        scalingTrigger: false,
      },
    ]);
  });

  it("then target tracking's alarms are marked as scaling triggers, by the rule health uses", () => {
    expect(
      signalAlarms(tier('web'), 'saturation', SANDBOX_ALARMS).map((a) => a.scalingTrigger),
    ).toEqual([true, true]);
  });

  it('given a metric-math alarm over a signal metric, then it is not drawn: its threshold is in the unit of its expression', () => {
    const p99InMs = alarm({
      name: 'alb-p99-ms',
      dimensions: [ALB],
      math: {
        expression: 'm1*1000',
        metrics: [
          {
            id: 'm1',
            namespace: 'AWS/ApplicationELB',
            metricName: 'TargetResponseTime',
            statistic: 'p99',
          },
        ],
      },
      threshold: 1200,
    });
    expect(signalAlarms(tier('web'), 'latency', [p99InMs])).toEqual([]);
  });

  it.each<{
    given: string;
    tier: string;
    signal: GoldenSignal;
    alarm: Partial<Alarm>;
    drawn: number[];
  }>([
    {
      given: 'a p99 alarm on the ALB and its target group',
      tier: 'web',
      signal: 'latency',
      alarm: {
        namespace: 'AWS/ApplicationELB',
        metricName: 'TargetResponseTime',
        dimensions: [ALB, TARGET_GROUP],
        statistic: 'p99',
        threshold: 0.5,
      },
      drawn: [500],
    },
    {
      given: 'a p99.9 alarm (a comparable percentile)',
      tier: 'web',
      signal: 'latency',
      alarm: {
        namespace: 'AWS/ApplicationELB',
        metricName: 'TargetResponseTime',
        dimensions: [ALB],
        statistic: 'p99.9',
        threshold: 2,
      },
      drawn: [2_000],
    },
    {
      given: 'a p90 alarm on a p99 signal',
      tier: 'web',
      signal: 'latency',
      alarm: {
        namespace: 'AWS/ApplicationELB',
        metricName: 'TargetResponseTime',
        dimensions: [ALB],
        statistic: 'p90',
        threshold: 0.4,
      },
      drawn: [],
    },
    {
      given: 'an Average alarm on a p99 signal',
      tier: 'web',
      signal: 'latency',
      alarm: {
        namespace: 'AWS/ApplicationELB',
        metricName: 'TargetResponseTime',
        dimensions: [ALB],
        statistic: 'Average',
        threshold: 0.4,
      },
      drawn: [],
    },
    {
      given: 'a p99 alarm on another target group of the ALB',
      tier: 'web',
      signal: 'latency',
      alarm: {
        namespace: 'AWS/ApplicationELB',
        metricName: 'TargetResponseTime',
        dimensions: [ALB, { name: 'TargetGroup', value: 'targetgroup/admin/1' }],
        statistic: 'p99',
        threshold: 1,
      },
      drawn: [],
    },
    {
      given: 'a p99 alarm on another load balancer',
      tier: 'web',
      signal: 'latency',
      alarm: {
        namespace: 'AWS/ApplicationELB',
        metricName: 'TargetResponseTime',
        dimensions: [{ name: 'LoadBalancer', value: 'app/other/1' }],
        statistic: 'p99',
        threshold: 1,
      },
      drawn: [],
    },
    {
      given: 'a Maximum CPU alarm on an Average CPU signal',
      tier: 'web',
      signal: 'saturation',
      alarm: {
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        dimensions: [WEB_GROUP],
        statistic: 'Maximum',
        threshold: 95,
      },
      drawn: [],
    },
    {
      given: "an Average CPU alarm on the workers' group",
      tier: 'workers',
      signal: 'saturation',
      alarm: {
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        dimensions: [{ name: 'AutoScalingGroupName', value: 'store-workers' }],
        statistic: 'Average',
        threshold: 85,
      },
      drawn: [85],
    },
    {
      given: 'an RDS read latency alarm in seconds',
      tier: 'data',
      signal: 'latency',
      alarm: {
        namespace: 'AWS/RDS',
        metricName: 'ReadLatency',
        dimensions: [{ name: 'DBInstanceIdentifier', value: 'store-db' }],
        statistic: 'Average',
        threshold: 0.05,
      },
      drawn: [50],
    },
    {
      given: 'a DynamoDB latency alarm where RDS feeds the latency signal',
      tier: 'data',
      signal: 'latency',
      alarm: {
        namespace: 'AWS/DynamoDB',
        metricName: 'SuccessfulRequestLatency',
        dimensions: [
          { name: 'TableName', value: 'carts' },
          { name: 'Operation', value: 'GetItem' },
        ],
        statistic: 'Average',
        threshold: 25,
      },
      drawn: [],
    },
    {
      given: 'an ElastiCache CPU alarm where RDS CPU feeds saturation',
      tier: 'data',
      signal: 'saturation',
      alarm: {
        namespace: 'AWS/ElastiCache',
        metricName: 'CPUUtilization',
        dimensions: [{ name: 'CacheClusterId', value: 'store-cache-001' }],
        statistic: 'Average',
        threshold: 90,
      },
      drawn: [],
    },
    {
      given: 'a 1-minute RequestCount Sum alarm on the only ALB',
      tier: 'web',
      signal: 'traffic',
      alarm: {
        namespace: 'AWS/ApplicationELB',
        metricName: 'RequestCount',
        dimensions: [ALB],
        statistic: 'Sum',
        threshold: 90_000,
      },
      drawn: [90_000],
    },
    {
      given: 'a 5-minute RequestCount Sum alarm',
      tier: 'web',
      signal: 'traffic',
      alarm: {
        namespace: 'AWS/ApplicationELB',
        metricName: 'RequestCount',
        dimensions: [ALB],
        statistic: 'Sum',
        periodSeconds: 300,
        threshold: 450_000,
      },
      drawn: [],
    },
    {
      given: 'a RequestCount alarm on the target group only (not the whole ALB)',
      tier: 'web',
      signal: 'traffic',
      alarm: {
        namespace: 'AWS/ApplicationELB',
        metricName: 'RequestCount',
        dimensions: [ALB, TARGET_GROUP],
        statistic: 'Sum',
        threshold: 90_000,
      },
      drawn: [],
    },
    {
      given: 'a 1-minute NumberOfMessagesDeleted Sum alarm on the queue',
      tier: 'workers',
      signal: 'traffic',
      alarm: {
        namespace: 'AWS/SQS',
        metricName: 'NumberOfMessagesDeleted',
        dimensions: [{ name: 'QueueName', value: 'model-jobs' }],
        statistic: 'Sum',
        threshold: 10,
        comparison: 'LessThanThreshold',
      },
      drawn: [10],
    },
    {
      given: 'a ThrottledRequests alarm, where traffic sums two metrics over two tables',
      tier: 'data',
      signal: 'traffic',
      alarm: {
        namespace: 'AWS/DynamoDB',
        metricName: 'ThrottledRequests',
        dimensions: [
          { name: 'TableName', value: 'carts' },
          { name: 'Operation', value: 'GetItem' },
        ],
        statistic: 'Sum',
        threshold: 1,
      },
      drawn: [],
    },
    {
      given: 'a Lambda Errors count alarm on a failure-rate signal',
      tier: 'workers',
      signal: 'errors',
      alarm: {
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: [{ name: 'FunctionName', value: 'thumbnailer' }],
        statistic: 'Sum',
        threshold: 5,
      },
      drawn: [],
    },
    {
      given: 'a CloudFront 5xxErrorRate alarm (the signal is a request-weighted rate)',
      tier: 'edge',
      signal: 'errors',
      alarm: {
        namespace: 'AWS/CloudFront',
        metricName: '5xxErrorRate',
        dimensions: [
          { name: 'DistributionId', value: 'E2BALLAST3DCDN' },
          { name: 'Region', value: 'Global' },
        ],
        statistic: 'Average',
        threshold: 2,
      },
      drawn: [],
    },
    {
      given: 'a CloudFront p90 OriginLatency alarm',
      tier: 'edge',
      signal: 'latency',
      alarm: {
        namespace: 'AWS/CloudFront',
        metricName: 'OriginLatency',
        dimensions: [
          { name: 'DistributionId', value: 'E2BALLAST3DCDN' },
          { name: 'Region', value: 'Global' },
        ],
        statistic: 'p90',
        threshold: 800,
      },
      drawn: [800],
    },
    {
      given: 'a composite alarm (no metric)',
      tier: 'web',
      signal: 'latency',
      alarm: { dimensions: [] },
      drawn: [],
    },
    {
      given: 'an anomaly-detection alarm (no static threshold)',
      tier: 'web',
      signal: 'latency',
      alarm: {
        namespace: 'AWS/ApplicationELB',
        metricName: 'TargetResponseTime',
        dimensions: [ALB],
        statistic: 'p99',
      },
      drawn: [],
    },
  ])('given $given, then $tier $signal draws $drawn', (row) => {
    const drawn = signalAlarms(tier(row.tier), row.signal, [alarm({ name: 'a', ...row.alarm })]);
    expect(drawn.map((a) => a.threshold)).toEqual(row.drawn);
  });

  it('given an alarm on a resource that is in two tiers, then both tiers draw it', () => {
    const shared: Tier = {
      ...tier('workers'),
      id: 'batch',
      resources: [{ type: 'asg', name: 'store-web' }],
    };
    const cpu = SANDBOX_ALARMS.filter((a) => a.namespace === 'AWS/EC2');
    expect(signalAlarms(shared, 'saturation', cpu)).toEqual(
      signalAlarms(tier('web'), 'saturation', cpu),
    );
  });
});

describe('comparableStatistic', () => {
  it.each([
    { alarm: 'Average', signal: 'Average', comparable: true },
    { alarm: 'average', signal: 'Average', comparable: true },
    { alarm: 'Maximum', signal: 'Average', comparable: false },
    { alarm: 'p99', signal: 'p99', comparable: true },
    { alarm: 'p99.0', signal: 'p99', comparable: true },
    { alarm: 'p99.9', signal: 'p99', comparable: true },
    { alarm: 'p98', signal: 'p99', comparable: true },
    { alarm: 'p95', signal: 'p99', comparable: false },
    { alarm: 'p90', signal: 'p99', comparable: false },
    { alarm: 'tm99', signal: 'p99', comparable: false },
    { alarm: undefined, signal: 'Average', comparable: false },
  ])('given an alarm on $alarm and a signal on $signal, then $comparable', (row) => {
    expect(comparableStatistic(row.alarm, row.signal)).toBe(row.comparable);
  });
});

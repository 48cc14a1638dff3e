// Every error the sandbox answers, read back through the real SDK clients: the name, HTTP
// status and message must be what the client makes of AWS's own answer. CloudWatch is read
// twice: by the query-compatible client (the name from x-amzn-query-error) and by the same
// client with query compatibility off, as any AWS JSON client reads it (the name from
// __type, after its one "#").
import {
  AutoScalingClient,
  BatchPutScheduledUpdateGroupActionCommand,
  DeletePolicyCommand,
  DeleteScheduledActionCommand,
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand,
  DescribeScalingActivitiesCommand,
  DescribeScheduledActionsCommand,
  PutScalingPolicyCommand,
  PutScheduledUpdateGroupActionCommand,
  SetDesiredCapacityCommand,
  UpdateAutoScalingGroupCommand,
  type PutScalingPolicyCommandInput,
  type PutScheduledUpdateGroupActionCommandInput,
} from '@aws-sdk/client-auto-scaling';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  type CloudWatchClientConfig,
  type GetMetricDataCommandInput,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXED_NOW, startTestSandbox } from '../../test/helpers.js';
import type { RunningSandbox } from '../start-sandbox.js';
import type { FaultRule } from './faults.js';

let sandbox: RunningSandbox;
let cloudWatch: CloudWatchClient;
let plainJson: CloudWatchClient;
let autoScaling: AutoScalingClient;
let sts: STSClient;

beforeAll(async () => {
  sandbox = await startTestSandbox({ backfillDays: 0.1 });
  const config = {
    endpoint: sandbox.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  cloudWatch = new CloudWatchClient(config);
  // The same protocol settings, without query compatibility: errors named by __type alone.
  const settings = (cloudWatch.config as unknown as { protocolSettings: object }).protocolSettings;
  plainJson = new CloudWatchClient({
    ...config,
    protocolSettings: { ...settings, awsQueryCompatible: false },
  } as CloudWatchClientConfig);
  autoScaling = new AutoScalingClient(config);
  sts = new STSClient(config);
});
afterAll(() => sandbox.stop());
afterEach(() => fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' }));

interface WireRequest {
  headers: Record<string, string>;
  body: string;
}
type Tamper = (request: WireRequest) => void;

/** A command whose wire request is changed after serialisation (or after signing). */
function tampered<T extends { middlewareStack: unknown }>(
  command: T,
  tamper: Tamper,
  afterSigning = false,
): T {
  const stack = command.middlewareStack as {
    addRelativeTo(
      mw: (next: (args: { request: unknown }) => Promise<unknown>) => typeof next,
      options: { relation: 'after'; toMiddleware: string; name: string },
    ): void;
  };
  stack.addRelativeTo(
    (next) => async (args) => {
      const request = args.request as WireRequest;
      tamper(request);
      request.headers['content-length'] = String(Buffer.byteLength(request.body ?? ''));
      return next(args);
    },
    {
      relation: 'after',
      toMiddleware: afterSigning ? 'httpSigningMiddleware' : 'serializerMiddleware',
      name: 'tamperWithRequest',
    },
  );
  return command;
}

const target =
  (operation: string): Tamper =>
  (r) =>
    void (r.headers['x-amz-target'] = operation);
const body =
  (text: string): Tamper =>
  (r) =>
    void (r.body = text);
const unsigned: Tamper = (r) => void delete r.headers.authorization;
const formParam =
  (name: string, value: string | undefined): Tamper =>
  (r) => {
    const form = new URLSearchParams(r.body);
    if (value === undefined) form.delete(name);
    else form.set(name, value);
    r.body = form.toString();
  };

const metricData = (extra: Partial<GetMetricDataCommandInput> = {}) =>
  new GetMetricDataCommand({
    StartTime: new Date(FIXED_NOW - 3_600_000),
    EndTime: new Date(FIXED_NOW),
    MetricDataQueries: [
      {
        Id: 'cpu',
        MetricStat: {
          Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization' },
          Period: 60,
          Stat: 'Average',
        },
      },
    ],
    ...extra,
  });
const withStat = (stat: { Period?: number; Stat?: string }) =>
  metricData({
    MetricDataQueries: [
      {
        Id: 'cpu',
        MetricStat: {
          Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization' },
          Period: stat.Period ?? 60,
          Stat: stat.Stat ?? 'Average',
        },
      },
    ],
  });

const fault = (service: FaultRule['service'], kind: FaultRule['kind']): FaultRule[] => [
  { service, operation: '*', kind, rate: 1 },
];
const tooLarge = 'x'.repeat(10 * 1024 * 1024 + 1);

interface Expected {
  /** as the query-compatible client (or the Query client) names it */
  name: string;
  /** as an AWS JSON client without query compatibility names it, when different */
  plainName?: string;
  status: number;
  message: RegExp;
}
interface Case {
  what: string;
  command: () => { middlewareStack: unknown };
  faults?: FaultRule[];
  expected: Expected;
}

const cloudWatchCases: Case[] = [
  {
    what: 'no Authorization header',
    command: () => tampered(new ListMetricsCommand({}), unsigned, true),
    expected: {
      name: 'MissingAuthenticationToken',
      plainName: 'MissingAuthenticationTokenException',
      status: 403,
      message: /^Missing Authentication Token$/,
    },
  },
  ...['PutMetricStream', 'constructor', '__proto__', 'hasOwnProperty', 'toString', ''].map(
    (operation) => ({
      what: `the unknown operation "${operation}"`,
      command: () =>
        tampered(new ListMetricsCommand({}), target(`GraniteServiceVersion20100801.${operation}`)),
      expected: {
        name: 'UnknownOperationException',
        status: 400,
        message: new RegExp(`does not emulate the CloudWatch operation ${operation}\\.$`),
      },
    }),
  ),
  {
    what: 'another service’s target',
    command: () => tampered(new ListMetricsCommand({}), target('AWSInsightsIndexService.GetCost')),
    expected: {
      name: 'UnknownOperationException',
      status: 400,
      message: /does not emulate the service AWSInsightsIndexService/,
    },
  },
  ...['{not json', '[]', '"text"', '42', 'null'].map((text) => ({
    what: `the body ${text}`,
    command: () => tampered(new ListMetricsCommand({}), body(text)),
    expected: {
      name: 'SerializationException',
      status: 400,
      message: /not a JSON object/,
    },
  })),
  {
    what: 'a body over 10 MiB',
    command: () => tampered(new ListMetricsCommand({}), body(tooLarge)),
    expected: {
      name: 'RequestEntityTooLarge',
      plainName: 'RequestEntityTooLargeException',
      status: 413,
      message: /larger than 10485760 bytes/,
    },
  },
  {
    what: 'a Period beyond a 32-bit integer',
    command: () => withStat({ Period: 600_000_000_000_000 }),
    expected: {
      name: 'ValidationException',
      status: 400,
      message:
        /^1 validation error detected: Value '600000000000000' at 'metricDataQueries\.1\.member\.metricStat\.period' failed to satisfy constraint: Member must have value less than or equal to 2147483647$/,
    },
  },
  {
    what: 'a MaxDatapoints of 0',
    command: () => metricData({ MaxDatapoints: 0 }),
    expected: {
      name: 'ValidationException',
      status: 400,
      message: /Value '0' at 'maxDatapoints' .*greater than or equal to 1/,
    },
  },
  {
    what: 'StartTime after EndTime',
    command: () =>
      metricData({ StartTime: new Date(FIXED_NOW), EndTime: new Date(FIXED_NOW - 60_000) }),
    expected: {
      name: 'ValidationException',
      status: 400,
      message: /StartTime must be less than the parameter EndTime/,
    },
  },
  {
    what: 'more than 500 queries',
    command: () =>
      metricData({
        MetricDataQueries: Array.from({ length: 501 }, (_, i) => ({
          Id: `q${i}`,
          MetricStat: {
            Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization' },
            Period: 60,
            Stat: 'Average',
          },
        })),
      }),
    expected: {
      name: 'ValidationException',
      status: 400,
      message: /must not have a size greater than 500/,
    },
  },
  {
    what: 'a MaxRecords of 101',
    command: () => new DescribeAlarmsCommand({ MaxRecords: 101 }),
    expected: {
      name: 'ValidationException',
      status: 400,
      message: /Value '101' at 'maxRecords' .*less than or equal to 100/,
    },
  },
  {
    what: 'a Period of 45',
    command: () => withStat({ Period: 45 }),
    expected: {
      name: 'InvalidParameterValueException',
      status: 400,
      message: /Period must be 1, 5, 10, 30 or a multiple of 60/,
    },
  },
  {
    what: 'an unknown statistic',
    command: () => withStat({ Stat: 'Median' }),
    expected: {
      name: 'InvalidParameterValueException',
      status: 400,
      message: /Median .* is not a statistic/,
    },
  },
  {
    what: 'AlarmNames with AlarmNamePrefix',
    command: () => new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'b' }),
    expected: {
      name: 'InvalidParameterCombinationException',
      status: 400,
      message: /cannot be specified together/,
    },
  },
  {
    what: 'a NextToken it never gave',
    command: () => new ListMetricsCommand({ NextToken: 'bm90IGEgdG9rZW4' }),
    expected: { name: 'InvalidNextToken', status: 400, message: /NextToken is not valid/ },
  },
  ...alarmWriteCases(),
  {
    what: 'an injected throttle',
    command: () => new ListMetricsCommand({}),
    faults: fault('cloudwatch', 'throttle'),
    expected: {
      name: 'Throttling',
      plainName: 'ThrottlingException',
      status: 400,
      message: /^Rate exceeded$/,
    },
  },
  {
    what: 'an injected server error',
    command: () => new ListMetricsCommand({}),
    faults: fault('cloudwatch', 'server-error'),
    expected: { name: 'InternalFailure', status: 500, message: /unknown error/ },
  },
  {
    what: 'injected missing permissions',
    command: () => new ListMetricsCommand({}),
    faults: fault('cloudwatch', 'access-denied'),
    expected: {
      name: 'AccessDenied',
      plainName: 'AccessDeniedException',
      status: 403,
      message: /not authorized to perform: cloudwatch:ListMetrics/,
    },
  },
  {
    what: 'an injected missing support plan',
    command: () => new ListMetricsCommand({}),
    faults: fault('cloudwatch', 'subscription-required'),
    expected: {
      name: 'SubscriptionRequiredException',
      status: 400,
      message: /Subscription is required/,
    },
  },
];

function alarmWriteCases(): Case[] {
  const alarm = (extra: Partial<PutMetricAlarmCommandInput>) =>
    new PutMetricAlarmCommand({
      AlarmName: 'errors-test-alarm',
      Namespace: 'AWS/EC2',
      MetricName: 'CPUUtilization',
      Statistic: 'Average',
      Period: 60,
      EvaluationPeriods: 3,
      Threshold: 80,
      ComparisonOperator: 'GreaterThanThreshold',
      ...extra,
    });
  return [
    {
      what: 'an alarm without EvaluationPeriods',
      command: () => alarm({ EvaluationPeriods: undefined }),
      expected: {
        name: 'MissingRequiredParameterException',
        status: 400,
        message: /^The parameter EvaluationPeriods is required\.$/,
      },
    },
    {
      what: 'an alarm on a metric and metric math',
      command: () => alarm({ Metrics: [{ Id: 'm1', Expression: 'm2 * 2' }], Period: undefined }),
      expected: {
        name: 'InvalidParameterCombinationException',
        status: 400,
        message: /^Metrics cannot be specified with MetricName/,
      },
    },
    {
      what: 'an alarm with a period of 90 s',
      command: () => alarm({ Period: 90 }),
      expected: {
        name: 'InvalidParameterValueException',
        status: 400,
        message: /Period must be 10, 30 or a multiple of 60, not 90/,
      },
    },
    {
      what: 'more datapoints to alarm than periods',
      command: () => alarm({ DatapointsToAlarm: 5 }),
      expected: {
        name: 'ValidationException',
        status: 400,
        message:
          /^DatapointsToAlarm \(5\) must be less than or equal to EvaluationPeriods \(3\)\.$/,
      },
    },
    {
      what: 'an anomaly detection alarm',
      command: () =>
        alarm({
          ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold',
          ThresholdMetricId: 'ad1',
        }),
      expected: {
        name: 'ValidationException',
        status: 400,
        message: /does not emulate anomaly detection/,
      },
    },
    {
      what: 'an action that is not an ARN',
      command: () => alarm({ AlarmActions: ['scale-out'] }),
      expected: {
        name: 'InvalidParameterValueException',
        status: 400,
        message: /^Invalid arn syntax: scale-out$/,
      },
    },
    {
      what: 'six alarm actions',
      command: () =>
        alarm({
          AlarmActions: Array.from(
            { length: 6 },
            (_, i) => `arn:aws:sns:us-east-1:123456789012:t${i}`,
          ),
        }),
      expected: {
        name: 'ValidationException',
        status: 400,
        message:
          /'alarmActions' failed to satisfy constraint: Member must have length less than or equal to 5/,
      },
    },
    {
      what: 'deleting an alarm that does not exist',
      command: () => new DeleteAlarmsCommand({ AlarmNames: ['no-such-alarm'] }),
      expected: {
        name: 'ResourceNotFound',
        status: 404,
        message: /^Alarm no-such-alarm does not exist\.$/,
      },
    },
  ];
}

const groups = (extra: Record<string, unknown> = {}) => new DescribeAutoScalingGroupsCommand(extra);

const autoScalingCases: Case[] = [
  {
    what: 'no Authorization header',
    command: () => tampered(groups(), unsigned, true),
    expected: {
      name: 'MissingAuthenticationToken',
      status: 403,
      message: /missing Authentication Token/,
    },
  },
  ...['PutLifecycleHook', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'].map(
    (action) => ({
      what: `the unknown action "${action}"`,
      command: () => tampered(groups(), formParam('Action', action)),
      expected: {
        name: 'InvalidAction',
        status: 400,
        message: new RegExp(`The action ${action} is not valid for this web service\\.`),
      },
    }),
  ),
  {
    what: 'another API version',
    command: () => tampered(groups(), formParam('Version', '2010-08-01')),
    expected: { name: 'InvalidAction', status: 400, message: /not valid for this web service/ },
  },
  {
    what: 'no Action',
    command: () => tampered(groups(), formParam('Action', undefined)),
    expected: { name: 'MissingAction', status: 400, message: /must contain the parameter Action/ },
  },
  {
    what: 'a signature for another service',
    command: () =>
      tampered(
        groups(),
        (r) =>
          void (r.headers.authorization = r.headers.authorization!.replace(
            '/autoscaling/',
            '/ec2/',
          )),
        true,
      ),
    expected: { name: 'InvalidAction', status: 400, message: /does not emulate the service "ec2"/ },
  },
  {
    what: 'a body over 10 MiB',
    command: () => tampered(groups(), (r) => void (r.body = `${r.body}&Pad=${tooLarge}`)),
    expected: { name: 'RequestEntityTooLarge', status: 413, message: /larger than 10485760 bytes/ },
  },
  {
    what: '51 group names',
    command: () =>
      groups({ AutoScalingGroupNames: Array.from({ length: 51 }, (_, i) => `group-${i}`) }),
    expected: {
      name: 'ValidationError',
      status: 400,
      message: /^The number of group names that may be passed in is limited to 50$/,
    },
  },
  {
    what: '101 group names with MaxRecords 100',
    command: () =>
      groups({
        MaxRecords: 100,
        AutoScalingGroupNames: Array.from({ length: 101 }, (_, i) => `group-${i}`),
      }),
    expected: {
      name: 'ValidationError',
      status: 400,
      message: /^The number of group names that may be passed in is limited to 100$/,
    },
  },
  {
    what: 'a MaxRecords of 101',
    command: () => groups({ MaxRecords: 101 }),
    expected: {
      name: 'ValidationError',
      status: 400,
      message: /Value '101' at 'maxRecords'.*between 1 and 100/,
    },
  },
  {
    what: '51 activity ids',
    command: () =>
      new DescribeScalingActivitiesCommand({
        ActivityIds: Array.from({ length: 51 }, (_, i) => `id-${i}`),
      }),
    expected: {
      name: 'ValidationError',
      status: 400,
      message: /'activityIds' .*less than or equal to 50/,
    },
  },
  {
    what: 'an unknown filter',
    command: () => groups({ Filters: [{ Name: 'instance-type', Values: ['m5.large'] }] }),
    expected: {
      name: 'ValidationError',
      status: 400,
      message: /Filter name instance-type is not supported/,
    },
  },
  {
    what: 'a NextToken it never gave',
    command: () => groups({ NextToken: 'bm90IGEgdG9rZW4' }),
    expected: { name: 'InvalidNextToken', status: 400, message: /NextToken is not valid/ },
  },
  {
    what: 'an injected throttle',
    command: () => groups(),
    faults: fault('autoscaling', 'throttle'),
    expected: { name: 'Throttling', status: 400, message: /^Rate exceeded$/ },
  },
  {
    what: 'an injected server error',
    command: () => groups(),
    faults: fault('autoscaling', 'server-error'),
    expected: { name: 'InternalFailure', status: 500, message: /unknown error/ },
  },
  {
    what: 'injected missing permissions',
    command: () => groups(),
    faults: fault('autoscaling', 'access-denied'),
    expected: {
      name: 'AccessDenied',
      status: 403,
      message: /not authorized to perform: autoscaling:DescribeAutoScalingGroups/,
    },
  },
  {
    what: 'an injected missing support plan',
    command: () => groups(),
    faults: fault('autoscaling', 'subscription-required'),
    expected: {
      name: 'SubscriptionRequiredException',
      status: 400,
      message: /Subscription is required/,
    },
  },
];

// ---------------------------------------------------------------- Auto Scaling writes

const HOUR = 3_600_000;
const validation = (message: RegExp): Expected => ({
  name: 'ValidationError',
  status: 400,
  message,
});

const policy = (extra: Partial<PutScalingPolicyCommandInput>) =>
  new PutScalingPolicyCommand({
    AutoScalingGroupName: 'store-web',
    PolicyName: 'errors-test-policy',
    ...extra,
  });
const tracking = (
  configuration: NonNullable<PutScalingPolicyCommandInput['TargetTrackingConfiguration']>,
  extra: Partial<PutScalingPolicyCommandInput> = {},
) =>
  policy({
    PolicyType: 'TargetTrackingScaling',
    TargetTrackingConfiguration: configuration,
    ...extra,
  });
const steps = (
  adjustments: NonNullable<PutScalingPolicyCommandInput['StepAdjustments']>,
  extra: Partial<PutScalingPolicyCommandInput> = {},
) =>
  policy({
    PolicyType: 'StepScaling',
    AdjustmentType: 'ChangeInCapacity',
    StepAdjustments: adjustments,
    ...extra,
  });
const mathQuery = (id: string, extra: object = {}) => ({
  Id: id,
  MetricStat: {
    Metric: {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: 'model-jobs' }],
    },
    Stat: 'Average',
  },
  ...extra,
});
const schedule = (extra: Partial<PutScheduledUpdateGroupActionCommandInput>) =>
  new PutScheduledUpdateGroupActionCommand({
    AutoScalingGroupName: 'store-web',
    ScheduledActionName: 'errors-test-action',
    StartTime: new Date(FIXED_NOW + HOUR),
    DesiredCapacity: 4,
    ...extra,
  });
const names = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

const autoScalingWriteCases: Case[] = [
  // PutScalingPolicy
  {
    what: 'a policy for a group that does not exist',
    command: () => policy({ AutoScalingGroupName: 'no-such-group' }),
    expected: validation(
      /^AutoScalingGroup name not found - AutoScalingGroup no-such-group not found$/,
    ),
  },
  {
    what: 'an unknown policy type',
    command: () => policy({ PolicyType: 'FancyScaling' }),
    expected: validation(/^Invalid policy type: FancyScaling\./),
  },
  {
    what: 'a predictive scaling policy',
    command: () => policy({ PolicyType: 'PredictiveScaling' }),
    expected: validation(/does not emulate predictive scaling/),
  },
  {
    what: 'target tracking without its configuration',
    command: () => policy({ PolicyType: 'TargetTrackingScaling' }),
    expected: validation(
      /^TargetTrackingConfiguration is required for policy type TargetTrackingScaling\.$/,
    ),
  },
  {
    what: 'target tracking with an AdjustmentType',
    command: () =>
      tracking(
        {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageNetworkIn' },
          TargetValue: 5e6,
        },
        { AdjustmentType: 'ChangeInCapacity' },
      ),
    expected: validation(
      /^AdjustmentType is not supported for policy type TargetTrackingScaling\.$/,
    ),
  },
  {
    what: 'a target value that is not a number',
    command: () =>
      tampered(
        tracking({
          PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageNetworkIn' },
          TargetValue: 1,
        }),
        formParam('TargetTrackingConfiguration.TargetValue', 'fifty'),
      ),
    expected: validation(
      /^1 validation error detected: Value 'fifty' at 'targetTrackingConfiguration\.targetValue' failed to satisfy constraint: Member must be a number$/,
    ),
  },
  {
    what: 'a target value of 0',
    command: () =>
      tracking({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageNetworkIn' },
        TargetValue: 0,
      }),
    expected: validation(/^TargetValue must be greater than 0/),
  },
  {
    what: 'an unknown predefined metric',
    command: () =>
      tampered(
        tracking({
          PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageNetworkIn' },
          TargetValue: 1,
        }),
        formParam(
          'TargetTrackingConfiguration.PredefinedMetricSpecification.PredefinedMetricType',
          'ASGMemory',
        ),
      ),
    expected: validation(
      /Value 'ASGMemory' at 'targetTrackingConfiguration\.predefinedMetricSpecification\.predefinedMetricType' failed to satisfy constraint: Member must satisfy enum value set/,
    ),
  },
  {
    what: 'both a predefined and a customized metric',
    command: () =>
      tracking({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageNetworkIn' },
        CustomizedMetricSpecification: { MetricName: 'x', Namespace: 'y', Statistic: 'Sum' },
        TargetValue: 1,
      }),
    expected: validation(
      /^Exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification/,
    ),
  },
  {
    what: 'ALBRequestCountPerTarget without a ResourceLabel',
    command: () =>
      tracking({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget' },
        TargetValue: 1000,
      }),
    expected: validation(
      /^ResourceLabel is required for the predefined metric type ALBRequestCountPerTarget\.$/,
    ),
  },
  {
    what: 'a ResourceLabel that is not one',
    command: () =>
      tracking({
        PredefinedMetricSpecification: {
          PredefinedMetricType: 'ALBRequestCountPerTarget',
          ResourceLabel: 'store-web',
        },
        TargetValue: 1000,
      }),
    expected: validation(/^Invalid ResourceLabel store-web/),
  },
  {
    what: 'a ResourceLabel of a target group the group does not have',
    command: () =>
      tracking({
        PredefinedMetricSpecification: {
          PredefinedMetricType: 'ALBRequestCountPerTarget',
          ResourceLabel: 'app/other/0123456789abcdef/targetgroup/other/0123456789abcdef',
        },
        TargetValue: 1000,
      }),
    expected: validation(
      /target group targetgroup\/other\/0123456789abcdef of ResourceLabel is not attached to the Auto Scaling group store-web/,
    ),
  },
  {
    what: 'a ResourceLabel with the CPU metric',
    command: () =>
      tracking({
        PredefinedMetricSpecification: {
          PredefinedMetricType: 'ASGAverageNetworkOut',
          ResourceLabel: 'x',
        },
        TargetValue: 1,
      }),
    expected: validation(
      /^ResourceLabel is not valid for the predefined metric type ASGAverageNetworkOut\.$/,
    ),
  },
  {
    what: 'a second policy on the same metric',
    command: () =>
      tracking({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
        TargetValue: 50,
      }),
    expected: validation(
      /^Only one TargetTrackingScaling policy for a given metric specification is allowed\.$/,
    ),
  },
  {
    what: 'a customized metric without a statistic',
    command: () =>
      tracking({
        CustomizedMetricSpecification: { MetricName: 'Backlog', Namespace: 'Store3D' },
        TargetValue: 10,
      }),
    expected: validation(/needs MetricName, Namespace and Statistic/),
  },
  {
    what: 'a high-resolution customized metric',
    command: () =>
      tracking({
        CustomizedMetricSpecification: {
          MetricName: 'Backlog',
          Namespace: 'Store3D',
          Statistic: 'Average',
          Period: 10,
        },
        TargetValue: 10,
      }),
    expected: validation(/simulates 1-minute metrics: a Period of 10/),
  },
  {
    what: 'a customized metric period of 45',
    command: () =>
      tracking({
        CustomizedMetricSpecification: {
          MetricName: 'Backlog',
          Namespace: 'Store3D',
          Statistic: 'Average',
          Period: 45,
        },
        TargetValue: 10,
      }),
    expected: validation(/^Invalid Period 45: the period of a metric must be 10, 30 or 60\.$/),
  },
  {
    what: 'metric math with two results',
    command: () =>
      tracking({
        CustomizedMetricSpecification: { Metrics: [mathQuery('m1'), mathQuery('m2')] },
        TargetValue: 10,
      }),
    expected: validation(/^Exactly one metric query must return data .* 2 do\.$/),
  },
  {
    what: 'metric math that does not parse',
    command: () =>
      tracking({
        CustomizedMetricSpecification: {
          Metrics: [mathQuery('m1', { ReturnData: false }), { Id: 'e1', Expression: 'm1 /' }],
        },
        TargetValue: 10,
      }),
    expected: validation(/^Invalid metric math expression in e1: /),
  },
  {
    what: 'metric math using an unknown query',
    command: () =>
      tracking({
        CustomizedMetricSpecification: {
          Metrics: [mathQuery('m1', { ReturnData: false }), { Id: 'e1', Expression: 'm1 / m9' }],
        },
        TargetValue: 10,
      }),
    expected: validation(/^The expression of e1 uses m9, which is not another query of it\.$/),
  },
  {
    what: 'a metric query id in capitals',
    command: () =>
      tracking({ CustomizedMetricSpecification: { Metrics: [mathQuery('M1')] }, TargetValue: 10 }),
    expected: validation(/^Invalid metric query id M1/),
  },
  {
    what: 'step scaling without steps',
    command: () => steps([]),
    expected: validation(/^StepAdjustments is required for policy type StepScaling\.$/),
  },
  {
    what: 'step scaling without an adjustment type',
    command: () =>
      steps([{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }], { AdjustmentType: undefined }),
    expected: validation(/^AdjustmentType is required for policy type StepScaling\.$/),
  },
  {
    what: 'overlapping steps',
    command: () =>
      steps([
        { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 20, ScalingAdjustment: 1 },
        { MetricIntervalLowerBound: 10, ScalingAdjustment: 2 },
      ]),
    expected: validation(/must not overlap: one ends at 20 and the next starts at 10/),
  },
  {
    what: 'steps with a gap',
    command: () =>
      steps([
        { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 },
        { MetricIntervalLowerBound: 20, ScalingAdjustment: 2 },
      ]),
    expected: validation(/must not leave a gap: one ends at 10 and the next starts at 20/),
  },
  {
    what: 'two steps without a lower bound',
    command: () =>
      steps([
        { MetricIntervalUpperBound: 0, ScalingAdjustment: -1 },
        { MetricIntervalUpperBound: 10, ScalingAdjustment: -2 },
      ]),
    expected: validation(/^Only one step adjustment may have a null lower bound\.$/),
  },
  {
    what: 'a step whose upper bound is below its lower bound',
    command: () =>
      steps([{ MetricIntervalLowerBound: 10, MetricIntervalUpperBound: 5, ScalingAdjustment: 1 }]),
    expected: validation(/upper bound of a step adjustment must be greater than its lower bound/),
  },
  {
    what: 'an unknown metric aggregation type',
    command: () =>
      steps([{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }], {
        MetricAggregationType: 'Median',
      }),
    expected: validation(/^Invalid metric aggregation type: Median\./),
  },
  {
    what: 'MinAdjustmentMagnitude with ChangeInCapacity',
    command: () =>
      steps([{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }], { MinAdjustmentMagnitude: 2 }),
    expected: validation(/valid only with the adjustment type PercentChangeInCapacity/),
  },
  {
    what: 'an unknown adjustment type',
    command: () => policy({ AdjustmentType: 'Double', ScalingAdjustment: 2 }),
    expected: validation(/^Invalid adjustment type: Double\./),
  },
  {
    what: 'a simple policy without its adjustment',
    command: () => policy({ AdjustmentType: 'ChangeInCapacity' }),
    expected: validation(/^ScalingAdjustment is required for policy type SimpleScaling\.$/),
  },
  {
    what: 'a negative exact capacity',
    command: () => policy({ AdjustmentType: 'ExactCapacity', ScalingAdjustment: -1 }),
    expected: validation(/^For ExactCapacity, ScalingAdjustment must not be negative\.$/),
  },
  {
    what: 'a simple policy with step adjustments',
    command: () =>
      policy({
        AdjustmentType: 'ChangeInCapacity',
        ScalingAdjustment: 1,
        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
      }),
    expected: validation(/^StepAdjustments is not supported for policy type SimpleScaling\.$/),
  },
  // DescribePolicies, DeletePolicy
  {
    what: '51 policy names',
    command: () => new DescribePoliciesCommand({ PolicyNames: names(51, 'p') }),
    expected: validation(
      /'policyNames' failed to satisfy constraint: Member must have length less than or equal to 50/,
    ),
  },
  {
    what: 'an unknown policy type to describe',
    command: () => new DescribePoliciesCommand({ PolicyTypes: ['Magic'] }),
    expected: validation(/^Invalid policy type: Magic\./),
  },
  {
    what: 'a policies page of 101',
    command: () => new DescribePoliciesCommand({ MaxRecords: 101 }),
    expected: validation(/Value '101' at 'maxRecords'.*between 1 and 100/),
  },
  {
    what: 'a policies token it never gave',
    command: () => new DescribePoliciesCommand({ NextToken: 'bm90IGEgdG9rZW4' }),
    expected: { name: 'InvalidNextToken', status: 400, message: /NextToken is not valid/ },
  },
  {
    what: 'deleting a policy that does not exist',
    command: () =>
      new DeletePolicyCommand({ AutoScalingGroupName: 'store-web', PolicyName: 'no-such-policy' }),
    expected: validation(/^Policy no-such-policy not found for Auto Scaling group store-web\.$/),
  },
  {
    what: 'deleting a policy by name without its group',
    command: () => new DeletePolicyCommand({ PolicyName: 'store-web-cpu70' }),
    expected: validation(/^AutoScalingGroupName is required when PolicyName is not an ARN\.$/),
  },
  // SetDesiredCapacity, UpdateAutoScalingGroup
  {
    what: 'a desired capacity above the max',
    command: () =>
      new SetDesiredCapacityCommand({ AutoScalingGroupName: 'store-web', DesiredCapacity: 31 }),
    expected: validation(
      /^New SetDesiredCapacity value 31 is above max value 30 for the AutoScalingGroup\.$/,
    ),
  },
  {
    what: 'a desired capacity below the min',
    command: () =>
      new SetDesiredCapacityCommand({ AutoScalingGroupName: 'store-web', DesiredCapacity: 1 }),
    expected: validation(
      /^New SetDesiredCapacity value 1 is below min value 2 for the AutoScalingGroup\.$/,
    ),
  },
  {
    what: 'setting the capacity of a group that does not exist',
    command: () =>
      new SetDesiredCapacityCommand({ AutoScalingGroupName: 'no-such-group', DesiredCapacity: 1 }),
    expected: validation(
      /^AutoScalingGroup name not found - AutoScalingGroup no-such-group not found$/,
    ),
  },
  {
    what: 'updating a group that does not exist',
    command: () =>
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'no-such-group', MaxSize: 3 }),
    expected: validation(/^AutoScalingGroup name not found - null$/),
  },
  {
    what: 'a min above the max',
    command: () =>
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'store-web', MinSize: 40 }),
    expected: validation(/^Max bound, 30, must be greater than or equal to min bound, 40$/),
  },
  {
    what: 'a desired capacity outside new bounds',
    command: () =>
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: 'store-web',
        MinSize: 2,
        MaxSize: 8,
        DesiredCapacity: 9,
      }),
    expected: validation(
      /^Desired capacity:9 must be between the specified min size:2 and max size:8$/,
    ),
  },
  {
    what: 'a negative min size',
    command: () =>
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'store-web', MinSize: -1 }),
    expected: validation(
      /Value '-1' at 'minSize' failed to satisfy constraint: Member must have value greater than or equal to 0/,
    ),
  },
  {
    what: 'an on-demand share over 100%',
    command: () =>
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: 'store-web',
        MixedInstancesPolicy: {
          InstancesDistribution: { OnDemandPercentageAboveBaseCapacity: 101 },
        },
      }),
    expected: validation(
      /at 'mixedInstancesPolicy\.instancesDistribution\.onDemandPercentageAboveBaseCapacity' failed to satisfy constraint: Member must have value less than or equal to 100/,
    ),
  },
  {
    what: 'an unknown spot allocation strategy',
    command: () =>
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: 'store-web',
        MixedInstancesPolicy: { InstancesDistribution: { SpotAllocationStrategy: 'cheapest' } },
      }),
    expected: validation(
      /Value 'cheapest' at 'mixedInstancesPolicy\.instancesDistribution\.spotAllocationStrategy' failed to satisfy constraint: Member must satisfy enum value set/,
    ),
  },
  {
    what: 'a launch template change',
    command: () =>
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: 'store-web',
        LaunchTemplate: { LaunchTemplateName: 'other', Version: '$Latest' },
      }),
    expected: validation(/does not emulate changing LaunchTemplate of an Auto Scaling group/),
  },
  // Scheduled actions
  {
    what: 'a start time in the past',
    command: () => schedule({ StartTime: new Date(FIXED_NOW - HOUR) }),
    expected: validation(/^Given start time is in the past$/),
  },
  {
    what: 'an end time before the start time',
    command: () =>
      schedule({
        Recurrence: '0 7 * * *',
        StartTime: new Date(FIXED_NOW + 2 * HOUR),
        EndTime: new Date(FIXED_NOW + HOUR),
      }),
    expected: validation(/^Given end time is before the start time$/),
  },
  {
    what: 'a recurrence of four fields',
    command: () => schedule({ StartTime: undefined, Recurrence: '0 7 * *' }),
    expected: validation(/^Given recurrence string "0 7 \* \*" is not valid: it has 4 fields/),
  },
  {
    what: 'a recurrence with a minute of 61',
    command: () => schedule({ StartTime: undefined, Recurrence: '61 7 * * *' }),
    expected: validation(/minute field "61" has 61, outside 0-59/),
  },
  {
    what: 'a recurrence that never comes',
    command: () => schedule({ StartTime: undefined, Recurrence: '0 0 31 2 *' }),
    expected: validation(
      /^The scheduled action errors-test-action would never run: its recurrence has no time in the next eight years\.$/,
    ),
  },
  {
    what: 'a recurrence that does not come before its end time',
    command: () =>
      schedule({
        StartTime: undefined,
        Recurrence: '0 7 1 1 *',
        EndTime: new Date(FIXED_NOW + 2 * HOUR),
      }),
    expected: validation(/would never run: its recurrence has no time before its end time/),
  },
  {
    what: 'an unknown time zone',
    command: () =>
      schedule({ StartTime: undefined, Recurrence: '0 7 * * *', TimeZone: 'Mars/Olympus_Mons' }),
    expected: validation(/^Invalid time zone Mars\/Olympus_Mons/),
  },
  {
    what: 'an action that changes nothing',
    command: () => schedule({ DesiredCapacity: undefined }),
    expected: validation(
      /^At least one of MinSize, MaxSize and DesiredCapacity must be specified\.$/,
    ),
  },
  {
    what: 'an action with neither start time nor recurrence',
    command: () => schedule({ StartTime: undefined }),
    expected: validation(/^Either StartTime or Recurrence must be specified\.$/),
  },
  {
    what: 'a scheduled desired capacity outside the limits',
    command: () => schedule({ DesiredCapacity: 31 }),
    expected: validation(
      /^Desired capacity:31 must be between the specified min size:2 and max size:30$/,
    ),
  },
  {
    what: 'a scheduled min above the max',
    command: () => schedule({ DesiredCapacity: undefined, MinSize: 12, MaxSize: 10 }),
    expected: validation(/^Max bound, 10, must be greater than or equal to min bound, 12$/),
  },
  {
    what: 'scheduling a group that does not exist',
    command: () => schedule({ AutoScalingGroupName: 'no-such-group' }),
    expected: validation(/^AutoScalingGroup name not found - null$/),
  },
  {
    what: 'a batch of 51 actions',
    command: () =>
      new BatchPutScheduledUpdateGroupActionCommand({
        AutoScalingGroupName: 'store-web',
        ScheduledUpdateGroupActions: names(51, 'a').map((ScheduledActionName) => ({
          ScheduledActionName,
          StartTime: new Date(FIXED_NOW + HOUR),
          DesiredCapacity: 4,
        })),
      }),
    expected: validation(
      /'scheduledUpdateGroupActions' failed to satisfy constraint: Member must have length less than or equal to 50/,
    ),
  },
  {
    what: 'a batch action without a name',
    command: () =>
      tampered(
        new BatchPutScheduledUpdateGroupActionCommand({
          AutoScalingGroupName: 'store-web',
          ScheduledUpdateGroupActions: [{ ScheduledActionName: 'x', DesiredCapacity: 4 }],
        }),
        formParam('ScheduledUpdateGroupActions.member.1.ScheduledActionName', undefined),
      ),
    expected: validation(/at 'scheduledUpdateGroupActions\.1\.member\.scheduledActionName'/),
  },
  {
    what: '51 scheduled action names',
    command: () => new DescribeScheduledActionsCommand({ ScheduledActionNames: names(51, 's') }),
    expected: validation(
      /'scheduledActionNames' failed to satisfy constraint: Member must have length less than or equal to 50/,
    ),
  },
  {
    what: 'deleting a scheduled action that does not exist',
    command: () =>
      new DeleteScheduledActionCommand({
        AutoScalingGroupName: 'store-web',
        ScheduledActionName: 'no-such-action',
      }),
    expected: validation(/^Scheduled action name not found$/),
  },
  // Faults on a write, so a change can be made to fail part-way
  {
    what: 'an injected throttle of PutScalingPolicy',
    command: () => steps([{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }]),
    faults: [{ service: 'autoscaling', operation: 'PutScalingPolicy', kind: 'throttle', rate: 1 }],
    expected: { name: 'Throttling', status: 400, message: /^Rate exceeded$/ },
  },
  {
    what: 'injected missing permissions for UpdateAutoScalingGroup',
    command: () =>
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'store-web', MaxSize: 30 }),
    faults: [
      {
        service: 'autoscaling',
        operation: 'UpdateAutoScalingGroup',
        kind: 'access-denied',
        rate: 1,
      },
    ],
    expected: {
      name: 'AccessDenied',
      status: 403,
      message: /not authorized to perform: autoscaling:UpdateAutoScalingGroup/,
    },
  },
  {
    what: 'an injected server error of SetDesiredCapacity',
    command: () =>
      new SetDesiredCapacityCommand({ AutoScalingGroupName: 'store-web', DesiredCapacity: 3 }),
    faults: [
      { service: 'autoscaling', operation: 'SetDesiredCapacity', kind: 'server-error', rate: 1 },
    ],
    expected: { name: 'InternalFailure', status: 500, message: /unknown error/ },
  },
];

// ---------------------------------------------------------------- STS

const identity = () => new GetCallerIdentityCommand({});

const stsCases: Case[] = [
  {
    what: 'no Authorization header',
    command: () => tampered(identity(), unsigned, true),
    expected: {
      name: 'MissingAuthenticationToken',
      status: 403,
      message: /missing Authentication Token/,
    },
  },
  ...['AssumeRole', 'constructor', '__proto__'].map((action) => ({
    what: `the unknown action "${action}"`,
    command: () => tampered(identity(), formParam('Action', action)),
    expected: {
      name: 'InvalidAction',
      status: 400,
      message: new RegExp(`^Could not find operation ${action} for version 2011-06-15$`),
    },
  })),
  {
    what: 'another API version',
    command: () => tampered(identity(), formParam('Version', '2010-05-08')),
    expected: {
      name: 'InvalidAction',
      status: 400,
      message: /Could not find operation GetCallerIdentity/,
    },
  },
  {
    what: 'an injected throttle',
    command: identity,
    faults: fault('sts', 'throttle'),
    expected: { name: 'Throttling', status: 400, message: /^Rate exceeded$/ },
  },
  {
    what: 'an injected server error',
    command: identity,
    faults: fault('sts', 'server-error'),
    expected: { name: 'InternalFailure', status: 500, message: /unknown error/ },
  },
];

async function failureOf(client: { send(command: never): Promise<unknown> }, command: unknown) {
  try {
    await client.send(command as never);
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the request to fail');
}

async function setFaults(rules: FaultRule[] | undefined): Promise<void> {
  if (!rules) return;
  const res = await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: 'POST',
    body: JSON.stringify({ rules }),
  });
  expect(res.status).toBe(200);
}

describe('CloudWatch errors, as the SDK reads them', () => {
  it.each(cloudWatchCases)('$what → $expected.name', async ({ command, faults, expected }) => {
    // Given the sandbox (with a fault rule, for injected failures)
    await setFaults(faults);
    // When the query-compatible client sends the request, then it reads AWS's name
    expect(await failureOf(cloudWatch, command())).toMatchObject({
      name: expected.name,
      status: expected.status,
      message: expect.stringMatching(expected.message),
    });
    // And a plain AWS JSON client reads the shape named by __type, not its namespace
    await setFaults(faults);
    expect(await failureOf(plainJson, command())).toMatchObject({
      name: expected.plainName ?? expected.name,
      status: expected.status,
    });
  });
});

/** The test of a case: the client names the error as AWS's answer makes it name it. */
const failsAs =
  (client: () => { send(command: never): Promise<unknown> }) =>
  async ({ command, faults, expected }: Case) => {
    await setFaults(faults);
    expect(await failureOf(client(), command())).toMatchObject({
      name: expected.name,
      status: expected.status,
      message: expect.stringMatching(expected.message),
    });
  };

describe('Auto Scaling errors, as the SDK reads them', () => {
  it.each([...autoScalingCases, ...autoScalingWriteCases])(
    '$what → $expected.name',
    failsAs(() => autoScaling),
  );
});

describe('STS errors, as the SDK reads them', () => {
  it.each(stsCases)(
    '$what → $expected.name',
    failsAs(() => sts),
  );

  it('refuses an access-denied rule for sts: AWS never denies GetCallerIdentity', async () => {
    const res = await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ rules: fault('sts', 'access-denied') }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/needs no permission/);
    await setFaults(fault('*', 'access-denied'));
    await expect(sts.send(identity())).resolves.toMatchObject({ Account: '123456789012' });
  });
});

// Every error the sandbox answers, read back through the real SDK clients: the name, HTTP
// status and message must be what the client makes of AWS's own answer. CloudWatch is read
// twice: by the query-compatible client (the name from x-amzn-query-error) and by the same
// client with query compatibility off, as any AWS JSON client reads it (the name from
// __type, after its one "#"). Cost Explorer (AWS JSON 1.1) names its errors in __type alone.
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
import {
  CostExplorerClient,
  GetAnomaliesCommand,
  GetAnomalyMonitorsCommand,
  GetCostAndUsageCommand,
  GetCostForecastCommand,
  GetDimensionValuesCommand,
  GetTagsCommand,
  type Expression,
  type GetCostAndUsageCommandInput,
  type GetCostForecastCommandInput,
} from '@aws-sdk/client-cost-explorer';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXED_NOW, startTestSandbox } from '../../test/helpers.js';
import type { RunningSandbox } from '../start-sandbox.js';
import type { FaultRule } from './faults.js';

let sandbox: RunningSandbox;
let cloudWatch: CloudWatchClient;
let plainJson: CloudWatchClient;
let autoScaling: AutoScalingClient;
let costExplorer: CostExplorerClient;
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
  costExplorer = new CostExplorerClient(config);
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
    command: () =>
      tampered(
        new ListMetricsCommand({}),
        target('AWSSupport_20130415.DescribeTrustedAdvisorChecks'),
      ),
    expected: {
      name: 'UnknownOperationException',
      status: 400,
      message: /does not emulate the service AWSSupport_20130415/,
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

// FIXED_NOW is 2025-11-23: Cost Explorer has data from 2024-10-01 to the start of December.
const costAndUsage = (extra: Partial<GetCostAndUsageCommandInput> = {}) =>
  new GetCostAndUsageCommand({
    TimePeriod: { Start: '2025-11-01', End: '2025-11-20' },
    Granularity: 'DAILY',
    Metrics: ['UnblendedCost'],
    ...extra,
  });
const filtered = (Filter: Expression) => costAndUsage({ Filter });
const forecast = (extra: Partial<GetCostForecastCommandInput> = {}) =>
  new GetCostForecastCommand({
    TimePeriod: { Start: '2025-11-24', End: '2025-12-01' },
    Granularity: 'DAILY',
    Metric: 'UNBLENDED_COST',
    ...extra,
  });
const service = (name: string): Expression => ({
  Dimensions: { Key: 'SERVICE', Values: [name] },
});
const nested = (depth: number): Expression =>
  depth === 0 ? service('Amazon CloudFront') : { Not: nested(depth - 1) };
const ceRequest = (extra: Partial<GetCostAndUsageCommandInput>) => costAndUsage(extra);
const validation = (message: RegExp): Expected => ({
  name: 'ValidationException',
  status: 400,
  message,
});

const costExplorerCases: Case[] = [
  {
    what: 'no Authorization header',
    command: () => tampered(costAndUsage(), unsigned, true),
    expected: {
      name: 'MissingAuthenticationTokenException',
      status: 403,
      message: /^Missing Authentication Token$/,
    },
  },
  ...['GetCostAndUsageWithResources', 'constructor', '__proto__', ''].map((operation) => ({
    what: `the unknown operation "${operation}"`,
    command: () => tampered(costAndUsage(), target(`AWSInsightsIndexService.${operation}`)),
    expected: {
      name: 'UnknownOperationException',
      status: 400,
      message: new RegExp(`does not emulate the Cost Explorer operation ${operation}\\.$`),
    },
  })),
  {
    what: 'a body that is not a JSON object',
    command: () => tampered(costAndUsage(), body('[1]')),
    expected: { name: 'SerializationException', status: 400, message: /not a JSON object/ },
  },
  {
    what: 'a signature for another region',
    command: () =>
      tampered(
        costAndUsage(),
        (r) =>
          void (r.headers.authorization = r.headers.authorization!.replace(
            '/us-east-1/',
            '/eu-west-1/',
          )),
        true,
      ),
    expected: {
      name: 'InvalidSignatureException',
      status: 403,
      message: /^Credential should be scoped to a valid region, not 'eu-west-1'/,
    },
  },
  {
    what: 'three group-bys',
    command: () =>
      ceRequest({
        GroupBy: [
          { Type: 'DIMENSION', Key: 'SERVICE' },
          { Type: 'TAG', Key: 'team' },
          { Type: 'TAG', Key: 'env' },
        ],
      }),
    expected: validation(/at most two .* the request has 3/),
  },
  {
    what: 'a group-by without a key',
    command: () => ceRequest({ GroupBy: [{ Type: 'DIMENSION' }] }),
    expected: validation(
      /^Group Definition is invalid\. Both type an key need to be set to a non-empty value\.$/,
    ),
  },
  {
    what: 'a group-by of an unknown type',
    command: () => ceRequest({ GroupBy: [{ Type: 'LINKED_ACCOUNT' as never, Key: 'x' }] }),
    expected: validation(/^Group Definition type is invalid\.$/),
  },
  {
    what: 'a date that does not exist',
    command: () => costAndUsage({ TimePeriod: { Start: '2025-02-30', End: '2025-03-02' } }),
    expected: validation(/Start date 2025-02-30 is not a valid date/),
  },
  {
    what: 'a date in another format',
    command: () => costAndUsage({ TimePeriod: { Start: '2025/11/01', End: '2025-11-02' } }),
    expected: validation(
      /^1 validation error detected: Value '2025\/11\/01' at 'timePeriod\.start' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    ),
  },
  {
    what: 'a reversed range',
    command: () => costAndUsage({ TimePeriod: { Start: '2025-11-10', End: '2025-11-01' } }),
    expected: validation(/^Start date \(and hour\) should be before end date \(and hour\)$/),
  },
  {
    what: 'an end past the beginning of next month',
    command: () => costAndUsage({ TimePeriod: { Start: '2025-11-01', End: '2025-12-02' } }),
    expected: validation(/^end date past the beginning of next month$/),
  },
  {
    what: 'a start more than 14 months back',
    command: () => costAndUsage({ TimePeriod: { Start: '2024-09-30', End: '2024-10-02' } }),
    expected: validation(/more than 14 months ago: Cost Explorer has data from 2024-10-01/),
  },
  {
    what: 'no granularity',
    command: () => costAndUsage({ Granularity: undefined }),
    expected: validation(
      /^1 validation error detected: Value null at 'granularity' failed to satisfy constraint: Member must not be null$/,
    ),
  },
  {
    what: 'HOURLY granularity (not enabled)',
    command: () => costAndUsage({ Granularity: 'HOURLY' }),
    expected: validation(/Hourly granularity is not enabled/),
  },
  {
    what: 'an unknown metric',
    command: () => costAndUsage({ Metrics: ['Cost'] }),
    expected: validation(/Metric Cost is invalid/),
  },
  {
    what: 'no metrics',
    command: () => costAndUsage({ Metrics: [] }),
    expected: validation(/^Metrics is required for GetCostAndUsage requests\.$/),
  },
  {
    what: 'an And of one operand',
    command: () => filtered({ And: [service('Amazon CloudFront')] }),
    expected: validation(/^And expression must have at least 2 operands$/),
  },
  {
    what: 'a filter with two roots',
    command: () =>
      filtered({ ...service('AWS Lambda'), Tags: { Key: 'team', Values: ['platform'] } }),
    expected: validation(/has Dimensions and Tags/),
  },
  {
    what: 'CASE_INSENSITIVE on a dimension',
    command: () =>
      filtered({
        Dimensions: { Key: 'SERVICE', Values: ['x'], MatchOptions: ['CASE_INSENSITIVE'] },
      }),
    expected: validation(/MatchOptions CASE_INSENSITIVE is not supported here/),
  },
  {
    what: 'a filter nested 11 deep',
    command: () => filtered(nested(11)),
    expected: validation(/nested deeper than 10 levels/),
  },
  {
    what: 'a billing view that does not exist',
    command: () =>
      costAndUsage({ BillingViewArn: 'arn:aws:billing::123456789012:billingview/custom-1' }),
    expected: { name: 'ResourceNotFoundException', status: 400, message: /was not found/ },
  },
  {
    what: 'a NextPageToken it never gave',
    command: () => costAndUsage({ NextPageToken: 'bm90IGEgdG9rZW4' }),
    expected: {
      name: 'InvalidNextTokenException',
      status: 400,
      message: /^Invalid next token\.$/,
    },
  },
  {
    what: 'a forecast that starts in the past',
    command: () => forecast({ TimePeriod: { Start: '2025-11-20', End: '2025-12-01' } }),
    expected: validation(/Start date 2025-11-20 is in the past/),
  },
  {
    what: 'a forecast that ends before it starts',
    command: () => forecast({ TimePeriod: { Start: '2025-11-30', End: '2025-11-30' } }),
    expected: validation(/^Requested Start: 2025-11-30 must be before requested End: 2025-11-30$/),
  },
  {
    what: 'a daily forecast past 3 months',
    command: () => forecast({ TimePeriod: { Start: '2025-11-24', End: '2026-03-01' } }),
    expected: validation(/DAILY forecasts cover up to 3 months/),
  },
  {
    what: 'a prediction interval of 50%',
    command: () => forecast({ PredictionIntervalLevel: 50 }),
    expected: validation(/'predictionIntervalLevel' .*greater than or equal to 51/),
  },
  {
    what: 'a usage forecast asked of GetCostForecast',
    command: () => forecast({ Metric: 'USAGE_QUANTITY' }),
    expected: validation(/use GetUsageForecast|GetUsageForecast/),
  },
  {
    what: 'a forecast of spend that never happened',
    command: () => forecast({ Filter: service('Amazon SageMaker') }),
    expected: {
      name: 'DataUnavailableException',
      status: 400,
      message: /^Insufficient amount of historical data to generate forecast\.$/,
    },
  },
  {
    what: 'an anomaly monitor that does not exist',
    command: () =>
      new GetAnomalyMonitorsCommand({
        MonitorArnList: ['arn:aws:ce::123456789012:anomalymonitor/nope'],
      }),
    expected: {
      name: 'UnknownMonitorException',
      status: 400,
      message: /does not exist for the account/,
    },
  },
  {
    what: 'a BETWEEN impact filter without EndValue',
    command: () =>
      new GetAnomaliesCommand({
        DateInterval: { StartDate: '2025-11-01' },
        TotalImpact: { NumericOperator: 'BETWEEN', StartValue: 10 },
      }),
    expected: validation(/EndValue is required/),
  },
  {
    what: 'dimension values sorted and searched at once',
    command: () =>
      new GetDimensionValuesCommand({
        TimePeriod: { Start: '2025-11-01', End: '2025-11-20' },
        Dimension: 'SERVICE',
        SearchString: 'Amazon',
        SortBy: [{ Key: 'UnblendedCost' }],
      }),
    expected: validation(/not supported when SortBy is specified/),
  },
  ...(
    [
      ['throttle', 'LimitExceededException', 400, /^Rate limit exceeded$/],
      ['server-error', 'InternalFailure', 500, /unknown error/],
      [
        'access-denied',
        'AccessDeniedException',
        403,
        /^User: arn:aws:iam::123456789012:user\/ballast is not authorized to perform: ce:GetTags on resource: arn:aws:ce:us-east-1:123456789012:\/GetTags because no identity-based policy allows the ce:GetTags action$/,
      ],
      ['data-unavailable', 'DataUnavailableException', 400, /^Data is not available\./],
    ] as const
  ).map(([kind, name, status, message]) => ({
    what: `an injected ${kind}`,
    command: () => new GetTagsCommand({ TimePeriod: { Start: '2025-11-01', End: '2025-11-02' } }),
    faults: fault('ce', kind),
    expected: { name, status, message },
  })),
];

// ---------------------------------------------------------------- Auto Scaling writes

const HOUR = 3_600_000;
const invalid = (message: RegExp): Expected => ({
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
    expected: invalid(
      /^AutoScalingGroup name not found - AutoScalingGroup no-such-group not found$/,
    ),
  },
  {
    what: 'an unknown policy type',
    command: () => policy({ PolicyType: 'FancyScaling' }),
    expected: invalid(/^Invalid policy type: FancyScaling\./),
  },
  {
    what: 'a predictive scaling policy',
    command: () => policy({ PolicyType: 'PredictiveScaling' }),
    expected: invalid(/does not emulate predictive scaling/),
  },
  {
    what: 'target tracking without its configuration',
    command: () => policy({ PolicyType: 'TargetTrackingScaling' }),
    expected: invalid(
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
    expected: invalid(/^AdjustmentType is not supported for policy type TargetTrackingScaling\.$/),
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
    expected: invalid(
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
    expected: invalid(/^TargetValue must be greater than 0/),
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
    expected: invalid(
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
    expected: invalid(
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
    expected: invalid(
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
    expected: invalid(/^Invalid ResourceLabel store-web/),
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
    expected: invalid(
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
    expected: invalid(
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
    expected: invalid(
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
    expected: invalid(/needs MetricName, Namespace and Statistic/),
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
    expected: invalid(/simulates 1-minute metrics: a Period of 10/),
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
    expected: invalid(/^Invalid Period 45: the period of a metric must be 10, 30 or 60\.$/),
  },
  {
    what: 'metric math with two results',
    command: () =>
      tracking({
        CustomizedMetricSpecification: { Metrics: [mathQuery('m1'), mathQuery('m2')] },
        TargetValue: 10,
      }),
    expected: invalid(/^Exactly one metric query must return data .* 2 do\.$/),
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
    expected: invalid(/^Invalid metric math expression in e1: /),
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
    expected: invalid(/^The expression of e1 uses m9, which is not another query of it\.$/),
  },
  {
    what: 'a metric query id in capitals',
    command: () =>
      tracking({ CustomizedMetricSpecification: { Metrics: [mathQuery('M1')] }, TargetValue: 10 }),
    expected: invalid(/^Invalid metric query id M1/),
  },
  {
    what: 'step scaling without steps',
    command: () => steps([]),
    expected: invalid(/^StepAdjustments is required for policy type StepScaling\.$/),
  },
  {
    what: 'step scaling without an adjustment type',
    command: () =>
      steps([{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }], { AdjustmentType: undefined }),
    expected: invalid(/^AdjustmentType is required for policy type StepScaling\.$/),
  },
  {
    what: 'overlapping steps',
    command: () =>
      steps([
        { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 20, ScalingAdjustment: 1 },
        { MetricIntervalLowerBound: 10, ScalingAdjustment: 2 },
      ]),
    expected: invalid(/must not overlap: one ends at 20 and the next starts at 10/),
  },
  {
    what: 'steps with a gap',
    command: () =>
      steps([
        { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 },
        { MetricIntervalLowerBound: 20, ScalingAdjustment: 2 },
      ]),
    expected: invalid(/must not leave a gap: one ends at 10 and the next starts at 20/),
  },
  {
    what: 'two steps without a lower bound',
    command: () =>
      steps([
        { MetricIntervalUpperBound: 0, ScalingAdjustment: -1 },
        { MetricIntervalUpperBound: 10, ScalingAdjustment: -2 },
      ]),
    expected: invalid(/^Only one step adjustment may have a null lower bound\.$/),
  },
  {
    what: 'a step whose upper bound is below its lower bound',
    command: () =>
      steps([{ MetricIntervalLowerBound: 10, MetricIntervalUpperBound: 5, ScalingAdjustment: 1 }]),
    expected: invalid(/upper bound of a step adjustment must be greater than its lower bound/),
  },
  {
    what: 'an unknown metric aggregation type',
    command: () =>
      steps([{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }], {
        MetricAggregationType: 'Median',
      }),
    expected: invalid(/^Invalid metric aggregation type: Median\./),
  },
  {
    what: 'MinAdjustmentMagnitude with ChangeInCapacity',
    command: () =>
      steps([{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }], { MinAdjustmentMagnitude: 2 }),
    expected: invalid(/valid only with the adjustment type PercentChangeInCapacity/),
  },
  {
    what: 'an unknown adjustment type',
    command: () => policy({ AdjustmentType: 'Double', ScalingAdjustment: 2 }),
    expected: invalid(/^Invalid adjustment type: Double\./),
  },
  {
    what: 'a simple policy without its adjustment',
    command: () => policy({ AdjustmentType: 'ChangeInCapacity' }),
    expected: invalid(/^ScalingAdjustment is required for policy type SimpleScaling\.$/),
  },
  {
    what: 'a negative exact capacity',
    command: () => policy({ AdjustmentType: 'ExactCapacity', ScalingAdjustment: -1 }),
    expected: invalid(/^For ExactCapacity, ScalingAdjustment must not be negative\.$/),
  },
  {
    what: 'a simple policy with step adjustments',
    command: () =>
      policy({
        AdjustmentType: 'ChangeInCapacity',
        ScalingAdjustment: 1,
        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
      }),
    expected: invalid(/^StepAdjustments is not supported for policy type SimpleScaling\.$/),
  },
  // DescribePolicies, DeletePolicy
  {
    what: '51 policy names',
    command: () => new DescribePoliciesCommand({ PolicyNames: names(51, 'p') }),
    expected: invalid(
      /'policyNames' failed to satisfy constraint: Member must have length less than or equal to 50/,
    ),
  },
  {
    what: 'an unknown policy type to describe',
    command: () => new DescribePoliciesCommand({ PolicyTypes: ['Magic'] }),
    expected: invalid(/^Invalid policy type: Magic\./),
  },
  {
    what: 'a policies page of 101',
    command: () => new DescribePoliciesCommand({ MaxRecords: 101 }),
    expected: invalid(/Value '101' at 'maxRecords'.*between 1 and 100/),
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
    expected: invalid(/^Policy no-such-policy not found for Auto Scaling group store-web\.$/),
  },
  {
    what: 'deleting a policy by name without its group',
    command: () => new DeletePolicyCommand({ PolicyName: 'store-web-cpu70' }),
    expected: invalid(/^AutoScalingGroupName is required when PolicyName is not an ARN\.$/),
  },
  // SetDesiredCapacity, UpdateAutoScalingGroup
  {
    what: 'a desired capacity above the max',
    command: () =>
      new SetDesiredCapacityCommand({ AutoScalingGroupName: 'store-web', DesiredCapacity: 31 }),
    expected: invalid(
      /^New SetDesiredCapacity value 31 is above max value 30 for the AutoScalingGroup\.$/,
    ),
  },
  {
    what: 'a desired capacity below the min',
    command: () =>
      new SetDesiredCapacityCommand({ AutoScalingGroupName: 'store-web', DesiredCapacity: 1 }),
    expected: invalid(
      /^New SetDesiredCapacity value 1 is below min value 2 for the AutoScalingGroup\.$/,
    ),
  },
  {
    what: 'setting the capacity of a group that does not exist',
    command: () =>
      new SetDesiredCapacityCommand({ AutoScalingGroupName: 'no-such-group', DesiredCapacity: 1 }),
    expected: invalid(
      /^AutoScalingGroup name not found - AutoScalingGroup no-such-group not found$/,
    ),
  },
  {
    what: 'updating a group that does not exist',
    command: () =>
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'no-such-group', MaxSize: 3 }),
    expected: invalid(/^AutoScalingGroup name not found - null$/),
  },
  {
    what: 'a min above the max',
    command: () =>
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'store-web', MinSize: 40 }),
    expected: invalid(/^Max bound, 30, must be greater than or equal to min bound, 40$/),
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
    expected: invalid(
      /^Desired capacity:9 must be between the specified min size:2 and max size:8$/,
    ),
  },
  {
    what: 'a negative min size',
    command: () =>
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'store-web', MinSize: -1 }),
    expected: invalid(
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
    expected: invalid(
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
    expected: invalid(
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
    expected: invalid(/does not emulate changing LaunchTemplate of an Auto Scaling group/),
  },
  // Scheduled actions
  {
    what: 'a start time in the past',
    command: () => schedule({ StartTime: new Date(FIXED_NOW - HOUR) }),
    expected: invalid(/^Given start time is in the past$/),
  },
  {
    what: 'an end time before the start time',
    command: () =>
      schedule({
        Recurrence: '0 7 * * *',
        StartTime: new Date(FIXED_NOW + 2 * HOUR),
        EndTime: new Date(FIXED_NOW + HOUR),
      }),
    expected: invalid(/^Given end time is before the start time$/),
  },
  {
    what: 'a recurrence of four fields',
    command: () => schedule({ StartTime: undefined, Recurrence: '0 7 * *' }),
    expected: invalid(/^Given recurrence string "0 7 \* \*" is not valid: it has 4 fields/),
  },
  {
    what: 'a recurrence with a minute of 61',
    command: () => schedule({ StartTime: undefined, Recurrence: '61 7 * * *' }),
    expected: invalid(/minute field "61" has 61, outside 0-59/),
  },
  {
    what: 'a recurrence that never comes',
    command: () => schedule({ StartTime: undefined, Recurrence: '0 0 31 2 *' }),
    expected: invalid(
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
    expected: invalid(/would never run: its recurrence has no time before its end time/),
  },
  {
    what: 'an unknown time zone',
    command: () =>
      schedule({ StartTime: undefined, Recurrence: '0 7 * * *', TimeZone: 'Mars/Olympus_Mons' }),
    expected: invalid(/^Invalid time zone Mars\/Olympus_Mons/),
  },
  {
    what: 'an action that changes nothing',
    command: () => schedule({ DesiredCapacity: undefined }),
    expected: invalid(/^At least one of MinSize, MaxSize and DesiredCapacity must be specified\.$/),
  },
  {
    what: 'an action with neither start time nor recurrence',
    command: () => schedule({ StartTime: undefined }),
    expected: invalid(/^Either StartTime or Recurrence must be specified\.$/),
  },
  {
    what: 'a scheduled desired capacity outside the limits',
    command: () => schedule({ DesiredCapacity: 31 }),
    expected: invalid(
      /^Desired capacity:31 must be between the specified min size:2 and max size:30$/,
    ),
  },
  {
    what: 'a scheduled min above the max',
    command: () => schedule({ DesiredCapacity: undefined, MinSize: 12, MaxSize: 10 }),
    expected: invalid(/^Max bound, 10, must be greater than or equal to min bound, 12$/),
  },
  {
    what: 'scheduling a group that does not exist',
    command: () => schedule({ AutoScalingGroupName: 'no-such-group' }),
    expected: invalid(/^AutoScalingGroup name not found - null$/),
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
    expected: invalid(
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
    expected: invalid(/at 'scheduledUpdateGroupActions\.1\.member\.scheduledActionName'/),
  },
  {
    what: '51 scheduled action names',
    command: () => new DescribeScheduledActionsCommand({ ScheduledActionNames: names(51, 's') }),
    expected: invalid(
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
    expected: invalid(/^Scheduled action name not found$/),
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

describe('Cost Explorer errors, as the SDK reads them', () => {
  it.each(costExplorerCases)('$what → $expected.name', async ({ command, faults, expected }) => {
    await setFaults(faults);
    expect(await failureOf(costExplorer, command())).toMatchObject({
      name: expected.name,
      status: expected.status,
      message: expect.stringMatching(expected.message),
    });
  });

  const bigQuery: GetCostAndUsageCommandInput = {
    TimePeriod: { Start: '2025-06-01', End: '2025-11-20' },
    Granularity: 'DAILY',
    Metrics: ['UnblendedCost'],
    GroupBy: [
      { Type: 'DIMENSION', Key: 'USAGE_TYPE' },
      { Type: 'TAG', Key: 'env' },
    ],
  };

  it('a NextPageToken of another request → RequestChangedException', async () => {
    const first = await costExplorer.send(new GetCostAndUsageCommand(bigQuery));
    expect(first.NextPageToken).toBeDefined();
    const other = new GetCostAndUsageCommand({
      ...bigQuery,
      Metrics: ['AmortizedCost'],
      NextPageToken: first.NextPageToken,
    });
    expect(await failureOf(costExplorer, other)).toMatchObject({
      name: 'RequestChangedException',
      status: 400,
      message: expect.stringMatching(/parameters changed between pages/),
    });
  });

  it('a NextPageToken from before a refresh of the data → BillExpirationException', async () => {
    // Given a first page, then the 8-hourly refresh of the billing data
    const own = await startTestSandbox({ backfillDays: 0.05, seed: 9 });
    try {
      const client = new CostExplorerClient({
        endpoint: own.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 1,
      });
      const first = await client.send(new GetCostAndUsageCommand(bigQuery));
      own.setTime(Date.parse('2025-11-24T00:00:30Z'));
      // When the next page is asked for, then the report has expired
      const next = new GetCostAndUsageCommand({ ...bigQuery, NextPageToken: first.NextPageToken });
      expect(await failureOf(client, next)).toMatchObject({
        name: 'BillExpirationException',
        status: 400,
        message: expect.stringMatching(/report expired/),
      });
    } finally {
      await own.stop();
    }
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

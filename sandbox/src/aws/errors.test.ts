// Every error the sandbox answers, read back through the real SDK clients: the name, HTTP
// status and message must be what the client makes of AWS's own answer. CloudWatch is read
// twice: by the query-compatible client (the name from x-amzn-query-error) and by the same
// client with query compatibility off, as any AWS JSON client reads it (the name from
// __type, after its one "#"). Cost Explorer (AWS JSON 1.1) names its errors in __type alone.
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  ListMetricsCommand,
  type CloudWatchClientConfig,
  type GetMetricDataCommandInput,
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
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXED_NOW, startTestSandbox } from '../../test/helpers.js';
import type { RunningSandbox } from '../start-sandbox.js';
import type { FaultRule } from './faults.js';

let sandbox: RunningSandbox;
let cloudWatch: CloudWatchClient;
let plainJson: CloudWatchClient;
let autoScaling: AutoScalingClient;
let costExplorer: CostExplorerClient;

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
  ...['PutScalingPolicy', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'].map(
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

describe('Auto Scaling errors, as the SDK reads them', () => {
  it.each(autoScalingCases)('$what → $expected.name', async ({ command, faults, expected }) => {
    await setFaults(faults);
    expect(await failureOf(autoScaling, command())).toMatchObject({
      name: expected.name,
      status: expected.status,
      message: expect.stringMatching(expected.message),
    });
  });
});

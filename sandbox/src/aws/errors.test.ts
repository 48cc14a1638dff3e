// Every error the sandbox answers, read back through the real SDK clients: the name, HTTP
// status and message must be what the client makes of AWS's own answer. CloudWatch is read
// twice: by the query-compatible client (the name from x-amzn-query-error) and by the same
// client with query compatibility off, as any AWS JSON client reads it (the name from
// __type, after its one "#").
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
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXED_NOW, startTestSandbox } from '../../test/helpers.js';
import type { RunningSandbox } from '../start-sandbox.js';
import type { FaultRule } from './faults.js';

let sandbox: RunningSandbox;
let cloudWatch: CloudWatchClient;
let plainJson: CloudWatchClient;
let autoScaling: AutoScalingClient;

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

// FUZZ: hostile requests against a sandbox in its own process (so a request that hangs it is
// seen as one, not as a frozen test): every AWS protocol, the admin API and the storefront,
// with huge, negative, NaN and fractional numbers, prototype names, deep JSON, bad encodings,
// long lists, wrong methods and odd Host headers. Seeded, so a failure replays; bounded, so it
// stays fast. Each answer must come in bounded time, never be a 5xx (but the storefront's
// simulated overload), and never carry a stack trace.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from './random.js';

const SEED = 20251128;
const REQUESTS_PER_FAMILY = 60;
/** The Query family has many more operations to cover. */
const QUERY_REQUESTS = 240;
const CLOUDWATCH_REQUESTS = 120;
/** Far above any honest answer on a loaded machine, far below "frozen". */
const ANSWER_WITHIN_MS = 10_000;

let child: ChildProcess;
let port: number;

beforeAll(async () => {
  const bin = fileURLToPath(new URL('../bin/sandbox.js', import.meta.url));
  const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  expect(existsSync(built), 'the fuzz runs the build: npx tsc -b sandbox first').toBe(true);
  child = spawn(
    process.execPath,
    [bin, '--port', '0', '--backfill-days', '0.5', '--coarse-backfill-days', '2', '--seed', '3'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      output += c.toString();
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', () => reject(new Error(`the sandbox exited:\n${output}`)));
  });
});
afterAll(() => {
  child?.kill('SIGTERM');
});

// ------------------------------------------------------------------ seeded generators

const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'isPrototypeOf',
];
/** Numbers as JSON text: huge, negative, fractional, exponents, and what JSON has no number for. */
const NUMBERS = [
  '600000000000000',
  '2147483648',
  '2147483647',
  '-1',
  '0',
  '-0',
  '0.5',
  '60.000001',
  '1e308',
  '1e999',
  '-1e999',
  '9007199254740993',
  '"NaN"',
  '"Infinity"',
  '"60"',
  'null',
  'true',
  '[]',
  '{}',
];
const FORM_NUMBERS = ['1e9', '-1', 'NaN', '0x10', '', '1.5', '99999999999999999999', '%00', '1 '];
const HOSTS = [
  undefined, // the client's own
  '',
  'evil.example',
  '127.evil.com',
  'localhost.',
  '[::1',
  '127.0.0.1:99999',
  'a'.repeat(4000),
  '127.0.0.1:4566@evil.com',
  '%6c%6fcalhost',
];

const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

function metricQuery(r: Random): string {
  const period = r.next() < 0.5 ? r.pick(NUMBERS) : String(r.pick([1, 5, 60, 300, 3600, 86_400]));
  const id = r.next() < 0.2 ? r.pick(PROTOTYPE_NAMES) : `q${r.int(1000)}`;
  return `{"Id":${JSON.stringify(id)},"MetricStat":{"Metric":{"Namespace":"AWS/EC2","MetricName":"CPUUtilization","Dimensions":[{"Name":"AutoScalingGroupName","Value":"store-web"}]},"Period":${period},"Stat":${JSON.stringify(r.pick(['Average', 'p99', 'p100', 'p1000', 'Sum', 'tm99', '']))}}}`;
}

function cloudWatchBody(r: Random, operation: string): string | Buffer {
  const now = Math.floor(Date.now() / 1000);
  switch (r.int(9)) {
    case 0:
      return deepArray(50_000);
    case 1:
      return deepObject(50_000);
    case 2:
      return `{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"MetricDataQueries":[${metricQuery(r)}],"StartTime":${now - 3600},"EndTime":${now}}`;
    case 3:
      // Invalid UTF-8, a NUL and a BOM.
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xff, 0xfe, 0x00]), Buffer.from('{}')]);
    case 4: {
      const n = r.pick([501, 5_000]);
      return `{"MetricDataQueries":[${Array.from({ length: n }, () => metricQuery(r)).join(',')}],"StartTime":${now - 3600},"EndTime":${now}}`;
    }
    default: {
      const start = r.next() < 0.5 ? r.pick(NUMBERS) : String(now - r.int(60 * 86_400));
      const end = r.next() < 0.5 ? r.pick(NUMBERS) : String(now + r.int(86_400));
      const fields = [
        `"MetricDataQueries":[${Array.from({ length: 1 + r.int(3) }, () => metricQuery(r)).join(',')}]`,
        `"StartTime":${start}`,
        `"EndTime":${end}`,
        `"MaxDatapoints":${r.pick(NUMBERS)}`,
        `"MaxRecords":${r.pick(NUMBERS)}`,
        `"StartDate":${r.pick(NUMBERS)}`,
        `"AlarmNames":${r.next() < 0.5 ? JSON.stringify(Array.from({ length: 150 }, (_, i) => `a${i}`)) : '"x"'}`,
        `"NextToken":${JSON.stringify(r.pick(['', 'x', Buffer.from('{"c":{"query":1e308,"offset":-5,"asOf":"x"},"f":"0"}').toString('base64url'), 'A'.repeat(100_000)]))}`,
        `"ScanBy":${JSON.stringify(r.pick(['TimestampAscending', 'sideways', '']))}`,
        `"Dimensions":${JSON.stringify(Array.from({ length: r.pick([0, 11, 1000]) }, (_, i) => ({ Name: `d${i}` })))}`,
        // PutMetricAlarm and DeleteAlarms
        `"AlarmName":${JSON.stringify(r.pick(['a', '__proto__', '', 'x'.repeat(300)]))}`,
        `"AlarmNames":${JSON.stringify(r.pick([['a'], [], Array.from({ length: 101 }, (_, i) => `a${i}`), 'x']))}`,
        `"EvaluationPeriods":${r.pick(NUMBERS)}`,
        `"DatapointsToAlarm":${r.pick(NUMBERS)}`,
        `"Period":${r.pick(NUMBERS)}`,
        `"Threshold":${r.pick(NUMBERS)}`,
        `"Namespace":"AWS/EC2","MetricName":"CPUUtilization"`,
        `"Statistic":${JSON.stringify(r.pick(['Average', 'p99', 'toString', '']))}`,
        `"ExtendedStatistic":${JSON.stringify(r.pick(['p99', 'p1000', 'tm99']))}`,
        `"ComparisonOperator":${JSON.stringify(r.pick(['GreaterThanThreshold', 'LessThanLowerThreshold', 'constructor']))}`,
        `"TreatMissingData":${JSON.stringify(r.pick(['missing', 'sometimes', '']))}`,
        `"AlarmActions":${JSON.stringify(r.pick([['arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x'], ['nope'], Array(6).fill('arn:aws:sns:x:y:z')]))}`,
        `"Metrics":[${Array.from({ length: r.pick([1, 3]) }, () => (r.next() < 0.5 ? metricQuery(r) : `{"Id":"e1","Expression":${JSON.stringify(r.pick(['q1 / q2', '(((', 'e1 * 2', 'FILL(q1,0)']))}}`)).join(',')}]`,
      ];
      return `{${fields.filter(() => r.next() < 0.6 || operation === 'GetMetricData').join(',')}}`;
    }
  }
}

function costExplorerBody(r: Random): string | Buffer {
  const date = () =>
    JSON.stringify(
      r.pick([
        '2025-11-01',
        '2024-01-01',
        '2025-02-30',
        '2099-12-31',
        '2025-11-01T00:00:00Z',
        '2025-11-01T13:00:00Z',
        '0000-00-00',
        '',
        '__proto__',
        'x'.repeat(50),
      ]),
    );
  const expression = (depth: number): string => {
    if (depth <= 0 || r.next() < 0.3)
      return r.pick([
        `{"Dimensions":{"Key":${JSON.stringify(r.pick(['SERVICE', 'USAGE_TYPE', 'RESOURCE_ID', 'SERVICE_CODE', '__proto__', '']))},"Values":${JSON.stringify(r.pick([['Amazon CloudFront'], [], ['x'.repeat(2000)], Array.from({ length: 10_001 }, (_, i) => `v${i}`)]))},"MatchOptions":${JSON.stringify(r.pick([[], ['EQUALS'], ['ABSENT'], ['CONTAINS'], ['constructor']]))}}}`,
        `{"Tags":{"Key":${JSON.stringify(r.pick(['team', 'env', '', 'constructor']))},"Values":["storefront"],"MatchOptions":${JSON.stringify(r.pick([[], ['ABSENT'], ['GREATER_THAN_OR_EQUAL']]))}}}`,
        '{"CostCategories":{"Key":"x","Values":["y"]}}',
        '{}',
        '[]',
        'null',
        '"text"',
      ]);
    const op = r.pick(['And', 'Or', 'Not', 'Dimensions']);
    if (op === 'Not') return `{"Not":${expression(depth - 1)}}`;
    const n = r.pick([0, 1, 2, 3]);
    return `{"${op}":[${Array.from({ length: n }, () => expression(depth - 1)).join(',')}]}`;
  };
  switch (r.int(8)) {
    case 0:
      return deepObject(50_000);
    case 1:
      return `{"TimePeriod":{"Start":"2025-01-01","End":"2025-11-01"},"Granularity":"DAILY","Metrics":["UnblendedCost"],"Filter":${'{"Not":'.repeat(5_000)}{}${'}'.repeat(5_000)}}`;
    case 2:
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xff, 0xfe, 0x00]), Buffer.from('{}')]);
    default: {
      const fields = [
        `"TimePeriod":${r.next() < 0.9 ? `{"Start":${date()},"End":${date()}}` : r.pick(NUMBERS)}`,
        `"Granularity":${JSON.stringify(r.pick(['DAILY', 'MONTHLY', 'HOURLY', 'WEEKLY', '']))}`,
        `"Metrics":${JSON.stringify(r.pick([['UnblendedCost'], ['UNBLENDED_COST', 'UsageQuantity'], [], ['toString'], Array.from({ length: 2000 }, () => 'BlendedCost')]))}`,
        `"Metric":${JSON.stringify(r.pick(['UNBLENDED_COST', 'USAGE_QUANTITY', 'x']))}`,
        `"GroupBy":${JSON.stringify(r.pick([[{ Type: 'DIMENSION', Key: 'SERVICE' }], [{ Type: 'TAG', Key: '__proto__' }], [{ Type: 'COST_CATEGORY', Key: 'x' }], Array.from({ length: 3 }, () => ({ Type: 'TAG', Key: 'team' })), [{}], 'x']))}`,
        `"Filter":${expression(r.pick([1, 3, 12]))}`,
        `"NextPageToken":${JSON.stringify(r.pick(['', 'x', Buffer.from('{"c":{"row":-1,"asOf":"x"},"f":"0"}').toString('base64url'), 'A'.repeat(9000)]))}`,
        `"PredictionIntervalLevel":${r.pick(NUMBERS)}`,
        `"MaxResults":${r.pick(NUMBERS)}`,
        `"Dimension":${JSON.stringify(r.pick(['SERVICE', 'LINKED_ACCOUNT', 'LINKED_ACCOUNT_NAME', 'constructor']))}`,
        `"TagKey":${JSON.stringify(r.pick(['team', '', '__proto__']))}`,
        `"SortBy":${JSON.stringify(r.pick([[{ Key: 'UnblendedCost', SortOrder: 'DESCENDING' }], [{ Key: 'hasOwnProperty' }], [{}]]))}`,
        `"DateInterval":${r.next() < 0.8 ? `{"StartDate":${date()},"EndDate":${date()}}` : '{}'}`,
        `"TotalImpact":${JSON.stringify(r.pick([{ NumericOperator: 'BETWEEN', StartValue: 1 }, { NumericOperator: 'GREATER_THAN', StartValue: 1e308 }, { NumericOperator: 'x' }]))}`,
        `"MonitorArnList":${JSON.stringify(r.pick([['x'], Array.from({ length: 150 }, () => 'arn')]))}`,
      ];
      return `{${fields.filter(() => r.next() < 0.6).join(',')}}`;
    }
  }
}

const WRITES = [
  'DescribePolicies',
  'PutScalingPolicy',
  'DeletePolicy',
  'SetDesiredCapacity',
  'UpdateAutoScalingGroup',
  'PutScheduledUpdateGroupAction',
  'BatchPutScheduledUpdateGroupAction',
  'DescribeScheduledActions',
  'DeleteScheduledAction',
  'DescribeAccountLimits',
];
const GROUPS = ['store-web', 'store-workers', 'nope', '__proto__', 'constructor', ''];
const TIMESTAMPS = [
  '2099-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '2025-13-45T99:99:99Z',
  '+275760-09-13T00:00:00Z',
  'tomorrow',
  '',
  '9'.repeat(40),
];
const RECURRENCES = [
  '0 7 * * *',
  '*/0 * * * *',
  '0 0 31 2 *',
  '* * * * * *',
  '%',
  '0-59/1 0-23 1-31 1-12 0-7',
  'a'.repeat(300),
];

/** Parameters of the write operations: nested structures, lists, odd numbers and times. */
function writeParams(r: Random): string {
  const p: string[] = [`AutoScalingGroupName=${encodeURIComponent(r.pick(GROUPS))}`];
  const add = (name: string, value: string) => p.push(`${name}=${encodeURIComponent(value)}`);
  const n = () => r.pick([...FORM_NUMBERS, '2', '50', '-5', '2147483648']);
  if (r.next() < 0.7)
    add('PolicyName', r.pick(['p', 'store-web-cpu70', '__proto__', 'arn:aws:x', '']));
  if (r.next() < 0.5)
    add(
      'PolicyType',
      r.pick(['TargetTrackingScaling', 'StepScaling', 'SimpleScaling', 'PredictiveScaling', 'x']),
    );
  if (r.next() < 0.4)
    add(
      'AdjustmentType',
      r.pick(['ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity', '']),
    );
  for (const name of [
    'ScalingAdjustment',
    'MinAdjustmentMagnitude',
    'Cooldown',
    'EstimatedInstanceWarmup',
    'MinSize',
    'MaxSize',
    'DesiredCapacity',
    'DefaultInstanceWarmup',
  ])
    if (r.next() < 0.25) add(name, n());
  const tt = 'TargetTrackingConfiguration';
  if (r.next() < 0.5) add(`${tt}.TargetValue`, r.pick([...FORM_NUMBERS, '70', '1e308', '-0']));
  if (r.next() < 0.3)
    add(
      `${tt}.PredefinedMetricSpecification.PredefinedMetricType`,
      r.pick(['ASGAverageCPUUtilization', 'ALBRequestCountPerTarget', 'toString']),
    );
  if (r.next() < 0.2)
    add(
      `${tt}.PredefinedMetricSpecification.ResourceLabel`,
      r.pick(['app/a/b/targetgroup/c/d', '/targetgroup/', 'x'.repeat(2000)]),
    );
  if (r.next() < 0.3) {
    const q = `${tt}.CustomizedMetricSpecification.Metrics.member.${r.pick(['1', '2', '0', '99999', '1e3'])}`;
    add(`${q}.Id`, r.pick(['m1', 'e1', 'M1', '__proto__', '']));
    if (r.next() < 0.5)
      add(
        `${q}.Expression`,
        r.pick(['m1 / m2', 'm1 /', '('.repeat(5000), 'FILL(m1,0)', 'e1 + e1']),
      );
    else {
      add(`${q}.MetricStat.Metric.Namespace`, 'AWS/SQS');
      add(`${q}.MetricStat.Metric.MetricName`, r.pick(['ApproximateNumberOfMessagesVisible', '']));
      add(`${q}.MetricStat.Stat`, r.pick(['Average', 'p99', 'p1000', '']));
      add(`${q}.MetricStat.Metric.Dimensions.member.1.Name`, 'QueueName');
    }
    if (r.next() < 0.5) add(`${q}.ReturnData`, r.pick(['true', 'false', 'yes']));
  }
  if (r.next() < 0.3)
    for (let i = 1; i <= r.pick([1, 3, 25]); i++) {
      add(`StepAdjustments.member.${i}.ScalingAdjustment`, n());
      if (r.next() < 0.7)
        add(
          `StepAdjustments.member.${i}.MetricIntervalLowerBound`,
          r.pick(FORM_NUMBERS.concat(['0', '10'])),
        );
      if (r.next() < 0.7)
        add(
          `StepAdjustments.member.${i}.MetricIntervalUpperBound`,
          r.pick(FORM_NUMBERS.concat(['0', '10'])),
        );
    }
  if (r.next() < 0.2) add('StepAdjustments', '');
  if (r.next() < 0.3) add('HonorCooldown', r.pick(['true', 'false', 'maybe']));
  if (r.next() < 0.3)
    add(
      `MixedInstancesPolicy.InstancesDistribution.${r.pick(['OnDemandBaseCapacity', 'OnDemandPercentageAboveBaseCapacity', 'SpotAllocationStrategy', 'SpotMaxPrice'])}`,
      r.pick([...FORM_NUMBERS, 'capacity-optimized', '101']),
    );
  if (r.next() < 0.1) add('LaunchTemplate.LaunchTemplateName', 'x');
  if (r.next() < 0.5) add('ScheduledActionName', r.pick(['s', '__proto__', '', 'x'.repeat(300)]));
  if (r.next() < 0.4) add(r.pick(['StartTime', 'EndTime', 'Time']), r.pick(TIMESTAMPS));
  if (r.next() < 0.4) add('Recurrence', r.pick(RECURRENCES));
  if (r.next() < 0.3)
    add('TimeZone', r.pick(['America/New_York', 'Etc/GMT+9', 'Mars/Base', '../../etc/passwd', '']));
  if (r.next() < 0.3)
    for (let i = 1; i <= r.pick([1, 2, 51, 300]); i++) {
      const a = `ScheduledUpdateGroupActions.member.${i}`;
      if (r.next() < 0.9) add(`${a}.ScheduledActionName`, r.pick(['a', 'b', '']) + i);
      add(
        `${a}.${r.pick(['StartTime', 'Recurrence', 'DesiredCapacity', 'TimeZone'])}`,
        r.pick([...TIMESTAMPS, ...RECURRENCES, '3']),
      );
    }
  if (r.next() < 0.2)
    add(
      r.pick(['PolicyNames.member.1', 'PolicyTypes.member.1', 'ScheduledActionNames.member.1']),
      r.pick(['p', 'Magic', '']),
    );
  if (r.next() < 0.2) add(`${tt}.${'A.'.repeat(30)}B`, 'deep');
  return `&${p.join('&')}`;
}

function queryBody(r: Random): string {
  const action = r.pick([
    'DescribeAutoScalingGroups',
    'DescribeScalingActivities',
    ...WRITES,
    ...WRITES,
    'GetCallerIdentity',
    ...PROTOTYPE_NAMES,
    '',
    'Describe%ZZ',
  ]);
  const version =
    r.next() < 0.7
      ? action === 'GetCallerIdentity'
        ? '2011-06-15'
        : '2011-01-01'
      : r.pick(['2011-01-01', '2010-08-01', '2011-06-15', '', '%E0%A4%A']);
  const list = (name: string, n: number) =>
    Array.from(
      { length: n },
      (_, i) =>
        `&${name}.member.${i + 1}=${encodeURIComponent(r.pick(['store-web', 'x', '%', '\u0000', 'é'.repeat(300)]))}-${i}`,
    ).join('');
  let form = `Action=${action}&Version=${version}`;
  if (r.next() < 0.5) form += list('AutoScalingGroupNames', r.pick([1, 50, 51, 101, 5_000]));
  if (r.next() < 0.4) form += list('ActivityIds', r.pick([1, 50, 51, 2_000]));
  if (r.next() < 0.4) form += `&MaxRecords=${r.pick(FORM_NUMBERS)}`;
  if (r.next() < 0.3)
    form += `&Filters.member.1.Name=${r.pick(['tag-key', 'tag:env', 'instance-type', '__proto__'])}${list('Filters.member.1.Values', r.pick([1, 10_000]))}`;
  if (r.next() < 0.3)
    form += `&NextToken=${r.pick(['x', '%ZZ', 'eyJjIjoxfQ', 'A'.repeat(50_000)])}`;
  if (r.next() < 0.2) form += `&AutoScalingGroupName=${r.pick(PROTOTYPE_NAMES)}`;
  if (r.next() < 0.2) form += `&${r.pick(PROTOTYPE_NAMES)}=1&AutoScalingGroupNames.member.0=x`;
  if (WRITES.includes(action) || r.next() < 0.1) form += writeParams(r);
  return form;
}

// ------------------------------------------------------------------ requests

interface Hostile {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Host header to send instead of the real one */
  host?: string | undefined;
}
interface Answer {
  status: number;
  body: string;
  ms: number;
}

function send(req: Hostile): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.host !== undefined) headers.host = req.host;
    // Framed, whatever the method (node:http sends a GET's or DELETE's body unframed).
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        method: req.method,
        path: req.path,
        headers,
        setHost: req.host === undefined,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
      },
    );
    outgoing.setTimeout(ANSWER_WITHIN_MS, () =>
      outgoing.destroy(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`)),
    );
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

const SIGNED = {
  ce: 'AWS4-HMAC-SHA256 Credential=test/20251128/us-east-1/ce/aws4_request, SignedHeaders=host, Signature=0',
  ceElsewhere:
    'AWS4-HMAC-SHA256 Credential=test/20251128/eu-west-1/ce/aws4_request, SignedHeaders=host, Signature=0',
  monitoring:
    'AWS4-HMAC-SHA256 Credential=test/20251128/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=0',
  autoscaling:
    'AWS4-HMAC-SHA256 Credential=test/20251128/us-east-1/autoscaling/aws4_request, SignedHeaders=host, Signature=0',
  sts: 'AWS4-HMAC-SHA256 Credential=ASIA0000/20251128/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0',
};

const families: Record<string, (r: Random) => Hostile> = {
  cloudwatch: (r) => {
    const operation = r.pick([
      'GetMetricData',
      'GetMetricData',
      'ListMetrics',
      'DescribeAlarms',
      'DescribeAlarmHistory',
      'PutMetricAlarm',
      'PutMetricAlarm',
      'DeleteAlarms',
      ...PROTOTYPE_NAMES,
      '',
    ]);
    return {
      method: r.next() < 0.9 ? 'POST' : r.pick(['GET', 'PUT', 'DELETE', 'OPTIONS']),
      path: r.pick(['/', '/', '/?Action=ListMetrics', '//', '/%2e%2e/']),
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': r.next() < 0.9 ? `GraniteServiceVersion20100801.${operation}` : operation,
        ...(r.next() < 0.95 ? { authorization: SIGNED.monitoring } : {}),
      },
      body: cloudWatchBody(r, operation),
      host: r.next() < 0.15 ? r.pick(HOSTS) : undefined,
    };
  },
  costexplorer: (r) => {
    const operation = r.pick([
      'GetCostAndUsage',
      'GetCostAndUsage',
      'GetCostForecast',
      'GetDimensionValues',
      'GetTags',
      'GetAnomalies',
      'GetAnomalyMonitors',
      ...PROTOTYPE_NAMES,
      '',
    ]);
    return {
      method: r.next() < 0.95 ? 'POST' : r.pick(['GET', 'PUT']),
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSInsightsIndexService.${operation}`,
        ...(r.next() < 0.95
          ? { authorization: r.next() < 0.9 ? SIGNED.ce : SIGNED.ceElsewhere }
          : {}),
      },
      body: costExplorerBody(r),
      host: r.next() < 0.1 ? r.pick(HOSTS) : undefined,
    };
  },
  query: (r) => {
    const body = queryBody(r);
    const sts = body.startsWith('Action=GetCallerIdentity');
    // Mostly the signature of the action's service, so requests reach its operations.
    const authorization =
      r.next() < 0.8
        ? sts
          ? SIGNED.sts
          : SIGNED.autoscaling
        : r.pick([SIGNED.autoscaling, SIGNED.sts, 'AWS4-HMAC-SHA256 Credential=x']);
    return {
      method: 'POST',
      path: '/',
      headers: {
        'content-type': r.pick([
          'application/x-www-form-urlencoded',
          'text/plain',
          'application/json',
        ]),
        ...(r.next() < 0.95 ? { authorization } : {}),
      },
      body,
      host: r.next() < 0.15 ? r.pick(HOSTS) : undefined,
    };
  },
  admin: (r) => {
    const rule = () =>
      `{"service":${JSON.stringify(r.pick(['cloudwatch', 'sts', 'ce', '*', 'ec2', '__proto__']))},"operation":${JSON.stringify(r.pick(['*', 'GetMetricData', '', 'constructor']))},"kind":${JSON.stringify(r.pick(['throttle', 'slow', 'data-unavailable', 'access-denied', 'explode', 'toString']))},"rate":${r.pick(NUMBERS)},"delayMs":${r.pick(NUMBERS)}}`;
    const body = r.pick([
      () => `{"rules":[${Array.from({ length: r.pick([1, 2, 101]) }, rule).join(',')}]}`,
      () => deepArray(50_000),
      () => `{"rules":${deepArray(10_000)}}`,
      () => '{"__proto__":{"rules":[]},"rules":[]}',
      () => 'not json',
      () => 'x'.repeat(70_000),
    ])();
    return {
      method: r.pick(['GET', 'POST', 'POST', 'DELETE', 'PUT', 'PATCH']),
      path: r.pick([
        '/_sandbox/faults',
        '/_sandbox/status',
        '/_sandbox/',
        '/_sandbox/constructor',
        '/_sandbox/__proto__',
      ]),
      headers: {
        'content-type': 'application/json',
        ...(r.next() < 0.2
          ? { origin: r.pick(['https://evil.example', 'null', 'http://localhost:7300']) }
          : {}),
      },
      body,
      host: r.next() < 0.3 ? r.pick(HOSTS) : undefined,
    };
  },
  storefront: (r) => ({
    method: r.pick(['GET', 'GET', 'POST', 'DELETE', 'PUT']),
    path: r.pick([
      '/store/health',
      '/store/api/products',
      '/store/api/models/%E0%A4%A',
      '/store/api/models/%00',
      `/store/api/models/${r.pick(PROTOTYPE_NAMES)}`,
      '/store/api/models/' + 'm'.repeat(5_000),
      '/store/api/cart',
      '/store/api/cart?__proto__[x]=1',
      '/store/../_sandbox/faults',
      '/store',
      '/store/',
      `/store/api/catalog?category=${encodeURIComponent(r.pick(PROTOTYPE_NAMES))}`,
      `/store/api/catalog?page=${r.pick(NUMBERS)}&pageSize=${r.pick(NUMBERS)}`,
      '/store/api/catalog?page=1&page=2&pageSize=',
      `/store/api/search?q=${encodeURIComponent(r.pick(PROTOTYPE_NAMES))}`,
      '/store/api/search?q=' + 'a%20'.repeat(2_000),
      `/store/api/products/${r.pick(PROTOTYPE_NAMES)}`,
      '/store/api/products/%E0%A4%A',
      `/store/assets/models/${r.pick(PROTOTYPE_NAMES)}/lod0.glb`,
      '/store/assets/models/m-0/lod99.glb',
      '/store/assets/models/%2e%2e/textures/baseColor.ktx2',
      `/store/assets/models/m-0/textures/${r.pick(PROTOTYPE_NAMES)}.ktx2`,
    ]),
    headers: { 'content-type': 'application/json' },
    body: r.pick([
      () => `{"productId":"p-0001","quantity":${r.pick(NUMBERS)}}`,
      () =>
        `{"productId":${JSON.stringify(r.pick(PROTOTYPE_NAMES))},"quantity":1,"cartId":"__proto__"}`,
      () => '{"__proto__":{"quantity":5},"productId":"p-0001"}',
      () => deepObject(50_000),
      () => 'x'.repeat(20_000),
      () => '',
    ])(),
    host: r.next() < 0.15 ? r.pick(HOSTS) : undefined,
  }),
};

/** The storefront's 503s are the simulated web tier failing, on purpose. */
const deliberate = (req: Hostile, answer: Answer) =>
  answer.status === 503 &&
  req.path.startsWith('/store') &&
  /overloaded|"failing"/.test(answer.body);

const STACK_TRACE = /^\s+at .+[:(]\d+:\d+\)?$|node:internal|\.[jt]s:\d+:\d+/m;

describe('fuzzing the sandbox', () => {
  it.each(Object.keys(families))(
    '%s: bounded, no 5xx, no stack trace',
    async (family) => {
      const r = new Random(SEED, `fuzz:${family}`);
      const problems: string[] = [];
      const requests =
        family === 'query'
          ? QUERY_REQUESTS
          : family === 'cloudwatch'
            ? CLOUDWATCH_REQUESTS
            : REQUESTS_PER_FAMILY;
      for (let i = 0; i < requests; i++) {
        const req = families[family]!(r);
        const what = `#${i} ${req.method} ${req.path} ${JSON.stringify(req.headers['x-amz-target'] ?? '')} host=${JSON.stringify(req.host?.slice(0, 40))} body=${String(req.body).slice(0, 120)}`;
        let answer: Answer;
        try {
          answer = await send(req);
        } catch (error) {
          problems.push(`${what}: ${(error as Error).message}`);
          continue;
        }
        if (answer.status >= 500 && !deliberate(req, answer))
          problems.push(`${what}: ${answer.status} ${answer.body.slice(0, 200)}`);
        if (STACK_TRACE.test(answer.body))
          problems.push(`${what}: stack trace in ${answer.body.slice(0, 300)}`);
        if (answer.ms > ANSWER_WITHIN_MS) problems.push(`${what}: took ${answer.ms.toFixed(0)} ms`);
        // Rules the fuzz managed to set must not turn later answers into (deliberate) faults.
        if (family === 'admin' && answer.status === 200 && req.method === 'POST')
          await send({ method: 'DELETE', path: '/_sandbox/faults', headers: {} });
      }
      expect(problems).toEqual([]);
    },
    120_000,
  );

  it('still answers a well-formed request after all that', async () => {
    const answer = await send({ method: 'GET', path: '/_sandbox/status', headers: {} });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ faults: [] });
  });
});

// PROTOCOL GUARD: the sandbox speaks the wire protocols the pinned SDK clients send. This
// test captures what they actually send; if it fails after a client upgrade, the client's
// protocol changed and the sandbox must follow (see sandbox/src/aws/).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  PutScalingPolicyCommand,
  PutScheduledUpdateGroupActionCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Captured {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let url: string;
const captured: Captured[] = [];

beforeAll(async () => {
  // A raw listener that records the request and answers with an empty success.
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      captured.push({
        method: req.method!,
        path: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const body = Buffer.concat(chunks).toString('utf8');
      const target = String(req.headers['x-amz-target'] ?? '');
      if (body.startsWith('Action=GetCallerIdentity')) {
        res
          .writeHead(200, { 'content-type': 'text/xml' })
          .end(
            '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/test</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
          );
      } else if (target.startsWith('AWSInsightsIndexService.')) {
        res
          .writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
          .end('{"ResultsByTime":[]}');
      } else if (target) {
        res
          .writeHead(200, { 'content-type': 'application/x-amz-json-1.0' })
          .end('{"MetricDataResults":[]}');
      } else {
        const action = new URLSearchParams(body).get('Action') ?? 'Unknown';
        res
          .writeHead(200, { 'content-type': 'text/xml' })
          .end(
            `<${action}Response xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><${action}Result/><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${action}Response>`,
          );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const config = () => ({
  endpoint: url,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});
const changed = (client: string, what: string) =>
  `${client} no longer sends ${what}: the pinned client's protocol changed. Update the sandbox's emulation (sandbox/src/aws/) to follow it, then this guard.`;

describe('protocol guard', () => {
  it('CloudWatch speaks AWS JSON 1.0 with X-Amz-Target GraniteServiceVersion20100801.<Operation>', async () => {
    captured.length = 0;
    await new CloudWatchClient(config()).send(
      new GetMetricDataCommand({
        StartTime: new Date(1_700_000_000_000),
        EndTime: new Date(1_700_003_600_000),
        MetricDataQueries: [
          {
            Id: 'q',
            MetricStat: {
              Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization' },
              Period: 60,
              Stat: 'Average',
            },
          },
        ],
      }),
    );
    const req = captured[0]!;
    expect(req.method, changed('@aws-sdk/client-cloudwatch', 'POST')).toBe('POST');
    expect(
      req.headers['content-type'],
      changed('@aws-sdk/client-cloudwatch', 'Content-Type application/x-amz-json-1.0'),
    ).toBe('application/x-amz-json-1.0');
    expect(
      req.headers['x-amz-target'],
      changed(
        '@aws-sdk/client-cloudwatch',
        'X-Amz-Target GraniteServiceVersion20100801.GetMetricData',
      ),
    ).toBe('GraniteServiceVersion20100801.GetMetricData');
    expect(
      req.headers.authorization,
      changed('@aws-sdk/client-cloudwatch', 'a SigV4 signature scoped to the monitoring service'),
    ).toMatch(/^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/us-east-1\/monitoring\/aws4_request/);
    // Timestamps travel as epoch seconds in JSON 1.0.
    expect(
      JSON.parse(req.body),
      changed('@aws-sdk/client-cloudwatch', 'epoch-second timestamps'),
    ).toMatchObject({ StartTime: 1_700_000_000, EndTime: 1_700_003_600 });
  });

  it('Cost Explorer speaks AWS JSON 1.1 with X-Amz-Target AWSInsightsIndexService.<Operation>, SigV4 scope ce in us-east-1', async () => {
    captured.length = 0;
    await new CostExplorerClient(config()).send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2025-11-01', End: '2025-12-01' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'TAG', Key: 'team' }],
        Filter: { Not: { Dimensions: { Key: 'SERVICE', Values: ['AWS Cost Explorer'] } } },
      }),
    );
    const req = captured[0]!;
    const client = '@aws-sdk/client-cost-explorer';
    expect(req.method, changed(client, 'POST')).toBe('POST');
    expect(req.path, changed(client, 'requests to /')).toBe('/');
    expect(
      req.headers['content-type'],
      changed(client, 'Content-Type application/x-amz-json-1.1'),
    ).toBe('application/x-amz-json-1.1');
    expect(
      req.headers['x-amz-target'],
      changed(client, 'X-Amz-Target AWSInsightsIndexService.GetCostAndUsage'),
    ).toBe('AWSInsightsIndexService.GetCostAndUsage');
    expect(
      req.headers.authorization,
      changed(client, 'a SigV4 signature scoped to the ce service in us-east-1'),
    ).toMatch(/^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/us-east-1\/ce\/aws4_request/);
    // Dates travel as YYYY-MM-DD strings, members by their model names.
    expect(
      JSON.parse(req.body),
      changed(client, 'the request members as the model names them'),
    ).toEqual({
      TimePeriod: { Start: '2025-11-01', End: '2025-12-01' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'TAG', Key: 'team' }],
      Filter: { Not: { Dimensions: { Key: 'SERVICE', Values: ['AWS Cost Explorer'] } } },
    });
  });

  it('Auto Scaling speaks AWS Query: form-encoded Action and Version, SigV4 scope autoscaling', async () => {
    captured.length = 0;
    await new AutoScalingClient(config()).send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['store-web'] }),
    );
    const req = captured[0]!;
    expect(
      req.headers['content-type'],
      changed('@aws-sdk/client-auto-scaling', 'Content-Type application/x-www-form-urlencoded'),
    ).toBe('application/x-www-form-urlencoded');
    expect(
      req.body,
      changed(
        '@aws-sdk/client-auto-scaling',
        'Action=DescribeAutoScalingGroups&Version=2011-01-01',
      ),
    ).toMatch(/^Action=DescribeAutoScalingGroups&Version=2011-01-01(&|$)/);
    expect(
      new URLSearchParams(req.body).get('AutoScalingGroupNames.member.1'),
      changed('@aws-sdk/client-auto-scaling', 'lists as Name.member.N'),
    ).toBe('store-web');
    expect(
      req.headers.authorization,
      changed(
        '@aws-sdk/client-auto-scaling',
        'a SigV4 signature scoped to the autoscaling service',
      ),
    ).toMatch(/^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/us-east-1\/autoscaling\/aws4_request/);
  });

  it('Auto Scaling writes nest structures by dots, lists as .member.N, timestamps in ISO 8601', async () => {
    captured.length = 0;
    const client = new AutoScalingClient(config());
    await client.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: 'store-workers',
        PolicyName: 'p',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingConfiguration: {
          CustomizedMetricSpecification: {
            Metrics: [
              {
                Id: 'm1',
                MetricStat: {
                  Metric: {
                    Namespace: 'AWS/SQS',
                    MetricName: 'ApproximateNumberOfMessagesVisible',
                    Dimensions: [{ Name: 'QueueName', Value: 'model-jobs' }],
                  },
                  Stat: 'Average',
                },
                ReturnData: false,
              },
            ],
          },
          TargetValue: 2.5,
          DisableScaleIn: true,
        },
      }),
    );
    await client.send(
      new PutScheduledUpdateGroupActionCommand({
        AutoScalingGroupName: 'store-web',
        ScheduledActionName: 's',
        StartTime: new Date(Date.UTC(2026, 10, 27, 6, 0, 0)),
        DesiredCapacity: 10,
      }),
    );
    const policy = new URLSearchParams(captured[0]!.body);
    const schedule = new URLSearchParams(captured[1]!.body);
    const client_ = '@aws-sdk/client-auto-scaling';
    expect(
      policy.get(
        'TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics.member.1.MetricStat.Metric.Dimensions.member.1.Value',
      ),
      changed(client_, 'nested structures and lists as A.B.member.N.C'),
    ).toBe('model-jobs');
    expect(
      [
        policy.get('TargetTrackingConfiguration.TargetValue'),
        policy.get('TargetTrackingConfiguration.DisableScaleIn'),
        policy.get(
          'TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics.member.1.ReturnData',
        ),
      ],
      changed(client_, 'numbers and booleans as text'),
    ).toEqual(['2.5', 'true', 'false']);
    expect(schedule.get('StartTime'), changed(client_, 'timestamps in ISO 8601')).toBe(
      '2026-11-27T06:00:00Z',
    );
  });

  it('STS speaks AWS Query: form-encoded Action and Version, SigV4 scope sts', async () => {
    captured.length = 0;
    const who = await new STSClient(config()).send(new GetCallerIdentityCommand({}));
    const req = captured[0]!;
    expect(who.Account, changed('@aws-sdk/client-sts', 'an XML GetCallerIdentityResult')).toBe(
      '123456789012',
    );
    expect(req.method, changed('@aws-sdk/client-sts', 'POST')).toBe('POST');
    expect(
      req.headers['content-type'],
      changed('@aws-sdk/client-sts', 'Content-Type application/x-www-form-urlencoded'),
    ).toBe('application/x-www-form-urlencoded');
    expect(
      req.body,
      changed('@aws-sdk/client-sts', 'Action=GetCallerIdentity&Version=2011-06-15'),
    ).toBe('Action=GetCallerIdentity&Version=2011-06-15');
    expect(
      req.headers.authorization,
      changed('@aws-sdk/client-sts', 'a SigV4 signature scoped to the sts service'),
    ).toMatch(/^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/us-east-1\/sts\/aws4_request/);
  });
});

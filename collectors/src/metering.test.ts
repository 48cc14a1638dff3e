import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { STSClient } from '@aws-sdk/client-sts';
import { openStore, type ResolvedContext, type Store } from '@ballast/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients, MAX_ATTEMPTS } from './clients.js';
import { listPriceUsd, Meter } from './metering.js';

let store: Store;
const NOW = Date.UTC(2025, 10, 28, 12, 0);

beforeEach(() => {
  store = openStore(mkdtempSync(join(tmpdir(), 'ballast-meter-')));
});
afterEach(() => store.close());

/** A transport that answers each request with the next canned response (AWS JSON 1.0). */
function cannedTransport(
  responses: { status: number; body: object; headers?: Record<string, string> }[],
) {
  const seen: { target: string | undefined }[] = [];
  return {
    seen,
    handler: {
      handle: async (request: { headers: Record<string, string> }) => {
        seen.push({ target: request.headers['x-amz-target'] });
        const next = responses.shift();
        if (!next) throw new Error('no more canned responses');
        return {
          response: {
            statusCode: next.status,
            headers: { 'content-type': 'application/x-amz-json-1.0', ...next.headers },
            body: Readable.from([Buffer.from(JSON.stringify(next.body))]),
          },
        };
      },
    },
  };
}

function meteredCloudWatch(transport: ReturnType<typeof cannedTransport>) {
  const client = new CloudWatchClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:4566',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 3,
    requestHandler: transport.handler,
  });
  new Meter(store, 'sandbox', () => NOW).attach(client, 'cloudwatch');
  return client;
}

const queries = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    Id: `q${i}`,
    MetricStat: {
      Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization' },
      Period: 60,
      Stat: 'Average',
    },
  }));

describe('Meter', () => {
  it('given a GetMetricData call for 300 metrics, then one ledger row with the metrics and their list price', async () => {
    const client = meteredCloudWatch(
      cannedTransport([{ status: 200, body: { MetricDataResults: [] } }]),
    );
    await client.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries(300),
        StartTime: new Date(NOW - 3_600_000),
        EndTime: new Date(NOW),
      }),
    );

    expect(store.callLedger({ context: 'sandbox' })).toEqual({
      rows: [
        {
          service: 'cloudwatch',
          operation: 'GetMetricData',
          requests: 1,
          metrics: 300,
          pages: 0,
          priceUsd: 0.003,
          errors: 0,
        },
      ],
      totals: { requests: 1, metrics: 300, pages: 0, priceUsd: 0.003, errors: 0 },
    });
  });

  it('given an attempt that fails and is retried, then each HTTP attempt is a row and only the success is priced', async () => {
    const transport = cannedTransport([
      {
        status: 500,
        body: { __type: 'InternalServiceError', message: 'oops' },
        headers: { 'x-amzn-query-error': 'InternalServiceError;Receiver' },
      },
      { status: 200, body: { MetricDataResults: [], NextToken: 'p2' } },
    ]);
    const client = meteredCloudWatch(transport);
    await client.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries(10),
        StartTime: new Date(NOW - 3_600_000),
        EndTime: new Date(NOW),
        NextToken: 'p1',
      }),
    );

    expect(transport.seen).toEqual([
      { target: 'GraniteServiceVersion20100801.GetMetricData' },
      { target: 'GraniteServiceVersion20100801.GetMetricData' },
    ]);
    expect(store.callLedger().rows).toEqual([
      {
        service: 'cloudwatch',
        operation: 'GetMetricData',
        requests: 2,
        metrics: 20,
        pages: 2,
        priceUsd: 0.0001,
        errors: 1,
      },
    ]);
  });

  it('given a call that fails for good, then its attempts are recorded as errors and the error still reaches the caller', async () => {
    const denied = {
      status: 400,
      body: { __type: 'AccessDenied', message: 'not authorized' },
      headers: { 'x-amzn-query-error': 'AccessDenied;Sender' },
    };
    const client = meteredCloudWatch(cannedTransport([denied]));
    await expect(client.send(new DescribeAlarmsCommand({}))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    expect(store.callLedger().rows).toEqual([
      {
        service: 'cloudwatch',
        operation: 'DescribeAlarms',
        requests: 1,
        metrics: 0,
        pages: 0,
        priceUsd: 0,
        errors: 1,
      },
    ]);
  });
});

describe('Meter on Cost Explorer', () => {
  it('given a second page of GetCostAndUsage, then a request and a page at $0.01', async () => {
    const transport = cannedTransport([{ status: 200, body: { ResultsByTime: [] } }]);
    const client = new CostExplorerClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4566',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: transport.handler,
    });
    new Meter(store, 'sandbox', () => NOW).attach(client, 'costexplorer');
    await client.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2025-11-01', End: '2025-11-29' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        NextPageToken: 'p2',
      }),
    );
    expect(transport.seen).toEqual([{ target: 'AWSInsightsIndexService.GetCostAndUsage' }]);
    expect(store.callLedger().rows).toEqual([
      {
        service: 'costexplorer',
        operation: 'GetCostAndUsage',
        requests: 1,
        metrics: 0,
        pages: 1,
        priceUsd: 0.01,
        errors: 0,
      },
    ]);
  });
});

describe('listPriceUsd', () => {
  it.each([
    ['cloudwatch', 'GetMetricData', 1_000, 0.01],
    ['cloudwatch', 'GetMetricData', 87, 0.00087],
    ['cloudwatch', 'DescribeAlarms', 0, 0],
    ['autoscaling', 'DescribeAutoScalingGroups', 0, 0],
    ['costexplorer', 'GetCostAndUsage', 0, 0.01],
    ['costexplorer', 'GetAnomalies', 0, 0.01],
    ['autoscaling', 'PutScalingPolicy', 0, 0],
    ['sts', 'GetCallerIdentity', 0, 0],
  ] as const)('given %s %s for %d metrics, then $%d', (service, operation, metrics, price) => {
    expect(listPriceUsd(service, operation, metrics)).toBeCloseTo(price, 10);
  });
});

describe('createAwsClients', () => {
  const sandbox: ResolvedContext = {
    name: 'sandbox',
    region: 'us-east-1',
    endpointUrl: 'http://127.0.0.1:4566',
    platformConfig: '/dev/null',
    dummyCredentials: true,
    source: 'default',
  };

  it('given the sandbox context, then clients use its endpoint, region, dummy credentials and few attempts', async () => {
    const clients = createAwsClients(sandbox, new Meter(store, 'sandbox', () => NOW));
    const { cloudwatch, autoscaling, sts } = clients;
    expect(cloudwatch).toBeInstanceOf(CloudWatchClient);
    expect(autoscaling).toBeInstanceOf(AutoScalingClient);
    expect(sts).toBeInstanceOf(STSClient);
    for (const client of [cloudwatch, autoscaling, sts]) {
      expect(await client.config.region()).toBe('us-east-1');
      expect(await client.config.maxAttempts()).toBe(MAX_ATTEMPTS);
      expect(await client.config.credentials()).toMatchObject({
        accessKeyId: 'test',
        secretAccessKey: 'test',
      });
      const endpoint = await client.config.endpoint?.();
      expect(endpoint && `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`).toBe(
        'http://127.0.0.1:4566',
      );
      expect(client.middlewareStack.identify()).toContain('ballastCallMeter - deserialize');
    }
    // the sandbox endpoint serves every namespace: no second CloudWatch client
    expect(clients.cloudwatchUsEast1).toBe(cloudwatch);
  });

  it('given the same context and meter twice, then the same clients are returned; another meter gets its own', () => {
    const meter = new Meter(store, 'sandbox', () => NOW);
    const first = createAwsClients(sandbox, meter);
    expect(createAwsClients({ ...sandbox, source: 'flag' }, meter)).toBe(first);
    expect(createAwsClients({ ...sandbox, region: 'eu-west-1' }, meter)).not.toBe(first);
    expect(createAwsClients(sandbox, new Meter(store, 'sandbox', () => NOW))).not.toBe(first);
  });

  it('given a context in eu-west-1, then Cost Explorer is still asked in us-east-1, and metered', async () => {
    const { costExplorer } = createAwsClients(
      { ...sandbox, region: 'eu-west-1' },
      new Meter(store, 'sandbox', () => NOW),
    );
    expect(await costExplorer.config.region()).toBe('us-east-1');
    expect(costExplorer.middlewareStack.identify()).toContain('ballastCallMeter - deserialize');
  });

  it('given a profile and no endpoint, then the clients read that profile and use the AWS endpoints', async () => {
    const { cloudwatch, cloudwatchUsEast1 } = createAwsClients(
      {
        name: 'prod',
        region: 'eu-west-1',
        profile: 'store-prod',
        platformConfig: '/dev/null',
        source: 'flag',
      },
      new Meter(store, 'prod', () => NOW),
    );
    expect(cloudwatch.config.profile).toBe('store-prod');
    expect(cloudwatch.config.endpoint).toBeUndefined();
    // CloudFront and Route 53 metrics exist only in us-east-1
    expect(await cloudwatchUsEast1?.config.region()).toBe('us-east-1');
    expect(cloudwatchUsEast1?.config.profile).toBe('store-prod');
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlatformConfig } from '../config/platform-config.js';
import { MetricQuerySchema } from '../model/health.js';
import { healthQueries, periodFor, queryId, tierQueries } from './catalog.js';

const config = parsePlatformConfig(
  readFileSync(new URL('../../platforms/sandbox.yaml', import.meta.url), 'utf8'),
  'sandbox.yaml',
);
const queries = healthQueries(config, { periodSeconds: 60 });
const find = (namespace: string, metricName: string, stat: string) =>
  queries.filter(
    (q) => q.namespace === namespace && q.metricName === metricName && q.stat === stat,
  );

describe('healthQueries for the reference platform', () => {
  it('then every query is a valid CloudWatch query with a unique id', () => {
    for (const q of queries) expect(MetricQuerySchema.parse(q)).toEqual(q);
    expect(new Set(queries.map((q) => q.id)).size).toBe(queries.length);
    expect(queries.length).toBeLessThanOrEqual(500); // one GetMetricData call for the whole store
  });

  it('then the same config yields the same ids (history lines up across runs)', () => {
    expect(healthQueries(config, { periodSeconds: 60 }).map((q) => q.id)).toEqual(
      queries.map((q) => q.id),
    );
  });

  it.each([
    // namespace, metric, stat, unit, dimensions as AWS publishes them
    [
      'AWS/ApplicationELB',
      'RequestCount',
      'Sum',
      'Count',
      { LoadBalancer: 'app/store-alb/50dc6c495c0c9188' },
    ],
    [
      'AWS/ApplicationELB',
      'HTTPCode_Target_5XX_Count',
      'Sum',
      'Count',
      { LoadBalancer: 'app/store-alb/50dc6c495c0c9188' },
    ],
    [
      'AWS/ApplicationELB',
      'HTTPCode_ELB_5XX_Count',
      'Sum',
      'Count',
      { LoadBalancer: 'app/store-alb/50dc6c495c0c9188' },
    ],
    [
      'AWS/ApplicationELB',
      'TargetResponseTime',
      'p99',
      'Seconds',
      {
        LoadBalancer: 'app/store-alb/50dc6c495c0c9188',
        TargetGroup: 'targetgroup/store-web/73e2d6bc24d8a067',
      },
    ],
    ['AWS/EC2', 'CPUUtilization', 'Average', 'Percent', { AutoScalingGroupName: 'store-web' }],
    [
      'AWS/AutoScaling',
      'GroupInServiceInstances',
      'Average',
      'None',
      { AutoScalingGroupName: 'store-workers' },
    ],
    ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'Maximum', 'Seconds', { QueueName: 'model-jobs' }],
    ['AWS/SQS', 'NumberOfMessagesDeleted', 'Sum', 'Count', { QueueName: 'model-jobs' }],
    ['AWS/Lambda', 'Duration', 'p99', 'Milliseconds', { FunctionName: 'thumbnailer' }],
    ['AWS/RDS', 'ReadLatency', 'Average', 'Seconds', { DBInstanceIdentifier: 'store-db' }],
    ['AWS/DynamoDB', 'ConsumedReadCapacityUnits', 'Sum', 'Count', { TableName: 'sessions' }],
    [
      'AWS/DynamoDB',
      'ThrottledRequests',
      'Sum',
      'Count',
      { TableName: 'carts', Operation: 'PutItem' },
    ],
    [
      'AWS/DynamoDB',
      'SuccessfulRequestLatency',
      'SampleCount',
      'Milliseconds',
      { TableName: 'carts', Operation: 'GetItem' },
    ],
    [
      'AWS/ElastiCache',
      'EngineCPUUtilization',
      'Average',
      'Percent',
      { CacheClusterId: 'store-cache-001' },
    ],
    [
      'AWS/CloudFront',
      '5xxErrorRate',
      'Average',
      'Percent',
      { DistributionId: 'E2BALLAST3DCDN', Region: 'Global' },
    ],
    [
      'AWS/CloudFront',
      'OriginLatency',
      'p90',
      'Milliseconds',
      { DistributionId: 'E2BALLAST3DCDN', Region: 'Global' },
    ],
    [
      'AWS/Route53',
      'HealthCheckStatus',
      'Minimum',
      'None',
      { HealthCheckId: '3f1c0b8e-7a2d-4c55-9e1b-5d6f7a8b9c01' },
    ],
    [
      'AWS/S3',
      'AllRequests',
      'Sum',
      'Count',
      { BucketName: 'store-3d-models', FilterId: 'EntireBucket' },
    ],
  ])('then it asks for %s %s %s in %s by %j', (namespace, metricName, stat, unit, dims) => {
    const matching = find(namespace, metricName, stat).filter(
      (q) =>
        JSON.stringify(Object.fromEntries(q.dimensions.map((d) => [d.name, d.value]))) ===
        JSON.stringify(dims),
    );
    expect(matching).toHaveLength(1);
    expect(matching[0]).toMatchObject({ unit, periodSeconds: 60 });
  });

  it('then a query id reads as what it measures', () => {
    expect(find('AWS/CloudFront', '5xxErrorRate', 'Average')[0]?.id).toMatch(
      /^cloudfront_5xxerrorrate_average_60_[0-9a-f]{8}$/,
    );
    expect(find('AWS/EC2', 'CPUUtilization', 'Average').map((q) => q.label)).toEqual([
      'store-web CPUUtilization Average',
      'store-workers CPUUtilization Average',
    ]);
  });

  it('given a resource listed in two tiers, then it is queried once', () => {
    const web = config.tiers.find((t) => t.id === 'web');
    const doubled = { ...config, tiers: [...config.tiers, { ...web!, id: 'web-again' }] };
    expect(healthQueries(doubled, { periodSeconds: 60 })).toHaveLength(queries.length);
  });

  it('given a different period, then ids differ so resolutions are stored apart', () => {
    const web = config.tiers.find((t) => t.id === 'web')!;
    const at60 = tierQueries(web, { periodSeconds: 60 }).map((p) => p.query.id);
    const at300 = tierQueries(web, { periodSeconds: 300 }).map((p) => p.query.id);
    expect(at60.filter((id) => at300.includes(id))).toEqual([]);
  });
});

describe('queryId', () => {
  it('given the same dimensions in another order, then the id is the same', () => {
    const a = {
      namespace: 'AWS/X',
      metricName: 'M',
      stat: 'Sum',
      dimensions: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
    };
    expect(queryId(a, 60)).toBe(queryId({ ...a, dimensions: [...a.dimensions].reverse() }, 60));
    expect(queryId(a, 60)).not.toBe(
      queryId(
        {
          ...a,
          dimensions: [
            { name: 'A', value: '2' },
            { name: 'B', value: '1' },
          ],
        },
        60,
      ),
    );
  });
});

describe('periodFor', () => {
  it.each([
    ['15m', 900_000, 60],
    ['24h', 86_400_000, 60],
    ['2d', 172_800_000, 300],
    ['7d', 604_800_000, 300],
    ['14d', 1_209_600_000, 900],
    ['30d', 2_592_000_000, 3_600],
  ])('given a %s window, then %d s periods', (_label, windowMs, period) => {
    expect(periodFor(windowMs)).toBe(period);
  });
});

// The metric catalog: for each resource type, the CloudWatch metrics worth collecting,
// with namespace, name, dimensions, statistic and unit exactly as AWS publishes them.
// Metrics that an account does not publish (S3 request metrics without a filter,
// CloudFront OriginLatency without additional metrics) simply come back empty: no data,
// not an error.
import type { Dimension, MetricQuery } from '../model/health.js';
import type { PlatformConfig, Resource, ResourceType, Tier } from '../model/platform.js';
import { fnv1a32 } from '../hash.js';
import { resourceLabel } from './resources.js';

export interface MetricSpec {
  /** what the metric is for, referenced by the signal recipes (see signals.ts) */
  role: string;
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  stat: string;
  /** the CloudWatch unit AWS publishes this metric in */
  unit: string;
  /** extra qualifier for the label, e.g. the DynamoDB operation */
  qualifier?: string;
}

/** Namespaces CloudWatch keeps in us-east-1 only, whatever the region of the platform. */
export const US_EAST_1_NAMESPACES: readonly string[] = ['AWS/CloudFront', 'AWS/Route53'];

/** DynamoDB publishes request metrics per API operation; these are the ones a store uses. */
export const DYNAMODB_OPERATIONS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
] as const;

type Spec = Omit<MetricSpec, 'dimensions'> & { dimensions?: Dimension[] };

const dim = (name: string, value: string): Dimension => ({ name, value });

function specs(
  namespace: string,
  dimensions: Dimension[],
  list: Omit<Spec, 'namespace'>[],
): MetricSpec[] {
  return list.map((s) => ({ ...s, namespace, dimensions: s.dimensions ?? dimensions }));
}

const catalog: { [T in ResourceType]: (resource: Extract<Resource, { type: T }>) => MetricSpec[] } =
  {
    // Route 53 and CloudFront publish only in us-east-1 (see US_EAST_1_NAMESPACES).
    'route53-health-check': (r) =>
      specs(
        'AWS/Route53',
        [dim('HealthCheckId', r.id)],
        [
          { role: 'healthStatus', metricName: 'HealthCheckStatus', stat: 'Minimum', unit: 'None' },
          {
            role: 'percentHealthy',
            metricName: 'HealthCheckPercentageHealthy',
            stat: 'Average',
            unit: 'Percent',
          },
        ],
      ),
    'cloudfront-distribution': (r) =>
      specs(
        'AWS/CloudFront',
        [dim('DistributionId', r.id), dim('Region', 'Global')],
        [
          { role: 'requests', metricName: 'Requests', stat: 'Sum', unit: 'None' },
          { role: 'bytesDownloaded', metricName: 'BytesDownloaded', stat: 'Sum', unit: 'None' },
          { role: 'errorRate4xx', metricName: '4xxErrorRate', stat: 'Average', unit: 'Percent' },
          { role: 'errorRate5xx', metricName: '5xxErrorRate', stat: 'Average', unit: 'Percent' },
          {
            role: 'totalErrorRate',
            metricName: 'TotalErrorRate',
            stat: 'Average',
            unit: 'Percent',
          },
          {
            role: 'originLatencyP90',
            metricName: 'OriginLatency',
            stat: 'p90',
            unit: 'Milliseconds',
          },
        ],
      ),
    's3-bucket': (r) =>
      specs(
        'AWS/S3',
        [dim('BucketName', r.name), dim('FilterId', 'EntireBucket')],
        [
          { role: 'allRequests', metricName: 'AllRequests', stat: 'Sum', unit: 'Count' },
          { role: 'getRequests', metricName: 'GetRequests', stat: 'Sum', unit: 'Count' },
          { role: 'errors4xx', metricName: '4xxErrors', stat: 'Sum', unit: 'Count' },
          { role: 'errors5xx', metricName: '5xxErrors', stat: 'Sum', unit: 'Count' },
          {
            role: 'firstByteLatencyP90',
            metricName: 'FirstByteLatency',
            stat: 'p90',
            unit: 'Milliseconds',
          },
          { role: 'bytesDownloaded', metricName: 'BytesDownloaded', stat: 'Sum', unit: 'Bytes' },
        ],
      ),
    alb: (r) => {
      const lb = [dim('LoadBalancer', r.loadBalancer)];
      const lbTg = [dim('LoadBalancer', r.loadBalancer), dim('TargetGroup', r.targetGroup)];
      return specs('AWS/ApplicationELB', lb, [
        { role: 'requests', metricName: 'RequestCount', stat: 'Sum', unit: 'Count' },
        { role: 'target5xx', metricName: 'HTTPCode_Target_5XX_Count', stat: 'Sum', unit: 'Count' },
        { role: 'elb5xx', metricName: 'HTTPCode_ELB_5XX_Count', stat: 'Sum', unit: 'Count' },
        { role: 'target4xx', metricName: 'HTTPCode_Target_4XX_Count', stat: 'Sum', unit: 'Count' },
        {
          role: 'responseTimeP99',
          metricName: 'TargetResponseTime',
          stat: 'p99',
          unit: 'Seconds',
          dimensions: lbTg,
        },
        {
          role: 'responseTimeP90',
          metricName: 'TargetResponseTime',
          stat: 'p90',
          unit: 'Seconds',
          dimensions: lbTg,
        },
        {
          role: 'responseTimeP50',
          metricName: 'TargetResponseTime',
          stat: 'p50',
          unit: 'Seconds',
          dimensions: lbTg,
        },
        {
          role: 'healthyHosts',
          metricName: 'HealthyHostCount',
          stat: 'Minimum',
          unit: 'Count',
          dimensions: lbTg,
        },
        {
          role: 'unhealthyHosts',
          metricName: 'UnHealthyHostCount',
          stat: 'Maximum',
          unit: 'Count',
          dimensions: lbTg,
        },
      ]);
    },
    asg: (r) => [
      ...specs(
        'AWS/EC2',
        [dim('AutoScalingGroupName', r.name)],
        [
          { role: 'cpuAverage', metricName: 'CPUUtilization', stat: 'Average', unit: 'Percent' },
          { role: 'cpuMaximum', metricName: 'CPUUtilization', stat: 'Maximum', unit: 'Percent' },
        ],
      ),
      // Group metrics exist only when metrics collection is enabled on the group. Desired
      // and max are in capacity units (instances, unless the group weights instance types),
      // as GroupInServiceCapacity is; GroupInServiceInstances stands in where only the
      // instance metrics are enabled. AWS publishes none per purchase option: the
      // on-demand/spot split comes from the group's instances distribution.
      ...specs(
        'AWS/AutoScaling',
        [dim('AutoScalingGroupName', r.name)],
        [
          { role: 'desired', metricName: 'GroupDesiredCapacity', stat: 'Average', unit: 'None' },
          {
            role: 'inServiceCapacity',
            metricName: 'GroupInServiceCapacity',
            stat: 'Average',
            unit: 'None',
          },
          {
            role: 'inService',
            metricName: 'GroupInServiceInstances',
            stat: 'Average',
            unit: 'None',
          },
          { role: 'maxSize', metricName: 'GroupMaxSize', stat: 'Maximum', unit: 'None' },
        ],
      ),
      // Not AWS's: the count a team publishes from spot interruption warnings, when named.
      ...(r.spotInterruptions
        ? specs(
            r.spotInterruptions.namespace,
            [dim('AutoScalingGroupName', r.name)],
            [
              {
                role: 'spotInterruptions',
                metricName: r.spotInterruptions.metricName,
                stat: 'Sum',
                unit: 'Count',
              },
            ],
          )
        : []),
    ],
    'sqs-queue': (r) =>
      specs(
        'AWS/SQS',
        [dim('QueueName', r.name)],
        [
          {
            role: 'visible',
            metricName: 'ApproximateNumberOfMessagesVisible',
            stat: 'Maximum',
            unit: 'Count',
          },
          {
            role: 'oldestAge',
            metricName: 'ApproximateAgeOfOldestMessage',
            stat: 'Maximum',
            unit: 'Seconds',
          },
          { role: 'sent', metricName: 'NumberOfMessagesSent', stat: 'Sum', unit: 'Count' },
          { role: 'deleted', metricName: 'NumberOfMessagesDeleted', stat: 'Sum', unit: 'Count' },
        ],
      ),
    'lambda-function': (r) =>
      specs(
        'AWS/Lambda',
        [dim('FunctionName', r.name)],
        [
          { role: 'invocations', metricName: 'Invocations', stat: 'Sum', unit: 'Count' },
          { role: 'errors', metricName: 'Errors', stat: 'Sum', unit: 'Count' },
          { role: 'throttles', metricName: 'Throttles', stat: 'Sum', unit: 'Count' },
          { role: 'durationP99', metricName: 'Duration', stat: 'p99', unit: 'Milliseconds' },
          {
            role: 'concurrency',
            metricName: 'ConcurrentExecutions',
            stat: 'Maximum',
            unit: 'Count',
          },
        ],
      ),
    'rds-instance': (r) =>
      specs(
        'AWS/RDS',
        [dim('DBInstanceIdentifier', r.id)],
        [
          { role: 'cpu', metricName: 'CPUUtilization', stat: 'Average', unit: 'Percent' },
          {
            role: 'connections',
            metricName: 'DatabaseConnections',
            stat: 'Average',
            unit: 'Count',
          },
          { role: 'readLatency', metricName: 'ReadLatency', stat: 'Average', unit: 'Seconds' },
          { role: 'writeLatency', metricName: 'WriteLatency', stat: 'Average', unit: 'Seconds' },
        ],
      ),
    'dynamodb-table': (r) => {
      const table = [dim('TableName', r.name)];
      return [
        ...specs('AWS/DynamoDB', table, [
          {
            role: 'consumedRead',
            metricName: 'ConsumedReadCapacityUnits',
            stat: 'Sum',
            unit: 'Count',
          },
          {
            role: 'consumedWrite',
            metricName: 'ConsumedWriteCapacityUnits',
            stat: 'Sum',
            unit: 'Count',
          },
          { role: 'readThrottles', metricName: 'ReadThrottleEvents', stat: 'Sum', unit: 'Count' },
          { role: 'writeThrottles', metricName: 'WriteThrottleEvents', stat: 'Sum', unit: 'Count' },
        ]),
        // Request counts and throttles are published per (TableName, Operation) only.
        ...DYNAMODB_OPERATIONS.flatMap((operation) =>
          specs(
            'AWS/DynamoDB',
            [...table, dim('Operation', operation)],
            [
              {
                role: 'throttled',
                metricName: 'ThrottledRequests',
                stat: 'Sum',
                unit: 'Count',
                qualifier: operation,
              },
              // SampleCount of the latency = number of successful requests.
              {
                role: 'succeeded',
                metricName: 'SuccessfulRequestLatency',
                stat: 'SampleCount',
                unit: 'Milliseconds',
                qualifier: operation,
              },
              {
                role: 'latency',
                metricName: 'SuccessfulRequestLatency',
                stat: 'Average',
                unit: 'Milliseconds',
                qualifier: operation,
              },
            ],
          ),
        ),
      ];
    },
    'elasticache-cluster': (r) =>
      specs(
        'AWS/ElastiCache',
        [dim('CacheClusterId', r.id)],
        [
          { role: 'cpu', metricName: 'CPUUtilization', stat: 'Average', unit: 'Percent' },
          {
            role: 'engineCpu',
            metricName: 'EngineCPUUtilization',
            stat: 'Average',
            unit: 'Percent',
          },
          { role: 'hits', metricName: 'CacheHits', stat: 'Sum', unit: 'Count' },
          { role: 'misses', metricName: 'CacheMisses', stat: 'Sum', unit: 'Count' },
          { role: 'connections', metricName: 'CurrConnections', stat: 'Average', unit: 'Count' },
        ],
      ),
  };

export function metricsForResource(resource: Resource): MetricSpec[] {
  return (catalog[resource.type] as (r: Resource) => MetricSpec[])(resource);
}

/** One resource of each type, to read the catalog's metrics without a platform config. */
const ONE_OF_EACH: { [T in ResourceType]: Extract<Resource, { type: T }> } = {
  'route53-health-check': { type: 'route53-health-check', id: '-' },
  'cloudfront-distribution': { type: 'cloudfront-distribution', id: '-' },
  's3-bucket': { type: 's3-bucket', name: '-' },
  alb: { type: 'alb', loadBalancer: '-', targetGroup: '-' },
  asg: { type: 'asg', name: '-' },
  'sqs-queue': { type: 'sqs-queue', name: '-' },
  'lambda-function': { type: 'lambda-function', name: '-' },
  'rds-instance': { type: 'rds-instance', id: '-' },
  'dynamodb-table': { type: 'dynamodb-table', name: '-' },
  'elasticache-cluster': { type: 'elasticache-cluster', id: '-' },
};
let units: Map<string, string> | undefined;

/**
 * The unit AWS publishes a metric of the catalog in ("Percent" for AWS/EC2 CPUUtilization),
 * e.g. to say what an alarm's threshold is in; undefined for metrics outside the catalog.
 */
export function metricUnit(namespace: string, metricName: string): string | undefined {
  units ??= new Map(
    Object.values(ONE_OF_EACH).flatMap((resource) =>
      metricsForResource(resource).map((spec) => [
        `${spec.namespace} ${spec.metricName}`,
        spec.unit,
      ]),
    ),
  );
  return units.get(`${namespace} ${metricName}`);
}

/** A metric query of one tier, with the resource and catalog entry it came from. */
export interface PlannedQuery {
  resource: Resource;
  spec: MetricSpec;
  query: MetricQuery;
}

export function tierQueries(tier: Tier, opts: { periodSeconds: number }): PlannedQuery[] {
  return tier.resources.flatMap((resource) =>
    metricsForResource(resource).map((spec) => ({
      resource,
      spec,
      query: toQuery(resource, spec, opts.periodSeconds),
    })),
  );
}

/** Every metric query for the platform's health, deduplicated (a resource may sit in two tiers). */
export function healthQueries(
  config: PlatformConfig,
  opts: { periodSeconds: number },
): MetricQuery[] {
  const byId = new Map<string, MetricQuery>();
  for (const tier of config.tiers)
    for (const { query } of tierQueries(tier, opts)) byId.set(query.id, query);
  return [...byId.values()];
}

/**
 * The datapoint period for a window: minutely up to a day, then coarser so a chart keeps
 * a few hundred to ~2,000 points and CloudWatch still retains that resolution
 * (1-minute data is kept 15 days, 5-minute 63 days, 1-hour 455 days).
 */
export function periodFor(windowMs: number): number {
  const hour = 3_600_000;
  if (windowMs <= 24 * hour) return 60;
  if (windowMs <= 7 * 24 * hour) return 300;
  if (windowMs <= 15 * 24 * hour) return 900;
  return 3_600;
}

/**
 * A readable, stable query id: `applicationelb_requestcount_sum_60_1a2b3c4d`. The hash
 * covers namespace, metric, dimensions and statistic, so the same metric of the same
 * resource gets the same id in every config and its stored history lines up.
 */
export function queryId(
  spec: Pick<MetricSpec, 'namespace' | 'metricName' | 'dimensions' | 'stat'>,
  periodSeconds: number,
): string {
  const dims = [...spec.dimensions]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((d) => `${d.name}=${d.value}`)
    .join(',');
  const hash = fnv1a32(`${spec.namespace}|${spec.metricName}|${dims}|${spec.stat}`)
    .toString(16)
    .padStart(8, '0');
  const readable =
    `${spec.namespace.replace(/^AWS\//, '')}_${spec.metricName}_${spec.stat}_${periodSeconds}`
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_');
  // Namespaces start with a letter, as CloudWatch requires of an id.
  return `${readable}_${hash}`;
}

function toQuery(resource: Resource, spec: MetricSpec, periodSeconds: number): MetricQuery {
  const name = [resourceLabel(resource), spec.qualifier].filter(Boolean).join(' ');
  return {
    id: queryId(spec, periodSeconds),
    namespace: spec.namespace,
    metricName: spec.metricName,
    dimensions: spec.dimensions,
    stat: spec.stat,
    periodSeconds,
    label: `${name} ${spec.metricName} ${spec.stat}`,
    unit: spec.unit,
  };
}

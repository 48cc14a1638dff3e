// The one table of AWS list prices that Ballast uses: the sandbox's bill, the spot-savings
// fallback, the what-if costs of changes and the cost estimate of a load test all read it.
// Public prices for us-east-1 (US East, N. Virginia), On-Demand, Linux, in USD, as AWS's
// pricing pages showed them on PRICES_READ_ON. No free tier, credits, Reserved Instances or
// Savings Plans. Tiered prices are [up to this much in the month, USD per unit] pairs,
// cumulative per month.

export const PRICES_READ_ON = '2026-12-01';

export type Tiers = readonly (readonly [upTo: number, usd: number])[];

const TB = 1024; // pricing tiers count GB

/**
 * CloudFront's pricing regions, by the code its usage types carry (US-DataTransfer-Out-Bytes):
 * US United States, Mexico and Canada; EU Europe and Israel; ZA South Africa, Kenya, Nigeria
 * and the Middle East (ME); SA South America; JP Japan; AU Australia and New Zealand; AP the
 * rest of Asia Pacific; IN India.
 */
export type CloudFrontRegion = 'US' | 'EU' | 'ZA' | 'ME' | 'SA' | 'JP' | 'AU' | 'AP' | 'IN';

/** CloudFront data out to viewers in North America and Europe, per GB, by monthly volume. */
const CLOUDFRONT_US_EU_GB: Tiers = [
  [10 * TB, 0.085],
  [50 * TB, 0.08],
  [150 * TB, 0.06],
  [500 * TB, 0.04],
  [1024 * TB, 0.03],
  [5 * 1024 * TB, 0.025],
  [Infinity, 0.02],
];

/** The first 10 TB of a month; larger volumes are cheaper, so this is an upper bound. */
const firstTier = (usd: number): Tiers => [[Infinity, usd]];

export const PRICES = {
  /** EC2 On-Demand Linux, per instance-hour (aws.amazon.com/ec2/pricing/on-demand) */
  ec2Hourly: {
    't3.medium': 0.0416,
    't3.large': 0.0832,
    't3.xlarge': 0.1664,
    'm5.large': 0.096,
    'm5.xlarge': 0.192,
    'm5.2xlarge': 0.384,
    'm6i.large': 0.096,
    'm6i.xlarge': 0.192,
    'm6i.2xlarge': 0.384,
    'm6a.large': 0.0864,
    'm6a.xlarge': 0.1728,
    'm7i.large': 0.1008,
    'm7i.xlarge': 0.2016,
    'c5.large': 0.085,
    'c5.xlarge': 0.17,
    'c5.2xlarge': 0.34,
    'c6i.large': 0.085,
    'c6i.xlarge': 0.17,
    'c6i.2xlarge': 0.34,
    'c6a.large': 0.0765,
    'c6a.xlarge': 0.153,
    'c7i.large': 0.08925,
    'c7i.xlarge': 0.1785,
    'r5.large': 0.126,
    'r5.xlarge': 0.252,
    'r6i.large': 0.126,
    'r6i.xlarge': 0.252,
    'g5.xlarge': 1.006,
    'g5.12xlarge': 5.672,
  } as Readonly<Record<string, number>>,
  /**
   * EC2 Spot: the discount from On-Demand that the Spot pricing history showed for each pool
   * in us-east-1 (aws.amazon.com/ec2/spot/pricing); it wanders day by day.
   */
  spotDiscount: {
    'm5.large': 0.6,
    'm6i.large': 0.62,
    'm6a.large': 0.58,
    'c5.xlarge': 0.62,
    'c6i.xlarge': 0.64,
    'c6a.xlarge': 0.6,
  } as Readonly<Record<string, number>>,
  /** EBS (aws.amazon.com/ebs/pricing): gp3 storage and standard snapshots, per GB-month */
  ebsGp3GbMonth: 0.08,
  ebsSnapshotGbMonth: 0.05,
  /** VPC (aws.amazon.com/vpc/pricing): NAT gateway hour and GB processed; public IPv4 hour */
  natGatewayHour: 0.045,
  natGatewayGb: 0.045,
  publicIpv4Hour: 0.005,
  /** EC2 data transfer out to the internet, per GB, by monthly volume; across AZs, per GB each way */
  dataTransferOutGb: [
    [10 * TB, 0.09],
    [50 * TB, 0.085],
    [150 * TB, 0.07],
    [Infinity, 0.05],
  ] as Tiers,
  dataTransferRegionalGb: 0.01,
  /**
   * Application Load Balancer (aws.amazon.com/elasticloadbalancing/pricing): hour and LCU-hour.
   * An LCU is the largest of: 25 new connections a second, 3,000 active connections a minute,
   * 1 GB processed an hour, 1,000 rule evaluations a second.
   */
  albHour: 0.0225,
  albLcuHour: 0.008,
  /** CloudFront (aws.amazon.com/cloudfront/pricing): data out to viewers, per GB, by region */
  cloudFrontOutGb: {
    US: CLOUDFRONT_US_EU_GB,
    EU: CLOUDFRONT_US_EU_GB,
    ZA: firstTier(0.11),
    ME: firstTier(0.11),
    SA: firstTier(0.11),
    JP: firstTier(0.114),
    AU: firstTier(0.114),
    AP: firstTier(0.12),
    IN: firstTier(0.109),
  } as Readonly<Record<CloudFrontRegion, Tiers>>,
  /** ... and HTTPS requests, per request (e.g. $0.0100 per 10,000 in the US) */
  cloudFrontHttpsRequest: {
    US: 0.01 / 10_000,
    EU: 0.012 / 10_000,
    ZA: 0.022 / 10_000,
    ME: 0.022 / 10_000,
    SA: 0.022 / 10_000,
    JP: 0.012 / 10_000,
    AU: 0.0125 / 10_000,
    AP: 0.012 / 10_000,
    IN: 0.012 / 10_000,
  } as Readonly<Record<CloudFrontRegion, number>>,
  /** S3 (aws.amazon.com/s3/pricing): storage per GB-month by class; requests */
  s3StandardGbMonth: [
    [50 * TB, 0.023],
    [500 * TB, 0.022],
    [Infinity, 0.021],
  ] as Tiers,
  s3StandardIaGbMonth: 0.0125,
  s3GlacierInstantGbMonth: 0.004,
  s3Tier1Request: 0.005 / 1000, // PUT, COPY, POST, LIST
  s3Tier2Request: 0.0004 / 1000, // GET and all other requests
  /** RDS for PostgreSQL (aws.amazon.com/rds/postgresql/pricing): instance-hour; gp3 GB-month */
  rdsHourly: {
    'Multi-AZ:db.r6g.xlarge': 0.898,
    'Single-AZ:db.t4g.medium': 0.065,
  } as Readonly<Record<string, number>>,
  rdsGp3GbMonth: { 'Multi-AZ': 0.23, 'Single-AZ': 0.115 } as Readonly<Record<string, number>>,
  /** DynamoDB on-demand (aws.amazon.com/dynamodb/pricing/on-demand): request units; storage */
  dynamoWriteRequestUnit: 0.625 / 1e6,
  dynamoReadRequestUnit: 0.125 / 1e6,
  dynamoGbMonth: 0.25,
  /** ElastiCache for Redis OSS (aws.amazon.com/elasticache/pricing): node-hour */
  elastiCacheNodeHourly: { 'cache.r6g.large': 0.206 } as Readonly<Record<string, number>>,
  /** Lambda x86 (aws.amazon.com/lambda/pricing): GB-second; request */
  lambdaGbSecond: 0.0000166667,
  lambdaRequest: 0.2 / 1e6,
  /** SQS standard queue (aws.amazon.com/sqs/pricing): request (64 KB chunk) */
  sqsRequest: 0.4 / 1e6,
  /** CloudWatch (aws.amazon.com/cloudwatch/pricing) */
  cloudWatchCustomMetricMonth: 0.3,
  cloudWatchAlarmMonth: 0.1,
  cloudWatchGetMetricDataMetric: 0.01 / 1000,
  cloudWatchApiRequest: 0.01 / 1000,
  cloudWatchLogsIngestedGb: 0.5,
  /** Cost Explorer API (aws.amazon.com/aws-cost-management/pricing): per request (each page) */
  costExplorerRequest: 0.01,
  /** Route 53 (aws.amazon.com/route53/pricing): hosted zone and health check per month; queries */
  route53HostedZoneMonth: 0.5,
  route53HealthCheckMonth: 0.5,
  route53Query: 0.4 / 1e6,
} as const;

/** The cost of `quantity` more units after `before` units this month, at tiered prices. */
export function tieredCost(tiers: Tiers, before: number, quantity: number): number {
  let cost = 0;
  let from = before;
  const to = before + quantity;
  let lower = 0;
  for (const [upTo, usd] of tiers) {
    if (to <= lower) break;
    const a = Math.max(from, lower);
    const b = Math.min(to, upTo);
    if (b > a) cost += (b - a) * usd;
    from = Math.max(from, b);
    lower = upTo;
  }
  return cost;
}

/** EC2 normalization factor of an instance size (for NormalizedUsageAmount). */
export function normalizationFactor(instanceType: string): number {
  const size = instanceType.slice(instanceType.lastIndexOf('.') + 1);
  const fixed: Record<string, number> = {
    nano: 0.25,
    micro: 0.5,
    small: 1,
    medium: 2,
    large: 4,
    xlarge: 8,
  };
  if (fixed[size] !== undefined) return fixed[size];
  const multiple = /^(\d+)xlarge$/.exec(size);
  return multiple ? 8 * Number(multiple[1]) : 1;
}

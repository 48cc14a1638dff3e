// The one price table of the billing ledger: AWS's public list prices for us-east-1 (US East,
// N. Virginia), On-Demand, Linux, in USD, as AWS's pricing pages showed them on PRICES_READ_ON.
// No free tier, credits, Reserved Instances or Savings Plans apply: the account pays list.
// Tiered prices are [up to this much in the month, USD per unit] pairs, cumulative per month.
import { hashUnit } from '../random.js';
import { DAY_MS } from '../time.js';

export const PRICES_READ_ON = '2026-12-01';

export type Tiers = readonly (readonly [upTo: number, usd: number])[];

const TB = 1024; // pricing tiers count GB

export const PRICES = {
  /** EC2 On-Demand Linux, per instance-hour (aws.amazon.com/ec2/pricing/on-demand) */
  ec2Hourly: {
    't3.large': 0.0832,
    'm5.large': 0.096,
    'm6i.large': 0.096,
    'm6a.large': 0.0864,
    'm6i.xlarge': 0.192,
    'c5.xlarge': 0.17,
    'c6i.xlarge': 0.17,
    'c6a.xlarge': 0.153,
    'g5.12xlarge': 5.672,
  } as Record<string, number>,
  /**
   * EC2 Spot: the discount from On-Demand that the Spot pricing history showed for each pool
   * in us-east-1 (aws.amazon.com/ec2/spot/pricing); it wanders day by day, see spotPrice.
   */
  spotDiscount: {
    'm5.large': 0.6,
    'm6i.large': 0.62,
    'm6a.large': 0.58,
    'c5.xlarge': 0.62,
    'c6i.xlarge': 0.64,
    'c6a.xlarge': 0.6,
  } as Record<string, number>,
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
  /** Application Load Balancer (aws.amazon.com/elasticloadbalancing/pricing): hour and LCU-hour */
  albHour: 0.0225,
  albLcuHour: 0.008,
  /** CloudFront (aws.amazon.com/cloudfront/pricing): data out to viewers in North America and Europe, per GB */
  cloudFrontOutGb: [
    [10 * TB, 0.085],
    [50 * TB, 0.08],
    [150 * TB, 0.06],
    [500 * TB, 0.04],
    [1024 * TB, 0.03],
    [5 * 1024 * TB, 0.025],
    [Infinity, 0.02],
  ] as Tiers,
  /** ... and HTTPS requests, per request ($0.0100 per 10,000 in the US, $0.0120 in Europe) */
  cloudFrontHttpsRequest: { US: 0.01 / 10_000, EU: 0.012 / 10_000 } as Record<string, number>,
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
  } as Record<string, number>,
  rdsGp3GbMonth: { 'Multi-AZ': 0.23, 'Single-AZ': 0.115 } as Record<string, number>,
  /** DynamoDB on-demand (aws.amazon.com/dynamodb/pricing/on-demand): request units; storage */
  dynamoWriteRequestUnit: 0.625 / 1e6,
  dynamoReadRequestUnit: 0.125 / 1e6,
  dynamoGbMonth: 0.25,
  /** ElastiCache for Redis OSS (aws.amazon.com/elasticache/pricing): node-hour */
  elastiCacheNodeHourly: { 'cache.r6g.large': 0.206 } as Record<string, number>,
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

/**
 * The Spot price of an instance type on a day (epoch day): On-Demand less the pool's discount,
 * which wanders with the pool's supply (a smooth seeded walk, ±6 points) and shrinks in the
 * holiday season when everyone scales out.
 */
export function spotPrice(seed: number, instanceType: string, day: number): number {
  const onDemand = PRICES.ec2Hourly[instanceType];
  const base = PRICES.spotDiscount[instanceType];
  if (onDemand === undefined || base === undefined)
    throw new Error(`no Spot price for ${instanceType}`);
  // Value noise: a random level every 5 days, eased between.
  const span = 5;
  const k = Math.floor(day / span);
  const f = (day - k * span) / span;
  const ease = f * f * (3 - 2 * f);
  const level = (i: number) => hashUnit(seed, 'spot', instanceType, i) * 2 - 1;
  const wander = level(k) + (level(k + 1) - level(k)) * ease;
  const month = new Date(day * DAY_MS).getUTCMonth();
  const holidays = month === 10 || month === 11 ? 0.07 : 0;
  const discount = Math.min(0.75, Math.max(0.4, base + 0.06 * wander - holidays));
  return onDemand * (1 - discount);
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

// Line items of the bill: each is one combination of what Cost Explorer can filter and group
// by (service, usage type, operation, region, Availability Zone, instance type, purchase
// option, cost-allocation tags) with its price. The ledger records a quantity per line per day.
import type { Tier } from '@ballast/core';
import type { Tiers } from './prices.js';

/** The cost-allocation tag keys, as activated in the account (see the platform config). */
export const COST_TAG_KEYS = ['env', 'team', 'tier'] as const;
export type CostTagKey = (typeof COST_TAG_KEYS)[number];
export type CostTags = Partial<Record<CostTagKey, string>>;

export type PurchaseType = 'On Demand Instances' | 'Spot Instances';

/** How a line's quantity turns into dollars. */
export type LinePrice =
  | { kind: 'flat'; usd: number }
  /** tiers count the month's volume of a pool shared by several lines (e.g. all CloudFront egress) */
  | { kind: 'tiered'; tiers: Tiers; pool: string }
  | { kind: 'spot'; instanceType: string };

export interface LineSpec {
  /** SERVICE as Cost Explorer spells it, e.g. "Amazon Elastic Compute Cloud - Compute" */
  service: string;
  /** USAGE_TYPE, e.g. "BoxUsage:m6i.large" (us-east-1 usage types of older services carry no prefix) */
  usageType: string;
  operation: string;
  /** REGION: "us-east-1", or "global" for CloudFront and Route 53 */
  region: string;
  /** unit of UsageQuantity: Hrs, GB, GB-Mo, Requests, LCU-Hrs, ... */
  unit: string;
  az?: string;
  instanceType?: string;
  purchaseType?: PurchaseType;
  platform?: string;
  databaseEngine?: string;
  cacheEngine?: string;
  usageTypeGroup?: string;
  tags: CostTags;
  price: LinePrice;
  /** NormalizedUsageAmount per unit of usage (instance hours); 1 by default */
  normalization?: number;
  /** the injected anomaly this line is, if any (kept apart from identical ordinary usage) */
  anomaly?: 'forgotten-instance' | 'hotlink';
}

export interface Line extends LineSpec {
  id: number;
}

/** The lines of a ledger, one per distinct spec. */
export class LineRegistry {
  readonly lines: Line[] = [];
  private readonly byKey = new Map<string, number>();

  /** The id of the line with this spec, registering it the first time. */
  id(spec: LineSpec): number {
    const key = JSON.stringify([
      spec.service,
      spec.usageType,
      spec.operation,
      spec.region,
      spec.az,
      spec.instanceType,
      spec.purchaseType,
      spec.tags.env,
      spec.tags.team,
      spec.tags.tier,
      spec.anomaly,
    ]);
    const found = this.byKey.get(key);
    if (found !== undefined) return found;
    const id = this.lines.length;
    this.lines.push({ ...spec, id });
    this.byKey.set(key, id);
    return id;
  }
}

export const SERVICE = {
  ec2: 'Amazon Elastic Compute Cloud - Compute',
  ec2Other: 'EC2 - Other',
  elb: 'Amazon Elastic Load Balancing',
  vpc: 'Amazon Virtual Private Cloud',
  cloudFront: 'Amazon CloudFront',
  s3: 'Amazon Simple Storage Service',
  rds: 'Amazon Relational Database Service',
  dynamoDb: 'Amazon DynamoDB',
  elastiCache: 'Amazon ElastiCache',
  lambda: 'AWS Lambda',
  sqs: 'Amazon Simple Queue Service',
  cloudWatch: 'AmazonCloudWatch',
  costExplorer: 'AWS Cost Explorer',
  route53: 'Amazon Route 53',
} as const;

/**
 * Cost Explorer dimensions the ledger can answer, with a line's value for each (undefined: the
 * line has none, e.g. no instance type for data transfer). Dimensions not listed have no value
 * on any line (no reservations, Savings Plans or resource-level data in this account).
 */
export const DIMENSIONS: Readonly<
  Record<string, (line: Line, accountId: string) => string | undefined>
> = {
  SERVICE: (l) => l.service,
  USAGE_TYPE: (l) => l.usageType,
  OPERATION: (l) => l.operation,
  REGION: (l) => l.region,
  AZ: (l) => l.az,
  INSTANCE_TYPE: (l) => l.instanceType,
  INSTANCE_TYPE_FAMILY: (l) => l.instanceType?.replace(/^(db|cache)\./, '').split('.')[0],
  LINKED_ACCOUNT: (_l, accountId) => accountId,
  PURCHASE_TYPE: (l) => l.purchaseType ?? 'On Demand Instances',
  RECORD_TYPE: () => 'Usage',
  PLATFORM: (l) => l.platform,
  OPERATING_SYSTEM: (l) => (l.platform ? 'Linux' : undefined),
  TENANCY: (l) => (l.service === SERVICE.ec2 ? 'Shared' : undefined),
  DATABASE_ENGINE: (l) => l.databaseEngine,
  CACHE_ENGINE: (l) => l.cacheEngine,
  DEPLOYMENT_OPTION: (l) =>
    l.service === SERVICE.rds && l.instanceType
      ? l.usageType.startsWith('Multi-AZ')
        ? 'Multi-AZ'
        : 'Single-AZ'
      : undefined,
  USAGE_TYPE_GROUP: (l) => l.usageTypeGroup,
  LEGAL_ENTITY_NAME: () => 'Amazon Web Services, Inc.',
  INVOICING_ENTITY: () => 'Amazon Web Services, Inc.',
  BILLING_ENTITY: () => 'AWS',
};

/** The group key Cost Explorer shows for a line with no value of a dimension. */
export const NO_VALUE: Readonly<Record<string, string>> = {
  AZ: 'NoAZ',
  INSTANCE_TYPE: 'NoInstanceType',
  PLATFORM: 'NoPlatform',
  TENANCY: 'NoTenancy',
  OPERATION: 'NoOperation',
};

const TIER_TAGS = ['edge', 'web', 'workers', 'data'] as const;
const TEAM_OF_TIER: Record<(typeof TIER_TAGS)[number], string> = {
  edge: 'storefront',
  web: 'storefront',
  workers: 'platform',
  data: 'data',
};

/**
 * The cost-allocation tags of a tier's production resources: `tier` is the tier's id when it
 * is one of edge/web/workers/data, else what its resources make it; `team` owns that tier.
 */
export function tierCostTags(tier: Tier): CostTags {
  const kinds = new Set(tier.resources.map((r) => r.type));
  const named = (TIER_TAGS as readonly string[]).includes(tier.id)
    ? (tier.id as (typeof TIER_TAGS)[number])
    : undefined;
  const tierTag =
    named ??
    (kinds.has('alb')
      ? 'web'
      : kinds.has('sqs-queue')
        ? 'workers'
        : kinds.has('cloudfront-distribution') || kinds.has('s3-bucket')
          ? 'edge'
          : kinds.has('asg')
            ? 'web'
            : 'data');
  return { env: 'production', team: TEAM_OF_TIER[tierTag], tier: tierTag };
}

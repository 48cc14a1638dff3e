// Turns a PlatformConfig into simulated resources. Each tier is read by the kinds of
// resources it has: an ALB with an Auto Scaling group is a web service, a group with an SQS
// queue is a worker pool, a group alone an internal service; Lambda, RDS, DynamoDB,
// ElastiCache, CloudFront, S3 and Route 53 follow the platform's traffic. Sizes vary per
// resource (seeded), so a generated platform of many tiers is not a copy of one tier.
import {
  instancesForTargetUtilization,
  type PlatformConfig,
  type Resource,
  type Tier,
} from '@ballast/core';
import type { HotlinkEvent } from '../billing/anomalies.js';
import { tierCostTags } from '../billing/lines.js';
import type { MetricStore } from '../metrics/metric-store.js';
import { Random } from '../random.js';
import type { AlarmMathQuery, MetricAlarmDefinition, MetricStatSpec } from './alarms.js';
import {
  AutoScalingGroup,
  SPOT_INTERRUPTIONS_PER_HOUR,
  type GroupSpec,
} from './auto-scaling-group.js';
import {
  BAD_RELEASE,
  BULK_UPLOAD,
  DATABASE_REPORT_JOB,
  IncidentSchedule,
  type IncidentKind,
} from './incidents.js';
import { StoreBusinessMetrics } from './services/business.js';
import { CacheCluster, DynamoDbAccount, DynamoTable, RdsInstance } from './services/data-stores.js';
import { CloudFrontDistribution, Route53HealthCheck, S3Bucket } from './services/edge.js';
import { LambdaFunction } from './services/lambda-function.js';
import type { SimulatedResource } from './services/minute.js';
import { WebService } from './services/web-service.js';
import { WorkerPool } from './services/worker-pool.js';
import type { PolicyDefinition } from './scaling-policies.js';

/** Reference sizes: the 3D store's web tier and worker pool on a normal weekday. */
const WEB = {
  peakRequestsPerSecond: 320,
  serviceRatePerInstance: 55, // m6i.large serving the store API
  baseServiceTimeMs: 120,
  timeoutMs: 10_000,
  targetCpuPercent: 70,
  minSize: 2,
  instanceTypes: ['m6i.large', 'm5.large', 'm6a.large'],
  // Room for a 5x sale at 100% CPU: enough to survive Black Friday, not to be comfortable.
  maxSizeForPeakMultiple: 5,
};
const WORKERS = {
  peakJobsPerSecond: 1.6,
  jobSeconds: 30,
  jobsPerInstancePerMinute: 8, // 4 concurrent conversions of ~30 s on a c6i.xlarge
  // Acceptable queue latency (2 min) x throughput per instance, as AWS's SQS guide suggests.
  backlogTargetPerInstance: 16,
  /** scale in below this average CPU (about as busy) for 20 minutes */
  idleCpuPercent: 40,
  maxBulkUpload: 6000,
  minSize: 1,
  instanceTypes: ['c6i.xlarge', 'c5.xlarge', 'c6a.xlarge'],
  /** boot (70-130 s) plus the worker's start: when a new instance's work shows */
  warmupSeconds: 180,
};

export interface TopologyContext {
  platform: PlatformConfig;
  seed: number;
  accountId: string;
  utcOffsetHours: number;
  /** epoch ms of the first simulated minute */
  startMs: number;
  /** demand at startMs, to size groups for the first minute */
  initialDemand: number;
  store: MetricStore;
  /** a model hot-linked from the platform's first CloudFront distribution */
  hotlink?: HotlinkEvent;
}

/** What differs between web and worker groups; the rest is common to both. */
type GroupSizing = Pick<
  GroupSpec,
  | 'minSize'
  | 'maxSize'
  | 'initialDesired'
  | 'instanceTypes'
  | 'distribution'
  | 'targetGroupArns'
  | 'healthCheckType'
  | 'spotInterruptionsPerHour'
> & { drainSeconds?: number };

export interface PolicyPlan {
  group: AutoScalingGroup;
  definition: PolicyDefinition;
  /** alarms that invoke the policy (its ARN is added to their actions) */
  alarms?: Omit<MetricAlarmDefinition, 'alarmActions' | 'createdAt'>[];
}

export interface Topology {
  webServices: WebService[];
  workerPools: WorkerPool[];
  /** resources driven by the web and worker tiers, simulated after them */
  backends: SimulatedResource[];
  groups: AutoScalingGroup[];
  policies: PolicyPlan[];
  alarms: MetricAlarmDefinition[];
  cdns: CloudFrontDistribution[];
  buckets: S3Bucket[];
  /** the storefront's business metrics, when the platform has a web tier */
  business: StoreBusinessMetrics | undefined;
}

export function buildTopology(ctx: TopologyContext): Topology {
  const { platform, seed, store } = ctx;
  const region = platform.region;
  const zones = ['a', 'b', 'c'].map((z) => `${region}${z}`);
  const topology: Topology = {
    webServices: [],
    workerPools: [],
    backends: [],
    groups: [],
    policies: [],
    alarms: [],
    cdns: [],
    buckets: [],
    business: undefined,
  };
  const stream = (kind: string, name: string) => new Random(seed, `${kind}:${name}`);
  const schedule = (kind: IncidentKind, name: string) =>
    new IncidentSchedule(seed, kind, name, ctx.utcOffsetHours);
  const webCount = platform.tiers.reduce(
    (n, t) => n + t.resources.filter((r) => r.type === 'alb').length,
    0,
  );
  const workerCount = platform.tiers.reduce(
    (n, t) => n + t.resources.filter((r) => r.type === 'sqs-queue').length,
    0,
  );
  // A lone web service (or pool) has the reference size; several get 0.4-1.6x each.
  const scale = (count: number, name: string) =>
    count <= 1 ? 1 : stream('size', name).between(0.4, 1.6);

  const makeGroup = (tier: Tier, name: string, spec: GroupSizing) => {
    const random = stream('asg', name);
    const group = new AutoScalingGroup(
      {
        name,
        tier: tier.id,
        availabilityZones: zones,
        launchTemplate: {
          id: `lt-0${random.hex(16)}`,
          name: `${name}-template`,
          version: '$Latest',
        },
        createdTime: ctx.startMs - 200 * 86_400_000,
        // Cost-allocation tags propagate from the group to its instances.
        tags: {
          Name: name,
          'ballast:tier': tier.id,
          Environment: 'production',
          ...tierCostTags(tier),
        },
        healthCheckGracePeriod: 300,
        defaultCooldown: 300,
        defaultInstanceWarmup: 300,
        capacityRebalance: spec.distribution.onDemandPercentageAboveBaseCapacity < 100,
        bootSeconds: [70, 130],
        ...spec,
        drainSeconds: spec.drainSeconds ?? 60,
      },
      region,
      ctx.accountId,
      random,
      ctx.startMs,
    );
    topology.groups.push(group);
    return group;
  };

  const cpuPolicy = (group: AutoScalingGroup, target: number) =>
    topology.policies.push({
      group,
      definition: {
        policyType: 'TargetTrackingScaling',
        policyName: `${group.name}-cpu${target}`,
        targetValue: target,
        metric: { kind: 'predefined', type: 'ASGAverageCPUUtilization' },
        disableScaleIn: false,
        enabled: true,
      },
    });

  const addWebService = (
    tier: Tier,
    groupName: string,
    alb: Extract<Resource, { type: 'alb' }> | undefined,
  ) => {
    const size = scale(webCount, groupName);
    const peak = WEB.peakRequestsPerSecond * size;
    const random = stream('web', groupName);
    const maxSize = Math.max(
      WEB.minSize + 1,
      Math.ceil((peak * WEB.maxSizeForPeakMultiple) / WEB.serviceRatePerInstance),
    );
    const group = makeGroup(tier, groupName, {
      minSize: WEB.minSize,
      maxSize,
      initialDesired: instancesForTargetUtilization({
        arrivalRate: peak * ctx.initialDemand,
        serviceRatePerInstance: WEB.serviceRatePerInstance,
        targetUtilizationPercent: WEB.targetCpuPercent,
      }),
      instanceTypes: WEB.instanceTypes,
      // Two on-demand instances always, then 30% on-demand and 70% spot.
      distribution: {
        onDemandAllocationStrategy: 'prioritized',
        onDemandBaseCapacity: 2,
        onDemandPercentageAboveBaseCapacity: 30,
        spotAllocationStrategy: 'price-capacity-optimized',
      },
      targetGroupArns: alb
        ? [`arn:aws:elasticloadbalancing:${region}:${ctx.accountId}:${alb.targetGroup}`]
        : [],
      healthCheckType: alb ? 'ELB' : 'EC2',
      spotInterruptionsPerHour: SPOT_INTERRUPTIONS_PER_HOUR,
    });
    const service = new WebService(
      {
        tier: tier.id,
        ...(alb ? { alb: { loadBalancer: alb.loadBalancer, targetGroup: alb.targetGroup } } : {}),
        peakRequestsPerSecond: peak,
        serviceRatePerInstance: WEB.serviceRatePerInstance,
        baseServiceTimeMs: WEB.baseServiceTimeMs * random.between(0.85, 1.15),
        timeoutMs: WEB.timeoutMs,
      },
      group,
      store,
      random,
      schedule(BAD_RELEASE, groupName),
    );
    topology.webServices.push(service);
    cpuPolicy(group, WEB.targetCpuPercent);
    if (alb) {
      const albName = alb.loadBalancer.split('/')[1]!;
      const lbDims = [{ name: 'LoadBalancer', value: alb.loadBalancer }];
      const errorsPercent = tier.slo.errors?.degraded ?? 1;
      topology.alarms.push(
        alarm(tier, ctx, {
          name: `${albName}-target-5xx`,
          description: `More than ${errorsPercent}% of a normal peak minute's requests answered 5xx by the ${groupName} targets.`,
          metric: {
            namespace: 'AWS/ApplicationELB',
            metricName: 'HTTPCode_Target_5XX_Count',
            dimensions: lbDims,
            periodSeconds: 60,
            stat: 'Sum',
          },
          evaluationPeriods: 3,
          datapointsToAlarm: 3,
          threshold: Math.max(10, Math.round((peak * 60 * errorsPercent) / 100)),
          treatMissingData: 'notBreaching',
        }),
        alarm(tier, ctx, {
          name: `${albName}-p99-latency`,
          description: `p99 target response time of ${albName} above the tier's critical latency.`,
          metric: {
            namespace: 'AWS/ApplicationELB',
            metricName: 'TargetResponseTime',
            dimensions: lbDims,
            periodSeconds: 60,
            stat: 'p99',
            unit: 'Seconds',
          },
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
          threshold: (tier.slo.latency?.critical ?? 1500) / 1000,
          treatMissingData: 'missing',
        }),
      );
    }
  };

  const addWorkerPool = (tier: Tier, queueName: string, groupName: string | undefined) => {
    const size = scale(workerCount, queueName);
    const peakJobs = WORKERS.peakJobsPerSecond * size;
    const random = stream('workers', queueName);
    let group: AutoScalingGroup | undefined;
    if (groupName) {
      group = makeGroup(tier, groupName, {
        minSize: WORKERS.minSize,
        // Room for 1.6x a normal peak: enough for ordinary days, short for a sale.
        maxSize: Math.max(
          WORKERS.minSize + 1,
          Math.ceil((peakJobs * 60 * 1.6) / WORKERS.jobsPerInstancePerMinute),
        ),
        initialDesired: Math.ceil(
          (peakJobs * 60 * ctx.initialDemand) / WORKERS.jobsPerInstancePerMinute,
        ),
        instanceTypes: WORKERS.instanceTypes,
        // All spot: conversions are retried from the queue when an instance is reclaimed.
        distribution: {
          onDemandAllocationStrategy: 'prioritized',
          onDemandBaseCapacity: 0,
          onDemandPercentageAboveBaseCapacity: 0,
          spotAllocationStrategy: 'price-capacity-optimized',
        },
        targetGroupArns: [],
        healthCheckType: 'EC2',
        spotInterruptionsPerHour: SPOT_INTERRUPTIONS_PER_HOUR,
        drainSeconds: 90,
      });
      // Scale out on the backlog per instance (target tracking, its own scale-in off: a
      // backlog reads 0 whenever the fleet keeps up, whatever its size, so it cannot say how
      // far to scale in), and scale in on the fleet's utilization after 20 quiet minutes, by
      // a tenth (a quarter when nearly idle). Between a backlog forming and the fleet idling
      // lies a band, not a line to flap across.
      topology.policies.push(
        {
          group,
          definition: {
            policyType: 'TargetTrackingScaling',
            policyName: `${groupName}-backlog-per-instance`,
            targetValue: WORKERS.backlogTargetPerInstance,
            metric: { kind: 'math', queries: backlogPerInstance(queueName, groupName) },
            disableScaleIn: true,
            estimatedInstanceWarmup: WORKERS.warmupSeconds,
            enabled: true,
          },
        },
        {
          group,
          definition: {
            policyType: 'StepScaling',
            policyName: `${groupName}-scale-in`,
            adjustmentType: 'PercentChangeInCapacity',
            stepAdjustments: [
              { lowerBound: -15, upperBound: 0, scalingAdjustment: -10 },
              { upperBound: -15, scalingAdjustment: -25 },
            ],
            metricAggregationType: 'Average',
            minAdjustmentMagnitude: 1,
            estimatedInstanceWarmup: WORKERS.warmupSeconds,
            enabled: true,
          },
          alarms: [
            {
              name: `${groupName}-idle`,
              description: `${groupName} under ${WORKERS.idleCpuPercent}% CPU for 20 minutes: fewer workers would do.`,
              metric: {
                namespace: 'AWS/EC2',
                metricName: 'CPUUtilization',
                dimensions: [{ name: 'AutoScalingGroupName', value: groupName }],
                periodSeconds: 300,
                stat: 'Average',
              },
              periodSeconds: 300,
              evaluationPeriods: 4,
              datapointsToAlarm: 4,
              threshold: WORKERS.idleCpuPercent,
              comparison: 'LessThanThreshold',
              treatMissingData: 'missing',
              okActions: [],
              tier: tier.id,
            },
          ],
        },
      );
    }
    const pool = new WorkerPool(
      {
        tier: tier.id,
        queueName,
        peakJobsPerSecond: peakJobs,
        jobsPerInstancePerMinute: WORKERS.jobsPerInstancePerMinute,
        jobSeconds: WORKERS.jobSeconds,
        maxBulkUpload: WORKERS.maxBulkUpload * size,
        fixedCapacityPerMinute: Math.ceil(peakJobs * 60 * 1.5),
      },
      group,
      store,
      random,
      schedule(BULK_UPLOAD, queueName),
    );
    topology.workerPools.push(pool);
    const ageSeconds = (tier.slo.latency?.critical ?? 900_000) / 1000;
    topology.alarms.push(
      alarm(tier, ctx, {
        name: `${queueName}-oldest-message-age`,
        description: `Oldest message in ${queueName} waiting longer than ${ageSeconds} s: the workers are falling behind.`,
        metric: sqsMetric(queueName, 'ApproximateAgeOfOldestMessage', 'Maximum'),
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        threshold: ageSeconds,
        treatMissingData: 'missing',
      }),
    );
    return pool;
  };

  // Front tiers first: their load drives everything else.
  const poolsByTier = new Map<string, WorkerPool[]>();
  for (const tier of platform.tiers) {
    const albs = tier.resources.filter(
      (r): r is Extract<Resource, { type: 'alb' }> => r.type === 'alb',
    );
    const groups = tier.resources
      .filter((r): r is Extract<Resource, { type: 'asg' }> => r.type === 'asg')
      .map((r) => r.name);
    const queues = tier.resources
      .filter((r): r is Extract<Resource, { type: 'sqs-queue' }> => r.type === 'sqs-queue')
      .map((r) => r.name);
    if (albs.length > groups.length) {
      throw new Error(
        `tier "${tier.id}" has ${albs.length} ALBs but ${groups.length} Auto Scaling groups: the sandbox simulates each ALB with a group behind it. Add an asg resource to the tier.`,
      );
    }
    albs.forEach((alb, i) => addWebService(tier, groups[i]!, alb));
    const rest = groups.slice(albs.length);
    const pools: WorkerPool[] = [];
    queues.forEach((queue, i) => pools.push(addWorkerPool(tier, queue, rest[i])));
    // Groups with neither ALB nor queue: internal services following the web traffic.
    rest.slice(queues.length).forEach((name) => addWebService(tier, name, undefined));
    poolsByTier.set(tier.id, pools);
  }

  const normalPeak =
    topology.webServices.reduce((sum, s) => sum + s.spec.peakRequestsPerSecond, 0) ||
    WEB.peakRequestsPerSecond;
  let dynamoAccount: DynamoDbAccount | undefined;
  for (const tier of platform.tiers) {
    const pools = poolsByTier.get(tier.id) ?? [];
    for (const resource of tier.resources) {
      switch (resource.type) {
        case 'lambda-function':
          topology.backends.push(
            new LambdaFunction(
              {
                tier: tier.id,
                functionName: resource.name,
                peakInvocationsPerMinute: 30,
                invocationsPerJob: pools.length > 0 ? 1.5 : 0,
                meanDurationMs: 850,
                reservedConcurrency: 100,
                errorRate: 0.003,
              },
              store,
              stream('lambda', resource.name),
              () => pools.reduce((n, p) => n + p.lastSent, 0),
            ),
          );
          break;
        case 'rds-instance':
          topology.backends.push(
            new RdsInstance(
              { tier: tier.id, id: resource.id, memoryBytes: 32 * 2 ** 30 },
              store,
              stream('rds', resource.id),
              schedule(DATABASE_REPORT_JOB, resource.id),
            ),
          );
          topology.alarms.push(
            alarm(tier, ctx, {
              name: `${resource.id}-cpu-high`,
              description: `${resource.id} CPU above 80% for 15 minutes.`,
              metric: {
                namespace: 'AWS/RDS',
                metricName: 'CPUUtilization',
                dimensions: [{ name: 'DBInstanceIdentifier', value: resource.id }],
                periodSeconds: 300,
                stat: 'Average',
              },
              evaluationPeriods: 3,
              datapointsToAlarm: 3,
              threshold: 80,
              treatMissingData: 'missing',
            }),
          );
          break;
        case 'dynamodb-table': {
          dynamoAccount ??= new DynamoDbAccount(tier.id, store);
          const random = stream('dynamodb', resource.name);
          topology.backends.push(
            new DynamoTable(
              {
                tier: tier.id,
                tableName: resource.name,
                readsPerWebRequest: random.between(0.3, 1.2),
                writesPerWebRequest: random.between(0.05, 0.3),
              },
              store,
              random,
              dynamoAccount,
              normalPeak,
            ),
          );
          break;
        }
        case 'elasticache-cluster':
          topology.backends.push(
            new CacheCluster(
              { tier: tier.id, id: resource.id },
              store,
              stream('elasticache', resource.id),
            ),
          );
          break;
        case 'route53-health-check':
          topology.backends.push(
            new Route53HealthCheck(tier.id, resource.id, store, stream('route53', resource.id)),
          );
          break;
        case 'alb':
        case 'asg':
        case 'sqs-queue':
        case 'cloudfront-distribution':
        case 's3-bucket':
          break; // front tiers above; CDN and buckets below, once all distributions exist
      }
    }
  }

  const distributions = topology.cdns;
  for (const tier of platform.tiers) {
    for (const resource of tier.resources) {
      if (resource.type === 'cloudfront-distribution') {
        const cdn = new CloudFrontDistribution(
          tier.id,
          resource.id,
          store,
          stream('cloudfront', resource.id),
          distributions.length === 0 ? ctx.hotlink : undefined,
        );
        distributions.push(cdn);
        topology.backends.push(cdn);
      }
    }
  }
  // The platform's first bucket is the CDN origin; other buckets only see the workers.
  let originAssigned = false;
  for (const tier of platform.tiers) {
    for (const resource of tier.resources) {
      if (resource.type !== 's3-bucket') continue;
      const origin = originAssigned
        ? () => 0
        : () => distributions.reduce((n, d) => n + d.lastOriginRequests, 0);
      originAssigned = true;
      const bucket = new S3Bucket(
        tier.id,
        resource.name,
        store,
        stream('s3', resource.name),
        origin,
      );
      topology.buckets.push(bucket);
      topology.backends.push(bucket);
    }
  }
  if (dynamoAccount) topology.backends.push(dynamoAccount);
  const storefront = topology.webServices[0];
  if (storefront) {
    topology.business = new StoreBusinessMetrics(
      storefront.tier,
      store,
      stream('business', 'storefront'),
      distributions[0],
    );
    topology.backends.push(topology.business);
  }
  return topology;
}

/** Messages visible / in-service instances, as metric math (AWS's SQS scaling guide). */
function backlogPerInstance(queueName: string, groupName: string): AlarmMathQuery[] {
  return [
    {
      id: 'm1',
      metricStat: sqsMetric(queueName, 'ApproximateNumberOfMessagesVisible', 'Sum'),
      label: 'Messages visible',
      returnData: false,
    },
    {
      id: 'm2',
      metricStat: {
        namespace: 'AWS/AutoScaling',
        metricName: 'GroupInServiceInstances',
        dimensions: [{ name: 'AutoScalingGroupName', value: groupName }],
        periodSeconds: 60,
        stat: 'Average',
      },
      label: 'In-service instances',
      returnData: false,
    },
    { id: 'e1', expression: 'm1 / m2', label: 'Backlog per instance', returnData: true },
  ];
}

function sqsMetric(queueName: string, metricName: string, stat: string): MetricStatSpec {
  return {
    namespace: 'AWS/SQS',
    metricName,
    dimensions: [{ name: 'QueueName', value: queueName }],
    periodSeconds: 60,
    stat,
  };
}

function alarm(
  tier: Tier,
  ctx: TopologyContext,
  fields: Pick<
    MetricAlarmDefinition,
    | 'name'
    | 'description'
    | 'metric'
    | 'evaluationPeriods'
    | 'datapointsToAlarm'
    | 'threshold'
    | 'treatMissingData'
  >,
): MetricAlarmDefinition {
  return {
    ...fields,
    periodSeconds: fields.metric!.periodSeconds,
    comparison: 'GreaterThanThreshold',
    alarmActions: [`arn:aws:sns:${ctx.platform.region}:${ctx.accountId}:ballast-oncall`],
    okActions: [`arn:aws:sns:${ctx.platform.region}:${ctx.accountId}:ballast-oncall`],
    tier: tier.id,
    createdAt: ctx.startMs - 90 * 86_400_000,
  };
}

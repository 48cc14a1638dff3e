// What the simulated platform costs, day by day. Usage comes from two sources and goes through
// one attribution (recordUsage, recordInstances, recordFixed):
// - before the minute-level simulation, estimates in hourly steps from the traffic model
//   and the capacity model (cheap: 14 months cost a few milliseconds), with the business
//   growing into its current size;
// - during it, the simulation's own usage each minute: the instances each group really runs
//   (type, purchase option, zone), and what CloudWatch measured (requests, bytes, invocations,
//   request units, messages).
// Resources the simulation does not model (staging, a dev box, NAT gateways, snapshots, the
// forgotten GPU instance) are billed from an inventory. API calls made to the sandbox
// (GetMetricData metrics, CloudWatch requests, Cost Explorer requests) are added as they come.
import {
  instancesForTargetUtilization,
  splitOnDemandSpot,
  type PlatformConfig,
} from '@ballast/core';
import type { MetricSeries, MetricStore } from '../metrics/metric-store.js';
import { hashUnit } from '../random.js';
import type { AutoScalingGroup, GroupInstance } from '../simulation/auto-scaling-group.js';
import { CacheCluster, DynamoTable, RdsInstance } from '../simulation/services/data-stores.js';
import {
  ASSET_MEAN_BYTES,
  ASSETS_PER_WEB_REQUEST,
  CACHE_HIT_RATIO,
  modelBucketBytes,
  Route53HealthCheck,
  type CloudFrontDistribution,
  type S3Bucket,
} from '../simulation/services/edge.js';
import { LambdaFunction } from '../simulation/services/lambda-function.js';
import type { MinuteContext, SimulatedResource } from '../simulation/services/minute.js';
import type { WebService } from '../simulation/services/web-service.js';
import type { WorkerPool } from '../simulation/services/worker-pool.js';
import type { TrafficModel } from '../simulation/traffic.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../time.js';
import { hotlinkMinute, type InjectedAnomalies } from './anomalies.js';
import { daysInMonth, epochDay, type BillingLedger, type LedgerView } from './ledger.js';
import {
  SERVICE,
  tierCostTags,
  type CostTags,
  type LinePrice,
  type LineSpec,
  type PurchaseType,
} from './lines.js';
import { normalizationFactor, PRICES } from './prices.js';

/** Assumptions about usage the simulation does not measure, in one place. */
export const USAGE = {
  webVolumeGb: 30,
  workerVolumeGb: 50,
  /** bytes through the ALB per API request, in and out */
  requestBytes: 5_000,
  responseBytes: 25_000,
  requestsPerConnection: 4,
  /** web <-> data tier bytes crossing Availability Zones per request (billed each way) */
  crossAzBytesPerRequest: 6_000,
  logBytesPerRequest: 800,
  /** NAT traffic: payment and shipping APIs per request, model imports per job */
  natBytesPerRequest: 1_500,
  natBytesPerJob: 400_000,
  dnsQueriesPerRequest: 0.02,
  lambdaMemoryGb: 1,
  /** long-polling receives each worker instance makes a minute when the queue is empty */
  sqsEmptyReceivesPerInstanceMinute: 12,
  /** CloudFront viewers in Europe (the rest in North America) */
  cdnEuropeShare: 0.15,
  /** older model versions in Standard-IA and archived uploads in Glacier Instant Retrieval,
   *  as multiples of the Standard storage */
  s3InfrequentShare: 0.5,
  s3GlacierShare: 0.8,
  dynamoTableGb: 12,
  rdsStorageGb: 400,
  cacheNodes: 2,
  natGateways: 3,
  snapshotGb: 1_200,
  /** other tools of the team: a Grafana board's GetMetricData metrics, API calls, a finance
   *  spreadsheet's Cost Explorer requests, a day */
  otherGetMetricDataMetrics: 57_600,
  otherCloudWatchRequests: 2_000,
  otherCostExplorerRequests: 4,
  /** custom metrics the store publishes (Store3D/Business) */
  customMetrics: 4,
  /** yearly growth of the business behind the history */
  growthPerYear: 0.28,
  /** web groups run a little above the capacity model's count (warm-up, slow scale-in) */
  webHeadroom: 1.08,
  /** worker pools keep their instances this busy (scaled out on a backlog, in under 40% CPU) */
  workerUtilization: 0.7,
} as const;

const REGION = 'us-east-1';
const YEAR_MS = 365 * DAY_MS;
const HISTORY_STEP_MS = HOUR_MS;

/** Usage of the traffic-driven services over an interval. */
interface TrafficUsage {
  /** per web service (same order), API requests */
  webRequests: number[];
  /** per CDN, viewer requests and bytes, and the hot-link's */
  cdn: { requests: number; bytes: number; hotlinkRequests: number; hotlinkBytes: number }[];
  /** per bucket, GET-class and PUT-class requests */
  s3: { tier1: number; tier2: number }[];
  /** per Lambda function */
  lambda: { invocations: number; durationMs: number }[];
  /** per DynamoDB table, request units */
  dynamo: { reads: number; writes: number }[];
  /** per worker pool */
  sqs: { sent: number; deleted: number; instanceMinutes: number }[];
  jobs: number;
}

interface FixedItem {
  line: number;
  /** quantity per hour at time t */
  perHour: (t: number) => number;
  /** when it started running, if within the ledger */
  from?: number;
}

export interface PlatformBillingOptions {
  ledger: BillingLedger;
  seed: number;
  platform: PlatformConfig;
  traffic: TrafficModel;
  store: MetricStore;
  webServices: readonly WebService[];
  workerPools: readonly WorkerPool[];
  backends: readonly SimulatedResource[];
  groups: readonly AutoScalingGroup[];
  cdns: readonly CloudFrontDistribution[];
  buckets: readonly S3Bucket[];
  /** target CPU of each web group's scaling policy */
  targetCpu: (group: AutoScalingGroup) => number;
  alarmCount: number;
  anomalies: InjectedAnomalies;
  /** first minute the simulation runs: usage before it is estimated */
  simulationStartMs: number;
}

export class PlatformBilling {
  private readonly ledger: BillingLedger;
  private readonly tagsByTier = new Map<string, CostTags>();
  private readonly lambdas: LambdaFunction[];
  private readonly tables: DynamoTable[];
  private readonly fixed: FixedItem[] = [];
  private readonly instanceLines = new Map<string, { ec2: number; ebs: number }>();
  private readonly poolOfGroup = new Map<AutoScalingGroup, WorkerPool>();
  /**
   * Each group as it was configured when the simulation started (the history is estimated
   * later, when first read, and must not see changes made since), with the lines of its mix.
   */
  private readonly groupsAtStart = new Map<
    AutoScalingGroup,
    {
      minSize: number;
      maxSize: number;
      distribution: AutoScalingGroup['spec']['distribution'];
      zones: { onDemand: number; spot: number[]; ebs: number }[];
    }
  >();
  private readonly series: {
    cdn: { requests?: MetricSeries; bytes?: MetricSeries }[];
    s3: { all?: MetricSeries; get?: MetricSeries }[];
    lambda: { invocations?: MetricSeries; duration?: MetricSeries }[];
    dynamo: { reads?: MetricSeries; writes?: MetricSeries }[];
    sqs: { sent?: MetricSeries; deleted?: MetricSeries }[];
  };
  private readonly lines: {
    web: { dataOut: number; regional: number; logs: number; dns: number; nat: number }[];
    alb: ({ lcu: number } | undefined)[];
    cdn: {
      out: Record<'US' | 'EU', number>;
      requests: Record<'US' | 'EU', number>;
      hotlink: number;
      hotlinkRequests: number;
    }[];
    s3: { tier1: number; tier2: number }[];
    lambda: { seconds: number; requests: number }[];
    dynamo: { reads: number; writes: number }[];
    sqs: { send: number; receive: number; delete: number }[];
    natJobs: number;
  };
  private readonly api = new Map<string, number>();

  constructor(private readonly o: PlatformBillingOptions) {
    this.ledger = o.ledger;
    for (const tier of o.platform.tiers) this.tagsByTier.set(tier.id, tierCostTags(tier));
    this.lambdas = o.backends.filter((b): b is LambdaFunction => b instanceof LambdaFunction);
    this.tables = o.backends.filter((b): b is DynamoTable => b instanceof DynamoTable);
    for (const pool of o.workerPools) if (pool.group) this.poolOfGroup.set(pool.group, pool);
    const get = (namespace: string, metricName: string, dims: Record<string, string>) =>
      o.store.get(
        namespace,
        metricName,
        Object.entries(dims).map(([name, value]) => ({ name, value })),
      );
    this.series = {
      cdn: o.cdns.map((c) => {
        const dims = { DistributionId: c.distributionId, Region: 'Global' };
        return {
          requests: get('AWS/CloudFront', 'Requests', dims),
          bytes: get('AWS/CloudFront', 'BytesDownloaded', dims),
        };
      }),
      s3: o.buckets.map((b) => {
        const dims = { BucketName: b.bucketName, FilterId: 'EntireBucket' };
        return { all: get('AWS/S3', 'AllRequests', dims), get: get('AWS/S3', 'GetRequests', dims) };
      }),
      lambda: this.lambdas.map((f) => {
        const dims = { FunctionName: f.spec.functionName };
        return {
          invocations: get('AWS/Lambda', 'Invocations', dims),
          duration: get('AWS/Lambda', 'Duration', dims),
        };
      }),
      dynamo: this.tables.map((t) => {
        const dims = { TableName: t.spec.tableName };
        return {
          reads: get('AWS/DynamoDB', 'ConsumedReadCapacityUnits', dims),
          writes: get('AWS/DynamoDB', 'ConsumedWriteCapacityUnits', dims),
        };
      }),
      sqs: o.workerPools.map((p) => {
        const dims = { QueueName: p.spec.queueName };
        return {
          sent: get('AWS/SQS', 'NumberOfMessagesSent', dims),
          deleted: get('AWS/SQS', 'NumberOfMessagesDeleted', dims),
        };
      }),
    };
    for (const group of o.groups) {
      const { spec } = group;
      const tags = this.tags(spec.tier);
      this.groupsAtStart.set(group, {
        minSize: spec.minSize,
        maxSize: spec.maxSize,
        distribution: { ...spec.distribution },
        zones: spec.availabilityZones.map((az) => ({
          onDemand: this.ec2Line(spec.instanceTypes[0]!, 'On Demand Instances', az, tags),
          spot: spec.instanceTypes.map((type) => this.ec2Line(type, 'Spot Instances', az, tags)),
          ebs: this.ebsLine(az, tags),
        })),
      });
    }
    this.lines = this.defineTrafficLines();
    this.defineFixedItems();
    this.resetPending();
  }

  /** The bill as Cost Explorer shows it at `now`. */
  view(now: number): LedgerView {
    this.ensureHistory();
    return this.ledger.view(now);
  }

  /**
   * Estimate the usage before the simulation, back to the ledger's first day, once: the first
   * time someone reads the bill (so a sandbox that nobody asks about costs starts as fast as
   * before). Also completes the open day's figures of the last refresh when that day began
   * before the simulation.
   */
  ensureHistory(): void {
    if (this.historyDone) return;
    this.historyDone = true;
    const from = this.ledger.firstDay * DAY_MS;
    const to = this.o.simulationStartMs;
    this.estimateInto(from, to, (t) => this.ledger.dayRow(t));
    const refresh = this.ledger.refreshAt(this.ledger.recordedUntil);
    const dayStart = epochDay(refresh) * DAY_MS;
    if (refresh % DAY_MS !== 0 && dayStart < to) {
      const row = this.ledger.snapshotRow(refresh);
      this.estimateInto(Math.max(from, dayStart), Math.min(to, refresh), () => row);
    }
  }
  private historyDone = false;

  private estimateInto(
    fromMs: number,
    toMs: number,
    rowAt: (t: number) => number[] | undefined,
  ): void {
    for (let t0 = fromMs; t0 < toMs;) {
      const t1 = Math.min(toMs, (Math.floor(t0 / HISTORY_STEP_MS) + 1) * HISTORY_STEP_MS);
      const row = rowAt(t0);
      if (row) this.estimateStep(row, t0, t1);
      t0 = t1;
    }
  }

  /**
   * Bill one simulated minute from what the simulation ran and measured. Instances are counted
   * every minute; measured traffic and the inventory are billed by the hour (Cost Explorer
   * refreshes on whole hours, so nothing it shows waits on a partial hour).
   */
  meterMinute(ctx: MinuteContext): void {
    const row = this.ledger.dayRow(ctx.startMs);
    if (row) this.meterInstances(row, ctx.startMs);
    const p = this.pending;
    if (Number.isNaN(p.from)) p.from = ctx.startMs;
    const { webServices, cdns, workerPools } = this.o;
    for (let i = 0; i < webServices.length; i++)
      p.webRequests[i]! += (webServices[i]!.lastInput?.arrivalRate ?? 0) * 60;
    for (let i = 0; i < cdns.length; i++) {
      p.hotlinkRequests[i]! += cdns[i]!.lastHotlinkRequests;
      p.hotlinkBytes[i]! += cdns[i]!.lastHotlinkBytes;
    }
    for (let i = 0; i < workerPools.length; i++)
      p.workerMinutes[i]! += workerPools[i]!.group?.count('InService') ?? 0;
    p.jobs += ctx.load.jobsSent;
    if (ctx.endMs % HOUR_MS === 0) this.flushHour(ctx.endMs);
    this.ledger.advanceTo(ctx.endMs);
  }

  /** Per-minute counts of the hour being metered. */
  private readonly pending = {
    from: Number.NaN,
    webRequests: [] as number[],
    hotlinkRequests: [] as number[],
    hotlinkBytes: [] as number[],
    workerMinutes: [] as number[],
    jobs: 0,
  };

  private resetPending(): void {
    const p = this.pending;
    p.from = Number.NaN;
    p.webRequests = this.o.webServices.map(() => 0);
    p.hotlinkRequests = this.o.cdns.map(() => 0);
    p.hotlinkBytes = this.o.cdns.map(() => 0);
    p.workerMinutes = this.o.workerPools.map(() => 0);
    p.jobs = 0;
  }

  /** Bill the metered hour ending at `to`: what CloudWatch measured, and the inventory. */
  private flushHour(to: number): void {
    const p = this.pending;
    const from = p.from;
    const row = this.ledger.dayRow(from);
    if (row) {
      const first = Math.round(from / MINUTE_MS);
      const last = Math.round(to / MINUTE_MS);
      const sum = (s: MetricSeries | undefined) => {
        let total = 0;
        if (s)
          for (let m = first; m < last; m++) {
            const v = s.minuteSum(m);
            if (!Number.isNaN(v)) total += v;
          }
        return total;
      };
      const usage: TrafficUsage = {
        webRequests: p.webRequests,
        cdn: this.series.cdn.map((s, i) => ({
          requests: Math.max(0, sum(s.requests) - p.hotlinkRequests[i]!),
          bytes: Math.max(0, sum(s.bytes) - p.hotlinkBytes[i]!),
          hotlinkRequests: p.hotlinkRequests[i]!,
          hotlinkBytes: p.hotlinkBytes[i]!,
        })),
        s3: this.series.s3.map((s) => {
          const gets = sum(s.get);
          return { tier1: Math.max(0, sum(s.all) - gets * 1.1), tier2: gets * 1.1 };
        }),
        lambda: this.series.lambda.map((s) => ({
          invocations: sum(s.invocations),
          durationMs: sum(s.duration),
        })),
        dynamo: this.series.dynamo.map((s) => ({ reads: sum(s.reads), writes: sum(s.writes) })),
        sqs: this.series.sqs.map((s, i) => ({
          sent: sum(s.sent),
          deleted: sum(s.deleted),
          instanceMinutes: p.workerMinutes[i]!,
        })),
        jobs: p.jobs,
      };
      this.recordUsage(row, usage);
      this.recordFixed(row, from, to);
    }
    this.resetPending();
  }

  /**
   * Bill an API call made to the sandbox: GetMetricData by the metrics it asked for, other
   * CloudWatch calls by the request, Cost Explorer by the request (each page).
   */
  meterApiCall(t: number, service: 'cloudwatch' | 'ce', operation: string, metrics = 0): void {
    if (service === 'cloudwatch') {
      if (operation === 'GetMetricData')
        this.ledger.add(t, this.apiLine('gmd', operation), metrics);
      else this.ledger.add(t, this.apiLine('cw', operation), 1);
    } else {
      this.ledger.add(t, this.apiLine('ce', operation), 1);
    }
  }

  // ---------------------------------------------------------------- history estimates

  private estimateStep(row: number[], t0: number, t1: number): void {
    const o = this.o;
    const seconds = (t1 - t0) / 1000;
    const mid = (t0 + t1) / 2;
    const demand = o.traffic.shape(mid) * this.historyScale(mid);
    const webRequests = o.webServices.map((w) => w.spec.peakRequestsPerSecond * demand * seconds);
    const webRps = webRequests.reduce((a, b) => a + b, 0) / seconds;
    const cdnRequests = webRps * seconds * ASSETS_PER_WEB_REQUEST;
    const jobsPerPool = o.workerPools.map(
      (p) => (p.spec.peakJobsPerSecond * demand * 60 + p.bulkUploadPerMinute(mid)) * (seconds / 60),
    );
    const jobs = jobsPerPool.reduce((a, b) => a + b, 0);
    const minutes = seconds / 60;
    const workerInstances = o.workerPools.map((p, i) => {
      if (!p.group) return 0;
      const perMinute = jobsPerPool[i]! / minutes;
      const wanted = Math.ceil(
        perMinute / (p.spec.jobsPerInstancePerMinute * USAGE.workerUtilization),
      );
      const g = this.atStart(p.group);
      return Math.min(g.maxSize, Math.max(g.minSize, wanted));
    });
    const usage: TrafficUsage = {
      webRequests,
      cdn: o.cdns.map((c, i) => {
        // The web traffic's assets go through the first distribution.
        const requests = i === 0 ? cdnRequests : 0;
        const hot = c === o.cdns[0] ? this.hotlinkOver(t0, t1) : { requests: 0, bytes: 0 };
        return {
          requests,
          bytes: requests * ASSET_MEAN_BYTES,
          hotlinkRequests: hot.requests,
          hotlinkBytes: hot.bytes,
        };
      }),
      s3: o.buckets.map((_, i) => {
        const gets = (i === 0 ? cdnRequests * (1 - CACHE_HIT_RATIO) : 0) + jobs * 2;
        return { tier1: jobs * 3, tier2: gets * 1.1 };
      }),
      lambda: this.lambdas.map((f) => {
        const invocations =
          f.spec.peakInvocationsPerMinute * demand * minutes + f.spec.invocationsPerJob * jobs;
        return { invocations, durationMs: invocations * f.spec.meanDurationMs };
      }),
      dynamo: this.tables.map((t) => ({
        reads: webRps * seconds * t.spec.readsPerWebRequest * 0.5,
        writes: webRps * seconds * t.spec.writesPerWebRequest,
      })),
      sqs: o.workerPools.map((_, i) => ({
        sent: jobsPerPool[i]!,
        deleted: jobsPerPool[i]!,
        instanceMinutes: workerInstances[i]! * minutes,
      })),
      jobs,
    };
    this.recordUsage(row, usage);

    const hours = seconds / 3600;
    o.webServices.forEach((w) => {
      const g = w.group;
      const arrival = w.spec.peakRequestsPerSecond * demand;
      const ideal = instancesForTargetUtilization({
        arrivalRate: arrival,
        serviceRatePerInstance: w.spec.serviceRatePerInstance,
        targetUtilizationPercent: o.targetCpu(g),
      });
      const { minSize, maxSize } = this.atStart(g);
      const count = Math.min(maxSize, Math.max(minSize, ideal * USAGE.webHeadroom));
      this.recordInstances(row, t0, g, count, hours);
    });
    o.workerPools.forEach((p, i) => {
      if (p.group) this.recordInstances(row, t0, p.group, workerInstances[i]!, hours);
    });
    this.recordFixed(row, t0, t1);
  }

  /**
   * Demand of the history relative to the traffic model: the business grows year on year
   * into its size at the simulation's start, and days vary a little (weather, campaigns).
   */
  private historyScale(t: number): number {
    const years = (t - this.o.simulationStartMs) / YEAR_MS;
    const growth = Math.pow(1 + USAGE.growthPerYear, Math.min(0, years));
    const day = epochDay(t);
    if (day !== this.noiseDay) {
      const u =
        hashUnit(this.o.seed, 'billing-day', day) + hashUnit(this.o.seed, 'billing-day-2', day);
      this.noise = 1 + 0.05 * (u - 1);
      this.noiseDay = day;
    }
    return growth * this.noise;
  }
  private noiseDay = Number.NaN;
  private noise = 1;

  private hotlinkOver(t0: number, t1: number): { requests: number; bytes: number } {
    const minutes = (t1 - t0) / MINUTE_MS;
    const sample = hotlinkMinute(this.o.anomalies.hotlink, (t0 + t1) / 2 - MINUTE_MS / 2);
    return { requests: sample.requests * minutes, bytes: sample.bytes * minutes };
  }

  /**
   * Instance-hours of a group running `count` instances: on-demand of its first type, spot
   * spread over its types, all spread over its zones.
   */
  private recordInstances(
    row: number[],
    t: number,
    group: AutoScalingGroup,
    count: number,
    hours: number,
  ): void {
    const { distribution, zones } = this.atStart(group);
    const { onDemand, spot } = splitOnDemandSpot(count, distribution);
    const volumeGb = this.poolOfGroup.has(group) ? USAGE.workerVolumeGb : USAGE.webVolumeGb;
    const share = hours / zones.length;
    const gbMonths = (share * volumeGb) / (24 * daysInMonth(epochDay(t)));
    for (const zone of zones) {
      add(row, zone.onDemand, onDemand * share);
      for (const id of zone.spot) add(row, id, (spot * share) / zone.spot.length);
      add(row, zone.ebs, count * gbMonths);
    }
  }

  private atStart(group: AutoScalingGroup) {
    const found = this.groupsAtStart.get(group);
    if (!found) throw new Error(`group ${group.name} is not billed`);
    return found;
  }

  // ---------------------------------------------------------------- live metering

  /** A minute of every instance the groups run (pending, in service or draining: all billed). */
  private meterInstances(row: number[], t: number): void {
    const hours = 1 / 60;
    const gbMonthsPerGb = hours / (24 * daysInMonth(epochDay(t)));
    for (const group of this.o.groups) {
      const volumeGb = this.poolOfGroup.has(group) ? USAGE.workerVolumeGb : USAGE.webVolumeGb;
      for (const instance of group.instances) {
        const lines = instance.billing ?? (instance.billing = this.linesOf(group, instance));
        add(row, lines.ec2, hours);
        add(row, lines.ebs, volumeGb * gbMonthsPerGb);
      }
    }
  }

  private linesOf(group: AutoScalingGroup, instance: GroupInstance): { ec2: number; ebs: number } {
    const key = `${group.spec.tier}|${instance.instanceType}|${instance.purchase}|${instance.availabilityZone}`;
    let lines = this.instanceLines.get(key);
    if (!lines) {
      const tags = this.tags(group.spec.tier);
      lines = {
        ec2: this.ec2Line(
          instance.instanceType,
          instance.purchase === 'spot' ? 'Spot Instances' : 'On Demand Instances',
          instance.availabilityZone,
          tags,
        ),
        ebs: this.ebsLine(instance.availabilityZone, tags),
      };
      this.instanceLines.set(key, lines);
    }
    return lines;
  }

  // ---------------------------------------------------------------- attribution

  /** Bill the traffic-driven usage of an interval. */
  private recordUsage(row: number[], u: TrafficUsage): void {
    const L = this.lines;
    const GB = 1e9;
    u.webRequests.forEach((r, i) => {
      const w = L.web[i]!;
      add(row, w.dataOut, (r * USAGE.responseBytes) / GB);
      add(row, w.regional, (2 * r * USAGE.crossAzBytesPerRequest) / GB);
      add(row, w.logs, (r * USAGE.logBytesPerRequest) / GB);
      add(row, w.nat, (r * USAGE.natBytesPerRequest) / GB);
      add(row, w.dns, r * USAGE.dnsQueriesPerRequest);
      const alb = L.alb[i];
      if (alb && r > 0) {
        // LCUs: the largest of new connections (25/s), active connections (3,000) and
        // processed bytes (1 GB an hour); bytes dominate for an API.
        const perSecond = r / 60;
        const lcu = Math.max(
          perSecond / USAGE.requestsPerConnection / 25,
          (perSecond * 3) / 3000,
          (perSecond * 3600 * (USAGE.requestBytes + USAGE.responseBytes)) / GB,
        );
        add(row, alb.lcu, lcu / 60);
      }
    });
    u.cdn.forEach((c, i) => {
      const l = L.cdn[i]!;
      const eu = USAGE.cdnEuropeShare;
      add(row, l.out.US, (c.bytes * (1 - eu)) / GB);
      add(row, l.out.EU, (c.bytes * eu) / GB);
      add(row, l.requests.US, c.requests * (1 - eu));
      add(row, l.requests.EU, c.requests * eu);
      add(row, l.hotlink, c.hotlinkBytes / GB);
      add(row, l.hotlinkRequests, c.hotlinkRequests);
    });
    u.s3.forEach((s, i) => {
      add(row, L.s3[i]!.tier1, s.tier1);
      add(row, L.s3[i]!.tier2, s.tier2);
    });
    u.lambda.forEach((f, i) => {
      add(row, L.lambda[i]!.requests, f.invocations);
      add(row, L.lambda[i]!.seconds, (f.durationMs / 1000) * USAGE.lambdaMemoryGb);
    });
    u.dynamo.forEach((d, i) => {
      add(row, L.dynamo[i]!.reads, d.reads);
      add(row, L.dynamo[i]!.writes, d.writes);
    });
    u.sqs.forEach((q, i) => {
      const l = L.sqs[i]!;
      add(row, l.send, q.sent);
      add(row, l.delete, q.deleted);
      add(row, l.receive, q.deleted + q.instanceMinutes * USAGE.sqsEmptyReceivesPerInstanceMinute);
    });
    add(row, L.natJobs, (u.jobs * USAGE.natBytesPerJob) / GB);
  }

  /** Bill the inventory's hourly usage from t0 to t1. */
  private recordFixed(row: number[], t0: number, t1: number): void {
    for (const item of this.fixed) {
      const hours = (t1 - Math.max(t0, item.from ?? t0)) / HOUR_MS;
      if (hours > 0) add(row, item.line, item.perHour(t0) * hours);
    }
  }

  // ---------------------------------------------------------------- lines

  private tags(tierId: string): CostTags {
    return this.tagsByTier.get(tierId) ?? {};
  }

  private line(spec: Omit<LineSpec, 'region'> & { region?: string }): number {
    return this.ledger.line({ region: REGION, ...spec });
  }

  private ec2Line(
    instanceType: string,
    purchaseType: PurchaseType,
    az: string,
    tags: CostTags,
    anomaly?: LineSpec['anomaly'],
  ): number {
    const spot = purchaseType === 'Spot Instances';
    const onDemand = PRICES.ec2Hourly[instanceType];
    if (onDemand === undefined) throw new Error(`no price for the instance type ${instanceType}`);
    return this.line({
      service: SERVICE.ec2,
      usageType: `${spot ? 'SpotUsage' : 'BoxUsage'}:${instanceType}`,
      operation: spot ? 'RunInstances:SV001' : 'RunInstances',
      unit: 'Hrs',
      az,
      instanceType,
      purchaseType,
      platform: 'Linux/UNIX',
      usageTypeGroup: 'EC2: Running Hours',
      tags,
      price: spot ? { kind: 'spot', instanceType } : { kind: 'flat', usd: onDemand },
      normalization: normalizationFactor(instanceType),
      ...(anomaly ? { anomaly } : {}),
    });
  }

  private ebsLine(az: string, tags: CostTags, anomaly?: LineSpec['anomaly']): number {
    return this.line({
      service: SERVICE.ec2Other,
      usageType: 'EBS:VolumeUsage.gp3',
      operation: 'CreateVolume-Gp3',
      unit: 'GB-Mo',
      az,
      usageTypeGroup: 'EC2: EBS - SSD(gp3)',
      tags,
      price: { kind: 'flat', usd: PRICES.ebsGp3GbMonth },
      ...(anomaly ? { anomaly } : {}),
    });
  }

  private apiLine(kind: 'gmd' | 'cw' | 'ce', operation: string): number {
    const key = `${kind}|${operation}`;
    let id = this.api.get(key);
    if (id === undefined) {
      id =
        kind === 'gmd'
          ? this.line({
              service: SERVICE.cloudWatch,
              usageType: 'CW:GMD-Metrics',
              operation: 'GetMetricData',
              unit: 'Metrics',
              tags: {},
              price: { kind: 'flat', usd: PRICES.cloudWatchGetMetricDataMetric },
            })
          : kind === 'cw'
            ? this.line({
                service: SERVICE.cloudWatch,
                usageType: 'CW:Requests',
                operation,
                unit: 'Requests',
                tags: {},
                price: { kind: 'flat', usd: PRICES.cloudWatchApiRequest },
              })
            : this.line({
                service: SERVICE.costExplorer,
                usageType: 'USE1-APIRequest',
                operation,
                unit: 'Requests',
                tags: {},
                price: { kind: 'flat', usd: PRICES.costExplorerRequest },
              });
      this.api.set(key, id);
    }
    return id;
  }

  private defineTrafficLines(): PlatformBilling['lines'] {
    const o = this.o;
    const flat = (usd: number): LinePrice => ({ kind: 'flat', usd });
    const dataOut: LinePrice = { kind: 'tiered', tiers: PRICES.dataTransferOutGb, pool: 'ec2-out' };
    const cdnOut: LinePrice = {
      kind: 'tiered',
      tiers: PRICES.cloudFrontOutGb.US,
      pool: 'cloudfront-out',
    };
    const natBytes = (tags: CostTags) =>
      this.line({
        service: SERVICE.ec2Other,
        usageType: 'NatGateway-Bytes',
        operation: 'NatGateway',
        unit: 'GB',
        usageTypeGroup: 'EC2: NAT Gateway - Data Processed',
        tags,
        price: flat(PRICES.natGatewayGb),
      });
    return {
      web: o.webServices.map((w) => {
        const tags = this.tags(w.tier);
        return {
          dataOut: this.line({
            service: SERVICE.ec2Other,
            usageType: 'DataTransfer-Out-Bytes',
            operation: 'RunInstances',
            unit: 'GB',
            usageTypeGroup: 'EC2: Data Transfer - Internet (Out)',
            tags,
            price: dataOut,
          }),
          regional: this.line({
            service: SERVICE.ec2Other,
            usageType: 'DataTransfer-Regional-Bytes',
            operation: 'InterZone-Out',
            unit: 'GB',
            usageTypeGroup: 'EC2: Data Transfer - Inter AZ',
            tags,
            price: flat(PRICES.dataTransferRegionalGb),
          }),
          logs: this.line({
            service: SERVICE.cloudWatch,
            usageType: 'DataProcessing-Bytes',
            operation: 'PutLogEvents',
            unit: 'GB',
            tags,
            price: flat(PRICES.cloudWatchLogsIngestedGb),
          }),
          dns: this.line({
            service: SERVICE.route53,
            usageType: 'DNS-Queries',
            operation: 'Route53Query',
            region: 'global',
            unit: 'Queries',
            tags: {},
            price: flat(PRICES.route53Query),
          }),
          nat: natBytes({}),
        };
      }),
      alb: o.webServices.map((w) =>
        w.spec.alb
          ? {
              lcu: this.line({
                service: SERVICE.elb,
                usageType: 'USE1-LCUUsage',
                operation: 'LoadBalancing:Application',
                unit: 'LCU-Hrs',
                tags: this.tags(w.tier),
                price: flat(PRICES.albLcuHour),
              }),
            }
          : undefined,
      ),
      cdn: o.cdns.map((c) => {
        const tags = this.tags(c.tier);
        const out = (edge: 'US' | 'EU', anomaly?: LineSpec['anomaly']) =>
          this.line({
            service: SERVICE.cloudFront,
            usageType: `${edge}-DataTransfer-Out-Bytes`,
            operation: 'GET',
            region: 'global',
            unit: 'GB',
            tags,
            price: cdnOut,
            ...(anomaly ? { anomaly } : {}),
          });
        const requests = (edge: 'US' | 'EU', anomaly?: LineSpec['anomaly']) =>
          this.line({
            service: SERVICE.cloudFront,
            usageType: `${edge}-Requests-Tier2-HTTPS`,
            operation: 'GET',
            region: 'global',
            unit: 'Requests',
            tags,
            price: flat(PRICES.cloudFrontHttpsRequest[edge]),
            ...(anomaly ? { anomaly } : {}),
          });
        return {
          out: { US: out('US'), EU: out('EU') },
          requests: { US: requests('US'), EU: requests('EU') },
          hotlink: out('US', 'hotlink'),
          hotlinkRequests: requests('US', 'hotlink'),
        };
      }),
      s3: o.buckets.map((b) => {
        const tags = this.tags(b.tier);
        return {
          tier1: this.line({
            service: SERVICE.s3,
            usageType: 'Requests-Tier1',
            operation: 'PutObject',
            unit: 'Requests',
            tags,
            price: flat(PRICES.s3Tier1Request),
          }),
          tier2: this.line({
            service: SERVICE.s3,
            usageType: 'Requests-Tier2',
            operation: 'GetObject',
            unit: 'Requests',
            tags,
            price: flat(PRICES.s3Tier2Request),
          }),
        };
      }),
      lambda: this.lambdas.map((f) => {
        const tags = this.tags(f.tier);
        return {
          seconds: this.line({
            service: SERVICE.lambda,
            usageType: 'Lambda-GB-Second',
            operation: 'Invoke',
            unit: 'Second',
            tags,
            price: flat(PRICES.lambdaGbSecond),
          }),
          requests: this.line({
            service: SERVICE.lambda,
            usageType: 'Request',
            operation: 'Invoke',
            unit: 'Requests',
            tags,
            price: flat(PRICES.lambdaRequest),
          }),
        };
      }),
      dynamo: this.tables.map((t) => {
        const tags = this.tags(t.tier);
        const units = (usageType: string, usd: number) =>
          this.line({
            service: SERVICE.dynamoDb,
            usageType,
            operation: 'PayPerRequestThroughput',
            unit: usageType,
            tags,
            price: flat(usd),
          });
        return {
          reads: units('ReadRequestUnits', PRICES.dynamoReadRequestUnit),
          writes: units('WriteRequestUnits', PRICES.dynamoWriteRequestUnit),
        };
      }),
      sqs: o.workerPools.map((p) => {
        const tags = this.tags(p.tier);
        const request = (operation: string) =>
          this.line({
            service: SERVICE.sqs,
            usageType: 'Requests-RBP',
            operation,
            unit: 'Requests',
            tags,
            price: flat(PRICES.sqsRequest),
          });
        return {
          send: request('SendMessage'),
          receive: request('ReceiveMessage'),
          delete: request('DeleteMessage'),
        };
      }),
      natJobs: natBytes({}),
    };
  }

  /** The hourly inventory: what runs whatever the traffic. */
  private defineFixedItems(): void {
    const o = this.o;
    const flat = (usd: number): LinePrice => ({ kind: 'flat', usd });
    const always = (perHour: number) => () => perHour;
    /** a monthly amount spread over the month's hours (AWS prorates by the hour) */
    const monthly = (amount: number) => (t: number) => amount / (24 * daysInMonth(epochDay(t)));
    const push = (line: number, perHour: (t: number) => number, from?: number) =>
      this.fixed.push({ line, perHour, ...(from !== undefined ? { from } : {}) });
    const ipv4 = this.line({
      service: SERVICE.vpc,
      usageType: 'USE1-PublicIPv4:InUseAddress',
      operation: 'AssociateAddress',
      unit: 'Hrs',
      tags: {},
      price: flat(PRICES.publicIpv4Hour),
    });

    for (const w of o.webServices) {
      if (!w.spec.alb) continue;
      push(
        this.line({
          service: SERVICE.elb,
          usageType: 'USE1-LoadBalancerUsage',
          operation: 'LoadBalancing:Application',
          unit: 'Hrs',
          tags: this.tags(w.tier),
          price: flat(PRICES.albHour),
        }),
        always(1),
      );
      push(ipv4, always(w.group.spec.availabilityZones.length));
    }
    if (o.webServices.length + o.workerPools.length > 0) {
      push(
        this.line({
          service: SERVICE.ec2Other,
          usageType: 'NatGateway-Hours',
          operation: 'NatGateway',
          unit: 'Hrs',
          usageTypeGroup: 'EC2: NAT Gateway - Running Hours',
          tags: {},
          price: flat(PRICES.natGatewayHour),
        }),
        always(USAGE.natGateways),
      );
      push(ipv4, always(USAGE.natGateways));
      push(
        this.line({
          service: SERVICE.ec2Other,
          usageType: 'EBS:SnapshotUsage',
          operation: 'CreateSnapshot',
          unit: 'GB-Mo',
          usageTypeGroup: 'EC2: EBS - Snapshots',
          tags: {},
          price: flat(PRICES.ebsSnapshotGbMonth),
        }),
        monthly(USAGE.snapshotGb),
      );
    }

    for (const b of o.backends) {
      const tags = this.tags(b.tier);
      if (b instanceof RdsInstance) {
        const type = 'db.r6g.xlarge';
        push(
          this.line({
            service: SERVICE.rds,
            usageType: `Multi-AZUsage:${type}`,
            operation: 'CreateDBInstance:0014',
            unit: 'Hrs',
            instanceType: type,
            databaseEngine: 'PostgreSQL',
            tags,
            price: flat(PRICES.rdsHourly[`Multi-AZ:${type}`]!),
            normalization: 2 * normalizationFactor(type),
          }),
          always(1),
        );
        push(
          this.line({
            service: SERVICE.rds,
            usageType: 'RDS:Multi-AZ-GP3-Storage',
            operation: 'CreateDBInstance:0014',
            unit: 'GB-Mo',
            databaseEngine: 'PostgreSQL',
            tags,
            price: flat(PRICES.rdsGp3GbMonth['Multi-AZ']!),
          }),
          monthly(USAGE.rdsStorageGb),
        );
      } else if (b instanceof CacheCluster) {
        const type = 'cache.r6g.large';
        push(
          this.line({
            service: SERVICE.elastiCache,
            usageType: `NodeUsage:${type}`,
            operation: 'CreateCacheCluster:0002',
            unit: 'Hrs',
            instanceType: type,
            cacheEngine: 'Redis',
            tags,
            price: flat(PRICES.elastiCacheNodeHourly[type]!),
            normalization: normalizationFactor(type),
          }),
          always(USAGE.cacheNodes),
        );
      } else if (b instanceof DynamoTable) {
        push(
          this.line({
            service: SERVICE.dynamoDb,
            usageType: 'TimedStorage-ByteHrs',
            operation: 'StandardStorage',
            unit: 'GB-Mo',
            tags,
            price: flat(PRICES.dynamoGbMonth),
          }),
          monthly(USAGE.dynamoTableGb),
        );
      } else if (b instanceof Route53HealthCheck) {
        push(
          this.line({
            service: SERVICE.route53,
            usageType: 'Health-Check-AWS',
            operation: 'HealthCheck',
            region: 'global',
            unit: 'Count',
            tags: {},
            price: flat(PRICES.route53HealthCheckMonth),
          }),
          monthly(1),
        );
      }
    }

    for (const b of o.buckets) {
      const tags = this.tags(b.tier);
      const storage = (usageType: string, operation: string, price: LinePrice, share: number) =>
        push(
          this.line({ service: SERVICE.s3, usageType, operation, unit: 'GB-Mo', tags, price }),
          (t) => (share * modelBucketBytes(t)) / 1e9 / (24 * daysInMonth(epochDay(t))),
        );
      storage(
        'TimedStorage-ByteHrs',
        'StandardStorage',
        { kind: 'tiered', tiers: PRICES.s3StandardGbMonth, pool: 's3-standard' },
        1,
      );
      storage(
        'TimedStorage-SIA-ByteHrs',
        'StandardIAStorage',
        flat(PRICES.s3StandardIaGbMonth),
        USAGE.s3InfrequentShare,
      );
      storage(
        'TimedStorage-GIR-ByteHrs',
        'GlacierInstantRetrievalStorage',
        flat(PRICES.s3GlacierInstantGbMonth),
        USAGE.s3GlacierShare,
      );
    }

    push(
      this.line({
        service: SERVICE.route53,
        usageType: 'HostedZone',
        operation: 'HostedZone',
        region: 'global',
        unit: 'Count',
        tags: {},
        price: flat(PRICES.route53HostedZoneMonth),
      }),
      monthly(1),
    );
    push(
      this.line({
        service: SERVICE.cloudWatch,
        usageType: 'CW:AlarmMonitorUsage',
        operation: 'Unknown',
        unit: 'Alarms',
        tags: {},
        price: flat(PRICES.cloudWatchAlarmMonth),
      }),
      monthly(o.alarmCount),
    );
    if (o.webServices.length > 0) {
      push(
        this.line({
          service: SERVICE.cloudWatch,
          usageType: 'CW:MetricMonitorUsage',
          operation: 'MetricStorage:AWS/Logs-EMF',
          unit: 'Metrics',
          tags: this.tags(o.webServices[0]!.tier),
          price: flat(PRICES.cloudWatchCustomMetricMonth),
        }),
        monthly(USAGE.customMetrics),
      );
    }
    push(this.apiLine('gmd', 'GetMetricData'), always(USAGE.otherGetMetricDataMetrics / 24));
    push(this.apiLine('cw', 'ListMetrics'), always(USAGE.otherCloudWatchRequests / 24));
    push(this.apiLine('ce', 'GetCostAndUsage'), always(USAGE.otherCostExplorerRequests / 24));

    // Outside the simulation: a small staging copy of the store, a developer box, and the
    // GPU instance an ML experiment left running.
    const zones = ['a', 'b', 'c'].map((z) => `${REGION}${z}`);
    const staging: CostTags = { env: 'staging', team: 'storefront', tier: 'web' };
    for (const az of zones.slice(0, 2)) {
      push(this.ec2Line('m6i.large', 'On Demand Instances', az, staging), always(1));
      push(this.ebsLine(az, staging), monthly(USAGE.webVolumeGb));
    }
    const stagingData: CostTags = { env: 'staging', team: 'data', tier: 'data' };
    push(
      this.line({
        service: SERVICE.rds,
        usageType: 'InstanceUsage:db.t4g.medium',
        operation: 'CreateDBInstance:0014',
        unit: 'Hrs',
        instanceType: 'db.t4g.medium',
        databaseEngine: 'PostgreSQL',
        tags: stagingData,
        price: flat(PRICES.rdsHourly['Single-AZ:db.t4g.medium']!),
        normalization: normalizationFactor('db.t4g.medium'),
      }),
      always(1),
    );
    push(
      this.line({
        service: SERVICE.rds,
        usageType: 'RDS:GP3-Storage',
        operation: 'CreateDBInstance:0014',
        unit: 'GB-Mo',
        databaseEngine: 'PostgreSQL',
        tags: stagingData,
        price: flat(PRICES.rdsGp3GbMonth['Single-AZ']!),
      }),
      monthly(50),
    );
    const dev: CostTags = { env: 'dev', team: 'platform' };
    push(this.ec2Line('t3.large', 'On Demand Instances', zones[0]!, dev), always(1));
    push(this.ebsLine(zones[0]!, dev), monthly(100));

    const gpu = o.anomalies.forgottenInstance;
    push(
      this.ec2Line(
        gpu.instanceType,
        'On Demand Instances',
        gpu.availabilityZone,
        gpu.tags,
        'forgotten-instance',
      ),
      always(1),
      gpu.startMs,
    );
    push(
      this.ebsLine(gpu.availabilityZone, gpu.tags, 'forgotten-instance'),
      monthly(gpu.volumeGb),
      gpu.startMs,
    );
  }
}

function add(row: number[], id: number, quantity: number): void {
  if (quantity > 0) row[id] = (row[id] ?? 0) + quantity;
}

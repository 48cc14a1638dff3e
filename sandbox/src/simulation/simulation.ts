// The simulated platform: it backfills history on creation, then advances minute by minute
// when told the time. Each minute: demand -> front tiers (web, workers) -> the services
// behind them -> group metrics -> alarms -> scaling policies -> groups launch/terminate.
import type { PlatformConfig } from '@ballast/core';
import { injectedAnomalies, type InjectedAnomalies } from '../billing/anomalies.js';
import { BillingLedger, ledgerFirstDay } from '../billing/ledger.js';
import { PlatformBilling } from '../billing/platform-billing.js';
import { Aggregate, MetricStore, type MetricSeries } from '../metrics/metric-store.js';
import { parseStatistic, statisticValue } from '../metrics/statistics.js';
import { Random } from '../random.js';
import { DAY_MS, MINUTE_MS } from '../time.js';
import { MetricAlarm, type DatapointSource, type MetricStatSpec } from './alarms.js';
import type { AutoScalingGroup } from './auto-scaling-group.js';
import type { StoreBusinessMetrics } from './services/business.js';
import { emptyLoad, type MinuteContext, type SimulatedResource } from './services/minute.js';
import type { WebService } from './services/web-service.js';
import type { WorkerPool } from './services/worker-pool.js';
import { TargetTrackingPolicy } from './target-tracking-policy.js';
import { buildTopology } from './topology.js';
import { DEFAULT_UTC_OFFSET_HOURS, TrafficModel, type BlackFridayOptions } from './traffic.js';

export interface SimulationOptions {
  platform: PlatformConfig;
  seed: number;
  /** the simulation backfills history up to this time, epoch ms */
  nowMs: number;
  /** days of 1-minute history before now (fractions allowed) */
  backfillDays: number;
  /** days of 5-minute history before the 1-minute history */
  coarseBackfillDays: number;
  /** false: no Black-Friday event */
  blackFriday?: BlackFridayOptions | false;
  /** store time zone as a fixed offset from UTC, hours (default -5) */
  utcOffsetHours?: number;
  accountId?: string;
}

export const DEFAULT_ACCOUNT_ID = '123456789012';

/**
 * The AWS/AutoScaling group metrics the sandbox publishes, as a group does with metrics
 * collection enabled for them. The sandbox has no instance weights, so capacity units are
 * instances. (AWS publishes no metric per purchase option: the on-demand/spot split comes
 * from the group's instances distribution, see splitOnDemandSpot.)
 */
export const GROUP_METRICS = [
  'GroupMinSize',
  'GroupMaxSize',
  'GroupDesiredCapacity',
  'GroupInServiceInstances',
  'GroupInServiceCapacity',
  'GroupTotalInstances',
] as const;
type GroupMetricName = (typeof GROUP_METRICS)[number];

interface GroupMetrics {
  group: AutoScalingGroup;
  series: Record<GroupMetricName, MetricSeries>;
}

export class Simulation {
  readonly platform: PlatformConfig;
  readonly seed: number;
  readonly accountId: string;
  readonly store: MetricStore;
  readonly traffic: TrafficModel;
  /** first simulated minute, epoch ms */
  readonly startMs: number;
  readonly groups: ReadonlyMap<string, AutoScalingGroup>;
  readonly webServices: readonly WebService[];
  readonly workerPools: readonly WorkerPool[];
  readonly policies: readonly TargetTrackingPolicy[];
  /** all alarms, in a stable order (AWS lists them by name) */
  readonly alarms: readonly MetricAlarm[];
  /** the daily bill of the platform, as Cost Explorer reads it */
  readonly ledger: BillingLedger;
  /** what feeds the bill: estimates before the simulation, then its real usage */
  readonly billing: PlatformBilling;
  /** the cost anomalies planted for the demo */
  readonly anomalies: InjectedAnomalies;
  /** the storefront's business metrics (Store3D/Business), when there is a web tier */
  readonly business: StoreBusinessMetrics | undefined;
  /** demand of the last simulated minute */
  lastDemand = 0;
  private readonly backends: readonly SimulatedResource[];
  /** each group with its AWS/AutoScaling series, recorded every minute */
  private readonly groupMetrics: GroupMetrics[];
  private nextMinute: number;

  constructor(options: SimulationOptions) {
    const { platform, seed, nowMs } = options;
    if (!(options.backfillDays > 0)) throw new RangeError('backfillDays must be > 0');
    if (!(options.coarseBackfillDays >= 0)) throw new RangeError('coarseBackfillDays must be >= 0');
    this.platform = platform;
    this.seed = seed;
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    const fineMinutes = Math.round(options.backfillDays * 1440);
    const coarseMinutes = Math.round(options.coarseBackfillDays * 1440);
    const endMinute = Math.floor(nowMs / MINUTE_MS);
    const firstMinute = endMinute - fineMinutes - coarseMinutes;
    this.startMs = firstMinute * MINUTE_MS;
    this.nextMinute = firstMinute;
    this.store = new MetricStore({
      // At least an hour: the simulation's own alarms read up to 15 minutes back.
      fineMinutes: Math.max(60, fineMinutes),
      coarseBuckets: Math.max(12, Math.ceil((fineMinutes + coarseMinutes) / 5) + 12),
    });
    this.store.startTimeline(firstMinute, firstMinute + coarseMinutes);
    const utcOffsetHours = options.utcOffsetHours ?? DEFAULT_UTC_OFFSET_HOURS;
    this.traffic = new TrafficModel({ seed, utcOffsetHours, blackFriday: options.blackFriday });
    this.anomalies = injectedAnomalies(seed, nowMs, platform.region);

    const topology = buildTopology({
      platform,
      seed,
      accountId: this.accountId,
      utcOffsetHours,
      startMs: this.startMs,
      initialDemand: this.traffic.shape(this.startMs),
      store: this.store,
      hotlink: this.anomalies.hotlink,
    });
    this.webServices = topology.webServices;
    this.workerPools = topology.workerPools;
    this.backends = topology.backends;
    this.groups = new Map(topology.groups.map((g) => [g.name, g]));
    this.business = topology.business;

    this.groupMetrics = topology.groups.map((group) => this.defineGroupMetrics(group));
    const region = platform.region;
    const alarms = topology.alarms.map(
      (def) =>
        new MetricAlarm(
          def,
          this.metricSource(def.metric!),
          `arn:aws:cloudwatch:${region}:${this.accountId}:alarm:${def.name}`,
        ),
    );
    this.policies = topology.policies.map(
      ({ group, spec }, i) =>
        new TargetTrackingPolicy(group, spec, {
          source:
            'math' in spec.metric
              ? this.backlogPerInstanceSource(spec.metric.math)
              : this.metricSource(spec.metric),
          region,
          accountId: this.accountId,
          random: new Random(seed, `policy:${i}:${group.name}`),
          createdAt: this.startMs - 90 * DAY_MS,
        }),
    );
    for (const p of this.policies) alarms.push(p.alarmHigh, p.alarmLow);
    this.alarms = alarms.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

    // The bill: metered minute by minute, and estimated back to the start of Cost Explorer's
    // retention when first read (billing.ensureHistory).
    this.ledger = new BillingLedger(seed, ledgerFirstDay(nowMs), this.startMs);
    const targets = new Map(this.policies.map((p) => [p.group, p.spec.targetValue]));
    this.billing = new PlatformBilling({
      ledger: this.ledger,
      seed,
      platform,
      traffic: this.traffic,
      store: this.store,
      webServices: this.webServices,
      workerPools: this.workerPools,
      backends: this.backends,
      groups: topology.groups,
      cdns: topology.cdns,
      buckets: topology.buckets,
      targetCpu: (group) => targets.get(group) ?? 70,
      alarmCount: this.alarms.length,
      anomalies: this.anomalies,
      simulationStartMs: this.startMs,
    });

    this.advanceTo(nowMs);
  }

  /** End of the last simulated minute: data exists up to here. */
  get now(): number {
    return this.nextMinute * MINUTE_MS;
  }

  /** The web service behind the storefront API (the platform's first web service). */
  get storefront(): WebService | undefined {
    return this.webServices[0];
  }

  /** Simulate every whole minute that ends at or before t; returns how many. */
  advanceTo(t: number): number {
    let simulated = 0;
    while ((this.nextMinute + 1) * MINUTE_MS <= t) {
      this.simulateMinute(this.nextMinute);
      this.nextMinute++;
      simulated++;
    }
    return simulated;
  }

  private simulateMinute(minute: number): void {
    const startMs = minute * MINUTE_MS;
    const endMs = startMs + MINUTE_MS;
    const demand = this.traffic.next(startMs);
    this.lastDemand = demand;
    const ctx: MinuteContext = { minute, startMs, endMs, demand, load: emptyLoad() };
    for (const web of this.webServices) web.simulateMinute(ctx);
    for (const pool of this.workerPools) pool.simulateMinute(ctx);
    ctx.load.storefrontErrorRate = this.storefront?.lastErrorRate ?? 0;
    for (const resource of this.backends) resource.simulateMinute(ctx);
    for (const { group, series } of this.groupMetrics) {
      const inService = group.count('InService');
      series.GroupMinSize.recordValue(minute, group.minSize);
      series.GroupMaxSize.recordValue(minute, group.maxSize);
      series.GroupDesiredCapacity.recordValue(minute, group.desired);
      series.GroupInServiceInstances.recordValue(minute, inService);
      series.GroupInServiceCapacity.recordValue(minute, inService);
      series.GroupTotalInstances.recordValue(minute, group.instances.length);
    }
    this.store.completeMinute(minute);

    for (const alarm of this.alarms) if (alarm.isDue(endMs)) alarm.evaluate(endMs, endMs + 20_000);
    for (const policy of this.policies) policy.act(endMs + 25_000);
    for (const group of this.groups.values()) group.advance(endMs + 30_000, MINUTE_MS);
    this.billing.meterMinute(ctx);
  }

  private defineGroupMetrics(group: AutoScalingGroup): GroupMetrics {
    const dimensions = [{ name: 'AutoScalingGroupName', value: group.name }];
    const define = (metricName: string) =>
      this.store.define({
        namespace: 'AWS/AutoScaling',
        metricName,
        dimensions,
        unit: 'None',
        kind: 'value',
      });
    const series = Object.fromEntries(GROUP_METRICS.map((name) => [name, define(name)]));
    return { group, series: series as GroupMetrics['series'] };
  }

  /** Datapoints of a metric for the simulation's own alarms, from the 1-minute ring. */
  private metricSource(spec: MetricStatSpec): DatapointSource {
    const series = this.store.get(spec.namespace, spec.metricName, spec.dimensions);
    const stat = parseStatistic(spec.stat);
    if (!series || !stat)
      throw new Error(
        `alarm on a metric the simulation does not publish: ${spec.namespace} ${spec.metricName} ${spec.stat}`,
      );
    const scratch = new Aggregate();
    return (start, periodMs) => {
      scratch.reset();
      const first = start / MINUTE_MS;
      for (let m = first; m < first + periodMs / MINUTE_MS; m++) {
        if (this.store.holdsMinute(m)) series.addFineMinute(m, scratch);
      }
      const value = statisticValue(stat, scratch);
      return value === undefined ? undefined : { value, sampleCount: scratch.count };
    };
  }

  /** Metric math m1 / m2 (messages visible per in-service instance), as the worker policies use. */
  private backlogPerInstanceSource(
    math: { id: string; metricStat?: MetricStatSpec }[],
  ): DatapointSource {
    const [m1, m2] = math.filter((q) => q.metricStat).map((q) => this.metricSource(q.metricStat!));
    if (!m1 || !m2) throw new Error('backlog-per-instance math needs two metrics');
    return (start, periodMs) => {
      const messages = m1(start, periodMs);
      const instances = m2(start, periodMs);
      if (!messages || !instances || instances.value <= 0) return undefined;
      return { value: messages.value / instances.value, sampleCount: 1 };
    };
  }
}

// The simulated platform: it backfills history on creation, then advances minute by minute
// when told the time. Each minute: demand -> front tiers (web, workers) -> the services
// behind them -> group metrics -> alarms -> scheduled actions -> scaling policies -> groups
// launch/terminate. Writes through the AWS APIs (scaling policies, scheduled actions, group
// sizes and mixes, alarms) change what it does from then on.
import type { PlatformConfig } from '@ballast/core';
import { injectedAnomalies, type InjectedAnomalies } from '../billing/anomalies.js';
import { BillingLedger, ledgerFirstDay } from '../billing/ledger.js';
import { PlatformBilling } from '../billing/platform-billing.js';
import { Aggregate, MetricStore, type MetricSeries } from '../metrics/metric-store.js';
import { parseStatistic, statisticValue } from '../metrics/statistics.js';
import { Random } from '../random.js';
import { DAY_MS, MINUTE_MS } from '../time.js';
import {
  MetricAlarm,
  type AlarmMathQuery,
  type DatapointSource,
  type MetricAlarmDefinition,
  type MetricStatSpec,
} from './alarms.js';
import type { AutoScalingGroup } from './auto-scaling-group.js';
import { evaluateMath, parseMathExpression, type MathNode } from './metric-math.js';
import {
  AlarmDrivenPolicy,
  applyTargetTracking,
  TargetTrackingPolicy,
  type AlarmFactory,
  type PolicyDefinition,
  type ScalingPolicy,
} from './scaling-policies.js';
import { ScheduledAction, type ScheduledActionDefinition } from './scheduled-actions.js';
import type { StoreBusinessMetrics } from './services/business.js';
import { emptyLoad, type MinuteContext, type SimulatedResource } from './services/minute.js';
import type { WebService } from './services/web-service.js';
import type { WorkerPool } from './services/worker-pool.js';
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

/**
 * Spot interruption warnings per group and minute, as a team publishes them from EC2's
 * "EC2 Spot Instance Interruption Warning" events (AWS has no such metric): a two-minute
 * notice before the instance is reclaimed.
 */
export const SPOT_WARNING_METRIC = {
  namespace: 'Store3D/Spot',
  metricName: 'SpotInterruptionWarnings',
} as const;

interface GroupMetrics {
  group: AutoScalingGroup;
  series: Record<GroupMetricName, MetricSeries>;
  spotWarnings: MetricSeries;
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
  /** alarms by name; `alarms` lists them sorted */
  private readonly alarmsByName = new Map<string, MetricAlarm>();
  private sortedAlarms: MetricAlarm[] | undefined;
  /** deleted alarms, whose history CloudWatch keeps */
  private readonly deletedAlarms: MetricAlarm[] = [];
  private readonly policiesByArn = new Map<string, ScalingPolicy>();
  /** ids (ARN UUIDs, alarm-name suffixes) of what the APIs create */
  private readonly ids: Random;
  private readonly alarmFactory: AlarmFactory;

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
    this.ids = new Random(seed, 'aws-ids');
    this.alarmFactory = {
      create: (definition) => this.newAlarm(definition),
      reconfigure: (alarm, definition) => alarm.reconfigure(definition, this.sourceOf(definition)),
      uuid: () => this.ids.uuid(),
    };
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
    for (const def of topology.alarms) this.addAlarm(this.newAlarm(def));
    // The policies the platform has been running with, and the alarms that drive them.
    const configuredAt = this.startMs - 90 * DAY_MS;
    for (const { group, definition, alarms } of topology.policies) {
      const policy = this.putScalingPolicy(group, definition, configuredAt);
      for (const def of alarms ?? [])
        this.addAlarm(
          this.newAlarm({ ...def, alarmActions: [policy.arn], createdAt: configuredAt }),
        );
    }

    // The bill: metered minute by minute, and estimated back to the start of Cost Explorer's
    // retention when first read (billing.ensureHistory).
    this.ledger = new BillingLedger(seed, ledgerFirstDay(nowMs), this.startMs);
    // The CPU targets the web groups start with: the bill's history before the simulation is
    // estimated with them (changes made later show in the minutes metered after them).
    const targets = new Map<AutoScalingGroup, number>();
    for (const p of this.policies) {
      const d = p.definition;
      if (
        d.policyType === 'TargetTrackingScaling' &&
        d.metric.kind === 'predefined' &&
        d.metric.type === 'ASGAverageCPUUtilization'
      )
        targets.set(p.group, d.targetValue);
    }
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

  /** All alarms, sorted by name as CloudWatch lists them. */
  get alarms(): readonly MetricAlarm[] {
    this.sortedAlarms ??= [...this.alarmsByName.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    return this.sortedAlarms;
  }

  /** Alarms with a history to read: the current ones and those deleted within 30 days. */
  get alarmsWithHistory(): readonly MetricAlarm[] {
    return [...this.alarms, ...this.deletedAlarms];
  }

  alarm(name: string): MetricAlarm | undefined {
    return this.alarmsByName.get(name);
  }

  /** Every scaling policy, by group then name. */
  get policies(): ScalingPolicy[] {
    return [...this.groups.values()].flatMap((g) =>
      [...g.policies.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
    );
  }

  policyByArn(arn: string): ScalingPolicy | undefined {
    return this.policiesByArn.get(arn);
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

  // ---------------------------------------------------------------- writes

  /**
   * Create or update a scaling policy (PutScalingPolicy; the caller validated it). A target
   * tracking policy creates its alarms; a new type replaces the policy of that name.
   */
  putScalingPolicy(
    group: AutoScalingGroup,
    definition: PolicyDefinition,
    now: number,
  ): ScalingPolicy {
    const existing = group.policies.get(definition.policyName);
    if (existing) {
      if (
        existing instanceof TargetTrackingPolicy &&
        definition.policyType === 'TargetTrackingScaling'
      ) {
        const { added, removed } = existing.update(definition, now);
        for (const alarm of added) this.addAlarm(alarm);
        for (const alarm of removed) this.removeAlarm(alarm, now);
        return existing;
      }
      if (
        existing instanceof AlarmDrivenPolicy &&
        definition.policyType !== 'TargetTrackingScaling'
      ) {
        existing.update(definition);
        return existing;
      }
      this.deleteScalingPolicy(existing, now);
    }
    const region = this.platform.region;
    const policy =
      definition.policyType === 'TargetTrackingScaling'
        ? new TargetTrackingPolicy(group, definition, this.alarmFactory, { region, createdAt: now })
        : new AlarmDrivenPolicy(group, definition, this.ids.uuid(), region);
    if (policy instanceof TargetTrackingPolicy)
      for (const alarm of policy.ownAlarms) this.addAlarm(alarm);
    group.policies.set(policy.name, policy);
    this.policiesByArn.set(policy.arn, policy);
    return policy;
  }

  /**
   * Delete a policy (DeletePolicy): a target-tracking policy's alarms go with it; alarms
   * that invoke a step or simple policy stay, without it among their actions.
   */
  deleteScalingPolicy(policy: ScalingPolicy, now: number): void {
    policy.group.policies.delete(policy.name);
    this.policiesByArn.delete(policy.arn);
    if (policy instanceof TargetTrackingPolicy) {
      for (const alarm of policy.ownAlarms) this.removeAlarm(alarm, now);
      return;
    }
    for (const alarm of this.alarmsByName.values()) {
      const d = alarm.definition;
      if (d.alarmActions.includes(policy.arn) || d.okActions.includes(policy.arn)) {
        alarm.definition = {
          ...d,
          alarmActions: d.alarmActions.filter((a) => a !== policy.arn),
          okActions: d.okActions.filter((a) => a !== policy.arn),
        };
      }
    }
  }

  /** Create or replace a scheduled action (the caller validated it). */
  putScheduledAction(
    group: AutoScalingGroup,
    definition: ScheduledActionDefinition,
    now: number,
  ): ScheduledAction {
    const existing = group.scheduledActions.get(definition.name);
    // An update keeps the action's ARN.
    const uuid = existing ? existing.arn.split(':')[6]! : this.ids.uuid();
    const action = new ScheduledAction(group, definition, uuid, this.platform.region, now);
    group.scheduledActions.set(definition.name, action);
    return action;
  }

  /** Create or replace a metric alarm (PutMetricAlarm; the caller validated it). */
  putMetricAlarm(definition: MetricAlarmDefinition): MetricAlarm {
    const existing = this.alarmsByName.get(definition.name);
    if (existing) {
      existing.reconfigure(definition, this.sourceOf(definition));
      return existing;
    }
    const alarm = this.newAlarm(definition);
    this.addAlarm(alarm);
    return alarm;
  }

  /** Delete alarms by name (DeleteAlarms). */
  deleteAlarm(alarm: MetricAlarm, now: number): void {
    this.removeAlarm(alarm, now);
  }

  /** Act on a change to a group at once (launches and terminations start within seconds). */
  applyNow(group: AutoScalingGroup, now: number): void {
    group.advance(now, 0);
  }

  // ---------------------------------------------------------------- the minute

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
    for (const { group, series, spotWarnings } of this.groupMetrics) {
      const inService = group.count('InService');
      series.GroupMinSize.recordValue(minute, group.minSize);
      series.GroupMaxSize.recordValue(minute, group.maxSize);
      series.GroupDesiredCapacity.recordValue(minute, group.desired);
      series.GroupInServiceInstances.recordValue(minute, inService);
      series.GroupInServiceCapacity.recordValue(minute, inService);
      series.GroupTotalInstances.recordValue(minute, group.instances.length);
      spotWarnings.recordValue(minute, group.takeInterruptionNotices());
    }
    this.store.completeMinute(minute);

    const alarms = this.alarms;
    for (const alarm of alarms) if (alarm.isDue(endMs)) alarm.evaluate(endMs, endMs + 20_000);
    const decideAt = endMs + 25_000;
    const actAt = endMs + 30_000;
    for (const group of this.groups.values()) {
      this.runScheduledActions(group, actAt);
      applyTargetTracking(group, this.targetTracking(group), decideAt);
    }
    // Alarms invoke Auto Scaling actions once a minute while they stay in the state.
    for (const alarm of alarms) {
      if (!alarm.isDue(endMs) || alarm.state === 'INSUFFICIENT_DATA') continue;
      if (alarm.definition.actionsEnabled === false) continue;
      const d = alarm.definition;
      for (const arn of alarm.state === 'ALARM' ? d.alarmActions : d.okActions) {
        const policy = this.policiesByArn.get(arn);
        if (policy instanceof AlarmDrivenPolicy) policy.onAlarm(alarm, decideAt);
      }
    }
    for (const group of this.groups.values()) group.advance(actAt, MINUTE_MS);
    this.billing.meterMinute(ctx);
  }

  private targetTracking(group: AutoScalingGroup): TargetTrackingPolicy[] {
    const out: TargetTrackingPolicy[] = [];
    for (const p of group.policies.values()) if (p instanceof TargetTrackingPolicy) out.push(p);
    return out;
  }

  /** Run the group's scheduled actions due by `until`, in time order, at their times. */
  private runScheduledActions(group: AutoScalingGroup, until: number): void {
    if (group.scheduledActions.size === 0) return;
    for (;;) {
      let next: ScheduledAction | undefined;
      for (const a of group.scheduledActions.values())
        if (a.nextRun !== undefined && a.nextRun <= until && (!next || a.nextRun < next.nextRun!))
          next = a;
      if (!next) break;
      next.run(next.nextRun!);
    }
    for (const [name, a] of group.scheduledActions)
      if (a.nextRun === undefined) group.scheduledActions.delete(name);
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
    // Published under the name the platform config gives it, as the team's rule would.
    const named = this.platform.tiers
      .flatMap((t) => t.resources)
      .find((r) => r.type === 'asg' && r.name === group.name);
    const spotWarnings = this.store.define({
      ...((named?.type === 'asg' && named.spotInterruptions) || SPOT_WARNING_METRIC),
      dimensions,
      unit: 'Count',
      kind: 'value',
    });
    return { group, series: series as GroupMetrics['series'], spotWarnings };
  }

  // ---------------------------------------------------------------- alarms

  private newAlarm(definition: MetricAlarmDefinition): MetricAlarm {
    return new MetricAlarm(
      definition,
      this.sourceOf(definition),
      `arn:aws:cloudwatch:${this.platform.region}:${this.accountId}:alarm:${definition.name}`,
    );
  }

  private addAlarm(alarm: MetricAlarm): void {
    this.alarmsByName.set(alarm.name, alarm);
    this.sortedAlarms = undefined;
  }

  private removeAlarm(alarm: MetricAlarm, now: number): void {
    if (this.alarmsByName.get(alarm.name) !== alarm) return;
    this.alarmsByName.delete(alarm.name);
    this.sortedAlarms = undefined;
    alarm.deleted = true;
    this.deletedAlarms.push(alarm);
    // CloudWatch keeps a deleted alarm's history for its 30 days.
    const keepFrom = now - 30 * DAY_MS;
    for (let k = this.deletedAlarms.length - 1; k >= 0; k--) {
      const last = this.deletedAlarms[k]!.history.at(-1);
      if (!last || last.timestamp < keepFrom) this.deletedAlarms.splice(k, 1);
    }
  }

  /** Where an alarm reads its datapoints: its metric, or its metric math. */
  private sourceOf(definition: MetricAlarmDefinition): DatapointSource {
    if (definition.metric) return this.metricSource(definition.metric);
    return this.mathSource(definition.metrics ?? []);
  }

  /**
   * Datapoints of a metric for the simulation's alarms, from the 1-minute ring. A metric
   * the simulation does not publish (yet) has no datapoints, as in CloudWatch.
   */
  private metricSource(spec: MetricStatSpec): DatapointSource {
    const stat = parseStatistic(spec.stat);
    let series: MetricSeries | undefined;
    const scratch = new Aggregate();
    return (start, periodMs) => {
      series ??= this.store.get(spec.namespace, spec.metricName, spec.dimensions);
      if (!series || !stat) return undefined;
      scratch.reset();
      const first = start / MINUTE_MS;
      for (let m = first; m < first + periodMs / MINUTE_MS; m++) {
        if (this.store.holdsMinute(m)) series.addFineMinute(m, scratch);
      }
      const value = statisticValue(stat, scratch);
      return value === undefined ? undefined : { value, sampleCount: scratch.count };
    };
  }

  /**
   * Datapoints of metric math: each MetricStat query read for the period, the expressions
   * evaluated over them, the value of the query that returns data.
   */
  private mathSource(queries: readonly AlarmMathQuery[]): DatapointSource {
    const metrics = new Map<string, DatapointSource>();
    const expressions = new Map<string, MathNode>();
    for (const q of queries) {
      if (q.metricStat) metrics.set(q.id, this.metricSource(q.metricStat));
      else if (q.expression !== undefined) expressions.set(q.id, parseMathExpression(q.expression));
    }
    const result = queries.find((q) => q.returnData) ?? queries.at(-1);
    return (start, periodMs) => {
      if (!result) return undefined;
      const values = new Map<string, number | undefined>();
      const valueOf = (id: string, depth: number): number | undefined => {
        if (values.has(id)) return values.get(id);
        let v: number | undefined;
        const source = metrics.get(id);
        const node = expressions.get(id);
        if (source) v = source(start, periodMs)?.value;
        else if (node && depth < queries.length)
          v = evaluateMath(node, (ref) => valueOf(ref, depth + 1));
        values.set(id, v);
        return v;
      };
      const value = valueOf(result.id, 0);
      return value === undefined || !Number.isFinite(value) ? undefined : { value, sampleCount: 1 };
    };
  }
}

// An EC2 Auto Scaling group: instances move Pending -> InService -> Terminating, the group
// launches or terminates to meet its desired capacity with an on-demand/spot mix balanced
// across Availability Zones, and every launch and termination is a scaling activity with
// the Description and Cause text AWS writes. Spot instances get a two-minute interruption
// notice before they are reclaimed (replaced at once with Capacity Rebalancing, else when
// they go); a changed on-demand/spot mix is met gradually, launching before terminating.
import { splitOnDemandSpot } from '@ballast/core';
import { hashUuid, type Random } from '../random.js';
import { isoSeconds, SECOND_MS } from '../time.js';
import type { ScalingPolicy } from './scaling-policies.js';
import type { ScheduledAction } from './scheduled-actions.js';

export type LifecycleState = 'Pending' | 'InService' | 'Terminating';
export type PurchaseOption = 'on-demand' | 'spot';

export interface GroupInstance {
  id: string;
  availabilityZone: string;
  subnetId: string;
  instanceType: string;
  purchase: PurchaseOption;
  state: LifecycleState;
  healthy: boolean;
  launchedAt: number;
  /** when it passes health checks and takes traffic */
  inServiceAt: number;
  /** when its termination completes (set once Terminating) */
  goneAt?: number;
  launchActivity?: ScalingActivity;
  terminateActivity?: ScalingActivity;
  /** a spot interruption notice was given: EC2 reclaims the instance at this time */
  interruptionAt?: number;
  /** launched to meet a changed on-demand/spot mix; an over-represented one goes once it is up */
  replacing?: boolean;
  /** the bill's line items for its hours and its volume (set by the billing meter) */
  billing: { ec2: number; ebs: number } | undefined;
}

/** A change of desired capacity, shared by the activities it causes. */
interface CapacityChange {
  at: number;
  /** completes "At <time> ...", e.g. "a monitor alarm X in state ALARM triggered policy Y" */
  reason: string;
  from: number;
  to: number;
}

/** Why an instance was launched or terminated. */
type ActivityReason =
  | { kind: 'capacity'; change: CapacityChange | undefined; from: number; to: number }
  | { kind: 'spot-interruption' }
  | { kind: 'health-check' }
  | { kind: 'purchase-mix' };

/**
 * One launch or termination. Kept compact (a group can record thousands); AWS's
 * Description, Cause and Details text is written when someone reads it.
 */
export class ScalingActivity {
  statusCode: 'InProgress' | 'Successful' = 'InProgress';
  progress = 30;
  endTime: number | undefined;

  constructor(
    /** the group's id salt and this activity's number: the id is derived, not stored */
    private readonly idSalt: string,
    private readonly sequence: number,
    readonly groupName: string,
    readonly action: 'launch' | 'terminate',
    private readonly instance: Pick<GroupInstance, 'id' | 'subnetId' | 'availabilityZone'>,
    readonly startTime: number,
    private readonly reason: ActivityReason,
  ) {}

  get activityId(): string {
    return hashUuid(this.idSalt, this.sequence);
  }

  get description(): string {
    return this.action === 'launch'
      ? `Launching a new EC2 instance: ${this.instance.id}`
      : `Terminating EC2 instance: ${this.instance.id}`;
  }

  get cause(): string {
    const at = isoSeconds(this.startTime);
    const r = this.reason;
    if (r.kind === 'spot-interruption') {
      return `At ${at} an instance was taken out of service in response to an EC2 Spot Instance interruption notice.`;
    }
    if (r.kind === 'health-check') {
      return `At ${at} an instance was taken out of service in response to an ELB system health check failure.`;
    }
    if (r.kind === 'purchase-mix') {
      return `At ${at} an instance was started in order to meet the On-Demand and Spot distribution of the mixed instances policy.`;
    }
    const c = r.change;
    const prefix = c
      ? `At ${isoSeconds(c.at)} ${c.reason} changing the desired capacity from ${c.from} to ${c.to}.  `
      : '';
    return this.action === 'launch'
      ? `${prefix}At ${at} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${r.from} to ${r.to}.`
      : `${prefix}At ${at} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${r.from} to ${r.to}.  At ${at} instance ${this.instance.id} was selected for termination.`;
  }

  /** JSON, as AWS's Details */
  get details(): string {
    return JSON.stringify({
      'Subnet ID': this.instance.subnetId,
      'Availability Zone': this.instance.availabilityZone,
    });
  }

  complete(at: number): void {
    this.statusCode = 'Successful';
    this.progress = 100;
    this.endTime = at;
  }
}

export const SPOT_ALLOCATION_STRATEGIES = [
  'price-capacity-optimized',
  'capacity-optimized',
  'capacity-optimized-prioritized',
  'lowest-price',
] as const;
export type SpotAllocationStrategy = (typeof SPOT_ALLOCATION_STRATEGIES)[number];

export interface InstancesDistribution {
  onDemandAllocationStrategy: 'prioritized' | 'lowest-price';
  onDemandBaseCapacity: number;
  onDemandPercentageAboveBaseCapacity: number;
  spotAllocationStrategy: SpotAllocationStrategy;
}

/**
 * Chance per spot instance-hour of an interruption notice, by allocation strategy. The
 * Spot Instance Advisor puts the instance types these groups use in its "<5%" to "10-15%"
 * of instances interrupted a month; capacity-optimized pools sit at its low end, the
 * cheapest pool (lowest-price) at its high end: 5%, 10% and 20% a month of 730 hours.
 */
export const SPOT_INTERRUPTIONS_PER_HOUR: Readonly<Record<SpotAllocationStrategy, number>> = {
  'capacity-optimized': 0.05 / 730,
  'capacity-optimized-prioritized': 0.05 / 730,
  'price-capacity-optimized': 0.1 / 730,
  'lowest-price': 0.2 / 730,
};

/** How long EC2 gives a spot instance between its interruption notice and reclaiming it. */
export const SPOT_NOTICE_MS = 120 * SECOND_MS;

export interface GroupSpec {
  name: string;
  tier: string;
  minSize: number;
  maxSize: number;
  initialDesired: number;
  availabilityZones: string[];
  /** instance types in priority order (the MixedInstancesPolicy overrides) */
  instanceTypes: string[];
  distribution: InstancesDistribution;
  targetGroupArns: string[];
  healthCheckType: 'EC2' | 'ELB';
  healthCheckGracePeriod: number;
  defaultCooldown: number;
  /** seconds a new instance's metrics are left out of scaling decisions (undefined: unset) */
  defaultInstanceWarmup: number | undefined;
  capacityRebalance: boolean;
  tags: Record<string, string>;
  launchTemplate: { id: string; name: string; version: string };
  /** seconds from launch to InService */
  bootSeconds: [min: number, max: number];
  /** seconds a terminating instance drains before it is gone */
  drainSeconds: number;
  /** chance per spot instance-hour of an interruption notice, by allocation strategy */
  spotInterruptionsPerHour: Readonly<Record<SpotAllocationStrategy, number>>;
  createdTime: number;
}

/** Activities kept per group: AWS keeps six weeks; a count bound keeps memory flat. */
const MAX_ACTIVITIES = 5000;

/** Where a change of the group's size comes from, as its activities' causes name it. */
export type SizeRequester = 'user request' | 'scheduled action';

export class AutoScalingGroup {
  readonly arn: string;
  desired: number;
  readonly instances: GroupInstance[] = [];
  /** activities, oldest first */
  readonly activities: ScalingActivity[] = [];
  /** scaling policies by name, as PutScalingPolicy stored them */
  readonly policies = new Map<string, ScalingPolicy>();
  /** scheduled actions by name that have yet to run (or to reach their end time) */
  readonly scheduledActions = new Map<string, ScheduledAction>();
  /** when the desired capacity last changed */
  lastScalingAt = -Infinity;
  /** one subnet per Availability Zone, in zone order */
  readonly subnets: string[];
  private pendingChange: CapacityChange | undefined;
  private readonly activityIdSalt: string;
  private activitySequence = 0;
  /** spot interruption notices given since the last call of takeInterruptionNotices */
  private notices = 0;

  constructor(
    readonly spec: GroupSpec,
    region: string,
    accountId: string,
    private readonly random: Random,
    startMs: number,
  ) {
    if (spec.minSize > spec.maxSize)
      throw new RangeError(`${spec.name}: MinSize must not exceed MaxSize`);
    this.arn = `arn:aws:autoscaling:${region}:${accountId}:autoScalingGroup:${random.uuid()}:autoScalingGroupName/${spec.name}`;
    this.subnets = spec.availabilityZones.map(() => `subnet-0${random.hex(16)}`);
    this.activityIdSalt = random.hex(16);
    this.desired = clamp(spec.initialDesired, spec.minSize, spec.maxSize);
    // The group has been running before the simulated window: its instances are in service.
    for (let i = 0; i < this.desired; i++) {
      const instance = this.newInstance(startMs - 2 * 86_400_000 - i * 3_600_000);
      instance.state = 'InService';
      instance.inServiceAt = instance.launchedAt + 120 * SECOND_MS;
      this.instances.push(instance);
    }
  }

  get name(): string {
    return this.spec.name;
  }

  get minSize(): number {
    return this.spec.minSize;
  }

  get maxSize(): number {
    return this.spec.maxSize;
  }

  /** The group's instance warm-up: its default one, else its default cooldown (as AWS falls back). */
  get defaultWarmupSeconds(): number {
    return this.spec.defaultInstanceWarmup ?? this.spec.defaultCooldown;
  }

  /** Instances receiving traffic. */
  inService(): GroupInstance[] {
    return this.instances.filter((i) => i.state === 'InService');
  }

  /** In-service instances past a warm-up (seconds), the ones scaling decisions count. */
  warmCount(now: number, warmupSeconds = this.defaultWarmupSeconds): number {
    const warmup = warmupSeconds * SECOND_MS;
    let n = 0;
    for (const i of this.instances)
      if (i.state === 'InService' && now - i.inServiceAt >= warmup) n++;
    return n;
  }

  /** Instances launched but not yet past a warm-up (seconds): pending or warming. */
  warmingCount(now: number, warmupSeconds = this.defaultWarmupSeconds): number {
    const warmup = warmupSeconds * SECOND_MS;
    let n = 0;
    for (const i of this.instances) {
      if (i.state === 'Pending' || (i.state === 'InService' && now - i.inServiceAt < warmup)) n++;
    }
    return n;
  }

  count(state: LifecycleState): number {
    let n = 0;
    for (const i of this.instances) if (i.state === state) n++;
    return n;
  }

  /**
   * Instances that count towards capacity: all but the terminating ones and, with Capacity
   * Rebalancing, those under a spot interruption notice (their replacements are launched).
   */
  activeCount(): number {
    let n = 0;
    for (const i of this.instances) if (this.counts(i)) n++;
    return n;
  }

  private counts(i: GroupInstance): boolean {
    return (
      i.state !== 'Terminating' && !(i.interruptionAt !== undefined && this.spec.capacityRebalance)
    );
  }

  /**
   * Change the desired capacity (clamped to min/max). `reason` completes "At <time> ..."
   * before "changing the desired capacity from X to Y", e.g. "a monitor alarm NAME in
   * state ALARM triggered policy POLICY". Returns whether the capacity changed.
   */
  setDesiredCapacity(now: number, wanted: number, reason: string): boolean {
    const to = clamp(wanted, this.spec.minSize, this.spec.maxSize);
    if (to === this.desired) return false;
    this.pendingChange = { at: now, reason, from: this.desired, to };
    this.lastScalingAt = now;
    this.desired = to;
    return true;
  }

  /**
   * New size limits, as UpdateAutoScalingGroup and scheduled actions set them: the ones
   * given change, and without a new desired capacity the current one moves inside the new
   * limits. The caller has checked min <= desired <= max.
   */
  updateSize(
    now: number,
    size: { minSize?: number; maxSize?: number; desiredCapacity?: number },
    requester: SizeRequester,
  ): void {
    const min = size.minSize ?? this.spec.minSize;
    const max = size.maxSize ?? this.spec.maxSize;
    if (min > max) throw new RangeError(`${this.name}: MinSize ${min} exceeds MaxSize ${max}`);
    this.spec.minSize = min;
    this.spec.maxSize = max;
    const desired = clamp(size.desiredCapacity ?? this.desired, min, max);
    this.setDesiredCapacity(
      now,
      desired,
      `a ${requester} update of AutoScalingGroup constraints to min: ${min}, max: ${max}, desired: ${desired}`,
    );
  }

  /** A scaling activity not finished at `now` (or about to start), if any. */
  activityInProgress(now: number): ScalingActivity | undefined {
    // Activities are recorded in start order and take minutes: the recent ones suffice.
    for (let k = this.activities.length - 1; k >= 0 && k >= this.activities.length - 200; k--) {
      const a = this.activities[k]!;
      if (a.endTime === undefined || a.endTime > now) return a;
    }
    return undefined;
  }

  /**
   * The activity that keeps a cooldown-honouring change from running now: one in progress,
   * or the last one if it ended less than DefaultCooldown ago.
   */
  blockingActivity(now: number): ScalingActivity | undefined {
    const running = this.activityInProgress(now);
    if (running) return running;
    let latest: ScalingActivity | undefined;
    for (let k = this.activities.length - 1; k >= 0 && k >= this.activities.length - 200; k--) {
      const a = this.activities[k]!;
      if (a.endTime !== undefined && a.endTime <= now && (!latest || a.endTime > latest.endTime!))
        latest = a;
    }
    return latest && latest.endTime! + this.spec.defaultCooldown * SECOND_MS > now
      ? latest
      : undefined;
  }

  /** Mark an in-service instance unhealthy (it fails its ELB health check). */
  failHealthCheck(now: number): GroupInstance | undefined {
    const candidates = this.inService().filter(
      (i) => i.healthy && now - i.inServiceAt > this.spec.healthCheckGracePeriod * SECOND_MS,
    );
    if (candidates.length === 0) return undefined;
    const victim = this.random.pick(candidates);
    victim.healthy = false;
    return victim;
  }

  /** Spot interruption notices given since the last call (for the notice metric). */
  takeInterruptionNotices(): number {
    const n = this.notices;
    this.notices = 0;
    return n;
  }

  /**
   * Move the group to time `now`: finish boots and drains, give spot interruption notices
   * and take out reclaimed and unhealthy instances, then launch or terminate to meet the
   * desired capacity and the on-demand/spot mix. `elapsedMs` is the time since the last
   * call (0 to act on a change at once).
   */
  advance(now: number, elapsedMs: number): void {
    for (let k = this.instances.length - 1; k >= 0; k--) {
      const i = this.instances[k]!;
      if (i.state === 'Pending' && i.inServiceAt <= now) {
        i.state = 'InService';
        i.replacing = undefined;
        i.launchActivity?.complete(i.inServiceAt);
      } else if (i.state === 'Terminating' && i.goneAt! <= now) {
        i.terminateActivity?.complete(i.goneAt!);
        this.instances.splice(k, 1);
      }
    }

    const perHour =
      this.spec.spotInterruptionsPerHour[this.spec.distribution.spotAllocationStrategy];
    const noticeChance = (perHour * elapsedMs) / 3_600_000;
    for (const i of this.instances) {
      if (i.state === 'Terminating') continue;
      if (i.interruptionAt !== undefined) {
        if (i.interruptionAt <= now)
          this.terminate(i.interruptionAt, i, { kind: 'spot-interruption' });
      } else if (i.purchase === 'spot' && noticeChance > 0 && this.random.chance(noticeChance)) {
        i.interruptionAt = now + SPOT_NOTICE_MS;
        this.notices++;
      } else if (i.state === 'InService' && !i.healthy && this.spec.healthCheckType === 'ELB') {
        this.terminate(now, i, { kind: 'health-check' });
      }
    }

    this.reconcile(now);
  }

  private reconcile(now: number): void {
    const active = this.instances.filter((i) => this.counts(i));
    const at = now + Math.round(this.random.between(2, 15) * SECOND_MS);
    if (active.length === this.desired) {
      this.pendingChange = undefined;
      if (!active.some((i) => i.state === 'Pending')) this.meetPurchaseMix(at, active);
      return;
    }
    // Launch before terminate: instances replacing the old mix must be up first.
    if (active.length > this.desired && active.some((i) => i.replacing)) return;
    const reason: ActivityReason = {
      kind: 'capacity',
      change: this.pendingChange,
      from: active.length,
      to: this.desired,
    };
    this.pendingChange = undefined;
    for (let n = active.length; n < this.desired; n++) this.launch(at, reason);
    for (let n = active.length; n > this.desired; n--)
      this.terminate(at, this.chooseVictim(), reason);
  }

  /**
   * A changed instances distribution is met gradually, up to a tenth of the group at a
   * time: instances of the short purchase option are launched, and once they are in
   * service as many of the other option are terminated (the next reconcile's scale-in).
   */
  private meetPurchaseMix(at: number, active: GroupInstance[]): void {
    const wanted = splitOnDemandSpot(active.length, this.spec.distribution).onDemand;
    const onDemand = active.filter((i) => i.purchase === 'on-demand').length;
    const off = wanted - onDemand;
    if (off === 0) return;
    const purchase: PurchaseOption = off > 0 ? 'on-demand' : 'spot';
    const batch = Math.min(Math.abs(off), Math.max(1, Math.ceil(active.length / 10)));
    for (let n = 0; n < batch; n++) {
      const instance = this.launch(at, { kind: 'purchase-mix' }, purchase);
      instance.replacing = true;
    }
  }

  private launch(at: number, reason: ActivityReason, purchase?: PurchaseOption): GroupInstance {
    const instance = this.newInstance(at, purchase);
    const [minBoot, maxBoot] = this.spec.bootSeconds;
    instance.inServiceAt = at + Math.round(this.random.between(minBoot, maxBoot) * SECOND_MS);
    instance.launchActivity = this.recordActivity('launch', instance, at, reason);
    this.instances.push(instance);
    return instance;
  }

  private terminate(at: number, instance: GroupInstance, reason: ActivityReason): void {
    instance.state = 'Terminating';
    instance.goneAt = at + this.spec.drainSeconds * SECOND_MS;
    instance.terminateActivity = this.recordActivity('terminate', instance, at, reason);
  }

  /** A new instance: the purchase option short of its share (or the one asked for), in the emptiest zone. */
  private newInstance(at: number, wanted?: PurchaseOption): GroupInstance {
    const active = this.instances.filter((i) => i.state !== 'Terminating');
    const onDemandWanted = splitOnDemandSpot(active.length + 1, this.spec.distribution).onDemand;
    const onDemandNow = active.filter((i) => i.purchase === 'on-demand').length;
    const purchase: PurchaseOption =
      wanted ?? (onDemandNow < onDemandWanted ? 'on-demand' : 'spot');
    const zoneIndex = this.leastUsedZone(active);
    return {
      id: `i-0${this.random.hex(16)}`,
      availabilityZone: this.spec.availabilityZones[zoneIndex]!,
      subnetId: this.subnets[zoneIndex]!,
      // On-demand follows the override priority; spot spreads over the pools.
      instanceType:
        purchase === 'on-demand'
          ? this.spec.instanceTypes[0]!
          : this.random.pick(this.spec.instanceTypes),
      purchase,
      state: 'Pending',
      healthy: true,
      launchedAt: at,
      inServiceAt: at,
      billing: undefined,
    };
  }

  /**
   * Scale-in victim: an instance about to be reclaimed first, then one of the purchase
   * option over its share, from the fullest zone.
   */
  private chooseVictim(): GroupInstance {
    const active = this.instances.filter((i) => this.counts(i));
    const doomed = active.filter((i) => i.interruptionAt !== undefined);
    if (doomed.length > 0) return this.random.pick(doomed);
    const onDemandWanted = splitOnDemandSpot(active.length - 1, this.spec.distribution).onDemand;
    const onDemandNow = active.filter((i) => i.purchase === 'on-demand').length;
    const purchase: PurchaseOption = onDemandNow > onDemandWanted ? 'on-demand' : 'spot';
    let candidates = active.filter((i) => i.purchase === purchase);
    if (candidates.length === 0) candidates = active;
    const perZone = new Map<string, number>();
    for (const i of candidates)
      perZone.set(i.availabilityZone, (perZone.get(i.availabilityZone) ?? 0) + 1);
    const fullest = Math.max(...perZone.values());
    const inFullest = candidates.filter((i) => perZone.get(i.availabilityZone) === fullest);
    return this.random.pick(inFullest);
  }

  private leastUsedZone(active: GroupInstance[]): number {
    const counts = this.spec.availabilityZones.map(
      (zone) => active.filter((i) => i.availabilityZone === zone).length,
    );
    return counts.indexOf(Math.min(...counts));
  }

  private recordActivity(
    action: 'launch' | 'terminate',
    instance: GroupInstance,
    at: number,
    reason: ActivityReason,
  ): ScalingActivity {
    const activity = new ScalingActivity(
      this.activityIdSalt,
      this.activitySequence++,
      this.spec.name,
      action,
      instance,
      at,
      reason,
    );
    this.activities.push(activity);
    // Trim in batches: splicing the array head on every push would be quadratic.
    if (this.activities.length > MAX_ACTIVITIES + 500)
      this.activities.splice(0, this.activities.length - MAX_ACTIVITIES);
    return activity;
  }
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}

// An EC2 Auto Scaling group: instances move Pending -> InService -> Terminating, the group
// launches or terminates to meet its desired capacity with an on-demand/spot mix balanced
// across Availability Zones, and every launch and termination is a scaling activity with
// the Description and Cause text AWS writes.
import { splitOnDemandSpot } from '@ballast/core';
import { hashUuid, type Random } from '../random.js';
import { isoSeconds, SECOND_MS } from '../time.js';

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
  | { kind: 'health-check' };

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

export interface InstancesDistribution {
  onDemandBaseCapacity: number;
  onDemandPercentageAboveBaseCapacity: number;
  spotAllocationStrategy: 'price-capacity-optimized' | 'capacity-optimized' | 'lowest-price';
}

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
  /** seconds a new instance's metrics are left out of scaling decisions */
  defaultInstanceWarmup: number;
  capacityRebalance: boolean;
  tags: Record<string, string>;
  launchTemplate: { id: string; name: string; version: string };
  /** seconds from launch to InService */
  bootSeconds: [min: number, max: number];
  /** seconds a terminating instance drains before it is gone */
  drainSeconds: number;
  /** chance per spot instance per hour of an interruption */
  spotInterruptionsPerHour: number;
  createdTime: number;
}

/** Activities kept per group: AWS keeps six weeks; a count bound keeps memory flat. */
const MAX_ACTIVITIES = 5000;

export class AutoScalingGroup {
  readonly arn: string;
  desired: number;
  readonly instances: GroupInstance[] = [];
  /** activities, oldest first */
  readonly activities: ScalingActivity[] = [];
  lastScaleOutAt = -Infinity;
  lastScaleInAt = -Infinity;
  /** one subnet per Availability Zone, in zone order */
  readonly subnets: string[];
  private pendingChange: CapacityChange | undefined;
  private readonly activityIdSalt: string;
  private activitySequence = 0;

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

  /** Instances receiving traffic. */
  inService(): GroupInstance[] {
    return this.instances.filter((i) => i.state === 'InService');
  }

  /** In-service instances past their warm-up, the ones scaling decisions count. */
  warmCount(now: number): number {
    const warmup = this.spec.defaultInstanceWarmup * SECOND_MS;
    let n = 0;
    for (const i of this.instances)
      if (i.state === 'InService' && now - i.inServiceAt >= warmup) n++;
    return n;
  }

  /** Instances launched but not yet past warm-up (pending or warming). */
  warmingCount(now: number): number {
    const warmup = this.spec.defaultInstanceWarmup * SECOND_MS;
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

  /** Instances that count towards capacity: all but the terminating ones. */
  activeCount(): number {
    return this.instances.length - this.count('Terminating');
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
    if (to > this.desired) this.lastScaleOutAt = now;
    else this.lastScaleInAt = now;
    this.desired = to;
    return true;
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

  /**
   * Move the group to time `now`: finish boots and drains, take out interrupted spot and
   * unhealthy instances, then launch or terminate to meet the desired capacity.
   */
  advance(now: number, elapsedMs: number): void {
    for (let k = this.instances.length - 1; k >= 0; k--) {
      const i = this.instances[k]!;
      if (i.state === 'Pending' && i.inServiceAt <= now) {
        i.state = 'InService';
        i.launchActivity?.complete(i.inServiceAt);
      } else if (i.state === 'Terminating' && i.goneAt! <= now) {
        i.terminateActivity?.complete(i.goneAt!);
        this.instances.splice(k, 1);
      }
    }

    const interruptChance = (this.spec.spotInterruptionsPerHour * elapsedMs) / 3_600_000;
    for (const i of this.instances) {
      if (i.state !== 'InService') continue;
      if (i.purchase === 'spot' && interruptChance > 0 && this.random.chance(interruptChance)) {
        this.terminate(now, i, { kind: 'spot-interruption' });
      } else if (!i.healthy && this.spec.healthCheckType === 'ELB') {
        this.terminate(now, i, { kind: 'health-check' });
      }
    }

    this.reconcile(now);
  }

  private reconcile(now: number): void {
    const active = this.activeCount();
    const change = this.pendingChange;
    this.pendingChange = undefined;
    if (active === this.desired) return;
    const at = now + Math.round(this.random.between(2, 15) * SECOND_MS);
    const reason: ActivityReason = { kind: 'capacity', change, from: active, to: this.desired };
    for (let n = active; n < this.desired; n++) this.launch(at, reason);
    for (let n = active; n > this.desired; n--) this.terminate(at, this.chooseVictim(), reason);
  }

  private launch(at: number, reason: ActivityReason): void {
    const instance = this.newInstance(at);
    const [minBoot, maxBoot] = this.spec.bootSeconds;
    instance.inServiceAt = at + Math.round(this.random.between(minBoot, maxBoot) * SECOND_MS);
    instance.launchActivity = this.recordActivity('launch', instance, at, reason);
    this.instances.push(instance);
  }

  private terminate(at: number, instance: GroupInstance, reason: ActivityReason): void {
    instance.state = 'Terminating';
    instance.goneAt = at + this.spec.drainSeconds * SECOND_MS;
    instance.terminateActivity = this.recordActivity('terminate', instance, at, reason);
  }

  /** A new instance: the purchase option short of its share, in the emptiest zone. */
  private newInstance(at: number): GroupInstance {
    const active = this.instances.filter((i) => i.state !== 'Terminating');
    const onDemandWanted = splitOnDemandSpot(active.length + 1, this.spec.distribution).onDemand;
    const onDemandNow = active.filter((i) => i.purchase === 'on-demand').length;
    const purchase: PurchaseOption = onDemandNow < onDemandWanted ? 'on-demand' : 'spot';
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

  /** Scale-in victim: keep the purchase mix, then take from the fullest zone. */
  private chooseVictim(): GroupInstance {
    const active = this.instances.filter((i) => i.state !== 'Terminating');
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

// In-memory stand-ins for the change engine's ports, for core's unit tests. The Auto Scaling
// one keeps AWS's rules that matter to the engine: min <= desired <= max (ValidationError),
// bounds pulling desired capacity along, upserts by name. The wire itself is tested in the
// collectors (aws-sdk-client-mock) and through the sandbox.
import type {
  AccountLimits,
  AutoScalingPort,
  ChangePorts,
  IdentityPort,
  LiveGroup,
  RunningLoadTest,
  ScalingPolicy,
  ScheduledAction,
  Status,
  WriteOp,
} from '../src/index.js';

export class AwsLikeError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface Snapshot {
  groups: [string, LiveGroup][];
  policies: [string, ScalingPolicy[]][];
  actions: [string, ScheduledAction[]][];
}

export class FakeAutoScaling implements AutoScalingPort {
  readonly groups = new Map<string, LiveGroup>();
  readonly policies = new Map<string, ScalingPolicy[]>();
  readonly actions = new Map<string, ScheduledAction[]>();
  limits: AccountLimits = { maxGroups: 500, groups: 2 };
  /** every write accepted, in order */
  readonly writes: WriteOp[] = [];
  /** a write for which this returns an error fails with it (nothing changes) */
  failWith?: (write: WriteOp) => Error | undefined;
  /** awaited before each write is carried out (to hold one apply while another starts) */
  beforeWrite?: (write: WriteOp) => Promise<void>;
  /** reads that still show the state before the last write (eventual consistency) */
  staleReads = 0;
  private stale?: Snapshot;

  addGroup(group: Partial<LiveGroup> & { name: string }): this {
    this.groups.set(group.name, {
      min: 2,
      max: 20,
      desired: 10,
      inService: 10,
      instanceTypes: ['m6i.large'],
      ...group,
    });
    this.policies.set(group.name, this.policies.get(group.name) ?? []);
    this.actions.set(group.name, this.actions.get(group.name) ?? []);
    return this;
  }

  private snapshot(): Snapshot {
    return structuredClone({
      groups: [...this.groups],
      policies: [...this.policies],
      actions: [...this.actions],
    });
  }

  private view() {
    if (this.staleReads > 0 && this.stale) {
      this.staleReads--;
      return {
        groups: new Map(this.stale.groups),
        policies: new Map(this.stale.policies),
        actions: new Map(this.stale.actions),
      };
    }
    return this;
  }

  describeGroup(name: string): Promise<LiveGroup | undefined> {
    const g = this.view().groups.get(name);
    return Promise.resolve(g ? structuredClone(g) : undefined);
  }
  describePolicies(group: string): Promise<ScalingPolicy[]> {
    return Promise.resolve(structuredClone(this.view().policies.get(group) ?? []));
  }
  describeScheduledActions(group: string): Promise<ScheduledAction[]> {
    return Promise.resolve(structuredClone(this.view().actions.get(group) ?? []));
  }
  describeAccountLimits(): Promise<AccountLimits> {
    return Promise.resolve({ ...this.limits });
  }

  async execute(write: WriteOp): Promise<void> {
    await this.beforeWrite?.(write);
    const error = this.failWith?.(write);
    if (error) throw error;
    const before = this.snapshot();
    this.carryOut(write);
    this.writes.push(structuredClone(write));
    if (this.staleReads > 0) this.stale = before;
  }

  private group(name: string): LiveGroup {
    const g = this.groups.get(name);
    if (!g) throw new AwsLikeError('ValidationError', `AutoScalingGroup name not found - ${name}`);
    return g;
  }

  private carryOut(write: WriteOp): void {
    const g = this.group(write.group);
    switch (write.op) {
      case 'PutScalingPolicy': {
        const list = this.policies.get(g.name)!.filter((p) => p.name !== write.policy.name);
        this.policies.set(g.name, [...list, structuredClone(write.policy)]);
        return;
      }
      case 'DeletePolicy': {
        const list = this.policies.get(g.name)!;
        if (!list.some((p) => p.name === write.policyName))
          throw new AwsLikeError('ValidationError', `Policy ${write.policyName} not found`);
        this.policies.set(
          g.name,
          list.filter((p) => p.name !== write.policyName),
        );
        return;
      }
      case 'SetDesiredCapacity':
        if (write.desired < g.min || write.desired > g.max)
          throw new AwsLikeError(
            'ValidationError',
            `New SetDesiredCapacity value ${write.desired} is outside of the group's bounds [${g.min}, ${g.max}].`,
          );
        g.desired = write.desired;
        return;
      case 'UpdateAutoScalingGroup': {
        const min = write.min ?? g.min;
        const max = write.max ?? g.max;
        if (min > max)
          throw new AwsLikeError(
            'ValidationError',
            `Max bound, ${max}, must be greater than or equal to min bound, ${min}`,
          );
        const desired = write.desired ?? Math.min(max, Math.max(min, g.desired));
        if (desired < min || desired > max)
          throw new AwsLikeError(
            'ValidationError',
            `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`,
          );
        Object.assign(g, { min, max, desired });
        if (write.distribution) g.distribution = { ...g.distribution!, ...write.distribution };
        return;
      }
      case 'BatchPutScheduledUpdateGroupAction': {
        const names = new Set(write.actions.map((a) => a.name));
        const kept = this.actions.get(g.name)!.filter((a) => !names.has(a.name));
        this.actions.set(g.name, [...kept, ...structuredClone(write.actions)]);
        return;
      }
      case 'DeleteScheduledAction':
        this.actions.set(
          g.name,
          this.actions.get(g.name)!.filter((a) => a.name !== write.name),
        );
        return;
    }
  }
}

export const PRINCIPAL = 'arn:aws:sts::123456789012:assumed-role/ops/jane';

export const fakeIdentity: IdentityPort = {
  callerIdentity: () =>
    Promise.resolve({ arn: PRINCIPAL, account: '123456789012', userId: 'AROAEXAMPLE:jane' }),
};

export function fakePorts(
  autoscaling: FakeAutoScaling,
  more: {
    loadTests?: RunningLoadTest[];
    tierStatus?: Record<string, { status: Status; reasons: string[] }>;
  } = {},
): ChangePorts {
  return {
    autoscaling,
    identity: fakeIdentity,
    loadTests: { running: () => Promise.resolve(more.loadTests ?? []) },
    health: {
      tierStatus: (tier) =>
        Promise.resolve(more.tierStatus?.[tier] ?? { status: 'ok', reasons: [] }),
    },
  };
}

/** A CPU target-tracking policy as the collectors read one. */
export function cpuPolicy(name: string, target: number): ScalingPolicy {
  return {
    name,
    type: 'TargetTrackingScaling',
    enabled: true,
    estimatedInstanceWarmup: 300,
    targetTracking: {
      metric: { type: 'predefined', metric: 'ASGAverageCPUUtilization' },
      targetValue: target,
      disableScaleIn: false,
    },
  };
}

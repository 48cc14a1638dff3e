// Test support (not part of the build): a change service over core's real engine with the
// outside world in memory, for what the sandbox cannot be made to show on demand (a tier
// critical, a load test running, a write refused mid-apply). Commands get it by mocking
// `createChangeService` of @ballast/collectors (see changes.test.ts).
import { readFile, writeFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import type { ChangeService, ChangeServiceOptions } from '@ballast/collectors';
import {
  createChangeEngine,
  loadPlatformConfig,
  parsePlan,
  planBlackFriday,
  serializePlan,
  type AccountLimits,
  type AutoScalingPort,
  type LiveGroup,
  type RunningLoadTest,
  type ScalingPolicy,
  type ScheduledAction,
  type Status,
  type WriteOp,
} from '@ballast/core';

export const TEST_PRINCIPAL = 'arn:aws:sts::123456789012:assumed-role/ops/jane';

/** Auto Scaling in memory: groups, policies and scheduled actions; writes upsert by name. */
export class MemoryAutoScaling implements AutoScalingPort {
  readonly groups = new Map<string, LiveGroup>();
  readonly policies = new Map<string, ScalingPolicy[]>();
  readonly actions = new Map<string, ScheduledAction[]>();
  readonly writes: WriteOp[] = [];
  /** a write for which this returns an error fails with it */
  failWith?: (write: WriteOp) => Error | undefined;

  addGroup(group: LiveGroup, policies: ScalingPolicy[] = []): this {
    this.groups.set(group.name, structuredClone(group));
    this.policies.set(group.name, structuredClone(policies));
    this.actions.set(group.name, []);
    return this;
  }

  describeGroup = (name: string) => Promise.resolve(structuredClone(this.groups.get(name)));
  describePolicies = (group: string) =>
    Promise.resolve(structuredClone(this.policies.get(group) ?? []));
  describeScheduledActions = (group: string) =>
    Promise.resolve(structuredClone(this.actions.get(group) ?? []));
  describeAccountLimits = (): Promise<AccountLimits> => Promise.resolve({});

  execute(write: WriteOp): Promise<void> {
    const error = this.failWith?.(write);
    if (error) return Promise.reject(error);
    const g = this.groups.get(write.group)!;
    const named = <T extends { name: string }>(list: T[], items: T[]) => [
      ...list.filter((x) => !items.some((i) => i.name === x.name)),
      ...structuredClone(items),
    ];
    switch (write.op) {
      case 'PutScalingPolicy':
        this.policies.set(g.name, named(this.policies.get(g.name)!, [write.policy]));
        break;
      case 'DeletePolicy':
        this.policies.set(
          g.name,
          this.policies.get(g.name)!.filter((p) => p.name !== write.policyName),
        );
        break;
      case 'SetDesiredCapacity':
        g.desired = write.desired;
        break;
      case 'UpdateAutoScalingGroup':
        g.min = write.min ?? g.min;
        g.max = write.max ?? g.max;
        g.desired = write.desired ?? Math.min(g.max, Math.max(g.min, g.desired));
        if (write.distribution) g.distribution = { ...g.distribution!, ...write.distribution };
        break;
      case 'BatchPutScheduledUpdateGroupAction':
        this.actions.set(g.name, named(this.actions.get(g.name)!, write.actions));
        break;
      case 'DeleteScheduledAction':
        this.actions.set(
          g.name,
          this.actions.get(g.name)!.filter((a) => a.name !== write.name),
        );
        break;
    }
    this.writes.push(structuredClone(write));
    return Promise.resolve();
  }
}

/** What the in-memory world says besides Auto Scaling. */
export interface MemoryWorld {
  aws: MemoryAutoScaling;
  tierStatus: Record<string, { status: Status; reasons: string[] }>;
  loadTests: RunningLoadTest[];
}

/** The sandbox platform's two scaling groups, as the sandbox starts them. */
export function memoryWorld(): MemoryWorld {
  const aws = new MemoryAutoScaling()
    .addGroup(
      {
        name: 'store-web',
        min: 2,
        max: 30,
        desired: 8,
        inService: 8,
        distribution: {
          onDemandBaseCapacity: 2,
          onDemandPercentageAboveBaseCapacity: 30,
          spotAllocationStrategy: 'price-capacity-optimized',
        },
        instanceTypes: ['m6i.large'],
      },
      [
        {
          name: 'store-web-cpu70',
          type: 'TargetTrackingScaling',
          enabled: true,
          estimatedInstanceWarmup: 300,
          targetTracking: {
            metric: { type: 'predefined', metric: 'ASGAverageCPUUtilization' },
            targetValue: 70,
            disableScaleIn: false,
          },
        },
      ],
    )
    .addGroup({
      name: 'store-workers',
      min: 1,
      max: 20,
      desired: 14,
      inService: 14,
      distribution: {
        onDemandBaseCapacity: 0,
        onDemandPercentageAboveBaseCapacity: 0,
        spotAllocationStrategy: 'price-capacity-optimized',
      },
      instanceTypes: ['c6i.xlarge'],
    });
  return { aws, tierStatus: {}, loadTests: [] };
}

/**
 * A change service as createChangeService makes one, over `world` instead of AWS: no
 * recorded traffic (plans say why they have no effect), reads back at once.
 */
export function memoryChangeService(
  options: ChangeServiceOptions,
  world: MemoryWorld,
): ChangeService {
  const now = options.now ?? Date.now;
  const engine = createChangeEngine({
    context: options.context.name,
    platform: options.platform ?? loadPlatformConfig(options.context.platformConfig),
    store: options.store,
    now,
    ports: {
      autoscaling: world.aws,
      identity: {
        callerIdentity: () =>
          Promise.resolve({ arn: TEST_PRINCIPAL, account: '123456789012', userId: 'AROA:jane' }),
      },
      loadTests: { running: () => Promise.resolve(world.loadTests) },
      health: {
        tierStatus: (tier) =>
          Promise.resolve(world.tierStatus[tier] ?? { status: 'ok', reasons: [] }),
      },
    },
    sleep: () => Promise.resolve(),
  });
  return {
    engine,
    planChange: (request) => engine.plan(request),
    applyChange: (plan, opts) => engine.apply(plan, opts),
    planRevert: (id, opts) => engine.planRevert(id, opts),
    revert: async (id, opts) => engine.apply(await engine.planRevert(id), opts),
    verify: () => engine.verifyAudit(),
    recover: (signal) => engine.recover(signal),
    list: (range) => engine.list(range),
    show: (id) => engine.show(id),
    annotations: (range) => engine.annotations(range),
    planBlackFriday: (opts) => planBlackFriday(engine, { ...opts, now: now() }),
    savePlan: (file, plan) => writeFile(file, serializePlan(plan), 'utf8'),
    loadPlan: async (file) => parsePlan(await readFile(file, 'utf8'), file),
  };
}

/**
 * Makes process.stdin a terminal (or not) that answers each question with the next of
 * `answers` (then ends, with `end`: Ctrl-D), until the returned function restores it.
 */
export function fakeStdin(input: { tty: boolean; answers?: string[]; end?: boolean }): () => void {
  const stream = Object.assign(new PassThrough(), { isTTY: input.tty });
  for (const answer of input.answers ?? []) stream.write(`${answer}\n`);
  if (input.end) stream.end();
  const saved = Object.getOwnPropertyDescriptor(process, 'stdin');
  Object.defineProperty(process, 'stdin', { value: stream, configurable: true });
  return () => {
    if (saved) Object.defineProperty(process, 'stdin', saved);
    stream.destroy();
  };
}

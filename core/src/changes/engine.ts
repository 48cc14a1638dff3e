// The change engine: plan -> guardrails -> (confirm, by the caller) -> apply -> verify ->
// audit -> revert, the same for every kind of change. Kinds are registered adapters
// (kind.ts); the outside world is reached through ports (ports.ts); the audit log and the
// apply leases live in the store.
import { processAlive as isProcessAlive } from '../load-runs/port.js';
import { hostname, userInfo } from 'node:os';
import type { ReplayConfig } from '../capacity/replay.js';
import { changesConfig, type PlatformConfig, type Tier } from '../model/platform.js';
import type { Store } from '../store/store.js';
import type { ChangeLease } from '../store/audit-log.js';
import { verifyAuditChain, type AuditChainReport } from './audit.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import { describeFieldChange, diffStates } from './diff.js';
import { computeEffect, pricesFor, type EffectPrices, type TierKind } from './effect.js';
import {
  pass,
  refuse,
  type AnyChangeKind,
  type CapacityShift,
  type GuardrailFacts,
} from './kind.js';
import { autoScalingKinds, replayPolicyOf } from './kinds.js';
import {
  AuditBodySchema,
  PLAN_FORMAT,
  PLAN_VERSION,
  PlanSchema,
  type Actor,
  type AuditBody,
  type AuditRow,
  type ChangeAnnotation,
  type ChangeRecord,
  type ChangeStatus,
  type ChangeTarget,
  type Effect,
  type GuardrailOverride,
  type GuardrailResult,
  type Plan,
  type StepOutcome,
} from './model.js';
import { PortError, type ChangePorts, type RecordedSeries } from './ports.js';

/** Why an apply (or a plan) was refused; nothing was written when this is thrown. */
export class ChangeRefusedError extends Error {
  constructor(
    readonly code:
      | 'guardrail'
      | 'conflict'
      | 'busy'
      | 'invalid-plan'
      | 'wrong-context'
      | 'already-applied'
      | 'no-change'
      | 'unknown-kind'
      | 'unknown-change'
      | 'not-revertible',
    message: string,
    /** what the user can do, most useful first */
    readonly actions: string[] = [],
    readonly details: {
      guardrails?: GuardrailResult[];
      /** conflict: how the live state differs from the plan's before */
      changed?: ReturnType<typeof diffStates>;
      lease?: ChangeLease;
    } = {},
  ) {
    super(message);
    this.name = 'ChangeRefusedError';
  }
}

export interface PlanRequest {
  kind: string;
  target: Omit<ChangeTarget, 'context'>;
  /**
   * More of the target from the group's live state, e.g. the name of the policy that tracks
   * CPU; merged over `target`.
   */
  narrow?: (facts: GuardrailFacts) => Partial<Omit<ChangeTarget, 'context' | 'group'>>;
  /** the state wanted, or how to make it from the live state */
  desired: unknown | ((before: unknown, facts: GuardrailFacts) => unknown);
  overrides?: GuardrailOverride[];
  revertOf?: string;
  /** an effect computed by the caller (the Black-Friday planner's replay of the sale day) */
  effect?: Effect;
  /** skip the what-if replay */
  withoutEffect?: boolean;
  signal?: AbortSignal;
}

export interface ApplyOptions {
  /** the local user or dashboard operator, and through what */
  actor: Pick<Actor, 'user' | 'via'>;
  reason: string;
  /** overrides given at apply (added to those the plan was made with) */
  overrides?: GuardrailOverride[];
  signal?: AbortSignal;
}

export interface ApplyResult {
  changeId: string;
  status: ChangeStatus;
  steps: StepOutcome[];
  /** the live state read back last */
  observed?: unknown;
  error?: string;
  /** failed: what to do about it (the failed step's advice), most useful first */
  actions?: string[];
  plan: Plan;
}

export interface ChangeEngineOptions {
  /** the Ballast context the engine works in (plans name it; a plan of another is refused) */
  context: string;
  platform: PlatformConfig;
  store: Store;
  ports: ChangePorts;
  kinds?: readonly AnyChangeKind[];
  now: () => number;
  random?: () => number;
  /** read-back after apply: first pause, longest pause, and the deadline (ms) */
  verify?: { firstDelayMs?: number; maxDelayMs?: number; timeoutMs?: number };
  /** waits (tests pass an instant one) */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** how long an apply may hold its target before others may take it over; default 5 min */
  leaseMs?: number;
  /** is the process that holds a lease (on this host) still running? default: signal 0 */
  processAlive?: (pid: number) => boolean;
  /** how far back the what-if replay looks; default 7 days */
  replayWindowMs?: number;
}

const DAY = 86_400_000;

/** The fingerprint of a plan: sha-256 of its canonical JSON without the fingerprint. */
export function planFingerprint(
  plan: Omit<Plan, 'fingerprint'> & { fingerprint?: string },
): string {
  const { fingerprint: _ignored, ...rest } = plan;
  return sha256Hex(canonicalJson(rest));
}

/** A plan as a file (`--out web.plan`): pretty canonical JSON. */
export function serializePlan(plan: Plan): string {
  return `${JSON.stringify(JSON.parse(canonicalJson(plan)), null, 2)}\n`;
}

/** Reads a saved plan; refuses one that is not a plan or was edited after it was saved. */
export function parsePlan(text: string, file = 'the plan'): Plan {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ChangeRefusedError('invalid-plan', `${file} is not a Ballast plan (not JSON).`, [
      'Make a plan with --out FILE, then apply that file.',
    ]);
  }
  const result = PlanSchema.safeParse(parsed);
  if (!result.success) {
    const version = (parsed as { version?: unknown } | null)?.version;
    const format = (parsed as { format?: unknown } | null)?.format;
    throw new ChangeRefusedError(
      'invalid-plan',
      format === PLAN_FORMAT && version !== PLAN_VERSION
        ? `${file} is a plan of version ${String(version)}; this Ballast reads version ${PLAN_VERSION}.`
        : `${file} is not a valid Ballast plan: ${result.error.issues[0]?.path.join('.') ?? ''} ${result.error.issues[0]?.message ?? ''}`.trim(),
      ['Plan the change again with this Ballast (--out FILE).'],
    );
  }
  // Over the file's own content: a field added, removed or changed after saving shows.
  if (planFingerprint(parsed as Plan) !== result.data.fingerprint)
    throw new ChangeRefusedError(
      'invalid-plan',
      `${file} was edited after it was planned (its fingerprint does not match its content).`,
      ['Plan the change again instead of editing the plan file.'],
    );
  return result.data;
}

export interface ChangeEngine {
  readonly kinds: ReadonlyMap<string, AnyChangeKind>;
  readonly context: string;
  readonly platform: PlatformConfig;
  /** the Auto Scaling groups of the platform's web (ALB) and worker (SQS) tiers */
  scalingGroups(): { group: string; tier: string; kind: TierKind }[];
  /** Reads live state, diffs it with the desired state, checks guardrails, replays the effect. */
  plan(request: PlanRequest): Promise<Plan>;
  /** Guardrails that refuse the plan with the overrides given (empty: it may be applied). */
  blocking(plan: Plan, overrides?: GuardrailOverride[]): GuardrailResult[];
  apply(plan: Plan, options: ApplyOptions): Promise<ApplyResult>;
  /** The plan that undoes an applied change, against the live state now. */
  planRevert(
    changeId: string,
    options?: { overrides?: GuardrailOverride[]; signal?: AbortSignal },
  ): Promise<Plan>;
  /** Changes of this context, newest first, by intent time within [from, to]. */
  list(range?: { from?: number; to?: number }): ChangeRecord[];
  show(changeId: string): ChangeRecord | undefined;
  verifyAudit(): AuditChainReport;
  /** Changes to draw on charts over [from, to] (every context's group names are distinct per context). */
  annotations(range: { from: number; to: number }): ChangeAnnotation[];
  /** The facts guardrails read, for a group (exposed for planners such as Black Friday). */
  facts(group: string, signal?: AbortSignal): Promise<GuardrailFacts>;
  /**
   * Records the outcome of changes whose applying process is gone (killed mid-apply): for
   * each lease of this context that expired or whose process no longer runs on this host,
   * an `interrupted` outcome with the live state found now. Returns their change ids.
   */
  recover(signal?: AbortSignal): Promise<string[]>;
  /**
   * What a what-if replay of `group` needs (its tier, prices, recorded traffic), or why there
   * is none; for planners that build their own candidates (Black Friday).
   */
  replayContext(
    group: string,
    signal?: AbortSignal,
  ): Promise<ReplayContext | { unavailable: string }>;
}

export interface ReplayContext {
  facts: GuardrailFacts;
  tier: Tier;
  kind: TierKind;
  prices: EffectPrices;
  recorded: RecordedSeries;
}

export function createChangeEngine(options: ChangeEngineOptions): ChangeEngine {
  const { store, ports, platform, now } = options;
  const random = options.random ?? Math.random;
  const kinds = new Map(
    (options.kinds ?? autoScalingKinds).map((k) => [k.kind, k as AnyChangeKind]),
  );
  const sleep =
    options.sleep ??
    ((ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      }));
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const processAlive = options.processAlive ?? isProcessAlive;
  const host = hostname();
  const kindOf = (name: string): AnyChangeKind => {
    const kind = kinds.get(name);
    if (!kind)
      throw new ChangeRefusedError(
        'unknown-kind',
        `No change kind "${name}". Known: ${[...kinds.keys()].join(', ')}.`,
      );
    return kind;
  };
  const tierOf = (group: string): Tier | undefined =>
    platform.tiers.find((t) => t.resources.some((r) => r.type === 'asg' && r.name === group));
  const tierKind = (tier: Tier | undefined): TierKind | undefined =>
    !tier
      ? undefined
      : tier.resources.some((r) => r.type === 'sqs-queue')
        ? 'worker'
        : tier.resources.some((r) => r.type === 'alb')
          ? 'web'
          : undefined;

  async function facts(group: string, signal?: AbortSignal): Promise<GuardrailFacts> {
    const as = ports.autoscaling;
    const [live, policies, scheduledActions, limits, loadTests] = await Promise.all([
      as.describeGroup(group, signal),
      as.describePolicies(group, signal),
      as.describeScheduledActions(group, signal),
      as.describeAccountLimits(signal),
      ports.loadTests.running(now(), signal),
    ]);
    if (!live)
      throw new ChangeRefusedError(
        'unknown-change',
        `Auto Scaling group ${group} not found in context ${options.context}.`,
        ['Check the group name: ballast scaling show'],
      );
    return {
      now: now(),
      group: live,
      policies,
      scheduledActions,
      limits,
      config: changesConfig(platform),
      loadTests,
    };
  }

  async function guardrails(
    kind: AnyChangeKind,
    target: ChangeTarget,
    before: unknown,
    after: unknown,
    f: GuardrailFacts,
    signal?: AbortSignal,
  ): Promise<GuardrailResult[]> {
    const shift = kind.capacityShift(before, after, f.group);
    const results = [...capacityGuardrails(shift, f, target.group)];
    const scalesIn = shift.to < shift.from || shift.scalesInLater === true;
    if (scalesIn) {
      const tier = target.tier;
      if (!tier)
        results.push(
          pass(
            'tier-health',
            `${target.group} is in no tier of the platform config: no tier health to check.`,
          ),
        );
      else if (!ports.health)
        results.push(
          refuse(
            'tier-health',
            `The health of tier ${tier} was not evaluated, so a scale-in cannot be checked against it.`,
            ['Evaluate health first: ballast health'],
            'force',
          ),
        );
      else {
        try {
          const health = await ports.health.tierStatus(tier, now(), signal);
          f.tierHealth = { tier, ...health };
          results.push(
            health.status === 'critical'
              ? refuse(
                  'tier-health',
                  `Tier ${tier} is critical (${health.reasons[0] ?? 'see ballast health'}): no scale-in while it is.`,
                  [
                    'Wait until the tier recovers, or raise capacity instead.',
                    `ballast health --tier ${tier}`,
                  ],
                )
              : health.status === 'unknown'
                ? refuse(
                    'tier-health',
                    `The health of tier ${tier} is unknown (${health.reasons[0] ?? 'no data'}), so a scale-in cannot be checked against it.`,
                    [`ballast health --tier ${tier}`],
                    'force',
                  )
                : pass('tier-health', `Tier ${tier} is ${health.status}.`),
          );
        } catch (err) {
          results.push(
            refuse(
              'tier-health',
              `The health of tier ${tier} could not be read (${(err as Error).message}).`,
              [`ballast health --tier ${tier}`],
              'force',
            ),
          );
        }
      }
      const tests = f.loadTests.filter(
        (t) =>
          t.targets.length === 0 ||
          t.targets.includes(target.group) ||
          (tier !== undefined && t.targets.includes(tier)),
      );
      results.push(
        tests.length > 0
          ? refuse(
              'load-test',
              `Load test ${tests.map((t) => t.id).join(', ')} is running against ${target.group}: a scale-in now would change what it measures.`,
              ['Wait for the load test to finish.'],
              'during-load-test',
            )
          : pass('load-test', 'No load test is running.'),
      );
    }
    results.push(...(kind.guardrails?.(target, before, after, f) ?? []));
    return results;
  }

  async function replayContext(
    group: string,
    f: GuardrailFacts,
    signal?: AbortSignal,
  ): Promise<ReplayContext | { unavailable: string }> {
    const tier = tierOf(group);
    const kind = tierKind(tier);
    if (!tier || !kind)
      return {
        unavailable: `${group} is not the group of a web (ALB) or worker (SQS) tier in the platform config: nothing to replay.`,
      };
    if (!ports.traffic) return { unavailable: 'No recorded traffic was available to replay.' };
    const prices = pricesFor(
      changesConfig(platform).groups[group]?.prices,
      f.group.instanceTypes,
      platform.region,
    );
    if (!prices)
      return {
        unavailable: `No price known for ${f.group.instanceTypes.join(', ') || 'the group'} in ${platform.region}: set changes.groups.${group}.prices in the platform config.`,
      };
    const windowMs = options.replayWindowMs ?? 7 * DAY;
    const end = Math.floor(f.now / 60_000) * 60_000;
    let recorded: RecordedSeries | undefined;
    try {
      recorded = await ports.traffic.recorded(group, { start: end - windowMs, end }, signal);
    } catch (err) {
      // The plan stands without its effect; the reason says why there is none.
      return {
        unavailable: `The recorded traffic of ${group} could not be read: ${describeError(err)}`,
      };
    }
    if (!recorded)
      return {
        unavailable: `No traffic of ${group} was recorded in the last ${Math.round(windowMs / DAY)} days.`,
      };
    return { facts: f, tier, kind, prices, recorded };
  }

  async function effectOf(
    kind: AnyChangeKind,
    target: ChangeTarget,
    before: unknown,
    after: unknown,
    f: GuardrailFacts,
    signal?: AbortSignal,
  ): Promise<{ effect?: Effect; effectUnavailable?: string }> {
    if (!kind.replayConfig)
      return {
        effectUnavailable: 'This kind of change has no what-if replay: it takes effect at once.',
      };
    const ctx = await replayContext(target.group, f, signal);
    if ('unavailable' in ctx) return { effectUnavailable: ctx.unavailable };
    const base = baseReplayConfig(f, target.policyName, ctx.prices);
    const current = kind.replayConfig(before, base, f) ?? base;
    const candidate = kind.replayConfig(after, base, f) ?? base;
    return {
      effect: computeEffect({
        kind: ctx.kind,
        recorded: ctx.recorded,
        slo: ctx.tier.slo,
        current,
        candidate,
        prices: ctx.prices,
      }),
    };
  }

  async function plan(request: PlanRequest): Promise<Plan> {
    const kind = kindOf(request.kind);
    const f = await facts(request.target.group, request.signal);
    const asked = { ...request.target, ...request.narrow?.(f), group: request.target.group };
    const tier = tierOf(asked.group)?.id;
    const target: ChangeTarget = {
      context: options.context,
      ...asked,
      ...(tier && !asked.tier ? { tier } : {}),
    };
    const live = kind.stateSchema.parse(await kind.read(target, ports.autoscaling, request.signal));
    const wanted =
      typeof request.desired === 'function'
        ? (request.desired as (b: unknown, f: GuardrailFacts) => unknown)(live, f)
        : request.desired;
    const after = kind.stateSchema.parse(wanted);
    const before = kind.scope ? kind.stateSchema.parse(kind.scope(live, after)) : live;
    const overrides = [...new Set(request.overrides ?? [])];
    const checks = await guardrails(kind, target, before, after, f, request.signal);
    const effect = request.effect
      ? { effect: request.effect }
      : request.withoutEffect
        ? {}
        : await effectOf(kind, target, before, after, f, request.signal);
    const body = {
      format: PLAN_FORMAT,
      version: PLAN_VERSION,
      id: '',
      kind: kind.kind,
      title: kind.title(target, before, after),
      target,
      createdAt: f.now,
      before,
      after,
      diff: kind.diff(before, after),
      steps: kind.steps(target, before, after),
      ...effect,
      guardrails: checks,
      overrides,
      ...(request.revertOf ? { revertOf: request.revertOf } : {}),
    } as const;
    const id = `plan-${sha256Hex(canonicalJson({ ...body, nonce: random() })).slice(0, 12)}`;
    // Parsed first, so the fingerprint covers exactly what a saved plan file will hold.
    const parsed = PlanSchema.parse({ ...body, id, fingerprint: '' });
    return { ...parsed, fingerprint: planFingerprint(parsed) };
  }

  function blocking(p: Plan, extra: GuardrailOverride[] = []): GuardrailResult[] {
    const given = new Set([...p.overrides, ...extra]);
    return p.guardrails.filter((g) => !g.ok && !(g.override && given.has(g.override)));
  }

  function records(rows: AuditRow[]): ChangeRecord[] {
    return changeRecords(rows).filter((r) => r.target.context === options.context);
  }

  async function apply(p: Plan, opts: ApplyOptions): Promise<ApplyResult> {
    const checked = parsePlan(serializePlan(p));
    if (checked.target.context !== options.context)
      throw new ChangeRefusedError(
        'wrong-context',
        `This plan is for context ${checked.target.context}, not ${options.context}.`,
        [`Apply it with --context ${checked.target.context}, or plan again in this context.`],
      );
    const kind = kindOf(checked.kind);
    const target = checked.target;
    const before = kind.stateSchema.parse(checked.before);
    const after = kind.stateSchema.parse(checked.after);
    if (checked.steps.length === 0)
      throw new ChangeRefusedError(
        'no-change',
        `Nothing to apply: ${target.group} already has this configuration.`,
      );
    const done = records(store.changes.rows()).find(
      (r) =>
        r.planId === checked.id &&
        (r.status === 'applied' || r.status === 'unverified' || r.status === 'pending'),
    );
    if (done)
      throw new ChangeRefusedError(
        'already-applied',
        `This plan was already applied as change ${done.changeId} (${done.status}).`,
        [`ballast changes show ${done.changeId}`, 'Plan again to change more.'],
      );
    const planBlocked = blocking(checked, opts.overrides);
    if (planBlocked.length > 0) throw guardrailError(planBlocked);

    const identity = await ports.identity.callerIdentity(opts.signal);
    const actor: Actor = {
      principal: identity.arn,
      account: identity.account,
      user: opts.actor.user,
      via: opts.actor.via,
    };
    const at = now();
    const changeId = newChangeId(at, random);
    const leaseKey = `${options.context}/${target.group}`;
    const lease = store.changes.acquireLease(
      {
        target: leaseKey,
        changeId,
        holder: `${opts.actor.user}@${host}`,
        pid: process.pid,
        acquiredAt: at,
        expiresAt: at + leaseMs,
      },
      orphaned,
    );
    if (!lease.ok)
      throw new ChangeRefusedError(
        'busy',
        `Change ${lease.held.changeId} by ${lease.held.holder} is being applied to ${target.group} (since ${new Date(lease.held.acquiredAt).toISOString()}); one change at a time per group.`,
        [
          'Wait for it to finish, then plan again against the new live state.',
          `ballast changes show ${lease.held.changeId}`,
        ],
        { lease: lease.held },
      );
    try {
      if (lease.replaced) await recoverInterrupted(lease.replaced.changeId, opts.signal);
      // Compare-and-set: the live state must still be the plan's before.
      const read = kind.stateSchema.parse(await kind.read(target, ports.autoscaling, opts.signal));
      const live = kind.scope ? kind.stateSchema.parse(kind.scope(read, after)) : read;
      if (!kind.matches(live, before)) {
        const changed = kind.diff(before, live);
        throw new ChangeRefusedError(
          'conflict',
          `${target.group} changed since this plan was made, so it was not applied:\n${changed.map((c) => `  - ${describeFieldChange(c)}`).join('\n')}`,
          ['Plan again against the live state, review the new diff, then apply.'],
          { changed },
        );
      }
      // Guardrails again, on the state now (a tier may have turned critical since planning).
      const f = await facts(target.group, opts.signal);
      const checksNow = await guardrails(kind, target, live, after, f, opts.signal);
      const blockedNow = checksNow.filter(
        (g) =>
          !g.ok &&
          !(
            g.override && new Set([...checked.overrides, ...(opts.overrides ?? [])]).has(g.override)
          ),
      );
      if (blockedNow.length > 0) throw guardrailError(blockedNow);

      const common = {
        changeId,
        actor,
        reason: opts.reason,
        kind: kind.kind,
        title: checked.title,
        target,
        planId: checked.id,
        ...(checked.revertOf ? { revertOf: checked.revertOf } : {}),
        before,
        after,
      };
      // Write-ahead: the intent is in the log before the first write to AWS.
      store.changes.append({ ...common, phase: 'intent', at: now(), plan: checked });
      const steps: StepOutcome[] = checked.steps.map((s) => ({
        ...s,
        status: 'not-applied' as const,
      }));
      let error: string | undefined;
      for (const step of steps) {
        try {
          await ports.autoscaling.execute(step.write, opts.signal);
          step.status = 'applied';
        } catch (err) {
          step.status = 'failed';
          step.error = describeError(err);
          if (err instanceof PortError && err.actions.length > 0) step.actions = err.actions;
          error = `${step.description} failed: ${step.error}`;
          break;
        }
      }
      let status: ChangeStatus;
      let observed: unknown;
      if (error) {
        status = 'failed';
        observed = await readQuietly(kind, target, opts.signal);
      } else {
        const verified = await verify(kind, target, after, opts.signal);
        status = verified.ok ? 'applied' : 'unverified';
        observed = verified.observed;
        if (!verified.ok) error = verified.error;
      }
      store.changes.append({
        ...common,
        phase: 'outcome',
        at: now(),
        result: {
          status,
          steps,
          ...(observed !== undefined ? { observed } : {}),
          ...(error ? { error } : {}),
        },
      });
      const actions = steps.find((st) => st.status === 'failed')?.actions;
      return {
        changeId,
        status,
        steps,
        ...(observed !== undefined ? { observed } : {}),
        ...(error ? { error } : {}),
        ...(actions ? { actions } : {}),
        plan: checked,
      };
    } finally {
      store.changes.releaseLease(leaseKey, changeId);
    }
  }

  async function readQuietly(
    kind: AnyChangeKind,
    target: ChangeTarget,
    signal?: AbortSignal,
  ): Promise<unknown> {
    try {
      return kind.stateSchema.parse(await kind.read(target, ports.autoscaling, signal));
    } catch {
      return undefined;
    }
  }

  /**
   * Reads back until the live state holds `after`: at once, then after pauses that double
   * up to a cap, until the deadline (on the engine's clock, so tests run it instantly).
   */
  async function verify(
    kind: AnyChangeKind,
    target: ChangeTarget,
    after: unknown,
    signal?: AbortSignal,
  ): Promise<{ ok: boolean; observed?: unknown; error?: string }> {
    const first = options.verify?.firstDelayMs ?? 250;
    const cap = options.verify?.maxDelayMs ?? 4_000;
    const timeoutMs = options.verify?.timeoutMs ?? 30_000;
    const deadline = now() + timeoutMs;
    let delay = first;
    let observed: unknown;
    let lastError: string | undefined;
    for (;;) {
      try {
        observed = kind.stateSchema.parse(await kind.read(target, ports.autoscaling, signal));
        if (kind.matches(observed, after)) return { ok: true, observed };
        lastError = undefined;
      } catch (err) {
        lastError = describeError(err);
      }
      const left = deadline - now();
      if (signal?.aborted || left <= 0) break;
      await sleep(Math.min(delay, left), signal);
      delay = Math.min(cap, delay * 2);
    }
    return {
      ok: false,
      ...(observed !== undefined ? { observed } : {}),
      error: lastError
        ? `the read-back failed (${lastError})`
        : `the live state did not show the change within ${Math.round(timeoutMs / 1000)} s of applying it`,
    };
  }

  /** A lease whose process no longer runs (only a process on this host can be checked). */
  function orphaned(held: ChangeLease): boolean {
    return held.holder.endsWith(`@${host}`) && !processAlive(held.pid);
  }

  async function recover(signal?: AbortSignal): Promise<string[]> {
    const recovered: string[] = [];
    for (const held of store.changes.leases()) {
      if (!held.target.startsWith(`${options.context}/`)) continue;
      const at = now();
      if (held.expiresAt > at && !orphaned(held)) continue;
      const recoveryId = `recover-${held.changeId}`;
      const taken = store.changes.acquireLease(
        {
          target: held.target,
          changeId: recoveryId,
          holder: `${localUser()}@${host}`,
          pid: process.pid,
          acquiredAt: at,
          expiresAt: at + leaseMs,
        },
        orphaned,
      );
      if (!taken.ok || taken.replaced?.changeId !== held.changeId) {
        if (taken.ok) store.changes.releaseLease(held.target, recoveryId);
        continue;
      }
      try {
        if (await recoverInterrupted(held.changeId, signal)) recovered.push(held.changeId);
      } finally {
        store.changes.releaseLease(held.target, recoveryId);
      }
    }
    return recovered;
  }

  /** An intent whose process died: record that, with the live state found now. */
  async function recoverInterrupted(changeId: string, signal?: AbortSignal): Promise<boolean> {
    const rows = store.changes.rows({ changeId });
    if (rows.some((r) => r.phase === 'outcome')) return false;
    const intent = rows.find((r) => r.phase === 'intent');
    if (!intent) return false;
    const body = AuditBodySchema.parse(JSON.parse(intent.body));
    const kind = kinds.get(body.kind);
    const observed = kind ? await readQuietly(kind, body.target, signal) : undefined;
    const steps: StepOutcome[] = (body.plan?.steps ?? []).map((s) => ({
      ...s,
      status: 'unknown',
      error: 'the process ended before it recorded this step',
    }));
    const { seq: _seq, plan: _plan, ...rest } = body;
    store.changes.append({
      ...rest,
      phase: 'outcome',
      at: now(),
      result: {
        status: 'interrupted',
        steps,
        ...(observed !== undefined ? { observed } : {}),
        error:
          'The process applying this change ended before it recorded the outcome; the live state read when the interruption was found is in `observed`.' +
          (observed !== undefined && kind
            ? kind.matches(observed, body.after)
              ? ' It matches the planned after state.'
              : kind.matches(observed, body.before)
                ? ' It matches the planned before state.'
                : ' It matches neither the planned before nor after state.'
            : ''),
      },
    });
    return true;
  }

  async function planRevert(
    changeId: string,
    opts: { overrides?: GuardrailOverride[]; signal?: AbortSignal } = {},
  ): Promise<Plan> {
    const record = records(store.changes.rows({ changeId }))[0];
    if (!record)
      throw new ChangeRefusedError(
        'unknown-change',
        `No change ${changeId} in context ${options.context}.`,
        ['ballast changes list'],
      );
    if (record.status === 'pending')
      throw new ChangeRefusedError(
        'not-revertible',
        `Change ${changeId} has no outcome yet (it is being applied, or its process died).`,
        ['Apply another change to the group to record what happened, or wait for it to finish.'],
      );
    if (record.status === 'failed' && record.steps.every((s) => s.status !== 'applied'))
      throw new ChangeRefusedError(
        'not-revertible',
        `Change ${changeId} failed before any write: there is nothing to revert.`,
      );
    const { context: _context, ...target } = record.target;
    return plan({
      kind: record.kind,
      target,
      desired: record.before,
      revertOf: changeId,
      ...(opts.overrides ? { overrides: opts.overrides } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }

  return {
    kinds,
    context: options.context,
    platform,
    scalingGroups: () =>
      platform.tiers.flatMap((tier) => {
        const kind = tierKind(tier);
        return kind
          ? tier.resources.flatMap((r) =>
              r.type === 'asg' ? [{ group: r.name, tier: tier.id, kind }] : [],
            )
          : [];
      }),
    plan,
    blocking,
    apply,
    planRevert,
    list(range = {}) {
      return records(store.changes.rows())
        .filter(
          (r) =>
            (range.from === undefined || r.at >= range.from) &&
            (range.to === undefined || r.at <= range.to),
        )
        .reverse();
    },
    // every row: a change's record names the changes that reverted it
    show: (changeId) => records(store.changes.rows()).find((r) => r.changeId === changeId),
    verifyAudit: () => verifyAuditChain(store.changes.rows(), store.changes.head()),
    annotations(range) {
      return changeAnnotations(records(store.changes.rows()), range);
    },
    facts,
    recover,
    replayContext: async (group, signal) =>
      replayContext(group, await facts(group, signal), signal),
  };
}

function guardrailError(blocked: GuardrailResult[]): ChangeRefusedError {
  const overridable = blocked.filter((g) => g.override);
  return new ChangeRefusedError(
    'guardrail',
    `Refused by ${blocked.length} guardrail${blocked.length === 1 ? '' : 's'}:\n${blocked.map((g) => `  - ${g.message}${g.override ? ` (override: --${g.override})` : ''}`).join('\n')}`,
    [
      ...blocked.flatMap((g) => g.actions),
      ...(overridable.length === blocked.length
        ? [`If you are sure: ${[...new Set(overridable.map((g) => `--${g.override}`))].join(' ')}`]
        : []),
    ],
    { guardrails: blocked },
  );
}

/** min <= desired <= max, and the step size. */
export function capacityGuardrails(
  shift: CapacityShift,
  f: Pick<GuardrailFacts, 'config'>,
  group: string,
): GuardrailResult[] {
  const out: GuardrailResult[] = [];
  if (shift.min > shift.max || shift.to < shift.min || shift.to > shift.max)
    out.push(
      refuse(
        'capacity-bounds',
        `${group} would break min <= desired <= max (min ${shift.min}, desired ${shift.to}, max ${shift.max}).`,
        ['Choose values with min <= desired <= max.'],
      ),
    );
  else
    out.push(
      pass('capacity-bounds', `min ${shift.min} <= desired ${shift.to} <= max ${shift.max}.`),
    );
  const step = Math.abs(shift.to - shift.from);
  const share = step / Math.max(1, shift.from);
  const limit = f.config.maxStepShare;
  out.push(
    step > 0 && share > limit
      ? refuse(
          'step-size',
          `Moving ${group} from ${shift.from} to ${shift.to} instances is a step of ${Math.round(share * 100)}% of its capacity, more than the ${Math.round(limit * 100)}% allowed at once (changes.maxStepShare).`,
          ['Make the change in smaller steps.'],
          'force',
        )
      : pass(
          'step-size',
          step === 0
            ? 'Capacity does not move at once.'
            : `A step of ${Math.round(share * 100)}% of capacity (at most ${Math.round(limit * 100)}%).`,
        ),
  );
  return out;
}

/** The group's configuration now, as a replay runs it. */
export function baseReplayConfig(
  f: GuardrailFacts,
  policyName: string | undefined,
  prices: { onDemandPerHour: number; spotPerHour: number },
): ReplayConfig {
  const candidates = f.policies.filter((p) => p.type === 'TargetTrackingScaling' && p.enabled);
  const named = policyName ? candidates.find((p) => p.name === policyName) : undefined;
  const policy =
    replayPolicyOf(named, f) ??
    candidates.map((p) => replayPolicyOf(p, f)).find((p) => p !== undefined);
  return {
    min: f.group.min,
    max: f.group.max,
    ...(f.group.distribution ? { distribution: f.group.distribution } : {}),
    ...(policy ? { policy } : {}),
    prices: { onDemandPerHour: prices.onDemandPerHour, spotPerHour: prices.spotPerHour },
  };
}

function newChangeId(at: number, random: () => number): string {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const suffix = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
  return `chg-${stamp}-${suffix}`;
}

function describeError(err: unknown): string {
  if (err instanceof PortError) return err.message;
  if (err && typeof err === 'object') {
    const { name, message } = err as { name?: unknown; message?: unknown };
    const n = typeof name === 'string' && name !== 'Error' ? `${name}: ` : '';
    return `${n}${typeof message === 'string' ? message : String(err)}`;
  }
  return String(err);
}

/** Audit rows folded into one record per change (intent + outcome), oldest first. */
export function changeRecords(rows: readonly AuditRow[]): ChangeRecord[] {
  const byId = new Map<string, ChangeRecord>();
  const order: string[] = [];
  for (const row of rows) {
    let body: AuditBody;
    try {
      body = AuditBodySchema.parse(JSON.parse(row.body));
    } catch {
      continue; // an unreadable row is reported by verifyAuditChain, not here
    }
    let record = byId.get(body.changeId);
    if (!record) {
      record = {
        changeId: body.changeId,
        kind: body.kind,
        title: body.title,
        target: body.target,
        actor: body.actor,
        reason: body.reason,
        at: body.at,
        status: 'pending',
        planId: body.planId,
        ...(body.revertOf ? { revertOf: body.revertOf } : {}),
        revertedBy: [],
        before: body.before,
        after: body.after,
        diff: diffStates(body.before, body.after),
        steps: (body.plan?.steps ?? []).map((s) => ({ ...s, status: 'not-applied' as const })),
      };
      if (body.plan) record.diff = body.plan.diff;
      byId.set(body.changeId, record);
      order.push(body.changeId);
    }
    if (body.phase === 'outcome' && body.result) {
      record.status = body.result.status;
      record.finishedAt = body.at;
      record.steps = body.result.steps;
      if (body.result.error) record.error = body.result.error;
    }
  }
  const records = order.map((id) => byId.get(id)!);
  for (const r of records)
    if (r.revertOf && r.status !== 'failed') byId.get(r.revertOf)?.revertedBy.push(r.changeId);
  return records;
}

/** Changes over [from, to] as chart annotations, oldest first. */
export function changeAnnotations(
  records: readonly ChangeRecord[],
  range: { from: number; to: number },
): ChangeAnnotation[] {
  return records
    .filter((r) => r.at <= range.to && (r.finishedAt ?? r.at) >= range.from)
    .sort((a, b) => a.at - b.at)
    .map((r) => ({
      changeId: r.changeId,
      at: r.at,
      ...(r.finishedAt !== undefined ? { finishedAt: r.finishedAt } : {}),
      group: r.target.group,
      ...(r.target.tier ? { tier: r.target.tier } : {}),
      kind: r.kind,
      label: r.title,
      status: r.status,
      user: r.actor.user,
      reason: r.reason,
      ...(r.revertOf ? { revertOf: r.revertOf } : {}),
    }));
}

/** The local user, for the audit's actor (the dashboard passes its operator instead). */
export function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

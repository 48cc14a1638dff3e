import { hostname } from 'node:os';
import { join } from 'node:path';
import BetterSqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cpuPolicy, AwsLikeError, fakePorts, PRINCIPAL } from '../../test/fake-auto-scaling.js';
import { engineSetup, NOW, type EngineSetup } from '../../test/engine-setup.js';
import { ChangeRefusedError, parsePlan, serializePlan } from './engine.js';
import { PortError } from './ports.js';
import {
  groupCapacityRequest,
  scalingPolicyRequest,
  scheduledActionsRequest,
  workerFleetRequest,
} from './requests.js';

let setups: EngineSetup[] = [];
function setup(...args: Parameters<typeof engineSetup>): EngineSetup {
  const s = engineSetup(...args);
  setups.push(s);
  return s;
}
afterEach(() => {
  for (const s of setups) s.store.close();
  setups = [];
});

const actor = { user: 'jane', via: 'test' as const };

/** The error an async call rejects with (fails the test when it resolves). */
async function refusal(promise: Promise<unknown>): Promise<ChangeRefusedError> {
  const outcome = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(ChangeRefusedError);
  return outcome as ChangeRefusedError;
}

const cpuTarget = (s: EngineSetup, target: number) =>
  s.engine.plan(scalingPolicyRequest(s.platform, { group: 'store-web', metric: 'cpu', target }));

describe('plan', () => {
  it('given a CPU target of 70, when 50 is asked, then the plan shows the one field that changes and the one write that changes it', async () => {
    const s = setup();

    const plan = await cpuTarget(s, 50);

    expect(plan.title).toBe('Target tracking of store-web on CPU: 70 -> 50');
    expect(plan.target).toEqual({
      context: 'sandbox',
      group: 'store-web',
      tier: 'web',
      policyName: 'store-web-cpu70',
    });
    expect(plan.diff).toEqual([
      { field: 'policy.targetTracking.targetValue', label: 'Target value', before: 70, after: 50 },
    ]);
    expect(plan.steps.map((st) => st.write)).toEqual([
      {
        op: 'PutScalingPolicy',
        group: 'store-web',
        policy: { ...cpuPolicy('store-web-cpu70', 50) },
      },
    ]);
    expect(plan.guardrails.filter((g) => !g.ok)).toEqual([]);
    expect(plan.effectUnavailable).toBe('No recorded traffic was available to replay.');
    expect(s.aws.writes).toEqual([]);
  });

  it('given no CPU policy, then the plan creates one named after the group', async () => {
    const s = setup();
    s.aws.policies.set('store-web', []);

    const plan = await cpuTarget(s, 50);

    expect(plan.target.policyName).toBe('store-web-cpu');
    expect(plan.steps[0]?.description).toBe(
      'Create target-tracking policy store-web-cpu of store-web (CPU at 50)',
    );
  });

  it('given a plan saved to a file, then reading it back gives the same plan', async () => {
    const s = setup();
    const plan = await cpuTarget(s, 50);

    const text = serializePlan(plan);

    expect(JSON.parse(text)).toMatchObject({ format: 'ballast.change-plan', version: 1 });
    expect(parsePlan(text)).toEqual(plan);
  });

  it.each([
    {
      when: 'its desired state was edited',
      edit: (t: string) => t.replace('"targetValue": 50', '"targetValue": 5'),
      message: /web\.plan was edited after it was planned/,
    },
    {
      when: 'a field was added',
      edit: (t: string) => t.replace('"kind":', '"note": "hi",\n  "kind":'),
      message: /web\.plan was edited after it was planned/,
    },
    {
      when: 'it is not JSON',
      edit: () => 'plan, but not really',
      message: /web\.plan is not a Ballast plan \(not JSON\)/,
    },
    {
      when: 'it is of a later version',
      edit: (t: string) => t.replace('"version": 1', '"version": 2'),
      message: /web\.plan is a plan of version 2; this Ballast reads version 1/,
    },
  ])(
    'given a saved plan, when $when, then reading it refuses with what to do',
    async ({ edit, message }) => {
      const s = setup();
      const text = serializePlan(await cpuTarget(s, 50));

      const err = (() => {
        try {
          parsePlan(edit(text), 'web.plan');
        } catch (e) {
          return e as ChangeRefusedError;
        }
        throw new Error('expected a refusal');
      })();

      expect(err.code).toBe('invalid-plan');
      expect(err.message).toMatch(message);
      expect(err.actions[0]).toMatch(/plan/i);
    },
  );
});

describe('guardrails', () => {
  it('given min above max, then the plan is refused and nothing may override it', async () => {
    const s = setup();

    const plan = await s.engine.plan(groupCapacityRequest({ group: 'store-web', min: 12, max: 8 }));
    const err = await refusal(
      s.engine.apply(plan, { actor, reason: 'test', overrides: ['force'] }),
    );

    expect(err.code).toBe('guardrail');
    expect(err.message).toContain(
      'store-web would break min <= desired <= max (min 12, desired 8, max 8).',
    );
    expect(err.message).not.toContain('override');
    expect(s.aws.writes).toEqual([]);
    expect(s.store.changes.rows()).toEqual([]);
  });

  it('given desired capacity outside the bounds, then it is refused', async () => {
    const s = setup();

    const plan = await s.engine.plan(groupCapacityRequest({ group: 'store-web', desired: 25 }));

    expect(s.engine.blocking(plan, ['force']).map((g) => g.id)).toContain('capacity-bounds');
  });

  it('given a step of more than half the capacity, then it needs --force, and with it goes through', async () => {
    const s = setup();

    const plan = await s.engine.plan(groupCapacityRequest({ group: 'store-web', desired: 16 }));
    const err = await refusal(s.engine.apply(plan, { actor, reason: 'sale' }));

    expect(err.message).toContain(
      'Moving store-web from 10 to 16 instances is a step of 60% of its capacity, more than the 50% allowed at once (changes.maxStepShare). (override: --force)',
    );
    expect(err.actions).toContain('If you are sure: --force');
    const result = await s.engine.apply(plan, { actor, reason: 'sale', overrides: ['force'] });
    expect(result.status).toBe('applied');
    expect(s.aws.groups.get('store-web')?.desired).toBe(16);
  });

  it('given the web tier is critical, then a scale-in (a higher CPU target) is refused, even with --force', async () => {
    const s = setup({
      ports: (aws) =>
        fakePorts(aws, {
          tierStatus: { web: { status: 'critical', reasons: ['p99 latency 2.3 s > 1.2 s'] } },
        }),
    });

    const plan = await cpuTarget(s, 80);
    const err = await refusal(
      s.engine.apply(plan, { actor, reason: 'save money', overrides: ['force'] }),
    );

    expect(err.message).toContain(
      'Tier web is critical (p99 latency 2.3 s > 1.2 s): no scale-in while it is.',
    );
    expect(s.aws.writes).toEqual([]);
  });

  it('given the web tier is critical, then a scale-out (a lower CPU target) is allowed', async () => {
    const s = setup({
      ports: (aws) =>
        fakePorts(aws, { tierStatus: { web: { status: 'critical', reasons: ['slow'] } } }),
    });

    const result = await s.engine.apply(await cpuTarget(s, 50), { actor, reason: 'help' });

    expect(result.status).toBe('applied');
  });

  it('given the health of the tier is unknown, then a scale-in needs --force', async () => {
    const s = setup({
      ports: (aws) =>
        fakePorts(aws, {
          tierStatus: { web: { status: 'unknown', reasons: ['metrics throttled'] } },
        }),
    });

    const plan = await cpuTarget(s, 80);

    expect(s.engine.blocking(plan)).toMatchObject([
      {
        id: 'tier-health',
        override: 'force',
        message: expect.stringContaining('metrics throttled'),
      },
    ]);
    expect(s.engine.blocking(plan, ['force'])).toEqual([]);
  });

  it('given a load test against the web tier, then a scale-in needs --during-load-test', async () => {
    const s = setup({
      ports: (aws) =>
        fakePorts(aws, {
          loadTests: [{ id: 'bf-rehearsal', targets: ['web'], startedAt: NOW - 60_000 }],
        }),
    });

    const plan = await s.engine.plan(groupCapacityRequest({ group: 'store-web', max: 12 }));
    const err = await refusal(s.engine.apply(plan, { actor, reason: 'shrink' }));

    expect(err.message).toContain(
      'Load test bf-rehearsal is running against store-web: a scale-in now would change what it measures. (override: --during-load-test)',
    );
    const result = await s.engine.apply(plan, {
      actor,
      reason: 'shrink',
      overrides: ['during-load-test'],
    });
    expect(result.status).toBe('applied');
  });

  it.each([
    {
      what: 'a spot share above the bound',
      change: { spotShare: 40 },
      group: 'store-workers',
      message:
        'A spot share of 40% is outside 50-100% allowed for store-workers (changes.groups.store-workers.spotShare in the platform config).',
    },
    {
      what: 'an on-demand base above the bound',
      change: { onDemandBase: 6 },
      group: 'store-workers',
      message:
        'An on-demand base of 6 is outside 0-4 allowed for store-workers (changes.groups.store-workers.onDemandBase in the platform config).',
    },
    {
      what: 'a web spot share above the bound',
      change: { spotShare: 90 },
      group: 'store-web',
      message: 'A spot share of 90% is outside 0-70% allowed for store-web',
    },
  ])(
    'given $what, then it is refused with the bound and where it is configured',
    async ({ change, group, message }) => {
      const s = setup();

      const plan = await s.engine.plan(workerFleetRequest(s.platform, { group, ...change }));

      const blocked = s.engine.blocking(plan, ['force', 'during-load-test']);
      expect(blocked).toMatchObject([
        { id: 'spot-bounds', message: expect.stringContaining(message) },
      ]);
      expect(blocked[0]?.override).toBeUndefined();
    },
  );

  it('given a group with 50 scaling policies, then a 51st is refused by the account limit', async () => {
    const s = setup();
    s.aws.policies.set(
      'store-web',
      Array.from({ length: 50 }, (_, i) => cpuPolicy(`p${i}`, 90)).map((p) => ({
        ...p,
        targetTracking: {
          ...p.targetTracking!,
          metric: { type: 'predefined' as const, metric: 'ASGAverageNetworkIn' as const },
        },
      })),
    );

    const plan = await cpuTarget(s, 50);

    expect(s.engine.blocking(plan)).toMatchObject([
      {
        id: 'account-limits',
        message: 'store-web would have 51 scaling policies; Auto Scaling allows 50 per group.',
      },
    ]);
  });

  it('given 125 scheduled actions, then a 126th is refused by the account limit', async () => {
    const s = setup();
    s.aws.actions.set(
      'store-web',
      Array.from({ length: 125 }, (_, i) => ({ name: `a${i}`, recurrence: '0 9 * * *', min: 4 })),
    );

    const plan = await s.engine.plan(
      scheduledActionsRequest({
        group: 'store-web',
        put: [{ name: 'one-more', startTime: NOW + 86_400_000, min: 6 }],
      }),
    );

    expect(s.engine.blocking(plan)).toMatchObject([
      { id: 'account-limits', message: expect.stringContaining('126 scheduled actions') },
    ]);
  });

  it('given scheduled actions, then each is checked against the bounds the actions before it leave', async () => {
    const s = setup();
    const hour = 3_600_000;
    const plan = (raiseMaxAt: number) =>
      s.engine.plan(
        scheduledActionsRequest({
          group: 'store-web',
          put: [
            { name: 'raise-max', startTime: NOW + raiseMaxAt, max: 60 },
            { name: 'raise-min', startTime: NOW + 2 * hour, min: 40 },
          ],
        }),
      );

    expect(s.engine.blocking(await plan(hour))).toEqual([]);
    expect(s.engine.blocking(await plan(3 * hour))).toMatchObject([
      {
        id: 'capacity-bounds',
        message:
          'raise-min would leave store-web with min 40, desired -, max 20 when it fires: min <= desired <= max must hold.',
      },
    ]);
  });

  it.each([
    {
      what: 'a CPU target above 100%',
      change: { metric: 'cpu' as const, target: 120 },
      message: 'A CPU target is a percentage: at most 100.',
    },
  ])('given $what, then it is refused', async ({ change, message }) => {
    const s = setup();

    const plan = await s.engine.plan(
      scalingPolicyRequest(s.platform, { group: 'store-web', ...change }),
    );

    expect(s.engine.blocking(plan, ['force'])).toMatchObject([{ id: 'policy-metric', message }]);
  });

  it('given a step scaling policy of that name, then it is not rewritten as target tracking', async () => {
    const s = setup();
    s.aws.policies.set('store-web', [
      {
        name: 'legacy',
        type: 'StepScaling',
        enabled: true,
        other: { AdjustmentType: 'ChangeInCapacity' },
      },
    ]);

    const plan = await s.engine.plan({
      kind: 'target-tracking-policy',
      target: { group: 'store-web', policyName: 'legacy' },
      desired: (before: unknown) => ({
        policy: {
          ...(before as { policy: object }).policy,
          targetTracking: cpuPolicy('legacy', 50).targetTracking,
        },
      }),
    });

    expect(s.engine.blocking(plan, ['force'])).toMatchObject([
      {
        id: 'policy-type',
        message: 'legacy is a StepScaling policy: this change writes target tracking only.',
      },
    ]);
  });

  it('given a one-off scheduled action in the past, then it is refused as AWS would', async () => {
    const s = setup();

    const plan = await s.engine.plan(
      scheduledActionsRequest({
        group: 'store-web',
        put: [{ name: 'too-late', startTime: NOW - 60_000, min: 6 }],
      }),
    );

    expect(s.engine.blocking(plan, ['force'])).toMatchObject([
      {
        id: 'start-time',
        message: expect.stringContaining('too-late starts 2025-11-20T14:59:00.000Z, in the past'),
      },
    ]);
  });
});

describe('apply', () => {
  it('given a plan, then it writes, reads back, and records who, when, why, before and after', async () => {
    const s = setup();
    const plan = await cpuTarget(s, 50);

    const result = await s.engine.apply(plan, { actor, reason: 'pre-sale' });

    expect(result).toMatchObject({ status: 'applied', steps: [{ status: 'applied' }] });
    expect(s.aws.policies.get('store-web')?.[0]?.targetTracking?.targetValue).toBe(50);
    const record = s.engine.show(result.changeId);
    expect(record).toMatchObject({
      changeId: result.changeId,
      kind: 'target-tracking-policy',
      status: 'applied',
      reason: 'pre-sale',
      actor: { principal: PRINCIPAL, account: '123456789012', user: 'jane', via: 'test' },
      at: NOW,
      finishedAt: NOW,
      before: { policy: cpuPolicy('store-web-cpu70', 70) },
      after: { policy: cpuPolicy('store-web-cpu70', 50) },
      diff: plan.diff,
    });
    expect(s.store.changes.rows().map((r) => r.phase)).toEqual(['intent', 'outcome']);
    expect(s.engine.verifyAudit()).toMatchObject({ ok: true, entries: 2 });
    expect(s.engine.list().map((r) => r.changeId)).toEqual([result.changeId]);
    expect(s.engine.annotations({ from: NOW - 1, to: NOW + 1 })).toMatchObject([
      {
        changeId: result.changeId,
        group: 'store-web',
        tier: 'web',
        status: 'applied',
        user: 'jane',
      },
    ]);
  });

  it('given the same plan applied twice, then the second is refused', async () => {
    const s = setup();
    const plan = await cpuTarget(s, 50);
    const first = await s.engine.apply(plan, { actor, reason: 'once' });

    const err = await refusal(s.engine.apply(plan, { actor, reason: 'twice' }));

    expect(err.code).toBe('already-applied');
    expect(err.message).toContain(first.changeId);
  });

  it('given a plan made in another context, then it is refused with the context to use', async () => {
    const prod = setup({ engine: { context: 'prod' } });
    const plan = await cpuTarget(prod, 50);

    const err = await refusal(setup().engine.apply(plan, { actor, reason: 'x' }));

    expect(err.code).toBe('wrong-context');
    expect(err.message).toBe('This plan is for context prod, not sandbox.');
    expect(err.actions[0]).toBe('Apply it with --context prod, or plan again in this context.');
  });
});

describe('compare-and-set', () => {
  it('given the policy changed after planning, then apply refuses, shows what changed, and writes nothing', async () => {
    const s = setup();
    const plan = await cpuTarget(s, 50);
    s.aws.policies.set('store-web', [cpuPolicy('store-web-cpu70', 60)]);

    const err = await refusal(s.engine.apply(plan, { actor, reason: 'pre-sale' }));

    expect(err.code).toBe('conflict');
    expect(err.message).toBe(
      'store-web changed since this plan was made, so it was not applied:\n  - Target value: 70 -> 60',
    );
    expect(err.details.changed).toEqual([
      { field: 'policy.targetTracking.targetValue', label: 'Target value', before: 70, after: 60 },
    ]);
    expect(s.aws.writes).toEqual([]);
    expect(s.store.changes.rows()).toEqual([]);
  });

  it('given a bounds change, when the group scaled by itself meanwhile, then that is no conflict', async () => {
    const s = setup();
    const plan = await s.engine.plan(groupCapacityRequest({ group: 'store-web', max: 24 }));
    s.aws.groups.get('store-web')!.desired = 12;

    const result = await s.engine.apply(plan, { actor, reason: 'room' });

    expect(result.status).toBe('applied');
    expect(s.aws.groups.get('store-web')).toMatchObject({ max: 24, desired: 12 });
  });

  it('given two operators applying plans of the same group at once, then exactly one wins', async () => {
    const s = setup();
    const other = s.second();
    const mine = await cpuTarget(s, 50);
    const theirs = await other.plan(
      scalingPolicyRequest(s.platform, { group: 'store-web', metric: 'cpu', target: 60 }),
    );
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const writing = new Promise<void>((resolve) => (entered = resolve));
    s.aws.beforeWrite = async () => {
      entered();
      await held;
    };

    const first = s.engine.apply(mine, { actor, reason: 'mine' });
    await writing; // the first holds the group and is writing
    const second = other.apply(theirs, { actor: { user: 'joe', via: 'test' }, reason: 'theirs' });
    const secondOutcome = await second.then(
      (r) => r,
      (e: unknown) => e,
    );
    release();
    const firstOutcome = await first;

    expect(firstOutcome.status).toBe('applied');
    expect(secondOutcome).toBeInstanceOf(ChangeRefusedError);
    expect((secondOutcome as ChangeRefusedError).code).toBe('busy');
    expect((secondOutcome as ChangeRefusedError).message).toContain(
      `Change ${firstOutcome.changeId} by jane@`,
    );
    expect(s.aws.writes).toHaveLength(1);
    // and once the first is done, the second's plan no longer matches what is live
    s.aws.beforeWrite = undefined;
    const again = await refusal(
      other.apply(theirs, { actor: { user: 'joe', via: 'test' }, reason: 'retry' }),
    );
    expect(again.code).toBe('conflict');
    expect(s.aws.policies.get('store-web')?.[0]?.targetTracking?.targetValue).toBe(50);
  });

  it('given two plans applied at the same moment from two stores, then one applies and the other is refused', async () => {
    const s = setup();
    const other = s.second();
    const a = await cpuTarget(s, 50);
    const b = await other.plan(
      scalingPolicyRequest(s.platform, { group: 'store-web', metric: 'cpu', target: 60 }),
    );

    const outcomes = await Promise.allSettled([
      s.engine.apply(a, { actor, reason: 'a' }),
      other.apply(b, { actor, reason: 'b' }),
    ]);

    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(['busy', 'conflict']).toContain((refused.reason as ChangeRefusedError).code);
    expect(s.aws.writes).toHaveLength(1);
    expect(s.engine.verifyAudit()).toMatchObject({ ok: true, entries: 2 });
  });
});

describe('a failed apply', () => {
  it('given the second write fails, then the audit says which writes were applied and the live state it left', async () => {
    const s = setup();
    const plan = await s.engine.plan(
      workerFleetRequest(s.platform, { group: 'store-workers', max: 40, backlogTarget: 8 }),
    );
    expect(plan.steps.map((st) => st.write.op)).toEqual([
      'UpdateAutoScalingGroup',
      'PutScalingPolicy',
    ]);
    s.aws.failWith = (w) =>
      w.op === 'PutScalingPolicy'
        ? new AwsLikeError('LimitExceeded', 'Too many policies')
        : undefined;

    const result = await s.engine.apply(plan, { actor, reason: 'backlog' });

    expect(result.status).toBe('failed');
    expect(result.steps.map((st) => st.status)).toEqual(['applied', 'failed']);
    expect(result.error).toBe(
      'Create target-tracking policy store-workers-backlog-per-instance of store-workers (backlog per instance at 8) failed: LimitExceeded: Too many policies',
    );
    const record = s.engine.show(result.changeId)!;
    expect(record.status).toBe('failed');
    expect(record.steps.map((st) => st.status)).toEqual(['applied', 'failed']);
    // what the audit observed is what is live: max applied, no policy
    const observed = s.store.changes.rows({ changeId: result.changeId }).at(-1)!;
    expect(JSON.parse(observed.body).result.observed).toMatchObject({
      max: 40,
      backlogPolicy: null,
    });
    expect(s.aws.groups.get('store-workers')?.max).toBe(40);
    expect(s.engine.verifyAudit().ok).toBe(true);

    // and what was applied can be reverted
    s.aws.failWith = undefined;
    const revert = await s.engine.planRevert(result.changeId);
    expect(revert.diff).toEqual([
      { field: 'max', label: 'Max size', before: 40, after: 12, unit: 'instances' },
    ]);
  });

  it('given a port that explains its failure, then the step carries its message and what to do', async () => {
    const s = setup();
    s.aws.failWith = () =>
      new PortError('Access denied to autoscaling:PutScalingPolicy: not authorized', [
        'Grant autoscaling:PutScalingPolicy to the IAM identity of your credentials.',
      ]);

    const result = await s.engine.apply(await cpuTarget(s, 50), { actor, reason: 'x' });

    expect(result.steps[0]).toMatchObject({
      status: 'failed',
      error: 'Access denied to autoscaling:PutScalingPolicy: not authorized',
      actions: ['Grant autoscaling:PutScalingPolicy to the IAM identity of your credentials.'],
    });
    expect(result.actions).toEqual([
      'Grant autoscaling:PutScalingPolicy to the IAM identity of your credentials.',
    ]);
    expect(s.engine.show(result.changeId)?.steps[0]?.actions).toEqual(result.actions);
  });

  it('given a change that fails before any write, then there is nothing to revert', async () => {
    const s = setup();
    s.aws.failWith = () =>
      new AwsLikeError('AccessDenied', 'not authorized to perform: autoscaling:PutScalingPolicy');
    const result = await s.engine.apply(await cpuTarget(s, 50), { actor, reason: 'x' });

    const err = await refusal(s.engine.planRevert(result.changeId));

    expect(result.status).toBe('failed');
    expect(err.code).toBe('not-revertible');
  });
});

describe('verify', () => {
  it('given reads that lag the write, then it reads back until the change shows', async () => {
    const s = setup();
    s.aws.staleReads = 3;

    const result = await s.engine.apply(await cpuTarget(s, 50), { actor, reason: 'x' });

    expect(result.status).toBe('applied');
    // three stale reads, so three pauses of 250, 500 and 1000 ms on the engine's clock
    expect(s.clock.now).toBe(NOW + 1_750);
  });

  it('given a change that never shows, then it stops at the deadline and records the change as unverified', async () => {
    const s = setup({ engine: { verify: { timeoutMs: 10_000 } } });
    s.aws.staleReads = 1_000;

    const result = await s.engine.apply(await cpuTarget(s, 50), { actor, reason: 'x' });

    expect(result.status).toBe('unverified');
    expect(result.error).toBe('the live state did not show the change within 10 s of applying it');
    expect(s.clock.now).toBe(NOW + 10_000);
    expect(s.engine.show(result.changeId)?.status).toBe('unverified');
  });
});

describe('the audit log', () => {
  it('given a row edited in the database, then verify names the first broken entry', async () => {
    const s = setup();
    const first = await s.engine.apply(await cpuTarget(s, 50), { actor, reason: 'one' });
    await s.engine.apply(await cpuTarget(s, 40), { actor, reason: 'two' });
    const db = rawDb(s);

    expect(() => db.prepare("UPDATE change_audit SET body = '{}' WHERE seq = 2").run()).toThrow(
      'the change audit log is append-only',
    );
    expect(() => db.prepare('DELETE FROM change_audit WHERE seq = 4').run()).toThrow('append-only');
    db.exec('DROP TRIGGER change_audit_no_update');
    const body = db.prepare('SELECT body FROM change_audit WHERE seq = 2').pluck().get() as string;
    db.prepare('UPDATE change_audit SET body = ? WHERE seq = 2').run(
      body.replace('"reason":"one"', '"reason":"other"'),
    );
    db.close();

    expect(s.engine.verifyAudit()).toEqual({
      ok: false,
      entries: 4,
      brokenAt: 2,
      changeId: first.changeId,
      problem: 'edited',
      message: `entry #2 (change ${first.changeId}, outcome) was edited: its hash does not match its content.`,
    });
  });

  it('given the last entries deleted, then verify says the log was cut short', async () => {
    const s = setup();
    await s.engine.apply(await cpuTarget(s, 50), { actor, reason: 'one' });
    const db = rawDb(s);
    db.exec('DROP TRIGGER change_audit_no_delete; DELETE FROM change_audit WHERE seq = 2');
    db.close();

    expect(s.engine.verifyAudit()).toMatchObject({ ok: false, brokenAt: 2, problem: 'truncated' });
  });
});

describe('revert', () => {
  it('given an applied change, then its revert is planned through the same engine and puts the before back', async () => {
    const s = setup();
    const applied = await s.engine.apply(await cpuTarget(s, 50), { actor, reason: 'pre-sale' });

    const plan = await s.engine.planRevert(applied.changeId);
    const reverted = await s.engine.apply(plan, { actor, reason: 'rollback' });

    expect(plan).toMatchObject({
      kind: 'target-tracking-policy',
      revertOf: applied.changeId,
      diff: [{ field: 'policy.targetTracking.targetValue', before: 50, after: 70 }],
    });
    expect(reverted.status).toBe('applied');
    expect(s.aws.policies.get('store-web')?.[0]?.targetTracking?.targetValue).toBe(70);
    expect(s.engine.show(applied.changeId)?.revertedBy).toEqual([reverted.changeId]);
    expect(s.engine.show(reverted.changeId)?.revertOf).toBe(applied.changeId);
  });

  it('given a created policy, then its revert deletes it', async () => {
    const s = setup();
    s.aws.policies.set('store-web', []);
    const applied = await s.engine.apply(await cpuTarget(s, 50), { actor, reason: 'new' });

    const plan = await s.engine.planRevert(applied.changeId);

    expect(plan.steps.map((st) => st.write)).toEqual([
      { op: 'DeletePolicy', group: 'store-web', policyName: 'store-web-cpu' },
    ]);
  });

  it('given an unknown change id, then it says so', async () => {
    const s = setup();

    const err = await refusal(s.engine.planRevert('chg-nope'));

    expect(err.message).toBe('No change chg-nope in context sandbox.');
  });
});

describe('an apply whose process died', () => {
  it('given an intent with no outcome and a lease of a process that is gone, then the next apply records it as interrupted first', async () => {
    const alive = new Set<number>([process.pid]);
    const s = setup({ engine: { processAlive: (pid) => alive.has(pid) } });
    const plan = await cpuTarget(s, 50);
    // what a process killed between its intent and its first write leaves behind
    s.store.changes.acquireLease(
      {
        target: 'sandbox/store-web',
        changeId: 'chg-dead',
        holder: `jane@${hostname()}`,
        pid: 999_999,
        acquiredAt: NOW,
        expiresAt: NOW + 300_000,
      },
      () => false,
    );
    s.store.changes.append({
      changeId: 'chg-dead',
      phase: 'intent',
      at: NOW,
      actor: { principal: PRINCIPAL, user: 'jane', via: 'cli' },
      reason: 'killed',
      kind: plan.kind,
      title: plan.title,
      target: plan.target,
      planId: plan.id,
      before: plan.before,
      after: plan.after,
      plan,
    });
    expect(s.engine.show('chg-dead')?.status).toBe('pending');

    const recovered = await s.engine.recover();

    expect(recovered).toEqual(['chg-dead']);
    const record = s.engine.show('chg-dead')!;
    expect(record.status).toBe('interrupted');
    expect(record.steps.map((st) => st.status)).toEqual(['unknown']);
    expect(record.error).toContain('It matches the planned before state.');
    expect(s.store.changes.leases()).toEqual([]);
    expect((await s.engine.apply(plan, { actor, reason: 'again' })).status).toBe('applied');
  });
});

/** The store's database opened directly, as someone editing it behind Ballast's back would. */
function rawDb(s: EngineSetup): BetterSqlite.Database {
  return new BetterSqlite(join(s.dir, 'ballast.db'));
}

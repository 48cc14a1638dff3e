// The change commands against the sandbox, over the AWS wire protocols: the contract of
// README "Changes" as a user types it. The sandbox keeps its state between the tests of
// this file, so each test reads the live state first and asks for something else.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeResult } from '../change-command.js';
import { fakeStdin } from '../testing/changes.js';
import { parseEnvelope, runCommand } from '../testing/harness.js';
import { setFaults, useSandboxContext } from '../testing/sandbox.js';
import ChangesApply from './changes/apply.js';
import ChangesList, { type ChangesListResult } from './changes/list.js';
import ChangesRevert from './changes/revert.js';
import ChangesVerify from './changes/verify.js';
import ScalingApply from './scaling/apply.js';
import ScalingBlackFriday, { type ScalingBlackFridayResult } from './scaling/black-friday.js';
import ScalingPlan from './scaling/plan.js';
import ScalingSchedule from './scaling/schedule.js';
import ScalingShow, { type ScalingShowResult } from './scaling/show.js';
import ScalingUnschedule from './scaling/unschedule.js';
import WorkersApply from './workers/apply.js';
import WorkersShow, { type WorkersShowResult } from './workers/show.js';

const sandbox = useSandboxContext();

let restoreStdin: (() => void) | undefined;
afterEach(() => {
  restoreStdin?.();
  restoreStdin = undefined;
});

/** No terminal: what CI and scripts have. */
function noTerminal(): void {
  restoreStdin = fakeStdin({ tty: false });
}

async function show(group: string): Promise<ScalingShowResult['groups'][number]> {
  const { result, error } = await runCommand<ScalingShowResult>(ScalingShow, [group, '--json']);
  expect(error).toBeUndefined();
  return result!.groups[0]!;
}

async function cpuTarget(): Promise<number> {
  const web = await show('store-web');
  return web.policies.find((p) => p.name === 'store-web-cpu70')!.targetTracking!.targetValue;
}

/** A CPU target the web group does not have now. */
async function anotherTarget(): Promise<{ now: number; next: number }> {
  const now = await cpuTarget();
  return { now, next: now === 50 ? 55 : 50 };
}

const SLOW = 120_000;

describe('scaling show', () => {
  it('given the web group, then --json has its bounds, mix, policies and scheduled actions', async () => {
    const { stdout } = await runCommand(ScalingShow, ['store-web', '--json']);

    const envelope = parseEnvelope<ScalingShowResult>(stdout);
    expect(envelope.status).toBe(0);
    const web = (envelope as { result: ScalingShowResult }).result.groups[0]!;
    expect(web).toMatchObject({
      group: {
        name: 'store-web',
        instanceTypes: expect.arrayContaining(['m6i.large']) as string[],
      },
      tier: 'web',
      tierKind: 'web',
      scheduledActions: expect.any(Array) as unknown[],
    });
    expect(web.group.min).toBeLessThanOrEqual(web.group.desired);
    expect(web.group.desired).toBeLessThanOrEqual(web.group.max);
    expect(web.policies.some((p) => p.targetTracking?.metric.type === 'predefined')).toBe(true);
  });

  it('given no group, then workers show lists the worker fleet with its spot mix', async () => {
    const { result, stdout } = await runCommand<WorkersShowResult>(WorkersShow, []);
    expect(result?.groups.map((g) => g.group.name)).toEqual(['store-workers']);
    expect(stdout).toMatch(/purchase +on-demand base \d+, then \d+% spot/);
  });
});

describe('plan, plan file, apply, list, verify, revert', () => {
  it(
    'given a CPU target, then plan shows diff and effect, the saved plan applies, the audit holds it and revert undoes it',
    async () => {
      noTerminal();
      const { now, next } = await anotherTarget();

      const planned = await runCommand<ChangeResult>(ScalingPlan, [
        'store-web',
        '--target-cpu',
        String(next),
        '--json',
      ]);
      expect(planned.error).toBeUndefined();
      expect(planned.result?.plan.diff).toEqual([
        expect.objectContaining({
          field: 'policy.targetTracking.targetValue',
          before: now,
          after: next,
        }),
      ]);
      const effect = planned.result?.plan.effect;
      expect(effect?.coveredMinutes).toBeGreaterThan(0);
      expect(effect?.candidate.instanceHours).toBeGreaterThan(0);
      expect(effect?.backtest.length).toBeGreaterThan(0);
      expect(await cpuTarget()).toBe(now); // a plan changes nothing

      const file = join(mkdtempSync(join(tmpdir(), 'ballast-plan-')), 'web.plan');
      const saved = await runCommand<ChangeResult>(ScalingPlan, [
        'store-web',
        '--target-cpu',
        String(next),
        '--out',
        file,
      ]);
      expect(saved.stdout).toContain(`ballast changes apply ${file}`);
      const applied = await runCommand<ChangeResult>(ChangesApply, [
        file,
        '--yes',
        '--reason',
        'pre-sale',
      ]);
      expect(applied.error).toBeUndefined();
      expect(applied.result?.applied?.status).toBe('applied');
      expect(await cpuTarget()).toBe(next);

      const again = await runCommand<ChangeResult>(ScalingApply, [
        'store-web',
        '--target-cpu',
        String(next),
        '--yes',
        '--reason',
        'pre-sale',
      ]);
      expect(again.error).toBeUndefined();
      expect(again.result?.noChange).toBe(true);

      const changeId = applied.result!.applied!.changeId;
      const list = await runCommand<ChangesListResult>(ChangesList, ['--json']);
      expect(list.result?.changes.find((c) => c.changeId === changeId)).toMatchObject({
        reason: 'pre-sale',
        status: 'applied',
        actor: { principal: expect.stringMatching(/^arn:aws:/) as string, via: 'cli' },
      });
      const verified = await runCommand(ChangesVerify, []);
      expect(verified.error).toBeUndefined();
      expect(verified.stdout).toMatch(/✓ Audit chain intact: \d+ entries\./);

      const reverted = await runCommand<ChangeResult>(ChangesRevert, [
        changeId,
        '--yes',
        '--reason',
        'rollback',
      ]);
      expect(reverted.error).toBeUndefined();
      expect(reverted.result?.applied?.status).toBe('applied');
      expect(await cpuTarget()).toBe(now);
    },
    SLOW,
  );

  it(
    'given a saved plan and the live state moved since, then changes apply refuses with what moved and writes nothing',
    async () => {
      noTerminal();
      const { now, next } = await anotherTarget();
      const file = join(mkdtempSync(join(tmpdir(), 'ballast-plan-')), 'web.plan');
      await runCommand(ScalingPlan, ['store-web', '--target-cpu', String(next), '--out', file]);
      const meanwhile = next + 5;
      const other = await runCommand<ChangeResult>(ScalingApply, [
        'store-web',
        '--target-cpu',
        String(meanwhile),
        '--yes',
        '--reason',
        'someone else',
      ]);
      expect(other.result?.applied?.status).toBe('applied');

      const { error } = await runCommand(ChangesApply, [file, '--yes', '--reason', 'pre-sale']);

      expect(error).toMatchObject({ code: 'LiveStateMoved', exitCode: 1 });
      expect(error?.message).toBe(
        `Live state moved since the plan: Target value was ${now} when planned, is ${meanwhile} now. Nothing was applied.`,
      );
      expect(await cpuTarget()).toBe(meanwhile);
    },
    SLOW,
  );
});

describe('without a terminal', () => {
  it(
    'given no --yes, then a mutating command exits non-zero and changes nothing',
    async () => {
      noTerminal();
      const { now, next } = await anotherTarget();

      const { error, stdout } = await runCommand(ScalingApply, [
        'store-web',
        '--target-cpu',
        String(next),
        '--reason',
        'pre-sale',
      ]);

      expect(stdout).toContain('Target tracking of store-web on CPU');
      expect(error).toMatchObject({ code: 'ConfirmationRequired', exitCode: 1 });
      expect(await cpuTarget()).toBe(now);
    },
    SLOW,
  );
});

describe('workers', () => {
  it(
    'given --max 40 --spot-share 80 --yes, then the fleet is changed and read back',
    async () => {
      noTerminal();

      const { result, error } = await runCommand<ChangeResult>(WorkersApply, [
        'store-workers',
        '--max',
        '40',
        '--spot-share',
        '80',
        '--yes',
        '--reason',
        'backlog',
      ]);

      expect(error).toBeUndefined();
      expect(result?.applied?.status ?? (result?.noChange ? 'applied' : undefined)).toBe('applied');
      const workers = await show('store-workers');
      expect(workers.group.max).toBe(40);
      expect(workers.group.distribution?.onDemandPercentageAboveBaseCapacity).toBe(20);
    },
    SLOW,
  );

  it(
    'given a spot share outside the platform config bounds, then it is refused and nothing changes',
    async () => {
      noTerminal();
      const before = await show('store-workers');

      const { error } = await runCommand(WorkersApply, [
        'store-workers',
        '--spot-share',
        '30',
        '--yes',
        '--reason',
        'x',
      ]);

      expect(error).toMatchObject({ code: 'GuardrailRefused' });
      expect(error?.message).toContain('A spot share of 30% is outside 50-100%');
      expect((await show('store-workers')).group).toEqual(
        expect.objectContaining({ distribution: before.group.distribution }),
      );
    },
    SLOW,
  );

  it(
    'given a min far above the current capacity, then the step-size guardrail names --force',
    async () => {
      noTerminal();
      const web = await show('store-web');

      const { error } = await runCommand(ScalingApply, [
        'store-web',
        '--min',
        String(Math.min(web.group.max, web.group.desired * 2 + 2)),
        '--yes',
        '--reason',
        'x',
      ]);

      expect(error).toMatchObject({ code: 'GuardrailRefused' });
      expect(error?.message).toContain('(override: --force)');
      expect((await show('store-web')).group.min).toBe(web.group.min);
    },
    SLOW,
  );
});

describe('scheduled actions', () => {
  it(
    'given a one-off action confirmed on a terminal, then it is put, and unschedule deletes it',
    async () => {
      const at = new Date(Date.now() + 2 * 86_400_000).toISOString();
      const name = `test-${Date.now().toString(36)}`;
      restoreStdin = fakeStdin({ tty: true, answers: ['warm up', 'y'] });

      const put = await runCommand<ChangeResult>(ScalingSchedule, [
        'store-web',
        '--name',
        name,
        '--at',
        at,
        '--min',
        '3',
      ]);
      expect(put.error).toBeUndefined();
      expect(put.stderr).toContain('Apply this change to store-web? [y/N]');
      expect((await show('store-web')).scheduledActions.map((a) => a.name)).toContain(name);

      const removed = await runCommand(ScalingUnschedule, [
        'store-web',
        '--name',
        name,
        '--yes',
        '--reason',
        'done',
      ]);
      expect(removed.error).toBeUndefined();
      expect((await show('store-web')).scheduledActions.map((a) => a.name)).not.toContain(name);
    },
    SLOW,
  );

  it(
    'given black-friday --dry-run, then both groups are planned with their effect and nothing is written',
    async () => {
      noTerminal();
      const before = (await show('store-web')).scheduledActions;

      const { result, error } = await runCommand<ScalingBlackFridayResult>(ScalingBlackFriday, [
        '--date',
        '2026-11-27',
        '--peak',
        '8x',
        '--dry-run',
      ]);

      expect(error).toBeUndefined();
      expect(result?.dryRun).toBe(true);
      expect(result?.groups.map((g) => g.schedule.group)).toEqual(['store-web', 'store-workers']);
      for (const g of result?.groups ?? []) {
        expect(g.plan.kind).toBe('scheduled-actions');
        expect(g.plan.effect?.candidate.instanceHours).toBeGreaterThan(0);
        expect(g.applied).toBeUndefined();
      }
      expect((await show('store-web')).scheduledActions).toEqual(before);
    },
    SLOW,
  );
});

describe('a failed write', () => {
  it(
    'given Auto Scaling failing every PutScalingPolicy, then exit 1 with advice, live state unchanged, the failure audited',
    async () => {
      noTerminal();
      const { now, next } = await anotherTarget();
      await setFaults(sandbox, [
        { service: 'autoscaling', operation: 'PutScalingPolicy', kind: 'server-error', rate: 1 },
      ]);

      const { error } = await runCommand(ScalingApply, [
        'store-web',
        '--target-cpu',
        String(next),
        '--yes',
        '--reason',
        'pre-sale',
      ]);

      expect(error).toMatchObject({ code: 'ApplyFailed', exitCode: 1 });
      expect(error?.message).toContain('Nothing was written.');
      expect(error?.actions.length).toBeGreaterThan(1);
      await setFaults(sandbox, []);
      expect(await cpuTarget()).toBe(now);
      const list = await runCommand<ChangesListResult>(ChangesList, ['--json']);
      expect(list.result?.changes[0]?.status).toBe('failed');
      expect(list.result?.chain.ok).toBe(true);
    },
    SLOW,
  );
});

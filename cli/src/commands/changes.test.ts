// The change commands over core's real engine with Auto Scaling, STS, tier health and load
// tests in memory: asking on a terminal, refusing without one, --dry-run, --json, every
// guardrail's refusal with its flag, a moved live state, a failed write, the audit log.
// The same commands against the sandbox, over the wire: changes.sandbox.test.ts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as collectors from '@ballast/collectors';
import { ballastPaths, type Plan } from '@ballast/core';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChangeResult } from '../change-command.js';
import { isolateEnvironment, parseEnvelope, runCommand } from '../testing/harness.js';
import {
  fakeStdin,
  memoryChangeService,
  memoryWorld,
  TEST_PRINCIPAL,
  type MemoryWorld,
} from '../testing/changes.js';
import ChangesApply from './changes/apply.js';
import ChangesList, { type ChangesListResult } from './changes/list.js';
import ChangesRevert from './changes/revert.js';
import ChangesShow from './changes/show.js';
import ChangesVerify from './changes/verify.js';
import ScalingApply from './scaling/apply.js';
import ScalingPlan from './scaling/plan.js';
import ScalingSchedule from './scaling/schedule.js';
import ScalingUnschedule from './scaling/unschedule.js';
import WorkersApply from './workers/apply.js';

vi.mock('@ballast/collectors', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@ballast/collectors')>();
  return { ...actual, createChangeService: vi.fn(actual.createChangeService) };
});

let world: MemoryWorld;
let restoreEnv: () => void;
let restoreStdin: (() => void) | undefined;

beforeEach(() => {
  restoreEnv = isolateEnvironment({ BALLAST_CONTEXT: 'sandbox' });
  world = memoryWorld();
  vi.mocked(collectors.createChangeService).mockImplementation((options) =>
    memoryChangeService(options, world),
  );
});

afterEach(() => {
  restoreStdin?.();
  restoreStdin = undefined;
  restoreEnv();
});

const cpuTarget = () => world.aws.policies.get('store-web')![0]!.targetTracking!.targetValue;

/** Given stdin that is a terminal answering `answers`, or no terminal. */
function given(stdin: { tty: boolean; answers?: string[]; end?: boolean }): void {
  restoreStdin = fakeStdin(stdin);
}

describe('a mutating command on a terminal', () => {
  it('given the reason and "yes" typed, then it prints the plan, asks, applies and records who and why', async () => {
    given({ tty: true, answers: ['pre-sale', 'yes'] });

    const { result, stdout, stderr, error } = await runCommand<ChangeResult>(ScalingApply, [
      'store-web',
      '--target-cpu',
      '50',
    ]);

    expect(error).toBeUndefined();
    expect(stderr).toContain('Reason (recorded in the audit log): ');
    expect(stderr).toContain('Apply this change to store-web? [y/N] ');
    expect(stdout).toContain('Target tracking of store-web on CPU: 70 -> 50');
    expect(stdout).toMatch(/~ Target value\s+70 -> 50/);
    expect(stdout).toMatch(/✓ APPLIED {2}Change chg-\S+ applied and read back\./);
    expect(cpuTarget()).toBe(50);
    expect(result?.applied?.status).toBe('applied');
    const record = (await runCommand<ChangesListResult>(ChangesList, ['--json'])).result!
      .changes[0]!;
    expect(record).toMatchObject({
      changeId: result?.applied?.changeId,
      reason: 'pre-sale',
      actor: { principal: TEST_PRINCIPAL, via: 'cli' },
      status: 'applied',
    });
    expect(record.actor.user).toBeTruthy();
  });

  it.each(['no', '', 'n'])(
    'given the answer "%s", then nothing is applied and it says so (exit 1)',
    async (answer) => {
      given({ tty: true, answers: [answer] });

      const { error } = await runCommand(ScalingApply, [
        'store-web',
        '--target-cpu',
        '50',
        '--reason',
        'pre-sale',
      ]);

      expect(error).toMatchObject({ code: 'NotConfirmed', exitCode: 1 });
      expect(error?.message).toBe('Not applied: not confirmed. Nothing was changed.');
      expect(world.aws.writes).toEqual([]);
      expect(
        (await runCommand<ChangesListResult>(ChangesList, ['--json'])).result?.changes,
      ).toEqual([]);
    },
  );

  it('given the input ends at the question (Ctrl-D), then it is cancelled and nothing is applied', async () => {
    given({ tty: true, answers: ['pre-sale'], end: true });

    const { error, stderr } = await runCommand(ScalingApply, ['store-web', '--target-cpu', '50']);

    expect(error).toMatchObject({ code: 'Cancelled', exitCode: 130 });
    expect(stderr).toContain('Apply this change to store-web? [y/N] \n');
    expect(world.aws.writes).toEqual([]);
  });

  it('given --yes and --reason, then it applies without asking', async () => {
    given({ tty: true });

    const { stderr, error } = await runCommand(ScalingApply, [
      'store-web',
      '--target-cpu',
      '50',
      '--yes',
      '--reason',
      'pre-sale',
    ]);

    expect(error).toBeUndefined();
    expect(stderr).not.toContain('[y/N]');
    expect(cpuTarget()).toBe(50);
  });
});

describe('a mutating command without a terminal', () => {
  it('given no --yes, then it prints the plan, refuses with what to do (exit 1) and changes nothing', async () => {
    given({ tty: false });

    const { stdout, error } = await runCommand(WorkersApply, [
      'store-workers',
      '--max',
      '40',
      '--reason',
      'backlog',
    ]);

    expect(stdout).toMatch(/~ Max size\s+20 instances -> 40 instances/);
    expect(error).toMatchObject({ code: 'ConfirmationRequired', exitCode: 1 });
    expect(error?.message).toBe(
      'Not applied: there is no terminal to confirm on, and --yes was not given. Nothing was changed.',
    );
    expect(error?.actions[0]).toContain('--yes --reason');
    expect(world.aws.writes).toEqual([]);
  });

  it('given --yes without --reason, then it asks for a reason instead of recording none', async () => {
    given({ tty: false });

    const { error } = await runCommand(WorkersApply, ['store-workers', '--max', '40', '--yes']);

    expect(error).toMatchObject({ code: 'ReasonRequired', exitCode: 1 });
    expect(world.aws.writes).toEqual([]);
  });

  it('given --yes --reason --json, then the plan and the result come back in the envelope', async () => {
    given({ tty: false });

    const { stdout, error } = await runCommand(WorkersApply, [
      'store-workers',
      '--max',
      '40',
      '--spot-share',
      '80',
      '--yes',
      '--reason',
      'backlog',
      '--json',
    ]);

    expect(error).toBeUndefined();
    const envelope = parseEnvelope<ChangeResult>(stdout);
    expect(envelope).toMatchObject({
      status: 0,
      result: {
        dryRun: false,
        noChange: false,
        blocking: [],
        plan: {
          kind: 'worker-fleet',
          target: { group: 'store-workers', tier: 'workers' },
          diff: [
            { field: 'max', before: 20, after: 40 },
            {
              field: 'distribution.onDemandPercentageAboveBaseCapacity',
              before: 0,
              after: 20,
            },
          ],
          effectUnavailable: expect.stringContaining('recorded traffic') as string,
        },
        applied: { status: 'applied', steps: [{ status: 'applied' }] },
      },
    });
    expect(world.aws.groups.get('store-workers')).toMatchObject({
      max: 40,
      distribution: { onDemandPercentageAboveBaseCapacity: 20 },
    });
  });
});

describe('--dry-run and plan', () => {
  it('given --dry-run, then the plan is shown and nothing is written or recorded', async () => {
    given({ tty: true });

    const { result, stdout, error } = await runCommand<ChangeResult>(ScalingApply, [
      'store-web',
      '--target-cpu',
      '50',
      '--dry-run',
    ]);

    expect(error).toBeUndefined();
    expect(result).toMatchObject({ dryRun: true, noChange: false });
    expect(result?.applied).toBeUndefined();
    expect(stdout).toContain('Dry run: nothing was applied.');
    expect(world.aws.writes).toEqual([]);
    expect(collectors.createChangeService).toHaveBeenCalled();
    expect(existsSync(join(ballastPaths().stateDir, 'ballast.db'))).toBe(true);
    expect((await runCommand<ChangesListResult>(ChangesList, ['--json'])).result?.changes).toEqual(
      [],
    );
  });

  it('given a change the group already has, then "No changes" and exit 0', async () => {
    given({ tty: false });

    const { stdout, error } = await runCommand(ScalingApply, [
      'store-web',
      '--target-cpu',
      '70',
      '--yes',
      '--reason',
      'same',
    ]);

    expect(error).toBeUndefined();
    expect(stdout).toContain('No changes: store-web already has this configuration.');
    expect(world.aws.writes).toEqual([]);
  });
});

describe('guardrails', () => {
  it('given a step larger than changes.maxStepShare, then it is refused naming --force, and --force applies it', async () => {
    given({ tty: false });
    const argv = ['store-web', '--min', '20', '--yes', '--reason', 'sale'];

    const refused = await runCommand(ScalingApply, argv);

    expect(refused.error).toMatchObject({ code: 'GuardrailRefused', exitCode: 1 });
    expect(refused.error?.message).toContain('a step of 150% of its capacity');
    expect(refused.error?.message).toContain('(override: --force)');
    expect(refused.error?.actions).toContain('If you are sure, run it again with --force');
    expect(refused.stdout).toMatch(/✖ Moving store-web from 8 to 20 instances/);
    expect(world.aws.writes).toEqual([]);

    const forced = await runCommand<ChangeResult>(ScalingApply, [...argv, '--force']);
    expect(forced.error).toBeUndefined();
    expect(forced.result?.applied?.status).toBe('applied');
    expect(forced.stdout).toContain('(overridden by --force)');
  });

  it('given a tier that is critical, then a scale-in is refused with no override', async () => {
    given({ tty: false });
    world.tierStatus.workers = { status: 'critical', reasons: ['queue age 13h'] };

    const { error } = await runCommand(WorkersApply, [
      'store-workers',
      '--max',
      '16',
      '--yes',
      '--reason',
      'cost',
      '--force',
    ]);

    expect(error).toMatchObject({ code: 'GuardrailRefused' });
    expect(error?.message).toContain(
      'Tier workers is critical (queue age 13h): no scale-in while it is. (no override)',
    );
    expect(world.aws.writes).toEqual([]);
  });

  it('given tier health unknown, then a scale-in needs --force', async () => {
    given({ tty: false });
    world.tierStatus.workers = { status: 'unknown', reasons: ['metrics throttled'] };
    const argv = ['store-workers', '--max', '16', '--yes', '--reason', 'cost'];

    const refused = await runCommand(WorkersApply, argv);
    expect(refused.error?.message).toMatch(
      /health of tier workers is unknown.*\(override: --force\)/,
    );

    expect((await runCommand(WorkersApply, [...argv, '--force'])).error).toBeUndefined();
    expect(world.aws.groups.get('store-workers')?.max).toBe(16);
  });

  it('given a load test running, then a scale-in needs --during-load-test', async () => {
    given({ tty: false });
    world.loadTests = [{ id: 'k6-bf-rehearsal', targets: [], startedAt: Date.now() }];
    const argv = ['store-web', '--target-cpu', '80', '--yes', '--reason', 'cost'];

    const refused = await runCommand(ScalingApply, argv);
    expect(refused.error?.message).toContain(
      'Load test k6-bf-rehearsal is running against store-web',
    );
    expect(refused.error?.message).toContain('(override: --during-load-test)');
    expect(refused.error?.actions).toContain(
      'If you are sure, run it again with --during-load-test',
    );

    expect((await runCommand(ScalingApply, [...argv, '--during-load-test'])).error).toBeUndefined();
    expect(cpuTarget()).toBe(80);
  });

  it.each([
    {
      name: 'spot share outside the configured bounds',
      argv: ['store-workers', '--spot-share', '30'],
      Cmd: WorkersApply,
      says: 'A spot share of 30% is outside 50-100% allowed for store-workers',
    },
    {
      name: 'on-demand base outside the configured bounds',
      argv: ['store-workers', '--on-demand-base', '9'],
      Cmd: WorkersApply,
      says: 'An on-demand base of 9 is outside 0-4 allowed for store-workers',
    },
    {
      name: 'min above max',
      argv: ['store-web', '--min', '12', '--max', '10'],
      Cmd: ScalingApply,
      says: 'store-web would break min <= desired <= max (min 12, desired 10, max 10)',
    },
  ])('given $name, then it is refused with no override', async ({ argv, Cmd, says }) => {
    given({ tty: false });

    const { error } = await runCommand(Cmd, [...argv, '--yes', '--reason', 'x', '--force']);

    expect(error).toMatchObject({ code: 'GuardrailRefused' });
    expect(error?.message).toContain(says);
    expect(error?.message).toContain('(no override)');
    expect(error?.actions.join('\n')).not.toContain('If you are sure');
    expect(world.aws.writes).toEqual([]);
  });

  it('given a one-off scheduled action in the past, then it is refused as AWS would', async () => {
    given({ tty: false });

    const { error } = await runCommand(ScalingSchedule, [
      'store-web',
      '--name',
      'late',
      '--at',
      '2020-01-01T00:00Z',
      '--min',
      '4',
      '--yes',
      '--reason',
      'x',
    ]);

    expect(error?.message).toContain(
      'late starts 2020-01-01T00:00:00.000Z, in the past: AWS refuses a StartTime before now.',
    );
    expect(world.aws.writes).toEqual([]);
  });

  it('given more scheduled actions than the group may have, then the account limit refuses it', async () => {
    given({ tty: false });
    world.aws.actions.set(
      'store-web',
      Array.from({ length: 125 }, (_, i) => ({ name: `a${i}`, recurrence: '0 6 * * *', min: 2 })),
    );

    const { error } = await runCommand(ScalingSchedule, [
      'store-web',
      '--name',
      'one-more',
      '--recurrence',
      '0 7 * * *',
      '--min',
      '3',
      '--yes',
      '--reason',
      'x',
    ]);

    expect(error?.message).toContain(
      'store-web would have 126 scheduled actions; Auto Scaling allows 125 per group.',
    );
  });
});

describe('plan files and the compare-and-set', () => {
  it('given a saved plan and the live state moved since, then applying it is refused with what moved', async () => {
    given({ tty: false });
    const file = join(ballastPaths().stateDir, '..', 'web.plan');
    const planned = await runCommand<ChangeResult>(ScalingPlan, [
      'store-web',
      '--target-cpu',
      '50',
      '--out',
      file,
    ]);
    expect(planned.error).toBeUndefined();
    expect(planned.stdout).toContain(`Saved the plan to ${file}.`);
    expect(planned.result?.planFile).toBe(file);
    world.aws.policies.get('store-web')![0]!.targetTracking!.targetValue = 60;

    const { error } = await runCommand(ChangesApply, [file, '--yes', '--reason', 'pre-sale']);

    expect(error).toMatchObject({ code: 'LiveStateMoved', exitCode: 1 });
    expect(error?.message).toBe(
      'Live state moved since the plan: Target value was 70 when planned, is 60 now. Nothing was applied.',
    );
    expect(error?.actions).toContain(
      'Plan again against the live state, review the new diff, then apply.',
    );
    expect(world.aws.writes).toEqual([]);
  });

  it('given a saved plan, then changes apply applies exactly it, once', async () => {
    given({ tty: false });
    const file = join(ballastPaths().stateDir, '..', 'web.plan');
    await runCommand(ScalingPlan, ['store-web', '--target-cpu', '50', '--out', file]);

    const applied = await runCommand<ChangeResult>(ChangesApply, [
      file,
      '--yes',
      '--reason',
      'pre-sale',
    ]);
    const again = await runCommand(ChangesApply, [file, '--yes', '--reason', 'pre-sale']);

    expect(applied.result?.applied?.status).toBe('applied');
    expect(cpuTarget()).toBe(50);
    expect(again.error).toMatchObject({ code: 'AlreadyApplied' });
    expect(again.error?.message).toContain(
      `This plan was already applied as change ${applied.result?.applied?.changeId}`,
    );
  });
});

describe('a write that fails', () => {
  it('given Auto Scaling refusing the write, then exit 1 with its advice, and the audit records the failure', async () => {
    given({ tty: false });
    world.aws.failWith = () =>
      new collectors.ChangeAwsError(
        {
          kind: 'throttled',
          message: 'Auto Scaling PutScalingPolicy was throttled (Rate exceeded).',
          actions: ['Apply again in a minute.'],
        } as never,
        undefined,
      );

    const { error, stdout } = await runCommand(ScalingApply, [
      'store-web',
      '--target-cpu',
      '50',
      '--yes',
      '--reason',
      'pre-sale',
    ]);

    expect(error).toMatchObject({ code: 'ApplyFailed', exitCode: 1 });
    expect(error?.message).toContain('Nothing was written.');
    expect(error?.actions[0]).toBe('Apply again in a minute.');
    expect(stdout).toContain('✖ FAILED');
    const list = (await runCommand<ChangesListResult>(ChangesList, ['--json'])).result!;
    expect(list.changes[0]?.status).toBe('failed');
    expect(list.chain.ok).toBe(true);
  });
});

describe('the audit log', () => {
  async function applyTwo(): Promise<string[]> {
    given({ tty: false });
    const ids: string[] = [];
    for (const target of ['50', '45']) {
      const { result } = await runCommand<ChangeResult>(ScalingApply, [
        'store-web',
        '--target-cpu',
        target,
        '--yes',
        '--reason',
        `to ${target}`,
      ]);
      ids.push(result!.applied!.changeId);
    }
    return ids;
  }

  it('given an intact log, then changes verify says so and exits 0', async () => {
    await applyTwo();

    const { result, stdout, error } = await runCommand(ChangesVerify, []);

    expect(error).toBeUndefined();
    expect(result).toMatchObject({ ok: true, entries: 4 });
    expect(stdout).toContain('✓ Audit chain intact: 4 entries.');
  });

  it('given a row edited in the SQLite file, then changes verify names the first broken entry and exits 1', async () => {
    const [first] = await applyTwo();
    const db = new Database(join(ballastPaths().stateDir, 'ballast.db'));
    db.exec('DROP TRIGGER change_audit_no_update');
    const body = db.prepare('SELECT body FROM change_audit WHERE seq = 2').pluck().get() as string;
    db.prepare('UPDATE change_audit SET body = ? WHERE seq = 2').run(
      body.replace('"reason":"to 50"', '"reason":"routine"'),
    );
    db.close();

    const { error, stdout } = await runCommand(ChangesVerify, ['--json']);

    expect(error).toMatchObject({ code: 'AuditChainBroken', exitCode: 1 });
    expect(parseEnvelope(stdout)).toMatchObject({
      status: 1,
      code: 'AuditChainBroken',
      message: `Audit chain broken: entry #2 (change ${first}, outcome) was edited: its hash does not match its content.`,
    });
    const listed = await runCommand<ChangesListResult>(ChangesList, []);
    expect(listed.stdout).toContain('✖ Audit chain broken at entry #2');
  });

  it('given a change, then changes show tells who, why and what, and revert undoes it', async () => {
    const [, second] = await applyTwo();

    const shown = await runCommand(ChangesShow, [second!]);
    expect(shown.stdout).toContain('reason    to 45');
    expect(shown.stdout).toContain(`as ${TEST_PRINCIPAL} (cli)`);
    expect(shown.stdout).toMatch(/~ Target value\s+50 -> 45/);

    const reverted = await runCommand<ChangeResult>(ChangesRevert, [
      second!,
      '--yes',
      '--reason',
      'rollback',
    ]);
    expect(reverted.error).toBeUndefined();
    expect(reverted.result?.plan).toMatchObject({ revertOf: second } satisfies Partial<Plan>);
    expect(reverted.stdout).toContain(`Reverts change ${second}.`);
    expect(cpuTarget()).toBe(50);
    const list = (await runCommand<ChangesListResult>(ChangesList, ['--json'])).result!;
    expect(list.changes.find((c) => c.changeId === second)?.revertedBy).toEqual([
      reverted.result?.applied?.changeId,
    ]);
  });

  it('given an unknown change id, then show and revert say so with what to do', async () => {
    given({ tty: false });
    const shown = await runCommand(ChangesShow, ['chg-nope']);
    const reverted = await runCommand(ChangesRevert, ['chg-nope', '--yes', '--reason', 'x']);

    expect(shown.error).toMatchObject({ code: 'NotFound', actions: ['ballast changes list'] });
    expect(reverted.error).toMatchObject({ code: 'NotFound' });
  });
});

describe('schedule and unschedule', () => {
  it('given a recurring action put then deleted by name, then both are applied', async () => {
    given({ tty: false });

    const put = await runCommand(ScalingSchedule, [
      'store-web',
      '--name',
      'weekday-floor',
      '--recurrence',
      '0 6 * * 1-5',
      '--time-zone',
      'America/New_York',
      '--min',
      '6',
      '--yes',
      '--reason',
      'mornings',
    ]);
    expect(put.error).toBeUndefined();
    expect(world.aws.actions.get('store-web')).toEqual([
      { name: 'weekday-floor', recurrence: '0 6 * * 1-5', timeZone: 'America/New_York', min: 6 },
    ]);

    const missing = await runCommand(ScalingUnschedule, ['store-web', '--name', 'nope', '--yes']);
    expect(missing.error).toMatchObject({ code: 'NotFound' });

    const removed = await runCommand(ScalingUnschedule, [
      'store-web',
      '--name',
      'weekday-floor',
      '--yes',
      '--reason',
      'done',
    ]);
    expect(removed.error).toBeUndefined();
    expect(world.aws.actions.get('store-web')).toEqual([]);
  });
});

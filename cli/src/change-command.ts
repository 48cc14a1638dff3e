// What every command that changes the platform shares: the change service of the context,
// and one flow through core's change engine. print the plan -> (--dry-run: stop) -> refuse
// what the guardrails refuse, naming the flag that overrides each where one may -> ask on a
// terminal (--yes skips it; without a terminal and without --yes: refuse, change nothing)
// -> apply (compare-and-set, verify, audit) -> print the outcome. The engine does the work;
// this file only asks and prints.
import { createInterface, type Interface } from 'node:readline';
import {
  createChangeService,
  createCollectorSession,
  type ChangeService,
} from '@ballast/collectors';
import {
  localUser,
  type ApplyResult,
  type GuardrailOverride,
  type GuardrailResult,
  type Plan,
  type PlatformConfig,
  type ResolvedContext,
  type Store,
} from '@ballast/core';
import { Flags } from '@oclif/core';
import { BallastCommand, contextFlags, timeoutFlags, type ContextFlags } from './base-command.js';
import { UserError } from './errors.js';
import { renderApplyResult, renderPlan } from './views/change-view.js';
import type { ScalingGroupView } from './views/scaling-view.js';

/** Flags of every command that applies a change. */
export const applyFlags = {
  yes: Flags.boolean({
    char: 'y',
    summary: 'Apply without asking. Needed when there is no terminal to ask on (scripts, CI).',
    default: false,
  }),
  'dry-run': Flags.boolean({
    summary: 'Show the plan and stop: nothing is written, nothing is recorded.',
    default: false,
  }),
  reason: Flags.string({
    summary:
      'Why: recorded in the audit log with who and when. Needed with --yes; asked on a terminal otherwise.',
  }),
  force: Flags.boolean({
    summary:
      'Override the guardrails that allow it: a step larger than changes.maxStepShare, a scale-in while tier health is unknown.',
    default: false,
  }),
  'during-load-test': Flags.boolean({
    summary: 'Allow a scale-in while a load test runs against the group.',
    default: false,
  }),
};

/** --out, of the commands that make a plan to apply later. */
export const planFileFlags = {
  out: Flags.string({
    summary: 'Save the plan to this file; apply it later with `ballast changes apply FILE`.',
    description:
      'Like terraform plan -out: the file holds the live state the plan was made against, and `changes apply` refuses it if that state moved since, or if the file was edited.',
  }),
};

/** The overrides a plan command records in the plan (an apply may add them too). */
export const planOverrideFlags = {
  force: Flags.boolean({
    summary: 'Plan with the overridable guardrails overridden (recorded in the plan).',
    default: false,
  }),
  'during-load-test': Flags.boolean({
    summary: 'Plan a scale-in that is allowed while a load test runs.',
    default: false,
  }),
};

export const changeContextFlags = { ...contextFlags, ...timeoutFlags };

export type ApplyFlags = {
  yes: boolean;
  'dry-run': boolean;
  reason?: string | undefined;
  force: boolean;
  'during-load-test': boolean;
};

export interface ChangeSession {
  context: ResolvedContext;
  platform: PlatformConfig;
  store: Store;
  service: ChangeService;
}

/** A plan with what refuses it and, once applied, how that went. */
export interface PlannedChange {
  plan: Plan;
  /** guardrails that refuse it with the overrides given; empty: it may be applied */
  blocking: GuardrailResult[];
  /** the outcome of applying it; absent when it was not applied */
  applied?: Omit<ApplyResult, 'plan'>;
}

export interface ChangeResult extends PlannedChange {
  /** --dry-run: planned only */
  dryRun: boolean;
  /** nothing differs: nothing to apply */
  noChange: boolean;
  /** --out: where the plan was saved */
  planFile?: string;
}

/** The overrides the flags give. */
export function overridesOf(
  flags: Pick<ApplyFlags, 'force' | 'during-load-test'>,
): GuardrailOverride[] {
  return [
    ...(flags.force ? (['force'] as const) : []),
    ...(flags['during-load-test'] ? (['during-load-test'] as const) : []),
  ];
}

/** A refusal by guardrails, naming the flag that overrides each where one may. */
export function guardrailRefusal(blocking: readonly GuardrailResult[]): UserError {
  const overridable = [
    ...new Set(blocking.flatMap((g) => (g.override ? [`--${g.override}`] : []))),
  ];
  const all = blocking.every((g) => g.override);
  return new UserError(
    `Refused by ${blocking.length === 1 ? 'a guardrail' : `${blocking.length} guardrails`}; nothing was applied:\n${blocking
      .map(
        (g) => `  - ${g.message}${g.override ? ` (override: --${g.override})` : ' (no override)'}`,
      )
      .join('\n')}`,
    {
      code: 'GuardrailRefused',
      actions: [
        ...new Set(blocking.flatMap((g) => g.actions)),
        ...(all && overridable.length
          ? [`If you are sure, run it again with ${overridable.join(' ')}`]
          : []),
      ],
    },
  );
}

export abstract class ChangeCommand<T> extends BallastCommand<T> {
  /** Context, store and change service; close the store when done. */
  protected async openChanges(flags: ContextFlags & { timeout: number }): Promise<ChangeSession> {
    const { context, platform } = await this.loadContext(flags);
    const store = this.openStateStore();
    try {
      const session = createCollectorSession(context, store, { now: Date.now });
      const service = createChangeService({
        context,
        store,
        session,
        platform,
        healthTimeoutMs: flags.timeout,
        // a week of 1-minute series is more to read than one collection
        trafficTimeoutMs: flags.timeout * 3,
      });
      return { context, platform, store, service };
    } catch (err) {
      store.close();
      throw err;
    }
  }

  /** The groups as the engine reads them (bounds, mix, policies, scheduled actions). */
  protected async readGroups(
    session: ChangeSession,
    groups: string[],
    signal?: AbortSignal,
  ): Promise<ScalingGroupView[]> {
    const tiers = new Map(session.service.engine.scalingGroups().map((g) => [g.group, g]));
    return Promise.all(
      groups.map(async (name) => {
        const facts = await session.service.engine.facts(name, signal);
        const tier = tiers.get(name);
        return {
          group: facts.group,
          ...(tier ? { tier: tier.tier, tierKind: tier.kind } : {}),
          policies: facts.policies,
          scheduledActions: facts.scheduledActions,
        };
      }),
    );
  }

  /**
   * Records the outcome of applies whose process died, before showing the log. A failure to
   * read their live state is a warning: the log is still shown.
   */
  protected async recoverQuietly(session: ChangeSession, signal?: AbortSignal): Promise<void> {
    try {
      const recovered = await session.service.recover(signal);
      for (const id of recovered)
        this.warn(`Change ${id} was interrupted (its process ended mid-apply); recorded as such.`);
    } catch (err) {
      this.warn(`Could not check for interrupted changes: ${(err as Error).message}`);
    }
  }

  /** Prints a plan (not under --json). */
  protected showPlan(plan: Plan, blocking: GuardrailResult[], extra: string[] = []): void {
    if (this.jsonEnabled()) return;
    this.log(
      renderPlan(plan, {
        palette: this.palette,
        width: this.terminal.width,
        now: Date.now(),
        blocking,
        ...(extra.length ? { changes: extra } : {}),
      }).join('\n'),
    );
  }

  /**
   * A command that makes one plan and carries it out (`plan` mode: prints and saves it
   * only), with the context's change service and Ctrl-C.
   */
  protected async planAndCarryOut(
    flags: ContextFlags & { timeout: number } & Partial<ApplyFlags> & { out?: string | undefined },
    makePlan: (session: ChangeSession, signal: AbortSignal) => Promise<Plan>,
    mode: 'apply' | 'plan' = 'apply',
  ): Promise<ChangeResult> {
    const session = await this.openChanges(flags);
    const shutdown = this.trapShutdown();
    try {
      const plan = await makePlan(session, shutdown.signal);
      const given: ApplyFlags = {
        yes: mode === 'apply' && flags.yes === true,
        'dry-run': mode === 'apply' && flags['dry-run'] === true,
        reason: flags.reason,
        force: flags.force === true,
        'during-load-test': flags['during-load-test'] === true,
      };
      return await this.carryOut(
        session,
        plan,
        { ...given, out: flags.out },
        shutdown.signal,
        mode,
      );
    } finally {
      shutdown.dispose();
      session.store.close();
    }
  }

  /**
   * The whole flow for one plan: print it, save it (--out), stop (a plan command, --dry-run),
   * refuse (the guardrails; no terminal and no --yes), ask, apply, print the outcome.
   */
  protected async carryOut(
    session: ChangeSession,
    plan: Plan,
    flags: ApplyFlags & { out?: string | undefined },
    signal?: AbortSignal,
    mode: 'apply' | 'plan' = 'apply',
  ): Promise<ChangeResult> {
    const overrides = overridesOf(flags);
    const blocking = session.service.engine.blocking(plan, overrides);
    this.showPlan(plan, blocking);
    const planOnly = mode === 'plan' || flags['dry-run'];
    const base = {
      plan,
      blocking,
      dryRun: planOnly,
      noChange: plan.steps.length === 0,
      ...(flags.out ? { planFile: flags.out } : {}),
    };
    if (flags.out) await session.service.savePlan(flags.out, plan);
    if (plan.steps.length === 0) {
      this.log(`\nNo changes: ${plan.target.group} already has this configuration.`);
      return base;
    }
    if (planOnly) {
      this.log(`\n${this.planOnlyFooter(blocking, mode === 'plan' ? 'Plan only' : 'Dry run')}`);
      if (flags.out)
        this.log(
          `Saved the plan to ${flags.out}. Apply exactly this plan with: ballast changes apply ${flags.out}`,
        );
      return base;
    }
    const [applied] = await this.confirmAndApply(session, [plan], flags, signal);
    return { ...base, ...(applied ? { applied } : {}) };
  }

  /** "Dry run: nothing was applied." and, when it would be refused, by what. */
  protected planOnlyFooter(blocking: readonly GuardrailResult[], what: string): string {
    const p = this.palette;
    if (blocking.length === 0) return `${p.bold(what)}: nothing was applied.`;
    const flags = [...new Set(blocking.flatMap((g) => (g.override ? [`--${g.override}`] : [])))];
    const all = blocking.every((g) => g.override);
    return `${p.bold(what)}: nothing was applied. ${p.red(`Applying it would be refused by ${blocking.length === 1 ? 'a guardrail' : `${blocking.length} guardrails`}`)}${all ? ` unless ${flags.join(' ')} is given` : ''}.`;
  }

  /**
   * Refuses what cannot be applied, asks once for every plan, applies them in order. A
   * failed apply ends the run (exit 1) with what was applied and what to do.
   */
  protected async confirmAndApply(
    session: ChangeSession,
    plans: Plan[],
    flags: ApplyFlags,
    signal?: AbortSignal,
  ): Promise<Omit<ApplyResult, 'plan'>[]> {
    const overrides = overridesOf(flags);
    const blocked = plans.flatMap((plan) => session.service.engine.blocking(plan, overrides));
    if (blocked.length > 0) throw guardrailRefusal(blocked);
    const interactive = process.stdin.isTTY === true;
    if (!flags.yes && !interactive)
      throw new UserError(
        'Not applied: there is no terminal to confirm on, and --yes was not given. Nothing was changed.',
        {
          code: 'ConfirmationRequired',
          actions: [
            'Review the plan (add --dry-run to only see it), then run the command again with --yes --reason "why".',
          ],
        },
      );
    const reason = await this.questions(plans, flags, interactive, signal);
    const results: Omit<ApplyResult, 'plan'>[] = [];
    for (const plan of plans) {
      if (!this.jsonEnabled() && plans.length > 1) this.log(`\nApplying ${plan.title}...`);
      const { plan: _plan, ...result } = await session.service.applyChange(plan, {
        actor: { user: localUser(), via: 'cli' },
        reason,
        overrides,
        ...(signal ? { signal } : {}),
      });
      results.push(result);
      if (!this.jsonEnabled())
        this.log(
          `\n${renderApplyResult({ ...result, plan }, { palette: this.palette, width: this.terminal.width, now: Date.now() }).join('\n')}`,
        );
      if (result.status === 'failed')
        throw new UserError(
          `Change ${result.changeId} failed: ${result.error ?? 'a write was refused'}. ${result.steps.some((s) => s.status === 'applied') ? 'Some writes were applied (see above); the audit log records which.' : 'Nothing was written.'}`,
          {
            code: 'ApplyFailed',
            actions: [...(result.actions ?? []), `ballast changes show ${result.changeId}`],
          },
        );
      if (result.status === 'unverified')
        this.warn(
          `Change ${result.changeId} was written but not yet read back: ${result.error ?? ''} Check it with: ballast changes show ${result.changeId}`,
        );
    }
    return results;
  }

  /** The reason (--reason, else asked) and the confirmation (unless --yes). */
  private async questions(
    plans: Plan[],
    flags: ApplyFlags,
    interactive: boolean,
    signal?: AbortSignal,
  ): Promise<string> {
    const terminal = new TerminalQuestions(signal);
    try {
      let reason = flags.reason?.trim() ?? '';
      if (!reason) {
        if (!interactive || flags.yes)
          throw new UserError(
            'Say why with --reason: it is recorded in the audit log with the change. Nothing was changed.',
            {
              code: 'ReasonRequired',
              actions: ['Run it again with --reason "why", e.g. --reason "pre-sale"'],
            },
          );
        const typed = await terminal.ask('\nReason (recorded in the audit log): ');
        if (typed === null) throw cancelledError();
        reason = typed;
        if (!reason)
          throw new UserError('Not applied: a reason is needed. Nothing was changed.', {
            code: 'ReasonRequired',
            actions: ['Run it again with --reason "why"'],
          });
      }
      if (!flags.yes) {
        const what =
          plans.length === 1
            ? `Apply this change to ${plans[0]!.target.group}`
            : `Apply these ${plans.length} changes (${plans.map((p) => p.target.group).join(', ')})`;
        const answer = await terminal.ask(`\n${what}? [y/N] `);
        if (answer === null) throw cancelledError();
        if (!/^(y|yes)$/i.test(answer))
          throw new UserError('Not applied: not confirmed. Nothing was changed.', {
            code: 'NotConfirmed',
          });
      }
      return reason;
    } finally {
      terminal.close();
    }
  }
}

/**
 * Questions on the terminal: each asked on stderr (stdout stays the plan), each answer one
 * line of stdin. One reader for all of them, so answers typed ahead are not lost. Ctrl-C,
 * the end of input or the command's abort answer "".
 */
export class TerminalQuestions {
  private rl?: Interface;
  private readonly queue: string[] = [];
  private waiting?: (line: string | null) => void;
  private ended = false;

  constructor(private readonly signal?: AbortSignal) {}

  /** The answer, or null when cancelled (Ctrl-C, the end of input, the command's abort). */
  async ask(question: string): Promise<string | null> {
    if (!this.rl) {
      this.rl = createInterface({ input: process.stdin, terminal: false });
      this.rl.on('line', (line) => this.answer(line));
      this.rl.on('close', () => {
        this.ended = true;
        this.answer(null);
      });
      this.rl.on('SIGINT', () => this.answer(null));
    }
    process.stderr.write(question);
    const queued = this.queue.shift();
    if (queued !== undefined) return queued.trim();
    if (this.ended || this.signal?.aborted) return this.cancelled();
    const line = await new Promise<string | null>((resolve) => {
      this.waiting = resolve;
      this.signal?.addEventListener('abort', () => this.answer(null), { once: true });
    });
    return line === null ? this.cancelled() : line.trim();
  }

  private cancelled(): null {
    process.stderr.write('\n');
    return null;
  }

  private answer(line: string | null): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting(line);
    else if (line !== null && !this.ended) this.queue.push(line);
  }

  close(): void {
    this.rl?.close();
  }
}

/** Ctrl-C or the end of input at a question. */
function cancelledError(): UserError {
  return new UserError('Not applied: cancelled. Nothing was changed.', {
    code: 'Cancelled',
    exitCode: 130,
  });
}

// A kind of change, as the engine drives it. Every kind works on a state S: the part of the
// live configuration it governs, read the same way before planning, at apply (compare-and-
// set) and after (verify). A plan is a pair of states (before, after); applying it is the
// writes that turn one into the other; reverting it is a plan back to `before`.
import type { z } from 'zod';
import type { ChangesConfig } from '../model/platform.js';
import type { ReplayConfig } from '../capacity/replay.js';
import type { Status } from '../model/health.js';
import type {
  AccountLimits,
  ChangeStep,
  ChangeTarget,
  FieldChange,
  GuardrailResult,
  LiveGroup,
  ScalingPolicy,
  ScheduledAction,
} from './model.js';
import type { AutoScalingPort, RunningLoadTest } from './ports.js';

/** What a kind's guardrails see, beyond the two states. */
export interface GuardrailFacts {
  now: number;
  group: LiveGroup;
  policies: ScalingPolicy[];
  scheduledActions: ScheduledAction[];
  limits: AccountLimits;
  config: ChangesConfig;
  /** the tier's health; undefined when the group is in no tier or health was not asked */
  tierHealth?: { tier: string; status: Status; reasons: string[] };
  loadTests: RunningLoadTest[];
}

/** How a state moves capacity, for the capacity guardrails. */
export interface CapacityShift {
  /** desired capacity now */
  from: number;
  /** desired capacity right after the change (bounds applied) */
  to: number;
  /** the group's bounds after the change */
  min: number;
  max: number;
  /** the change makes the group scale in later too (a higher target, a lower max) */
  scalesInLater?: boolean;
}

export interface ChangeKind<S> {
  /** e.g. "target-tracking-policy" */
  readonly kind: string;
  readonly stateSchema: z.ZodType<S>;
  /** the live state of the target */
  read(target: ChangeTarget, autoscaling: AutoScalingPort, signal?: AbortSignal): Promise<S>;
  /** one line for lists and markers */
  title(target: ChangeTarget, before: S, after: S): string;
  diff(before: S, after: S): FieldChange[];
  /** the writes from before to after, in order */
  steps(target: ChangeTarget, before: S, after: S): ChangeStep[];
  /** does `live` hold what `expected` says (verify, and compare-and-set on `before`)? */
  matches(live: S, expected: S): boolean;
  /**
   * The part of a state read live that a change to `after` governs; default all of it.
   * A plan's `before` and the compare-and-set at apply see only this part, so what the
   * change leaves alone (desired capacity, moved by the group's own policy, when a change
   * sets only the bounds) may move meanwhile without a conflict, and a revert leaves it alone.
   */
  scope?(state: S, after: S): S;
  /** how the change moves capacity (the capacity guardrails use it) */
  capacityShift(before: S, after: S, group: LiveGroup): CapacityShift;
  /** checks of this kind only (the engine adds the common ones) */
  guardrails?(target: ChangeTarget, before: S, after: S, facts: GuardrailFacts): GuardrailResult[];
  /**
   * The replay configuration of the group with state `state` applied over `base` (the
   * group's configuration now); undefined when the kind has no effect to replay.
   */
  replayConfig?(state: S, base: ReplayConfig, facts: GuardrailFacts): ReplayConfig | undefined;
}

// The registry holds kinds of different state types side by side.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyChangeKind = ChangeKind<any>;

/** A guardrail that holds, with why. */
export const pass = (id: string, message: string): GuardrailResult => ({
  id,
  ok: true,
  message,
  actions: [],
});

/** A guardrail that refuses: why, what to do, and the flag that overrides it where that is safe. */
export const refuse = (
  id: string,
  message: string,
  actions: string[] = [],
  override?: GuardrailResult['override'],
): GuardrailResult => ({ id, ok: false, message, actions, ...(override ? { override } : {}) });

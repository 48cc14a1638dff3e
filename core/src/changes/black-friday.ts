// The Black-Friday planner: pre-scaling scheduled actions for a sale day, from the recorded
// traffic shape. The sale's traffic is the median recorded day, minute by minute, times the
// peak multiple while the doors are open. Each group gets:
// - warm: before the doors open (boot + warm-up + a margin), min rises to what the first
//   hour needs and max to the peak's need plus headroom, so the opening surge does not
//   wait for target tracking to react (every action until the restore sets that max too,
//   so each holds on its own even if an earlier one did not fire);
// - hold: before the busiest stretch, min rises to the peak's need and stays there;
// - ramp down: after the busiest stretch, min steps back to where it was, an hour a step;
//   the last step (restore) also puts max back.
// The effect is a replay of the sale day (and half a day around it) through the group with
// and without these actions.
import type { ReplayConfig, ReplayModel } from '../capacity/replay.js';
import { calibrateReplayModel, computeEffect, type TierKind } from './effect.js';
import { baseReplayConfig, type ChangeEngine, type ReplayContext } from './engine.js';
import type { Effect, GuardrailOverride, Plan, ScheduledAction } from './model.js';
import type { RecordedSeries } from './ports.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface BlackFridayOptions {
  /** the sale day, YYYY-MM-DD, in `timeZone` */
  date: string;
  /** the sale's traffic over an ordinary day's, e.g. 8 */
  peakMultiple: number;
  /** IANA time zone of the date and of `opensAt` (default UTC) */
  timeZone?: string;
  /** when the doors open on `date`, HH:MM (default 00:00) */
  opensAt?: string;
  /** how long the sale lasts (default 24 h) */
  durationHours?: number;
  /** max is raised to the peak's need times this (default 1.25) */
  headroom?: number;
  /**
   * A worker's share of its throughput the plan counts on (default 0.8): a fleet that is
   * always busy lets its queue grow at every bump.
   */
  workerUtilization?: number;
}

export interface BlackFridaySchedule {
  group: string;
  kind: TierKind;
  actions: ScheduledAction[];
  /** instances the sale needs at its busiest hour, at the policy's target */
  peakNeed: number;
  /** how the need was worked out, in sentences */
  reasoning: string[];
  effect: Effect;
}

export class BlackFridayError extends Error {
  constructor(
    message: string,
    readonly actions: string[] = [],
  ) {
    super(message);
    this.name = 'BlackFridayError';
  }
}

/** The sale window in epoch ms: [opens, closes). */
export function saleWindow(options: BlackFridayOptions): { opens: number; closes: number } {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(options.date);
  if (!date)
    throw new BlackFridayError(`The date ${options.date} is not YYYY-MM-DD.`, [
      '--date 2026-11-27',
    ]);
  const time = /^(\d{2}):(\d{2})$/.exec(options.opensAt ?? '00:00');
  if (!time || Number(time[1]) > 23 || Number(time[2]) > 59)
    throw new BlackFridayError(`The opening time ${options.opensAt} is not HH:MM.`, [
      '--opens-at 06:00',
    ]);
  const [y, mo, d] = [Number(date[1]), Number(date[2]) - 1, Number(date[3])];
  const local = Date.UTC(y, mo, d, Number(time[1]), Number(time[2]));
  if (new Date(local).getUTCDate() !== d)
    throw new BlackFridayError(`${options.date} is not a date of the calendar.`);
  const opens = zonedToEpoch(local, options.timeZone ?? 'UTC');
  const hours = options.durationHours ?? 24;
  if (!(hours > 0 && hours <= 24 * 7))
    throw new BlackFridayError(`A sale of ${hours} hours: give between 1 and 168.`);
  return { opens, closes: opens + hours * HOUR };
}

/** The epoch ms at which clocks in `timeZone` show `local` (a UTC-based wall-clock time). */
function zonedToEpoch(local: number, timeZone: string): number {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
  } catch {
    throw new BlackFridayError(`Unknown time zone ${timeZone}.`, [
      'An IANA name: America/New_York, Europe/Paris, UTC',
    ]);
  }
  const wallClock = (t: number): number => {
    const parts = Object.fromEntries(
      format.formatToParts(new Date(t)).map((p) => [p.type, p.value]),
    );
    return Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
    );
  };
  // Two rounds settle it, a daylight-saving change between guess and answer included.
  let t = local - (wallClock(local) - local);
  t = local - (wallClock(t) - t);
  return t;
}

/**
 * The recorded load (web: requests per minute; worker: jobs sent per minute) of the median
 * day, by minute of the day (UTC); NaN where no day recorded that minute.
 */
export function medianDay(kind: TierKind, recorded: RecordedSeries): Float64Array {
  const source = kind === 'web' ? recorded.values.requests : recorded.values.jobsSent;
  const perDay = 1440;
  const out = new Float64Array(perDay).fill(NaN);
  if (!source) return out;
  const offset = Math.round((((recorded.start % DAY) + DAY) % DAY) / MINUTE);
  const samples: number[][] = Array.from({ length: perDay }, () => []);
  for (let i = 0; i < source.length; i++) {
    const v = source[i]!;
    if (Number.isFinite(v)) samples[(offset + i) % perDay]!.push(v);
  }
  for (let m = 0; m < perDay; m++) {
    const xs = samples[m]!.sort((a, b) => a - b);
    if (xs.length)
      out[m] =
        xs.length % 2
          ? xs[(xs.length - 1) / 2]!
          : (xs[xs.length / 2 - 1]! + xs[xs.length / 2]!) / 2;
  }
  return out;
}

/**
 * Load per minute over [start, end): the median day, times `multiple` inside the sale, as
 * series a replay reads; the group starts as it is now.
 */
function saleTraffic(
  ctx: ReplayContext,
  shape: Float64Array,
  range: { start: number; end: number },
  sale: { opens: number; closes: number },
  multiple: number,
): RecordedSeries {
  const n = Math.round((range.end - range.start) / MINUTE);
  const load = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = range.start + i * MINUTE;
    const v = shape[Math.floor((t % DAY) / MINUTE)]!;
    load[i] = Number.isFinite(v) ? v * (t >= sale.opens && t < sale.closes ? multiple : 1) : NaN;
  }
  const first = (x: number) => {
    const a = new Float64Array(n).fill(NaN);
    a[0] = x;
    return a;
  };
  return {
    start: range.start,
    periodSeconds: 60,
    values: {
      [ctx.kind === 'web' ? 'requests' : 'jobsSent']: load,
      desired: first(ctx.facts.group.desired),
      inService: first(ctx.facts.group.inService),
    },
  };
}

/** Instances needed per minute of load, at the policy's target (or the default utilization). */
function perInstanceLoad(
  base: ReplayConfig,
  model: { model: ReplayModel },
  options: BlackFridayOptions,
): { perInstance: number; sentence: string } {
  if (model.model.kind === 'web') {
    const mu = model.model.serviceRatePerInstance;
    if (base.policy?.metric === 'requests-per-target')
      return {
        perInstance: base.policy.target,
        sentence: `One instance takes ${base.policy.target} requests a minute (the policy's target).`,
      };
    const target = base.policy?.metric === 'cpu' ? base.policy.target : 70;
    return {
      perInstance: mu * 60 * (target / 100),
      sentence: `One instance takes ${(mu * 60 * (target / 100)).toFixed(0)} requests a minute at ${target}% CPU (${base.policy?.metric === 'cpu' ? "the policy's target" : 'no CPU policy: 70% assumed'}).`,
    };
  }
  const share = options.workerUtilization ?? 0.8;
  const jpm = model.model.jobsPerInstancePerMinute;
  return {
    perInstance: jpm * share,
    sentence: `One worker completes ${jpm.toFixed(1)} jobs a minute; the plan counts on ${Math.round(share * 100)}% of it.`,
  };
}

/** The pre-scaling schedule of one group for the sale, with its replayed effect. */
export function blackFridaySchedule(
  ctx: ReplayContext,
  options: BlackFridayOptions,
  now: number,
): BlackFridaySchedule {
  const { facts } = ctx;
  const group = facts.group;
  if (!(options.peakMultiple >= 1 && options.peakMultiple <= 100))
    throw new BlackFridayError(
      `A peak of ${options.peakMultiple}x: give a multiple between 1 and 100.`,
      ['--peak 8x'],
    );
  const sale = saleWindow(options);
  const model = calibrateReplayModel(ctx.kind, ctx.recorded);
  const base = baseReplayConfig(facts, undefined, ctx.prices);
  const boot = model.model.bootMinutes;
  const warmup = base.policy?.warmupMinutes ?? 5;
  const leadMinutes = Math.ceil((boot + warmup + 15) / 5) * 5;
  const warmAt = sale.opens - leadMinutes * MINUTE;
  // A sale that is over is planned all the same, to see what its schedule would have done;
  // the guardrails refuse to apply actions that start in the past.
  const over = sale.closes <= now;
  if (warmAt < now + 5 * MINUTE && !over)
    throw new BlackFridayError(
      `The sale opens ${new Date(sale.opens).toISOString()}: too soon to schedule capacity ${leadMinutes} minutes ahead of it.`,
      [
        'Raise capacity now instead: ballast scaling apply GROUP --min N',
        'Or plan for a later date.',
      ],
    );

  const shape = medianDay(ctx.kind, ctx.recorded);
  const { perInstance, sentence } = perInstanceLoad(base, model, options);
  const hours = Math.ceil((sale.closes - sale.opens) / HOUR);
  const need: number[] = [];
  for (let h = 0; h < hours; h++) {
    let peak = 0;
    for (
      let t = sale.opens + h * HOUR;
      t < Math.min(sale.closes, sale.opens + (h + 1) * HOUR);
      t += MINUTE
    ) {
      const v = shape[Math.floor((t % DAY) / MINUTE)]!;
      if (Number.isFinite(v) && v > peak) peak = v;
    }
    need.push(Math.max(group.min, Math.ceil((peak * options.peakMultiple) / perInstance - 1e-9)));
  }
  const peakNeed = Math.max(...need);
  const headroom = options.headroom ?? 1.25;
  const saleMax = Math.max(group.max, Math.ceil(peakNeed * headroom));
  const busy = need.map((n) => n >= 0.8 * peakNeed);
  const firstBusy = busy.indexOf(true);
  const lastBusy = busy.lastIndexOf(true);
  const day = options.date.replace(/-/g, '');
  const name = (step: string) => `bf-${day}-${step}`;
  const at = (t: number) => Math.round(t / MINUTE) * MINUTE;

  const actions: ScheduledAction[] = [];
  const openNeed = need[0]!;
  actions.push({
    name: name('warm'),
    startTime: at(warmAt),
    min: Math.max(group.min, openNeed),
    max: saleMax,
  });
  let floor = Math.max(group.min, openNeed);
  if (peakNeed > floor) {
    const holdAt = Math.max(warmAt + MINUTE, sale.opens + firstBusy * HOUR - leadMinutes * MINUTE);
    actions.push({ name: name('hold'), startTime: at(holdAt), min: peakNeed, max: saleMax });
    floor = peakNeed;
  }
  // Down from the floor an hour a step, from the end of the busiest stretch.
  const rampFrom = sale.opens + (lastBusy + 1) * HOUR;
  const steps = 3;
  for (let k = 1; k < steps; k++) {
    const min = Math.round(floor - ((floor - group.min) * k) / steps);
    if (min >= floor || min <= group.min) continue;
    actions.push({
      name: name(`ramp-${k}`),
      startTime: at(rampFrom + (k - 1) * HOUR),
      min,
      max: saleMax,
    });
  }
  const restoreAt = Math.max(rampFrom + (steps - 1) * HOUR, sale.closes);
  actions.push({ name: name('restore'), startTime: at(restoreAt), min: group.min, max: group.max });

  // Replay half a day either side of the sale, from the hour the warm-up starts.
  const range = {
    start: Math.floor((warmAt - 12 * HOUR) / HOUR) * HOUR,
    end: Math.ceil((restoreAt + 12 * HOUR) / HOUR) * HOUR,
  };
  const traffic = saleTraffic(ctx, shape, range, sale, options.peakMultiple);
  const schedule = actions
    .map((a) => ({
      minute: Math.floor((a.startTime! - range.start) / MINUTE),
      ...(a.min !== undefined ? { min: a.min } : {}),
      ...(a.max !== undefined ? { max: a.max } : {}),
    }))
    .sort((a, b) => a.minute - b.minute);
  const effect = computeEffect({
    kind: ctx.kind,
    recorded: ctx.recorded,
    slo: ctx.tier.slo,
    current: base,
    candidate: { ...base, schedule },
    prices: ctx.prices,
    model,
    whatIf: {
      traffic,
      description: `The sale's traffic is the median recorded day, minute by minute, times ${options.peakMultiple} from ${new Date(sale.opens).toISOString()} to ${new Date(sale.closes).toISOString()}, and as recorded around it.`,
    },
  });
  const unit = ctx.kind === 'web' ? 'requests' : 'jobs';
  const peakLoad = Math.max(...Array.from(shape).filter(Number.isFinite));
  return {
    group: group.name,
    kind: ctx.kind,
    actions,
    peakNeed,
    reasoning: [
      `An ordinary day peaks at ${peakLoad.toFixed(0)} ${unit} a minute (median of the recorded days); the sale at ${options.peakMultiple}x that, ${(peakLoad * options.peakMultiple).toFixed(0)}.`,
      sentence,
      `So the busiest hour needs ${peakNeed} instances; max goes to ${saleMax} (x${headroom} headroom, never below today's ${group.max}).`,
      `Capacity is scheduled ${leadMinutes} minutes ahead: ${boot} minutes to boot, ${warmup} to warm up, and a margin.`,
      ...(over
        ? [
            `The sale of ${options.date} is over: this is what its schedule would have been; actions that start in the past cannot be applied.`,
          ]
        : []),
    ],
    effect,
  };
}

/**
 * Plans the sale's schedules for `groups` (default: every web and worker group) through the
 * engine, as scheduled-actions changes carrying the sale-day replay as their effect.
 */
export async function planBlackFriday(
  engine: ChangeEngine,
  options: BlackFridayOptions & {
    groups?: string[];
    now: number;
    overrides?: GuardrailOverride[];
    signal?: AbortSignal;
  },
): Promise<{ schedule: BlackFridaySchedule; plan: Plan }[]> {
  const groups = options.groups ?? engine.scalingGroups().map((g) => g.group);
  if (groups.length === 0)
    throw new BlackFridayError(
      'The platform config has no web (ALB) or worker (SQS) tier with an Auto Scaling group.',
    );
  const out: { schedule: BlackFridaySchedule; plan: Plan }[] = [];
  for (const group of groups) {
    const ctx = await engine.replayContext(group, options.signal);
    if ('unavailable' in ctx)
      throw new BlackFridayError(`Cannot plan ${group} for the sale: ${ctx.unavailable}`);
    const schedule = blackFridaySchedule(ctx, options, options.now);
    const plan = await engine.plan({
      kind: 'scheduled-actions',
      target: { group, actionNames: schedule.actions.map((a) => a.name) },
      desired: { actions: schedule.actions },
      effect: schedule.effect,
      ...(options.overrides ? { overrides: options.overrides } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    out.push({ schedule, plan });
  }
  return out;
}

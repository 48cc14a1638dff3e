// A plan's effect: the candidate configuration and the current one replayed through the
// recorded week, next to what was recorded, with the backtest error (how far the replay of
// the current configuration lands from what actually happened) stated as it is.
import {
  prepareReplay,
  replay,
  type ReplayConfig,
  type ReplayModel,
  type ReplayResult,
  type ReplaySlo,
} from '../capacity/replay.js';
import { splitOnDemandSpot } from '../capacity/purchase-options.js';
import { ON_DEMAND_LIST_PRICES } from '../spend/spot.js';
import type { Effect, ReplayOutcome } from './model.js';
import type { RecordedMetric, RecordedSeries } from './ports.js';

export type TierKind = 'web' | 'worker';

/**
 * Spot has no list price (it moves with supply); without configured prices a replay assumes
 * this share of the on-demand price, about what these families averaged in us-east-1.
 */
export const ASSUMED_SPOT_SHARE_OF_ON_DEMAND = 0.35;

export interface EffectPrices {
  onDemandPerHour: number;
  spotPerHour: number;
  source: string;
}

/**
 * Configured prices, else AWS's public on-demand price of the group's first instance type
 * that has one in the region (the spend module's table), spot at an assumed share of it.
 */
export function pricesFor(
  configured: { onDemandPerHour: number; spotPerHour: number } | undefined,
  instanceTypes: readonly string[],
  region: string,
): EffectPrices | undefined {
  if (configured) return { ...configured, source: 'the platform config (changes.groups.*.prices)' };
  const listed = ON_DEMAND_LIST_PRICES.regions[region] ?? {};
  const type = instanceTypes.find((t) => listed[t] !== undefined);
  if (!type) return undefined;
  const onDemand = listed[type]!;
  return {
    onDemandPerHour: onDemand,
    spotPerHour: Math.round(onDemand * ASSUMED_SPOT_SHARE_OF_ON_DEMAND * 10_000) / 10_000,
    source: `public on-demand price of ${type} in ${region} (${ON_DEMAND_LIST_PRICES.asOf}); spot assumed at ${ASSUMED_SPOT_SHARE_OF_ON_DEMAND * 100}% of it`,
  };
}

const median = (xs: number[]): number | undefined => {
  if (xs.length === 0) return undefined;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** ln-normal base time: the median is exp(-sigma^2/2) of the mean (sigma 0.5, queueing.ts). */
const MEDIAN_OF_MEAN = Math.exp(-0.125);
/** Minutes from launch to serving, for every group: EC2 boot plus the application's start. */
export const BOOT_MINUTES = 2;

/** The replay model of a group, estimated from what it recorded; says where each number came from. */
export function calibrateReplayModel(
  kind: TierKind,
  recorded: RecordedSeries,
): { model: ReplayModel; assumptions: string[] } {
  const v = recorded.values;
  const n = lengthOf(recorded);
  const at = (role: RecordedMetric, i: number) => v[role]?.[i] ?? NaN;
  const assumptions: string[] = [
    `An instance serves ${BOOT_MINUTES} minutes after launch and is billed from launch.`,
  ];
  if (kind === 'web') {
    const rates: number[] = [];
    const bases: number[] = [];
    for (let i = 0; i < n; i++) {
      const rps = at('requests', i) / 60;
      const cpu = at('cpu', i);
      const serving = at('inService', i);
      if (rps > 0 && cpu >= 10 && cpu <= 90 && serving > 0)
        rates.push(rps / (serving * (cpu / 100)));
      const p50 = at('responseTimeP50', i);
      if (cpu > 0 && cpu < 50 && p50 > 0) bases.push((p50 * 1000) / MEDIAN_OF_MEAN);
    }
    const mu = median(rates);
    const base = median(bases);
    assumptions.push(
      mu !== undefined
        ? `One instance serves ${mu.toFixed(1)} req/s at 100% CPU (median of requests / (instances x CPU) over ${rates.length} minutes).`
        : 'No minutes with both requests and CPU recorded: one instance is assumed to serve 50 req/s at 100% CPU.',
      base !== undefined
        ? `A request takes ${base.toFixed(0)} ms without queueing (from the median response time at under 50% CPU).`
        : 'No response times recorded at low load: a request is assumed to take 120 ms without queueing.',
    );
    return {
      model: {
        kind: 'web',
        serviceRatePerInstance: mu ?? 50,
        baseServiceTimeMs: base ?? 120,
        bootMinutes: BOOT_MINUTES,
      },
      assumptions,
    };
  }
  const throughputs: number[] = [];
  for (let i = 0; i < n; i++) {
    const backlog = at('queueVisible', i);
    const deleted = at('jobsDeleted', i);
    const serving = at('inService', i);
    // Only minutes that ended with a backlog: the fleet was busy all minute.
    if (backlog > 0 && deleted > 0 && serving > 0) throughputs.push(deleted / serving);
  }
  const jpm = median(throughputs);
  assumptions.push(
    jpm !== undefined
      ? `One instance completes ${jpm.toFixed(1)} jobs a minute (median of deleted messages per instance over ${throughputs.length} busy minutes).`
      : 'No busy minutes recorded: one instance is assumed to complete 5 jobs a minute.',
  );
  return {
    model: { kind: 'worker', jobsPerInstancePerMinute: jpm ?? 5, bootMinutes: BOOT_MINUTES },
    assumptions,
  };
}

function lengthOf(recorded: RecordedSeries): number {
  for (const a of Object.values(recorded.values)) if (a) return a.length;
  return 0;
}

function firstFinite(a: Float64Array | undefined): number | undefined {
  if (!a) return undefined;
  for (const x of a) if (Number.isFinite(x)) return x;
  return undefined;
}

export interface EffectInput {
  kind: TierKind;
  /** the recorded window: calibrates the model, and is replayed unless `whatIf` is given */
  recorded: RecordedSeries;
  slo: ReplaySlo;
  current: ReplayConfig;
  candidate: ReplayConfig;
  prices: EffectPrices;
  /** from calibrateReplayModel, or given */
  model?: { model: ReplayModel; assumptions: string[] };
  /**
   * Traffic to replay instead of the recorded window (a sale day built from its shape), and
   * what it is, in a sentence. Nothing happened in it yet: the backtest then comes from the
   * recorded window, and there is no `actual`.
   */
  whatIf?: { traffic: RecordedSeries; description: string };
}

/** Prepared traffic of a recorded window, for one or many replays. */
export function prepareRecorded(
  kind: TierKind,
  recorded: RecordedSeries,
  slo: ReplaySlo,
  model: ReplayModel,
): ReturnType<typeof prepareReplay> {
  const v = recorded.values;
  const n = lengthOf(recorded);
  const load = new Float64Array(n);
  const source = kind === 'web' ? v.requests : v.jobsSent;
  for (let i = 0; i < n; i++) {
    const x = source?.[i] ?? NaN;
    load[i] = kind === 'web' ? x / 60 : x;
  }
  return prepareReplay(
    model,
    {
      start: recorded.start,
      periodSeconds: recorded.periodSeconds,
      load,
      initialDesired: Math.round(firstFinite(v.desired) ?? firstFinite(v.inService) ?? 1),
      initialInService: Math.round(firstFinite(v.inService) ?? firstFinite(v.desired) ?? 1),
      ...(kind === 'worker' ? { initialBacklog: firstFinite(v.queueVisible) ?? 0 } : {}),
    },
    slo,
  );
}

export function computeEffect(input: EffectInput): Effect {
  const { kind, recorded, slo, prices } = input;
  const calibrated = input.model ?? calibrateReplayModel(kind, recorded);
  const withPrices = (c: ReplayConfig): ReplayConfig => ({ ...c, prices });
  const week = prepareRecorded(kind, recorded, slo, calibrated.model);
  const replayed = input.whatIf
    ? prepareRecorded(kind, input.whatIf.traffic, slo, calibrated.model)
    : week;
  const current = toOutcome(replay(replayed, withPrices(input.current)));
  const candidate = toOutcome(replay(replayed, withPrices(input.candidate)));
  const currentOverWeek = input.whatIf
    ? toOutcome(replay(week, withPrices(input.current)))
    : current;
  const actual = recordedOutcome(kind, recorded, slo, input.current, prices);
  const traffic = input.whatIf?.traffic ?? recorded;
  return {
    window: {
      start: traffic.start,
      end: traffic.start + replayed.minutes * traffic.periodSeconds * 1000,
      periodSeconds: traffic.periodSeconds,
    },
    coveredMinutes: replayed.covered,
    candidate,
    current,
    ...(actual && !input.whatIf ? { actual } : {}),
    backtest: actual ? backtest(currentOverWeek, actual) : [],
    assumptions: [
      ...calibrated.assumptions,
      ...(input.whatIf
        ? [
            input.whatIf.description,
            'The backtest compares the replay of the current configuration over the recorded window with what was recorded then.',
          ]
        : []),
      'The recorded traffic is replayed as it was: it does not react to the configuration (shoppers do not leave when pages slow down).',
      'Failures capacity does not cause (a bad release, a failing dependency) are not replayed: where the backtest misses errors or slow minutes that were recorded, they were of that kind.',
    ],
    prices,
  };
}

function toOutcome(r: ReplayResult): ReplayOutcome {
  return { ...r };
}

/** What the recorded series say happened, in the replay's measures. */
export function recordedOutcome(
  kind: TierKind,
  recorded: RecordedSeries,
  slo: ReplaySlo,
  current: Pick<ReplayConfig, 'distribution'>,
  prices: { onDemandPerHour: number; spotPerHour: number },
): Partial<ReplayOutcome> | undefined {
  const v = recorded.values;
  const n = lengthOf(recorded);
  const capacity = v.desired ?? v.inService;
  if (!capacity) return undefined;
  const minutesPerPeriod = recorded.periodSeconds / 60;
  let od = 0;
  let spot = 0;
  let peak = 0;
  let activities = 0;
  let previous: number | undefined;
  for (let i = 0; i < n; i++) {
    const c = capacity[i]!;
    if (!Number.isFinite(c)) continue;
    const split = splitOnDemandSpot(c, current.distribution);
    od += (split.onDemand * minutesPerPeriod) / 60;
    spot += (split.spot * minutesPerPeriod) / 60;
    if (c > peak) peak = c;
    const rounded = Math.round(c);
    if (previous !== undefined && rounded !== previous) activities++;
    previous = rounded;
  }
  const minutesOverSlo: ReplayOutcome['minutesOverSlo'] = {};
  const count = (signal: string, value: (i: number) => number, threshold: ReplaySlo['latency']) => {
    if (!threshold) return;
    let degraded = 0;
    let critical = 0;
    let seen = false;
    for (let i = 0; i < n; i++) {
      const x = value(i);
      if (!Number.isFinite(x)) continue;
      seen = true;
      if (threshold.degraded !== undefined && x > threshold.degraded) degraded += minutesPerPeriod;
      if (threshold.critical !== undefined && x > threshold.critical) critical += minutesPerPeriod;
    }
    if (seen) minutesOverSlo[signal] = { degraded, critical };
  };
  let peakAge: number | undefined;
  if (kind === 'web') {
    count('latency', (i) => (v.responseTimeP99?.[i] ?? NaN) * 1000, slo.latency);
    count(
      'errors',
      (i) => (100 * (v.errors5xx?.[i] ?? NaN)) / (v.requests?.[i] ?? NaN),
      slo.errors,
    );
    count('saturation', (i) => v.cpu?.[i] ?? NaN, slo.saturation);
  } else {
    count('latency', (i) => (v.queueOldestAge?.[i] ?? NaN) * 1000, slo.latency);
    if (v.queueOldestAge) {
      peakAge = 0;
      for (const x of v.queueOldestAge) if (Number.isFinite(x) && x > peakAge) peakAge = x;
    }
  }
  return {
    instanceHours: od + spot,
    onDemandHours: od,
    spotHours: spot,
    costUsd: od * prices.onDemandPerHour + spot * prices.spotPerHour,
    minutesOverSlo,
    ...(peakAge !== undefined ? { peakQueueAgeSeconds: peakAge } : {}),
    peakInstances: peak,
    scalingActivities: activities,
  };
}

function backtest(current: ReplayOutcome, actual: Partial<ReplayOutcome>): Effect['backtest'] {
  const rows: Effect['backtest'] = [];
  const add = (
    measure: string,
    replayed: number,
    real: number | undefined,
    unit: string,
    digits = 0,
  ) => {
    if (real === undefined) return;
    const relativeError = real !== 0 ? (replayed - real) / real : undefined;
    const gap =
      relativeError !== undefined
        ? ` (${relativeError >= 0 ? '+' : ''}${(relativeError * 100).toFixed(1)}%)`
        : replayed === 0
          ? ' (exact)'
          : '';
    rows.push({
      measure,
      replayed,
      actual: real,
      ...(relativeError !== undefined ? { relativeError } : {}),
      sentence: `The replay of the current configuration gives ${replayed.toFixed(digits)} ${unit} ${measure} where ${real.toFixed(digits)} were recorded${gap}.`,
    });
  };
  add('instance-hours', current.instanceHours, actual.instanceHours, '');
  add('cost', current.costUsd, actual.costUsd, 'USD', 2);
  add('peak queue age', current.peakQueueAgeSeconds ?? 0, actual.peakQueueAgeSeconds, 's');
  add('scaling activities', current.scalingActivities, actual.scalingActivities, '');
  for (const [signal, real] of Object.entries(actual.minutesOverSlo ?? {})) {
    const replayed = current.minutesOverSlo[signal];
    if (!replayed) continue;
    add(`minutes over the ${signal} SLO (degraded)`, replayed.degraded, real.degraded, '');
    add(`minutes over the ${signal} SLO (critical)`, replayed.critical, real.critical, '');
  }
  for (const r of rows) r.sentence = r.sentence.replace(/ {2,}/g, ' ');
  return rows;
}

// What-if replay: recorded traffic run minute by minute through a candidate Auto Scaling
// configuration (bounds, target-tracking policy, scheduled actions, purchase options), with
// the queueing model deciding how each minute would have gone. It answers "what would this
// configuration have cost and how often would it have broken an SLO over the last week".
//
// Built for many candidates over one traffic: prepareReplay does everything that does not
// depend on the configuration once (for a web group, the fewest instances that keep each
// minute inside each SLO, by the queueing model), and replay then runs each configuration
// with integer comparisons on typed arrays and no allocation per minute.
//
// The model of the group, kept as simple as what it must answer:
// - an instance launched in minute m serves from minute m + bootMinutes, is billed from m,
//   and counts as warming (ignored by the policy's scale-in) for warmupMinutes;
// - a target-tracking policy as EC2 Auto Scaling runs it: scale out when the metric was
//   above target 3 minutes in a row, to ceil(serving * metric / target); scale in when it
//   was below 90% of target 15 minutes in a row, nothing is warming and the cooldown has
//   passed, by at most maxScaleInFraction of the group at a time;
// - scheduled actions set min, max and desired at their minute; desired stays in bounds;
// - on-demand and spot split as the instances distribution says (splitOnDemandSpot);
// - a worker queue drains first in, first out at jobsPerInstancePerMinute per serving instance.
import type { Threshold } from '../model/health.js';
import { onDemandInstances, type InstancesDistribution } from './purchase-options.js';
import { estimateCapacity, responseTimeQuantileMs } from './queueing.js';
import { targetTrackingCapacity } from './target-tracking.js';

export type ReplayMetric = 'cpu' | 'requests-per-target' | 'backlog-per-instance';

export interface ReplayPolicy {
  metric: ReplayMetric;
  target: number;
  disableScaleIn?: boolean;
  /** minutes a new instance is warming (EstimatedInstanceWarmup) */
  warmupMinutes: number;
  scaleInCooldownMinutes: number;
  /** largest share of the group one scale-in removes, e.g. 0.1 */
  maxScaleInFraction: number;
}

export interface ReplaySchedule {
  /** minute index from the start of the traffic */
  minute: number;
  min?: number;
  max?: number;
  desired?: number;
}

export interface ReplayConfig {
  min: number;
  max: number;
  /** desired capacity at the first minute; default: what was recorded then */
  initialDesired?: number;
  policy?: ReplayPolicy;
  /** ascending by minute */
  schedule?: readonly ReplaySchedule[];
  /** undefined: on-demand only (no mixed instances policy) */
  distribution?: InstancesDistribution;
  prices: { onDemandPerHour: number; spotPerHour: number };
}

/** How the group's instances turn load into work. */
export type ReplayModel =
  | {
      kind: 'web';
      /** requests per second one instance serves at 100% CPU */
      serviceRatePerInstance: number;
      baseServiceTimeMs: number;
      timeoutMs?: number;
      bootMinutes: number;
    }
  | {
      kind: 'worker';
      jobsPerInstancePerMinute: number;
      bootMinutes: number;
    };

export interface ReplayTraffic {
  start: number;
  /** must be 60: the replay runs minute by minute */
  periodSeconds: number;
  /** web: requests per second in each minute; worker: jobs sent in each minute. NaN: not recorded */
  load: Float64Array;
  /** instances serving at the first minute (recorded) */
  initialInService: number;
  /** desired capacity at the first minute (recorded) */
  initialDesired: number;
  /** worker: messages already waiting at the first minute */
  initialBacklog?: number;
}

/** The SLO thresholds a replay counts minutes over, by signal (in the tier's SLO units). */
export interface ReplaySlo {
  /** web: p99 response time, ms; worker: age of the oldest message, ms */
  latency?: Threshold;
  /** web: percent of requests failing */
  errors?: Threshold;
  /** web: CPU percent */
  saturation?: Threshold;
}

interface Need {
  signal: string;
  level: 'degraded' | 'critical';
  /** web: fewest serving instances that keep each minute inside the bound */
  need?: Int32Array;
  /** worker latency: the bound in seconds of queue age */
  ageSeconds?: number;
}

export interface PreparedReplay {
  model: ReplayModel;
  traffic: ReplayTraffic;
  minutes: number;
  /** load with NaN as 0 */
  load: Float64Array;
  /** minutes that had recorded load */
  covered: number;
  needs: Need[];
  /** scratch arrays reused by every replay of this preparation */
  scratch: { arriving: Int32Array; warmEnds: Int32Array; cohorts: Float64Array };
}

export interface ReplayResult {
  instanceHours: number;
  onDemandHours: number;
  spotHours: number;
  costUsd: number;
  minutesOverSlo: Record<string, { degraded: number; critical: number }>;
  peakQueueAgeSeconds?: number;
  peakInstances: number;
  scalingActivities: number;
  minutesAtMax: number;
}

const INFEASIBLE = 0x3fffffff;
const P99 = 0.99;

export function prepareReplay(
  model: ReplayModel,
  traffic: ReplayTraffic,
  slo: ReplaySlo,
): PreparedReplay {
  if (traffic.periodSeconds !== 60)
    throw new RangeError(`the replay runs on 1-minute traffic, got ${traffic.periodSeconds} s`);
  const minutes = traffic.load.length;
  const load = new Float64Array(minutes);
  let covered = 0;
  for (let m = 0; m < minutes; m++) {
    const v = traffic.load[m]!;
    if (Number.isFinite(v) && v >= 0) {
      load[m] = v;
      covered++;
    }
  }
  const needs: Need[] = [];
  const levels = ['degraded', 'critical'] as const;
  if (model.kind === 'web') {
    const { serviceRatePerInstance: mu, baseServiceTimeMs, timeoutMs } = model;
    const input = (rate: number, instances: number) => ({
      arrivalRate: rate,
      serviceRatePerInstance: mu,
      instances,
      baseServiceTimeMs,
      ...(timeoutMs ? { timeoutMs } : {}),
    });
    const checks: { signal: string; ok: (rate: number, n: number, bound: number) => boolean }[] = [
      { signal: 'latency', ok: (r, n, b) => responseTimeQuantileMs(input(r, n), P99) <= b },
      { signal: 'errors', ok: (r, n, b) => 100 * estimateCapacity(input(r, n)).errorRate <= b },
      { signal: 'saturation', ok: (r, n, b) => (100 * r) / (n * mu) <= b },
    ];
    for (const { signal, ok } of checks) {
      const threshold = slo[signal as keyof ReplaySlo];
      for (const level of levels) {
        const bound = threshold?.[level];
        if (bound === undefined) continue;
        const need = new Int32Array(minutes);
        for (let m = 0; m < minutes; m++)
          need[m] = load[m]! > 0 ? fewestInstances(load[m]!, bound, ok) : 0;
        needs.push({ signal, level, need });
      }
    }
  } else if (slo.latency) {
    for (const level of levels) {
      const bound = slo.latency[level];
      if (bound !== undefined) needs.push({ signal: 'latency', level, ageSeconds: bound / 1000 });
    }
  }
  const horizon = minutes + 64 + model.bootMinutes;
  return {
    model,
    traffic,
    minutes,
    load,
    covered,
    needs,
    scratch: {
      arriving: new Int32Array(horizon),
      warmEnds: new Int32Array(horizon + 240),
      cohorts: new Float64Array(minutes + 1),
    },
  };
}

/** Smallest instance count for which ok(rate, n, bound) holds; monotone in n. */
function fewestInstances(
  rate: number,
  bound: number,
  ok: (rate: number, n: number, bound: number) => boolean,
): number {
  let hi = 1;
  while (!ok(rate, hi, bound)) {
    hi *= 2;
    if (hi > 1 << 20) return INFEASIBLE;
  }
  let lo = hi >> 1; // fails (or 0)
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ok(rate, mid, bound)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** One configuration through the prepared traffic. */
export function replay(prepared: PreparedReplay, config: ReplayConfig): ReplayResult {
  const { model, minutes, load, needs } = prepared;
  if (!(config.min <= config.max))
    throw new RangeError(`min (${config.min}) must not be above max (${config.max})`);
  const { arriving, warmEnds, cohorts } = prepared.scratch;
  arriving.fill(0);
  warmEnds.fill(0);
  const boot = Math.max(0, Math.round(model.bootMinutes));
  const policy = config.policy;
  const warmup = policy ? Math.min(240, Math.max(0, Math.round(policy.warmupMinutes))) : 0;
  const cooldown = policy ? policy.scaleInCooldownMinutes : 0;
  const schedule = config.schedule ?? [];
  const distribution = config.distribution;
  const isWorker = model.kind === 'worker';
  const mu = model.kind === 'web' ? model.serviceRatePerInstance : 0;
  const jpm = model.kind === 'worker' ? model.jobsPerInstancePerMinute : 0;

  let min = config.min;
  let max = config.max;
  // One input for every call of the policy's formula: no allocation per minute.
  const tracking = {
    minCapacity: min,
    maxCapacity: max,
    targetValue: policy?.target ?? 1,
    currentCapacity: 0,
    metricValue: 0,
  };
  const clamp = (n: number) => (n < min ? min : n > max ? max : n);
  let desired = clamp(config.initialDesired ?? prepared.traffic.initialDesired);
  let serving = Math.min(desired, Math.max(0, Math.round(prepared.traffic.initialInService)));
  let pending = 0;
  if (desired > serving) {
    pending = desired - serving;
    arriving[Math.min(boot, arriving.length - 1)]! += pending;
  }
  let warming = 0;
  let highRun = 0;
  let lowRun = 0;
  let lastScale = -Infinity;
  let activities = 0;
  let onDemandMinutes = 0;
  let spotMinutes = 0;
  let peak = 0;
  let atMax = 0;
  let peakAge = 0;
  // worker queue
  let visible = 0;
  let head = 0;
  if (isWorker) {
    cohorts.fill(0);
    const initial = prepared.traffic.initialBacklog ?? 0;
    if (initial > 0) {
      cohorts[0] = initial;
      visible = initial;
    }
  }
  const over = new Int32Array(needs.length);
  let nextAction = 0;

  for (let m = 0; m < minutes; m++) {
    while (nextAction < schedule.length && schedule[nextAction]!.minute <= m) {
      const a = schedule[nextAction++]!;
      if (a.min !== undefined) min = a.min;
      if (a.max !== undefined) max = a.max;
      if (min > max) max = min; // AWS refuses such an action; the guardrails do too
      const before = desired;
      desired = clamp(a.desired ?? desired);
      if (desired !== before) activities++;
    }
    const arrived = arriving[m]!;
    serving += arrived;
    pending -= arrived;
    warming -= warmEnds[m]!;
    const lambda = load[m]!;

    if (isWorker) {
      if (lambda > 0) {
        cohorts[m] = (cohorts[m] ?? 0) + lambda;
        visible += lambda;
      }
      let toProcess = serving * jpm;
      if (toProcess > visible) toProcess = visible;
      visible -= toProcess;
      while (toProcess > 1e-9 && head <= m) {
        const c = cohorts[head]!;
        if (c > toProcess) {
          cohorts[head] = c - toProcess;
          toProcess = 0;
        } else {
          toProcess -= c;
          cohorts[head] = 0;
          head++;
        }
      }
      if (visible < 1e-9) {
        visible = 0;
        if (head < m + 1) head = m + 1;
      }
      while (head <= m && cohorts[head]! <= 1e-9) head++;
      const age = visible > 0 && head <= m ? (m - head) * 60 + 30 : 0;
      if (age > peakAge) peakAge = age;
      for (let k = 0; k < needs.length; k++) {
        const limit = needs[k]!.ageSeconds!;
        if (age > limit) over[k]!++;
      }
    } else {
      for (let k = 0; k < needs.length; k++) if (serving < needs[k]!.need![m]!) over[k]!++;
    }

    if (policy) {
      const basis = serving > 0 ? serving : 1;
      let metric: number;
      if (policy.metric === 'cpu') {
        metric = serving > 0 ? (100 * lambda) / (serving * mu) : lambda > 0 ? 100 : 0;
        if (metric > 100) metric = 100;
      } else if (policy.metric === 'requests-per-target') metric = (lambda * 60) / basis;
      else metric = visible / basis;
      const target = policy.target;
      highRun = metric > target ? highRun + 1 : 0;
      lowRun = metric < 0.9 * target ? lowRun + 1 : 0;
      if (highRun >= 3) {
        tracking.minCapacity = min;
        tracking.maxCapacity = max;
        tracking.currentCapacity = basis;
        tracking.metricValue = metric;
        const wanted = targetTrackingCapacity(tracking);
        if (wanted > desired) {
          desired = wanted;
          activities++;
          lastScale = m;
        }
      } else if (
        lowRun >= 15 &&
        !policy.disableScaleIn &&
        warming === 0 &&
        m - lastScale >= cooldown
      ) {
        tracking.minCapacity = min;
        tracking.maxCapacity = max;
        tracking.currentCapacity = serving;
        tracking.metricValue = metric;
        const wanted = targetTrackingCapacity(tracking);
        const step = Math.floor(desired * policy.maxScaleInFraction);
        const gradual = desired - (step > 1 ? step : 1);
        const next = clamp(wanted > gradual ? wanted : gradual);
        if (next < desired) {
          desired = next;
          activities++;
          lastScale = m;
        }
      }
    }

    // Launch or terminate towards desired: pending launches are cancelled newest first.
    let total = serving + pending;
    if (desired > total) {
      const k = desired - total;
      arriving[m + 1 + boot]! += k;
      pending += k;
      warmEnds[m + 1 + boot + warmup]! += k;
      warming += k;
      total = desired;
    } else if (desired < total) {
      let excess = total - desired;
      for (let j = m + 1 + boot; j > m && excess > 0 && pending > 0; j--) {
        const take = Math.min(arriving[j]!, excess);
        arriving[j]! -= take;
        pending -= take;
        excess -= take;
      }
      serving -= excess;
      total = desired;
    }

    const onDemand = distribution ? onDemandInstances(total, distribution) : total;
    onDemandMinutes += onDemand;
    spotMinutes += total - onDemand;
    if (total > peak) peak = total;
    if (desired >= max) atMax++;
  }

  const minutesOverSlo: ReplayResult['minutesOverSlo'] = {};
  for (let k = 0; k < needs.length; k++) {
    const { signal, level } = needs[k]!;
    const entry = (minutesOverSlo[signal] ??= { degraded: 0, critical: 0 });
    entry[level] = over[k]!;
  }
  const onDemandHours = onDemandMinutes / 60;
  const spotHours = spotMinutes / 60;
  return {
    instanceHours: onDemandHours + spotHours,
    onDemandHours,
    spotHours,
    costUsd: onDemandHours * config.prices.onDemandPerHour + spotHours * config.prices.spotPerHour,
    minutesOverSlo,
    ...(isWorker ? { peakQueueAgeSeconds: peakAge } : {}),
    peakInstances: peak,
    scalingActivities: activities,
    minutesAtMax: atMax,
  };
}

/** Many configurations through one prepared traffic. */
export function replayMany(
  prepared: PreparedReplay,
  configs: readonly ReplayConfig[],
): ReplayResult[] {
  return configs.map((config) => replay(prepared, config));
}

// The instances a load test makes the web group's scaling policy add: the group's recent
// recorded traffic replayed through its current configuration (the what-if model of
// `ballast scaling plan`), once as it was and once with the test's requests on top; the
// difference in instance-hours is the test's. The replay runs past the test's end by the
// time the group takes to scale back in, since those instances are billed too.
import { replay, type ReplayConfig, type ReplaySlo } from '../capacity/replay.js';
import { calibrateReplayModel, prepareRecorded } from '../changes/effect.js';
import type { RecordedSeries } from '../changes/ports.js';
import { arrivalStages, requestsPerSession } from './estimate.js';
import type { LoadProfile, LoadStep } from './profile.js';

/** Minutes after the test the replay keeps counting when the policy does not say (scale-in). */
export const DEFAULT_SCALE_IN_TAIL_MINUTES = 30;

/**
 * Requests a minute the test sends to the group, minute by minute: k6's arrival rate
 * (linear within each stage) times the requests of a session that reach it (`steps`).
 */
export function testRequestsPerMinute(profile: LoadProfile, steps: readonly LoadStep[]): number[] {
  const perSession = requestsPerSession(profile);
  const requests = steps.reduce((sum, s) => sum + perSession[s], 0);
  const { start, stages } = arrivalStages(profile);
  const total = stages.reduce((sum, s) => sum + s.seconds, 0);
  /** sessions a minute k6 starts `at` seconds in */
  const arrivals = (at: number): number => {
    let elapsed = 0;
    let from = start;
    for (const s of stages) {
      if (at <= elapsed + s.seconds) return from + ((s.target - from) * (at - elapsed)) / s.seconds;
      elapsed += s.seconds;
      from = s.target;
    }
    return from;
  };
  const minutes: number[] = [];
  for (let m = 0; m * 60 < total; m++) {
    const seconds = Math.min(60, total - m * 60);
    minutes.push(arrivals(m * 60 + seconds / 2) * requests * (seconds / 60));
  }
  return minutes;
}

export interface ExtraInstancesInput {
  /** the web group's recorded traffic, ending at or before `now` */
  recorded: RecordedSeries;
  /** the group as configured now (bounds, its target-tracking policy), as the what-if model takes it */
  current: ReplayConfig;
  slo: ReplaySlo;
  /** requests a minute the test adds, from its first minute */
  testRequestsPerMinute: readonly number[];
  /** when the test starts */
  now: number;
}

export type ExtraInstances =
  | {
      instanceHours: number;
      /** the most instances the group runs during the replay, with and without the test */
      peakInstances: { with: number; without: number };
      minutes: number;
      basis: string;
    }
  | { unavailable: string };

export function loadTestExtraInstances(input: ExtraInstancesInput): ExtraInstances {
  const { recorded, now } = input;
  const period = recorded.periodSeconds * 1000;
  const length = Object.values(recorded.values).find((a) => a)?.length ?? 0;
  const tail = input.current.policy
    ? Math.max(
        DEFAULT_SCALE_IN_TAIL_MINUTES,
        input.current.policy.scaleInCooldownMinutes + input.current.policy.warmupMinutes,
      )
    : DEFAULT_SCALE_IN_TAIL_MINUTES;
  const minutes = input.testRequestsPerMinute.length + tail;
  // the most recent recorded minutes stand for the traffic while the test runs
  const end = Math.min(length, Math.floor((now - recorded.start) / period));
  const first = end - minutes;
  const requests = recorded.values.requests;
  if (!requests || first < 0)
    return {
      unavailable: `Less than the ${minutes} recorded minutes of the group's traffic the estimate replays.`,
    };
  const slice = (a: Float64Array | undefined) => a?.slice(first, end);
  const baseline: RecordedSeries = {
    start: recorded.start + first * period,
    periodSeconds: recorded.periodSeconds,
    values: Object.fromEntries(
      Object.entries(recorded.values).map(([k, a]) => [k, slice(a)]),
    ) as RecordedSeries['values'],
  };
  const withTest = new Float64Array(baseline.values.requests!);
  input.testRequestsPerMinute.forEach((r, i) => {
    const x = withTest[i]!;
    withTest[i] = (Number.isFinite(x) ? x : 0) + (r * recorded.periodSeconds) / 60;
  });
  const loaded: RecordedSeries = {
    ...baseline,
    values: { ...baseline.values, requests: withTest },
  };
  // calibrated on the whole recorded window, as `ballast scaling plan` does
  const { model } = calibrateReplayModel('web', recorded);
  const without = replay(prepareRecorded('web', baseline, input.slo, model), input.current);
  const withIt = replay(prepareRecorded('web', loaded, input.slo, model), input.current);
  return {
    instanceHours: Math.max(0, withIt.instanceHours - without.instanceHours),
    peakInstances: { with: withIt.peakInstances, without: without.peakInstances },
    minutes,
    basis: `the what-if replay of the group's last ${minutes} recorded minutes through its current scaling configuration, with and without the test's requests (peak ${without.peakInstances} -> ${withIt.peakInstances} instances)`,
  };
}

// What every simulated resource sees when it simulates one minute.
import { STORED_PERCENTILES } from '../../metrics/metric-store.js';

export interface MinuteContext {
  /** epoch minute being simulated */
  minute: number;
  startMs: number;
  endMs: number;
  /** platform demand, 1 = a normal weekday's evening peak */
  demand: number;
  /** totals of the front tiers this minute, for the services behind them */
  load: PlatformLoad;
}

export interface PlatformLoad {
  /** requests per second offered to all web services */
  webRequestsPerSecond: number;
  /** sum of the web services' normal peaks, to express load as a multiple of normal */
  webPeakRequestsPerSecond: number;
  webInstances: number;
  /** jobs enqueued this minute, all worker queues */
  jobsSent: number;
  workerInstances: number;
  /** share of failed requests at the storefront (the first web service) */
  storefrontErrorRate: number;
}

export function emptyLoad(): PlatformLoad {
  return {
    webRequestsPerSecond: 0,
    webPeakRequestsPerSecond: 0,
    webInstances: 0,
    jobsSent: 0,
    workerInstances: 0,
    storefrontErrorRate: 0,
  };
}

/** A simulated resource: it writes its metrics for each minute. */
export interface SimulatedResource {
  readonly tier: string;
  simulateMinute(ctx: MinuteContext): void;
}

// Standard normal quantiles of the stored percentiles (p50, p90, p95, p99, p99.9).
const Z = [0, 1.2815516, 1.6448536, 2.3263479, 3.0902323];
if (Z.length !== STORED_PERCENTILES.length)
  throw new Error('keep Z in step with STORED_PERCENTILES');

/**
 * Percentiles of a log-normal with the given mean and spread (sigma of ln), written into
 * `out` in STORED_PERCENTILES order; returns `out`.
 */
export function logNormalPercentiles(mean: number, sigma: number, out: Float64Array): Float64Array {
  const median = mean * Math.exp((-sigma * sigma) / 2);
  for (let k = 0; k < Z.length; k++) out[k] = median * Math.exp(sigma * Z[k]!);
  return out;
}

/** Web traffic assumed for platforms without a web tier (the reference store's normal peak). */
const NOMINAL_PEAK_REQUESTS_PER_SECOND = 320;

/** Requests per second reaching the tiers behind the web tier this minute. */
export function webRequestsPerSecond(ctx: MinuteContext): number {
  const { load } = ctx;
  return load.webPeakRequestsPerSecond > 0
    ? load.webRequestsPerSecond
    : NOMINAL_PEAK_REQUESTS_PER_SECOND * ctx.demand;
}

/** Web traffic as a multiple of its normal peak. */
export function loadMultiple(ctx: MinuteContext): number {
  const { webRequestsPerSecond: rate, webPeakRequestsPerSecond: peak } = ctx.load;
  return peak > 0 ? rate / peak : ctx.demand;
}

export const clamp = (n: number, min: number, max: number): number =>
  Math.min(max, Math.max(min, n));

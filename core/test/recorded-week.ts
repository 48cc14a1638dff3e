// A recorded week of a web group whose instances behave exactly as the capacity model says,
// with the sandbox's reference sizes (an m6i.large serving 55 req/s at 100% CPU, 120 ms
// per request without queueing): what the effect tests calibrate and backtest against.
import { responseTimeQuantileMs, type RecordedSeries } from '../src/index.js';

export const WEB_REFERENCE = { serviceRatePerInstance: 55, baseServiceTimeMs: 120 };

/** Requests per second at minute m of the week: a day's swell from 60 to 300 req/s. */
export const diurnalRps = (m: number): number =>
  180 - 120 * Math.cos(((m % 1440) / 1440) * 2 * Math.PI);

/**
 * The week as CloudWatch would have recorded it: requests, CPU, p50/p99 response time,
 * desired and in-service capacity of a group held at the capacity a CPU target of
 * `targetCpu` converges to, a minute late (an idealized target tracking, independent of
 * the replay's own dynamics), with CPU and latency from the queueing model.
 */
export function recordedWebWeek(
  start: number,
  config: { min: number; max: number; targetCpu: number },
  days = 7,
): RecordedSeries {
  const n = days * 1440;
  const load = Float64Array.from({ length: n }, (_, m) => diurnalRps(m));
  const values = {
    requests: new Float64Array(n),
    cpu: new Float64Array(n),
    responseTimeP50: new Float64Array(n),
    responseTimeP99: new Float64Array(n),
    errors5xx: new Float64Array(n),
    desired: new Float64Array(n),
    inService: new Float64Array(n),
  };
  for (let m = 0; m < n; m++) {
    const wanted = Math.ceil(
      diurnalRps(Math.max(0, m - 1)) /
        (WEB_REFERENCE.serviceRatePerInstance * (config.targetCpu / 100)) -
        1e-9,
    );
    const desired = Math.min(config.max, Math.max(config.min, wanted));
    const rps = load[m]!;
    values.requests[m] = rps * 60;
    values.desired[m] = desired;
    values.inService[m] = desired;
    values.cpu[m] = Math.min(100, (100 * rps) / (desired * WEB_REFERENCE.serviceRatePerInstance));
    const input = { arrivalRate: rps, instances: desired, ...WEB_REFERENCE };
    values.responseTimeP50[m] = responseTimeQuantileMs(input, 0.5) / 1000;
    values.responseTimeP99[m] = responseTimeQuantileMs(input, 0.99) / 1000;
    values.errors5xx[m] = 0;
  }
  return { start, periodSeconds: 60, values };
}

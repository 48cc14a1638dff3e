// Queueing model of a pool of identical instances behind a load balancer. It turns offered
// load into the numbers an operator sees (CPU, response-time percentiles, error rate), so
// the sandbox can simulate a tier and what-if planning can ask "what if we had N instances".
//
// The model, in one paragraph: requests arrive as a Poisson stream at `arrivalRate`; each
// instance completes `serviceRatePerInstance` requests per second when its CPU is fully busy;
// the pool is an M/M/c queue with c = instances. A request's response time is its base
// service time (CPU plus downstream I/O when nothing queues, log-normally spread) plus its
// wait in the queue (Erlang C). M/M/c has no steady state at utilization >= 1, so from
// OVERLOAD_KNEE on, the queue terms are frozen at the knee and latency is blended towards
// the timeout, and the share of requests above capacity fails.

/** Outcome of offering a load to a pool of instances. */
export interface CapacityEstimate {
  /** offered load / capacity; above 1 means overload (Infinity when there are no instances) */
  utilization: number;
  /** CPU of an average instance, 0..100 */
  cpuPercent: number;
  /** requests per second answered successfully */
  throughput: number;
  /** probability that a request has to queue (Erlang C), 0..1 */
  waitProbability: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** share of requests that fail (timeouts, load shed under overload), 0..1 */
  errorRate: number;
}

export interface CapacityInput {
  /** offered load, requests per second */
  arrivalRate: number;
  /** requests per second one instance completes at 100% CPU */
  serviceRatePerInstance: number;
  /** instances in service (receiving traffic) */
  instances: number;
  /** mean response time of a request that does not queue, ms */
  baseServiceTimeMs: number;
  /** requests slower than this fail (load balancer or application timeout), ms */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Utilization above which M/M/c formulas are not used (they diverge at 1). */
export const OVERLOAD_KNEE = 0.97;

/** How fast latency approaches the timeout past the knee: 63% of the way at knee + this. */
const OVERLOAD_SCALE = 0.15;

/**
 * Spread (sigma of ln) of the base service time. 0.5 gives p50 ~ 0.88x, p90 ~ 1.7x and
 * p99 ~ 2.8x the mean, typical of a web request that touches a database and a cache.
 */
const BASE_TIME_SIGMA = 0.5;

/**
 * Erlang C: probability that an arriving request waits, for `servers` servers offered
 * `offeredLoad` erlangs (arrival rate / service rate of one server). 1 when the load is at
 * or above the number of servers.
 */
export function erlangC(servers: number, offeredLoad: number): number {
  if (!Number.isInteger(servers) || servers < 1)
    throw new RangeError('servers must be a positive integer');
  if (offeredLoad <= 0) return 0;
  if (offeredLoad >= servers) return 1;
  // Erlang B by its recurrence (stable for thousands of servers), then C from B.
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offeredLoad * b) / (k + offeredLoad * b);
  const rho = offeredLoad / servers;
  return b / (1 - rho * (1 - b));
}

/** Estimate utilization, latency percentiles and errors for one load on one pool. */
export function estimateCapacity(input: CapacityInput): CapacityEstimate {
  const shape = queueShape(input);
  return {
    utilization: shape.utilization,
    cpuPercent: shape.cpuPercent,
    throughput: input.arrivalRate * (1 - shape.errorRate),
    waitProbability: shape.waitProbability,
    meanMs: shape.blend(shape.meanAtKneeMs, 0.5),
    p50Ms: responseTimeAt(shape, 0.5),
    p90Ms: responseTimeAt(shape, 0.9),
    p99Ms: responseTimeAt(shape, 0.99),
    errorRate: shape.errorRate,
  };
}

/**
 * Response time at any quantile q (0 < q < 1), ms. It adds the quantile of the base time
 * and the quantile of the queue wait, which slightly overstates the quantile of their sum:
 * a conservative choice for capacity planning.
 */
export function responseTimeQuantileMs(input: CapacityInput, q: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError('quantile must be between 0 and 1 (exclusive)');
  return responseTimeAt(queueShape(input), q);
}

interface QueueShape {
  utilization: number;
  cpuPercent: number;
  waitProbability: number;
  errorRate: number;
  meanAtKneeMs: number;
  /** mean of the base service time, ms */
  baseMs: number;
  /** rate at which the wait tail decays, 1/ms (c*mu - lambda at the effective load) */
  drainPerMs: number;
  timeoutMs: number;
  /** moves a latency towards the timeout by the overload severity, weighted by quantile */
  blend(latencyMs: number, q: number): number;
}

function queueShape(input: CapacityInput): QueueShape {
  const { arrivalRate, serviceRatePerInstance: mu, instances, baseServiceTimeMs } = input;
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(arrivalRate >= 0)) throw new RangeError('arrivalRate must be >= 0');
  if (!(mu > 0)) throw new RangeError('serviceRatePerInstance must be > 0');
  if (!(instances >= 0) || !Number.isInteger(instances))
    throw new RangeError('instances must be an integer >= 0');
  if (!(baseServiceTimeMs > 0)) throw new RangeError('baseServiceTimeMs must be > 0');

  const capacity = instances * mu;
  if (arrivalRate === 0) {
    return {
      utilization: 0,
      cpuPercent: 0,
      waitProbability: 0,
      errorRate: 0,
      meanAtKneeMs: baseServiceTimeMs,
      baseMs: baseServiceTimeMs,
      drainPerMs: Infinity,
      timeoutMs,
      blend: (latency) => latency,
    };
  }
  if (capacity === 0) {
    // Nobody to serve: every request waits for the timeout and fails.
    return {
      utilization: Infinity,
      cpuPercent: 0,
      waitProbability: 1,
      errorRate: 1,
      meanAtKneeMs: timeoutMs,
      baseMs: baseServiceTimeMs,
      drainPerMs: Infinity,
      timeoutMs,
      blend: () => timeoutMs,
    };
  }

  const utilization = arrivalRate / capacity;
  const effectiveRate = Math.min(arrivalRate, OVERLOAD_KNEE * capacity);
  const waitProbability = erlangC(instances, effectiveRate / mu);
  const drainPerSecond = capacity - effectiveRate;
  const drainPerMs = drainPerSecond / 1000;
  const meanWaitMs = waitProbability / drainPerMs;

  // Overload severity: 0 up to the knee, approaching 1 as the pool drowns.
  const severity =
    utilization > OVERLOAD_KNEE ? 1 - Math.exp(-(utilization - OVERLOAD_KNEE) / OVERLOAD_SCALE) : 0;
  // Requests above capacity are shed (they time out); below, only the extreme tail can.
  const shed = Math.max(0, 1 - 1 / utilization);
  const tailTimeouts =
    waitProbability * Math.exp(-drainPerMs * Math.max(0, timeoutMs - baseServiceTimeMs));
  const errorRate = Math.min(1, shed + tailTimeouts);

  return {
    utilization,
    cpuPercent: 100 * Math.min(1, utilization),
    waitProbability,
    errorRate,
    meanAtKneeMs: baseServiceTimeMs + meanWaitMs,
    baseMs: baseServiceTimeMs,
    drainPerMs,
    timeoutMs,
    // Higher quantiles reach the timeout sooner than the median does.
    blend: (latency, q) => Math.min(timeoutMs, latency + (timeoutMs - latency) * severity * q),
  };
}

function responseTimeAt(shape: QueueShape, q: number): number {
  const base =
    shape.baseMs *
    Math.exp(BASE_TIME_SIGMA * normalQuantile(q) - (BASE_TIME_SIGMA * BASE_TIME_SIGMA) / 2);
  // P(wait > t) = C * exp(-(c*mu - lambda) t), so the q-quantile of the wait is 0 while
  // 1 - q >= C, else ln(C / (1 - q)) / (c*mu - lambda).
  const tail = 1 - q;
  const wait =
    shape.waitProbability > tail && Number.isFinite(shape.drainPerMs)
      ? Math.log(shape.waitProbability / tail) / shape.drainPerMs
      : 0;
  return shape.blend(Math.min(shape.timeoutMs, base + wait), q);
}

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error
 * below 1.2e-9): quantiles of the log-normal base service time here, prediction intervals
 * elsewhere.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError('p must be between 0 and 1 (exclusive)');
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const poly = (k: number[], x: number) => k.reduce((acc, coef) => acc * x + coef, 0);
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

// A Lambda function (the thumbnailer): invoked for each converted 3D model and for product
// image uploads. Bursts beyond its reserved concurrency are throttled.
import type { Dimension } from '@ballast/core';
import type { MetricSeries, MetricStore } from '../../metrics/metric-store.js';
import type { Random } from '../../random.js';
import { logNormalPercentiles, type MinuteContext, type SimulatedResource } from './minute.js';

export interface LambdaFunctionSpec {
  tier: string;
  functionName: string;
  /** invocations per minute at a normal evening peak, besides those from jobs */
  peakInvocationsPerMinute: number;
  /** invocations per job enqueued in the tier's queue */
  invocationsPerJob: number;
  meanDurationMs: number;
  reservedConcurrency: number;
  errorRate: number;
}

/** Invocations arrive in bursts: peak concurrency over the minute vs. the average. */
const BURSTINESS = 2;

export class LambdaFunction implements SimulatedResource {
  readonly tier: string;
  private readonly series: Record<
    'invocations' | 'errors' | 'duration' | 'throttles' | 'concurrent',
    MetricSeries
  >;
  private readonly pct = new Float64Array(5);

  constructor(
    readonly spec: LambdaFunctionSpec,
    store: MetricStore,
    private readonly random: Random,
    /** jobs enqueued this minute by the tier's worker queue, if it has one */
    private readonly jobsThisMinute: () => number,
  ) {
    this.tier = spec.tier;
    const dims: Dimension[] = [{ name: 'FunctionName', value: spec.functionName }];
    const define = (metricName: string, unit: string, kind: 'value' | 'distribution' = 'value') =>
      store.define({ namespace: 'AWS/Lambda', metricName, dimensions: dims, unit, kind });
    this.series = {
      invocations: define('Invocations', 'Count'),
      errors: define('Errors', 'Count'),
      duration: define('Duration', 'Milliseconds', 'distribution'),
      throttles: define('Throttles', 'Count'),
      concurrent: define('ConcurrentExecutions', 'Count'),
    };
  }

  simulateMinute(ctx: MinuteContext): void {
    const r = this.random;
    const { spec } = this;
    const wanted = r.poisson(
      spec.peakInvocationsPerMinute * ctx.demand + spec.invocationsPerJob * this.jobsThisMinute(),
    );
    const meanMs = spec.meanDurationMs * (1 + 0.08 * r.normal());
    const concurrency = ((wanted / 60) * meanMs * BURSTINESS) / 1000;
    const throttled =
      concurrency > spec.reservedConcurrency
        ? Math.round(wanted * (1 - spec.reservedConcurrency / concurrency))
        : 0;
    const invocations = wanted - throttled;
    const m = ctx.minute;
    this.series.invocations.recordValue(m, invocations);
    this.series.throttles.recordValue(m, throttled);
    this.series.errors.recordValue(m, r.poisson(invocations * spec.errorRate));
    this.series.concurrent.recordValue(
      m,
      Math.min(spec.reservedConcurrency, Math.ceil(concurrency)),
    );
    if (invocations > 0) {
      const p = logNormalPercentiles(meanMs, 0.35, this.pct);
      this.series.duration.recordStats(
        m,
        invocations * meanMs,
        invocations,
        p[0]! * 0.3,
        p[4]! * 1.4,
        p,
      );
    } else {
      this.series.duration.recordStats(m, 0, 0, 0, 0);
    }
  }
}

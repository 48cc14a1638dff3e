// A web tier: an Application Load Balancer in front of an Auto Scaling group (or a group
// alone, for an internal service). Offered load comes from platform demand plus real
// storefront requests; CPU, response times and 5xx follow from the group's healthy capacity
// through the core capacity model.
import {
  estimateCapacity,
  responseTimeQuantileMs,
  type CapacityEstimate,
  type CapacityInput,
  type Dimension,
} from '@ballast/core';
import type { MetricSeries, MetricStore } from '../../metrics/metric-store.js';
import type { Random } from '../../random.js';
import { MINUTE_MS } from '../../time.js';
import type { AutoScalingGroup } from '../auto-scaling-group.js';
import type { IncidentSchedule } from '../incidents.js';
import { clamp, type MinuteContext, type SimulatedResource } from './minute.js';

export interface WebServiceSpec {
  tier: string;
  /** the load balancer in front, absent for an internal service */
  alb?: {
    /** LoadBalancer dimension, app/<name>/<id> */
    loadBalancer: string;
    /** TargetGroup dimension, targetgroup/<name>/<id> */
    targetGroup: string;
  };
  /** offered load at a normal weekday's evening peak */
  peakRequestsPerSecond: number;
  /** requests per second one instance serves at 100% CPU */
  serviceRatePerInstance: number;
  baseServiceTimeMs: number;
  /** the application's request timeout: slower requests fail */
  timeoutMs: number;
}

const CLIENT_ERROR_RATE = 0.012; // 4xx: missing models, expired carts, bots
const BASELINE_TARGET_5XX = 0.0002;
const BASELINE_ELB_5XX = 0.00002;
/** Under overload, the share of failures the load balancer answers itself (504/503). */
const OVERLOAD_ELB_SHARE = 0.6;
const IDLE_CPU_PERCENT = 1.5;

export class WebService implements SimulatedResource {
  readonly tier: string;
  /** capacity model input and estimate of the last simulated minute (the storefront's
   *  latency follows them) */
  lastInput: CapacityInput | undefined;
  lastEstimate: CapacityEstimate | undefined;
  private storefrontRequests = 0;
  private unhealthyForIncident = Number.NaN;
  /** share of requests answered 5xx in the last simulated minute */
  lastErrorRate = 0;
  private readonly lb:
    | Record<
        'requests' | 'target5xx' | 'elb5xx' | 'target4xx' | 'responseTime' | 'connections',
        MetricSeries
      >
    | undefined;
  private readonly tg:
    | Record<
        | 'requests'
        | 'requestsPerTarget'
        | 'target5xx'
        | 'target4xx'
        | 'responseTime'
        | 'healthy'
        | 'unhealthy',
        MetricSeries
      >
    | undefined;
  private readonly cpu: MetricSeries;
  private readonly pct = new Float64Array(5);

  constructor(
    readonly spec: WebServiceSpec,
    readonly group: AutoScalingGroup,
    store: MetricStore,
    private readonly random: Random,
    private readonly badReleases: IncidentSchedule,
  ) {
    this.tier = spec.tier;
    if (spec.alb) {
      const lbDims: Dimension[] = [{ name: 'LoadBalancer', value: spec.alb.loadBalancer }];
      const tgDims: Dimension[] = [{ name: 'TargetGroup', value: spec.alb.targetGroup }, ...lbDims];
      const alb = (
        metricName: string,
        dimensions: Dimension[],
        unit: string,
        kind: 'value' | 'distribution' = 'value',
      ) => store.define({ namespace: 'AWS/ApplicationELB', metricName, dimensions, unit, kind });
      this.lb = {
        requests: alb('RequestCount', lbDims, 'Count'),
        target5xx: alb('HTTPCode_Target_5XX_Count', lbDims, 'Count'),
        elb5xx: alb('HTTPCode_ELB_5XX_Count', lbDims, 'Count'),
        target4xx: alb('HTTPCode_Target_4XX_Count', lbDims, 'Count'),
        responseTime: alb('TargetResponseTime', lbDims, 'Seconds', 'distribution'),
        connections: alb('ActiveConnectionCount', lbDims, 'Count'),
      };
      this.tg = {
        requests: alb('RequestCount', tgDims, 'Count'),
        // By target group alone, as ALBRequestCountPerTarget scaling reads it (Sum only).
        requestsPerTarget: alb(
          'RequestCountPerTarget',
          [{ name: 'TargetGroup', value: spec.alb.targetGroup }],
          'None',
        ),
        target5xx: alb('HTTPCode_Target_5XX_Count', tgDims, 'Count'),
        target4xx: alb('HTTPCode_Target_4XX_Count', tgDims, 'Count'),
        responseTime: alb('TargetResponseTime', tgDims, 'Seconds', 'distribution'),
        healthy: alb('HealthyHostCount', tgDims, 'Count'),
        unhealthy: alb('UnHealthyHostCount', tgDims, 'Count'),
      };
    }
    this.cpu = store.define({
      namespace: 'AWS/EC2',
      metricName: 'CPUUtilization',
      dimensions: [{ name: 'AutoScalingGroupName', value: group.name }],
      unit: 'Percent',
      kind: 'stats',
    });
  }

  /** Count requests the real storefront served; they add to the next simulated minute. */
  addStorefrontRequests(count: number): void {
    this.storefrontRequests += count;
  }

  simulateMinute(ctx: MinuteContext): void {
    const { minute } = ctx;
    const incident = this.badReleases.at(ctx.startMs);
    if (
      incident &&
      incident.severity > 0.5 &&
      this.unhealthyForIncident !== incident.startMs &&
      ctx.startMs - incident.startMs >= 5 * MINUTE_MS
    ) {
      // A bad release that crashes a host: the ALB marks it unhealthy, the group replaces it.
      if (this.group.failHealthCheck(ctx.startMs)) this.unhealthyForIncident = incident.startMs;
    }

    const arrivalRate = this.spec.peakRequestsPerSecond * ctx.demand + this.storefrontRequests / 60;
    this.storefrontRequests = 0;
    let inService = 0;
    let healthy = 0;
    for (const i of this.group.instances) {
      if (i.state !== 'InService') continue;
      inService++;
      if (i.healthy) healthy++;
    }
    const input: CapacityInput = {
      arrivalRate,
      serviceRatePerInstance: this.spec.serviceRatePerInstance,
      instances: healthy,
      baseServiceTimeMs: this.spec.baseServiceTimeMs * (incident ? 1.2 + 2.8 * incident.detail : 1),
      timeoutMs: this.spec.timeoutMs,
    };
    const estimate = estimateCapacity(input);
    this.lastInput = input;
    this.lastEstimate = estimate;

    const r = this.random;
    const requests = r.poisson(arrivalRate * 60);
    const releaseErrors = incident ? 0.02 + 0.07 * incident.severity : 0;
    const elb5xx = r.poisson(
      requests * (estimate.errorRate * OVERLOAD_ELB_SHARE + BASELINE_ELB_5XX),
    );
    const target5xx = r.poisson(
      requests *
        (estimate.errorRate * (1 - OVERLOAD_ELB_SHARE) + releaseErrors + BASELINE_TARGET_5XX),
    );
    const target4xx = r.poisson(requests * CLIENT_ERROR_RATE);
    const answeredByTargets = Math.max(0, requests - elb5xx);

    this.lastErrorRate = requests > 0 ? (elb5xx + target5xx) / requests : 0;
    if (this.lb && this.tg) {
      this.lb.requests.recordValue(minute, requests);
      this.tg.requests.recordValue(minute, requests);
      this.tg.requestsPerTarget.recordValue(minute, healthy > 0 ? requests / healthy : 0);
      this.lb.target5xx.recordValue(minute, target5xx);
      this.tg.target5xx.recordValue(minute, target5xx);
      this.lb.target4xx.recordValue(minute, target4xx);
      this.tg.target4xx.recordValue(minute, target4xx);
      this.lb.elb5xx.recordValue(minute, elb5xx);
      this.lb.connections.recordValue(
        minute,
        Math.round(arrivalRate * 3 * (1 + 0.05 * r.normal())),
      );
      this.tg.healthy.recordValue(minute, healthy);
      this.tg.unhealthy.recordValue(minute, inService - healthy);
      this.recordResponseTimes(
        minute,
        input,
        estimate,
        answeredByTargets,
        this.lb.responseTime,
        this.tg.responseTime,
      );
    }

    if (inService > 0) {
      const avg = clamp(estimate.cpuPercent * (1 + 0.02 * r.normal()) + IDLE_CPU_PERCENT, 0, 100);
      const spread = 0.06 + 0.04 * r.next();
      this.cpu.recordStats(
        minute,
        avg * inService,
        inService,
        clamp(avg * (1 - spread), 0, 100),
        clamp(avg * (1 + spread), 0, 100),
      );
    } else {
      this.cpu.recordStats(minute, 0, 0, 0, 0);
    }

    ctx.load.webRequestsPerSecond += arrivalRate;
    ctx.load.webPeakRequestsPerSecond += this.spec.peakRequestsPerSecond;
    ctx.load.webInstances += inService;
  }

  private recordResponseTimes(
    minute: number,
    input: CapacityInput,
    estimate: CapacityEstimate,
    answered: number,
    ...series: MetricSeries[]
  ): void {
    if (answered === 0) {
      for (const s of series) s.recordStats(minute, 0, 0, 0, 0);
      return;
    }
    const jitter = 1 + 0.03 * this.random.normal();
    const p = this.pct;
    p[0] = (estimate.p50Ms * jitter) / 1000;
    p[1] = (estimate.p90Ms * jitter) / 1000;
    p[2] = (responseTimeQuantileMs(input, 0.95) * jitter) / 1000;
    p[3] = (estimate.p99Ms * jitter) / 1000;
    p[4] = (responseTimeQuantileMs(input, 0.999) * jitter) / 1000;
    const sum = (answered * estimate.meanMs * jitter) / 1000;
    const min = (input.baseServiceTimeMs * 0.08) / 1000;
    const max = Math.min(this.spec.timeoutMs / 1000, p[4]! * 1.5);
    for (const s of series) s.recordStats(minute, sum, answered, min, max, p);
  }
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlatformConfig } from '../config/platform-config.js';
import {
  PlatformHealthSchema,
  type Alarm,
  type Series,
  type SourceStatus,
} from '../model/health.js';
import type { PlatformConfig } from '../model/platform.js';
import { HEALTH_SOURCES } from '../format/sources.js';
import { tierQueries } from './catalog.js';
import { evaluateHealth, judge, latestComplete, type EvaluateHealthInput } from './evaluate.js';
import { resourceLabel } from './resources.js';

// --- fixtures: the reference platform with chosen values per catalog role -------------

const referenceConfig: PlatformConfig = parsePlatformConfig(
  readFileSync(new URL('../../platforms/sandbox.yaml', import.meta.url), 'utf8'),
  'sandbox.yaml',
);

/** 12:00:30 UTC: the 12:00 minute is still filling, 11:59 is the latest complete one. */
const NOW = Date.UTC(2025, 10, 28, 12, 0, 30);
const MINUTE = 60_000;
const WINDOW = { start: NOW - 3_600_000, end: NOW };
const FILLING = NOW - (NOW % MINUTE);
const LATEST_COMPLETE = FILLING - MINUTE;

/** A healthy store at 60 s periods: 1,000 req/s on the ALB, 0.1% 5xx, p99 250 ms, CPU 40%... */
const HEALTHY: Record<string, number> = {
  requests: 60_000,
  target5xx: 60,
  elb5xx: 0,
  responseTimeP99: 0.25,
  cpuAverage: 40,
  deleted: 300,
  invocations: 500,
  errors: 1,
  oldestAge: 30,
  readLatency: 0.005,
  cpu: 30,
  engineCpu: 20,
  succeeded: 2_000,
  throttled: 0,
  latency: 4,
  healthStatus: 1,
  healthyHosts: 4,
  errorRate5xx: 0.2,
  originLatencyP90: 120,
};

interface SeriesOptions {
  /** per role (or role@resource), for every minute */
  values?: Partial<Record<string, number>>;
  /** per role, for the last three complete minutes (a sustained change) */
  recent?: Partial<Record<string, number>>;
  /** per role, for the latest complete minute only (a one-minute blip) */
  latest?: Partial<Record<string, number>>;
  /** per role, for the minute still filling only */
  filling?: Partial<Record<string, number>>;
  /** roles with no datapoints at all */
  missing?: string[];
}

/** One point per minute over the window for every planned query of the reference platform. */
function seriesFor(options: SeriesOptions = {}): Series[] {
  const values = { ...HEALTHY, ...options.values };
  const out = new Map<string, Series>();
  for (const tier of referenceConfig.tiers) {
    for (const { resource, spec, query } of tierQueries(tier, { periodSeconds: 60 })) {
      if (options.missing?.includes(spec.role)) continue;
      // `role@resource` overrides one resource only, e.g. cpuAverage@store-web
      const pick = (overrides?: Partial<Record<string, number>>) =>
        overrides?.[`${spec.role}@${resourceLabel(resource)}`] ?? overrides?.[spec.role];
      const points = [];
      for (let t = WINDOW.start - (WINDOW.start % MINUTE); t <= NOW; t += MINUTE) {
        const recent = t <= LATEST_COMPLETE && t > LATEST_COMPLETE - 3 * MINUTE;
        const override =
          (t === LATEST_COMPLETE ? pick(options.latest) : undefined) ??
          (recent ? pick(options.recent) : undefined) ??
          (t === FILLING ? pick(options.filling) : undefined);
        points.push({ t, v: override ?? pick(values) ?? 1 });
      }
      out.set(query.id, {
        id: query.id,
        label: query.label,
        unit: query.unit,
        partial: false,
        points,
      });
    }
  }
  return [...out.values()];
}

const okSources: SourceStatus[] = Object.values(HEALTH_SOURCES).map((source) => ({
  source,
  ok: true,
  fetchedAt: NOW,
}));

function evaluate(over: Partial<EvaluateHealthInput> = {}) {
  return evaluateHealth({
    config: referenceConfig,
    context: 'sandbox',
    series: seriesFor(),
    alarms: [],
    groups: [],
    activities: [],
    sources: okSources,
    window: WINDOW,
    now: NOW,
    periodSeconds: 60,
    ...over,
  });
}

const tierOf = (health: ReturnType<typeof evaluate>, id: string) => {
  const tier = health.tiers.find((t) => t.tier === id);
  if (!tier) throw new Error(`no tier ${id}`);
  return tier;
};

const alarm = (over: Partial<Alarm>): Alarm => ({
  name: 'store-web-high-cpu',
  state: 'ALARM',
  stateReason: 'Threshold Crossed: 3 datapoints were greater than the threshold (85.0).',
  stateUpdatedAt: NOW - 5 * MINUTE,
  namespace: 'AWS/EC2',
  metricName: 'CPUUtilization',
  dimensions: [{ name: 'AutoScalingGroupName', value: 'store-web' }],
  ...over,
});

// --- tests -------------------------------------------------------------------------

describe('evaluateHealth', () => {
  it("given the AWS/AutoScaling group metrics, then each scaling tier carries its groups' capacity over the window", () => {
    const health = evaluate({
      series: seriesFor({
        values: { desired: 20, inServiceCapacity: 18, inService: 18, maxSize: 20 },
      }),
      groups: [
        {
          name: 'store-workers',
          min: 1,
          max: 20,
          desired: 20,
          inService: 18,
          onDemand: 0,
          spot: 18,
          distribution: { onDemandBaseCapacity: 0, onDemandPercentageAboveBaseCapacity: 0 },
        },
      ],
    });
    expect(tierOf(health, 'edge').capacity).toEqual([]);
    const [workers] = tierOf(health, 'workers').capacity ?? [];
    expect(workers?.group).toBe('store-workers');
    expect(workers?.split).toBe('distribution');
    expect(workers?.points.at(-1)).toMatchObject({ desired: 20, inService: 18, max: 20, spot: 18 });
    // Pinned at the maximum the whole window.
    expect(workers?.atMax).toHaveLength(1);
    // The web group was not described: its history is there, its split is not guessed.
    const [web] = tierOf(health, 'web').capacity ?? [];
    expect(web?.split).toBe('unknown');
    expect(web?.points.at(-1)).not.toHaveProperty('spot');
  });

  it('given a spot interruption metric and a queue, then capacity carries the warnings and the tier its queue depth', () => {
    const health = evaluate({
      series: seriesFor({
        values: {
          desired: 10,
          inServiceCapacity: 10,
          maxSize: 20,
          visible: 1_200,
          spotInterruptions: 0,
        },
        latest: { spotInterruptions: 3 },
      }),
    });
    const [workers] = tierOf(health, 'workers').capacity ?? [];
    expect(workers?.interruptionsCounted).toBe(true);
    // Only the periods with warnings carry them: an event, not a level.
    expect(workers?.points.filter((p) => p.interruptions !== undefined)).toEqual([
      expect.objectContaining({ t: LATEST_COMPLETE, interruptions: 3 }),
    ]);
    expect(tierOf(health, 'workers').queues).toEqual([
      { queue: 'model-jobs', points: expect.arrayContaining([{ t: LATEST_COMPLETE, v: 1_200 }]) },
    ]);
    expect(tierOf(health, 'web')).not.toHaveProperty('queues');
    expect(PlatformHealthSchema.parse(health)).toEqual(health);
  });

  it('given only the instance group metrics, then in service falls back to GroupInServiceInstances', () => {
    const health = evaluate({
      series: seriesFor({ values: { inService: 7 }, missing: ['inServiceCapacity'] }),
    });
    expect(tierOf(health, 'web').capacity?.[0]?.points.at(-1)?.inService).toBe(7);
  });

  it('given a healthy store, then every tier is ok with no reasons and all four signals where measurable', () => {
    const health = evaluate();
    expect(PlatformHealthSchema.parse(health)).toEqual(health);
    expect(health.status).toBe('ok');
    expect(health.tiers.map((t) => [t.tier, t.status, t.reasons])).toEqual([
      ['edge', 'ok', []],
      ['web', 'ok', []],
      ['workers', 'ok', []],
      ['data', 'ok', []],
    ]);
    expect(
      tierOf(health, 'web').signals.map((s) => [s.signal, s.label, s.unit, s.current, s.status]),
    ).toEqual([
      ['traffic', 'Requests', 'req/min', 60_000, 'ok'],
      ['errors', '5xx error rate', '%', 0.1, 'ok'],
      ['latency', 'p99 target response time', 'ms', 250, 'ok'],
      ['saturation', 'Average CPU', '%', 40, 'ok'],
    ]);
    expect(tierOf(health, 'edge').signals.map((s) => s.signal)).toEqual([
      'traffic',
      'errors',
      'latency',
    ]);
  });

  it('then signals carry their points within the window and their SLO threshold for charts', () => {
    const errors = tierOf(evaluate(), 'web').signals.find((s) => s.signal === 'errors');
    expect(errors?.threshold).toEqual({ degraded: 0.5, critical: 2 });
    expect(errors?.points).toHaveLength(61);
    // the first minute starts 30 s before the window but overlaps it, so it is charted
    expect(errors?.points[0]?.t).toBe(WINDOW.start - 30_000);
    expect(errors?.points.at(-1)?.t).toBe(FILLING);
  });

  it.each([
    {
      given: 'web 5xx at 3.2% of requests (target + ELB)',
      recent: { target5xx: 1_500, elb5xx: 420 },
      tier: 'web',
      status: 'critical',
      reason:
        '5xx error rate has been above the 2% critical SLO for the last 3 datapoints (now 3.2%, 11:59 UTC)',
    },
    {
      given: 'web p99 at 0.64 s',
      recent: { responseTimeP99: 0.64 },
      tier: 'web',
      status: 'degraded',
      reason:
        'p99 target response time has been above the 500 ms degraded SLO for the last 3 datapoints (now 640 ms, 11:59 UTC)',
    },
    {
      given: 'web CPU at 95%',
      recent: { 'cpuAverage@store-web': 95 },
      tier: 'web',
      status: 'critical',
      reason:
        'Average CPU has been above the 92% critical SLO for the last 3 datapoints (now 95%, 11:59 UTC)',
    },
    {
      given: 'the oldest model job waiting 10 minutes',
      recent: { oldestAge: 600 },
      tier: 'workers',
      status: 'degraded',
      reason:
        'Oldest message age has been above the 5 min degraded SLO for the last 3 datapoints (now 10 min, 11:59 UTC)',
    },
    {
      given: '6% of thumbnailer invocations failing',
      recent: { errors: 30 },
      tier: 'workers',
      status: 'critical',
      reason:
        'Failed invocations has been above the 5% critical SLO for the last 3 datapoints (now 6%, 11:59 UTC)',
    },
    {
      given: 'DynamoDB throttling 0.5% of requests',
      recent: { throttled: 2, succeeded: 398 },
      tier: 'data',
      status: 'degraded',
      reason:
        'Throttled requests has been above the 0.1% degraded SLO for the last 3 datapoints (now 0.5%, 11:59 UTC)',
    },
    {
      given: 'RDS read latency 75 ms',
      recent: { readLatency: 0.075 },
      tier: 'data',
      status: 'critical',
      reason:
        'Database read latency has been above the 60 ms critical SLO for the last 3 datapoints (now 75 ms, 11:59 UTC)',
    },
    {
      given: 'CloudFront answering 1.5% 5xx',
      recent: { errorRate5xx: 1.5 },
      tier: 'edge',
      status: 'degraded',
      reason:
        '5xx error rate has been above the 1% degraded SLO for the last 3 datapoints (now 1.5%, 11:59 UTC)',
    },
    {
      given: 'the Route 53 health check failing',
      recent: { healthStatus: 0 },
      tier: 'edge',
      status: 'critical',
      reason:
        'Route 53 health check 3f1c0b8e-7a2d-4c55-9e1b-5d6f7a8b9c01 reports the store unhealthy (11:59 UTC)',
    },
  ])(
    'given $given, when evaluated, then $tier is $status and says why',
    ({ recent, tier, status, reason }) => {
      const health = evaluate({ series: seriesFor({ recent }) });
      expect(tierOf(health, tier)).toMatchObject({ status, reasons: [reason] });
      expect(health.status).toBe(status);
      expect(health.tiers.filter((t) => t.tier !== tier).every((t) => t.status === 'ok')).toBe(
        true,
      );
    },
  );

  it('given a breach in the latest minute only, then it shows as current but is not a breach yet', () => {
    // One failed invocation out of a few dozen is a blip, not an incident.
    const health = evaluate({ series: seriesFor({ latest: { errors: 30 } }) });
    const errors = tierOf(health, 'workers').signals.find((s) => s.signal === 'errors');
    expect(errors).toMatchObject({ status: 'ok', current: 6 });
    expect(tierOf(health, 'workers').status).toBe('ok');
  });

  it('given a spike only in the minute still filling, then it is ignored (the latest complete datapoint counts)', () => {
    const health = evaluate({ series: seriesFor({ filling: { target5xx: 30_000 } }) });
    const errors = tierOf(health, 'web').signals.find((s) => s.signal === 'errors');
    expect(errors).toMatchObject({ status: 'ok', current: 0.1 });
    expect(errors?.points.at(-1)).toEqual({ t: FILLING, v: 50 });
  });

  it('given 5xx counts missing (CloudWatch omits zero sums), then the error rate is 0%', () => {
    const health = evaluate({ series: seriesFor({ missing: ['target5xx', 'elb5xx'] }) });
    expect(tierOf(health, 'web').signals.find((s) => s.signal === 'errors')).toMatchObject({
      current: 0,
      status: 'ok',
    });
  });

  it('given no ALB data at all, then web is unknown and says which data is missing', () => {
    const health = evaluate({
      series: seriesFor({ missing: ['requests', 'target5xx', 'elb5xx', 'responseTimeP99'] }),
    });
    expect(tierOf(health, 'web')).toMatchObject({
      status: 'unknown',
      reasons: [
        'No 5xx error rate data in the last 1h (store-alb)',
        'No p99 target response time data in the last 1h (store-alb)',
      ],
    });
    // traffic has no SLO: its missing data shows on the signal but does not change the tier
    expect(tierOf(health, 'web').signals[0]).toMatchObject({
      signal: 'traffic',
      current: null,
      status: 'unknown',
    });
  });

  it('given a firing alarm on a web resource, then web is at least degraded with a reason naming the alarm', () => {
    const health = evaluate({
      alarms: [
        alarm({}),
        alarm({
          name: 'carts-ok',
          state: 'OK',
          dimensions: [{ name: 'TableName', value: 'carts' }],
        }),
      ],
    });
    expect(tierOf(health, 'web')).toMatchObject({
      status: 'degraded',
      reasons: [
        'Alarm "store-web-high-cpu" is firing: Threshold Crossed: 3 datapoints were greater than the threshold (85.0).',
      ],
      alarms: [expect.objectContaining({ name: 'store-web-high-cpu', tier: 'web' })],
    });
    expect(tierOf(health, 'data')).toMatchObject({
      status: 'ok',
      alarms: [expect.objectContaining({ name: 'carts-ok', tier: 'data' })],
    });
    expect(health.firingAlarms?.map((a) => [a.name, a.tier])).toEqual([
      ['store-web-high-cpu', 'web'],
    ]);
  });

  it('given a target-tracking scale-in alarm in ALARM, then it is listed with its tier but is not a health problem', () => {
    const scaleIn = alarm({
      name: 'TargetTracking-store-workers-AlarmLow-086b5777-4196-47be-bf41-182d84a36430',
      description:
        'DO NOT EDIT OR DELETE. For TargetTrackingScaling policy arn:aws:autoscaling:...',
      dimensions: [{ name: 'AutoScalingGroupName', value: 'store-workers' }],
    });
    const health = evaluate({ alarms: [scaleIn] });
    expect(tierOf(health, 'workers')).toMatchObject({
      status: 'ok',
      reasons: [],
      alarms: [expect.objectContaining({ name: scaleIn.name })],
    });
    expect(health.firingAlarms).toEqual([]);
  });

  it('given a firing alarm and a critical SLO breach, then the tier is critical and the critical reason comes first', () => {
    const health = evaluate({
      alarms: [alarm({})],
      series: seriesFor({ recent: { cpuAverage: 99 } }),
    });
    expect(tierOf(health, 'web').status).toBe('critical');
    expect(tierOf(health, 'web').reasons[0]).toMatch(
      /^Average CPU has been above the 92% critical SLO/,
    );
    expect(tierOf(health, 'web').reasons[1]).toMatch(/^Alarm "store-web-high-cpu" is firing/);
  });

  it('given an alarm on the load balancer by its LoadBalancer dimension, then it is matched to web', () => {
    const albAlarm = alarm({
      name: 'alb-5xx',
      namespace: 'AWS/ApplicationELB',
      dimensions: [{ name: 'LoadBalancer', value: 'app/store-alb/50dc6c495c0c9188' }],
    });
    expect(evaluate({ alarms: [albAlarm] }).firingAlarms?.[0]?.tier).toBe('web');
  });

  it('given alarms on signal metrics, then each reading carries the thresholds it can draw, in its unit', () => {
    const p99 = alarm({
      name: 'store-alb-p99-latency',
      namespace: 'AWS/ApplicationELB',
      metricName: 'TargetResponseTime',
      dimensions: [{ name: 'LoadBalancer', value: 'app/store-alb/50dc6c495c0c9188' }],
      statistic: 'p99',
      threshold: 1.2,
      comparison: 'GreaterThanThreshold',
    });
    const scaleOut = alarm({
      name: 'TargetTracking-store-web-AlarmHigh-26b986a7',
      state: 'OK',
      statistic: 'Average',
      threshold: 70,
    });
    const health = evaluate({ alarms: [p99, scaleOut] });
    expect(PlatformHealthSchema.parse(health)).toEqual(health);
    expect(tierOf(health, 'web').signals.map((s) => [s.signal, s.alarms])).toEqual([
      ['traffic', []],
      ['errors', []],
      [
        'latency',
        [
          {
            name: 'store-alb-p99-latency',
            state: 'ALARM',
            threshold: 1_200,
            comparison: 'GreaterThanThreshold',
            scalingTrigger: false,
          },
        ],
      ],
      [
        'saturation',
        [{ name: scaleOut.name, state: 'OK', threshold: 70, scalingTrigger: true, scaling: 'out' }],
      ],
    ]);
    expect(tierOf(health, 'workers').signals.every((s) => s.alarms.length === 0)).toBe(true);
  });

  it('given the metrics source failed, then signals are unknown with the reason while alarms still count', () => {
    const failure: SourceStatus = {
      source: HEALTH_SOURCES.metrics,
      ok: false,
      fetchedAt: NOW,
      error: {
        kind: 'throttled',
        message: 'CloudWatch throttled GetMetricData',
        actions: ['retry in a minute'],
      },
    };
    const health = evaluate({
      series: [],
      sources: [failure, ...okSources.filter((s) => s.source !== HEALTH_SOURCES.metrics)],
      alarms: [alarm({})],
    });
    expect(health.tiers.map((t) => t.status)).toEqual([
      'unknown',
      'degraded',
      'unknown',
      'unknown',
    ]);
    expect(tierOf(health, 'workers').reasons).toEqual([
      'Metrics unavailable — throttled: CloudWatch throttled GetMetricData; retry in a minute',
    ]);
    expect(tierOf(health, 'web').reasons[1]).toMatch(/^Metrics unavailable/);
    expect(health.tiers.flatMap((t) => t.signals).every((s) => s.status === 'unknown')).toBe(true);
  });

  it('given the metrics source failed but stored history is passed in, then charts keep their points and say so', () => {
    const failure: SourceStatus = {
      source: HEALTH_SOURCES.metrics,
      ok: false,
      error: { kind: 'unreachable', message: 'connect ECONNREFUSED' },
    };
    const health = evaluate({ sources: [failure] });
    expect(tierOf(health, 'web').signals[0]?.points.length).toBeGreaterThan(0);
    expect(tierOf(health, 'web').reasons).toEqual([
      'Metrics unavailable — unreachable: connect ECONNREFUSED; charts show stored history',
    ]);
  });

  it('given the metrics source failed and the stored data has an age, then the reason says how old it is', () => {
    const failure: SourceStatus = {
      source: HEALTH_SOURCES.metrics,
      ok: false,
      dataAsOf: NOW - 4 * MINUTE - 20_000,
      ageMs: 4 * MINUTE + 20_000,
      error: { kind: 'throttled', message: 'Rate exceeded' },
    };
    const reason =
      'Metrics unavailable — throttled: Rate exceeded; charts show stored history (newest datapoint 4m old)';
    const health = evaluate({ sources: [failure] });
    expect(PlatformHealthSchema.parse(health)).toEqual(health);
    expect(tierOf(health, 'web').reasons).toEqual([reason]);
    // Said the same way for every tier, and marked as a source failure, so views say it once.
    expect(health.tiers.map((t) => t.sourceFailures)).toEqual(
      health.tiers.map(() => [{ source: HEALTH_SOURCES.metrics, reason }]),
    );
    expect(health.sources[0]).toEqual(failure);
  });

  it('given the alarms source failed, then each tier says alarms are unavailable', () => {
    const failure: SourceStatus = {
      source: HEALTH_SOURCES.alarms,
      ok: false,
      error: {
        kind: 'access-denied',
        message: 'not authorized',
        iamAction: 'cloudwatch:DescribeAlarms',
      },
    };
    const health = evaluate({ sources: [failure], alarms: [] });
    expect(
      health.tiers.every(
        (t) =>
          t.status === 'unknown' &&
          t.reasons[0] === 'Alarms unavailable — access-denied: not authorized',
      ),
    ).toBe(true);
    expect(health.tiers[0]?.sourceFailures).toEqual([
      {
        source: HEALTH_SOURCES.alarms,
        reason: 'Alarms unavailable — access-denied: not authorized',
      },
    ]);
    // Unknown is not zero: no list of firing alarms rather than an empty one.
    expect(health.firingAlarms).toBeNull();
    expect(PlatformHealthSchema.parse(health)).toEqual(health);
  });

  it('given every source answered, then no tier has source failures and no firing alarms is an empty list', () => {
    const health = evaluate();
    expect(health.firingAlarms).toEqual([]);
    expect(health.tiers.every((t) => t.sourceFailures.length === 0)).toBe(true);
  });

  it('given groups and activities, then they get their tier and activities come newest first', () => {
    const health = evaluate({
      groups: [
        { name: 'store-workers', min: 0, max: 40, desired: 6, inService: 6, onDemand: 0, spot: 6 },
      ],
      activities: [
        {
          id: 'a1',
          group: 'store-web',
          status: 'Successful',
          description: 'Launching',
          cause: 'scale out',
          startTime: NOW - 2 * MINUTE,
        },
        {
          id: 'a2',
          group: 'store-web',
          status: 'InProgress',
          description: 'Launching',
          cause: 'scale out',
          startTime: NOW - MINUTE,
        },
        {
          id: 'a3',
          group: 'elsewhere',
          status: 'Successful',
          description: 'x',
          cause: 'y',
          startTime: NOW - 3 * MINUTE,
        },
      ],
    });
    expect(health.groups[0]?.tier).toBe('workers');
    expect(health.activities.map((a) => [a.id, a.tier])).toEqual([
      ['a2', 'web'],
      ['a1', 'web'],
      ['a3', undefined],
    ]);
  });

  it('given an SLO on a signal no resource of the tier measures, then the tier says it cannot be checked', () => {
    const config = {
      ...referenceConfig,
      tiers: referenceConfig.tiers.map((t) =>
        t.id === 'edge' ? { ...t, slo: { ...t.slo, saturation: { degraded: 80 } } } : t,
      ),
    };
    expect(tierOf(evaluate({ config }), 'edge')).toMatchObject({
      status: 'unknown',
      reasons: ['No resource of this tier measures saturation, so its SLO cannot be checked'],
    });
  });
});

describe('judge', () => {
  it.each([
    { value: 0.4, threshold: { degraded: 0.5, critical: 2 }, status: 'ok' },
    { value: 0.5, threshold: { degraded: 0.5, critical: 2 }, status: 'ok' },
    { value: 0.6, threshold: { degraded: 0.5, critical: 2 }, status: 'degraded' },
    { value: 2.1, threshold: { degraded: 0.5, critical: 2 }, status: 'critical' },
    { value: 3, threshold: { critical: 2 }, status: 'critical' },
    { value: 1, threshold: { critical: 2 }, status: 'ok' },
    { value: 50, threshold: { degraded: 100, critical: 10 }, status: 'degraded' },
    { value: 5, threshold: { degraded: 100, critical: 10 }, status: 'critical' },
    { value: 500, threshold: { degraded: 100, critical: 10 }, status: 'ok' },
  ])('given $value against $threshold, then $status', ({ value, threshold, status }) => {
    expect(judge(value, threshold).status).toBe(status);
  });

  it('given a traffic floor (critical below degraded), then the direction is "below"', () => {
    expect(judge(5, { degraded: 100, critical: 10 })).toEqual({
      status: 'critical',
      bound: 10,
      direction: 'below',
    });
  });
});

describe('latestComplete', () => {
  const points = [
    { t: 0, v: 1 },
    { t: 60_000, v: 2 },
  ];
  it.each([
    { now: 119_999, expected: { t: 0, v: 1 } },
    { now: 120_000, expected: { t: 60_000, v: 2 } },
    { now: 59_999, expected: undefined },
  ])('given now=$now, then $expected', ({ now, expected }) => {
    expect(latestComplete(points, 60, now)).toEqual(expected);
  });
});

// A PlatformHealth shaped like the reference platform's, for server unit tests that inject
// their own `health` function. Deterministic: values depend only on the arguments.
import {
  HEALTH_SOURCES,
  PlatformHealthSchema,
  type PlatformHealth,
  type SignalReading,
} from '@ballast/core';

export interface FixtureOptions {
  now: number;
  /** one-minute points per signal, ending at `now` */
  pointsPerSignal?: number;
  tiers?: string[];
}

const TIERS: Record<
  string,
  { title: string; signals: Omit<SignalReading, 'points' | 'current' | 'status' | 'alarms'>[] }
> = {
  edge: {
    title: 'Edge — Route 53, CloudFront, S3 models',
    signals: [
      { signal: 'traffic', label: 'CloudFront requests', unit: 'req/min' },
      {
        signal: 'errors',
        label: '5xx error rate',
        unit: '%',
        threshold: { degraded: 1, critical: 5 },
      },
      {
        signal: 'latency',
        label: 'Origin latency p90',
        unit: 'ms',
        threshold: { degraded: 400, critical: 1500 },
      },
    ],
  },
  web: {
    title: 'Web — ALB and the web Auto Scaling group',
    signals: [
      { signal: 'traffic', label: 'ALB requests', unit: 'req/min' },
      {
        signal: 'errors',
        label: 'Target 5xx rate',
        unit: '%',
        threshold: { degraded: 0.5, critical: 2 },
      },
      {
        signal: 'latency',
        label: 'Target response time p99',
        unit: 'ms',
        threshold: { degraded: 500, critical: 1200 },
      },
      {
        signal: 'saturation',
        label: 'Web CPU',
        unit: '%',
        threshold: { degraded: 80, critical: 92 },
      },
    ],
  },
  workers: {
    title: 'Workers — spot fleet draining the model-jobs queue',
    signals: [
      { signal: 'traffic', label: 'Messages received', unit: 'msgs/min' },
      {
        signal: 'errors',
        label: 'Lambda error rate',
        unit: '%',
        threshold: { degraded: 1, critical: 5 },
      },
      {
        signal: 'latency',
        label: 'Oldest message age',
        unit: 'ms',
        threshold: { degraded: 300_000, critical: 900_000 },
      },
      {
        signal: 'saturation',
        label: 'Worker CPU',
        unit: '%',
        threshold: { degraded: 85, critical: 95 },
      },
    ],
  },
  data: {
    title: 'Data — RDS, DynamoDB, ElastiCache',
    signals: [
      { signal: 'traffic', label: 'DynamoDB requests', unit: 'req/min' },
      {
        signal: 'errors',
        label: 'DynamoDB throttle rate',
        unit: '%',
        threshold: { degraded: 0.1, critical: 1 },
      },
      {
        signal: 'latency',
        label: 'RDS read latency',
        unit: 'ms',
        threshold: { degraded: 20, critical: 60 },
      },
      {
        signal: 'saturation',
        label: 'RDS CPU',
        unit: '%',
        threshold: { degraded: 75, critical: 90 },
      },
    ],
  },
};

/** The Auto Scaling group of a tier, with capacity history in the fixture. */
const GROUPS: Record<string, { name: string; max: number }> = {
  web: { name: 'store-web', max: 20 },
  workers: { name: 'store-workers', max: 30 },
};

export function makeHealth({
  now,
  pointsPerSignal = 60,
  tiers = Object.keys(TIERS),
}: FixtureOptions): PlatformHealth {
  const minute = 60_000;
  const end = Math.floor(now / minute) * minute;
  const start = end - pointsPerSignal * minute;
  const tierHealth = tiers.map((id, tierIndex) => {
    const spec = TIERS[id];
    if (!spec) throw new Error(`unknown fixture tier ${id}`);
    const signals = spec.signals.map((s, signalIndex) => {
      const base = s.threshold?.degraded ? s.threshold.degraded * 0.4 : 1_000;
      const points = Array.from({ length: pointsPerSignal }, (_, i) => ({
        t: start + i * minute,
        v: base * (1 + 0.3 * Math.sin((i + tierIndex * 7 + signalIndex * 3) / 25)),
      }));
      return { ...s, points, current: points.at(-1)?.v ?? null, status: 'ok' as const };
    });
    const group = GROUPS[id];
    const capacity = group
      ? [
          {
            group: group.name,
            split: 'distribution' as const,
            points: Array.from({ length: pointsPerSignal }, (_, i) => {
              const inService = Math.min(group.max, 4 + (i % 7));
              return {
                t: start + i * minute,
                desired: inService,
                inService,
                max: group.max,
                onDemand: Math.min(2, inService),
                spot: inService - Math.min(2, inService),
              };
            }),
            atMax: [],
          },
        ]
      : [];
    return {
      tier: id,
      title: spec.title,
      status: 'ok' as const,
      reasons: [],
      signals,
      alarms: [],
      capacity,
    };
  });
  return PlatformHealthSchema.parse({
    platform: '3d-store',
    context: 'fixture',
    evaluatedAt: now,
    window: { start, end },
    status: 'ok',
    tiers: tierHealth,
    firingAlarms: [],
    groups: [
      {
        name: 'store-web',
        tier: 'web',
        min: 2,
        max: 20,
        desired: 4,
        inService: 4,
        onDemand: 2,
        spot: 2,
      },
      {
        name: 'store-workers',
        tier: 'workers',
        min: 0,
        max: 30,
        desired: 6,
        inService: 5,
        onDemand: 0,
        spot: 5,
      },
    ],
    activities: [
      {
        id: 'a-1',
        group: 'store-web',
        tier: 'web',
        status: 'Successful',
        description: 'Launching a new EC2 instance: i-0abc',
        cause:
          'At 12:00 a monitor alarm triggered policy web-cpu-target changing the desired capacity from 3 to 4.',
        startTime: end - 20 * minute,
        endTime: end - 19 * minute,
      },
    ],
    sources: [
      { source: HEALTH_SOURCES.metrics, ok: true, fetchedAt: now },
      { source: HEALTH_SOURCES.alarms, ok: true, fetchedAt: now },
      { source: HEALTH_SOURCES.autoscaling, ok: true, fetchedAt: now },
    ],
  });
}

// Golden signals per tier, derived from the tier's resources. For each signal the first
// resource type in SIGNAL_SOURCES that the tier contains feeds it; several resources of
// that type are combined (traffic summed, errors as a ratio of sums, latency and
// saturation as the worst resource). Ratios and unit conversions are done here, not with
// CloudWatch metric math, so every input series is stored and chartable on its own.
// The table in README.md lists which metric feeds which signal.
import type { GoldenSignal, Point, Series } from '../model/health.js';
import type { Resource, ResourceType, Tier } from '../model/platform.js';
import { tierQueries, type PlannedQuery } from './catalog.js';
import { resourceLabel } from './resources.js';

export type Recipe =
  /** Sum of the roles' Sum statistics, as a rate per minute. */
  | { kind: 'perMinute'; roles: string[] }
  /** sum(numerator) / sum(denominator) * 100; a missing numerator at a time counts as 0. */
  | { kind: 'percentOf'; numerator: string[]; denominator: string[] }
  /** Average of a per-resource rate, weighted by a count (CloudFront error rate by requests). */
  | { kind: 'weighted'; value: string; weight: string }
  /** The worst (highest) resource, times `scale` (1000 turns Seconds into ms). */
  | { kind: 'max'; roles: string[]; scale: number };

export interface SignalSource {
  resourceType: ResourceType;
  label: string;
  unit: string;
  recipe: Recipe;
}

const perMinute = (...roles: string[]): Recipe => ({ kind: 'perMinute', roles });
const percentOf = (numerator: string[], denominator: string[]): Recipe => ({
  kind: 'percentOf',
  numerator,
  denominator,
});
const max = (role: string, scale = 1): Recipe => ({ kind: 'max', roles: [role], scale });

/** For each signal, the resource types that can feed it, in order of preference. */
export const SIGNAL_SOURCES: Record<GoldenSignal, SignalSource[]> = {
  traffic: [
    { resourceType: 'alb', label: 'Requests', unit: 'req/min', recipe: perMinute('requests') },
    {
      resourceType: 'cloudfront-distribution',
      label: 'Requests',
      unit: 'req/min',
      recipe: perMinute('requests'),
    },
    {
      resourceType: 'sqs-queue',
      label: 'Messages processed',
      unit: 'msgs/min',
      recipe: perMinute('deleted'),
    },
    {
      resourceType: 'lambda-function',
      label: 'Invocations',
      unit: 'invocations/min',
      recipe: perMinute('invocations'),
    },
    {
      resourceType: 'dynamodb-table',
      label: 'Requests',
      unit: 'req/min',
      recipe: perMinute('succeeded', 'throttled'),
    },
    {
      resourceType: 's3-bucket',
      label: 'Requests',
      unit: 'req/min',
      recipe: perMinute('allRequests'),
    },
    {
      resourceType: 'elasticache-cluster',
      label: 'Cache lookups',
      unit: 'lookups/min',
      recipe: perMinute('hits', 'misses'),
    },
  ],
  errors: [
    // Brief-given formula; ELB 503s sent before a target is chosen are not in RequestCount,
    // so with no healthy targets this can exceed 100% and is capped there.
    {
      resourceType: 'alb',
      label: '5xx error rate',
      unit: '%',
      recipe: percentOf(['target5xx', 'elb5xx'], ['requests']),
    },
    {
      resourceType: 'cloudfront-distribution',
      label: '5xx error rate',
      unit: '%',
      recipe: { kind: 'weighted', value: 'errorRate5xx', weight: 'requests' },
    },
    {
      resourceType: 'lambda-function',
      label: 'Failed invocations',
      unit: '%',
      recipe: percentOf(['errors'], ['invocations']),
    },
    {
      resourceType: 'dynamodb-table',
      label: 'Throttled requests',
      unit: '%',
      recipe: percentOf(['throttled'], ['succeeded', 'throttled']),
    },
    {
      resourceType: 's3-bucket',
      label: '5xx error rate',
      unit: '%',
      recipe: percentOf(['errors5xx'], ['allRequests']),
    },
  ],
  latency: [
    {
      resourceType: 'alb',
      label: 'p99 target response time',
      unit: 'ms',
      recipe: max('responseTimeP99', 1000),
    },
    {
      resourceType: 'cloudfront-distribution',
      label: 'p90 origin latency',
      unit: 'ms',
      recipe: max('originLatencyP90'),
    },
    {
      resourceType: 'sqs-queue',
      label: 'Oldest message age',
      unit: 'ms',
      recipe: max('oldestAge', 1000),
    },
    {
      resourceType: 'rds-instance',
      label: 'Database read latency',
      unit: 'ms',
      recipe: max('readLatency', 1000),
    },
    {
      resourceType: 'lambda-function',
      label: 'p99 duration',
      unit: 'ms',
      recipe: max('durationP99'),
    },
    {
      resourceType: 'dynamodb-table',
      label: 'Request latency',
      unit: 'ms',
      recipe: max('latency'),
    },
    {
      resourceType: 's3-bucket',
      label: 'p90 first byte latency',
      unit: 'ms',
      recipe: max('firstByteLatencyP90'),
    },
  ],
  saturation: [
    { resourceType: 'asg', label: 'Average CPU', unit: '%', recipe: max('cpuAverage') },
    { resourceType: 'rds-instance', label: 'Database CPU', unit: '%', recipe: max('cpu') },
    {
      resourceType: 'elasticache-cluster',
      label: 'Cache engine CPU',
      unit: '%',
      recipe: max('engineCpu'),
    },
  ],
};

export const GOLDEN_SIGNALS: readonly GoldenSignal[] = [
  'traffic',
  'errors',
  'latency',
  'saturation',
];

export interface DerivedSignal {
  signal: GoldenSignal;
  label: string;
  unit: string;
  points: Point[];
  /** the resources that fed it, by label */
  resources: string[];
  /** ids of the input series (for "no data" diagnostics and drill-down) */
  seriesIds: string[];
}

/** The signal source a tier uses, or undefined when no resource of the tier can feed it. */
export function signalSourceFor(tier: Tier, signal: GoldenSignal): SignalSource | undefined {
  return SIGNAL_SOURCES[signal].find((s) => tier.resources.some((r) => r.type === s.resourceType));
}

/** Derive each golden signal the tier's resources can feed, from collected series by id. */
export function deriveSignals(
  tier: Tier,
  series: ReadonlyMap<string, Series>,
  periodSeconds: number,
): DerivedSignal[] {
  const planned = tierQueries(tier, { periodSeconds });
  const out: DerivedSignal[] = [];
  for (const signal of GOLDEN_SIGNALS) {
    const source = signalSourceFor(tier, signal);
    if (!source) continue;
    const resources = tier.resources.filter((r) => r.type === source.resourceType);
    const inputs = (
      role: string,
      resource?: Resource,
    ): { query: PlannedQuery; points: Point[] }[] =>
      planned
        .filter(
          (p) =>
            p.spec.role === role &&
            (resource ? p.resource === resource : resources.includes(p.resource)),
        )
        .map((p) => ({ query: p, points: series.get(p.query.id)?.points ?? [] }));
    const roles = recipeRoles(source.recipe);
    out.push({
      signal,
      label: source.label,
      unit: source.unit,
      points: combine(source.recipe, inputs, resources, periodSeconds),
      resources: resources.map(resourceLabel),
      seriesIds: roles.flatMap((role) => inputs(role).map((i) => i.query.query.id)),
    });
  }
  return out;
}

/** The catalog roles a recipe reads. */
export function recipeRoles(recipe: Recipe): string[] {
  switch (recipe.kind) {
    case 'perMinute':
    case 'max':
      return recipe.roles;
    case 'percentOf':
      return [...new Set([...recipe.numerator, ...recipe.denominator])];
    case 'weighted':
      return [recipe.value, recipe.weight];
  }
}

type Inputs = (role: string, resource?: Resource) => { points: Point[] }[];

function combine(
  recipe: Recipe,
  inputs: Inputs,
  resources: Resource[],
  periodSeconds: number,
): Point[] {
  const sumOf = (roles: string[]): Map<number, number> => {
    const sums = new Map<number, number>();
    for (const role of roles)
      for (const { points } of inputs(role))
        for (const p of points) sums.set(p.t, (sums.get(p.t) ?? 0) + p.v);
    return sums;
  };
  switch (recipe.kind) {
    case 'perMinute':
      return toPoints(sumOf(recipe.roles), (v) => (v * 60) / periodSeconds);
    case 'percentOf': {
      const numerator = sumOf(recipe.numerator);
      const denominator = sumOf(recipe.denominator);
      const out = new Map<number, number>();
      // Count metrics are published only when non-zero: no errors at a time means 0 errors,
      // but no requests means there is nothing to take a ratio of.
      for (const [t, total] of denominator)
        if (total > 0) out.set(t, Math.min(100, ((numerator.get(t) ?? 0) / total) * 100));
      return toPoints(out);
    }
    case 'weighted': {
      const weighted = new Map<number, { sum: number; weight: number }>();
      for (const resource of resources) {
        const weights = new Map(
          (inputs(recipe.weight, resource)[0]?.points ?? []).map((p) => [p.t, p.v]),
        );
        for (const p of inputs(recipe.value, resource)[0]?.points ?? []) {
          const w = weights.get(p.t);
          if (w === undefined || w <= 0) continue;
          const acc = weighted.get(p.t) ?? { sum: 0, weight: 0 };
          weighted.set(p.t, { sum: acc.sum + p.v * w, weight: acc.weight + w });
        }
      }
      return toPoints(new Map([...weighted].map(([t, acc]) => [t, acc.sum / acc.weight])));
    }
    case 'max': {
      const worst = new Map<number, number>();
      for (const role of recipe.roles)
        for (const { points } of inputs(role))
          for (const p of points) worst.set(p.t, Math.max(worst.get(p.t) ?? -Infinity, p.v));
      return toPoints(worst, (v) => v * recipe.scale);
    }
  }
}

function toPoints(
  values: Map<number, number>,
  transform: (v: number) => number = (v) => v,
): Point[] {
  return [...values].sort(([a], [b]) => a - b).map(([t, v]) => ({ t, v: transform(v) }));
}

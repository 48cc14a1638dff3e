// Which CloudWatch alarms can be drawn as a threshold line on a golden-signal chart, with the
// threshold converted into the signal's unit. An alarm qualifies when it watches one of the
// metrics that feed the signal (same namespace and metric name, dimensions naming one of the
// tier's resources of the signal's source type) and the signal's recipe keeps that metric's
// scale:
//
// - 'max' (latency, saturation): the signal is the worst resource's value times `scale`, so
//   the threshold is `threshold * scale` (Seconds -> ms). The alarm's statistic must be the
//   one the signal charts, or a percentile within one point of it (p99 ~ p99.5 ~ p98): a p90
//   alarm on a p99 chart, or a Maximum alarm on an Average chart, would sit on a different
//   curve. The alarm's period may differ: a 5-minute Average is still an Average in percent.
// - 'perMinute' (traffic): only a Sum over 60 s on the exact metric, when that one metric
//   is the whole signal (one resource, one role): then the threshold is already per minute.
// - 'percentOf' / 'weighted' (error rates): never. An alarm on a count of 5xx cannot be
//   drawn on a percentage.
//
// Metric-math alarms compare an expression (`math`), whose unit is the expression's: they
// have no metric of their own to match, so they are never drawn.
// Target-tracking alarms are ordinary metric alarms here: their CPU thresholds are exactly
// where the group scales, which is worth seeing on the saturation chart.
import type { Alarm, Dimension, GoldenSignal, SignalAlarm } from '../model/health.js';
import type { Resource, Tier } from '../model/platform.js';
import { isScalingTriggerAlarm, scalingDirection } from './alarms.js';
import { tierQueries, type MetricSpec } from './catalog.js';
import { dimensionsMatchResource, resourceDimensions } from './resources.js';
import { recipeRoles, signalSourceFor } from './signals.js';

/** The alarms whose thresholds can be drawn on `signal` of `tier`, lowest threshold first. */
export function signalAlarms(
  tier: Tier,
  signal: GoldenSignal,
  alarms: readonly Alarm[],
): SignalAlarm[] {
  const source = signalSourceFor(tier, signal);
  if (!source) return [];
  const roles = recipeRoles(source.recipe);
  // The period does not change which metrics feed the signal.
  const inputs = tierQueries(tier, { periodSeconds: 60 }).filter(
    (p) => p.resource.type === source.resourceType && roles.includes(p.spec.role),
  );
  const recipe = source.recipe;
  const out: SignalAlarm[] = [];
  for (const alarm of alarms) {
    const { namespace, metricName, threshold } = alarm;
    if (namespace === undefined || metricName === undefined) continue;
    if (threshold === undefined || !Number.isFinite(threshold)) continue;
    const watched = inputs.filter(
      (p) =>
        p.spec.namespace === namespace &&
        p.spec.metricName === metricName &&
        dimensionsFit(alarm.dimensions, p.resource, p.spec),
    );
    let converted: number | undefined;
    switch (recipe.kind) {
      case 'max':
        if (watched.some((p) => comparableStatistic(alarm.statistic, p.spec.stat)))
          converted = threshold * recipe.scale;
        break;
      case 'perMinute': {
        const only = inputs.length === 1 ? inputs[0] : undefined;
        if (
          only &&
          watched.includes(only) &&
          alarm.periodSeconds === 60 &&
          sameStatistic(alarm.statistic, 'Sum') &&
          sameDimensions(alarm.dimensions, only.spec.dimensions)
        )
          converted = threshold;
        break;
      }
      case 'percentOf':
      case 'weighted':
        break;
    }
    if (converted === undefined) continue;
    out.push({
      name: alarm.name,
      state: alarm.state,
      threshold: converted,
      ...(alarm.comparison ? { comparison: alarm.comparison } : {}),
      scalingTrigger: isScalingTriggerAlarm(alarm),
      ...withScaling(scalingDirection(alarm)),
    });
  }
  return out.sort((a, b) => a.threshold - b.threshold || a.name.localeCompare(b.name));
}

function withScaling(direction: 'out' | 'in' | undefined): { scaling?: 'out' | 'in' } {
  return direction ? { scaling: direction } : {};
}

/**
 * True when the alarm's dimensions name this resource and nothing else: each one is the
 * resource's own (LoadBalancer, TargetGroup...) or part of the metric's (Region=Global,
 * Operation=GetItem), and at least one is the resource's. An ALB-wide p99 alarm (LoadBalancer
 * only) thus fits the target group's p99 signal; one on another target group does not.
 */
function dimensionsFit(alarm: readonly Dimension[], resource: Resource, spec: MetricSpec): boolean {
  const allowed = [...resourceDimensions(resource), ...spec.dimensions];
  return (
    alarm.every((d) => allowed.some((a) => sameDimension(a, d))) &&
    dimensionsMatchResource(alarm, resource)
  );
}

function sameDimensions(a: readonly Dimension[], b: readonly Dimension[]): boolean {
  return (
    a.length === b.length &&
    a.every((d) => b.some((e) => sameDimension(d, e))) &&
    b.every((d) => a.some((e) => sameDimension(d, e)))
  );
}

function sameDimension(a: Dimension, b: Dimension): boolean {
  return a.name === b.name && a.value === b.value;
}

function sameStatistic(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const pa = percentile(a);
  const pb = percentile(b);
  return pa !== undefined && pb !== undefined ? pa === pb : a.toLowerCase() === b.toLowerCase();
}

/** The same statistic, or percentiles at most one point apart (p99 vs p99.9 or p98). */
export function comparableStatistic(alarm: string | undefined, signal: string): boolean {
  if (alarm === undefined) return false;
  if (sameStatistic(alarm, signal)) return true;
  const pa = percentile(alarm);
  const ps = percentile(signal);
  return pa !== undefined && ps !== undefined && Math.abs(pa - ps) <= 1;
}

/** 99 for "p99" or "P99.0"; undefined for anything else (Average, tm99, p99:...). */
function percentile(stat: string): number | undefined {
  const match = /^p(\d{1,3}(?:\.\d+)?)$/i.exec(stat.trim());
  return match ? Number(match[1]) : undefined;
}

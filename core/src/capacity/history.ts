// An Auto Scaling group's capacity over time, from its AWS/AutoScaling group metrics: the
// lines of a capacity chart (desired, in service, max), in service split into on-demand and
// spot, and the stretches in which desired capacity stood at the maximum (the group could
// not grow however far behind it fell).
import type {
  AutoScalingGroupState,
  CapacityPoint,
  GroupCapacity,
  Point,
  TimeSpan,
} from '../model/health.js';
import { splitOnDemandSpot } from './purchase-options.js';

export interface GroupCapacityInput {
  group: string;
  /** GroupDesiredCapacity, Average */
  desired: readonly Point[];
  /** GroupInServiceCapacity (or GroupInServiceInstances where only that is enabled), Average */
  inService: readonly Point[];
  /** GroupMaxSize, Maximum */
  max: readonly Point[];
  /** spot interruption warnings per period (Sum); absent when the platform names no such metric */
  interruptions?: readonly Point[];
  /** the group as DescribeAutoScalingGroups describes it now; undefined when it could not be read */
  state: AutoScalingGroupState | undefined;
  periodSeconds: number;
}

export function groupCapacity(input: GroupCapacityInput): GroupCapacity {
  const byTime = new Map<number, CapacityPoint>();
  const at = (t: number) => {
    let point = byTime.get(t);
    if (!point) byTime.set(t, (point = { t }));
    return point;
  };
  for (const p of input.desired) at(p.t).desired = p.v;
  for (const p of input.inService) at(p.t).inService = p.v;
  for (const p of input.max) at(p.t).max = p.v;
  // Only periods with warnings: an interruption is an event, not a level to draw at zero.
  for (const p of input.interruptions ?? []) if (p.v > 0) at(p.t).interruptions = p.v;

  // The split is known only from the group's instances distribution, read now: history is
  // split as the group would split it today.
  const split: GroupCapacity['split'] = !input.state
    ? 'unknown'
    : input.state.distribution
      ? 'distribution'
      : 'on-demand';
  const points = [...byTime.values()].sort((a, b) => a.t - b.t);
  if (input.state) {
    for (const point of points) {
      if (point.inService === undefined) continue;
      const { onDemand, spot } = splitOnDemandSpot(point.inService, input.state.distribution);
      point.onDemand = onDemand;
      point.spot = spot;
    }
  }
  return {
    group: input.group,
    split,
    points,
    atMax: atMaxSpans(points, input.periodSeconds),
    ...(input.interruptions ? { interruptionsCounted: true } : {}),
  };
}

/**
 * Periods whose average desired capacity equals the maximum (so it stood there the whole
 * period), merged into spans; each span ends where its last period ends.
 */
export function atMaxSpans(points: readonly CapacityPoint[], periodSeconds: number): TimeSpan[] {
  const periodMs = periodSeconds * 1000;
  const spans: TimeSpan[] = [];
  for (const p of points) {
    if (p.desired === undefined || p.max === undefined || p.max <= 0) continue;
    if (p.desired < p.max - 1e-6) continue;
    const last = spans[spans.length - 1];
    if (last && last.end >= p.t) last.end = Math.max(last.end, p.t + periodMs);
    else spans.push({ start: p.t, end: p.t + periodMs });
  }
  return spans;
}

// What a target-tracking scaling policy asks for. EC2 Auto Scaling sizes the group so the
// metric lands on the target, assuming the metric scales inversely with capacity:
// desired = ceil(capacity * metric / target), clamped to the group's min and max.

export interface CapacityBounds {
  minCapacity: number;
  maxCapacity: number;
}

/**
 * Capacity a target-tracking policy sets when its metric reads `metricValue` on
 * `currentCapacity` instances (the AWS formula, before cooldowns and warm-up).
 */
export function targetTrackingCapacity(
  input: { currentCapacity: number; metricValue: number; targetValue: number } & CapacityBounds,
): number {
  const { currentCapacity, metricValue, targetValue } = input;
  if (!(targetValue > 0)) throw new RangeError('targetValue must be > 0');
  if (!(currentCapacity >= 0) || !(metricValue >= 0))
    throw new RangeError('capacity and metric must be >= 0');
  // Guard against 7.000000001 / 7 style rounding turning "on target" into one more instance.
  const wanted = Math.ceil((currentCapacity * metricValue) / targetValue - 1e-9);
  return clampCapacity(wanted, input);
}

/**
 * Instances needed to serve `arrivalRate` at `targetUtilizationPercent` CPU, given what one
 * instance serves at 100% CPU: the steady state a CPU target-tracking policy converges to.
 */
export function instancesForTargetUtilization(
  input: {
    arrivalRate: number;
    serviceRatePerInstance: number;
    targetUtilizationPercent: number;
  } & Partial<CapacityBounds>,
): number {
  const { arrivalRate, serviceRatePerInstance, targetUtilizationPercent } = input;
  if (!(serviceRatePerInstance > 0)) throw new RangeError('serviceRatePerInstance must be > 0');
  if (!(targetUtilizationPercent > 0 && targetUtilizationPercent <= 100)) {
    throw new RangeError('targetUtilizationPercent must be in (0, 100]');
  }
  if (!(arrivalRate >= 0)) throw new RangeError('arrivalRate must be >= 0');
  const wanted = Math.ceil(
    arrivalRate / (serviceRatePerInstance * (targetUtilizationPercent / 100)) - 1e-9,
  );
  return clampCapacity(wanted, {
    minCapacity: input.minCapacity ?? 0,
    maxCapacity: input.maxCapacity ?? Number.POSITIVE_INFINITY,
  });
}

function clampCapacity(wanted: number, { minCapacity, maxCapacity }: CapacityBounds): number {
  if (minCapacity > maxCapacity) throw new RangeError('minCapacity must not exceed maxCapacity');
  return Math.min(maxCapacity, Math.max(minCapacity, wanted));
}

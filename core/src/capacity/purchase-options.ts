// How an Auto Scaling group with a MixedInstancesPolicy divides its capacity between
// on-demand and spot. Neither DescribeAutoScalingGroups nor the AWS/AutoScaling group
// metrics say which instances are spot, so the split follows the group's instances
// distribution the way Auto Scaling applies it when it launches and terminates.

/** A MixedInstancesPolicy's InstancesDistribution (AWS defaults: base 0, 100% above it). */
export interface InstancesDistribution {
  onDemandBaseCapacity?: number;
  onDemandPercentageAboveBaseCapacity?: number;
}

/**
 * On-demand and spot out of `capacity`: the on-demand base first, then the on-demand
 * percentage of the rest, rounded in favour of on-demand. A group without a mixed instances
 * policy (`distribution` undefined) runs on-demand only. A fractional capacity (the average
 * of a period) splits between the splits of the whole numbers around it.
 */
export function splitOnDemandSpot(
  capacity: number,
  distribution: InstancesDistribution | undefined,
): { onDemand: number; spot: number } {
  const total = Math.max(0, capacity);
  if (!distribution) return { onDemand: total, spot: 0 };
  const below = Math.floor(total);
  const fraction = total - below;
  const onDemand =
    fraction === 0
      ? onDemandInstances(below, distribution)
      : (1 - fraction) * onDemandInstances(below, distribution) +
        fraction * onDemandInstances(below + 1, distribution);
  return { onDemand, spot: total - onDemand };
}

/** On-demand instances among a whole number of `instances` (the rest run on spot). */
export function onDemandInstances(instances: number, d: InstancesDistribution): number {
  const base = Math.min(instances, d.onDemandBaseCapacity ?? 0);
  const percent = d.onDemandPercentageAboveBaseCapacity ?? 100;
  return base + Math.ceil(((instances - base) * percent) / 100);
}

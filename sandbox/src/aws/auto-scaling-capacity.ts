// A group's size and mix over the Query protocol: SetDesiredCapacity (HonorCooldown),
// UpdateAutoScalingGroup (min, max, desired, cooldown, warm-up, Capacity Rebalancing and the
// MixedInstancesPolicy's InstancesDistribution) and DescribeAccountLimits, with AWS's
// validation and error text. What the sandbox does not model is refused, not ignored.
import { z } from 'zod';
import { SPOT_ALLOCATION_STRATEGIES } from '../simulation/auto-scaling-group.js';
import { checkSize, groupFor, type AutoScalingContext } from './auto-scaling-common.js';
import { AwsError, validationError } from './protocol.js';
import { parseQuery, qBool, qInt, qString } from './query-input.js';
import type { QueryParams } from './query-params.js';
import { el } from './xml.js';

// ---------------------------------------------------------------- SetDesiredCapacity

const SetDesiredCapacityInput = z.object({
  AutoScalingGroupName: qString(1, 255),
  DesiredCapacity: qInt(),
  HonorCooldown: qBool().optional(),
});

export function setDesiredCapacity(params: QueryParams, ctx: AutoScalingContext): undefined {
  const input = parseQuery(
    SetDesiredCapacityInput,
    params,
    Object.keys(SetDesiredCapacityInput.shape),
  );
  const group = groupFor(ctx, input.AutoScalingGroupName);
  const desired = input.DesiredCapacity;
  if (desired > group.maxSize)
    throw validationError(
      `New SetDesiredCapacity value ${desired} is above max value ${group.maxSize} for the AutoScalingGroup.`,
    );
  if (desired < group.minSize)
    throw validationError(
      `New SetDesiredCapacity value ${desired} is below min value ${group.minSize} for the AutoScalingGroup.`,
    );
  if (input.HonorCooldown) {
    const blocking = group.blockingActivity(ctx.now);
    if (blocking)
      throw new AwsError(
        'ScalingActivityInProgress',
        `Scaling activity ${blocking.activityId} is in progress and blocks this action`,
        400,
      );
  }
  if (
    group.setDesiredCapacity(
      ctx.now,
      desired,
      'a user request explicitly set group desired capacity',
    )
  )
    ctx.simulation.applyNow(group, ctx.now);
  return undefined;
}

// ---------------------------------------------------------------- UpdateAutoScalingGroup

const UpdateAutoScalingGroupInput = z.object({
  AutoScalingGroupName: qString(1, 255),
  MinSize: qInt(0).optional(),
  MaxSize: qInt(0).optional(),
  DesiredCapacity: qInt(0).optional(),
  DefaultCooldown: qInt(0).optional(),
  DefaultInstanceWarmup: qInt(-1).optional(),
  HealthCheckGracePeriod: qInt(0).optional(),
  CapacityRebalance: qBool().optional(),
  MixedInstancesPolicy: z
    .object({
      InstancesDistribution: z
        .object({
          OnDemandAllocationStrategy: z.enum(['prioritized', 'lowest-price']).optional(),
          OnDemandBaseCapacity: qInt(0).optional(),
          OnDemandPercentageAboveBaseCapacity: qInt(0, 100).optional(),
          SpotAllocationStrategy: z.enum(SPOT_ALLOCATION_STRATEGIES).optional(),
        })
        .optional(),
    })
    .optional(),
});

/** Settings of UpdateAutoScalingGroup the sandbox does not model: refused with this text. */
const NOT_EMULATED = [
  'LaunchConfigurationName',
  'LaunchTemplate',
  'MixedInstancesPolicy.LaunchTemplate',
  'MixedInstancesPolicy.InstancesDistribution.SpotInstancePools',
  'MixedInstancesPolicy.InstancesDistribution.SpotMaxPrice',
  'AvailabilityZones',
  'AvailabilityZoneIds',
  'HealthCheckType',
  'PlacementGroup',
  'VPCZoneIdentifier',
  'TerminationPolicies',
  'NewInstancesProtectedFromScaleIn',
  'ServiceLinkedRoleARN',
  'MaxInstanceLifetime',
  'Context',
  'DesiredCapacityType',
  'InstanceMaintenancePolicy',
  'AvailabilityZoneDistribution',
  'AvailabilityZoneImpairmentPolicy',
  'SkipZonalShiftValidation',
  'CapacityReservationSpecification',
  'InstanceLifecyclePolicy',
  'DeletionProtection',
];

export function updateAutoScalingGroup(params: QueryParams, ctx: AutoScalingContext): undefined {
  const input = parseQuery(
    UpdateAutoScalingGroupInput,
    params,
    Object.keys(UpdateAutoScalingGroupInput.shape),
  );
  const group = groupFor(ctx, input.AutoScalingGroupName, 'null');
  const unsupported = NOT_EMULATED.find((name) => params.hasUnder(name));
  if (unsupported)
    throw validationError(
      `The Ballast sandbox does not emulate changing ${unsupported} of an Auto Scaling group: it updates MinSize, MaxSize, DesiredCapacity, DefaultCooldown, DefaultInstanceWarmup, HealthCheckGracePeriod, CapacityRebalance and the MixedInstancesPolicy's InstancesDistribution.`,
    );
  checkSize(group, input);

  const spec = group.spec;
  if (input.DefaultCooldown !== undefined) spec.defaultCooldown = input.DefaultCooldown;
  // -1 removes a default warm-up; without one, Auto Scaling falls back to the default cooldown.
  if (input.DefaultInstanceWarmup !== undefined)
    spec.defaultInstanceWarmup =
      input.DefaultInstanceWarmup < 0 ? undefined : input.DefaultInstanceWarmup;
  if (input.HealthCheckGracePeriod !== undefined)
    spec.healthCheckGracePeriod = input.HealthCheckGracePeriod;
  if (input.CapacityRebalance !== undefined) spec.capacityRebalance = input.CapacityRebalance;
  const distribution = input.MixedInstancesPolicy?.InstancesDistribution;
  if (distribution) {
    // What is not given keeps its current value.
    spec.distribution = {
      onDemandAllocationStrategy:
        distribution.OnDemandAllocationStrategy ?? spec.distribution.onDemandAllocationStrategy,
      onDemandBaseCapacity:
        distribution.OnDemandBaseCapacity ?? spec.distribution.onDemandBaseCapacity,
      onDemandPercentageAboveBaseCapacity:
        distribution.OnDemandPercentageAboveBaseCapacity ??
        spec.distribution.onDemandPercentageAboveBaseCapacity,
      spotAllocationStrategy:
        distribution.SpotAllocationStrategy ?? spec.distribution.spotAllocationStrategy,
    };
  }
  if (
    input.MinSize !== undefined ||
    input.MaxSize !== undefined ||
    input.DesiredCapacity !== undefined
  )
    group.updateSize(
      ctx.now,
      {
        ...(input.MinSize !== undefined ? { minSize: input.MinSize } : {}),
        ...(input.MaxSize !== undefined ? { maxSize: input.MaxSize } : {}),
        ...(input.DesiredCapacity !== undefined ? { desiredCapacity: input.DesiredCapacity } : {}),
      },
      'user request',
    );
  ctx.simulation.applyNow(group, ctx.now);
  return undefined;
}

// ---------------------------------------------------------------- DescribeAccountLimits

/** The default quotas of a region (Auto Scaling groups, launch configurations). */
export const ACCOUNT_LIMITS = { groups: 500, launchConfigurations: 200 };

export function describeAccountLimits(_params: QueryParams, ctx: AutoScalingContext): string {
  return (
    el('MaxNumberOfAutoScalingGroups', ACCOUNT_LIMITS.groups) +
    el('MaxNumberOfLaunchConfigurations', ACCOUNT_LIMITS.launchConfigurations) +
    el('NumberOfAutoScalingGroups', ctx.simulation.groups.size) +
    el('NumberOfLaunchConfigurations', 0)
  );
}

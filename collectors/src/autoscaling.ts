// Auto Scaling adapter: group capacity (with the on-demand / spot split) and recent
// scaling activities, mapped into the core model.
import {
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
  type Activity,
  type AutoScalingClient,
  type AutoScalingGroup,
} from '@aws-sdk/client-auto-scaling';
import {
  AutoScalingGroupStateSchema,
  ScalingActivitySchema,
  splitOnDemandSpot,
  type AutoScalingGroupState,
  type ScalingActivity,
} from '@ballast/core';
import { chunk, collectPages } from './paging.js';

/** DescribeAutoScalingGroups accepts up to 100 names (and returns up to 100 per page). */
const MAX_RECORDS = 100;

export class AutoScalingCollector {
  constructor(private readonly client: AutoScalingClient) {}

  async describeGroups(names: string[]): Promise<AutoScalingGroupState[]> {
    if (names.length === 0) return [];
    const groups: AutoScalingGroup[] = [];
    for (const batch of chunk(names, MAX_RECORDS)) {
      const pages = await collectPages(
        (token) =>
          this.client.send(
            new DescribeAutoScalingGroupsCommand({
              AutoScalingGroupNames: batch,
              MaxRecords: MAX_RECORDS,
              ...(token ? { NextToken: token } : {}),
            }),
          ),
        (page) => page.NextToken,
      );
      groups.push(...pages.flatMap((p) => p.AutoScalingGroups ?? []));
    }
    return groups.map(toGroupState);
  }

  /**
   * Newest first, at most `max` per group (so a busy group cannot crowd a quiet one out of
   * the markers); per group, paging stops at the first activity older than `since`.
   */
  async describeActivities(
    names: string[],
    opts: { since?: number; max?: number } = {},
  ): Promise<ScalingActivity[]> {
    const max = opts.max ?? 50;
    const since = opts.since ?? -Infinity;
    const perGroup = await Promise.all(
      names.map(async (name) => {
        const pages = await collectPages(
          (token) =>
            this.client.send(
              new DescribeScalingActivitiesCommand({
                AutoScalingGroupName: name,
                MaxRecords: Math.min(max, MAX_RECORDS),
                ...(token ? { NextToken: token } : {}),
              }),
            ),
          (page) => page.NextToken,
          // AWS returns activities newest first, so once the pages reach past `since` or
          // hold `max` activities, later pages hold nothing we want.
          (pages) => {
            const activities = pages.flatMap((p) => p.Activities ?? []);
            const oldest = activities[activities.length - 1]?.StartTime?.getTime();
            return activities.length < max && (oldest === undefined || oldest >= since);
          },
        );
        return pages
          .flatMap((p) => p.Activities ?? [])
          .map(toActivity)
          .filter((a) => a.startTime >= since)
          .sort((a, b) => b.startTime - a.startTime)
          .slice(0, max);
      }),
    );
    return perGroup.flat().sort((a, b) => b.startTime - a.startTime);
  }
}

function toGroupState(group: AutoScalingGroup): AutoScalingGroupState {
  const inService = (group.Instances ?? []).filter((i) => i.LifecycleState === 'InService').length;
  const mixed = group.MixedInstancesPolicy;
  const distribution = mixed
    ? {
        onDemandBaseCapacity: mixed.InstancesDistribution?.OnDemandBaseCapacity,
        onDemandPercentageAboveBaseCapacity:
          mixed.InstancesDistribution?.OnDemandPercentageAboveBaseCapacity,
      }
    : undefined;
  const { onDemand, spot } = splitOnDemandSpot(inService, distribution);
  return AutoScalingGroupStateSchema.parse({
    name: group.AutoScalingGroupName,
    min: group.MinSize,
    max: group.MaxSize,
    desired: group.DesiredCapacity,
    inService,
    onDemand,
    spot,
    ...(distribution ? { distribution } : {}),
  });
}

function toActivity(activity: Activity): ScalingActivity {
  return ScalingActivitySchema.parse({
    id: activity.ActivityId,
    group: activity.AutoScalingGroupName,
    status: activity.StatusCode,
    description: activity.Description ?? '',
    cause: activity.Cause ?? '',
    startTime: activity.StartTime?.getTime(),
    ...(activity.EndTime ? { endTime: activity.EndTime.getTime() } : {}),
  });
}

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
  type ActivitiesTruncated,
  ScalingActivitySchema,
  splitOnDemandSpot,
  type AutoScalingGroupState,
  type ScalingActivity,
} from '@ballast/core';
import { chunk, collectPages } from './paging.js';

/** DescribeAutoScalingGroups accepts up to 100 names (and returns up to 100 per page). */
const MAX_RECORDS = 100;

export interface AutoScalingCollectorOptions {
  /** aborts every request in flight (a collection's deadline) */
  abortSignal?: AbortSignal;
}

export class AutoScalingCollector {
  private readonly sendOptions: { abortSignal?: AbortSignal };

  constructor(
    private readonly client: AutoScalingClient,
    options: AutoScalingCollectorOptions = {},
  ) {
    this.sendOptions = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  }

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
            this.sendOptions,
          ),
        (page) => page.NextToken,
      );
      groups.push(...pages.flatMap((p) => p.AutoScalingGroups ?? []));
    }
    return groups.map(toGroupState);
  }

  /**
   * Newest first, at most `max` per group (so a busy group cannot crowd a quiet one out of
   * the markers); per group, paging stops at the first activity older than `since`. A group
   * with more than `max` since then is reported in `truncated`, with how far back it was read.
   */
  async describeActivities(
    names: string[],
    opts: { since?: number; max?: number } = {},
  ): Promise<{ activities: ScalingActivity[]; truncated: ActivitiesTruncated[] }> {
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
              this.sendOptions,
            ),
          (page) => page.NextToken,
          // AWS returns activities newest first, so once the pages reach past `since` or
          // hold more than `max` activities (one more says some were left out), later pages
          // hold nothing we want.
          (pages) => {
            const activities = pages.flatMap((p) => p.Activities ?? []);
            const oldest = activities[activities.length - 1]?.StartTime?.getTime();
            return activities.length <= max && (oldest === undefined || oldest >= since);
          },
        );
        const fetched = pages.flatMap((p) => p.Activities ?? []).map(toActivity);
        const inWindow = fetched
          .filter((a) => a.startTime >= since)
          .sort((a, b) => b.startTime - a.startTime);
        const kept = inWindow.slice(0, max);
        // More in the window than kept: some were dropped, or the pages stopped short of `since`.
        const morePages = pages[pages.length - 1]?.NextToken !== undefined;
        const reachedSince = fetched.some((a) => a.startTime < since);
        const oldestKept = kept[kept.length - 1];
        const truncated =
          oldestKept && (inWindow.length > max || (morePages && !reachedSince))
            ? { group: name, from: oldestKept.startTime, limit: max }
            : undefined;
        return { kept, truncated };
      }),
    );
    return {
      activities: perGroup.flatMap((g) => g.kept).sort((a, b) => b.startTime - a.startTime),
      truncated: perGroup.flatMap((g) => (g.truncated ? [g.truncated] : [])),
    };
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

// EC2 Auto Scaling over the AWS Query protocol (form-encoded Action=...&Version=2011-01-01,
// XML answers): the groups, their activities, scaling policies, scheduled actions, sizes
// and on-demand/spot mix, and the account's limits. Each operation is a row of the table.
import { z } from 'zod';
import type {
  AutoScalingGroup,
  GroupInstance,
  ScalingActivity,
} from '../simulation/auto-scaling-group.js';
import { GROUP_METRICS } from '../simulation/simulation.js';
import {
  maxRecords,
  type AutoScalingContext,
  type AutoScalingHandler,
} from './auto-scaling-common.js';
import {
  describeAccountLimits,
  setDesiredCapacity,
  updateAutoScalingGroup,
} from './auto-scaling-capacity.js';
import { deletePolicy, describePolicies, putScalingPolicy } from './auto-scaling-policies.js';
import {
  batchPutScheduledUpdateGroupAction,
  deleteScheduledAction,
  describeScheduledActions,
  putScheduledUpdateGroupAction,
} from './auto-scaling-schedules.js';
import { AwsError, decodeToken, encodeToken, fingerprint, validationError } from './protocol.js';
import type { QueryParams } from './query-params.js';
import { el, fragment, members, xmlTimestamp } from './xml.js';

export type { AutoScalingContext } from './auto-scaling-common.js';

export const AUTO_SCALING_VERSION = '2011-01-01';
export const AUTO_SCALING_XML_NAMESPACE = 'http://autoscaling.amazonaws.com/doc/2011-01-01/';

/** The operations by Action: a Map, so no name reaches Object.prototype. */
export const autoScalingOperations: ReadonlyMap<string, AutoScalingHandler> = new Map<
  string,
  AutoScalingHandler
>([
  ['DescribeAutoScalingGroups', describeAutoScalingGroups],
  ['DescribeScalingActivities', describeScalingActivities],
  ['DescribePolicies', describePolicies],
  ['PutScalingPolicy', putScalingPolicy],
  ['DeletePolicy', deletePolicy],
  ['SetDesiredCapacity', setDesiredCapacity],
  ['UpdateAutoScalingGroup', updateAutoScalingGroup],
  ['PutScheduledUpdateGroupAction', putScheduledUpdateGroupAction],
  ['BatchPutScheduledUpdateGroupAction', batchPutScheduledUpdateGroupAction],
  ['DescribeScheduledActions', describeScheduledActions],
  ['DeleteScheduledAction', deleteScheduledAction],
  ['DescribeAccountLimits', describeAccountLimits],
]);

/** Filters.member.N.Name / Filters.member.N.Values.member.M */
function filters(params: QueryParams): { name: string; values: string[] }[] {
  const out = [];
  for (let i = 1; ; i++) {
    const name = params.get(`Filters.member.${i}.Name`);
    if (name === undefined) return out;
    out.push({ name, values: params.list(`Filters.member.${i}.Values`) });
  }
}

const OffsetCursor = z.number().int().min(0);

// ---------------------------------------------------------------- DescribeAutoScalingGroups

/** Group names a request may list: 50, or up to MaxRecords (at most 100) when that is higher. */
const DEFAULT_GROUP_NAMES_LIMIT = 50;

function describeAutoScalingGroups(params: QueryParams, ctx: AutoScalingContext): string {
  const pageSize = maxRecords(params, 50);
  const namesLimit = Math.max(DEFAULT_GROUP_NAMES_LIMIT, pageSize);
  const names = params.list('AutoScalingGroupNames', {
    max: namesLimit,
    error: () =>
      validationError(
        `The number of group names that may be passed in is limited to ${namesLimit}`,
      ),
  });
  const tagFilters = filters(params);
  let groups = [...ctx.simulation.groups.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  if (names.length > 0) {
    const wanted = new Set(names);
    groups = groups.filter((g) => wanted.has(g.name));
  }
  for (const f of tagFilters) groups = groups.filter((g) => matchesTagFilter(g, f));
  const print = fingerprint(['asg', names, tagFilters]);
  const offset = decodeToken(params.get('NextToken'), print, OffsetCursor) ?? 0;
  const page = groups.slice(offset, offset + pageSize);
  const next =
    offset + pageSize < groups.length ? encodeToken(offset + pageSize, print) : undefined;
  return members('AutoScalingGroups', page, (g) => groupXml(g, ctx)) + el('NextToken', next);
}

function matchesTagFilter(
  group: AutoScalingGroup,
  filter: { name: string; values: string[] },
): boolean {
  const tags = Object.entries(group.spec.tags);
  if (filter.name === 'tag-key') return tags.some(([k]) => filter.values.includes(k));
  if (filter.name === 'tag-value') return tags.some(([, v]) => filter.values.includes(v));
  if (filter.name.startsWith('tag:')) {
    const key = filter.name.slice(4);
    return tags.some(([k, v]) => k === key && filter.values.includes(v));
  }
  throw validationError(
    `Filter name ${filter.name} is not supported: use tag-key, tag-value or tag:<key>.`,
  );
}

function groupXml(g: AutoScalingGroup, ctx: AutoScalingContext) {
  const s = g.spec;
  const d = s.distribution;
  const launchTemplate = fragment(
    el('LaunchTemplateId', s.launchTemplate.id),
    el('LaunchTemplateName', s.launchTemplate.name),
    el('Version', s.launchTemplate.version),
  );
  return fragment(
    el('AutoScalingGroupName', g.name),
    el('AutoScalingGroupARN', g.arn),
    el(
      'MixedInstancesPolicy',
      fragment(
        el(
          'LaunchTemplate',
          fragment(
            el('LaunchTemplateSpecification', launchTemplate),
            members('Overrides', s.instanceTypes, (type) => fragment(el('InstanceType', type))),
          ),
        ),
        el(
          'InstancesDistribution',
          fragment(
            el('OnDemandAllocationStrategy', d.onDemandAllocationStrategy),
            el('OnDemandBaseCapacity', d.onDemandBaseCapacity),
            el('OnDemandPercentageAboveBaseCapacity', d.onDemandPercentageAboveBaseCapacity),
            el('SpotAllocationStrategy', d.spotAllocationStrategy),
          ),
        ),
      ),
    ),
    el('MinSize', g.minSize),
    el('MaxSize', g.maxSize),
    el('DesiredCapacity', g.desired),
    el('DefaultCooldown', s.defaultCooldown),
    members('AvailabilityZones', s.availabilityZones, (z) => z),
    members('LoadBalancerNames', [], (n: string) => n),
    members('TargetGroupARNs', s.targetGroupArns, (arn) => arn),
    el('HealthCheckType', s.healthCheckType),
    el('HealthCheckGracePeriod', s.healthCheckGracePeriod),
    members('Instances', g.instances, (i) => instanceXml(i, launchTemplate)),
    el('CreatedTime', xmlTimestamp(s.createdTime)),
    members('SuspendedProcesses', [], (p: string) => p),
    el('VPCZoneIdentifier', g.subnets.join(',')),
    members('EnabledMetrics', GROUP_METRICS, (m) =>
      fragment(el('Metric', m), el('Granularity', '1Minute')),
    ),
    members('Tags', Object.entries(s.tags), ([key, value]) =>
      fragment(
        el('ResourceId', g.name),
        el('ResourceType', 'auto-scaling-group'),
        el('Key', key),
        el('Value', value),
        el('PropagateAtLaunch', true),
      ),
    ),
    members('TerminationPolicies', ['Default'], (p) => p),
    el('NewInstancesProtectedFromScaleIn', false),
    el(
      'ServiceLinkedRoleARN',
      `arn:aws:iam::${ctx.simulation.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    ),
    el('CapacityRebalance', s.capacityRebalance),
    el('DefaultInstanceWarmup', s.defaultInstanceWarmup),
    members('TrafficSources', s.targetGroupArns, (arn) =>
      fragment(el('Identifier', arn), el('Type', 'elbv2')),
    ),
  );
}

function instanceXml(i: GroupInstance, launchTemplate: ReturnType<typeof fragment>) {
  return fragment(
    el('InstanceId', i.id),
    el('InstanceType', i.instanceType),
    el('AvailabilityZone', i.availabilityZone),
    el('LifecycleState', i.state),
    el('HealthStatus', i.healthy ? 'Healthy' : 'Unhealthy'),
    el('LaunchTemplate', launchTemplate),
    el('ProtectedFromScaleIn', false),
  );
}

// ---------------------------------------------------------------- DescribeScalingActivities

function describeScalingActivities(params: QueryParams, ctx: AutoScalingContext): string {
  const groupName = params.get('AutoScalingGroupName');
  const ids = params.list('ActivityIds', {
    max: 50,
    error: () =>
      validationError(
        `1 validation error detected: Value at 'activityIds' failed to satisfy constraint: Member must have length less than or equal to 50`,
      ),
  });
  const pageSize = maxRecords(params, 100);
  const groups = groupName
    ? [ctx.simulation.groups.get(groupName)].filter((g) => g !== undefined)
    : [...ctx.simulation.groups.values()];
  const wantedIds = new Set(ids);
  // Newest first, as AWS lists them; only what has started by now.
  const activities: ScalingActivity[] = [];
  for (const g of groups)
    for (const a of g.activities)
      if (a.startTime <= ctx.now && (wantedIds.size === 0 || wantedIds.has(a.activityId)))
        activities.push(a);
  activities.sort((a, b) => b.startTime - a.startTime || (a.activityId < b.activityId ? -1 : 1));

  const print = fingerprint(['activities', groupName, ids]);
  const cursor = decodeToken(params.get('NextToken'), print, ActivityCursor);
  // Page from the activity the token points at, so new activities do not shift pages.
  let start = 0;
  if (cursor) {
    start = activities.findIndex(
      (a) =>
        a.startTime < cursor.before ||
        (a.startTime === cursor.before && a.activityId > cursor.after),
    );
    if (start < 0) start = activities.length;
  }
  const page = activities.slice(start, start + pageSize);
  const last = page[page.length - 1];
  const next =
    start + pageSize < activities.length && last
      ? encodeToken({ before: last.startTime, after: last.activityId }, print)
      : undefined;
  const groupArns = new Map(groups.map((g) => [g.name, g.arn]));
  return (
    members('Activities', page, (a) => activityXml(a, groupArns.get(a.groupName), ctx.now)) +
    el('NextToken', next)
  );
}

const ActivityCursor = z.object({ before: z.number(), after: z.string() });

function activityXml(a: ScalingActivity, groupArn: string | undefined, now: number) {
  // An activity still running at `now` is reported as in progress.
  const done = a.endTime !== undefined && a.endTime <= now;
  return fragment(
    el('ActivityId', a.activityId),
    el('AutoScalingGroupName', a.groupName),
    el('AutoScalingGroupARN', groupArn),
    el('Description', a.description),
    el('Cause', a.cause),
    el('StartTime', xmlTimestamp(a.startTime)),
    el('EndTime', done ? xmlTimestamp(a.endTime!) : undefined),
    el('StatusCode', done ? 'Successful' : 'InProgress'),
    el('Progress', done ? 100 : a.progress),
    el('Details', a.details),
  );
}

export const unknownAction = (action: string) =>
  new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`, 400);

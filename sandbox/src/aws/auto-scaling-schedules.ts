// Scheduled actions over the Query protocol: PutScheduledUpdateGroupAction (one-off at
// StartTime, or a cron Recurrence in a TimeZone until EndTime),
// BatchPutScheduledUpdateGroupAction (each action failing on its own), DescribeScheduledActions
// and DeleteScheduledAction, with AWS's validation and its limit of 125 actions a group.
import { z } from 'zod';
import type { AutoScalingGroup } from '../simulation/auto-scaling-group.js';
import { CronSyntaxError, isTimeZone, parseCron } from '../simulation/cron.js';
import { firstRun, type ScheduledActionDefinition } from '../simulation/scheduled-actions.js';
import {
  checkSize,
  groupFor,
  limitExceeded,
  maxRecords,
  nameList,
  page,
  type AutoScalingContext,
} from './auto-scaling-common.js';
import { AwsError, validationError, zodToValidationError } from './protocol.js';
import { parseQuery, qInt, qList, qString, qTimestamp } from './query-input.js';
import type { QueryParams } from './query-params.js';
import { el, fragment, members, xmlTimestamp } from './xml.js';

/** Scheduled actions per Auto Scaling group (the service quota). */
export const MAX_SCHEDULED_ACTIONS_PER_GROUP = 125;
/** Actions one BatchPutScheduledUpdateGroupAction takes. */
const MAX_BATCH = 50;

const ScheduledActionFields = {
  ScheduledActionName: qString(1, 255),
  StartTime: qTimestamp().optional(),
  EndTime: qTimestamp().optional(),
  Recurrence: qString(1, 255).optional(),
  MinSize: qInt(0).optional(),
  MaxSize: qInt(0).optional(),
  DesiredCapacity: qInt(0).optional(),
  TimeZone: qString(1, 255).optional(),
};

const PutScheduledUpdateGroupActionInput = z.object({
  AutoScalingGroupName: qString(1, 255),
  // "no longer used": taken as StartTime when that is not given.
  Time: qTimestamp().optional(),
  ...ScheduledActionFields,
});

export function putScheduledUpdateGroupAction(
  params: QueryParams,
  ctx: AutoScalingContext,
): undefined {
  const input = parseQuery(
    PutScheduledUpdateGroupActionInput,
    params,
    Object.keys(PutScheduledUpdateGroupActionInput.shape),
  );
  const group = groupFor(ctx, input.AutoScalingGroupName, 'null');
  const definition = actionDefinition(
    { ...input, StartTime: input.StartTime ?? input.Time },
    group,
    ctx.now,
  );
  checkLimit(group, [definition.name]);
  ctx.simulation.putScheduledAction(group, definition, ctx.now);
  return undefined;
}

const ScheduledActionInput = z.object(ScheduledActionFields);

export function batchPutScheduledUpdateGroupAction(
  params: QueryParams,
  ctx: AutoScalingContext,
): string {
  // The request needs a name for every action; each action is then checked on its own.
  const input = parseQuery(
    z.object({
      AutoScalingGroupName: qString(1, 255),
      ScheduledUpdateGroupActions: qList(
        z.looseObject({ ScheduledActionName: qString(1, 255) }),
        MAX_BATCH,
      ),
    }),
    params,
    ['AutoScalingGroupName', 'ScheduledUpdateGroupActions'],
  );
  const group = groupFor(ctx, input.AutoScalingGroupName, 'null');
  const failed: { name: string; code: string; message: string }[] = [];
  const seen = new Set<string>();
  let room = MAX_SCHEDULED_ACTIONS_PER_GROUP - group.scheduledActions.size;
  for (const raw of input.ScheduledUpdateGroupActions) {
    const name = raw.ScheduledActionName;
    try {
      const parsed = ScheduledActionInput.safeParse(raw);
      if (!parsed.success) throw zodToValidationError(parsed.error, raw);
      if (seen.has(name))
        throw new AwsError(
          'AlreadyExists',
          `The scheduled action ${name} is given more than once in this request.`,
        );
      const definition = actionDefinition(parsed.data, group, ctx.now);
      const isNew = !group.scheduledActions.has(name);
      if (isNew && room <= 0) throw limitExceeded(limitMessage(group));
      seen.add(name);
      ctx.simulation.putScheduledAction(group, definition, ctx.now);
      if (isNew) room--;
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      failed.push({ name, code: error.code, message: error.message });
    }
  }
  return members('FailedScheduledUpdateGroupActions', failed, (f) =>
    fragment(
      el('ScheduledActionName', f.name),
      el('ErrorCode', f.code),
      el('ErrorMessage', f.message),
    ),
  );
}

function limitMessage(group: AutoScalingGroup): string {
  return `The number of scheduled actions of Auto Scaling group ${group.name} has reached its limit of ${MAX_SCHEDULED_ACTIONS_PER_GROUP}.`;
}

function checkLimit(group: AutoScalingGroup, names: string[]): void {
  const added = names.filter((n) => !group.scheduledActions.has(n)).length;
  if (added > 0 && group.scheduledActions.size + added > MAX_SCHEDULED_ACTIONS_PER_GROUP)
    throw limitExceeded(limitMessage(group));
}

/** Check an action as AWS does and turn it into what the simulation stores. */
function actionDefinition(
  input: z.infer<typeof ScheduledActionInput>,
  group: AutoScalingGroup,
  now: number,
): ScheduledActionDefinition {
  const { StartTime: start, EndTime: end, Recurrence: recurrence, TimeZone: zone } = input;
  if (
    input.MinSize === undefined &&
    input.MaxSize === undefined &&
    input.DesiredCapacity === undefined
  )
    throw validationError(
      'At least one of MinSize, MaxSize and DesiredCapacity must be specified.',
    );
  if (start === undefined && recurrence === undefined)
    throw validationError('Either StartTime or Recurrence must be specified.');
  if (start !== undefined && start < now) throw validationError('Given start time is in the past');
  if (end !== undefined) {
    if (end < now) throw validationError('Given end time is in the past');
    if (start !== undefined && end <= start)
      throw validationError('Given end time is before the start time');
  }
  if (recurrence !== undefined) {
    try {
      parseCron(recurrence);
    } catch (error) {
      if (error instanceof CronSyntaxError)
        throw validationError(
          `Given recurrence string "${recurrence}" is not valid: ${error.message}.`,
        );
      throw error;
    }
  }
  if (zone !== undefined && !isTimeZone(zone))
    throw validationError(
      `Invalid time zone ${zone}: give the canonical name of an IANA time zone, such as Etc/GMT+9 or Pacific/Tahiti.`,
    );
  checkSize(group, input);
  const definition: ScheduledActionDefinition = {
    name: input.ScheduledActionName,
    ...(start !== undefined ? { startTime: start } : {}),
    ...(end !== undefined ? { endTime: end } : {}),
    ...(recurrence !== undefined ? { recurrence } : {}),
    ...(zone !== undefined ? { timeZone: zone } : {}),
    ...(input.MinSize !== undefined ? { minSize: input.MinSize } : {}),
    ...(input.MaxSize !== undefined ? { maxSize: input.MaxSize } : {}),
    ...(input.DesiredCapacity !== undefined ? { desiredCapacity: input.DesiredCapacity } : {}),
  };
  if (firstRun(definition, now) === undefined)
    throw validationError(
      `The scheduled action ${definition.name} would never run: its recurrence has no time ${end !== undefined ? 'before its end time' : 'in the next eight years'}.`,
    );
  return definition;
}

// ---------------------------------------------------------------- DescribeScheduledActions

const DescribeScheduledActionsInput = z.object({
  AutoScalingGroupName: qString(1, 255).optional(),
  StartTime: qTimestamp().optional(),
  EndTime: qTimestamp().optional(),
});

export function describeScheduledActions(params: QueryParams, ctx: AutoScalingContext): string {
  const input = parseQuery(DescribeScheduledActionsInput, params, [
    'AutoScalingGroupName',
    'StartTime',
    'EndTime',
  ]);
  const names = nameList(params, 'ScheduledActionNames', 50);
  const pageSize = maxRecords(params, 50);
  const groups = [...ctx.simulation.groups.values()]
    .filter(
      (g) => input.AutoScalingGroupName === undefined || g.name === input.AutoScalingGroupName,
    )
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const wanted = new Set(names);
  const actions = groups.flatMap((g) =>
    [...g.scheduledActions.values()]
      .filter((a) =>
        wanted.size > 0
          ? wanted.has(a.name)
          : // The start and end filters apply to the next run, and only without names.
            (input.StartTime === undefined || a.nextRun! >= input.StartTime) &&
            (input.EndTime === undefined || a.nextRun! <= input.EndTime),
      )
      .sort((a, b) => a.nextRun! - b.nextRun! || (a.name < b.name ? -1 : 1)),
  );
  const { items, nextToken } = page(actions, params, pageSize, [
    'scheduled',
    input.AutoScalingGroupName,
    names,
    input.StartTime,
    input.EndTime,
  ]);
  return (
    members('ScheduledUpdateGroupActions', items, (a) => {
      const d = a.definition;
      const next = xmlTimestamp(a.nextRun!);
      return fragment(
        el('AutoScalingGroupName', a.group.name),
        el('ScheduledActionName', a.name),
        el('ScheduledActionARN', a.arn),
        el('Time', next),
        el('StartTime', next),
        el('EndTime', d.endTime === undefined ? undefined : xmlTimestamp(d.endTime)),
        el('Recurrence', d.recurrence),
        el('MinSize', d.minSize),
        el('MaxSize', d.maxSize),
        el('DesiredCapacity', d.desiredCapacity),
        el('TimeZone', d.timeZone),
      );
    }) + el('NextToken', nextToken)
  );
}

// ---------------------------------------------------------------- DeleteScheduledAction

const DeleteScheduledActionInput = z.object({
  AutoScalingGroupName: qString(1, 255),
  ScheduledActionName: qString(1, 255),
});

export function deleteScheduledAction(params: QueryParams, ctx: AutoScalingContext): undefined {
  const input = parseQuery(DeleteScheduledActionInput, params, [
    'AutoScalingGroupName',
    'ScheduledActionName',
  ]);
  const group = groupFor(ctx, input.AutoScalingGroupName, 'null');
  if (!group.scheduledActions.delete(input.ScheduledActionName))
    throw validationError('Scheduled action name not found');
  return undefined;
}

// Scheduled actions of a group (PutScheduledUpdateGroupAction): a one-off change of MinSize,
// MaxSize and DesiredCapacity at StartTime, or a recurring one on a cron Recurrence read in
// its TimeZone, from StartTime (if given) until EndTime. A one-off action is gone once it has
// run; a recurring one once its EndTime has passed, as DescribeScheduledActions shows.
import type { AutoScalingGroup } from './auto-scaling-group.js';
import { nextCronTime, parseCron, type CronSchedule } from './cron.js';

export interface ScheduledActionDefinition {
  name: string;
  /** epoch ms; with a Recurrence, the first run */
  startTime?: number;
  /** epoch ms, for a recurring action */
  endTime?: number;
  /** five-field cron */
  recurrence?: string;
  /** IANA zone of the recurrence; undefined: UTC */
  timeZone?: string;
  minSize?: number;
  maxSize?: number;
  desiredCapacity?: number;
}

export class ScheduledAction {
  readonly arn: string;
  private readonly cron: CronSchedule | undefined;
  /** the next time it runs; undefined: it will not run again */
  nextRun: number | undefined;

  constructor(
    readonly group: AutoScalingGroup,
    readonly definition: ScheduledActionDefinition,
    uuid: string,
    region: string,
    /** when it was put: a recurrence without StartTime first runs after this */
    now: number,
  ) {
    const account = group.arn.split(':')[4];
    this.arn = `arn:aws:autoscaling:${region}:${account}:scheduledUpdateGroupAction:${uuid}:autoScalingGroupName/${group.name}:scheduledActionName/${definition.name}`;
    this.cron = definition.recurrence === undefined ? undefined : parseCron(definition.recurrence);
    this.nextRun = firstRun(definition, now, this.cron);
  }

  get name(): string {
    return this.definition.name;
  }

  get timeZone(): string {
    return this.definition.timeZone ?? 'UTC';
  }

  /** Run it (the group takes the new limits) and work out the next run. */
  run(at: number): void {
    const d = this.definition;
    const g = this.group;
    const min = d.minSize ?? g.minSize;
    const max = d.maxSize ?? g.maxSize;
    // Limits that no longer fit the group (its other limit moved since) leave it alone.
    if (min <= max) {
      g.updateSize(
        at,
        {
          minSize: d.minSize,
          maxSize: d.maxSize,
          ...(d.desiredCapacity !== undefined
            ? { desiredCapacity: Math.min(max, Math.max(min, d.desiredCapacity)) }
            : {}),
        },
        'scheduled action',
      );
    }
    this.nextRun = this.cron ? this.bounded(this.occurrenceAfter(at)) : undefined;
  }

  private occurrenceAfter(t: number): number | undefined {
    return nextCronTime(this.cron!, this.timeZone, t);
  }

  private bounded(t: number | undefined): number | undefined {
    return bounded(t, this.definition.endTime);
  }
}

/**
 * When an action put at `now` first runs: its StartTime, else its recurrence's next time;
 * undefined when that is past its EndTime (or the recurrence never comes).
 */
export function firstRun(
  definition: ScheduledActionDefinition,
  now: number,
  cron = definition.recurrence === undefined ? undefined : parseCron(definition.recurrence),
): number | undefined {
  const first =
    definition.startTime ??
    (cron ? nextCronTime(cron, definition.timeZone ?? 'UTC', now) : undefined);
  return bounded(first, definition.endTime);
}

function bounded(t: number | undefined, end: number | undefined): number | undefined {
  return t === undefined || (end !== undefined && t > end) ? undefined : t;
}

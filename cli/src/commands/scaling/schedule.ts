import {
  applyFlags,
  ChangeCommand,
  changeContextFlags,
  overridesOf,
  type ChangeResult,
} from '../../change-command.js';
import { groupArg, scheduleFlags, scheduleRequest } from '../../change-requests.js';

export type ScalingScheduleResult = ChangeResult;

export default class ScalingSchedule extends ChangeCommand<ScalingScheduleResult> {
  public static override summary =
    'Put a scheduled action on a group: once (--at) or repeatedly (--recurrence), setting min, max and/or desired.';

  public static override description = `An action of the same name is replaced. AWS's rules are checked before anything is written: a one-off start in the future, min <= desired <= max when it fires (given the actions before it), 125 scheduled actions per group. A one-off action's effect is replayed: the recorded week stands for the week to come, the action firing at its minute; recurring actions are not replayed.

Asks for a reason and a confirmation on a terminal (--yes and --reason skip them); without a terminal and without --yes it refuses; --dry-run stops after the plan.`;

  public static override examples = [
    {
      description: 'Warm the web tier before a sale opens.',
      command:
        '<%= config.bin %> <%= command.id %> store-web --name sale-warm --at 2026-12-24T05:30Z --min 12 --max 40 --yes --reason "xmas sale"',
    },
    {
      description: 'Every weekday morning in New York, at least 6 instances.',
      command:
        '<%= config.bin %> <%= command.id %> store-web --name weekday-floor --recurrence "0 6 * * 1-5" --time-zone America/New_York --min 6',
    },
  ];

  public static override args = groupArg;

  public static override flags = { ...changeContextFlags, ...scheduleFlags, ...applyFlags };

  public async run(): Promise<ScalingScheduleResult> {
    const { args, flags } = await this.parse(ScalingSchedule);
    return this.planAndCarryOut(flags, (session, signal) =>
      session.service.planChange(
        scheduleRequest(args.group, flags, {
          overrides: overridesOf(flags),
          signal,
          command: 'scaling schedule',
        }),
      ),
    );
  }
}

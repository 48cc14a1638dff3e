import { scheduledActionsRequest, type ScheduledActionsState } from '@ballast/core';
import { Flags } from '@oclif/core';
import {
  applyFlags,
  ChangeCommand,
  changeContextFlags,
  overridesOf,
  type ChangeResult,
} from '../../change-command.js';
import { groupArg } from '../../change-requests.js';
import { UserError } from '../../errors.js';

export type ScalingUnscheduleResult = ChangeResult;

export default class ScalingUnschedule extends ChangeCommand<ScalingUnscheduleResult> {
  public static override summary = 'Delete scheduled actions of a group, by name.';

  public static override description = `Asks for a reason and a confirmation on a terminal (--yes and --reason skip them); without a terminal and without --yes it refuses; --dry-run stops after the plan. Revert it with \`ballast changes revert CHANGE-ID\`: the actions are put back as they were.`;

  public static override examples = [
    {
      description: 'Remove a schedule that has served its purpose.',
      command:
        '<%= config.bin %> <%= command.id %> store-web --name sale-warm --yes --reason "sale over"',
    },
  ];

  public static override args = groupArg;

  public static override flags = {
    ...changeContextFlags,
    name: Flags.string({
      summary: 'Scheduled action to delete (repeat the flag for more).',
      required: true,
      multiple: true,
    }),
    ...applyFlags,
  };

  public async run(): Promise<ScalingUnscheduleResult> {
    const { args, flags } = await this.parse(ScalingUnschedule);
    return this.planAndCarryOut(flags, async (session, signal) => {
      const plan = await session.service.planChange(
        scheduledActionsRequest({
          group: args.group,
          remove: flags.name,
          overrides: overridesOf(flags),
          withoutEffect: true,
          signal,
        }),
      );
      const found = new Set((plan.before as ScheduledActionsState).actions.map((a) => a.name));
      const missing = flags.name.filter((n) => !found.has(n));
      if (missing.length === flags.name.length)
        throw new UserError(`${args.group} has no scheduled action named ${missing.join(', ')}.`, {
          code: 'NotFound',
          actions: [`ballast scaling show ${args.group}`],
        });
      for (const name of missing) this.warn(`${args.group} has no scheduled action named ${name}.`);
      return plan;
    });
  }
}

import {
  applyFlags,
  ChangeCommand,
  changeContextFlags,
  overridesOf,
  type ChangeResult,
} from '../../change-command.js';
import { groupArg, workerChangeFlags, workersRequest } from '../../change-requests.js';

export type WorkersApplyResult = ChangeResult;

export default class WorkersApply extends ChangeCommand<WorkersApplyResult> {
  public static override summary =
    'Change the worker fleet: plan, confirm, apply, read back, record.';

  public static override description = `Plans as \`ballast workers plan\` does and prints the plan; then, unless a guardrail refuses it, asks for a reason and a confirmation (--yes and --reason skip them) and applies it through the change engine: compare-and-set against the planned live state, read back, recorded in the audit log with the AWS principal and the local user. Undo it with \`ballast changes revert CHANGE-ID\`.

Without a terminal and without --yes it refuses and changes nothing; --dry-run stops after the plan.`;

  public static override examples = [
    {
      description: 'Up to 40 workers, 80% of those above the on-demand base on spot.',
      command:
        '<%= config.bin %> <%= command.id %> store-workers --max 40 --spot-share 80 --yes --reason "backlog"',
    },
    {
      description: 'Pick spot capacity by price and capacity, with 2 workers always on-demand.',
      command:
        '<%= config.bin %> <%= command.id %> store-workers --on-demand-base 2 --allocation-strategy price-capacity-optimized',
    },
  ];

  public static override args = groupArg;

  public static override flags = { ...changeContextFlags, ...workerChangeFlags, ...applyFlags };

  public async run(): Promise<WorkersApplyResult> {
    const { args, flags } = await this.parse(WorkersApply);
    return this.planAndCarryOut(flags, (session, signal) =>
      session.service.planChange(
        workersRequest(session.platform, args.group, flags, {
          overrides: overridesOf(flags),
          signal,
          command: 'workers apply',
        }),
      ),
    );
  }
}

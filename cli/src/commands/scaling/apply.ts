import {
  applyFlags,
  ChangeCommand,
  changeContextFlags,
  overridesOf,
  type ChangeResult,
} from '../../change-command.js';
import { groupArg, scalingChangeFlags, scalingRequest } from '../../change-requests.js';

export type ScalingApplyResult = ChangeResult;

export default class ScalingApply extends ChangeCommand<ScalingApplyResult> {
  public static override summary =
    "Change a group's scaling policy or capacity: plan, confirm, apply, read back, record.";

  public static override description = `Plans the change as \`ballast scaling plan\` does and prints the plan (diff, what-if effect, guardrails). Then, unless a guardrail refuses it, asks for a reason and a confirmation on the terminal (--yes and --reason skip the questions) and applies it through the change engine: only if the group's live state is still what the plan was made against (compare-and-set, one change at a time per group), reading it back until it shows the change, and recording who (the AWS principal from STS and the local user), when, why, before and after in the audit log. Undo it with \`ballast changes revert CHANGE-ID\`.

Without a terminal and without --yes it refuses and changes nothing. --dry-run stops after the plan.

Exit codes: 0 applied (also "no changes": the group already has this configuration, and applied but not yet read back, with a warning), 1 refused (a guardrail, not confirmed, the live state moved) or failed, 2 for invalid flags.`;

  public static override examples = [
    {
      description: 'Plan + apply a CPU target of 50%, without questions.',
      command:
        '<%= config.bin %> <%= command.id %> store-web --target-cpu 50 --yes --reason "pre-sale"',
    },
    {
      description: 'Only see what it would do.',
      command: '<%= config.bin %> <%= command.id %> store-web --target-cpu 50 --dry-run',
    },
    {
      description: 'A larger step than the guardrail allows at once, knowingly.',
      command:
        '<%= config.bin %> <%= command.id %> store-web --min 12 --force --reason "sale starts"',
    },
  ];

  public static override args = groupArg;

  public static override flags = { ...changeContextFlags, ...scalingChangeFlags, ...applyFlags };

  public async run(): Promise<ScalingApplyResult> {
    const { args, flags } = await this.parse(ScalingApply);
    return this.planAndCarryOut(flags, (session, signal) =>
      session.service.planChange(
        scalingRequest(session.platform, args.group, flags, {
          overrides: overridesOf(flags),
          signal,
          command: 'scaling apply',
        }),
      ),
    );
  }
}

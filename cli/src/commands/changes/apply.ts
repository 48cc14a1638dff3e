import { Args } from '@oclif/core';
import {
  applyFlags,
  ChangeCommand,
  changeContextFlags,
  type ChangeResult,
} from '../../change-command.js';

export type ChangesApplyResult = ChangeResult;

export default class ChangesApply extends ChangeCommand<ChangesApplyResult> {
  public static override summary =
    'Apply a saved plan (from `--out FILE`): exactly that plan, refused if the live state moved since.';

  public static override description = `Like terraform apply PLANFILE: the file holds the live state the plan was made against. It is applied only if the group still has that state (compare-and-set); otherwise it is refused with what moved, and nothing is written. A file edited after it was saved, made in another context, or already applied is refused too. The guardrails are checked again on the state now (a tier may have turned critical since).

Asks for a reason and a confirmation on a terminal (--yes and --reason skip them); without a terminal and without --yes it refuses.`;

  public static override examples = [
    {
      description: 'Plan now, apply after review.',
      command:
        '<%= config.bin %> scaling plan store-web --target-cpu 50 --out web.plan\n<%= config.bin %> <%= command.id %> web.plan --yes --reason "pre-sale"',
    },
  ];

  public static override args = {
    file: Args.string({
      description: 'Plan file written by a plan command with --out.',
      required: true,
    }),
  };

  public static override flags = { ...changeContextFlags, ...applyFlags };

  public async run(): Promise<ChangesApplyResult> {
    const { args, flags } = await this.parse(ChangesApply);
    return this.planAndCarryOut(flags, (session) => session.service.loadPlan(args.file));
  }
}

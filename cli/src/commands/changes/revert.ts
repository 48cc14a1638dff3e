import { Args } from '@oclif/core';
import {
  applyFlags,
  ChangeCommand,
  changeContextFlags,
  overridesOf,
  type ChangeResult,
} from '../../change-command.js';

export type ChangesRevertResult = ChangeResult;

export default class ChangesRevert extends ChangeCommand<ChangesRevertResult> {
  public static override summary =
    'Undo a change: plan its inverse against the live state, then apply it like any change.';

  public static override description = `The revert is planned through the same engine as the change: the diff from the live state now back to the change's "before", its what-if effect and its guardrails (a revert that scales in is checked against tier health and load tests like any scale-in). Then it asks for a reason and a confirmation (--yes and --reason skip them), applies with compare-and-set, reads back and records it in the audit log as the revert of that change.`;

  public static override examples = [
    {
      description: 'Roll back a change.',
      command: '<%= config.bin %> <%= command.id %> CHANGE-ID --yes --reason "rollback"',
    },
    {
      description: 'See what the revert would do.',
      command: '<%= config.bin %> <%= command.id %> CHANGE-ID --dry-run',
    },
  ];

  public static override args = {
    change: Args.string({ description: 'Change id (see `ballast changes list`).', required: true }),
  };

  public static override flags = { ...changeContextFlags, ...applyFlags };

  public async run(): Promise<ChangesRevertResult> {
    const { args, flags } = await this.parse(ChangesRevert);
    return this.planAndCarryOut(flags, async (session, signal) => {
      await this.recoverQuietly(session, signal);
      return session.service.planRevert(args.change, { overrides: overridesOf(flags), signal });
    });
  }
}

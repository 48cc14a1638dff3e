import { type ChangeRecord } from '@ballast/core';
import { Args } from '@oclif/core';
import { ChangeCommand, changeContextFlags } from '../../change-command.js';
import { UserError } from '../../errors.js';
import { renderChangeRecord } from '../../views/change-view.js';

export type ChangesShowResult = ChangeRecord;

export default class ChangesShow extends ChangeCommand<ChangesShowResult> {
  public static override summary =
    'Show one change: who, when, why, the diff, each write and how it ended.';

  public static override examples = [
    {
      description: 'One change.',
      command: '<%= config.bin %> <%= command.id %> chg-20261201-030512-1a2b',
    },
    {
      description: 'Its state before and after, for a script.',
      command:
        "<%= config.bin %> <%= command.id %> CHANGE-ID --json | jq '.result.before, .result.after'",
    },
  ];

  public static override args = {
    change: Args.string({ description: 'Change id (see `ballast changes list`).', required: true }),
  };

  public static override flags = { ...changeContextFlags };

  public async run(): Promise<ChangesShowResult> {
    const { args, flags } = await this.parse(ChangesShow);
    const session = await this.openChanges(flags);
    try {
      await this.recoverQuietly(session);
      const record = session.service.show(args.change);
      if (!record)
        throw new UserError(`No change ${args.change} in context ${session.context.name}.`, {
          code: 'NotFound',
          actions: ['ballast changes list'],
        });
      this.log(
        renderChangeRecord(record, {
          palette: this.palette,
          width: this.terminal.width,
          now: Date.now(),
        }).join('\n'),
      );
      return record;
    } finally {
      session.store.close();
    }
  }
}

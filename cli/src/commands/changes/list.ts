import { parseDuration, type AuditChainReport, type ChangeRecord } from '@ballast/core';
import { Flags } from '@oclif/core';
import { ChangeCommand, changeContextFlags } from '../../change-command.js';
import { renderChangeList } from '../../views/change-view.js';

export interface ChangesListResult {
  changes: ChangeRecord[];
  /** the audit log's hash chain, checked while listing */
  chain: AuditChainReport;
}

export default class ChangesList extends ChangeCommand<ChangesListResult> {
  public static override summary =
    'List the changes of this context from the audit log, newest first.';

  public static override description = `Each change: its id, when, how it ended (applied, unverified, failed, interrupted, pending), what, and who. The last line says whether the audit log's hash chain holds (\`ballast changes verify\` checks it and exits 1 when it does not). An apply whose process died is recorded as interrupted first, with the live state found now.`;

  public static override examples = [
    {
      description: 'Every change of the current context.',
      command: '<%= config.bin %> <%= command.id %>',
    },
    { description: 'Machine-readable.', command: '<%= config.bin %> <%= command.id %> --json' },
    {
      description: 'The last day, on the web group.',
      command: '<%= config.bin %> <%= command.id %> --since 1d --group store-web',
    },
  ];

  public static override flags = {
    ...changeContextFlags,
    since: Flags.string({ summary: 'Only changes made in this last while: 1h, 7d, ...' }),
    group: Flags.string({ summary: 'Only changes of this Auto Scaling group.' }),
  };

  public async run(): Promise<ChangesListResult> {
    const { flags } = await this.parse(ChangesList);
    const sinceMs = flags.since ? parseDuration(flags.since) : undefined;
    const session = await this.openChanges(flags);
    try {
      await this.recoverQuietly(session);
      const now = Date.now();
      const changes = session.service
        .list(sinceMs !== undefined ? { from: now - sinceMs } : {})
        .filter((c) => !flags.group || c.target.group === flags.group);
      const chain = session.service.verify();
      this.log(
        renderChangeList(changes, {
          palette: this.palette,
          width: this.terminal.width,
          now,
          chain,
        }).join('\n'),
      );
      return { changes, chain };
    } finally {
      session.store.close();
    }
  }
}

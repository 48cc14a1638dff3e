import { join } from 'node:path';
import { ballastPaths, type AuditChainReport } from '@ballast/core';
import { ChangeCommand, changeContextFlags } from '../../change-command.js';
import { UserError } from '../../errors.js';
import { renderChainLine } from '../../views/change-view.js';

export type ChangesVerifyResult = Extract<AuditChainReport, { ok: true }>;

export default class ChangesVerify extends ChangeCommand<ChangesVerifyResult> {
  public static override summary =
    "Check the audit log's hash chain: names the first entry that was edited, deleted or reordered.";

  public static override description = `Every entry of the audit log hashes the one before it and its own content, and the store keeps the number of the last entry written, so editing, deleting, reordering or cutting off entries breaks the chain from there on. This reads the local store only (no AWS call).

Exit codes: 0 the chain holds, 1 it is broken (the message names the first broken entry and its change).`;

  public static override examples = [
    { description: 'Check the chain.', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'From a script.', command: '<%= config.bin %> <%= command.id %> --json' },
  ];

  public static override flags = { ...changeContextFlags };

  public async run(): Promise<ChangesVerifyResult> {
    const { flags } = await this.parse(ChangesVerify);
    const session = await this.openChanges(flags);
    try {
      const report = session.service.verify();
      if (!report.ok)
        throw new UserError(`Audit chain broken: ${report.message}`, {
          code: 'AuditChainBroken',
          actions: [
            `Nothing in Ballast edits the log: find out who changed ${join(ballastPaths().stateDir, 'ballast.db')}, and keep a copy of it as evidence.`,
            `The entries before #${report.brokenAt} still hold: ballast changes list`,
          ],
        });
      this.log(renderChainLine(report, this.palette));
      return report;
    } finally {
      session.store.close();
    }
  }
}

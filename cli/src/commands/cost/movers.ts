import { collectMovers } from '@ballast/collectors';
import type { MoversReport } from '@ballast/core';
import { Flags } from '@oclif/core';
import { contextFlags } from '../../base-command.js';
import { csvFlags, refreshFlags, SpendCommand, spendTimeoutFlags } from '../../spend-command.js';
import { moversCsv, renderMovers } from '../../views/movers-view.js';

export type CostMoversResult = MoversReport;

export default class CostMovers extends SpendCommand<CostMoversResult> {
  public static override summary =
    'What changed most week over week, by service, tag and usage type.';

  public static override description = `The last 7 complete days against the 7 before them, by service, by the platform config's primary tag (the first budgeted one, else the first of spend.tagKeys) and by usage type: the largest changes in dollars first, growth in red, savings in green, spend that is new this week marked "new". Lines under a floor (the larger of $1 and 0.5% of a week's spend) in both weeks are left out, so small lines do not lead by percentage.

What it costs: by service and tag come from the same cached days as \`ballast cost\` (read again at most every 8 hours); usage types from another query (at most every 24 hours); --refresh forces both. When one of them cannot be read, the others are still shown and it says why.

Exit codes: 0 when movers were shown (also from stored data when Cost Explorer could not be read: a warning says so); 1 when nothing could be read or shown; 2 for invalid flags.`;

  public static override examples = [
    {
      description: 'Top movers of the week.',
      command: '<%= config.bin %> <%= command.id %>',
    },
    {
      description: 'Machine-readable.',
      command: '<%= config.bin %> <%= command.id %> --json',
    },
    {
      description: 'The three largest per dimension, as CSV.',
      command: '<%= config.bin %> <%= command.id %> --limit 3 --csv > movers.csv',
    },
  ];

  public static override flags = {
    ...contextFlags,
    ...spendTimeoutFlags,
    limit: Flags.integer({
      summary: 'Movers shown per dimension.',
      default: 10,
      min: 1,
    }),
    ...csvFlags,
    ...refreshFlags,
  };

  public async run(): Promise<CostMoversResult> {
    const { flags } = await this.parse(CostMovers);
    return this.withSpend(flags, async (run) => {
      const report = await collectMovers({ ...run.options, limit: flags.limit });
      this.show(run, report.freshness, {
        csv: flags.csv,
        screen: (options) => renderMovers(report, options),
        table: () => moversCsv(report),
      });
      return report;
    });
  }
}

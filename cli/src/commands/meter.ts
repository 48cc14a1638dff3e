import { collectMeter } from '@ballast/collectors';
import type { MeterReport } from '@ballast/core';
import { contextFlags } from '../base-command.js';
import { csvFlags, SpendCommand, spendTimeoutFlags } from '../spend-command.js';
import { meterCsv, renderMeter } from '../views/meter-view.js';

export type MeterResult = MeterReport;

export default class Meter extends SpendCommand<MeterResult> {
  public static override summary =
    'What Ballast itself spent on AWS API calls, by service and operation: today, this month, projected.';

  public static override description = `Every AWS request Ballast makes (the CLI and the dashboard of this machine) is written to the call ledger in the local store with its list price: Cost Explorer $0.01 a request (each page of an answer is one), CloudWatch GetMetricData $0.01 per 1,000 metrics, other CloudWatch and Auto Scaling reads free at these volumes. This sums the ledger of the context by service and operation, for today and this month (requests, pages, failed attempts, which are not billed), and projects the month: the spend so far plus the median of the last 7 complete days for each day left.

It reads only the local store and makes no AWS request; --endpoint-url and --timeout are accepted like every command's and change nothing. Exit codes: 0, or 2 for invalid flags.`;

  public static override examples = [
    {
      description: "Ballast's own AWS bill for the current context.",
      command: '<%= config.bin %> <%= command.id %>',
    },
    {
      description: 'Machine-readable.',
      command: '<%= config.bin %> <%= command.id %> --json',
    },
    {
      description: 'Cost Explorer requests made today, for a script.',
      command:
        '<%= config.bin %> <%= command.id %> --json | jq \'[.result.lines[] | select(.service == "costexplorer") | .today.requests] | add\'',
    },
  ];

  public static override flags = {
    ...contextFlags,
    ...spendTimeoutFlags,
    ...csvFlags,
  };

  public async run(): Promise<MeterResult> {
    const { flags } = await this.parse(Meter);
    return this.withSpend(flags, async (run) => {
      const report = collectMeter({ context: run.context, store: run.store, now: run.now });
      if (!this.jsonEnabled()) {
        if (flags.csv) this.printCsv(meterCsv(report));
        else
          this.log(
            renderMeter(report, {
              palette: this.palette,
              width: this.terminal.width,
              context: run.context.name,
            }).join('\n'),
          );
      }
      return report;
    });
  }
}

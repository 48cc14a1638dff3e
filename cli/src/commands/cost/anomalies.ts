import { collectAnomalies } from '@ballast/collectors';
import type { AnomalyReport } from '@ballast/core';
import { Flags } from '@oclif/core';
import { contextFlags } from '../../base-command.js';
import {
  csvFlags,
  rangeFlags,
  refreshFlags,
  SpendCommand,
  spendTimeoutFlags,
} from '../../spend-command.js';
import { anomaliesCsv, renderAnomalies } from '../../views/anomalies-view.js';

export type CostAnomaliesResult = AnomalyReport;

export default class CostAnomalies extends SpendCommand<CostAnomaliesResult> {
  public static override summary =
    'What changed and why: cost anomalies with root cause, impact, dates, open or closed.';

  public static override description = `The anomalies AWS Cost Anomaly Detection found, open ones first (still seen on the last day it evaluated), then the most recent; within each, the largest impact first. Each says what it hit (the monitored service), its first and last day, how much more was spent than expected, and its root causes: usage type, service, region and account, with each one's share of the impact.

Default range: anomalies whose last day is in this month or the 12 before it (--since and --until change it). Cost Anomaly Detection is asked for the last 90 days at most once every 24 hours (--refresh forces it); older anomalies stay in the local store, so the range can reach further back than that. A line at the end says whether the data came from the cache, and how old it is.

With no anomaly, it says whether any monitor watches the account (none: create one in Billing and Cost Management > Cost Anomaly Detection).

Exit codes: 0 when the report was shown (also with open anomalies, and from stored data when Cost Explorer could not be read: a warning says so); 1 when nothing could be read or shown; 2 for invalid flags. To alert on open anomalies, read "result.open.count" from --json.`;

  public static override examples = [
    {
      description: 'Anomalies of the last 13 months, open first.',
      command: '<%= config.bin %> <%= command.id %>',
    },
    {
      description: 'Machine-readable.',
      command: '<%= config.bin %> <%= command.id %> --json',
    },
    {
      description: 'Only the open ones, for a script.',
      command:
        "<%= config.bin %> <%= command.id %> --json | jq '.result.anomalies[] | select(.open)'",
    },
    {
      description: 'Since November, as CSV (one row per anomaly, its main root cause in columns).',
      command: '<%= config.bin %> <%= command.id %> --since 2026-11-01 --csv > anomalies.csv',
    },
  ];

  public static override flags = {
    ...contextFlags,
    ...spendTimeoutFlags,
    ...rangeFlags,
    open: Flags.boolean({ summary: 'Only the anomalies still open.', default: false }),
    ...csvFlags,
    ...refreshFlags,
  };

  public async run(): Promise<CostAnomaliesResult> {
    const { flags } = await this.parse(CostAnomalies);
    return this.withSpend(flags, async (run) => {
      const all = await collectAnomalies({
        ...run.options,
        since: flags.since,
        until: flags.until,
      });
      const report: AnomalyReport = flags.open
        ? {
            ...all,
            anomalies: all.anomalies.filter((a) => a.open),
            past: { count: 0, impactUsd: 0 },
          }
        : all;
      this.show(run, report.freshness, {
        csv: flags.csv,
        screen: (options) => renderAnomalies(report, options),
        table: () => anomaliesCsv(report),
      });
      return report;
    });
  }
}

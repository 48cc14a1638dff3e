import { collectCostTable } from '@ballast/collectors';
import {
  daysBetween,
  parseGroupBy,
  resolveRange,
  type CostTable,
  type Granularity,
} from '@ballast/core';
import { Flags } from '@oclif/core';
import { contextFlags } from '../../base-command.js';
import {
  csvFlags,
  rangeFlags,
  refreshFlags,
  SpendCommand,
  spendTimeoutFlags,
} from '../../spend-command.js';
import { costTableCsv, renderCostTable } from '../../views/cost-view.js';

export type CostResult = CostTable;

/** Ranges longer than this are shown by month unless --granularity says otherwise. */
export const DAILY_UP_TO_DAYS = 62;

export default class Cost extends SpendCommand<CostResult> {
  public static override summary =
    'What the store costs and where the money goes: spend by service, tag, usage type or region.';

  public static override description = `A table of the groups with their totals and shares (largest first), then a bar per day or month stacked by the four largest groups, from AWS Cost Explorer (UnblendedCost, USD). Spend without a value for a tag is its own group, "(untagged)", with its share said beneath. Periods not final yet (the open month, today) are marked "~": Cost Explorer may still revise them.

Default: --by service, this month and the 12 before it, by month (by day for ranges up to ${DAILY_UP_TO_DAYS} days). --by takes one dimension or two separated by a comma (Cost Explorer groups by two at most): service, usage-type, region, or tag:KEY for a cost-allocation tag listed in the platform config's spend.tagKeys.

What it costs: Cost Explorer bills $0.01 a request (every page of an answer is one). Answers are kept in the local store: days of closed months are final and never read again; the open months are read again at most every 8 hours (usage type and region: 24 hours), or at once with --refresh. A line at the end says whether the data came from the cache and how old it is, or what the read cost; a cold 13-month read by service or tag takes a few requests, a warm one none.

When Cost Explorer cannot be read (throttled, access denied, unreachable, ...), the stored data is shown with its age and a warning.

Exit codes: 0 when the table was shown (also from stored data when Cost Explorer could not be read: the warning says so, and "result.freshness.error" in --json); 1 when nothing could be read and nothing is stored to show instead (with what to do: the ce: action to grant, ...); 2 for invalid flags (--by, --since, --until, --granularity).`;

  public static override examples = [
    {
      description:
        'Spend by service since November 2025, as CSV for a spreadsheet (add > spend.csv to keep it).',
      command:
        'BALLAST_CONTEXT=sandbox <%= config.bin %> <%= command.id %> --by service --since 2025-11-01 --csv',
    },
    {
      description: 'Spend per team (the cost-allocation tag "team") by month.',
      command: '<%= config.bin %> <%= command.id %> --by tag:team --granularity monthly',
    },
    {
      description: 'November by day, split by service and team.',
      command:
        '<%= config.bin %> <%= command.id %> --by service,tag:team --since 2026-11-01 --until 2026-11-30',
    },
    {
      description: 'Usage types of the last month, read fresh from Cost Explorer.',
      command: '<%= config.bin %> <%= command.id %> --by usage-type --since 2026-11-01 --refresh',
    },
    {
      description: 'The total of each month, for a script.',
      command:
        "<%= config.bin %> <%= command.id %> --granularity monthly --json | jq '.result.periods[] | {start, total}'",
    },
  ];

  public static override flags = {
    ...contextFlags,
    ...spendTimeoutFlags,
    by: Flags.string({
      summary:
        'Group by: service, usage-type, region or tag:KEY; two at most, comma-separated (default: service).',
      helpValue: 'service|tag:KEY|usage-type|region',
      multiple: true,
    }),
    granularity: Flags.option({
      summary: `One row per day or per month (default: daily up to ${DAILY_UP_TO_DAYS} days, else monthly).`,
      options: ['daily', 'monthly'] as const,
    })(),
    ...rangeFlags,
    ...csvFlags,
    ...refreshFlags,
  };

  public async run(): Promise<CostResult> {
    const { flags } = await this.parse(Cost);
    return this.withSpend(flags, async (run) => {
      // Checked before anything is read: an unknown tag key names the ones configured.
      const by = parseGroupBy((flags.by ?? ['service']).join(','), run.spend.tagKeys);
      const range = resolveRange({ since: flags.since, until: flags.until, now: run.now });
      const granularity: Granularity =
        flags.granularity ??
        (daysBetween(range.start, range.end) > DAILY_UP_TO_DAYS ? 'monthly' : 'daily');
      const table = await collectCostTable({
        ...run.options,
        by,
        granularity,
        since: flags.since,
        until: flags.until,
      });
      this.show(run, table.freshness, {
        csv: flags.csv,
        screen: (options) => renderCostTable(table, options),
        table: () => costTableCsv(table),
      });
      return table;
    });
  }
}

import { collectCostTable, collectForecast, SpendUnavailableError } from '@ballast/collectors';
import {
  addDays,
  addMonths,
  dayOf,
  mergeFreshness,
  monthEnd,
  monthOf,
  monthStart,
  type CostTable,
} from '@ballast/core';
import { contextFlags } from '../../base-command.js';
import {
  csvFlags,
  refreshFlags,
  SpendCommand,
  spendTimeoutFlags,
  type SpendRun,
} from '../../spend-command.js';
import {
  closedMonth,
  forecastCsv,
  renderForecast,
  type ClosedMonth,
  type ForecastView,
} from '../../views/forecast-view.js';

/**
 * The month's forecast and budgets (SpendForecast), with last month's closed total and its
 * budget verdict (`previousMonth`; null when it could not be read).
 */
export type CostForecastResult = ForecastView;

export default class CostForecast extends SpendCommand<CostForecastResult> {
  public static override summary =
    'Will the month land inside budget? Month to date, same days last month, forecast vs budgets.';

  public static override description = `This month's spend so far (complete days) next to the same days of last month, today's estimate so far, and where the month will land: Cost Explorer's forecast of the days left (with its 80% prediction interval) plus the spend so far — or, when the forecast cannot be read, the run rate of the last 7 days (no interval). Then each budget of the platform config (spend.budgets: the monthly one, and one per tag value such as team: storefront) with what is spent, its forecast and a verdict: UNDER (even the interval's top stays inside), AT RISK (the interval reaches past it), OVER (the forecast, or the spend so far, is past it). A tag value's forecast is its share of the last 14 days' spend applied to the month's forecast (one request, not one per tag value). Last month closes the screen with its total and each budget's verdict.

On the first of a month no complete day is billed yet: the screen says the month has just begun and leads with last month's closed total against the budgets.

What it costs: the month's cost and each budgeted tag come from the cache when read in the last 8 hours; the forecast is read at most once every 24 hours (--refresh forces both). A line at the end says which.

Exit codes: 0 when the forecast was shown (also over budget, and also from stored data when Cost Explorer could not be read: a warning says so); 1 when nothing could be read or shown; 2 for invalid flags. To alert on a budget, read "result.budgets[].status" from --json.`;

  public static override examples = [
    {
      description: 'Where this month lands against the budgets.',
      command: '<%= config.bin %> <%= command.id %>',
    },
    {
      description: 'Machine-readable, e.g. for a budget alert in CI.',
      command: '<%= config.bin %> <%= command.id %> --json',
    },
    {
      description: 'Budgets that will be overrun.',
      command:
        '<%= config.bin %> <%= command.id %> --json | jq -r \'.result.budgets[] | select(.status == "over") | .label\'',
    },
    {
      description: 'The budgets as CSV, this month and last.',
      command: '<%= config.bin %> <%= command.id %> --csv > budgets.csv',
    },
  ];

  public static override flags = {
    ...contextFlags,
    ...spendTimeoutFlags,
    ...csvFlags,
    ...refreshFlags,
  };

  public async run(): Promise<CostForecastResult> {
    const { flags } = await this.parse(CostForecast);
    return this.withSpend(flags, async (run) => {
      const forecast = await collectForecast(run.options);
      const previous = await this.previousMonth(run);
      const view: ForecastView = {
        ...forecast,
        previousMonth: previous?.month ?? null,
      };
      const freshness = previous
        ? mergeFreshness([forecast.freshness, ...previous.freshness], run.now)
        : forecast.freshness;
      this.show(run, freshness, {
        csv: flags.csv,
        ...(view.basis === 'run-rate'
          ? {
              instead:
                'the month-end forecast is the run rate of the last 7 days instead, without an interval',
            }
          : {}),
        screen: (options) => renderForecast({ ...view, freshness }, options),
        table: () => forecastCsv(view),
      });
      return view;
    });
  }

  /**
   * Last month's total and the total of each budgeted tag value, from the days the forecast
   * has just read (no request); undefined when they cannot be read.
   */
  private async previousMonth(
    run: SpendRun,
  ): Promise<{ month: ClosedMonth; freshness: CostTable['freshness'][] } | undefined> {
    const month = addMonths(monthOf(dayOf(run.now)), -1);
    const range = {
      ...run.options,
      granularity: 'monthly' as const,
      since: monthStart(month),
      until: addDays(monthEnd(month), -1),
    };
    try {
      const totals = await collectCostTable({ ...range, by: [] });
      const keys = Object.keys(run.spend.budgets.tags);
      const tagTables = new Map<string, CostTable>();
      for (const key of keys)
        tagTables.set(key, await collectCostTable({ ...range, by: [`tag:${key}`] }));
      return {
        month: closedMonth({ month, totals, tagTables, spend: run.spend }),
        freshness: [totals.freshness, ...[...tagTables.values()].map((t) => t.freshness)],
      };
    } catch (err) {
      if (err instanceof SpendUnavailableError) return undefined;
      throw err;
    }
  }
}

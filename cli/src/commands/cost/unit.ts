import { collectUnitCosts } from '@ballast/collectors';
import { addDays, dayOf, isIsoDay, type UnitCosts } from '@ballast/core';
import { contextFlags } from '../../base-command.js';
import { sourceFailureToUserError, UserError } from '../../errors.js';
import {
  csvFlags,
  rangeFlags,
  refreshFlags,
  SpendCommand,
  spendTimeoutFlags,
} from '../../spend-command.js';
import { renderUnitCosts, unitCostsCsv } from '../../views/unit-view.js';

export type CostUnitResult = UnitCosts;

/** Days shown without --since: a month of complete days. */
export const UNIT_DAYS = 30;

export default class CostUnit extends SpendCommand<CostUnitResult> {
  public static override summary =
    'What each order, 1,000 model views and GB of models delivered costs, by day.';

  public static override description = `The AWS bill of each day divided by what the store did that day: orders, 3D model views (per 1,000), GB of models delivered, and dollars of revenue, from the business metrics the storefront publishes to CloudWatch (named in the platform config's spend.businessMetrics). For each: the figure over the whole range (its total cost over its total units), a sparkline by day from its lowest to its highest day, and that low and high; then the last ${7} days in a table. A day whose cost or driver is unknown has no unit cost (shown as —, never $0).

Default range: the ${UNIT_DAYS} complete days before today (--since and --until change it; today is partial and not billed until later in the day).

What it costs: the daily cost comes from the same cache as \`ballast cost\` (read again at most every 8 hours); the business metrics are one CloudWatch GetMetricData call ($0.00004) at most every hour.

Exit codes: 0 when unit costs were shown (also from stored data when Cost Explorer could not be read: a warning says so); 1 when nothing could be read, or when the platform config names no business metrics; 2 for invalid flags.`;

  public static override examples = [
    {
      description: 'Unit costs of the last 30 days.',
      command: '<%= config.bin %> <%= command.id %>',
    },
    {
      description: 'Machine-readable.',
      command: '<%= config.bin %> <%= command.id %> --json',
    },
    {
      description: 'November by day, for a spreadsheet.',
      command:
        '<%= config.bin %> <%= command.id %> --since 2026-11-01 --until 2026-11-30 --csv > unit-costs.csv',
    },
  ];

  public static override flags = {
    ...contextFlags,
    ...spendTimeoutFlags,
    ...rangeFlags,
    ...csvFlags,
    ...refreshFlags,
  };

  public async run(): Promise<CostUnitResult> {
    const { flags } = await this.parse(CostUnit);
    return this.withSpend(flags, async (run) => {
      if (!run.spend.businessMetrics)
        throw new UserError(
          'The platform config names no business metrics, so there is nothing to divide the bill by.',
          {
            code: 'NoBusinessMetrics',
            actions: [
              `Add spend.businessMetrics (namespace, dimensions, orders, modelViews, modelBytes, revenue) to ${run.context.platformConfig}: see core/platforms/sandbox.yaml.`,
            ],
          },
        );
      // Complete days by default: today is partial, and not billed until later in the day.
      const until = flags.until ?? (flags.since ? undefined : addDays(dayOf(run.now), -1));
      const since =
        flags.since ??
        (until === undefined || !isIsoDay(until) ? undefined : addDays(until, -(UNIT_DAYS - 1)));
      const units = await collectUnitCosts({ ...run.options, since, until });
      // Checked above: with business metrics configured, there is an answer.
      if (!units) throw new Error('unit costs without business metrics');
      // Business metrics neither read nor stored: not one unit cost to show.
      const drivers = units.days.some(
        (d) => d.orders !== null || d.modelViews !== null || d.modelGb !== null,
      );
      if (!units.metricsSource.ok && !drivers)
        throw sourceFailureToUserError(units.metricsSource, this.errorContext);
      this.show(run, units.freshness, {
        csv: flags.csv,
        screen: (options) => renderUnitCosts(units, options),
        table: () => unitCostsCsv(units),
      });
      return units;
    });
  }
}

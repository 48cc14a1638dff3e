// Every table of the Spend page as CSV, for a spreadsheet: a header row, ISO dates, plain
// numbers (dollars, no symbol or thousands separator), empty cells for unknowns, CRLF line
// ends (RFC 4180). Made from the page the dashboard already holds: an export never reads
// Cost Explorer.
import { addDays, type CostTable, type MeterReport, type SpendPage } from '@ballast/core';
import { toCsv } from '@ballast/core/format';

export const SPEND_CSV_TABLES = [
  'costs',
  'costs-monthly',
  'budgets',
  'anomalies',
  'movers',
  'spot-savings',
  'unit-costs',
  'meter',
] as const;
export type SpendCsvTable = (typeof SPEND_CSV_TABLES)[number];

/** A column name for a dimension: service, usage_type, region, or the tag key. */
function dimensionColumn(dim: string): string {
  return dim.startsWith('tag:') ? dim.slice(4) : dim.replace(/-/g, '_');
}

const cents = (n: number | null | undefined): number | null =>
  n === null || n === undefined ? null : Math.round(n * 100) / 100;

/** A cost table in long form: one row per period and group (what pivots in a spreadsheet). */
function costRows(table: CostTable, monthly: boolean) {
  const dims = table.groupBy.map(dimensionColumn);
  const byId = new Map(table.groups.map((g) => [g.id, g]));
  const groups = table.groups.length > 0 ? table.groups : [undefined];
  if (!monthly) {
    const rows = table.periods.flatMap((p) =>
      groups.flatMap((g) => {
        const amount = g ? p.amounts[g.id] : p.total;
        if (amount === undefined) return [];
        return [[p.start, ...(g?.keys ?? []), cents(amount), p.estimated]];
      }),
    );
    return { header: ['date', ...dims, 'amount_usd', 'estimated'], rows };
  }
  // Months summed from the days (the table holds days; a month's total is their sum).
  const months = new Map<
    string,
    { start: string; end: string; estimated: boolean; sums: Map<string, number> }
  >();
  for (const p of table.periods) {
    const key = p.start.slice(0, 7);
    const month = months.get(key) ?? {
      start: p.start,
      end: p.end,
      estimated: false,
      sums: new Map(),
    };
    month.end = p.end;
    month.estimated ||= p.estimated;
    const amounts = table.groups.length > 0 ? Object.entries(p.amounts) : [['', p.total] as const];
    for (const [id, amount] of amounts) month.sums.set(id, (month.sums.get(id) ?? 0) + amount);
    months.set(key, month);
  }
  const rows = [...months.entries()].flatMap(([key, m]) =>
    [...m.sums.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([id, amount]) => [
        key,
        m.start,
        addDays(m.end, -1),
        ...(byId.get(id)?.keys ?? []),
        cents(amount),
        m.estimated,
      ]),
  );
  return { header: ['month', 'first_day', 'last_day', ...dims, 'amount_usd', 'estimated'], rows };
}

/**
 * The CSV of one table of the page; null when the page does not have that table (its
 * panel could not be read, or no business metrics are configured).
 */
export function spendCsv(
  table: SpendCsvTable,
  page: SpendPage,
  meter: MeterReport = page.meter,
): string | null {
  switch (table) {
    case 'costs':
    case 'costs-monthly': {
      const { header, rows } = costRows(page.costs, table === 'costs-monthly');
      return toCsv(header, rows);
    }
    case 'budgets': {
      if (!page.forecast) return null;
      return toCsv(
        [
          'month',
          'scope',
          'tag_key',
          'tag_value',
          'config_path',
          'budget_usd',
          'actual_usd',
          'used_pct',
          'forecast_usd',
          'forecast_lower_usd',
          'forecast_upper_usd',
          'status',
          'over_by_usd',
          'basis',
        ],
        page.forecast.budgets.map((b) => [
          page.forecast!.month,
          b.scope.kind,
          b.scope.kind === 'tag' ? b.scope.tagKey : null,
          b.scope.kind === 'tag' ? b.scope.tagValue : null,
          b.configPath,
          cents(b.budgetUsd),
          cents(b.actualUsd),
          Math.round(b.usedPct * 10) / 10,
          cents(b.forecastUsd),
          cents(b.lowerUsd),
          cents(b.upperUsd),
          b.status,
          cents(b.overByUsd),
          b.basis,
        ]),
      );
    }
    case 'anomalies': {
      if (!page.anomalies) return null;
      // One row per root cause (an anomaly without one has a row of its own): the impact
      // columns repeat, so filter on `root_cause` 1 to count each anomaly once.
      return toCsv(
        [
          'anomaly_id',
          'first_day',
          'last_day',
          'open',
          'monitored_value',
          'impact_usd',
          'max_daily_impact_usd',
          'actual_usd',
          'expected_usd',
          'impact_pct',
          'max_score',
          'root_cause',
          'cause_service',
          'cause_account',
          'cause_account_name',
          'cause_usage_type',
          'cause_region',
          'cause_contribution_usd',
        ],
        page.anomalies.anomalies.flatMap((a) => {
          const causes = a.rootCauses.length > 0 ? a.rootCauses : [undefined];
          return causes.map((c, i) => [
            a.id,
            a.start,
            a.end,
            a.open,
            a.dimensionValue,
            cents(a.impact.totalUsd),
            cents(a.impact.maxUsd),
            cents(a.impact.actualUsd),
            cents(a.impact.expectedUsd),
            a.impact.percent === null ? null : Math.round(a.impact.percent * 10) / 10,
            a.score.max,
            c ? i + 1 : null,
            c?.service,
            c?.linkedAccount,
            c?.linkedAccountName,
            c?.usageType,
            c?.region,
            cents(c?.contributionUsd),
          ]);
        }),
      );
    }
    case 'movers': {
      if (!page.movers) return null;
      return toCsv(
        [
          'dimension',
          'key',
          'week_first_day',
          'week_last_day',
          'week_usd',
          'week_before_first_day',
          'week_before_last_day',
          'week_before_usd',
          'change_usd',
          'change_pct',
        ],
        page.movers.byDimension.flatMap((d) =>
          d.movers.map((m) => [
            d.dimension,
            m.label,
            d.current.start,
            addDays(d.current.end, -1),
            cents(m.current),
            d.previous.start,
            addDays(d.previous.end, -1),
            cents(m.previous),
            cents(m.changeUsd),
            m.changePct === null ? null : Math.round(m.changePct * 10) / 10,
          ]),
        ),
      );
    }
    case 'spot-savings': {
      if (!page.spotSavings) return null;
      return toCsv(
        [
          'first_day',
          'last_day',
          'instance_type',
          'region',
          'spot_usage_type',
          'spot_hours',
          'spot_cost_usd',
          'on_demand_rate_usd',
          'rate_from',
          'on_demand_equivalent_usd',
          'savings_usd',
          'savings_pct',
        ],
        page.spotSavings.lines.map((l) => [
          page.spotSavings!.range.start,
          addDays(page.spotSavings!.range.end, -1),
          l.instanceType,
          l.region,
          l.spotUsageType,
          Math.round(l.spotHours * 100) / 100,
          cents(l.spotCostUsd),
          l.onDemandRateUsd,
          l.rateFrom?.kind === 'account'
            ? `account ${l.rateFrom.usageType}`
            : (l.rateFrom?.kind ?? null),
          cents(l.onDemandEquivalentUsd),
          cents(l.savingsUsd),
          l.savingsPct === null ? null : Math.round(l.savingsPct * 10) / 10,
        ]),
      );
    }
    case 'unit-costs': {
      if (!page.unitCosts) return null;
      const four = (n: number | null) => (n === null ? null : Math.round(n * 10_000) / 10_000);
      return toCsv(
        [
          'date',
          'cost_usd',
          'estimated',
          'orders',
          'revenue_usd',
          'model_views',
          'model_gb',
          'cost_per_order_usd',
          'cost_per_1000_views_usd',
          'cost_per_gb_usd',
          'cost_per_revenue_usd',
        ],
        page.unitCosts.days.map((d) => [
          d.day,
          cents(d.costUsd),
          d.estimated,
          d.orders,
          cents(d.revenueUsd),
          d.modelViews,
          d.modelGb === null ? null : Math.round(d.modelGb * 1000) / 1000,
          four(d.costPerOrder),
          four(d.costPer1000Views),
          four(d.costPerGb),
          four(d.costPerRevenueUsd),
        ]),
      );
    }
    case 'meter':
      return toCsv(
        [
          'month',
          'service',
          'operation',
          'today_requests',
          'today_usd',
          'month_requests',
          'month_pages',
          'month_usd',
          'month_errors',
        ],
        meter.lines.map((l) => [
          meter.month.month,
          l.service,
          l.operation,
          l.today.requests,
          l.today.usd,
          l.month.requests,
          l.month.pages,
          l.month.usd,
          l.month.errors,
        ]),
      );
  }
}

/** "spend-costs-2025-12-01-2026-11-30.csv": the table and the days it covers. */
export function csvFileName(table: SpendCsvTable, range: { start: string; end: string }): string {
  return `spend-${table}-${range.start}-${addDays(range.end, -1)}.csv`;
}

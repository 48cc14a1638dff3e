// The `ballast cost forecast` screen: this month so far against the same days of last
// month, where the month lands (Cost Explorer's forecast with its interval, or the run rate
// when it cannot be read), each budget of the platform config against it, and last month's
// closed total with its budget verdict. On the first of a month nothing of it is billed yet:
// the screen says the month just began and leads with last month, never a bare "$0".
import {
  budgetStatus,
  daysBetween,
  roundAmount,
  type BudgetStatus,
  type CostTable,
  type DayRange,
  type SpendConfig,
  type SpendForecast,
} from '@ballast/core';
import { budgetBadge } from '../output/badge.js';
import { toCsv, type CsvValue } from '@ballast/core/format';
import { formatPct, formatUsd } from '@ballast/core/format';
import type { Palette } from '../output/style.js';
import { renderTable } from '../output/table.js';
import { wrap } from '../output/text.js';
import { dayRangeText, freshnessFooter, monthName, type SpendViewOptions } from './spend-view.js';

/** A budget of the platform config against a month that is over (or about to be). */
export interface ClosedMonthBudget {
  label: string;
  /** e.g. spend.budgets.tags.team.storefront */
  configPath: string;
  budgetUsd: number;
  actualUsd: number;
  /** actualUsd / budgetUsd, percent */
  usedPct: number;
  /** the month spent more than the budget */
  exceeded: boolean;
  /** actualUsd - budgetUsd */
  overByUsd: number;
}

/** Last month: its total, whether Cost Explorer still calls it estimated, each budget's verdict. */
export interface ClosedMonth {
  month: string;
  range: DayRange;
  amount: number;
  /** Cost Explorer may still revise it (the first days after a month ends) */
  estimated: boolean;
  budgets: ClosedMonthBudget[];
}

export type ForecastView = SpendForecast & { previousMonth: ClosedMonth | null };

/**
 * Last month against the budgets, from its cost table (totals) and one table per budgeted
 * tag key (grouped by that tag), each over the month.
 */
export function closedMonth(input: {
  month: string;
  totals: CostTable;
  tagTables: ReadonlyMap<string, CostTable>;
  spend: SpendConfig;
}): ClosedMonth {
  const { totals, tagTables, spend } = input;
  const verdict = (
    label: string,
    configPath: string,
    budgetUsd: number,
    actualUsd: number,
  ): ClosedMonthBudget => {
    const { exceeded, usedPct } = budgetStatus(budgetUsd, actualUsd, {
      mean: actualUsd,
      lower: null,
      upper: null,
    });
    return {
      label,
      configPath,
      budgetUsd,
      actualUsd,
      usedPct,
      exceeded,
      overByUsd: roundAmount(actualUsd - budgetUsd),
    };
  };
  const budgets: ClosedMonthBudget[] = [];
  if (spend.budgets.monthly !== undefined)
    budgets.push(
      verdict('Monthly budget', 'spend.budgets.monthly', spend.budgets.monthly, totals.total),
    );
  for (const [tagKey, values] of Object.entries(spend.budgets.tags)) {
    const table = tagTables.get(tagKey);
    for (const [tagValue, budget] of Object.entries(values)) {
      const group = table?.groups.find((g) => !g.untagged && g.keys[0] === tagValue);
      budgets.push(
        verdict(
          `${tagKey}: ${tagValue}`,
          `spend.budgets.tags.${tagKey}.${tagValue}`,
          budget,
          group?.total ?? 0,
        ),
      );
    }
  }
  return {
    month: input.month,
    range: totals.range,
    amount: totals.total,
    estimated: totals.estimated,
    budgets,
  };
}

export function renderForecast(view: ForecastView, options: SpendViewOptions): string[] {
  const { palette: p } = options;
  const mtd = view.monthToDate;
  const justBegun = mtd.compared.start === mtd.compared.end;
  const lines: string[] = [];
  if (justBegun) {
    lines.push(p.bold(`${monthName(view.month)} has just begun`), ...justBegunRows(view, options));
    if (view.previousMonth) lines.push('', ...previousMonthRows(view.previousMonth, options));
  } else lines.push(p.bold(`${monthName(view.month)} so far`), ...monthRows(view, options));
  lines.push('', ...budgetRows(view, options));
  if (!justBegun && view.previousMonth)
    lines.push('', ...previousMonthRows(view.previousMonth, options));
  lines.push('', ...freshnessFooter(view.freshness, options));
  return lines;
}

/** A two-column list (label, amount) with a note after each amount, indented. */
function figures(rows: [string, string, string][], options: SpendViewOptions): string[] {
  const { palette: p, width } = options;
  const table = renderTable(
    [
      { header: '' },
      { header: '', align: 'right' },
      { header: '', shrink: true, minWidth: 20, wrap: true },
    ],
    rows.map(([label, amount, note]) => [label, amount, p.dim(note)]),
    { width, indent: 2 },
  );
  return table.slice(1);
}

function monthRows(view: ForecastView, options: SpendViewOptions): string[] {
  const mtd = view.monthToDate;
  const days = daysBetween(mtd.compared.start, mtd.compared.end);
  const change =
    mtd.previous.amount > 0
      ? `${formatUsd(mtd.changeUsd, { signed: true })} (${formatPct(mtd.changePct, { signed: true })}) this month`
      : 'nothing spent on those days';
  const today = roundAmount(mtd.amountWithToday - mtd.amount);
  return figures(
    [
      [
        'Month to date',
        formatUsd(mtd.amount),
        `${dayRangeText(mtd.compared)}, ${days} complete day${days === 1 ? '' : 's'}`,
      ],
      [
        `Same days of ${monthName(mtd.previous.month).split(' ')[0]}`,
        formatUsd(mtd.previous.amount),
        change,
      ],
      ['Today so far', formatUsd(today), 'estimated: Cost Explorer updates it about 3 times a day'],
      forecastRow(view),
    ],
    options,
  );
}

function justBegunRows(view: ForecastView, options: SpendViewOptions): string[] {
  const { palette: p, width } = options;
  const today = view.monthToDate.amountWithToday;
  return [
    ...wrap(
      `  No complete day of ${monthName(view.month).split(' ')[0]} is billed yet: Cost Explorer adds each day once it is over, so there is nothing to compare with last month until tomorrow.`,
      width,
      '  ',
    ).map(p.dim),
    ...figures(
      [
        [
          'Today so far',
          formatUsd(today),
          today > 0 ? 'estimated, updated about 3 times a day' : 'not billed yet',
        ],
        forecastRow(view),
      ],
      options,
    ),
  ];
}

function forecastRow(view: ForecastView): [string, string, string] {
  const end = view.monthEnd;
  const interval =
    end.lower !== null && end.upper !== null
      ? `${end.predictionIntervalLevel ?? 80}% interval ${formatUsd(end.lower)} to ${formatUsd(end.upper)}; `
      : '';
  const basis =
    view.basis === 'cost-explorer'
      ? "Cost Explorer's forecast plus the spend so far"
      : "run rate of the last 7 days (Cost Explorer's forecast could not be read)";
  return ['Month-end forecast', formatUsd(end.mean), `${interval}${basis}`];
}

function budgetRows(view: ForecastView, options: SpendViewOptions): string[] {
  const { palette: p, width } = options;
  if (view.budgets.length === 0)
    return wrap(
      'No budgets: add spend.budgets (monthly, and per tag value) to the platform config to see where the month lands against them.',
      width,
      '  ',
    ).map(p.dim);
  const rows = view.budgets.map((b) => [
    b.label,
    formatUsd(b.budgetUsd),
    formatUsd(b.actualUsd),
    formatUsd(b.forecastUsd),
    budgetVerdict(b, p),
  ]);
  const notes: string[] = [];
  if (view.budgets.some((b) => b.basis === 'share-of-forecast'))
    notes.push(
      "A tag value's forecast is its share of the last 14 days' spend, applied to the month's forecast.",
    );
  if (view.budgets.some((b) => b.status === 'at-risk'))
    notes.push(
      "At risk: the expected spend fits, the forecast's interval reaches past the budget.",
    );
  return [
    p.bold(`Budgets for ${monthName(view.month)}`),
    ...renderTable(
      [
        { header: 'budget', shrink: true, minWidth: 12 },
        { header: 'limit', align: 'right' },
        { header: 'spent', align: 'right' },
        { header: 'forecast', align: 'right' },
        { header: 'status' },
      ],
      rows,
      { width, indent: 2, header: p.dim },
    ),
    ...notes.flatMap((n) => wrap(`  ${n}`, width, '  ')).map(p.dim),
  ];
}

/** "✖ OVER by $36,681", "▲ AT RISK, up to $1,200 over", "● UNDER, $3,374 to spare". */
export function budgetVerdict(b: BudgetStatus, p: Palette): string {
  switch (b.status) {
    case 'over':
      return `${budgetBadge('over', p)} by ${formatUsd(b.exceeded ? b.actualUsd - b.budgetUsd : b.overByUsd)}${b.exceeded ? ' already' : ''}`;
    case 'at-risk':
      return `${budgetBadge('at-risk', p)}${b.upperUsd === null ? '' : `, up to ${formatUsd(b.upperUsd - b.budgetUsd)} over`}`;
    case 'under':
      return `${budgetBadge('under', p)}, ${formatUsd(-b.overByUsd)} to spare`;
  }
}

function previousMonthRows(month: ClosedMonth, options: SpendViewOptions): string[] {
  const { palette: p, width } = options;
  const state = month.estimated ? 'estimated: Cost Explorer may still revise it' : 'final';
  const lines = [
    p.bold(`${monthName(month.month)} closed at ${formatUsd(month.amount)}`) + p.dim(` (${state})`),
  ];
  if (month.budgets.length === 0) return lines;
  lines.push(
    ...renderTable(
      [
        { header: 'budget', shrink: true, minWidth: 12 },
        { header: 'limit', align: 'right' },
        { header: 'spent', align: 'right' },
        { header: 'used', align: 'right' },
        { header: 'verdict' },
      ],
      month.budgets.map((b) => [
        b.label,
        formatUsd(b.budgetUsd),
        formatUsd(b.actualUsd),
        formatPct(b.usedPct),
        b.exceeded
          ? `${budgetBadge('over', p)} by ${formatUsd(b.overByUsd)}`
          : `${budgetBadge('under', p)}, ${formatUsd(-b.overByUsd)} to spare`,
      ]),
      { width, indent: 2, header: p.dim },
    ),
  );
  return lines;
}

/**
 * One record per budget, this month (with its forecast) then last month (spent is final,
 * no forecast); a month without budgets still has its total.
 */
export function forecastCsv(view: ForecastView): string {
  const header = [
    'month',
    'budget',
    'config_path',
    'budget_usd',
    'spent_usd',
    'forecast_usd',
    'forecast_lower_usd',
    'forecast_upper_usd',
    'status',
  ];
  const rows: CsvValue[][] = view.budgets.map((b) => [
    view.month,
    b.label,
    b.configPath,
    b.budgetUsd,
    b.actualUsd,
    b.forecastUsd,
    b.lowerUsd,
    b.upperUsd,
    b.status,
  ]);
  if (view.budgets.length === 0)
    rows.push([
      view.month,
      'Month total',
      '',
      null,
      view.monthToDate.amountWithToday,
      view.monthEnd.mean,
      view.monthEnd.lower,
      view.monthEnd.upper,
      '',
    ]);
  const previous = view.previousMonth;
  if (previous) {
    for (const b of previous.budgets)
      rows.push([
        previous.month,
        b.label,
        b.configPath,
        b.budgetUsd,
        b.actualUsd,
        b.actualUsd,
        null,
        null,
        b.exceeded ? 'over' : 'under',
      ]);
    if (previous.budgets.length === 0)
      rows.push([
        previous.month,
        'Month total',
        '',
        null,
        previous.amount,
        previous.amount,
        null,
        null,
        '',
      ]);
  }
  return toCsv(header, rows);
}

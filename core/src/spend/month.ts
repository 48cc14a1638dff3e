// This month: spend so far against the same days of last month, where it will land
// (actual + Cost Explorer's forecast of the rest), and each budget's status.
import {
  type BudgetStatus,
  type BudgetStatusValue,
  type CostForecast,
  type MonthToDate,
  type SpendForecast,
} from '../model/spend.js';
import type { SpendConfig } from '../model/platform.js';
import {
  addDays,
  addMonths,
  dayOf,
  daysBetween,
  minDay,
  monthEnd,
  monthOf,
  monthStart,
} from './dates.js';
import { roundAmount } from './cost-table.js';

/** One day's spend. */
export interface DailyAmount {
  day: string;
  amount: number;
  estimated: boolean;
}

/** Sum of the days in [start, end). */
export function sumDays(days: readonly DailyAmount[], start: string, end: string): number {
  let sum = 0;
  for (const d of days) if (d.day >= start && d.day < end) sum += d.amount;
  return roundAmount(sum);
}

/**
 * Spend over this month's complete days, [month start, today), against the same number of
 * days at the start of last month (all of last month when it is shorter). Today's partial,
 * estimated day is left out of the comparison (last month's same day is whole) and counted
 * in `amountWithToday`.
 */
export function monthToDate(days: readonly DailyAmount[], now: number): MonthToDate {
  const today = dayOf(now);
  const month = monthOf(today);
  const start = monthStart(month);
  const elapsed = daysBetween(start, today);
  const previousMonth = addMonths(month, -1);
  const previousStart = monthStart(previousMonth);
  const previousEnd = minDay(addDays(previousStart, elapsed), monthEnd(previousMonth));
  const amount = sumDays(days, start, today);
  const previous = sumDays(days, previousStart, previousEnd);
  return {
    month,
    compared: { start, end: today },
    amount,
    previous: {
      month: previousMonth,
      range: { start: previousStart, end: previousEnd },
      amount: previous,
    },
    changeUsd: roundAmount(amount - previous),
    changePct: previous > 0 ? ((amount - previous) / previous) * 100 : null,
    amountWithToday: sumDays(days, start, addDays(today, 1)),
  };
}

/** Past this share of its budget, a forecast without an interval counts as at risk. */
export const AT_RISK_WITHOUT_INTERVAL = 0.9;

export function budgetStatus(
  budgetUsd: number,
  actualUsd: number,
  forecast: { mean: number; lower: number | null; upper: number | null },
): { status: BudgetStatusValue; exceeded: boolean; overByUsd: number; usedPct: number } {
  const exceeded = actualUsd > budgetUsd;
  let status: BudgetStatusValue;
  if (exceeded || forecast.mean > budgetUsd) status = 'over';
  else if (
    forecast.upper !== null
      ? forecast.upper > budgetUsd
      : forecast.mean > AT_RISK_WITHOUT_INTERVAL * budgetUsd
  )
    status = 'at-risk';
  else status = 'under';
  return {
    status,
    exceeded,
    overByUsd: roundAmount(forecast.mean - budgetUsd),
    usedPct: (actualUsd / budgetUsd) * 100,
  };
}

/** Complete days the run-rate forecast averages over. */
export const RUN_RATE_DAYS = 7;

/**
 * Where the month lands. With Cost Explorer's forecast of [its start, month end): the
 * actual spend before its start plus its mean and interval. Without one (it could not be
 * read): actual spend of the complete days plus the average of the last 7 complete days
 * for each day left, with no interval.
 */
export function monthForecast(
  days: readonly DailyAmount[],
  forecast: CostForecast | null,
  now: number,
): Pick<SpendForecast, 'month' | 'actual' | 'forecast' | 'monthEnd' | 'basis'> {
  const today = dayOf(now);
  const month = monthOf(today);
  const start = monthStart(month);
  if (forecast && monthOf(forecast.start) === month) {
    const actual = sumDays(days, start, forecast.start);
    return {
      month,
      actual: { range: { start, end: forecast.start }, amount: actual },
      forecast,
      monthEnd: {
        mean: roundAmount(actual + forecast.mean),
        lower: forecast.lower === null ? null : roundAmount(actual + forecast.lower),
        upper: forecast.upper === null ? null : roundAmount(actual + forecast.upper),
        predictionIntervalLevel: forecast.lower === null ? null : forecast.predictionIntervalLevel,
      },
      basis: 'cost-explorer',
    };
  }
  const actual = sumDays(days, start, today);
  const rate = runRate(days, today);
  return {
    month,
    actual: { range: { start, end: today }, amount: actual },
    forecast: null,
    monthEnd: {
      mean: roundAmount(actual + rate * daysBetween(today, monthEnd(month))),
      lower: null,
      upper: null,
      predictionIntervalLevel: null,
    },
    basis: 'run-rate',
  };
}

/** Average spend of the (up to 7) complete days before `today` that the data has. */
export function runRate(days: readonly DailyAmount[], today: string): number {
  const from = addDays(today, -RUN_RATE_DAYS);
  const known = days.filter((d) => d.day >= from && d.day < today);
  if (known.length === 0) return 0;
  return known.reduce((sum, d) => sum + d.amount, 0) / known.length;
}

/** Days of spend a tag value's share of the forecast is measured over. */
export const SHARE_DAYS = 14;

export interface BudgetInput {
  spend: SpendConfig;
  /** total spend per day: this month and at least the 14 days before the forecast */
  days: readonly DailyAmount[];
  /** per tag key, per tag value (as cost tables key them), spend per day */
  tagDays: ReadonlyMap<string, ReadonlyMap<string, readonly DailyAmount[]>>;
  forecast: Pick<SpendForecast, 'month' | 'actual' | 'forecast' | 'monthEnd' | 'basis'>;
  now: number;
}

/**
 * Every budget of the platform config: the monthly one against the month's forecast, and
 * each tag value's against its own. A tag value's forecast is its actual spend before the
 * forecast's start plus its share of the forecast, the share being what it spent of the
 * total over the 14 days before that start (Cost Explorer forecasts only the whole account
 * in one request; one request per tag value would multiply the bill). Without a Cost
 * Explorer forecast, each uses its own run rate.
 */
export function evaluateBudgets(input: BudgetInput): BudgetStatus[] {
  const { spend, days, tagDays, forecast, now } = input;
  const today = dayOf(now);
  const start = monthStart(forecast.month);
  const out: BudgetStatus[] = [];
  const actualTotal = sumDays(days, start, addDays(today, 1));
  if (spend.budgets.monthly !== undefined) {
    const budget = spend.budgets.monthly;
    out.push({
      scope: { kind: 'total' },
      label: 'Monthly budget',
      configPath: 'spend.budgets.monthly',
      budgetUsd: budget,
      actualUsd: actualTotal,
      forecastUsd: forecast.monthEnd.mean,
      lowerUsd: forecast.monthEnd.lower,
      upperUsd: forecast.monthEnd.upper,
      basis: forecast.basis,
      ...budgetStatus(budget, actualTotal, forecast.monthEnd),
    });
  }
  for (const [tagKey, budgets] of Object.entries(spend.budgets.tags)) {
    for (const [tagValue, budget] of Object.entries(budgets)) {
      const valueDays = tagDays.get(tagKey)?.get(tagValue) ?? [];
      const actual = sumDays(valueDays, start, addDays(today, 1));
      const projected = tagForecast(valueDays, days, forecast, today);
      out.push({
        scope: { kind: 'tag', tagKey, tagValue },
        label: `${tagKey}: ${tagValue}`,
        configPath: `spend.budgets.tags.${tagKey}.${tagValue}`,
        budgetUsd: budget,
        actualUsd: actual,
        forecastUsd: projected.mean,
        lowerUsd: projected.lower,
        upperUsd: projected.upper,
        basis: forecast.basis === 'cost-explorer' ? 'share-of-forecast' : 'run-rate',
        ...budgetStatus(budget, actual, projected),
      });
    }
  }
  return out;
}

function tagForecast(
  valueDays: readonly DailyAmount[],
  totalDays: readonly DailyAmount[],
  forecast: BudgetInput['forecast'],
  today: string,
): { mean: number; lower: number | null; upper: number | null } {
  const start = monthStart(forecast.month);
  const ce = forecast.forecast;
  if (forecast.basis === 'cost-explorer' && ce) {
    const actual = sumDays(valueDays, start, ce.start);
    const from = addDays(ce.start, -SHARE_DAYS);
    const total = sumDays(totalDays, from, ce.start);
    const share = total > 0 ? sumDays(valueDays, from, ce.start) / total : 0;
    return {
      mean: roundAmount(actual + share * ce.mean),
      lower: ce.lower === null ? null : roundAmount(actual + share * ce.lower),
      upper: ce.upper === null ? null : roundAmount(actual + share * ce.upper),
    };
  }
  const actual = sumDays(valueDays, start, today);
  return {
    mean: roundAmount(
      actual + runRate(valueDays, today) * daysBetween(today, monthEnd(forecast.month)),
    ),
    lower: null,
    upper: null,
  };
}

// The Spend page's server side: which views are asked for (checked before anything is
// read), when the dashboard collects spend again (rounds), and the Overview's money line.
//
// Cost Explorer bills $0.01 a request. The collectors read through a per-month cache (a
// closed month once, the open month again after 8 h, usage detail, the forecast and the
// anomalies after 24 h). On top of that the dashboard collects in rounds: every answer is
// kept in memory until the next round, a day apart, so a page left open costs one read
// of each of those a day, 4 or 5 requests (usage detail takes 2 pages late in a month),
// never more than 5 ($0.05). Rounds of 12 h would read the open month twice and land on 6
// in the last week of each month. A failed read is tried again sooner (its backoff, or
// SPEND_RETRY_MS), which costs nothing more: a read only happens once.
import {
  addDays,
  addMonths,
  dayOf,
  daysBetween,
  HISTORY_MONTHS,
  mergeFreshness,
  monthOf,
  monthStart,
  parseGroupBy,
  resolveRange,
  SpendInputError,
  type AnomalyReport,
  type CostTable,
  type MeterReport,
  type SpendError,
  type SpendForecast,
  type SpendPage,
} from '@ballast/core';
import type { SpendQuery, SpendRangePreset, SpendRefresh, SpendSummary, SpendView } from './api.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Time between rounds: a day, and a few minutes more so that what was read a day ago
 * (usage detail, forecast, anomalies: fresh for 24 h) is due when the next round reads.
 */
export const SPEND_ROUND_MS = 24 * HOUR + 5 * MINUTE;

/** A read that failed is tried again after its backoff, or after this long. */
export const SPEND_RETRY_MS = 5 * MINUTE;

/** A view's request could not be served: a parameter is wrong. `field` names it. */
export class SpendRequestError extends Error {
  readonly status = 400;
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'SpendRequestError';
  }
}

/**
 * The view a query asks for, checked with core's rules (the CLI's): a grouping of at most
 * two dimensions with known tag keys, real dates in order, no earlier than Cost Explorer
 * keeps. Throws SpendRequestError naming the parameter.
 */
export function checkSpendView(query: SpendQuery, tagKeys: readonly string[], now: number) {
  try {
    const by = parseGroupBy(query.by ?? 'service', tagKeys);
    const range = resolveRange({
      ...(query.since ? { since: query.since } : {}),
      ...(query.until ? { until: query.until } : {}),
      now,
    });
    const view: SpendView = {
      ...(query.since ? { since: query.since } : {}),
      ...(query.until ? { until: query.until } : {}),
      by,
      metric: query.metric ?? 'UnblendedCost',
    };
    return { view, range };
  } catch (err) {
    if (err instanceof SpendInputError)
      // Core words its problems for the CLI's flags ("before --since ..."): here they are
      // URL parameters of the same names.
      throw new SpendRequestError(err.field, err.problem.replace(/--([a-z])/g, '$1'));
    throw err;
  }
}

/** One key per view: the same URL is the same view, whatever day it is. */
export function spendViewKey(view: SpendView): string {
  return [view.since ?? '', view.until ?? '', view.by.join(','), view.metric].join('|');
}

/** The ranges offered as one click, as of `now`: this month, 3, 6 and 13 months. */
export function rangePresets(now: number): SpendRangePreset[] {
  const month = monthOf(dayOf(now));
  const since = (months: number) => monthStart(addMonths(month, -(months - 1)));
  return [
    { id: '1m', label: 'This month', since: since(1) },
    { id: '3m', label: '3 months', since: since(3) },
    { id: '6m', label: '6 months', since: since(6) },
    { id: '13m', label: `${HISTORY_MONTHS} months` },
  ];
}

/**
 * The rounds in which the dashboard collects spend. A round starts with the first request
 * after the last one ended and lasts SPEND_ROUND_MS; what is collected in it is answered
 * from memory until it ends. Rounds are shared by every view and by the Overview, so the
 * open month is read once a round however many tabs and views are open.
 */
export class SpendRounds {
  private round: { at: number; endsAt: number } | undefined;

  constructor(
    private readonly now: () => number,
    readonly roundMs = SPEND_ROUND_MS,
  ) {}

  /** The current round, a new one when the last has ended. */
  current(): { at: number; endsAt: number } {
    const now = this.now();
    if (!this.round || now >= this.round.endsAt)
      this.round = { at: now, endsAt: now + this.roundMs };
    return this.round;
  }

  /**
   * When an answer collected now should be collected again: at the round's end, or
   * sooner when part of it failed (its backoff's next try, else SPEND_RETRY_MS).
   */
  refreshFor(failures: readonly SpendError[]): Omit<SpendRefresh, 'now'> {
    const { endsAt } = this.current();
    const collectedAt = this.now();
    if (failures.length === 0)
      return { collectedAt, nextAt: endsAt, reason: 'round', roundMs: this.roundMs };
    const retry = Math.min(
      ...failures.map((f) =>
        f.retryAt !== undefined && f.retryAt > collectedAt
          ? f.retryAt
          : collectedAt + SPEND_RETRY_MS,
      ),
    );
    return retry < endsAt
      ? { collectedAt, nextAt: retry, reason: 'retry', roundMs: this.roundMs }
      : { collectedAt, nextAt: endsAt, reason: 'round', roundMs: this.roundMs };
  }
}

/** What failed behind a page: its own refresh, and each panel that could not be read. */
export function pageFailures(page: Pick<SpendPage, 'freshness' | 'unavailable'>): SpendError[] {
  return [
    ...(page.freshness.error ? [page.freshness.error] : []),
    ...page.unavailable.map((u) => u.error),
  ];
}

/** What the Overview's money line is made of (collected by index.ts, faked in tests). */
export interface SpendSummarySource {
  context: string;
  evaluatedAt: number;
  /** null: could not be read and nothing stored (see `unavailable`) */
  forecast: SpendForecast | null;
  anomalies: AnomalyReport | null;
  /** last month's total, one monthly period */
  lastMonth: CostTable | null;
  unavailable: SpendSummary['unavailable'];
  meter: MeterReport;
}

/** The Overview's money line: month to date against the budget, the forecast, anomalies. */
export function summarizeSpend(source: SpendSummarySource, refresh: SpendRefresh): SpendSummary {
  const { forecast, anomalies, lastMonth } = source;
  const today = dayOf(source.evaluatedAt);
  const month = monthOf(today);
  const mtd = forecast?.monthToDate;
  const total = forecast?.budgets.find((b) => b.scope.kind === 'total');
  const rank = { over: 0, 'at-risk': 1, under: 2 } as const;
  const blocks = [forecast, anomalies, lastMonth].flatMap((v) => (v ? [v.freshness] : []));
  return {
    context: source.context,
    evaluatedAt: source.evaluatedAt,
    month,
    monthJustBegan: today === monthStart(month),
    monthToDate: mtd
      ? {
          amount: mtd.amount,
          amountWithToday: mtd.amountWithToday,
          days: daysBetween(mtd.compared.start, mtd.compared.end),
          previousMonth: mtd.previous.month,
          previousAmount: mtd.previous.amount,
          changePct: mtd.changePct,
        }
      : null,
    forecast: forecast
      ? {
          mean: forecast.monthEnd.mean,
          lower: forecast.monthEnd.lower,
          upper: forecast.monthEnd.upper,
          basis: forecast.basis,
        }
      : null,
    budget: total
      ? {
          budgetUsd: total.budgetUsd,
          actualUsd: total.actualUsd,
          usedPct: total.usedPct,
          forecastUsd: total.forecastUsd,
          lowerUsd: total.lowerUsd,
          upperUsd: total.upperUsd,
          status: total.status,
          overByUsd: total.overByUsd,
        }
      : null,
    budgetsAtRisk: (forecast?.budgets ?? [])
      .filter((b) => b.scope.kind === 'tag' && b.status !== 'under')
      .sort((a, b) => rank[a.status] - rank[b.status] || b.overByUsd - a.overByUsd)
      .map((b) => ({ label: b.label, status: b.status, overByUsd: b.overByUsd })),
    lastMonth: lastMonth
      ? {
          month: monthOf(lastMonth.range.start),
          amount: lastMonth.total,
          estimated: lastMonth.estimated,
          budgetUsd: total?.budgetUsd ?? null,
        }
      : null,
    anomalies: anomalies
      ? { open: anomalies.open.count, openImpactUsd: anomalies.open.impactUsd }
      : null,
    unavailable: source.unavailable,
    freshness: mergeFreshness(blocks, source.evaluatedAt),
    meter: {
      today: source.meter.today,
      month: source.meter.month,
      projectedMonthUsd: source.meter.projectedMonthUsd,
    },
    refresh,
  };
}

/** The days of last month, as `since` and `until` (inclusive) for a cost table. */
export function lastMonthRange(now: number): { since: string; until: string } {
  const month = monthOf(dayOf(now));
  const last = addMonths(month, -1);
  return { since: monthStart(last), until: addDays(monthStart(month), -1) };
}

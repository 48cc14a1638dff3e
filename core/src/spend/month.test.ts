import { describe, expect, it } from 'vitest';
import type { CostForecast } from '../model/spend.js';
import { addDays } from './dates.js';
import {
  budgetStatus,
  evaluateBudgets,
  monthForecast,
  monthToDate,
  runRate,
  type DailyAmount,
} from './month.js';

/** Thursday 20 November 2025, 15:00 UTC */
const NOW = Date.UTC(2025, 10, 20, 15);

/** $100 a day from 1 October to today, $130 on November weekdays (the shop got busier). */
function days(): DailyAmount[] {
  const out: DailyAmount[] = [];
  for (let day = '2025-10-01'; day <= '2025-11-20'; day = addDays(day, 1)) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    const busy = day >= '2025-11-01' && weekday >= 1 && weekday <= 5;
    out.push({ day, amount: busy ? 130 : 100, estimated: day >= '2025-11-01' });
  }
  return out;
}

const forecast: CostForecast = {
  metric: 'UnblendedCost',
  start: '2025-11-20',
  end: '2025-12-01',
  mean: 1300,
  lower: 1150,
  upper: 1500,
  predictionIntervalLevel: 80,
  unit: 'USD',
};

describe('monthToDate', () => {
  it('given 19 complete days, then they are compared with 1-19 October; today counts apart', () => {
    // 1-19 November: 13 weekdays at $130, 6 weekend days at $100 = 2,290
    expect(monthToDate(days(), NOW)).toEqual({
      month: '2025-11',
      compared: { start: '2025-11-01', end: '2025-11-20' },
      amount: 2290,
      previous: {
        month: '2025-10',
        range: { start: '2025-10-01', end: '2025-10-20' },
        amount: 1900,
      },
      changeUsd: 390,
      changePct: (390 / 1900) * 100,
      amountWithToday: 2420,
    });
  });

  it('given 31 March, then last month is all of February (shorter)', () => {
    const march: DailyAmount[] = [];
    for (let day = '2025-02-01'; day <= '2025-03-31'; day = addDays(day, 1))
      march.push({ day, amount: 10, estimated: false });
    const mtd = monthToDate(march, Date.UTC(2025, 2, 31, 12));
    expect(mtd.previous.range).toEqual({ start: '2025-02-01', end: '2025-03-01' });
    expect([mtd.amount, mtd.previous.amount]).toEqual([300, 280]);
  });

  it('given the first of the month, then nothing to compare yet', () => {
    const mtd = monthToDate(days(), Date.UTC(2025, 10, 1, 9));
    expect([mtd.amount, mtd.previous.amount, mtd.changePct]).toEqual([0, 0, null]);
  });
});

describe('budgetStatus', () => {
  it.each([
    ['the interval stays under', 5000, 3000, { mean: 4000, lower: 3800, upper: 4900 }, 'under'],
    [
      'the interval reaches past it',
      5000,
      3000,
      { mean: 4800, lower: 4500, upper: 5200 },
      'at-risk',
    ],
    ['the mean is past it', 5000, 3000, { mean: 5100, lower: 4800, upper: 5400 }, 'over'],
    ['it is spent already', 5000, 5001, { mean: 4000, lower: 3900, upper: 4100 }, 'over'],
    ['no interval, within 10%', 5000, 3000, { mean: 4600, lower: null, upper: null }, 'at-risk'],
    ['no interval, further', 5000, 3000, { mean: 4400, lower: null, upper: null }, 'under'],
  ])('given %s, then %s', (_, budget, actual, forecastAmounts, status) => {
    expect(budgetStatus(budget, actual, forecastAmounts).status).toBe(status);
  });

  it('given a mean past the budget, then by how much and how much is used', () => {
    expect(budgetStatus(5000, 3000, { mean: 5100, lower: null, upper: null })).toEqual({
      status: 'over',
      exceeded: false,
      overByUsd: 100,
      usedPct: 60,
    });
  });
});

describe('monthForecast', () => {
  it('given Cost Explorer’s forecast from today, then actual before today plus its mean and interval', () => {
    expect(monthForecast(days(), forecast, NOW)).toEqual({
      month: '2025-11',
      actual: { range: { start: '2025-11-01', end: '2025-11-20' }, amount: 2290 },
      forecast,
      monthEnd: { mean: 3590, lower: 3440, upper: 3790, predictionIntervalLevel: 80 },
      basis: 'cost-explorer',
    });
  });

  it('given a forecast made yesterday, then actual before its start plus it', () => {
    const yesterday = { ...forecast, start: '2025-11-19', mean: 1430 };
    expect(monthForecast(days(), yesterday, NOW).monthEnd.mean).toBe(2160 + 1430);
  });

  it('given no forecast, then the run rate of the last 7 complete days for the 11 days left', () => {
    // 13-19 November: 5 weekdays at $130 and 2 weekend days at $100 = $850 / 7
    expect(runRate(days(), '2025-11-20')).toBeCloseTo(850 / 7, 10);
    const projected = monthForecast(days(), null, NOW);
    expect(projected.basis).toBe('run-rate');
    expect(projected.monthEnd.mean).toBeCloseTo(2290 + (850 / 7) * 11, 6);
    expect(projected.monthEnd.upper).toBeNull();
  });

  it('given last month’s forecast (the month turned), then it is not used', () => {
    expect(monthForecast(days(), { ...forecast, start: '2025-10-31' }, NOW).basis).toBe('run-rate');
  });
});

describe('evaluateBudgets', () => {
  // storefront spends $60 of every day, the rest is untagged
  const storefront = days().map((d) => ({ ...d, amount: 60 }));

  it('given a monthly budget and a team budget, then each with its forecast and status', () => {
    const budgets = evaluateBudgets({
      spend: {
        tagKeys: ['team'],
        budgets: { monthly: 3700, tags: { team: { storefront: 1700, ml: 500 } } },
      },
      days: days(),
      tagDays: new Map([['team', new Map([['storefront', storefront]])]]),
      forecast: monthForecast(days(), forecast, NOW),
      now: NOW,
    });

    // Total: 3,590 (3,440 - 3,790) against 3,700: the interval reaches past it.
    expect(budgets[0]).toMatchObject({
      scope: { kind: 'total' },
      configPath: 'spend.budgets.monthly',
      actualUsd: 2420,
      forecastUsd: 3590,
      lowerUsd: 3440,
      upperUsd: 3790,
      status: 'at-risk',
      overByUsd: -110,
    });
    // storefront: $1,140 before the 20th; 14 days before it cost $1,700 of which $840 was
    // storefront's, so its share of the $1,300 to come is 840 / 1,700.
    const share = 840 / (10 * 130 + 4 * 100);
    expect(budgets[1]).toMatchObject({
      scope: { kind: 'tag', tagKey: 'team', tagValue: 'storefront' },
      label: 'team: storefront',
      actualUsd: 1200,
      basis: 'share-of-forecast',
      status: 'over',
    });
    expect(budgets[1]?.forecastUsd).toBeCloseTo(1140 + share * 1300, 6);
    expect(budgets[1]?.upperUsd).toBeCloseTo(1140 + share * 1500, 6);
    // ml has no spend at all: nothing forecast, well under
    expect(budgets[2]).toMatchObject({ actualUsd: 0, forecastUsd: 0, status: 'under' });
  });
});

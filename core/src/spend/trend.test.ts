import { describe, expect, it } from 'vitest';
import type { CostTable } from '../model/spend.js';
import { addDays } from './dates.js';
import { dailyTrend, moversFloor, topMovers, weekWindows } from './trend.js';

/** Thursday 20 November 2025 */
const NOW = Date.UTC(2025, 10, 20, 9);

describe('dailyTrend', () => {
  it('given 14 complete days, then a 7-day mean from the 7th and this week against last', () => {
    const days = [];
    // 6-12 November $100 a day, 13-19 November $120 a day, today $30 so far
    for (let day = '2025-11-06'; day <= '2025-11-20'; day = addDays(day, 1))
      days.push({
        day,
        amount: day === '2025-11-20' ? 30 : day >= '2025-11-13' ? 120 : 100,
        estimated: true,
      });
    const trend = dailyTrend(days, NOW);
    expect(trend.points.slice(5, 8).map((p) => [p.day, p.average7])).toEqual([
      ['2025-11-11', null],
      ['2025-11-12', 100],
      ['2025-11-13', expect.closeTo((6 * 100 + 120) / 7, 6)],
    ]);
    expect(trend.weekOverWeek).toEqual({
      current: 840,
      previous: 700,
      changeUsd: 140,
      changePct: 20,
    });
  });

  it('given a gap in the last 14 days, then no week over week (unknown, not zero)', () => {
    const trend = dailyTrend([{ day: '2025-11-19', amount: 100, estimated: true }], NOW);
    expect(trend.weekOverWeek).toBeNull();
  });
});

describe('topMovers', () => {
  const windows = weekWindows('2025-11-20');
  /** A daily table by service over 6-19 November. */
  function table(perDay: (day: string) => Record<string, number>): CostTable {
    const periods = [];
    for (let day = windows.previous.start; day < windows.current.end; day = addDays(day, 1)) {
      const amounts = perDay(day);
      periods.push({
        start: day,
        end: addDays(day, 1),
        estimated: false,
        total: Object.values(amounts).reduce((a, b) => a + b, 0),
        amounts,
      });
    }
    return {
      metric: 'UnblendedCost',
      unit: 'USD',
      granularity: 'daily',
      groupBy: ['service'],
      range: { start: windows.previous.start, end: windows.current.end },
      covered: { start: windows.previous.start, end: windows.current.end },
      groups: [],
      periods,
      total: 0,
      estimated: false,
      freshness: {
        fetchedAt: 0,
        ageMs: 0,
        fromCache: true,
        paidRequests: 0,
        paidUsd: 0,
        nextRefreshAt: null,
      },
    };
  }

  it('given a line that doubled, one that stopped, a new one and a tiny one, then by dollars, the tiny one left out', () => {
    const movers = topMovers(
      table((day) => {
        const thisWeek = day >= windows.current.start;
        return {
          EC2: thisWeek ? 200 : 100,
          CloudFront: 500,
          Lambda: thisWeek ? 0 : 20,
          OpenSearch: thisWeek ? 30 : 0,
          SQS: thisWeek ? 0.2 : 0.02,
        };
      }),
      'service',
      NOW,
    );
    // a week is about $5,600 + ...: the floor is 0.5% of the average week
    const week = (current: number, previous: number) => (current + previous) / 2;
    expect(movers.floorUsd).toBeCloseTo(
      moversFloor(week(7 * (200 + 500 + 30 + 0.2), 7 * (100 + 500 + 20 + 0.02))),
      6,
    );
    expect(movers.movers.map((m) => [m.key, m.changeUsd, m.changePct])).toEqual([
      ['EC2', 700, 100],
      ['OpenSearch', 210, null],
      ['Lambda', -140, -100],
    ]);
    expect(movers.current).toEqual({ start: '2025-11-13', end: '2025-11-20' });
    expect(movers.previous).toEqual({ start: '2025-11-06', end: '2025-11-13' });
  });

  it('given a floor and a limit, then they apply', () => {
    const movers = topMovers(
      table((day) => ({ a: day >= windows.current.start ? 3 : 1, b: 2 })),
      'service',
      NOW,
      { floorUsd: 0.5, limit: 1 },
    );
    expect(movers.movers).toEqual([
      { key: 'a', label: 'a', current: 21, previous: 7, changeUsd: 14, changePct: 200 },
    ]);
  });
});

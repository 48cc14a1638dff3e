import { describe, expect, it } from 'vitest';
import type { BusinessSeries, SpendFreshness } from '../model/spend.js';
import { BYTES_PER_GB, unitCosts } from './unit-costs.js';

const freshness: SpendFreshness = {
  fetchedAt: 0,
  ageMs: 0,
  fromCache: true,
  paidRequests: 0,
  paidUsd: 0,
  nextRefreshAt: null,
};
const series = (metric: BusinessSeries['metric'], points: [string, number][]): BusinessSeries => ({
  metric,
  name: metric,
  unit: 'Count',
  points: points.map(([day, value]) => ({ day, value })),
});

describe('unitCosts', () => {
  const report = unitCosts({
    range: { start: '2025-11-18', end: '2025-11-21' },
    days: [
      { day: '2025-11-18', amount: 500, estimated: false },
      { day: '2025-11-19', amount: 600, estimated: true },
      // no cost figure for the 20th yet
    ],
    metrics: [
      series('orders', [
        ['2025-11-18', 250],
        ['2025-11-19', 0],
        ['2025-11-20', 90],
      ]),
      series('modelViews', [
        ['2025-11-18', 40_000],
        ['2025-11-19', 60_000],
      ]),
      series('modelBytes', [['2025-11-18', 2_000 * BYTES_PER_GB]]),
    ],
    metricsSource: { source: 'business-metrics', ok: true, fetchedAt: 0 },
    freshness,
  });

  it('given a day with cost and every driver, then each unit cost', () => {
    expect(report.days[0]).toEqual({
      day: '2025-11-18',
      costUsd: 500,
      estimated: false,
      orders: 250,
      revenueUsd: null,
      modelViews: 40_000,
      modelGb: 2_000,
      costPerOrder: 2,
      costPer1000Views: 12.5,
      costPerGb: 0.25,
      costPerRevenueUsd: null,
    });
  });

  it('given no orders, no bytes or no cost, then that unit cost is unknown, never zero', () => {
    expect(report.days[1]).toMatchObject({
      costPerOrder: null,
      costPerGb: null,
      costPer1000Views: 10,
    });
    expect(report.days[2]).toMatchObject({ costUsd: null, orders: 90, costPerOrder: null });
  });

  it('given several days, then the overall figure pairs each driver with the cost of its own days', () => {
    // orders: $1,100 over 250 + 0 orders (the 20th has no cost); views: $1,100 / 100,000
    expect(report.overall).toEqual({
      costPerOrder: 4.4,
      costPer1000Views: 11,
      costPerGb: 0.25,
      costPerRevenueUsd: null,
    });
  });
});

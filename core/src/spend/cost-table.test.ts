import { describe, expect, it } from 'vitest';
import type { SpendFreshness } from '../model/spend.js';
import type { CostMonth } from './cost-months.js';
import { buildCostTable, displayKey } from './cost-table.js';

const freshness: SpendFreshness = {
  fetchedAt: 0,
  ageMs: 0,
  fromCache: true,
  paidRequests: 0,
  paidUsd: 0,
  nextRefreshAt: null,
};

/** Two days of SERVICE x team: 30 Nov (closed) and 1 Dec (estimated, today). */
const months: CostMonth[] = [
  {
    month: '2025-11',
    groupBy: ['SERVICE', 'TAG:team'],
    metrics: ['UnblendedCost'],
    start: '2025-11-01',
    end: '2025-12-01',
    keys: [
      ['Amazon CloudFront', 'team$storefront'],
      ['Amazon S3', 'team$'],
      ['Amazon S3', 'team$storefront'],
    ],
    units: [['USD'], ['USD'], ['USD']],
    days: [
      {
        day: '2025-11-30',
        estimated: false,
        rows: [
          [0, 40],
          [1, 5],
          [2, 1.25],
        ],
      },
    ],
  },
  {
    month: '2025-12',
    groupBy: ['SERVICE', 'TAG:team'],
    metrics: ['UnblendedCost'],
    start: '2025-12-01',
    end: '2025-12-02',
    keys: [
      ['Amazon S3', 'team$'],
      ['Amazon CloudFront', 'team$storefront'],
    ],
    units: [['USD'], ['USD']],
    days: [
      {
        day: '2025-12-01',
        estimated: true,
        rows: [
          [0, 2],
          [1, 10.5],
        ],
      },
    ],
  },
];
const range = { start: '2025-11-01', end: '2025-12-02' };

describe('displayKey', () => {
  it.each([
    ['TAG:team', 'team$storefront', 'storefront'],
    ['TAG:team', 'team$', '(untagged)'],
    ['TAG:cost-center', 'cost-center$a$b', 'a$b'],
    ['SERVICE', 'Amazon S3', 'Amazon S3'],
  ])('given a %s key %s, then %s', (dim, raw, shown) => {
    expect(displayKey(dim, raw)).toBe(shown);
  });
});

describe('buildCostTable', () => {
  it('given SERVICE x team months, when asked by team, then the services are summed away', () => {
    const table = buildCostTable({
      months,
      dims: ['tag:team'],
      granularity: 'daily',
      range,
      metric: 'UnblendedCost',
      freshness,
    });
    expect(table.groups).toEqual([
      {
        id: 'storefront',
        keys: ['storefront'],
        label: 'storefront',
        total: 51.75,
        untagged: false,
      },
      { id: '(untagged)', keys: ['(untagged)'], label: '(untagged)', total: 7, untagged: true },
    ]);
    expect(table.periods).toEqual([
      {
        start: '2025-11-30',
        end: '2025-12-01',
        estimated: false,
        total: 46.25,
        amounts: { storefront: 41.25, '(untagged)': 5 },
      },
      {
        start: '2025-12-01',
        end: '2025-12-02',
        estimated: true,
        total: 12.5,
        amounts: { '(untagged)': 2, storefront: 10.5 },
      },
    ]);
    expect(table.untagged).toEqual({ tagKey: 'team', amount: 7, share: 7 / 58.75 });
    expect(table).toMatchObject({ total: 58.75, estimated: true });
  });

  it('given the same months asked monthly by service, then one period per month, cut to the range', () => {
    const table = buildCostTable({
      months,
      dims: ['service'],
      granularity: 'monthly',
      range,
      metric: 'UnblendedCost',
      freshness,
    });
    expect(table.periods.map((p) => [p.start, p.end, p.total, p.estimated])).toEqual([
      ['2025-11-01', '2025-12-01', 46.25, false],
      ['2025-12-01', '2025-12-02', 12.5, true],
    ]);
    expect(table.groups.map((g) => [g.id, g.total])).toEqual([
      ['Amazon CloudFront', 50.5],
      ['Amazon S3', 8.25],
    ]);
    expect(table.untagged).toBeUndefined();
  });

  it('given both dimensions, then each pair is a group', () => {
    const table = buildCostTable({
      months,
      dims: ['service', 'tag:team'],
      granularity: 'daily',
      range,
      metric: 'UnblendedCost',
      freshness,
    });
    expect(table.groups.map((g) => g.id)).toEqual([
      'Amazon CloudFront / storefront',
      'Amazon S3 / (untagged)',
      'Amazon S3 / storefront',
    ]);
  });

  it('given a range the data covers only in part, then `covered` says what is shown', () => {
    const table = buildCostTable({
      months,
      dims: [],
      granularity: 'daily',
      range: { start: '2025-11-15', end: '2025-12-10' },
      metric: 'UnblendedCost',
      freshness,
    });
    expect(table.covered).toEqual({ start: '2025-11-30', end: '2025-12-02' });
    expect(table.groups).toEqual([
      { id: 'Total', keys: [], label: 'Total', total: 58.75, untagged: false },
    ]);
  });

  it('given a shape without the dimension, then it refuses rather than inventing', () => {
    expect(() =>
      buildCostTable({
        months,
        dims: ['usage-type'],
        granularity: 'daily',
        range,
        metric: 'UnblendedCost',
        freshness,
      }),
    ).toThrow('cached SERVICE x TAG:team cannot answer usage-type');
  });
});

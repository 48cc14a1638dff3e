import { describe, expect, it } from 'vitest';
import type { CostAndUsage } from '../model/spend.js';
import { parsePlatformConfig } from '../config/platform-config.js';
import {
  isFinalMonth,
  primaryTagKey,
  runRange,
  shapeFor,
  splitIntoMonths,
  usageShape,
} from './cost-months.js';

const platform = (spend: string) =>
  parsePlatformConfig(
    `name: shop
region: us-east-1
tiers:
  - id: web
    title: Web
    resources: [{ type: asg, name: web }]
${spend}`,
    'shop.yaml',
  );

describe('shapeFor: which query answers a grouping', () => {
  const config = platform(`spend:
  tagKeys: [env, team]
  budgets: { tags: { team: { storefront: 100 } } }
`);

  it.each([
    [[], ['SERVICE', 'TAG:team']],
    [['service'], ['SERVICE', 'TAG:team']],
    [['tag:team'], ['SERVICE', 'TAG:team']],
    [
      ['tag:env', 'service'],
      ['SERVICE', 'TAG:env'],
    ],
    [['usage-type'], ['USAGE_TYPE', 'REGION']],
    [
      ['region', 'usage-type'],
      ['USAGE_TYPE', 'REGION'],
    ],
    [
      ['service', 'region'],
      ['SERVICE', 'REGION'],
    ],
    [
      ['tag:env', 'tag:team'],
      ['TAG:env', 'TAG:team'],
    ],
  ] as const)('given %j, then GroupBy %j', (dims, groupBy) => {
    expect(shapeFor(dims, config, 'UnblendedCost').groupBy).toEqual(groupBy);
  });

  it('given budgets on team, then team is read with the service (even if env is listed first)', () => {
    expect(primaryTagKey(config)).toBe('team');
  });

  it('given no budgets, then the first tag key; given no tag keys, then SERVICE alone', () => {
    expect(primaryTagKey(platform('spend: { tagKeys: [env, team] }'))).toBe('env');
    expect(shapeFor([], platform(''), 'UnblendedCost').groupBy).toEqual(['SERVICE']);
  });

  it('given the usage shape, then it measures the usage quantity too', () => {
    expect(usageShape('AmortizedCost').metrics).toEqual(['AmortizedCost', 'UsageQuantity']);
  });
});

describe('splitIntoMonths', () => {
  const answer: CostAndUsage = {
    granularity: 'DAILY',
    groupBy: ['SERVICE', 'TAG:team'],
    metrics: ['UnblendedCost'],
    periods: [
      {
        start: '2025-10-31',
        end: '2025-11-01',
        estimated: false,
        total: {},
        groups: [
          { keys: ['Amazon S3', 'team$'], metrics: { UnblendedCost: { amount: 5, unit: 'USD' } } },
        ],
      },
      {
        start: '2025-11-01',
        end: '2025-11-02',
        estimated: true,
        total: {},
        groups: [
          { keys: ['Amazon S3', 'team$'], metrics: { UnblendedCost: { amount: 6, unit: 'USD' } } },
          {
            keys: ['Amazon CloudFront', 'team$storefront'],
            metrics: { UnblendedCost: { amount: 40, unit: 'USD' } },
          },
        ],
      },
    ],
  };

  it('given a query across two months, then each month keeps its own days and group keys', () => {
    const months = splitIntoMonths(answer, { start: '2025-10-01', end: '2025-11-02' });
    expect(months).toEqual([
      {
        month: '2025-10',
        groupBy: ['SERVICE', 'TAG:team'],
        metrics: ['UnblendedCost'],
        start: '2025-10-01',
        end: '2025-11-01',
        keys: [['Amazon S3', 'team$']],
        units: [['USD']],
        days: [{ day: '2025-10-31', estimated: false, rows: [[0, 5]] }],
      },
      {
        month: '2025-11',
        groupBy: ['SERVICE', 'TAG:team'],
        metrics: ['UnblendedCost'],
        start: '2025-11-01',
        end: '2025-11-02',
        keys: [
          ['Amazon S3', 'team$'],
          ['Amazon CloudFront', 'team$storefront'],
        ],
        units: [['USD'], ['USD']],
        days: [
          {
            day: '2025-11-01',
            estimated: true,
            rows: [
              [0, 6],
              [1, 40],
            ],
          },
        ],
      },
    ]);
  });

  it('given an ungrouped query, then its Total is the one group', () => {
    const months = splitIntoMonths(
      {
        granularity: 'DAILY',
        groupBy: [],
        metrics: ['UnblendedCost'],
        periods: [
          {
            start: '2025-11-01',
            end: '2025-11-02',
            estimated: true,
            total: { UnblendedCost: { amount: 46.76, unit: 'USD' } },
            groups: [],
          },
        ],
      },
      { start: '2025-11-01', end: '2025-11-02' },
    );
    expect(months[0]?.keys).toEqual([[]]);
    expect(months[0]?.days[0]?.rows).toEqual([[0, 46.76]]);
  });
});

describe('isFinalMonth: when a month can never change again', () => {
  const at = (day: string) => Date.parse(`${day}T06:00:00Z`);
  it.each([
    ['read while open', '2025-11', at('2025-11-20'), true, false],
    ['read on its last day', '2025-10', at('2025-10-31'), false, false],
    ['read after it ended, nothing estimated', '2025-10', at('2025-11-01'), false, true],
    ['read after it ended, still estimated', '2025-10', at('2025-11-03'), true, false],
    ['read a month after it ended, still estimated', '2025-10', at('2025-12-01'), true, true],
  ])('given a month %s, then final is %s', (_, month, fetchedAt, estimated, final) => {
    expect(isFinalMonth(month, fetchedAt, estimated)).toBe(final);
  });
});

describe('runRange', () => {
  const NOW = Date.UTC(2025, 10, 20, 12);
  it('given closed months, then whole months; given this month, then through today', () => {
    expect(runRange(['2025-08', '2025-09'], NOW)).toEqual({
      start: '2025-08-01',
      end: '2025-10-01',
    });
    expect(runRange(['2025-10', '2025-11'], NOW)).toEqual({
      start: '2025-10-01',
      end: '2025-11-21',
    });
  });
});

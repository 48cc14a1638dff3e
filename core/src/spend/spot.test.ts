import { describe, expect, it } from 'vitest';
import type { SpendFreshness } from '../model/spend.js';
import type { CostMonth } from './cost-months.js';
import { instanceUsage, spotSavings, usageLines, type UsagePeriod } from './spot.js';

const freshness: SpendFreshness = {
  fetchedAt: 0,
  ageMs: 0,
  fromCache: true,
  paidRequests: 0,
  paidUsd: 0,
  nextRefreshAt: null,
};
const line = (usageType: string, region: string, quantity: number, costUsd: number) => ({
  usageType,
  region,
  quantity,
  costUsd,
  unit: 'Hrs',
});

describe('instanceUsage', () => {
  it.each([
    ['SpotUsage:m6i.large', { kind: 'spot', instanceType: 'm6i.large' }],
    ['USE2-SpotUsage:c5.xlarge', { kind: 'spot', instanceType: 'c5.xlarge' }],
    ['BoxUsage:m6i.large', { kind: 'on-demand', instanceType: 'm6i.large' }],
    ['EU-BoxUsage:t3.micro', { kind: 'on-demand', instanceType: 't3.micro' }],
    ['EBS:VolumeUsage.gp3', undefined],
    ['DataTransfer-Out-Bytes', undefined],
  ])('given %s, then %j', (usageType, expected) => {
    expect(instanceUsage(usageType)).toEqual(expected);
  });
});

describe('spotSavings', () => {
  const november: UsagePeriod = {
    range: { start: '2025-11-01', end: '2025-11-21' },
    lines: [
      line('SpotUsage:m6i.large', 'us-east-1', 400, 16),
      line('BoxUsage:m6i.large', 'us-east-1', 200, 19.2),
      line('SpotUsage:c6i.xlarge', 'us-east-1', 300, 21),
      line('USE2-SpotUsage:r5.large', 'us-east-2', 50, 2),
      // spot only, in the account's whole history: AWS's list price stands in
      line('SpotUsage:c6a.xlarge', 'us-east-1', 100, 6),
      // the same type on-demand in another region is not its rate
      line('BoxUsage:r5.large', 'us-east-1', 10, 1.26),
    ],
  };
  const october: UsagePeriod = {
    range: { start: '2025-10-01', end: '2025-11-01' },
    lines: [line('BoxUsage:c6i.xlarge', 'us-east-1', 100, 17)],
  };

  it('given spot hours and on-demand rates from the same days or an earlier month, then what spot saved', () => {
    const report = spotSavings(november, [october], freshness);
    expect(report.lines.map((l) => [l.instanceType, l.onDemandRateUsd, l.savingsUsd])).toEqual([
      // 300 h x $0.17 = $51 on-demand, $21 spot
      ['c6i.xlarge', 0.17, 30],
      // 400 h x $0.096 = $38.40 on-demand, $16 spot
      ['m6i.large', 0.096, 22.4],
      // 100 h x $0.153 (list) = $15.30 on-demand, $6 spot
      ['c6a.xlarge', 0.153, 9.3],
      // never on-demand in us-east-2, and no list price there: unknown
      ['r5.large', null, null],
    ]);
    expect(report.lines[0]?.rateFrom).toEqual({
      kind: 'account',
      usageType: 'BoxUsage:c6i.xlarge',
      range: october.range,
      hours: 100,
      costUsd: 17,
    });
    expect(report.lines[2]?.rateFrom).toEqual({
      kind: 'list-price',
      region: 'us-east-1',
      asOf: '2026-12',
    });
    expect(report.totals).toEqual({
      spotCostUsd: 45,
      onDemandEquivalentUsd: 104.7,
      savingsUsd: 61.7,
      savingsPct: (61.7 / 104.7) * 100,
      unpricedSpotCostUsd: 2,
    });
  });

  it('given no spot usage, then no lines and no percentage', () => {
    const report = spotSavings({ range: november.range, lines: [] }, [], freshness);
    expect(report.totals).toEqual({
      spotCostUsd: 0,
      onDemandEquivalentUsd: 0,
      savingsUsd: 0,
      savingsPct: null,
      unpricedSpotCostUsd: 0,
    });
  });
});

describe('usageLines', () => {
  it('given USAGE_TYPE x REGION months, then the lines summed over the days asked for', () => {
    const month: CostMonth = {
      month: '2025-11',
      groupBy: ['USAGE_TYPE', 'REGION'],
      metrics: ['UnblendedCost', 'UsageQuantity'],
      start: '2025-11-01',
      end: '2025-11-04',
      keys: [['SpotUsage:m6i.large', 'us-east-1']],
      units: [['USD', 'Hrs']],
      days: [
        { day: '2025-11-01', estimated: true, rows: [[0, 0.8, 20]] },
        { day: '2025-11-02', estimated: true, rows: [[0, 0.9, 22]] },
        { day: '2025-11-03', estimated: true, rows: [[0, 1, 25]] },
      ],
    };
    expect(
      usageLines([month], { start: '2025-11-02', end: '2025-11-10' }, 'UnblendedCost'),
    ).toEqual({
      range: { start: '2025-11-02', end: '2025-11-04' },
      lines: [
        {
          usageType: 'SpotUsage:m6i.large',
          region: 'us-east-1',
          costUsd: 1.9,
          quantity: 47,
          unit: 'Hrs',
        },
      ],
    });
  });
});

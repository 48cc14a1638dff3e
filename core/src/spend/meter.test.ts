import { describe, expect, it } from 'vitest';
import type { CallLedgerDayRow } from '../store/store.js';
import { meterReport } from './meter.js';

/** Thursday 20 November 2025, 18:00 UTC: 10 days left after today */
const NOW = Date.UTC(2025, 10, 20, 18);
const row = (
  day: string,
  service: string,
  operation: string,
  requests: number,
  priceUsd: number,
  errors = 0,
): CallLedgerDayRow => ({ day, service, operation, requests, pages: 0, priceUsd, errors });

describe('meterReport', () => {
  it('given a cold load on the 14th and a few refreshes a day since, then the median day projects the month', () => {
    const rows = [
      row('2025-10-30', 'costexplorer', 'GetCostAndUsage', 9, 0.09), // last month
      row('2025-11-14', 'costexplorer', 'GetCostAndUsage', 18, 0.18), // the cold load
      row('2025-11-14', 'cloudwatch', 'GetMetricData', 100, 0.05),
      ...['15', '16', '17', '18', '19'].map((d) =>
        row(`2025-11-${d}`, 'costexplorer', 'GetCostAndUsage', 3, 0.03),
      ),
      row('2025-11-20', 'costexplorer', 'GetCostAndUsage', 1, 0.01),
      row('2025-11-20', 'costexplorer', 'GetCostForecast', 1, 0.01),
      row('2025-11-20', 'cloudwatch', 'DescribeAlarms', 40, 0, 2),
    ];
    const report = meterReport(rows, NOW);
    expect(report.today).toEqual({ day: '2025-11-20', requests: 42, usd: 0.02 });
    expect(report.month).toEqual({ month: '2025-11', requests: 175, usd: 0.4 });
    // The last 7 complete days, 13-19 November: $0, $0.23 and $0.03 x 5, median $0.03.
    // Today so far ($0.02) counts as that typical day; 10 days left after it.
    expect(report.projectedMonthUsd).toBeCloseTo(0.38 + 0.03 + 10 * 0.03, 10);
    expect(
      report.lines.map((l) => [l.service, l.operation, l.month.usd, l.today.requests]),
    ).toEqual([
      ['costexplorer', 'GetCostAndUsage', 0.34, 1],
      ['cloudwatch', 'GetMetricData', 0.05, 0],
      ['costexplorer', 'GetCostForecast', 0.01, 1],
      ['cloudwatch', 'DescribeAlarms', 0, 40],
    ]);
    expect(report.lines[3]?.month.errors).toBe(2);
  });

  it('given calls today only, then today stands for a typical day', () => {
    const report = meterReport(
      [row('2025-11-20', 'costexplorer', 'GetCostAndUsage', 6, 0.06)],
      NOW,
    );
    expect(report.projectedMonthUsd).toBeCloseTo(0.06 * 11, 10);
    expect(report.projectionBasis).toContain("today's spend so far");
  });

  it('given no calls, then zero everywhere', () => {
    const report = meterReport([], NOW);
    expect([report.month.usd, report.projectedMonthUsd, report.lines]).toEqual([0, 0, []]);
  });
});

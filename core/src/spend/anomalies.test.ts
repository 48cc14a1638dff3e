import { describe, expect, it } from 'vitest';
import type { CostAnomaly, SpendFreshness } from '../model/spend.js';
import { anomalyReport, isOpenAnomaly, mergeAnomalies } from './anomalies.js';

const NOW = Date.UTC(2025, 10, 20, 9);
const freshness: SpendFreshness = {
  fetchedAt: NOW,
  ageMs: 0,
  fromCache: false,
  paidRequests: 1,
  paidUsd: 0.01,
  nextRefreshAt: null,
};
const anomaly = (id: string, start: string, end: string | null, total: number): CostAnomaly => ({
  id,
  start,
  end,
  monitorArn: 'arn:aws:ce::123456789012:anomalymonitor/services',
  rootCauses: [],
  impact: { totalUsd: total, maxUsd: total, actualUsd: null, expectedUsd: null, percent: null },
  score: { max: 0.9, current: 0.5 },
});

describe('anomalies', () => {
  it.each([
    ['ended yesterday', '2025-11-19', true],
    ['ended today', '2025-11-20', true],
    ['ended two days ago', '2025-11-18', false],
    ['not ended', null, true],
  ])('given an anomaly that %s, then open is %s', (_, end, open) => {
    expect(isOpenAnomaly(anomaly('a', '2025-11-01', end, 1), NOW)).toBe(open);
  });

  it('given open and past anomalies, then open first, then the most recent, with sums', () => {
    const report = anomalyReport(
      [
        anomaly('old', '2025-08-02', '2025-08-04', 300),
        anomaly('spike', '2025-11-10', '2025-11-12', 800),
        anomaly('r5', '2025-11-14', '2025-11-19', 145.15),
        anomaly('before-range', '2025-01-01', '2025-01-02', 50),
      ],
      { start: '2025-06-01', end: '2025-11-21' },
      NOW,
      null,
      freshness,
    );
    expect(report.anomalies.map((a) => [a.id, a.open])).toEqual([
      ['r5', true],
      ['spike', false],
      ['old', false],
    ]);
    expect(report.open).toEqual({ count: 1, impactUsd: 145.15 });
    expect(report.past).toEqual({ count: 2, impactUsd: 1100 });
  });

  it('given anomalies read again, then updated ones replace the stored and older ones stay', () => {
    const merged = mergeAnomalies(
      [
        anomaly('old', '2025-06-01', '2025-06-02', 10),
        anomaly('r5', '2025-11-14', '2025-11-18', 120),
      ],
      [anomaly('r5', '2025-11-14', '2025-11-19', 145.15)],
    );
    expect(merged.map((a) => [a.id, a.end])).toEqual([
      ['old', '2025-06-02'],
      ['r5', '2025-11-19'],
    ]);
  });
});

// The money line as a founder reads it: on the first of a month it says the month just
// began and gives last month's closed total against its budget (never a bare $0), and a
// figure that could not be read is unknown with why, never 0.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { SpendSummary } from '../api.js';
import { nextPollAt, SPEND_POLL_SLACK_MS } from '../spend-data.js';
import { SpendHeadline } from './SpendHeadline.js';

const NOW = Date.UTC(2026, 10, 20, 12);

function summary(over: Partial<SpendSummary> = {}): SpendSummary {
  return {
    context: 'sandbox',
    evaluatedAt: NOW,
    month: '2026-11',
    monthJustBegan: false,
    monthToDate: {
      amount: 9_120,
      amountWithToday: 9_400,
      days: 19,
      previousMonth: '2026-10',
      previousAmount: 8_000,
      changePct: 14,
    },
    forecast: { mean: 14_800, lower: 13_900, upper: 15_700, basis: 'cost-explorer' },
    budget: {
      budgetUsd: 15_000,
      actualUsd: 9_400,
      usedPct: 62.7,
      forecastUsd: 14_800,
      lowerUsd: 13_900,
      upperUsd: 15_700,
      status: 'at-risk',
      overByUsd: -200,
    },
    budgetsAtRisk: [],
    lastMonth: { month: '2026-10', amount: 13_120, estimated: false, budgetUsd: 15_000 },
    anomalies: { open: 1, openImpactUsd: 1_951.17 },
    unavailable: [],
    freshness: {
      fetchedAt: NOW,
      ageMs: 0,
      fromCache: true,
      paidRequests: 0,
      paidUsd: 0,
      nextRefreshAt: null,
    },
    meter: {
      today: { day: '2026-11-20', requests: 12, usd: 0.12 },
      month: { month: '2026-11', requests: 300, usd: 1.2 },
      projectedMonthUsd: 1.8,
    },
    refresh: { now: NOW, collectedAt: NOW, nextAt: NOW + 3_600_000, reason: 'round', roundMs: 1 },
    ...over,
  };
}

const text = (s: SpendSummary) =>
  renderToStaticMarkup(createElement(SpendHeadline, { summary: s, now: NOW, receivedAt: NOW }))
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ');

describe('SpendHeadline', () => {
  it('given the month under way, then month to date against the budget, the forecast with its band, and the open anomalies', () => {
    const t = text(summary());
    expect(t).toContain('$9,400 of $15K budget');
    expect(t).toContain('19 complete days: $9,120, +14% vs the same days of October ($8,000)');
    expect(t).toContain('$14.8K At risk');
    expect(t).toContain('80% likely between $13.9K and $15.7K');
    expect(t).toContain('1 anomaly going on');
    expect(t).toContain('$1,951 above the expected spend');
    expect(t).toContain('$0.12 today');
  });

  it('given the first of a month, then it says the month just began and gives last month against its budget, not $0', () => {
    const t = text(
      summary({
        month: '2026-12',
        monthJustBegan: true,
        monthToDate: {
          amount: 0,
          amountWithToday: 0,
          days: 0,
          previousMonth: '2026-11',
          previousAmount: 0,
          changePct: null,
        },
        lastMonth: { month: '2026-11', amount: 55_783.6, estimated: false, budgetUsd: 15_000 },
      }),
    );
    expect(t).toContain('December just began');
    expect(t).toContain('November closed at $55.8K , 372% of its $15K budget');
    expect(t).not.toMatch(/December so far \$0\b/);
  });

  it('given the anomalies and the forecast could not be read, then they are unknown with why, never 0', () => {
    const denied = {
      kind: 'access-denied' as const,
      message: 'Access denied to ce:GetAnomalies',
      iamAction: 'ce:GetAnomalies',
      actions: ['Grant ce:GetAnomalies to the IAM identity of your credentials.'],
    };
    const t = text(
      summary({
        anomalies: null,
        forecast: null,
        monthToDate: null,
        budget: null,
        unavailable: [
          { panel: 'anomalies', error: denied },
          { panel: 'forecast', error: { kind: 'throttled', message: 'Rate exceeded' } },
        ],
      }),
    );
    expect(t).toContain('Open cost anomalies ?');
    expect(t).toContain('Grant ce:GetAnomalies');
    expect(t).toContain('November forecast ?');
    expect(t).toContain('throttled by AWS');
    expect(t).not.toContain('0 anomalies');
  });
});

describe('nextPollAt', () => {
  it("asks again when the server's round ends, on the browser's clock", () => {
    // The server's clock is an hour ahead of the browser's: only the difference counts.
    const refresh = {
      now: NOW + 3_600_000,
      collectedAt: NOW + 3_600_000,
      nextAt: NOW + 3_600_000 + 86_700_000,
      reason: 'round' as const,
      roundMs: 86_700_000,
    };
    expect(nextPollAt(refresh, NOW)).toBe(NOW + 86_700_000 + SPEND_POLL_SLACK_MS);
  });

  it('given a next refresh already past, then at once (after the slack)', () => {
    const refresh = {
      now: NOW,
      collectedAt: NOW,
      nextAt: NOW - 1,
      reason: 'retry' as const,
      roundMs: 1,
    };
    expect(nextPollAt(refresh, NOW)).toBe(NOW + SPEND_POLL_SLACK_MS);
  });
});

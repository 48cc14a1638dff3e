import { describe, expect, it } from 'vitest';
import { mergeFreshness, spendFreshness } from './freshness.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2025, 11, 1, 12);

describe('spendFreshness', () => {
  it('given a final month and an open one read 3 h ago, then the age of the oldest and when the open one is due', () => {
    const freshness = spendFreshness(
      [
        { fetchedAt: NOW - 30 * 24 * HOUR, final: true, maxAgeMs: 8 * HOUR },
        { fetchedAt: NOW - 3 * HOUR, final: false, maxAgeMs: 8 * HOUR },
      ],
      NOW,
      { requests: 0, usd: 0 },
    );
    expect(freshness).toEqual({
      fetchedAt: NOW - 30 * 24 * HOUR,
      ageMs: 30 * 24 * HOUR,
      fromCache: true,
      paidRequests: 0,
      paidUsd: 0,
      nextRefreshAt: NOW + 5 * HOUR + 1,
    });
  });

  it('given requests made and a failure, then what they cost and why the data is older', () => {
    const error = {
      kind: 'throttled' as const,
      message: 'Cost Explorer throttled GetCostAndUsage',
    };
    const freshness = spendFreshness([], NOW, { requests: 3, usd: 0.03 }, error);
    expect(freshness).toMatchObject({
      fetchedAt: null,
      ageMs: null,
      fromCache: false,
      paidRequests: 3,
      paidUsd: 0.03,
      nextRefreshAt: null,
      error,
    });
  });
});

describe('mergeFreshness', () => {
  it('given the blocks of a page, then the oldest data, the sum paid and the soonest refresh', () => {
    const a = spendFreshness([{ fetchedAt: NOW - HOUR, final: false, maxAgeMs: 8 * HOUR }], NOW, {
      requests: 2,
      usd: 0.02,
    });
    const b = spendFreshness(
      [{ fetchedAt: NOW - 5 * HOUR, final: false, maxAgeMs: 24 * HOUR }],
      NOW,
      {
        requests: 1,
        usd: 0.01,
      },
    );
    expect(mergeFreshness([a, b], NOW)).toEqual({
      fetchedAt: NOW - 5 * HOUR,
      ageMs: 5 * HOUR,
      fromCache: false,
      paidRequests: 3,
      paidUsd: 0.03,
      nextRefreshAt: NOW + 7 * HOUR + 1,
    });
  });
});

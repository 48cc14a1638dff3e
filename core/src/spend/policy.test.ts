import { describe, expect, it } from 'vitest';
import { isDue, planRuns, SPEND_FRESHNESS } from './policy.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2025, 10, 20, 12);
const OPEN = SPEND_FRESHNESS.openCostMs;

describe('isDue', () => {
  it.each([
    ['nothing cached', undefined, false, true],
    ['a final month read a year ago', { fetchedAt: NOW - 8760 * HOUR, final: true }, false, false],
    ['a final month, with --refresh', { fetchedAt: NOW - HOUR, final: true }, true, false],
    ['an open month read 8 h ago', { fetchedAt: NOW - 8 * HOUR, final: false }, false, false],
    [
      'an open month read 8 h 1 s ago',
      { fetchedAt: NOW - 8 * HOUR - 1000, final: false },
      false,
      true,
    ],
    [
      'an open month read a minute ago, with --refresh',
      { fetchedAt: NOW - 60_000, final: false },
      true,
      true,
    ],
    ['an open month "read" in the future', { fetchedAt: NOW + HOUR, final: false }, false, true],
  ])('given %s, then due is %s', (_, entry, refresh, due) => {
    expect(isDue(entry, NOW, OPEN, refresh)).toBe(due);
  });
});

describe('planRuns', () => {
  const cached = new Map([
    ['2025-06', { fetchedAt: NOW - 1000 * HOUR, final: true }],
    ['2025-10', { fetchedAt: NOW - 9 * HOUR, final: false }],
    ['2025-11', { fetchedAt: NOW - 9 * HOUR, final: false }],
  ]);

  it('given months missing or due around a final one, then one run per stretch of consecutive months', () => {
    const months = [
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
    ];
    expect(planRuns(months, cached, NOW, OPEN)).toEqual([
      ['2025-04', '2025-05'],
      ['2025-07', '2025-08', '2025-09', '2025-10', '2025-11'],
    ]);
  });

  it('given months that are not consecutive, then they are not asked in one run', () => {
    expect(planRuns(['2025-01', '2025-03'], new Map(), NOW, OPEN)).toEqual([
      ['2025-01'],
      ['2025-03'],
    ]);
  });

  it('given a new month and last month still open, then both in one query, not two a few hours apart', () => {
    const december = NOW + 11 * 24 * HOUR;
    const open = new Map([
      ['2025-10', { fetchedAt: NOW, final: true }],
      ['2025-11', { fetchedAt: december - HOUR, final: false }],
    ]);
    expect(planRuns(['2025-10', '2025-11', '2025-12'], open, december, OPEN)).toEqual([
      ['2025-11', '2025-12'],
    ]);
  });

  it('given everything cached and fresh, then nothing to read', () => {
    expect(planRuns(['2025-06', '2025-10'], cached, NOW - 2 * HOUR, OPEN)).toEqual([]);
  });
});

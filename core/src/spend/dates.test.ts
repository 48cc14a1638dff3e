import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  dayOf,
  dayStart,
  daysBetween,
  daysInMonth,
  isIsoDay,
  monthEnd,
  monthsOf,
} from './dates.js';

describe('calendar arithmetic in UTC', () => {
  it.each([
    ['2025-02-28', 1, '2025-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2025-03-01', -1, '2025-02-28'],
    ['2025-11-20', -14, '2025-11-06'],
  ])('given %s plus %d days, then %s', (day, n, expected) => {
    expect(addDays(day, n)).toBe(expected);
  });

  it.each([
    ['2025-01', -1, '2024-12'],
    ['2025-11', -12, '2024-11'],
    ['2025-12', 1, '2026-01'],
    ['2025-11', -13, '2024-10'],
  ])('given %s plus %d months, then %s', (month, n, expected) => {
    expect(addMonths(month, n)).toBe(expected);
  });

  it('given months of different lengths, then their ends and lengths are the calendar’s', () => {
    expect([monthEnd('2025-02'), daysInMonth('2025-02')]).toEqual(['2025-03-01', 28]);
    expect([monthEnd('2024-02'), daysInMonth('2024-02')]).toEqual(['2024-03-01', 29]);
    expect([monthEnd('2025-12'), daysInMonth('2025-12')]).toEqual(['2026-01-01', 31]);
  });

  it('given days [start, end), then the months they touch; End is exclusive', () => {
    expect(monthsOf('2025-10-15', '2025-12-01')).toEqual(['2025-10', '2025-11']);
    expect(monthsOf('2025-10-15', '2025-12-02')).toEqual(['2025-10', '2025-11', '2025-12']);
    expect(monthsOf('2025-10-15', '2025-10-15')).toEqual([]);
  });

  it('given an instant, then its UTC day, whatever the local zone', () => {
    expect(dayOf(Date.UTC(2025, 10, 20, 23, 59, 59))).toBe('2025-11-20');
    expect(dayOf(Date.UTC(2025, 10, 21, 0, 0, 0))).toBe('2025-11-21');
    expect(dayStart('2025-11-21')).toBe(Date.UTC(2025, 10, 21));
    expect(daysBetween('2025-11-01', '2025-12-01')).toBe(30);
  });

  it.each(['2025-02-30', '2025-13-01', '2025-1-01', '20251101', 'yesterday', '2025-11-01T00:00'])(
    'given %s, then it is not a date',
    (text) => {
      expect(isIsoDay(text)).toBe(false);
    },
  );
});

import { describe, expect, it } from 'vitest';
import { DurationError, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['6h', 21_600_000],
    ['2d', 172_800_000],
    ['14d', 1_209_600_000],
    ['1w', 604_800_000],
    [' 90m ', 5_400_000],
  ])('given %j, then %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['', '15', 'm', '1.5h', '-1h', '0m', '1y', '1h30m', 'abc'])(
    'given %j, then a DurationError with examples',
    (input) => {
      expect(() => parseDuration(input)).toThrow(DurationError);
      expect(() => parseDuration(input)).toThrow(/e\.g\. 15m, 1h, 6h, 2d or 14d/);
    },
  );
});

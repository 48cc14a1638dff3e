import { describe, expect, it } from 'vitest';
import { CronSyntaxError, isTimeZone, localTime, nextCronTime, parseCron } from './cron.js';

const at = (iso: string) => Date.parse(iso);
const next = (expr: string, zone: string, after: string) => {
  const t = nextCronTime(parseCron(expr), zone, at(after));
  return t === undefined ? undefined : new Date(t).toISOString();
};

describe('parseCron', () => {
  it.each([
    ['0 7 * * *', '2025-11-20T07:30:00Z', '2025-11-21T07:00:00.000Z'],
    ['*/15 * * * *', '2025-11-20T07:31:00Z', '2025-11-20T07:45:00.000Z'],
    ['0 9-17/4 * * MON-FRI', '2025-11-22T00:00:00Z', '2025-11-24T09:00:00.000Z'],
    ['30 0 1 1,6,12 *', '2025-11-20T00:00:00Z', '2025-12-01T00:30:00.000Z'],
    ['0 0 * * 7', '2025-11-20T00:00:00Z', '2025-11-23T00:00:00.000Z'],
    ['0 0 * DEC sun', '2025-11-20T00:00:00Z', '2025-12-07T00:00:00.000Z'],
  ])('"%s" after %s runs at %s (UTC)', (expr, after, expected) => {
    expect(next(expr, 'UTC', after)).toBe(expected);
  });

  it('runs when either restricted day field matches, as crontab does', () => {
    // The 1st of the month or a Monday: Monday 2025-11-24 comes before December 1st.
    expect(next('0 0 1 * MON', 'UTC', '2025-11-20T00:00:00Z')).toBe('2025-11-24T00:00:00.000Z');
  });

  it.each([
    ['0 7 * *', /five: minute, hour/],
    ['60 * * * *', /minute field "60" has 60, outside 0-59/],
    ['0 7 * * FUNDAY', /day of week field .* not a number or a name/],
    ['0 7 5-1 * *', /ends before it starts/],
    ['*/0 * * * *', /step that is not 1-99/],
    ['0 7 * * 1/2/3', /not valid/],
  ])('refuses "%s"', (expr, message) => {
    expect(() => parseCron(expr)).toThrow(CronSyntaxError);
    expect(() => parseCron(expr)).toThrow(message);
  });
});

describe('recurrences in a time zone', () => {
  it('fires at the same wall-clock time on both sides of a daylight-saving change', () => {
    // 07:00 in New York: 11:00 UTC in summer time, 12:00 UTC after 2 November 2025.
    expect(next('0 7 * * *', 'America/New_York', '2025-11-01T12:00:00Z')).toBe(
      '2025-11-02T12:00:00.000Z',
    );
    expect(next('0 7 * * *', 'America/New_York', '2025-10-31T12:00:00Z')).toBe(
      '2025-11-01T11:00:00.000Z',
    );
  });

  it('skips a time the spring-forward gap removes that day', () => {
    // 02:30 does not exist in New York on 9 March 2025.
    expect(next('30 2 * * *', 'America/New_York', '2025-03-08T12:00:00Z')).toBe(
      '2025-03-10T06:30:00.000Z',
    );
  });

  it('reads wall-clock fields and knows zone names', () => {
    expect(localTime(at('2025-11-28T05:00:00Z'), 'America/New_York')).toEqual({
      year: 2025,
      month: 11,
      day: 28,
      hour: 0,
      minute: 0,
      weekday: 5,
    });
    expect(isTimeZone('Etc/GMT+9')).toBe(true);
    expect(isTimeZone('Pacific/Tahiti')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('gives up on a date that does not come within eight years', () => {
    expect(next('0 0 31 2 *', 'UTC', '2025-11-20T00:00:00Z')).toBeUndefined();
  });
});

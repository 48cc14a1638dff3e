import { describe, expect, it } from 'vitest';
import {
  dailyCurve,
  lastFridayOfNovember,
  mostRecentBlackFriday,
  TrafficModel,
} from './traffic.js';

describe('lastFridayOfNovember', () => {
  it.each([
    { year: 2023, day: 24 },
    { year: 2024, day: 29 },
    { year: 2025, day: 28 },
    { year: 2026, day: 27 },
    { year: 2027, day: 26 },
  ])('is November $day in $year', ({ year, day }) => {
    expect(lastFridayOfNovember(year)).toEqual({ year, month: 11, day });
  });
});

describe('mostRecentBlackFriday', () => {
  const eastern = -5;
  it.each([
    {
      now: '2025-11-23T20:00:00Z',
      expected: '2024-11-29T05:00:00.000Z',
      why: "before this year's sale: last year's",
    },
    {
      now: '2025-11-28T05:00:00Z',
      expected: '2025-11-28T05:00:00.000Z',
      why: 'at store midnight of the day',
    },
    {
      now: '2025-11-28T04:59:59Z',
      expected: '2024-11-29T05:00:00.000Z',
      why: 'a second before store midnight',
    },
    { now: '2026-01-15T00:00:00Z', expected: '2025-11-28T05:00:00.000Z', why: 'in the new year' },
  ])('$why', ({ now, expected }) => {
    expect(new Date(mostRecentBlackFriday(Date.parse(now), eastern)).toISOString()).toBe(expected);
  });
});

describe('dailyCurve', () => {
  it('peaks at 1 in the evening and bottoms out before dawn', () => {
    const byMinute = Array.from({ length: 24 * 60 }, (_, m) => dailyCurve(m / 60));
    const peak = byMinute.indexOf(Math.max(...byMinute)) / 60;
    const trough = byMinute.indexOf(Math.min(...byMinute)) / 60;
    expect(Math.max(...byMinute)).toBeCloseTo(1, 6);
    expect(peak).toBeGreaterThan(19.5);
    expect(peak).toBeLessThan(21.5);
    expect(trough).toBeGreaterThan(3);
    expect(trough).toBeLessThan(6);
    expect(Math.min(...byMinute)).toBeLessThan(0.25);
  });

  it('wraps smoothly around midnight', () => {
    expect(dailyCurve(23.999)).toBeCloseTo(dailyCurve(0), 3);
  });
});

describe('TrafficModel', () => {
  it('multiplies Black Friday by up to the multiplier, ramping over the morning', () => {
    const model = new TrafficModel({ seed: 1, blackFriday: { multiplier: 5 } });
    const start = Date.parse('2025-11-28T05:00:00Z');
    const at = (hours: number) => model.blackFridayFactor(start + hours * 3_600_000);
    expect(at(-1)).toBe(1);
    expect(at(0)).toBe(1);
    expect(at(3)).toBeGreaterThan(1.5);
    expect(at(3)).toBeLessThan(4);
    expect(at(12)).toBeCloseTo(5, 6);
    expect(at(30)).toBeGreaterThan(1);
    expect(at(33)).toBe(1);
  });

  it('adds noise without drifting away from the shape', () => {
    const model = new TrafficModel({ seed: 1 });
    const t0 = Date.parse('2025-11-19T05:00:00Z');
    let ratioSum = 0;
    for (let m = 0; m < 1440; m++)
      ratioSum += model.next(t0 + m * 60_000) / model.shape(t0 + m * 60_000);
    expect(ratioSum / 1440).toBeGreaterThan(0.9);
    expect(ratioSum / 1440).toBeLessThan(1.1);
  });

  it('has a yearly season: a November peak held to the last shipping days, a quiet January', () => {
    const model = new TrafficModel({ seed: 1, blackFriday: false });
    const season = (date: string) => model.seasonalFactor(Date.parse(`${date}T17:00:00Z`));
    expect(season('2025-11-20')).toBe(1);
    expect(season('2025-12-15')).toBe(1);
    expect(season('2026-01-16')).toBeCloseTo(0.74, 2);
    for (const month of ['02', '04', '06', '08', '10'])
      expect(season(`2026-${month}-15`)).toBeLessThan(0.9);
    // The season scales the daily curve: the same weekday hour, a quarter lower in January.
    const [november, january] = ['2025-11-19T01:30:00Z', '2026-01-14T01:30:00Z'].map(Date.parse);
    expect(model.shape(january!) / model.shape(november!)).toBeCloseTo(
      model.seasonalFactor(january!) / model.seasonalFactor(november!),
      6,
    );
  });

  it('rejects a date that is not YYYY-MM-DD', () => {
    expect(() => new TrafficModel({ seed: 1, blackFriday: { date: '28/11/2025' } })).toThrow(
      /YYYY-MM-DD/,
    );
  });
});

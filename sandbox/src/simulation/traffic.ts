// Demand on the store over time, as a multiple of a normal weekday's evening peak in the
// holiday season: a daily curve with a lunch bump and an evening peak, a weekly rhythm, a
// yearly season (a quiet January, a November peak), a Black-Friday day and slowly wandering
// noise. Shoppers are in one time zone (US Eastern by default).
import { Random } from '../random.js';
import { DAY_MS, HOUR_MS, smoothstep } from '../time.js';

export interface BlackFridayOptions {
  /** The event day, YYYY-MM-DD in store time. Default: the last Friday of November of
   *  every year, so a window ending after one contains the most recent. */
  date?: string;
  /** Traffic multiple at the height of the day (real sales see 4-6x), default 5. */
  multiplier?: number;
}

export interface TrafficOptions {
  seed: number;
  /** store time zone as a fixed offset from UTC, hours (default -5, US Eastern) */
  utcOffsetHours?: number;
  /** false turns the event off */
  blackFriday?: BlackFridayOptions | false;
}

export const DEFAULT_UTC_OFFSET_HOURS = -5;
export const DEFAULT_BLACK_FRIDAY_MULTIPLIER = 5;

// Day-of-week multiples, Sunday first: Sunday-evening browsing, quiet Saturdays.
const WEEKDAY_FACTOR = [1.08, 1.0, 0.97, 0.98, 1.0, 0.94, 0.88];

// The year as a multiple of the holiday season (store-local day of the year, 0 = January 1):
// the post-holiday slump, a flat spring and summer, the climb through autumn, a plateau from
// mid-November to the last shipping days before Christmas. Linear between the points.
const SEASON: readonly (readonly [day: number, factor: number])[] = [
  [0, 0.86],
  [15, 0.74],
  [46, 0.75],
  [74, 0.79],
  [105, 0.81],
  [135, 0.83],
  [166, 0.8],
  [196, 0.78],
  [227, 0.81],
  [258, 0.85],
  [288, 0.88],
  [304, 0.91], // November 1
  [318, 1], // mid-November
  [353, 1], // December 20
  [365, 0.86],
];

// Slow multiplicative noise: AR(1) on log demand, ~5% standard deviation, minutes-long.
const NOISE_PERSISTENCE = 0.97;
const NOISE_STEP_SIGMA = 0.012;

export class TrafficModel {
  readonly utcOffsetHours: number;
  readonly blackFridayMultiplier: number;
  /** 'yearly': every last Friday of November; a number: only that day (store midnight, epoch ms) */
  private readonly blackFriday: 'off' | 'yearly' | number;
  private readonly random: Random;
  private logNoise = 0;

  constructor(options: TrafficOptions) {
    this.utcOffsetHours = options.utcOffsetHours ?? DEFAULT_UTC_OFFSET_HOURS;
    this.random = new Random(options.seed, 'traffic');
    const bf = options.blackFriday;
    this.blackFridayMultiplier =
      bf === false ? 1 : (bf?.multiplier ?? DEFAULT_BLACK_FRIDAY_MULTIPLIER);
    if (!(this.blackFridayMultiplier >= 1))
      throw new RangeError('blackFriday.multiplier must be >= 1');
    this.blackFriday =
      bf === false
        ? 'off'
        : bf?.date !== undefined
          ? storeMidnight(bf.date, this.utcOffsetHours)
          : 'yearly';
  }

  /** Store midnight of the Black Friday most recently started at t, or null when off. */
  blackFridayBefore(t: number): number | null {
    if (this.blackFriday === 'off') return null;
    if (this.blackFriday === 'yearly') return mostRecentBlackFriday(t, this.utcOffsetHours);
    return this.blackFriday <= t ? this.blackFriday : null;
  }

  /** Demand without noise at time t (1 = a normal weekday's evening peak in the holiday season). */
  shape(t: number): number {
    const local = t + this.utcOffsetHours * HOUR_MS;
    const hour = (((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
    const day = Math.floor(local / DAY_MS);
    if (day !== this.seasonDay) {
      // Called every simulated minute: the season (a per-day value) is worked out once a day.
      const date = new Date(day * DAY_MS);
      this.seasonDay = day;
      this.season = seasonOfDate(date);
      this.weekdayFactor = WEEKDAY_FACTOR[date.getUTCDay()]!;
    }
    return dailyCurve(hour) * this.weekdayFactor * this.season * this.blackFridayFactor(t);
  }
  private seasonDay = Number.NaN;
  private season = 1;
  private weekdayFactor = 1;

  /**
   * The yearly season of the store-local day of t: 1 from mid-November to December 20, about
   * 0.75 in January.
   */
  seasonalFactor(t: number): number {
    const local = t + this.utcOffsetHours * HOUR_MS;
    return seasonOfDate(new Date(Math.floor(local / DAY_MS) * DAY_MS));
  }

  /** Demand with noise. Call once per simulated minute, in order. */
  next(t: number): number {
    this.logNoise = NOISE_PERSISTENCE * this.logNoise + NOISE_STEP_SIGMA * this.random.normal();
    return this.shape(t) * Math.exp(this.logNoise);
  }

  /** Extra multiple from the Black-Friday event: ramps up overnight, holds all day, tails
   *  off into Saturday morning. */
  blackFridayFactor(t: number): number {
    const start = this.blackFridayBefore(t);
    if (start === null) return 1;
    const hours = (t - start) / HOUR_MS;
    if (hours < 0 || hours >= 32) return 1;
    const envelope =
      hours < 24
        ? smoothstep(0, 7, hours) * (1 - 0.6 * smoothstep(20, 24, hours))
        : 0.4 * (1 - smoothstep(24, 32, hours));
    return 1 + (this.blackFridayMultiplier - 1) * envelope;
  }
}

/** The season of a store-local date (its UTC fields). */
function seasonOfDate(local: Date): number {
  const day = (local.getTime() - Date.UTC(local.getUTCFullYear(), 0, 1)) / DAY_MS;
  let k = 1;
  while (k < SEASON.length - 1 && SEASON[k]![0] <= day) k++;
  const [d0, f0] = SEASON[k - 1]!;
  const [d1, f1] = SEASON[k]!;
  return f0 + (f1 - f0) * Math.min(1, Math.max(0, (day - d0) / (d1 - d0)));
}

/** Daily demand curve by store-local hour, peak 1 at ~20:30, trough ~0.17 at ~04:30. */
export function dailyCurve(hour: number): number {
  return (0.17 + 0.55 * bump(hour, 12.5, 3) + 0.83 * bump(hour, 20.5, 2.4)) / DAILY_PEAK;
}

function bump(hour: number, center: number, width: number): number {
  let d = Math.abs(hour - center);
  d = Math.min(d, 24 - d); // the day wraps around midnight
  return Math.exp(-0.5 * (d / width) ** 2);
}

const DAILY_PEAK = (() => {
  let max = 0;
  for (let m = 0; m < 24 * 60; m++) {
    const h = m / 60;
    max = Math.max(max, 0.17 + 0.55 * bump(h, 12.5, 3) + 0.83 * bump(h, 20.5, 2.4));
  }
  return max;
})();

/** Calendar date (UTC fields) of the last Friday of November of a year. */
export function lastFridayOfNovember(year: number): { year: number; month: number; day: number } {
  const nov30 = new Date(Date.UTC(year, 10, 30));
  const back = (nov30.getUTCDay() - 5 + 7) % 7;
  return { year, month: 11, day: 30 - back };
}

/** Store midnight of the most recent last-Friday-of-November at or before nowMs. */
export function mostRecentBlackFriday(nowMs: number, utcOffsetHours: number): number {
  const localYear = new Date(nowMs + utcOffsetHours * HOUR_MS).getUTCFullYear();
  for (const year of [localYear, localYear - 1]) {
    const { month, day } = lastFridayOfNovember(year);
    const start = Date.UTC(year, month - 1, day) - utcOffsetHours * HOUR_MS;
    if (start <= nowMs) return start;
  }
  throw new Error('unreachable: last year always has a Black Friday before now');
}

function storeMidnight(date: string, utcOffsetHours: number): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`blackFriday.date must be YYYY-MM-DD, got "${date}"`);
  return (
    Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) - utcOffsetHours * HOUR_MS
  );
}

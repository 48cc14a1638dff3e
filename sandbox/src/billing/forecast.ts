// A cost forecast from the ledger's own history, the way a forecaster that knows the business
// would do it: this month's level by weekday, last year's seasonal shape, the year-on-year
// growth, and a prediction interval from how far recent days strayed from that model.
import { normalQuantile } from '@ballast/core';

export interface ForecastInput {
  /** daily cost of the complete days up to the day before the forecast starts, oldest first */
  history: readonly number[];
  /** epoch day of history[history.length - 1] */
  lastDay: number;
  /** epoch days to forecast, in order, all after lastDay */
  days: readonly number[];
}

export interface DayForecast {
  day: number;
  mean: number;
}

export interface Forecaster {
  days: DayForecast[];
  /** a prediction interval of the sum over some of the forecast days, at a confidence level */
  interval(days: readonly number[], level: number): { lower: number; upper: number };
}

/** Days of history needed: four full weeks. */
export const MIN_HISTORY_DAYS = 28;
const LEVEL_DAYS = 28;
const SEASON_WINDOW = 7;

/** undefined when the history is too short or empty to forecast from. */
export function forecastCosts(input: ForecastInput): Forecaster | undefined {
  const { history, lastDay } = input;
  if (history.length < MIN_HISTORY_DAYS) return undefined;
  const at = (day: number) => history[history.length - 1 - (lastDay - day)];
  const recent = history.slice(-56);
  const recentFirst = lastDay - recent.length + 1;
  if (!(recent.reduce((a, b) => a + b, 0) > 0)) return undefined;

  // Weekday profile: median of each weekday's cost over the recent weeks, as a multiple.
  const byWeekday: number[][] = Array.from({ length: 7 }, () => []);
  recent.forEach((c, i) => byWeekday[weekday(recentFirst + i)]!.push(c));
  const medians = byWeekday.map((v) => median(v));
  const meanMedian = medians.reduce((a, b) => a + b, 0) / 7;
  const weekdayFactor = medians.map((m) => (meanMedian > 0 && m > 0 ? m / meanMedian : 1));

  // Level: the median of the last four weeks with the weekday taken out (robust to a spike).
  const deseasoned: number[] = [];
  for (let d = lastDay - LEVEL_DAYS + 1; d <= lastDay; d++)
    deseasoned.push((at(d) ?? 0) / weekdayFactor[weekday(d)]!);
  const level = median(deseasoned);

  // Last year's shape around the same dates, and the growth since.
  const smoothed = (day: number): number | undefined => {
    let sum = 0;
    for (let d = day - 3; d <= day + 3; d++) {
      const v = at(d);
      if (v === undefined || d > lastDay) return undefined;
      sum += v;
    }
    return sum / SEASON_WINDOW;
  };
  // (Medians on both sides, so last year's sale days weigh no more than this year's.)
  const lastYearWindow: number[] = [];
  for (let d = lastDay - LEVEL_DAYS + 1; d <= lastDay; d++) {
    const v = at(d - 364);
    if (v !== undefined) lastYearWindow.push(v / weekdayFactor[weekday(d)]!);
  }
  const lastYearLevel = lastYearWindow.length === LEVEL_DAYS ? median(lastYearWindow) : 0;
  const yearlyGrowth = lastYearLevel > 0 ? Math.min(3, Math.max(0.3, level / lastYearLevel)) : 1;
  const season = (day: number) => {
    const then = smoothed(day - 364);
    return then !== undefined && lastYearLevel > 0 ? then / lastYearLevel : 1;
  };

  // Spread: how far the recent days were from level x weekday, in log terms.
  const residuals = recent
    .map((c, i) => {
      const fitted = level * weekdayFactor[weekday(recentFirst + i)]!;
      return c > 0 && fitted > 0 ? Math.log(c / fitted) : 0;
    })
    .filter((r) => Math.abs(r) < 2);
  const sigma = Math.max(0.02, stddev(residuals));

  // Within a year, last year's curve carries both the season and the growth along it; past
  // that, the yearly growth compounds on today's level.
  const days = input.days.map((day) => {
    const ahead = day - lastDay;
    const trend = ahead <= 364 ? season(day) : Math.pow(yearlyGrowth, ahead / 365);
    return { day, mean: level * weekdayFactor[weekday(day)]! * trend };
  });
  const meanOf = new Map(days.map((d) => [d.day, d.mean]));
  return {
    days,
    interval: (subset, confidence) => {
      const z = normalQuantile(0.5 + confidence / 200);
      let sum = 0;
      let variance = 0;
      let aheadSum = 0;
      for (const day of subset) {
        const mean = meanOf.get(day) ?? 0;
        const ahead = day - lastDay;
        // Day-to-day noise, plus a level that may drift the further out it is.
        variance += (mean * sigma) ** 2;
        sum += mean;
        aheadSum += ahead;
      }
      const aheadMean = subset.length > 0 ? aheadSum / subset.length : 0;
      const levelSigma = (sigma / Math.sqrt(LEVEL_DAYS)) * Math.sqrt(1 + aheadMean / 7);
      variance += (sum * levelSigma) ** 2;
      const spread = z * Math.sqrt(variance);
      return { lower: Math.max(0, sum - spread), upper: sum + spread };
    },
  };
}

/** Day of the week of an epoch day, Sunday 0 (1970-01-01 was a Thursday). */
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function stddev(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
}

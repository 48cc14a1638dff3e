// Unicode sparklines: one block character per time bucket, blank where there is no data.

export const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

export interface SparklineOptions {
  /** At most this many characters; longer series are averaged into buckets. */
  width?: number;
  /** Value drawn as the lowest block. Defaults to 0 for non-negative series (so small
   * wiggles in a steady metric do not look like spikes), else the series minimum. */
  min?: number;
  /** Value drawn as the highest block. Defaults to the series maximum. */
  max?: number;
  /** Decorates each character (e.g. colors buckets that breach an SLO). */
  paint?: (char: string, value: number) => string;
}

/** Averages `values` into at most `width` consecutive buckets; null values are skipped. */
export function resample(values: readonly (number | null)[], width: number): (number | null)[] {
  if (values.length <= width) return [...values];
  const buckets: (number | null)[] = [];
  for (let b = 0; b < width; b++) {
    const from = Math.floor((b * values.length) / width);
    const to = Math.floor(((b + 1) * values.length) / width);
    const present = values.slice(from, to).filter((v): v is number => v !== null);
    buckets.push(present.length ? present.reduce((a, v) => a + v, 0) / present.length : null);
  }
  return buckets;
}

export function sparkline(
  values: readonly (number | null)[],
  options: SparklineOptions = {},
): string {
  const buckets = resample(values, options.width ?? 30);
  const present = buckets.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return ' '.repeat(buckets.length);
  const seriesMin = Math.min(...present);
  const lo = options.min ?? (seriesMin >= 0 ? 0 : seriesMin);
  const hi = options.max ?? Math.max(...present);
  const paint = options.paint ?? ((char: string) => char);
  return buckets
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return ' ';
      const level =
        hi > lo ? Math.round(((Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)) * 7) : 0;
      return paint(BLOCKS[level] ?? '▁', v);
    })
    .join('');
}

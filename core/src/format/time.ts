// Durations and moments in text: "1h 30m", "3m ago", "14:03 UTC", "2025-11-23 20:41:07 UTC".

const PARTS = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
] as const;

/**
 * How long `ms` is, in one of two styles:
 * - `compact` (terminals, messages): the two most significant units, the second only when it
 *   is not zero: 42_000 -> "42s", 90_000 -> "1m 30s", 5_400_000 -> "1h 30m", 14 days -> "14d";
 *   the inverse of parseDuration for whole amounts ("15m", "14d");
 * - `words` (pages): one unit, rounded: 42_000 -> "42 s", 90_000 -> "2 min", 5_400_000 ->
 *   "2 h", up to 48 hours, then days: 3 days -> "3 d".
 */
export function formatDuration(ms: number, style: 'compact' | 'words' = 'compact'): string {
  if (style === 'words') return inWords(ms);
  const total = Math.max(0, Math.round(ms / 1000));
  const i = PARTS.findIndex(([, seconds]) => total >= seconds);
  if (i < 0) return '0s';
  const [unit, seconds] = PARTS[i]!;
  const whole = Math.floor(total / seconds);
  const next = PARTS[i + 1];
  const rest = next ? Math.floor((total - whole * seconds) / next[1]) : 0;
  return rest > 0 && next ? `${whole}${unit} ${rest}${next[0]}` : `${whole}${unit}`;
}

function inWords(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} d`;
}

/** Within this much of now, a time is "just now". */
const JUST_NOW_MS = 5_000;

/** "3m ago" relative to `now` (compact); "just now" within a few seconds; "in 5m" ahead. */
export function formatAge(then: number, now: number): string {
  const diff = now - then;
  if (Math.abs(diff) < JUST_NOW_MS) return 'just now';
  return diff > 0 ? `${formatDuration(diff)} ago` : `in ${formatDuration(-diff)}`;
}

/** How long ago, in words, from the time passed: 180_000 -> "3 min ago", 4_000 -> "4 s ago". */
export function formatAgo(elapsedMs: number): string {
  return `${formatDuration(elapsedMs, 'words')} ago`;
}

/** "14:03 UTC" */
export function formatClock(t: number): string {
  return `${new Date(t).toISOString().slice(11, 16)} UTC`;
}

/** UTC timestamp without milliseconds: "2025-11-23 20:41:07 UTC". Unambiguous for on-call handover. */
export function formatTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

// Durations and moments in text: "1h 30m", "3m ago", "14:03 UTC", "2025-11-23 20:41:07 UTC".

const PARTS = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
] as const;

/**
 * The two most significant units, the second only when it is not zero: 42_000 -> "42s",
 * 90_000 -> "1m 30s", 3_600_000 -> "1h", 5_400_000 -> "1h 30m", 14 days -> "14d". The
 * inverse of parseDuration for whole amounts ("15m", "14d").
 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const i = PARTS.findIndex(([, seconds]) => total >= seconds);
  if (i < 0) return '0s';
  const [unit, seconds] = PARTS[i]!;
  const whole = Math.floor(total / seconds);
  const next = PARTS[i + 1];
  const rest = next ? Math.floor((total - whole * seconds) / next[1]) : 0;
  return rest > 0 && next ? `${whole}${unit} ${rest}${next[0]}` : `${whole}${unit}`;
}

/** Within this much of now, a time is "just now". */
const JUST_NOW_MS = 5_000;

/** "3m ago" relative to `now`; "just now" within a few seconds; "in 5m" for the future. */
export function formatAge(then: number, now: number): string {
  return formatAgo(now - then);
}

/** How long ago, from the time passed: 180_000 -> "3m ago"; negative -> "in 3m". */
export function formatAgo(elapsedMs: number): string {
  if (Math.abs(elapsedMs) < JUST_NOW_MS) return 'just now';
  return elapsedMs > 0 ? `${formatDuration(elapsedMs)} ago` : `in ${formatDuration(-elapsedMs)}`;
}

/** "14:03 UTC" */
export function formatClock(t: number): string {
  return `${new Date(t).toISOString().slice(11, 16)} UTC`;
}

/** UTC timestamp without milliseconds: "2025-11-23 20:41:07 UTC". Unambiguous for on-call handover. */
export function formatTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

// Time units and the formats AWS uses in text fields.

export const SECOND_MS = 1000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export const floorTo = (t: number, unit: number): number => Math.floor(t / unit) * unit;

/** 2025-11-28T14:02:13Z, as in Auto Scaling activity causes. */
export function isoSeconds(t: number): string {
  return new Date(floorTo(t, SECOND_MS)).toISOString().replace('.000Z', 'Z');
}

/** 2025-11-28T14:02:13.000+0000, as in CloudWatch alarm StateReasonData. */
export function isoMillisOffset(t: number): string {
  return new Date(t).toISOString().replace('Z', '+0000');
}

/** 28/11/25 14:02:00, as in CloudWatch alarm StateReason datapoint lists. */
export function alarmReasonDate(t: number): string {
  const d = new Date(t);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
  );
}

/** Smooth 0 -> 1 between edge0 and edge1. */
export function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}

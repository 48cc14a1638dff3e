// What the pages show besides values: local clock times, status words, signal names. Values,
// units and durations come from core's one formatting module (`@ballast/core/format`, free of
// zod so it costs the bundle a few kilobytes).
import type { GoldenSignal, Status } from '@ballast/core';

export { formatAgo, formatParts, formatValue, shortUnit } from '@ballast/core/format';

// Charts and tooltips use the viewer's local time, as the time axis does.
const clock = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const clockSeconds = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const day = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });
const date = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' });
const dayTime = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export const formatClock = (t: number): string => clock.format(t);
export const formatClockSeconds = (t: number): string => clockSeconds.format(t);
/** "Tue 24 Nov" */
export const formatDay = (t: number): string => day.format(t);
/** "24 Nov" */
export const formatDate = (t: number): string => date.format(t);
export const formatDayTime = (t: number): string => dayTime.format(t);

export const STATUS_WORD: Record<Status, string> = {
  ok: 'Healthy',
  degraded: 'Degraded',
  critical: 'Critical',
  unknown: 'Unknown',
};

/** "Edge — Route 53, CloudFront" -> ["Edge", "Route 53, CloudFront"] */
export function splitTitle(title: string): [string, string] {
  const i = title.indexOf(' — ');
  return i < 0 ? [title, ''] : [title.slice(0, i), title.slice(i + 3)];
}

export const SIGNAL_ORDER: readonly GoldenSignal[] = ['traffic', 'errors', 'latency', 'saturation'];
export const SIGNAL_NAMES: Record<GoldenSignal, string> = {
  traffic: 'Traffic',
  errors: 'Errors',
  latency: 'Latency',
  saturation: 'Saturation',
};

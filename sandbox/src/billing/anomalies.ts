// The two cost anomalies planted in every sandbox for the demo to find, placed relative to the
// simulation's start ("now") and the seed, within the last three weeks:
// - a forgotten g5.12xlarge that an ML engineer launched in the dev environment and never
//   stopped (it is still running);
// - a hot-linked 3D model: a forum embeds a 42 MB GLB straight from the CDN, and CloudFront
//   egress more than doubles for a day or so, without a single extra store visit.
import { hashUnit } from '../random.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, smoothstep } from '../time.js';
import type { CostTags } from './lines.js';

export interface ForgottenInstance {
  instanceType: string;
  availabilityZone: string;
  /** when it was launched; it runs from then on */
  startMs: number;
  /** its gp3 root and scratch volume */
  volumeGb: number;
  tags: CostTags;
}

export interface HotlinkEvent {
  startMs: number;
  endMs: number;
  /** size of the hot-linked GLB */
  objectBytes: number;
  /** extra egress at the height of the event */
  peakBytesPerSecond: number;
}

export interface InjectedAnomalies {
  forgottenInstance: ForgottenInstance;
  hotlink: HotlinkEvent;
}

export function injectedAnomalies(
  seed: number,
  anchorMs: number,
  region: string,
): InjectedAnomalies {
  const anchorDay = Math.floor(anchorMs / DAY_MS);
  const draw = (what: string) => hashUnit(seed, 'anomaly', what);
  const launchDay = anchorDay - 11 - Math.floor(draw('launch-day') * 5);
  const hotlinkDay = anchorDay - 5 - Math.floor(draw('hotlink-day') * 4);
  const hotlinkStart = hotlinkDay * DAY_MS + (14 + Math.floor(draw('hotlink-hour') * 6)) * HOUR_MS;
  return {
    forgottenInstance: {
      instanceType: 'g5.12xlarge',
      availabilityZone: `${region}b`,
      startMs: launchDay * DAY_MS + (13 + Math.floor(draw('launch-hour') * 6)) * HOUR_MS,
      volumeGb: 500,
      tags: { env: 'dev', team: 'ml' },
    },
    hotlink: {
      startMs: hotlinkStart,
      endMs: hotlinkStart + (20 + Math.floor(draw('hotlink-hours') * 12)) * HOUR_MS,
      objectBytes: 42e6,
      peakBytesPerSecond: 900e6 + 300e6 * draw('hotlink-peak'),
    },
  };
}

/** Extra requests and bytes the hot-link adds in the minute from t. */
export function hotlinkMinute(event: HotlinkEvent, t: number): { requests: number; bytes: number } {
  const mid = t + MINUTE_MS / 2;
  if (mid < event.startMs || mid >= event.endMs) return { requests: 0, bytes: 0 };
  const hours = (mid - event.startMs) / HOUR_MS;
  const total = (event.endMs - event.startMs) / HOUR_MS;
  // Goes viral within two hours, fades over the last third, and follows the forum's day.
  const envelope = smoothstep(0, 2, hours) * (1 - smoothstep(total * 0.65, total, hours));
  const daily = 0.85 + 0.15 * Math.cos(((mid % DAY_MS) / DAY_MS - 0.08) * 2 * Math.PI);
  const bytes = event.peakBytesPerSecond * envelope * daily * 60;
  return { requests: Math.round(bytes / event.objectBytes), bytes };
}

// The bad days a real platform has, on a schedule fixed by the seed and the calendar day
// (not by where the simulated window starts): a release that throws errors or runs slow,
// a reporting job that pegs the database at night, a merchant's bulk upload that floods
// the job queue. They give alarms real transitions to show.
import { hashUnit } from '../random.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../time.js';

export interface Incident {
  startMs: number;
  endMs: number;
  /** 0..1 draws that each kind of incident scales to its own effect */
  severity: number;
  detail: number;
}

export interface IncidentKind {
  name: string;
  /** chance of one incident on a given day */
  chancePerDay: number;
  /** local hours the incident may start in */
  startHours: [from: number, to: number];
  durationMinutes: [min: number, max: number];
}

export const BAD_RELEASE: IncidentKind = {
  name: 'bad-release',
  chancePerDay: 0.25,
  startHours: [10, 16],
  durationMinutes: [12, 35],
};
export const DATABASE_REPORT_JOB: IncidentKind = {
  name: 'report-job',
  chancePerDay: 0.3,
  startHours: [1, 3],
  durationMinutes: [25, 50],
};
export const BULK_UPLOAD: IncidentKind = {
  name: 'bulk-upload',
  chancePerDay: 0.3,
  startHours: [8, 20],
  durationMinutes: [8, 15],
};

/** Looks up the incident (if any) of one kind on one resource at a time. */
export class IncidentSchedule {
  /** a few recent days, since callers walk time forwards */
  private readonly byDay = new Map<number, Incident | undefined>();

  constructor(
    private readonly seed: number,
    private readonly kind: IncidentKind,
    private readonly resource: string,
    private readonly utcOffsetHours: number,
  ) {}

  /** The incident active at t, if any. */
  at(t: number): Incident | undefined {
    const day = Math.floor((t + this.utcOffsetHours * HOUR_MS) / DAY_MS);
    // An incident starting late on the previous day may still be running.
    for (const d of [day, day - 1]) {
      const incident = this.onDay(d);
      if (incident && t >= incident.startMs && t < incident.endMs) return incident;
    }
    return undefined;
  }

  private onDay(day: number): Incident | undefined {
    if (this.byDay.has(day)) return this.byDay.get(day);
    const draw = (what: string) => hashUnit(this.seed, this.kind.name, this.resource, day, what);
    let incident: Incident | undefined;
    if (draw('happens') < this.kind.chancePerDay) {
      const [fromHour, toHour] = this.kind.startHours;
      const [minDuration, maxDuration] = this.kind.durationMinutes;
      const localMidnight = day * DAY_MS - this.utcOffsetHours * HOUR_MS;
      const startMs =
        localMidnight +
        Math.floor((fromHour + (toHour - fromHour) * draw('start')) * 60) * MINUTE_MS;
      const duration = Math.round(minDuration + (maxDuration - minDuration) * draw('duration'));
      incident = {
        startMs,
        endMs: startMs + duration * MINUTE_MS,
        severity: draw('severity'),
        detail: draw('detail'),
      };
    }
    if (this.byDay.size >= 4) this.byDay.delete(this.byDay.keys().next().value!);
    this.byDay.set(day, incident);
    return incident;
  }
}

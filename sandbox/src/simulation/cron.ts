// The Recurrence of a scheduled action: a five-field crontab expression ([Minute] [Hour]
// [Day_of_Month] [Month_of_Year] [Day_of_Week]) read in an IANA time zone (UTC by default),
// so "0 7 * * MON-FRI" in America/New_York fires at 07:00 New York time on either side of
// a daylight-saving change. Fields take *, numbers, ranges, lists and steps, and month and
// day names; when both day fields are restricted, either one matching is enough (crontab's
// rule). A wall-clock time the spring-forward gap skips does not occur that day.

export interface CronSchedule {
  minutes: readonly boolean[];
  hours: readonly boolean[];
  /** index 1-31 */
  days: readonly boolean[];
  /** index 1-12 */
  months: readonly boolean[];
  /** index 0-6, Sunday 0 */
  weekdays: readonly boolean[];
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
}

export class CronSyntaxError extends Error {}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** first value of `names` */
  namesFrom?: number;
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  // 7 is Sunday too, as in crontab.
  { name: 'day of week', min: 0, max: 7, names: WEEKDAYS, namesFrom: 0 },
];

/** Parse a five-field expression, or throw CronSyntaxError naming the field at fault. */
export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5)
    throw new CronSyntaxError(
      `it has ${parts.length} field${parts.length === 1 ? '' : 's'}; a recurrence has five: minute, hour, day of month, month, day of week`,
    );
  const [minutes, hours, days, months, weekdays] = parts.map((part, k) => field(part, FIELDS[k]!));
  // Sunday may be written 0 or 7.
  weekdays![0] = weekdays![0]! || weekdays![7]!;
  return {
    minutes: minutes!,
    hours: hours!,
    days: days!,
    months: months!,
    weekdays: weekdays!.slice(0, 7),
    daysRestricted: parts[2] !== '*',
    weekdaysRestricted: parts[4] !== '*',
  };
}

function field(text: string, spec: FieldSpec): boolean[] {
  const set = Array.from({ length: spec.max + 1 }, () => false);
  const bad = (why: string): never => {
    throw new CronSyntaxError(`its ${spec.name} field "${text}" ${why}`);
  };
  for (const item of text.split(',')) {
    const [range, stepText, ...extra] = item.split('/');
    if (extra.length > 0 || range === undefined || range === '') bad('is not valid');
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,2}$/.test(stepText) || Number(stepText) < 1) bad('has a step that is not 1-99');
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (range === '*') {
      from = spec.min;
      to = spec.name === 'day of week' ? 6 : spec.max;
    } else {
      const [a, b, ...more] = range!.split('-');
      if (more.length > 0) bad('has a range with more than two ends');
      from = value(a!, spec, bad);
      to = b === undefined ? (stepText === undefined ? from : spec.max) : value(b, spec, bad);
      if (to < from) bad(`has a range that ends before it starts`);
    }
    for (let v = from; v <= to; v += step) set[v] = true;
  }
  return set;
}

function value(text: string, spec: FieldSpec, bad: (why: string) => never): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + spec.namesFrom!;
  if (!/^\d{1,2}$/.test(text)) return bad(`has "${text}", which is not a number or a name`);
  const n = Number(text);
  if (n < spec.min || n > spec.max) bad(`has ${n}, outside ${spec.min}-${spec.max}`);
  return n;
}

/** Wall-clock fields of an instant in a time zone. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** Sunday 0 */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the runtime knows an IANA time zone name (Etc/GMT+9, Pacific/Tahiti, ...). */
export function isTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 255) return false;
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

export function localTime(ms: number, timeZone: string): LocalTime {
  const out: LocalTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, weekday: 0 };
  for (const part of formatter(timeZone).formatToParts(ms)) {
    switch (part.type) {
      case 'year':
        out.year = Number(part.value);
        break;
      case 'month':
        out.month = Number(part.value);
        break;
      case 'day':
        out.day = Number(part.value);
        break;
      case 'hour':
        out.hour = Number(part.value);
        break;
      case 'minute':
        out.minute = Number(part.value);
        break;
      case 'weekday':
        out.weekday = WEEKDAYS.indexOf(part.value.toUpperCase());
        break;
    }
  }
  return out;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The zone's offset from UTC at an instant, ms (local = UTC + offset). */
function offsetAt(ms: number, timeZone: string): number {
  const t = localTime(ms, timeZone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
  return asUtc - Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** The instant a wall-clock minute occurs in a zone, undefined when it does not (a DST gap). */
export function zonedInstant(
  fields: Omit<LocalTime, 'weekday'>,
  timeZone: string,
): number | undefined {
  const wall = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute);
  let t = wall - offsetAt(wall, timeZone);
  t = wall - offsetAt(t, timeZone);
  const back = localTime(t, timeZone);
  return back.hour === fields.hour && back.minute === fields.minute && back.day === fields.day
    ? t
    : undefined;
}

function matchesDay(c: CronSchedule, month: number, day: number, weekday: number): boolean {
  if (!c.months[month]) return false;
  if (c.daysRestricted && c.weekdaysRestricted) return c.days[day]! || c.weekdays[weekday]!;
  return c.days[day]! && c.weekdays[weekday]!;
}

/** Years searched for the next occurrence ("0 0 29 2 MON" can be this rare). */
const SEARCH_DAYS = 8 * 366;

/** The first occurrence strictly after `afterMs`, undefined if none within eight years. */
export function nextCronTime(
  c: CronSchedule,
  timeZone: string,
  afterMs: number,
): number | undefined {
  const start = localTime(afterMs, timeZone);
  const firstDay = Date.UTC(start.year, start.month - 1, start.day);
  for (let k = 0; k < SEARCH_DAYS; k++) {
    const date = new Date(firstDay + k * DAY_MS);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    if (!matchesDay(c, month, day, date.getUTCDay())) continue;
    for (let hour = k === 0 ? start.hour : 0; hour < 24; hour++) {
      if (!c.hours[hour]) continue;
      for (let minute = k === 0 && hour === start.hour ? start.minute : 0; minute < 60; minute++) {
        if (!c.minutes[minute]) continue;
        const t = zonedInstant({ year, month, day, hour, minute }, timeZone);
        if (t !== undefined && t > afterMs) return t;
      }
    }
  }
  return undefined;
}

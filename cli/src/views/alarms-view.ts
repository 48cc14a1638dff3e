// The `ballast alarms` screen: one row per alarm, then dimmed beneath it why it is in its
// state and, for metric math, what the expression reads. Names and metrics are never cut (a
// cut name cannot be found in the console): when they do not fit a table, each alarm gets
// its name on a line of its own and its details beneath.
import { alarmStanding, alarmThresholdUnit, type Alarm, type AlarmStanding } from '@ballast/core';
import { alarmStandingBadge } from '../output/badge.js';
import { formatAge, formatDuration, formatValue } from '@ballast/core/format';
import type { Palette } from '../output/style.js';
import { renderTableRows } from '../output/table.js';
import { padEnd, visibleWidth, wrap } from '../output/text.js';

export interface AlarmsViewOptions {
  palette: Palette;
  width: number;
  now: number;
}

/** Firing, then no data, then scaling triggers, then OK. */
const STANDING_ORDER: Record<AlarmStanding, number> = {
  firing: 0,
  'no-data': 1,
  scaling: 2,
  ok: 3,
};

/** Firing first, then no data, scaling, OK; most recent state change first within each. */
export function sortAlarms(alarms: readonly Alarm[]): Alarm[] {
  return [...alarms].sort(
    (a, b) =>
      STANDING_ORDER[alarmStanding(a)] - STANDING_ORDER[alarmStanding(b)] ||
      b.stateUpdatedAt - a.stateUpdatedAt,
  );
}

const COMPARISON: Record<string, string> = {
  GreaterThanOrEqualToThreshold: '>=',
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside band',
  LessThanLowerThreshold: '< band',
  GreaterThanUpperThreshold: '> band',
};

/**
 * "p99 > 1.2 s", "Average > 70%", "Sum > 96 per 1m", "> 2" (metric math): the statistic, the
 * comparison and the threshold with its unit; a Sum is per its period.
 */
export function formatAlarmThreshold(alarm: Alarm): string {
  const op = alarm.comparison ? (COMPARISON[alarm.comparison] ?? alarm.comparison) : undefined;
  const value =
    alarm.threshold === undefined
      ? undefined
      : formatValue(alarm.threshold, alarmThresholdUnit(alarm) ?? '');
  const perPeriod =
    value !== undefined && alarm.statistic === 'Sum' && alarm.periodSeconds
      ? `per ${formatDuration(alarm.periodSeconds * 1000)}`
      : undefined;
  return [alarm.statistic, op, value, perPeriod].filter(Boolean).join(' ') || '—';
}

/** What the alarm watches: its metric, or the expression of a metric-math alarm. */
export function alarmSubject(alarm: Alarm): string {
  return alarm.math?.expression ?? alarm.metricName ?? '—';
}

/** "m1 = HTTPCode_Target_5XX_Count Sum, m2 = RequestCount Sum": what an expression reads. */
function mathLegend(alarm: Alarm): string | undefined {
  const metrics = alarm.math?.metrics ?? [];
  if (metrics.length === 0) return undefined;
  const label = alarm.math?.label ? `${alarm.math.label}: ` : '';
  return `${label}${metrics
    .map((m) => `${m.id} = ${[m.metricName, m.statistic].filter(Boolean).join(' ')}`)
    .join(', ')}`;
}

export function renderAlarms(alarms: readonly Alarm[], options: AlarmsViewOptions): string[] {
  const { palette: p, width, now } = options;
  if (alarms.length === 0) return [p.dim('No alarms match.')];
  const sorted = sortAlarms(alarms);
  const cells = sorted.map((a) => ({
    state: alarmStandingBadge(a, p),
    name: a.name,
    tier: a.tier ?? '—',
    subject: alarmSubject(a),
    threshold: formatAlarmThreshold(a),
    since: formatAge(a.stateUpdatedAt, now),
  }));
  const { header, rows } = renderTableRows(
    [
      { header: 'state' },
      { header: 'alarm', shrink: 1, minWidth: 16, wrap: true },
      { header: 'tier' },
      { header: 'metric', shrink: 2, minWidth: 12, wrap: true },
      { header: 'threshold', align: 'right' },
      { header: 'since', align: 'right' },
    ],
    cells.map((c) => [c.state, c.name, c.tier, c.subject, c.threshold, c.since]),
    { width, header: p.dim },
  );
  // A table while every name and metric fits its column whole; else one alarm after the
  // other, the name on a line of its own: names are what finds the alarm in the console.
  const fits = visibleWidth(header) <= width && rows.every((r) => r.length === 1);
  const stateWidth = Math.max(...cells.map((c) => visibleWidth(c.state)));
  const detailIndent = fits ? '    ' : ' '.repeat(stateWidth + 2);
  const lines = fits ? [header] : [];
  sorted.forEach((alarm, i) => {
    const c = cells[i];
    if (!c) return;
    if (fits) lines.push(...(rows[i] ?? []));
    else
      lines.push(
        ...wrap(c.name, width - detailIndent.length, '', { breakWords: true }).map(
          (part, k) => (k === 0 ? `${padEnd(c.state, stateWidth)}  ` : detailIndent) + part,
        ),
        ...wrap(
          `${detailIndent}${[c.tier, `${c.subject} ${c.threshold}`, c.since].join(p.dim(' · '))}`,
          width,
          detailIndent,
          { breakWords: true },
        ),
      );
    // Why an OK alarm is OK, or a scaling trigger in ALARM, is noise; why one fires (or has
    // no data) is the point.
    const standing = alarmStanding(alarm);
    const details = [
      mathLegend(alarm),
      standing === 'firing' || standing === 'no-data' ? alarm.stateReason : undefined,
    ].filter((d): d is string => Boolean(d));
    for (const detail of details)
      lines.push(
        ...wrap(`${detailIndent}${detail}`, width, detailIndent, { breakWords: true }).map(p.dim),
      );
  });

  const counts = (['firing', 'scaling', 'no-data', 'ok'] as const)
    .map((s) => [s, alarms.filter((a) => alarmStanding(a) === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${COUNT_WORDS[s]}`);
  lines.push(
    '',
    p.dim(`${alarms.length} alarm${alarms.length === 1 ? '' : 's'}: ${counts.join(', ')}`),
  );
  if (alarms.some((a) => alarmStanding(a) === 'scaling'))
    lines.push(
      ...wrap(
        'SCALE OUT / SCALE IN: target-tracking alarms of Auto Scaling in ALARM. They make the group scale (AlarmLow stays in ALARM while it could scale in): scaling signals, not health problems, as `ballast health` counts them.',
        width,
      ).map(p.dim),
    );
  return lines;
}

const COUNT_WORDS: Record<AlarmStanding, string> = {
  firing: 'firing (ALARM)',
  scaling: 'scaling (target tracking in ALARM)',
  'no-data': 'no data (INSUFFICIENT_DATA)',
  ok: 'OK',
};

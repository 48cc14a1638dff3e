// The `ballast alarms` screen: one row per alarm, the state reason on a dimmed line beneath
// (CloudWatch reasons are long sentences; a column would cut them to nothing at 80 columns).
import type { Alarm, AlarmState } from '@ballast/core';
import { formatAge, formatNumber } from '@ballast/core/format';
import { alarmBadge } from '../output/badge.js';
import type { Palette } from '../output/style.js';
import { renderTable } from '../output/table.js';
import { truncate } from '../output/text.js';

export interface AlarmsViewOptions {
  palette: Palette;
  width: number;
  now: number;
}

const STATE_ORDER: Record<AlarmState, number> = { ALARM: 0, INSUFFICIENT_DATA: 1, OK: 2 };

/** Firing first, then no data, then OK; most recent state change first within each. */
export function sortAlarms(alarms: readonly Alarm[]): Alarm[] {
  return [...alarms].sort(
    (a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || b.stateUpdatedAt - a.stateUpdatedAt,
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

/** "p99 > 1.2": the statistic, the comparison and the threshold, in the metric's own unit. */
export function formatAlarmThreshold(alarm: Alarm): string {
  const op = alarm.comparison ? (COMPARISON[alarm.comparison] ?? alarm.comparison) : undefined;
  const value = alarm.threshold === undefined ? undefined : formatNumber(alarm.threshold);
  return [alarm.statistic, op, value].filter(Boolean).join(' ') || '—';
}

export function renderAlarms(alarms: readonly Alarm[], options: AlarmsViewOptions): string[] {
  const { palette: p, width, now } = options;
  if (alarms.length === 0) return [p.dim('No alarms match.')];
  const sorted = sortAlarms(alarms);
  const rows = sorted.map((a) => [
    alarmBadge(a.state, p),
    a.name,
    a.tier ?? '—',
    a.metricName ?? '—',
    formatAlarmThreshold(a),
    formatAge(a.stateUpdatedAt, now),
  ]);
  const [header = '', ...body] = renderTable(
    [
      { header: 'state' },
      // Names find the alarm in the console: the metric gives way first.
      { header: 'alarm', shrink: 1, minWidth: 16 },
      { header: 'tier' },
      { header: 'metric', shrink: 2, minWidth: 12 },
      { header: 'threshold', align: 'right' },
      { header: 'since', align: 'right' },
    ],
    rows,
    { width, header: p.dim },
  );
  const lines = [header];
  body.forEach((line, i) => {
    lines.push(line);
    // Why an OK alarm is OK is noise; why one fires (or has no data) is the point.
    const alarm = sorted[i];
    if (alarm && alarm.state !== 'OK' && alarm.stateReason)
      lines.push(p.dim(truncate(`    ${alarm.stateReason}`, width)));
  });
  const counts = (['ALARM', 'INSUFFICIENT_DATA', 'OK'] as const)
    .map((s) => [s, alarms.filter((a) => a.state === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  lines.push(
    '',
    p.dim(`${alarms.length} alarm${alarms.length === 1 ? '' : 's'}: ${counts.join(', ')}`),
  );
  return lines;
}

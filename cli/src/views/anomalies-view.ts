// The `ballast cost anomalies` screen: what Cost Anomaly Detection found, open ones first,
// each with what it hit, its dates, its impact against what was expected, and its root
// causes (service, usage type, region, account) with their share of the impact. An empty
// report says whether anything watches (no monitor) or nothing was found.
import {
  daysBetween,
  addDays,
  type AnomalyRootCause,
  type AnomalyView,
  type AnomalyReport,
} from '@ballast/core';
import { toCsv } from '@ballast/core/format';
import { formatPct, formatUsd } from '@ballast/core/format';
import type { Palette } from '../output/style.js';
import { padEnd, padStart, visibleWidth, wrap } from '../output/text.js';
import { dayRangeText, freshnessFooter, type SpendViewOptions } from './spend-view.js';

export function renderAnomalies(report: AnomalyReport, options: SpendViewOptions): string[] {
  const { palette: p, width } = options;
  const lines = [p.bold('Cost anomalies'), p.dim(`ending ${dayRangeText(report.range)}`), ''];
  if (report.anomalies.length === 0) {
    lines.push(
      ...wrap(
        report.monitors === 0
          ? 'No anomaly monitor is set up, so nothing is watched: create one in Billing and Cost Management > Cost Anomaly Detection (a monitor of AWS services costs nothing).'
          : `No anomalies in this range${report.monitors ? ` (${report.monitors} monitor${report.monitors === 1 ? '' : 's'} watching)` : ''}.`,
        width,
        '  ',
      ),
      '',
    );
  } else {
    lines.push(summary(report, p), '');
    const badges = report.anomalies.map((a) => (a.open ? p.red('✖ OPEN') : p.dim('● CLOSED')));
    const badgeWidth = Math.max(...badges.map(visibleWidth));
    const indent = ' '.repeat(badgeWidth + 2);
    report.anomalies.forEach((a, i) => {
      const impact = formatUsd(a.impact.totalUsd, { signed: true });
      const name = a.dimensionValue ?? a.rootCauses[0]?.service ?? 'Unknown service';
      const room = width - badgeWidth - 2 - visibleWidth(impact) - 2;
      const [first = '', ...more] = wrap(name, Math.max(10, room), '', { breakWords: true });
      lines.push(
        `${padEnd(badges[i]!, badgeWidth)}  ${padEnd(p.bold(first), Math.max(10, room))}  ${padStart(impact, visibleWidth(impact))}`.trimEnd(),
        ...more.map((m) => indent + p.bold(m)),
        ...wrap(`${indent}${when(a)} · ${against(a)}`, width, indent),
        ...a.rootCauses.flatMap((c) =>
          wrap(`${indent}${p.dim('root cause:')} ${rootCause(c, name)}`, width, `${indent}  `),
        ),
      );
    });
    lines.push('');
  }
  lines.push(...freshnessFooter(report.freshness, options));
  return lines;
}

/** "1 open: $1,951 more than expected · 1 closed: $1,659" */
function summary(report: AnomalyReport, p: Palette): string {
  const part = (n: number, word: string, usd: number, more: string) =>
    `${n} ${word}${n ? `: ${formatUsd(usd)}${more}` : ''}`;
  const open = part(report.open.count, 'open', report.open.impactUsd, ' more than expected');
  return [
    report.open.count ? p.red(open) : open,
    part(report.past.count, 'closed', report.past.impactUsd, ''),
  ].join(' · ');
}

/** "2026-11-16 to 2026-11-30, 15 days, still seen" */
function when(a: AnomalyView): string {
  if (!a.start || !a.end) return a.end ? `seen ${a.end}` : 'dates unknown';
  const days = daysBetween(a.start, a.end) + 1;
  return `${dayRangeText({ start: a.start, end: addDays(a.end, 1) })}, ${days} day${days === 1 ? '' : 's'}${a.open ? ', still seen' : ''}`;
}

/** "$2,450 spent against $499 expected (+391%), at most $136 a day" */
function against(a: AnomalyView): string {
  const { actualUsd, expectedUsd, percent, maxUsd } = a.impact;
  const parts = [
    actualUsd !== null && expectedUsd !== null
      ? `${formatUsd(actualUsd)} spent against ${formatUsd(expectedUsd)} expected${percent === null ? '' : ` (${formatPct(percent, { signed: true })})`}`
      : undefined,
    `at most ${formatUsd(maxUsd)} over in a day`,
  ];
  return parts.filter(Boolean).join(', ');
}

/**
 * "BoxUsage:g5.12xlarge · us-east-1 · account 3d-store (production) · $1,951": the service
 * only when it is not the one the anomaly is named after.
 */
function rootCause(c: AnomalyRootCause, named: string): string {
  const account = c.linkedAccountName ?? c.linkedAccount;
  return [
    c.usageType,
    c.service === named ? undefined : c.service,
    c.region,
    account ? `account ${account}` : undefined,
    c.contributionUsd === null ? undefined : formatUsd(c.contributionUsd),
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * One record per anomaly; its largest root cause in columns of its own (the others are
 * counted), so sums over the impact columns count each anomaly once.
 */
export function anomaliesCsv(report: AnomalyReport): string {
  const header = [
    'id',
    'status',
    'start',
    'end',
    'monitored',
    'impact_usd',
    'impact_pct',
    'actual_usd',
    'expected_usd',
    'max_daily_impact_usd',
    'score',
    'root_cause_service',
    'root_cause_usage_type',
    'root_cause_region',
    'root_cause_account',
    'root_cause_usd',
    'other_root_causes',
  ];
  return toCsv(
    header,
    report.anomalies.map((a) => {
      const [top, ...others] = [...a.rootCauses].sort(
        (x, y) => (y.contributionUsd ?? 0) - (x.contributionUsd ?? 0),
      );
      return [
        a.id,
        a.open ? 'open' : 'closed',
        a.start,
        a.end,
        a.dimensionValue,
        a.impact.totalUsd,
        a.impact.percent,
        a.impact.actualUsd,
        a.impact.expectedUsd,
        a.impact.maxUsd,
        a.score.max,
        top?.service,
        top?.usageType,
        top?.region,
        top ? (top.linkedAccountName ?? top.linkedAccount) : undefined,
        top?.contributionUsd,
        others.length,
      ];
    }),
  );
}

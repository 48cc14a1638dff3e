// The `ballast health` screen: per tier a table of golden signals with SLOs and sparklines,
// then firing alarms, Auto Scaling state and a footer saying where the data came from.
// Pure: everything it shows comes from its arguments.
import type {
  PlatformHealth,
  ScalingActivity,
  SignalReading,
  Status,
  TierHealth,
} from '@ballast/core';
import {
  formatAge,
  formatDuration,
  formatThreshold,
  formatTimestamp,
  formatValue,
} from '@ballast/core/format';
import { paintStatus, statusBadge, statusSymbol } from '../output/badge.js';
import { sparkline } from '../output/sparkline.js';
import type { Palette } from '../output/style.js';
import { renderTable } from '../output/table.js';
import { sourceActions, type ErrorContext } from '../errors.js';
import { truncate, visibleWidth, wrap } from '../output/text.js';
import { describeSourceError } from './sources.js';

/** Where the data was read from, as the footer shows it. */
export interface ContextSummary {
  name: string;
  region: string;
  profile?: string;
  endpointUrl?: string;
}

export interface HealthViewOptions {
  palette: Palette;
  width: number;
  /** For "12s ago" ages; the evaluation time itself comes from the report. */
  now: number;
  context: ContextSummary;
  /** Makes the advice for failed sources specific (sandbox or not, the profile). */
  errorContext: ErrorContext;
}

const INDENT = 2;
/** The source whose failure means every value shown comes from stored history. */
const METRICS_SOURCE = 'cloudwatch-metrics';

export function renderHealth(health: PlatformHealth, options: HealthViewOptions): string[] {
  const { palette: p, width } = options;
  const firing = health.firingAlarms.length;
  const headline = [
    p.bold(health.platform),
    statusBadge(health.status, p),
    firing ? p.red(`${firing} alarm${firing === 1 ? '' : 's'} firing`) : p.dim('no alarms firing'),
  ].join('  ');
  const lines = [headline];
  // A reason every tier shares (a source is down) is said once, here, not once per tier.
  const shared = sharedReasons(health.tiers);
  for (const reason of shared) lines.push(...wrap(`${p.yellow('›')} ${reason}`, width, '  '));
  lines.push(...staleNotice(health, options), '');
  for (const tier of health.tiers) lines.push(...renderTier(tier, health, shared, options), '');
  lines.push(...renderFiringAlarms(health, options));
  lines.push(...renderScaling(health, options));
  lines.push(...renderFooter(health, options));
  return lines;
}

function sharedReasons(tiers: readonly TierHealth[]): string[] {
  const [first, ...rest] = tiers;
  if (!first || rest.length === 0) return [];
  return first.reasons.filter((r) => rest.every((t) => t.reasons.includes(r)));
}

/** When metrics could not be read, say how old the values shown are. */
function staleNotice(health: PlatformHealth, options: HealthViewOptions): string[] {
  const { palette: p, width, now } = options;
  if (health.sources.find((s) => s.source === METRICS_SOURCE)?.ok !== false) return [];
  const times = health.tiers.flatMap((t) => t.signals.flatMap((s) => s.points.map((pt) => pt.t)));
  if (times.length === 0) return [];
  const newest = Math.max(...times);
  const notice = `Values below are stored history, not live: newest datapoint ${formatTimestamp(newest)} (${formatAge(newest, now)}).`;
  return wrap(notice, width, '  ').map((line) => p.yellow(line));
}

function renderTier(
  tier: TierHealth,
  health: PlatformHealth,
  shared: readonly string[],
  options: HealthViewOptions,
): string[] {
  const { palette: p, width } = options;
  const title = `${statusBadge(tier.status, p)}  ${p.bold(tier.tier)}  ${p.dim(tier.title)}`;
  const reasons = tier.reasons
    .filter((r) => !shared.includes(r))
    .flatMap((r) => wrap(`  ${paintStatus(tier.status, p, '›')} ${r}`, width, '    '));
  if (tier.signals.length === 0)
    return [truncate(title, width), ...reasons, p.dim('  no signals configured')];

  const windowLabel = `last ${formatDuration(health.window.end - health.window.start)}`;
  const rows = tier.signals.map((s) => [
    `${statusSymbol(s.status, p)} ${s.signal}`,
    s.label,
    s.current === null
      ? p.gray('no data')
      : paintStatus(s.status, p, formatValue(s.current, s.unit)),
    formatThreshold(s.threshold, s.unit),
    '', // sparkline, drawn once its width is known
  ]);
  // Give the sparkline what the other columns leave, between 12 and 30 characters.
  const others = [0, 1, 2, 3].map((i) =>
    Math.max(...[HEADERS[i] ?? '', ...rows.map((r) => r[i] ?? '')].map(visibleWidth)),
  );
  const labelBudget = Math.min(others[1] ?? 0, 28);
  const used =
    INDENT + (others[0] ?? 0) + labelBudget + (others[2] ?? 0) + (others[3] ?? 0) + 2 * 4;
  const sparkWidth = Math.max(12, Math.min(30, width - used));
  tier.signals.forEach((s, i) => {
    const row = rows[i];
    if (row) row[4] = signalSparkline(s, sparkWidth, p);
  });
  const table = renderTable(
    [
      { header: HEADERS[0] ?? '' },
      { header: HEADERS[1] ?? '', shrink: true, minWidth: 12 },
      { header: HEADERS[2] ?? '', align: 'right' },
      { header: HEADERS[3] ?? '', align: 'right' },
      { header: windowLabel },
    ],
    rows,
    { width, indent: INDENT, header: p.dim },
  );
  return [truncate(title, width), ...reasons, ...table];
}

const HEADERS = ['signal', 'measured as', 'now', 'SLO degr / crit'];

/** Buckets that breach the SLO are colored like the status they would cause. */
function signalSparkline(signal: SignalReading, width: number, p: Palette): string {
  const values = signal.points.map((pt) => pt.v);
  if (values.length === 0) return p.gray('no data in window');
  const { degraded, critical } = signal.threshold ?? {};
  const statusOf = (v: number): Status =>
    critical !== undefined && v >= critical
      ? 'critical'
      : degraded !== undefined && v >= degraded
        ? 'degraded'
        : 'ok';
  // Scaled up to the SLO at least, so a quiet signal far below it stays low instead of
  // magnifying noise, and the height reads as "how close to the SLO".
  const ceiling = degraded ?? critical;
  return sparkline(values, {
    width,
    ...(ceiling !== undefined ? { max: Math.max(ceiling, ...values) } : {}),
    paint: (char, v) => (statusOf(v) === 'ok' ? char : paintStatus(statusOf(v), p, char)),
  });
}

function renderFiringAlarms(health: PlatformHealth, options: HealthViewOptions): string[] {
  const { palette: p, width, now } = options;
  if (health.firingAlarms.length === 0) return [];
  const lines = [p.bold(`Firing alarms (${health.firingAlarms.length})`)];
  const sorted = [...health.firingAlarms].sort((a, b) => b.stateUpdatedAt - a.stateUpdatedAt);
  for (const alarm of sorted) {
    const where = alarm.tier ? ` ${p.dim(`[${alarm.tier}]`)}` : '';
    const since = p.dim(`since ${formatAge(alarm.stateUpdatedAt, now)}`);
    lines.push(
      truncate(`  ${p.red('✖')} ${alarm.name}${where}  ${since}  ${alarm.stateReason}`, width),
    );
  }
  lines.push(p.dim('  Details: ballast alarms --state ALARM'), '');
  return lines;
}

/** One row per group; beneath each, its latest scaling activity (descriptions carry instance ids). */
function renderScaling(health: PlatformHealth, options: HealthViewOptions): string[] {
  const { palette: p, width, now } = options;
  if (health.groups.length === 0 && health.activities.length === 0) return [];
  const lines = [p.bold('Auto Scaling')];
  const [header = '', ...rows] = renderTable(
    [
      { header: 'group' },
      { header: 'tier' },
      { header: 'in service', align: 'right' },
      { header: 'min–max', align: 'right' },
      { header: 'on-demand/spot', align: 'right' },
    ],
    health.groups.map((g) => [
      g.name,
      g.tier ?? '—',
      `${g.inService} of ${g.desired}`,
      `${g.min}–${g.max}`,
      `${g.onDemand}/${g.spot}`,
    ]),
    { width, indent: INDENT, header: p.dim },
  );
  if (health.groups.length) lines.push(header);
  health.groups.forEach((g, i) => {
    lines.push(rows[i] ?? '');
    const latest = latestActivity(health, g.name);
    const detail = latest
      ? describeActivity(latest, now, p)
      : p.dim('no scaling activity in the window');
    lines.push(truncate(`    ${p.dim('└')} ${detail}`, width));
  });
  // Activities of groups the report has no state for (e.g. DescribeAutoScalingGroups failed).
  if (health.groups.length === 0) {
    const latest = latestActivity(health);
    if (latest)
      lines.push(truncate(`  ${latest.group}: ${describeActivity(latest, now, p)}`, width));
  }
  lines.push('');
  return lines;
}

/** "4m ago: Launching a new EC2 instance: i-0abc"; the status only when it is not a success. */
function describeActivity(activity: ScalingActivity, now: number, p: Palette): string {
  const status = activity.status === 'Successful' ? '' : ` ${p.yellow(`[${activity.status}]`)}`;
  return `${formatAge(activity.startTime, now)}: ${activity.description}${status}`;
}

function latestActivity(health: PlatformHealth, group?: string) {
  return health.activities
    .filter((a) => group === undefined || a.group === group)
    .reduce<ScalingActivity | undefined>(
      (l, a) => (!l || a.startTime > l.startTime ? a : l),
      undefined,
    );
}

function renderFooter(health: PlatformHealth, options: HealthViewOptions): string[] {
  const { palette: p, width, now, context } = options;
  const where = [
    `context ${context.name}`,
    context.profile ? `profile ${context.profile}` : undefined,
    context.region,
    context.endpointUrl ?? 'AWS',
  ].filter(Boolean);
  const when = `evaluated ${formatTimestamp(health.evaluatedAt)} (${formatAge(health.evaluatedAt, now)})`;
  const lines = [
    p.dim(truncate('Sparklines run from 0 to the SLO or the peak, whichever is higher.', width)),
    ...wrap(`${where.join(' · ')} · ${when}`, width, '  ').map((line) => p.dim(line)),
  ];
  const failed = health.sources.filter((s) => !s.ok);
  if (failed.length) {
    lines.push(
      p.yellow(
        `Degraded sources (${failed.length} of ${health.sources.length}): what depends on them is missing or stale`,
      ),
    );
    for (const source of failed)
      lines.push(
        truncate(
          `  ${p.yellow('▲')} ${p.bold(source.source)}: ${describeSourceError(source)}`,
          width,
        ),
      );
    // One endpoint down fails every source the same way: give each piece of advice once.
    const actions = new Set(
      failed.flatMap((s) => (s.error ? sourceActions(s.error, options.errorContext) : [])),
    );
    if (actions.size)
      lines.push(
        `  ${p.bold('Try this:')}`,
        ...[...actions].flatMap((a) => wrap(`    • ${a}`, width, '      ')),
      );
  }
  return lines;
}

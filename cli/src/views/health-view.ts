// The `ballast health` screen: per tier a table of golden signals with SLOs and sparklines,
// then firing alarms, Auto Scaling state and a footer saying where the data came from.
// Pure: everything it shows comes from its arguments.
import {
  HEALTH_SOURCES,
  type PlatformHealth,
  type ScalingActivity,
  type SignalReading,
  type SourceStatus,
  type Status,
  type TierHealth,
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
import { padEnd, truncate, visibleWidth, wrap } from '../output/text.js';
import { describeSourceError, sourceErrorGist } from './sources.js';

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

export function renderHealth(health: PlatformHealth, options: HealthViewOptions): string[] {
  const { palette: p, width } = options;
  const lines = [headline(health, p)];
  // A failed source, or any reason every tier shares, is said once, here, not once per tier;
  // the footer has the details of each failed source and what to do about it.
  const once = saidOnce(health);
  for (const notice of topNotices(health, options.now))
    lines.push(...wrap(`${p.yellow('›')} ${notice}`, width, '  '));
  lines.push('');
  for (const tier of health.tiers) lines.push(...renderTier(tier, health, once, options), '');
  lines.push(...renderFiringAlarms(health, options));
  lines.push(...renderScaling(health, options));
  lines.push(...renderFooter(health, options));
  return lines;
}

/** The verdict, and how many alarms fire — or that nobody knows, when they could not be read. */
function headline(health: PlatformHealth, p: Palette): string {
  const firing = health.firingAlarms?.length;
  const alarmsSource = health.sources.find((s) => s.source === HEALTH_SOURCES.alarms);
  const alarms =
    firing === undefined
      ? p.yellow(
          `alarms unknown: ${alarmsSource ? sourceErrorGist(alarmsSource) : 'could not be read'}`,
        )
      : firing
        ? p.red(`${firing} alarm${firing === 1 ? '' : 's'} firing`)
        : p.dim('no alarms firing');
  return [p.bold(health.platform), statusBadge(health.status, p), alarms].join('  ');
}

/** Reasons to say once at the top: each failed source's, then any other that every tier shares. */
function saidOnce(health: PlatformHealth): string[] {
  const sourceReasons = [
    ...new Map(
      health.tiers.flatMap((t) => t.sourceFailures.map((f) => [f.source, f.reason] as const)),
    ).values(),
  ];
  const [first, ...rest] = health.tiers;
  const shared =
    first && rest.length > 0
      ? first.reasons.filter((r) => rest.every((t) => t.reasons.includes(r)))
      : [];
  return [...new Set([...sourceReasons, ...shared])];
}

/**
 * What to know before reading the tiers: each failed source and what that leaves (how old the
 * stored values shown are), then any other reason every tier shares.
 */
function topNotices(health: PlatformHealth, now: number): string[] {
  const fromSources = new Set(health.tiers.flatMap((t) => t.sourceFailures.map((f) => f.reason)));
  return [
    ...health.sources
      .filter((s) => !s.ok)
      .map((s) => `${s.source}: ${sourceErrorGist(s)} — ${consequence(s, now)}`),
    ...saidOnce(health).filter((r) => !fromSources.has(r)),
  ];
}

/** What a failed source leaves of the report. */
function consequence(source: SourceStatus, now: number): string {
  switch (source.source) {
    case HEALTH_SOURCES.metrics:
      return source.dataAsOf === undefined
        ? 'no data to show'
        : `${shownInstead(source, now)} (${formatTimestamp(source.dataAsOf)}), not live`;
    case HEALTH_SOURCES.alarms:
      return 'which alarms fire is unknown';
    case HEALTH_SOURCES.autoscaling:
      return 'no Auto Scaling state';
    default:
      return shownInstead(source, now);
  }
}

function failedSource(health: PlatformHealth, source: string): SourceStatus | undefined {
  return health.sources.find((s) => s.source === source && !s.ok);
}

/** "stale", "no data", "alarms unknown": what a failed source leaves of this tier, in a word or two. */
function tierTags(tier: TierHealth, health: PlatformHealth): string[] {
  return tier.sourceFailures.map((f) => {
    if (f.source === HEALTH_SOURCES.alarms) return 'alarms unknown';
    if (f.source === HEALTH_SOURCES.metrics)
      return failedSource(health, f.source)?.dataAsOf === undefined ? 'no data' : 'stale';
    return `${f.source} unavailable`;
  });
}

function tierTitle(tier: TierHealth, health: PlatformHealth, p: Palette): string {
  const tags = tierTags(tier, health);
  return [
    statusBadge(tier.status, p),
    p.bold(tier.tier),
    ...(tags.length ? [p.yellow(`(${tags.join(', ')})`)] : []),
    p.dim(tier.title),
  ].join('  ');
}

function renderTier(
  tier: TierHealth,
  health: PlatformHealth,
  once: readonly string[],
  options: HealthViewOptions,
): string[] {
  const { palette: p, width } = options;
  const title = tierTitle(tier, health, p);
  const reasons = tier.reasons
    .filter((r) => !once.includes(r))
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

/** One line per firing alarm, newest first: "✖ name [tier]  since 12m ago  reason…". */
function firingAlarmLines(health: PlatformHealth, options: HealthViewOptions): string[] {
  const { palette: p, width, now } = options;
  const sorted = [...(health.firingAlarms ?? [])].sort(
    (a, b) => b.stateUpdatedAt - a.stateUpdatedAt,
  );
  return sorted.map((alarm) => {
    const where = alarm.tier ? ` ${p.dim(`[${alarm.tier}]`)}` : '';
    const since = p.dim(`since ${formatAge(alarm.stateUpdatedAt, now)}`);
    return truncate(`  ${p.red('✖')} ${alarm.name}${where}  ${since}  ${alarm.stateReason}`, width);
  });
}

function renderFiringAlarms(health: PlatformHealth, options: HealthViewOptions): string[] {
  const { palette: p } = options;
  if (!health.firingAlarms?.length) return [];
  return [
    p.bold(`Firing alarms (${health.firingAlarms.length})`),
    ...firingAlarmLines(health, options),
    p.dim('  Details: ballast alarms --state alarm'),
    '',
  ];
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

/** What is shown for a failed source: its stored data and how old it is, or nothing. */
function shownInstead(source: SourceStatus, now: number): string {
  return source.dataAsOf === undefined
    ? 'nothing stored to show instead'
    : `showing stored data, newest ${formatAge(source.dataAsOf, now)}`;
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
        ...wrap(
          `  ${p.yellow('▲')} ${p.bold(source.source)}: ${describeSourceError(source, now)} · ${shownInstead(source, now)}`,
          width,
          '    ',
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

export interface HealthScreenOptions extends HealthViewOptions {
  /** lines of the terminal */
  rows: number;
  /** the last line, always shown, plain text (e.g. "Refreshing every 15s · Ctrl-C to stop") */
  status: string;
}

/**
 * The report for a screen of `rows` lines that is redrawn in place (`health --watch`): the
 * whole report when it fits; otherwise the verdict, failed sources and firing alarms first,
 * then a compact view of each tier (its signals' current values), then what room is left
 * allows: tier reasons, Auto Scaling. The last line is always `status`.
 */
export function renderHealthScreen(health: PlatformHealth, options: HealthScreenOptions): string[] {
  const { palette: p, width, rows, status } = options;
  // The cursor ends on the line after the last one printed: that line must fit too.
  const budget = Math.max(rows - 1, 4);
  const full = [...renderHealth(health, options), p.dim(truncate(status, width))];
  if (full.length <= budget) return full;

  const once = saidOnce(health);
  const notices = topNotices(health, options.now).map((n) =>
    truncate(`${p.yellow('›')} ${n}`, width),
  );
  const alarms = firingAlarmLines(health, options);
  const alarmsHeader = p.bold(`Firing alarms (${alarms.length})`);
  const moreAlarms = (n: number) => p.dim(`  … ${n} more: ballast alarms --state alarm`);
  // Two lines per tier (title, signals) when everything important still fits; else one.
  const twoLine =
    2 + notices.length + (alarms.length ? alarms.length + 2 : 0) + 2 * health.tiers.length <=
    budget;
  const idWidth = Math.max(...health.tiers.map((t) => t.tier.length));
  const tierLines = health.tiers.map((tier) =>
    twoLine
      ? [
          truncate(tierTitle(tier, health, p), width),
          truncate(`  ${signalSummary(tier, p)}`, width),
        ]
      : [
          truncate(
            `${statusSymbol(tier.status, p)} ${p.bold(padEnd(tier.tier, idWidth))}  ${signalSummary(tier, p, '  ')}`,
            width,
          ),
        ],
  );

  // Lines are handed out in order of importance until the budget is spent.
  let room = budget - 2; // the headline and the status line
  const take = (n: number): number => {
    const granted = Math.max(0, Math.min(n, room));
    room -= granted;
    return granted;
  };
  const alarmsFirst = take(alarms.length ? Math.min(2, alarms.length + 1) : 0);
  const tierRoom = take(tierLines.flat().length);
  const noticeRoom = take(notices.length);
  const alarmRoom = alarms.length ? alarmsFirst + take(alarms.length + 1 - alarmsFirst) : 0;
  const reasons = health.tiers.map((tier) =>
    twoLine ? tier.reasons.find((r) => !once.includes(r)) : undefined,
  );
  const reasonRoom = take(reasons.filter(Boolean).length);
  const gaps = [take(1), take(alarms.length ? 1 : 0)];
  const scaling = room >= 3 ? compactScaling(health, options).slice(0, take(room - 2)) : [];
  const gapBeforeStatus = take(1);

  // All of them with their header; else the newest ones and a count of the rest.
  let alarmBlock: string[] = [];
  if (alarmRoom >= alarms.length + 1) alarmBlock = [alarmsHeader, ...alarms];
  else if (alarmRoom >= 3)
    alarmBlock = [
      alarmsHeader,
      ...alarms.slice(0, alarmRoom - 2),
      moreAlarms(alarms.length - (alarmRoom - 2)),
    ];
  else if (alarmRoom > 0)
    alarmBlock = [...alarms.slice(0, alarmRoom - 1), moreAlarms(alarms.length - alarmRoom + 1)];

  let tierBlock: string[] = [];
  let reasonsLeft = reasonRoom;
  health.tiers.forEach((tier, i) => {
    tierBlock.push(...(tierLines[i] ?? []));
    const reason = reasons[i];
    if (reason && reasonsLeft-- > 0)
      tierBlock.push(truncate(`  ${paintStatus(tier.status, p, '›')} ${reason}`, width));
  });
  if (tierBlock.length > tierRoom + reasonRoom) {
    const kept = tierBlock.slice(0, Math.max(0, tierRoom + reasonRoom - 1));
    tierBlock = [...kept, p.dim(`… more tiers below: run ballast health for the full report`)];
  }

  return [
    headline(health, p),
    ...notices.slice(0, noticeRoom),
    ...(gaps[0] ? [''] : []),
    ...alarmBlock,
    ...(gaps[1] ? [''] : []),
    ...tierBlock,
    ...(scaling.length ? ['', ...scaling] : []),
    ...(gapBeforeStatus ? [''] : []),
    p.dim(truncate(`${status} · compact (full report: ballast health)`, width)),
  ];
}

/** "traffic 12k req/min · errors 0.03% · ▲ latency 640 ms · ? saturation —" */
function signalSummary(tier: TierHealth, p: Palette, separator = p.dim(' · ')): string {
  if (tier.signals.length === 0) return p.dim('no signals configured');
  return tier.signals
    .map((s) => {
      const mark = s.status === 'ok' ? '' : `${statusSymbol(s.status, p)} `;
      const value =
        s.current === null ? p.gray('—') : paintStatus(s.status, p, formatValue(s.current, s.unit));
      return `${mark}${s.signal} ${value}`;
    })
    .join(separator);
}

/** "Auto Scaling" and one line per group: "store-web  5 of 6 in service (2–20) · 4m ago: Launching…" */
function compactScaling(health: PlatformHealth, options: HealthViewOptions): string[] {
  const { palette: p, width, now } = options;
  if (health.groups.length === 0) return [];
  return [
    p.bold('Auto Scaling'),
    ...health.groups.map((g) => {
      const latest = latestActivity(health, g.name);
      const activity = latest ? ` · ${describeActivity(latest, now, p)}` : '';
      return truncate(
        `  ${g.name}  ${g.inService} of ${g.desired} in service (${g.min}–${g.max})${activity}`,
        width,
      );
    }),
  ];
}

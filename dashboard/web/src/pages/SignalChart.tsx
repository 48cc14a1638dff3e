// One golden signal of one tier over time, with its SLO thresholds, the thresholds of the
// CloudWatch alarms on its metrics and, on saturation charts, the Auto Scaling activities
// that changed capacity.
import { useState, type CSSProperties, type SVGProps } from 'react';
import {
  Area,
  AreaChart,
  CartesianGrid,
  Line,
  LineChart,
  ReferenceDot,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from 'recharts';
import type {
  GoldenSignal,
  ScalingActivity,
  SignalAlarm,
  SignalReading,
  SourceStatus,
} from '@ballast/core';
import type { Range } from '../api.js';
import { sourceGist } from '../components/SourceBanners.js';
import { shortUnit, unitKind, valueAxis as niceAxis } from '@ballast/core/format';
import {
  formatClock,
  formatDay,
  formatDayTime,
  formatParts,
  formatValue,
  SIGNAL_NAMES,
} from '../format.js';

const SIGNAL_COLOURS: Record<GoldenSignal, string> = {
  traffic: '#5b9cf5',
  errors: '#f472b6',
  latency: '#a78bfa',
  saturation: '#2dd4bf',
};
const DEGRADED = '#e3b341';
const CRITICAL = '#f85149';
const GRID = '#262b36';
const SCALE_OUT = '#60a5fa';
const SCALE_IN = '#c084fc';
const AXIS = '#8b93a3';
/** Alarm thresholds: periwinkle dash-dot, unlike the amber and red dashes of the SLO. */
const ALARM = '#8fa3ff';
const ALARM_DASH = '9 3 2 3';
const SLO_DASH = '5 4';

const MAX_ACTIVITY_LINES = 12;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Tick spacing per range, on round local times (xx:00, midnight). */
const TICK_STEP: Record<Range, number> = {
  '1h': 10 * MINUTE,
  '6h': HOUR,
  '24h': 3 * HOUR,
  '7d': DAY,
  '14d': 2 * DAY,
};

function timeTicks(start: number, end: number, range: Range): number[] {
  const step = TICK_STEP[range];
  const ticks: number[] = [];
  if (step >= DAY) {
    const d = new Date(start);
    d.setHours(0, 0, 0, 0);
    if (d.getTime() < start) d.setDate(d.getDate() + 1);
    const every = step / DAY;
    for (; d.getTime() <= end; d.setDate(d.getDate() + every)) ticks.push(d.getTime());
  } else {
    const offset = new Date(start).getTimezoneOffset() * MINUTE;
    for (let t = Math.ceil((start - offset) / step) * step + offset; t <= end; t += step)
      ticks.push(t);
  }
  return ticks;
}

/**
 * The value axis: from 0 to a round top, in 3 to 5 round steps. Thresholds near the data are
 * kept in view so their lines mean something; one far above the data would flatten the
 * curve, so it is left out (the chart's header and the Overview still state it, and the
 * legend lists an alarm off the scale as such).
 */
function valueAxis(
  unit: string,
  dataMax: number,
  degraded?: number,
  critical?: number,
  alarms: readonly number[] = [],
) {
  const candidates = [dataMax * 1.1];
  const near = (threshold: number) => dataMax === 0 || threshold <= dataMax * 4;
  if (degraded !== undefined && near(degraded)) candidates.push(degraded * 1.05);
  if (critical !== undefined && critical <= dataMax * 1.5) candidates.push(critical * 1.05);
  // Alarm thresholds count like the degraded SLO: where the store is headed, worth seeing.
  for (const threshold of alarms) if (near(threshold)) candidates.push(threshold * 1.05);
  let wanted = Math.max(...candidates) || 1;
  // Utilization and rates in percent stop at 100, so the axis does too.
  if (unitKind(unit) === 'percent' && dataMax <= 100) wanted = Math.min(wanted, 100);
  return niceAxis(wanted, unit);
}

/** The plot area's height: the chart's 190 px less its top margin and the time axis. */
const PLOT_HEIGHT = 190 - 12 - 30;
/** An 11 px label and recharts' 5 px gap to its line. */
const LABEL_HEIGHT = 12;
const LABEL_GAP = 5;

type LabelSide = 'above' | 'below' | 'none';

/**
 * Where each alarm label goes. Alarm labels sit at the left end of their line, the SLO
 * labels at the right end, so the two never meet; alarm labels are kept off each other
 * (target tracking's scale-in and scale-out lines are often a few percent apart): each
 * goes below its line, else above, else nowhere (the legend still names it).
 * `thresholds` ascending; `reserveTop` px kept free for scaling markers.
 */
function placeAlarmLabels(
  thresholds: readonly number[],
  top: number,
  reserveTop: number,
): LabelSide[] {
  const taken: [number, number][] = [];
  const fits = ([lo, hi]: [number, number]) =>
    lo >= 0 && hi <= PLOT_HEIGHT - reserveTop && taken.every(([a, b]) => hi <= a || lo >= b);
  return thresholds.map((threshold) => {
    const y = (threshold / top) * PLOT_HEIGHT;
    const sides: [LabelSide, [number, number]][] = [
      ['below', [y - LABEL_GAP - LABEL_HEIGHT, y - LABEL_GAP]],
      ['above', [y + LABEL_GAP, y + LABEL_GAP + LABEL_HEIGHT]],
    ];
    for (const [side, span] of sides) {
      if (fits(span)) {
        taken.push(span);
        return side;
      }
    }
    return 'none';
  });
}

/**
 * Auto Scaling's own target-tracking alarms: AlarmLow sits in ALARM whenever the group could
 * scale in, so their state is not a health problem and never turns their line red.
 */
function isScalingTrigger(alarm: SignalAlarm): boolean {
  return alarm.name.startsWith('TargetTracking-');
}

/** "scale-out" / "scale-in" for target tracking's AlarmHigh / AlarmLow, else the name, cut short. */
function shortAlarmName(name: string, max = 28): string {
  const trigger = /^TargetTracking-.+-Alarm(High|Low)-[0-9a-f-]+$/i.exec(name);
  if (trigger) return trigger[1] === 'High' ? 'scale-out' : 'scale-in';
  return name.length > max ? `${name.slice(0, max - 1)}…` : name;
}

function alarmColour(alarm: SignalAlarm): string {
  return alarm.state === 'ALARM' && !isScalingTrigger(alarm) ? CRITICAL : ALARM;
}

const COMPARISONS: Record<string, string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '≥',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
};

/** "store-alb-p99-latency: > 1.2 s, OK" for the legend's tooltip. */
function describeAlarm(alarm: SignalAlarm, unit: string): string {
  const comparison = alarm.comparison ? (COMPARISONS[alarm.comparison] ?? alarm.comparison) : '';
  const trigger = isScalingTrigger(alarm) ? ' (target-tracking scaling trigger)' : '';
  return `${alarm.name}: ${[comparison, formatValue(alarm.threshold, unit)].filter(Boolean).join(' ')}, ${alarm.state}${trigger}`;
}

interface Hovered {
  activity: ScalingActivity;
  x: number;
  y: number;
}

export function SignalChart(props: {
  tier: string;
  reading: SignalReading;
  window: { start: number; end: number };
  range: Range;
  /** scaling activities to mark (saturation charts of tiers with an Auto Scaling group) */
  activities?: ScalingActivity[];
  /** set when CloudWatch metrics failed: the chart shows stored data, or nothing, and says why */
  metricsProblem?: SourceStatus;
  /** set when the Auto Scaling source failed, so missing markers are explained */
  activitiesProblem?: SourceStatus;
}) {
  const { tier, reading, window, range, activities, metricsProblem, activitiesProblem } = props;
  const [hovered, setHovered] = useState<Hovered>();
  const colour = SIGNAL_COLOURS[reading.signal];
  const { degraded, critical } = reading.threshold ?? {};
  const dataMax = reading.points.reduce((m, p) => Math.max(m, p.v), 0);
  const alarms = reading.alarms;
  const axis = valueAxis(
    reading.unit,
    dataMax,
    degraded,
    critical,
    alarms.map((a) => a.threshold),
  );
  const { top, ticks: valueTicks } = axis;
  const sloInView = [degraded, critical].some((t) => t !== undefined && t <= top);
  // An alarm far above the data stays off the scale (and so off the chart), named in the legend.
  const alarmLines = alarms.filter((a) => a.threshold <= top);
  const alarmLabels = placeAlarmLabels(
    alarmLines.map((a) => a.threshold),
    top,
    activities && activities.length > 0 ? 12 : 0,
  );
  const current = formatParts(reading.current, reading.unit);
  const ticks = timeTicks(window.start, window.end, range);
  const tickFormatter = TICK_STEP[range] >= DAY ? formatDay : formatClock;
  const empty = reading.points.length === 0;
  // Over days there can be dozens of activities: then the markers alone, not a curtain of lines.
  const drawActivityLines = (activities?.length ?? 0) <= MAX_ACTIVITY_LINES;
  // Ticks of percentages and durations carry their unit; plain counts get an axis title.
  const unitLabel = unitKind(reading.unit) === 'plain' ? shortUnit(reading.unit) || 'count' : '';

  const common = {
    data: reading.points,
    margin: { top: 12, right: 16, bottom: 0, left: 4 },
    responsive: true,
    style: { width: '100%', height: 190 },
  };

  const axes = [
    <CartesianGrid key="grid" stroke={GRID} vertical={false} />,
    <XAxis
      key="x"
      dataKey="t"
      type="number"
      scale="time"
      domain={[window.start, window.end]}
      ticks={ticks}
      tickFormatter={tickFormatter}
      stroke={AXIS}
      tick={{ fontSize: 11, fill: AXIS }}
      tickLine={false}
      axisLine={{ stroke: GRID }}
      allowDataOverflow
    />,
    <YAxis
      key="y"
      domain={[0, top]}
      ticks={valueTicks}
      tickFormatter={axis.label}
      stroke={AXIS}
      tick={{ fontSize: 11, fill: AXIS }}
      tickLine={false}
      axisLine={false}
      width={64}
      allowDataOverflow
      {...(unitLabel
        ? {
            label: {
              value: unitLabel,
              angle: -90,
              position: 'insideLeft',
              offset: 0,
              fill: AXIS,
              fontSize: 11,
              dx: 2,
            },
          }
        : {})}
    />,
    <Tooltip
      key="tooltip"
      isAnimationActive={false}
      cursor={{ stroke: AXIS, strokeDasharray: '3 3' }}
      content={(p: TooltipContentProps) => <ValueTooltip {...p} unit={reading.unit} />}
    />,
    // Alarm lines first, so an SLO line at the same value (the ALB's p99 alarm sits on the
    // critical SLO) keeps its dashes on top.
    ...alarmLines.map((alarm, i) => {
      const lineColour = alarmColour(alarm);
      const side = alarmLabels[i] ?? 'none';
      return (
        <ReferenceLine
          key={`alarm-${alarm.name}`}
          y={alarm.threshold}
          stroke={lineColour}
          strokeDasharray={ALARM_DASH}
          strokeWidth={1.2}
          ifOverflow="hidden"
          shape={(line: SVGProps<SVGLineElement>) => (
            <line
              {...line}
              className="recharts-reference-line-line"
              data-testid="alarm-line"
              data-alarm={alarm.name}
              data-state={alarm.state}
            />
          )}
          label={
            side === 'none'
              ? undefined
              : {
                  value: `alarm ${shortAlarmName(alarm.name)} ${formatValue(alarm.threshold, reading.unit)}`,
                  position: side === 'below' ? 'insideTopLeft' : 'insideBottomLeft',
                  fill: lineColour,
                  fontSize: 11,
                }
          }
        />
      );
    }),
    // The degraded label sits under its line and the critical one above its own: they never collide.
    ...(
      [
        ['degraded', degraded, DEGRADED, 'SLO', 'insideTopRight'],
        ['critical', critical, CRITICAL, 'critical', 'insideBottomRight'],
      ] as const
    ).map(([key, y, stroke, name, position]) =>
      y !== undefined ? (
        <ReferenceLine
          key={key}
          y={y}
          stroke={stroke}
          strokeDasharray={SLO_DASH}
          ifOverflow="hidden"
          label={{
            value: `${name} ${formatValue(y, reading.unit)}`,
            position,
            fill: stroke,
            fontSize: 11,
          }}
        />
      ) : null,
    ),
    ...(activities ?? []).flatMap((a) => {
      const scaleIn = /terminat/i.test(a.description);
      return [
        drawActivityLines ? (
          <ReferenceLine
            key={`l-${a.id}`}
            x={a.startTime}
            stroke={scaleIn ? SCALE_IN : SCALE_OUT}
            strokeOpacity={0.45}
            strokeDasharray="2 3"
          />
        ) : null,
        <ReferenceDot
          key={`d-${a.id}`}
          x={a.startTime}
          y={top}
          ifOverflow="visible"
          shape={(dot) => (
            <ActivityMarker
              cx={Number(dot.cx)}
              cy={Number(dot.cy)}
              scaleIn={scaleIn}
              onEnter={(x, y) => setHovered({ activity: a, x, y })}
              onLeave={() => setHovered((h) => (h?.activity.id === a.id ? undefined : h))}
            />
          )}
        />,
      ];
    }),
  ];

  const series =
    reading.signal === 'traffic' || reading.signal === 'saturation' ? (
      <AreaChart {...common}>
        <defs>
          <linearGradient id={`fill-${tier}-${reading.signal}`} x1="0" y1="0" x2="0" y2="1">
            <stop offset="0%" stopColor={colour} stopOpacity={0.35} />
            <stop offset="100%" stopColor={colour} stopOpacity={0.02} />
          </linearGradient>
        </defs>
        {axes}
        <Area
          dataKey="v"
          type="linear"
          stroke={colour}
          strokeWidth={1.6}
          fill={`url(#fill-${tier}-${reading.signal})`}
          isAnimationActive={false}
          dot={false}
          activeDot={{ r: 3, fill: colour, stroke: 'none' }}
        />
      </AreaChart>
    ) : (
      <LineChart {...common}>
        {axes}
        <Line
          dataKey="v"
          type="linear"
          stroke={colour}
          strokeWidth={1.6}
          isAnimationActive={false}
          dot={false}
          activeDot={{ r: 3, fill: colour, stroke: 'none' }}
        />
      </LineChart>
    );

  return (
    <figure
      className={`card chart-card chart-${reading.status}`}
      data-testid={`chart-${tier}-${reading.signal}`}
      data-points={reading.points.length}
      data-status={reading.status}
    >
      <figcaption className="chart-head">
        <div className="chart-title">
          <span className="chart-signal">{SIGNAL_NAMES[reading.signal]}</span>
          <span className="chart-label">{reading.label}</span>
        </div>
        <div className="chart-now">
          <span className={`status-dot dot-${reading.status}`} aria-label={reading.status} />
          <span className="num">{current.value}</span>
          {current.unit ? <span className="unit">{current.unit}</span> : null}
        </div>
      </figcaption>
      <div className="chart-body">
        {empty ? (
          <div className="chart-empty" data-testid="chart-empty">
            {metricsProblem ? `No data — ${sourceGist(metricsProblem)}.` : 'No data in this range.'}
          </div>
        ) : (
          series
        )}
        {hovered ? <ActivityTooltip hovered={hovered} /> : null}
      </div>
      {alarms.length > 0 ? (
        <div className="chart-foot chart-legend" data-testid="chart-legend" style={LEGEND_STYLE}>
          {sloInView ? (
            <span style={LEGEND_ITEM}>
              <LineSwatch colour={DEGRADED} dash={SLO_DASH} /> SLO ·
            </span>
          ) : null}
          <span style={LEGEND_ITEM}>
            <LineSwatch colour={ALARM} dash={ALARM_DASH} /> CloudWatch{' '}
            {alarms.length === 1 ? 'alarm' : 'alarms'}:
          </span>
          {alarms.map((alarm, i) => (
            <span
              key={alarm.name}
              title={describeAlarm(alarm, reading.unit)}
              style={alarmColour(alarm) === CRITICAL ? { color: CRITICAL } : undefined}
            >
              {shortAlarmName(alarm.name, 48)} {formatValue(alarm.threshold, reading.unit)}
              {alarm.state === 'ALARM' && !isScalingTrigger(alarm) ? ' in ALARM' : ''}
              {alarm.threshold > top ? ' (off scale)' : ''}
              {i < alarms.length - 1 ? ',' : ''}
            </span>
          ))}
        </div>
      ) : null}
      {activities && activities.length > 0 ? (
        <div className="chart-foot">
          <span className="legend-mark mark-out" /> scale-out
          <span className="legend-mark mark-in" /> scale-in · {activities.length} scaling{' '}
          {activities.length === 1 ? 'activity' : 'activities'}
        </div>
      ) : null}
      {metricsProblem && !empty ? (
        <div className="chart-foot chart-foot-problem">
          Stored data only — {sourceGist(metricsProblem)}.
        </div>
      ) : null}
      {activitiesProblem ? (
        <div className="chart-foot chart-foot-problem">
          No scaling markers — {sourceGist(activitiesProblem)}.
        </div>
      ) : null}
    </figure>
  );
}

const LEGEND_STYLE: CSSProperties = { flexWrap: 'wrap', columnGap: 6, rowGap: 0 };
const LEGEND_ITEM: CSSProperties = { display: 'inline-flex', alignItems: 'center', gap: 4 };

/** A short stretch of a threshold line, dashed as on the chart. */
function LineSwatch({ colour, dash }: { colour: string; dash: string }) {
  return (
    <svg width="22" height="6" aria-hidden="true">
      <line x1="0" y1="3" x2="22" y2="3" stroke={colour} strokeWidth="1.5" strokeDasharray={dash} />
    </svg>
  );
}

function ValueTooltip(props: TooltipContentProps & { unit: string }) {
  const { active, payload, label, unit } = props;
  const value = Number(payload?.[0]?.value);
  if (!active || !Number.isFinite(value) || typeof label !== 'number') return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-time">{formatDayTime(label)}</div>
      <div className="chart-tooltip-value">{formatValue(value, unit)}</div>
    </div>
  );
}

/** A triangle on the top edge: pointing up for scale-out (launch), down for scale-in (terminate). */
function ActivityMarker(props: {
  cx: number;
  cy: number;
  scaleIn: boolean;
  onEnter: (x: number, y: number) => void;
  onLeave: () => void;
}) {
  const { cx, cy, scaleIn, onEnter, onLeave } = props;
  if (!Number.isFinite(cx) || !Number.isFinite(cy)) return <g />;
  const top = cy + 2;
  const bottom = top + 7;
  const d = scaleIn
    ? `M${cx - 4.5},${top} L${cx + 4.5},${top} L${cx},${bottom} Z`
    : `M${cx - 4.5},${bottom} L${cx + 4.5},${bottom} L${cx},${top} Z`;
  return (
    <g
      className="activity-marker"
      onMouseEnter={() => onEnter(cx, bottom + 2)}
      onMouseLeave={onLeave}
    >
      <circle cx={cx} cy={top + 3.5} r={9} fill="transparent" />
      <path d={d} fill={scaleIn ? SCALE_IN : SCALE_OUT} />
    </g>
  );
}

function ActivityTooltip({ hovered }: { hovered: Hovered }) {
  const { activity, x, y } = hovered;
  return (
    <div
      className="chart-tooltip activity-tooltip"
      style={{ left: x, top: y }}
      role="tooltip"
      data-testid="activity-tooltip"
    >
      <div className="chart-tooltip-time">
        {formatDayTime(activity.startTime)} · {activity.group} · {activity.status}
      </div>
      <div className="activity-tooltip-desc">{activity.description}</div>
      <div className="activity-tooltip-cause">{activity.cause}</div>
    </div>
  );
}

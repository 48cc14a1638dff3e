// One golden signal of one tier over time, with its SLO thresholds, the thresholds of the
// CloudWatch alarms on its metrics and, on saturation charts, the Auto Scaling activities
// that changed capacity, as markers in a band above the plot (never over its labels).
import { useState, type SVGProps } from 'react';
import {
  Area,
  AreaChart,
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  usePlotArea,
  type TooltipContentProps,
} from 'recharts';
import type {
  ActivitiesTruncated,
  GoldenSignal,
  ScalingActivity,
  SignalAlarm,
  SignalReading,
  SourceStatus,
} from '@ballast/core';
import { formatNumber, shortUnit, unitKind, valueAxis as niceAxis } from '@ballast/core/format';
import { loadTestBands, type LoadTestWindow } from '../charts/load-test-bands.js';
import { activityMarks, MARK_WIDTH, type ActivityMark } from '../charts/activity-buckets.js';
import {
  AXIS,
  CHART_HEIGHT,
  CRITICAL,
  DEGRADED,
  GRID,
  LineSwatch,
  plotGeometry,
  SLO_DASH,
  timeAxis,
  useElementWidth,
  valueAxisElement,
} from '../charts/chart-kit.js';
import { placeLabels, type LabelRequest, type PlacedLabel } from '../charts/label-layout.js';
import { textWidth } from '../charts/text-width.js';
import { sourceGist, staleTag } from '../components/SourceBanners.js';
import { formatClock, formatDayTime, formatParts, formatValue, SIGNAL_NAMES } from '../format.js';

const SIGNAL_COLOURS: Record<GoldenSignal, string> = {
  traffic: '#5b9cf5',
  errors: '#f472b6',
  latency: '#a78bfa',
  saturation: '#2dd4bf',
};
const SCALE_OUT = '#60a5fa';
const SCALE_IN = '#c084fc';
/** Alarm thresholds: periwinkle dash-dot, unlike the amber and red dashes of the SLO. */
const ALARM = '#8fa3ff';
const ALARM_DASH = '9 3 2 3';

/** Individual activities get a faint vertical line too, while there are this few. */
const MAX_ACTIVITY_LINES = 12;
/** The band above the plot that holds the scaling markers: a row for each direction. */
const MARK_BAND = 28;
const MARK_ROW = { out: -20, in: -7 } as const;

/**
 * The value axis: from 0 to a round top. Thresholds near the data are kept in view so their
 * lines mean something; one far above the data would flatten the curve, so it is left out
 * (the legend notes it as off the scale).
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

/**
 * Auto Scaling's own target-tracking alarms: AlarmLow sits in ALARM whenever the group could
 * scale in, so their state is not a health problem and never turns their line red. Core's
 * rule (alarmStanding), carried on each alarm.
 */
function isScalingTrigger(alarm: SignalAlarm): boolean {
  return alarm.scalingTrigger;
}

/** "scale-out" / "scale-in" for target tracking's AlarmHigh / AlarmLow, else the name, cut short. */
function shortAlarmName(alarm: SignalAlarm, max = 28): string {
  if (alarm.scaling) return `scale-${alarm.scaling}`;
  const { name } = alarm;
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

/** A threshold line of the chart: an SLO bound or an alarm's threshold. */
interface Threshold {
  id: string;
  value: number;
  text: string;
  colour: string;
  dash: string;
  prefer: 'left' | 'right';
  alarm?: SignalAlarm;
}

interface Hovered {
  mark: ActivityMark;
  x: number;
  y: number;
}

export function SignalChart(props: {
  tier: string;
  reading: SignalReading;
  window: { start: number; end: number };
  /** scaling activities to mark (saturation charts of tiers with an Auto Scaling group) */
  activities?: ScalingActivity[];
  /** groups of this tier whose activities in the window were not all read */
  activitiesTruncated?: ActivitiesTruncated[];
  /** set when CloudWatch metrics failed: the chart shows stored data, or nothing, and says why */
  metricsProblem?: SourceStatus;
  /** set when the Auto Scaling source failed, so missing markers are explained */
  activitiesProblem?: SourceStatus;
  /** load-test windows, drawn as bands behind the data */
  loadTests?: readonly LoadTestWindow[];
}) {
  const { tier, reading, window, activities, activitiesTruncated = [] } = props;
  const { metricsProblem, activitiesProblem } = props;
  const [bodyRef, width] = useElementWidth<HTMLDivElement>();
  const [hovered, setHovered] = useState<Hovered>();
  const colour = SIGNAL_COLOURS[reading.signal];
  const unit = reading.unit;
  const { degraded, critical } = reading.threshold ?? {};
  const dataMax = reading.points.reduce((m, p) => Math.max(m, p.v), 0);
  const alarms = reading.alarms;
  const axis = valueAxis(
    unit,
    dataMax,
    degraded,
    critical,
    alarms.map((a) => a.threshold),
  );
  const top = axis.top;
  // Ticks of percentages and durations carry their unit; plain counts get an axis title.
  const axisTitle = unitKind(unit) === 'plain' ? shortUnit(unit) || 'count' : undefined;
  const markers = activities !== undefined;
  const geometry = plotGeometry(width, axis, {
    extraTop: markers ? MARK_BAND : 0,
    axisTitle: axisTitle !== undefined,
  });
  const { plot } = geometry;

  // SLO bounds first (critical, then degraded), then alarms: the order labels claim space.
  const thresholds: Threshold[] = [
    ...(critical !== undefined
      ? [sloThreshold('critical', critical, `critical ${formatValue(critical, unit)}`, CRITICAL)]
      : []),
    ...(degraded !== undefined
      ? [sloThreshold('degraded', degraded, `SLO ${formatValue(degraded, unit)}`, DEGRADED)]
      : []),
    ...alarms.map((alarm) => ({
      id: `alarm:${alarm.name}`,
      value: alarm.threshold,
      text: `alarm ${shortAlarmName(alarm)} ${formatValue(alarm.threshold, unit)}`,
      colour: alarmColour(alarm),
      dash: ALARM_DASH,
      prefer: 'left' as const,
      alarm,
    })),
  ];
  const inView = thresholds.filter((t) => t.value <= top);
  const toY = (v: number) => plot.height * (1 - Math.min(v, top) / top);
  const span = Math.max(1, window.end - window.start);
  const labels = placeLabels(
    // SLO labels may touch a crowding line; alarm labels need a clear spot (the legend
    // lists every alarm with its threshold anyway).
    inView.map((t): LabelRequest => ({
      id: t.id,
      text: t.text,
      y: toY(t.value),
      prefer: t.prefer,
      mayTouchLines: !t.alarm,
    })),
    plot,
    reading.points.map((p) => ({ x: ((p.t - window.start) / span) * plot.width, y: toY(p.v) })),
    // The top margin, unless the scaling markers' band holds it.
    markers ? 0 : geometry.margin.top - 2,
  );
  // What the chart cannot show is said in its legend: SLO lines off the scale or unlabelled.
  const sloNotes = thresholds.filter((t) => !t.alarm && (t.value > top || !labels.has(t.id)));

  const current = formatParts(reading.current, unit);
  const empty = reading.points.length === 0;
  const marks = markers ? activityMarks(activities, window, plot.width) : undefined;
  const inWindow = marks?.marks.reduce((n, m) => n + m.activities.length, 0) ?? 0;
  // Over days there can be dozens of activities: then the markers alone, not a curtain of lines.
  const activityLines =
    marks && marks.bucketMs === undefined && inWindow <= MAX_ACTIVITY_LINES ? marks.marks : [];

  const common = {
    data: reading.points,
    margin: geometry.margin,
    width,
    height: CHART_HEIGHT,
  };

  const layers = [
    <CartesianGrid key="grid" stroke={GRID} vertical={false} />,
    ...loadTestBands(props.loadTests),
    timeAxis(window, geometry),
    valueAxisElement(axis, geometry, axisTitle),
    <Tooltip
      key="tooltip"
      isAnimationActive={false}
      cursor={{ stroke: AXIS, strokeDasharray: '3 3' }}
      content={(p: TooltipContentProps) => <ValueTooltip {...p} unit={unit} />}
    />,
    // Alarm lines first, so an SLO line at the same value (the ALB's p99 alarm sits on the
    // critical SLO) keeps its dashes on top.
    ...[...inView].reverse().map((t) => (
      <ReferenceLine
        key={t.id}
        y={t.value}
        stroke={t.colour}
        strokeDasharray={t.dash}
        strokeWidth={t.alarm ? 1.2 : 1}
        ifOverflow="hidden"
        shape={(line: SVGProps<SVGLineElement>) => (
          <line
            {...line}
            className="recharts-reference-line-line"
            {...(t.alarm
              ? {
                  'data-testid': 'alarm-line',
                  'data-alarm': t.alarm.name,
                  'data-state': t.alarm.state,
                }
              : { 'data-testid': 'slo-line', 'data-slo': t.id })}
          />
        )}
      />
    )),
    ...activityLines.map((m) => (
      <ReferenceLine
        key={`l-${m.activities[0]!.id}`}
        x={m.t}
        stroke={m.direction === 'in' ? SCALE_IN : SCALE_OUT}
        strokeOpacity={0.45}
        strokeDasharray="2 3"
      />
    )),
    <ThresholdLabels
      key="labels"
      labels={[...labels.values()]}
      colours={new Map(inView.map((t) => [t.id, t.colour]))}
    />,
    marks ? (
      <ActivityMarks
        key="marks"
        marks={marks.marks}
        window={window}
        onEnter={(mark, x, y) => setHovered({ mark, x, y })}
        onLeave={(mark) => setHovered((h) => (h?.mark === mark ? undefined : h))}
      />
    ) : null,
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
        {layers}
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
        {layers}
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
      <div className="chart-body" ref={bodyRef}>
        {empty ? (
          <div className="chart-empty" data-testid="chart-empty">
            {metricsProblem ? `No data — ${sourceGist(metricsProblem)}.` : 'No data in this range.'}
          </div>
        ) : width > 0 ? (
          series
        ) : null}
        {hovered ? <ActivityTooltip hovered={hovered} width={width} /> : null}
      </div>
      {alarms.length > 0 || sloNotes.length > 0 ? (
        <div className="chart-foot chart-legend" data-testid="chart-legend">
          {degraded !== undefined || critical !== undefined ? (
            <span className="legend-item">
              <LineSwatch colour={DEGRADED} dash={SLO_DASH} /> SLO
              {sloNotes.length > 0 ? ':' : alarms.length > 0 ? ' ·' : ''}
            </span>
          ) : null}
          {sloNotes.map((t, i) => (
            <span key={t.id} data-testid="slo-note" style={{ color: t.colour }}>
              {t.text.replace(/^SLO /, '')}
              {t.value > top ? ' (off scale)' : ''}
              {i < sloNotes.length - 1 ? ',' : alarms.length > 0 ? ' ·' : ''}
            </span>
          ))}
          {alarms.length > 0 ? (
            <span className="legend-item">
              <LineSwatch colour={ALARM} dash={ALARM_DASH} /> CloudWatch{' '}
              {alarms.length === 1 ? 'alarm' : 'alarms'}:
            </span>
          ) : null}
          {alarms.map((alarm, i) => (
            <span
              key={alarm.name}
              title={describeAlarm(alarm, unit)}
              style={alarmColour(alarm) === CRITICAL ? { color: CRITICAL } : undefined}
            >
              {shortAlarmName(alarm, 48)} {formatValue(alarm.threshold, unit)}
              {alarm.state === 'ALARM' && !isScalingTrigger(alarm) ? ' in ALARM' : ''}
              {alarm.threshold > top ? ' (off scale)' : ''}
              {i < alarms.length - 1 ? ',' : ''}
            </span>
          ))}
        </div>
      ) : null}
      {marks && inWindow > 0 ? (
        <div className="chart-foot chart-legend" data-testid="activity-legend">
          <span className="legend-item">
            <span className="legend-mark mark-out" /> scale-out
          </span>
          <span className="legend-item">
            <span className="legend-mark mark-in" /> scale-in
          </span>
          <span data-testid="activity-count" data-count={inWindow}>
            {formatNumber(inWindow)} scaling {inWindow === 1 ? 'activity' : 'activities'}
            {marks.bucketMs !== undefined ? `, counted per ${bucketWords(marks.bucketMs)}` : ''}
          </span>
        </div>
      ) : null}
      {activitiesTruncated.map((cut) => (
        <div key={cut.group} className="chart-foot chart-foot-problem" data-testid="activities-cut">
          Markers of {cut.group} start {formatDayTime(cut.from)}: it had more than{' '}
          {cut.limit.toLocaleString('en-US')} scaling activities in this range, the newest are
          shown.
        </div>
      ))}
      {metricsProblem && !empty ? (
        <div className="chart-foot chart-foot-problem" data-testid="chart-stale">
          {staleTag(metricsProblem).replace(/^stale/, 'Stale')} — stored data, see the banner above
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

function sloThreshold(id: string, value: number, text: string, colour: string): Threshold {
  return { id, value, text, colour, dash: SLO_DASH, prefer: 'right' };
}

/** "15 minutes", "3 hours", "day" for the legend of bucketed markers. */
function bucketWords(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return hours === 1 ? 'hour' : `${hours} hours`;
  const days = Math.round(hours / 24);
  return days === 1 ? 'day' : `${days} days`;
}

/** The threshold labels where the layout put them (inside the plot, off the series). */
function ThresholdLabels(props: { labels: PlacedLabel[]; colours: Map<string, string> }) {
  const area = usePlotArea();
  if (!area) return null;
  return (
    <g className="threshold-labels">
      {props.labels.map((label) => (
        <text
          key={label.id}
          data-testid="threshold-label"
          data-label={label.id}
          x={area.x + label.x}
          y={area.y + label.baseline}
          textAnchor={label.anchor}
          fontSize={11}
          fill={props.colours.get(label.id)}
        >
          {label.text}
        </text>
      ))}
    </g>
  );
}

/**
 * The scaling markers in the band above the plot: scale-out on the upper row, scale-in on the
 * lower; a triangle for one activity, a pill with the count for a bucket of them.
 */
function ActivityMarks(props: {
  marks: ActivityMark[];
  window: { start: number; end: number };
  onEnter: (mark: ActivityMark, x: number, y: number) => void;
  onLeave: (mark: ActivityMark) => void;
}) {
  const area = usePlotArea();
  if (!area) return null;
  const { marks, window, onEnter, onLeave } = props;
  const span = Math.max(1, window.end - window.start);
  return (
    <g className="activity-marks">
      {marks.map((mark) => {
        const cx = area.x + ((mark.t - window.start) / span) * area.width;
        const cy = area.y + MARK_ROW[mark.direction];
        const count = mark.activities.length;
        const fill = mark.direction === 'in' ? SCALE_IN : SCALE_OUT;
        const half = count === 1 ? 4.5 : Math.max(8, (textWidth(String(count), 10) + 8) / 2);
        return (
          <g
            key={`${mark.direction}:${mark.from}:${mark.activities[0]!.id}`}
            className="activity-marker"
            data-testid="activity-mark"
            data-direction={mark.direction}
            data-count={count}
            onMouseEnter={() => onEnter(mark, cx, area.y + 2)}
            onMouseLeave={() => onLeave(mark)}
          >
            <title>{markTitle(mark)}</title>
            <rect
              x={cx - MARK_WIDTH / 2}
              y={cy - 7}
              width={MARK_WIDTH}
              height={14}
              fill="transparent"
            />
            {count === 1 ? (
              <path
                d={
                  mark.direction === 'in'
                    ? `M${cx - half},${cy - 3.5} L${cx + half},${cy - 3.5} L${cx},${cy + 3.5} Z`
                    : `M${cx - half},${cy + 3.5} L${cx + half},${cy + 3.5} L${cx},${cy - 3.5} Z`
                }
                fill={fill}
              />
            ) : (
              <>
                <rect x={cx - half} y={cy - 6} width={2 * half} height={12} rx={6} fill={fill} />
                <text
                  x={cx}
                  y={cy + 3.5}
                  textAnchor="middle"
                  fontSize={10}
                  fontWeight={700}
                  fill="#0b0d11"
                >
                  {count}
                </text>
              </>
            )}
          </g>
        );
      })}
    </g>
  );
}

/** "12 launches, 14:00–15:00 Fri 27 Nov" for a bucket; the activity's description for one. */
function markTitle(mark: ActivityMark): string {
  const count = mark.activities.length;
  if (count === 1) return `${formatDayTime(mark.t)}: ${mark.activities[0]!.description}`;
  const what = mark.direction === 'in' ? 'terminations (scale-in)' : 'launches (scale-out)';
  return `${count} ${what}, ${formatDayTime(mark.from)}–${formatClock(mark.to)}`;
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

/** Details of the hovered marker, kept inside the chart's width. */
function ActivityTooltip({ hovered, width }: { hovered: Hovered; width: number }) {
  const { mark, x, y } = hovered;
  const tooltipWidth = Math.min(300, width - 8);
  const left = Math.min(Math.max(x, tooltipWidth / 2 + 4), width - tooltipWidth / 2 - 4);
  const shown = mark.activities.slice(0, 3);
  const groups = [...new Set(mark.activities.map((a) => a.group))].join(', ');
  return (
    <div
      className="chart-tooltip activity-tooltip"
      style={{ left, top: y, width: tooltipWidth }}
      role="tooltip"
      data-testid="activity-tooltip"
    >
      <div className="chart-tooltip-time">
        {mark.activities.length === 1
          ? `${formatDayTime(mark.t)} · ${groups} · ${mark.activities[0]!.status}`
          : `${markTitle(mark)} · ${groups}`}
      </div>
      {shown.map((a) => (
        <div key={a.id} className="activity-tooltip-desc">
          {mark.activities.length > 1 ? `${formatClock(a.startTime)} ` : ''}
          {a.description}
        </div>
      ))}
      {mark.activities.length === 1 ? (
        <div className="activity-tooltip-cause">{mark.activities[0]!.cause}</div>
      ) : mark.activities.length > shown.length ? (
        <div className="activity-tooltip-cause">
          and {mark.activities.length - shown.length} more
        </div>
      ) : null}
    </div>
  );
}

// One golden signal of one tier over time, with its SLO thresholds and, on saturation
// charts, the Auto Scaling activities that changed capacity.
import { useState } from 'react';
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
import type { GoldenSignal, ScalingActivity, SignalReading, SourceStatus } from '@ballast/core';
import type { Range } from '../api.js';
import { sourceGist } from '../components/SourceBanners.js';
import {
  axisUnit,
  formatClock,
  formatDay,
  formatDayTime,
  formatParts,
  formatTick,
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
 * curve, so it is left out (the chart's header and the Overview still state it).
 */
function valueAxis(
  unit: string,
  dataMax: number,
  degraded?: number,
  critical?: number,
): { top: number; ticks: number[] } {
  const candidates = [dataMax * 1.1];
  if (degraded !== undefined && (dataMax === 0 || degraded <= dataMax * 4))
    candidates.push(degraded * 1.05);
  if (critical !== undefined && critical <= dataMax * 1.5) candidates.push(critical * 1.05);
  let wanted = Math.max(...candidates) || 1;
  // Utilization and rates in percent stop at 100, so the axis does too.
  if (/^(%|percent)$/i.test(unit.trim()) && dataMax <= 100) wanted = Math.min(wanted, 100);
  // Durations step in whole seconds or minutes once they are that long.
  const ms = /^(milliseconds|ms)$/i.test(unit.trim());
  const scale = ms && wanted >= 4 * 60_000 ? 60_000 : ms && wanted >= 4_000 ? 1_000 : 1;

  let best = { top: Infinity, step: 1 };
  for (const segments of [4, 5, 3]) {
    const step = niceStep(wanted / scale / segments) * scale;
    if (step * segments < best.top) best = { top: step * segments, step };
  }
  const ticks = Array.from(
    { length: Math.round(best.top / best.step) + 1 },
    (_, i) => i * best.step,
  );
  return { top: best.top, ticks };
}

/** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least `raw`. */
function niceStep(raw: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const factor = [1, 2, 2.5, 5, 10].find((f) => f * magnitude >= raw * (1 - 1e-9)) ?? 10;
  return factor * magnitude;
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
  const { top, ticks: valueTicks } = valueAxis(reading.unit, dataMax, degraded, critical);
  const current = formatParts(reading.current, reading.unit);
  const ticks = timeTicks(window.start, window.end, range);
  const tickFormatter = TICK_STEP[range] >= DAY ? formatDay : formatClock;
  const empty = reading.points.length === 0;
  // Over days there can be dozens of activities: then the markers alone, not a curtain of lines.
  const drawActivityLines = (activities?.length ?? 0) <= MAX_ACTIVITY_LINES;
  // Ticks of percentages and durations carry their unit; plain counts get an axis title.
  const unitLabel = axisUnit(reading.unit);

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
      tickFormatter={(v: number) => formatTick(v, reading.unit)}
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
    degraded !== undefined ? (
      <ReferenceLine
        key="degraded"
        y={degraded}
        stroke={DEGRADED}
        strokeDasharray="5 4"
        ifOverflow="hidden"
        // Under its line, while the critical label sits above its own: they never collide.
        label={{
          value: `SLO ${formatValue(degraded, reading.unit)}`,
          position: 'insideTopRight',
          fill: DEGRADED,
          fontSize: 11,
        }}
      />
    ) : null,
    critical !== undefined ? (
      <ReferenceLine
        key="critical"
        y={critical}
        stroke={CRITICAL}
        strokeDasharray="5 4"
        ifOverflow="hidden"
        label={{
          value: `critical ${formatValue(critical, reading.unit)}`,
          position: 'insideBottomRight',
          fill: CRITICAL,
          fontSize: 11,
        }}
      />
    ) : null,
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

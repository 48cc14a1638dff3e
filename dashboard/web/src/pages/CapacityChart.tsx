// One Auto Scaling group's capacity over the window: in service as on-demand and spot areas,
// desired capacity as a line, the group's maximum as a red dashed ceiling, and every stretch
// in which desired stood at that ceiling shaded, so "the fleet could not grow" is seen at a
// glance (the workers on a sale day: pinned at their max while the queue ages for hours).
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ReferenceDot,
  Tooltip,
  type TooltipContentProps,
} from 'recharts';
import type { CapacityPoint, GroupCapacity, SourceStatus } from '@ballast/core';
import { formatDuration, formatNumber, valueAxis } from '@ballast/core/format';
import {
  AXIS,
  CHART_HEIGHT,
  CRITICAL,
  GRID,
  LineSwatch,
  plotGeometry,
  timeAxis,
  useElementWidth,
  valueAxisElement,
} from '../charts/chart-kit.js';
import { loadTestBands, type LoadTestWindow } from '../charts/load-test-bands.js';
import { sourceGist } from '../components/SourceBanners.js';
import { formatClock, formatDayTime } from '../format.js';

const ON_DEMAND = '#5b9cf5';
const SPOT = '#2dd4bf';
const IN_SERVICE = '#8b93a3';
const DESIRED = '#e6e9ef';
const MAX_DASH = '6 3';
/** spot interruption warnings: amber ticks along the bottom of the chart */
const INTERRUPTION = '#f5a524';

/** In service as areas: on-demand and spot stacked where the split is known, else one. */
const SPLIT_AREAS = [
  { key: 'onDemand', name: 'on-demand', colour: ON_DEMAND },
  { key: 'spot', name: 'spot', colour: SPOT },
] as const;
const IN_SERVICE_AREA = { key: 'inService', name: 'in service', colour: IN_SERVICE } as const;

const SPLIT_NOTE: Record<GroupCapacity['split'], string> = {
  distribution:
    'On-demand and spot follow the group’s instances distribution: Auto Scaling publishes no metric per purchase option.',
  'on-demand': 'The group has no mixed instances policy: all of it runs on-demand.',
  unknown: 'The on-demand/spot split is unknown: the group could not be described.',
};

export function CapacityChart(props: {
  capacity: GroupCapacity;
  window: { start: number; end: number };
  /** set when CloudWatch metrics failed */
  metricsProblem?: SourceStatus;
  /** set when DescribeAutoScalingGroups failed (the split is then unknown) */
  scalingProblem?: SourceStatus;
  /** load-test windows, drawn as bands behind the data */
  loadTests?: readonly LoadTestWindow[];
}) {
  const { capacity, window, metricsProblem, scalingProblem } = props;
  const [bodyRef, width] = useElementWidth<HTMLDivElement>();
  const points = capacity.points;
  const latest = [...points].reverse().find((p) => p.inService !== undefined);
  const latestMax = [...points].reverse().find((p) => p.max !== undefined)?.max;
  const highest = points.reduce(
    (m, p) => Math.max(m, p.max ?? 0, p.desired ?? 0, p.inService ?? 0),
    0,
  );
  const axis = valueAxis(Math.max(1, highest * 1.08), 'instances');
  const geometry = plotGeometry(width, axis, { axisTitle: true });
  const split = capacity.split !== 'unknown';

  // The stretches at the maximum, clipped to the window, and how long they last in it.
  const atMax = capacity.atMax
    .map((s) => ({ start: Math.max(s.start, window.start), end: Math.min(s.end, window.end) }))
    .filter((s) => s.end > s.start);
  const atMaxMs = atMax.reduce((n, s) => n + s.end - s.start, 0);
  const longest = atMax.reduce<(typeof atMax)[number] | undefined>(
    (a, s) => (!a || s.end - s.start > a.end - a.start ? s : a),
    undefined,
  );
  const atMaxNow =
    latest?.desired !== undefined && latestMax !== undefined && latest.desired >= latestMax;
  const interrupted = points.filter((p) => (p.interruptions ?? 0) > 0);
  const interruptions = interrupted.reduce((n, p) => n + (p.interruptions ?? 0), 0);
  const plotSpan = Math.max(1, window.end - window.start);
  const spanLabelFits = (s: { start: number; end: number }) =>
    ((s.end - s.start) / plotSpan) * geometry.plot.width >= 44;

  const chart = (
    <ComposedChart
      data={points}
      margin={geometry.margin}
      width={width}
      height={CHART_HEIGHT}
      accessibilityLayer
    >
      <CartesianGrid stroke={GRID} vertical={false} />
      {loadTestBands(props.loadTests)}
      {timeAxis(window, geometry)}
      {valueAxisElement(axis, geometry, 'instances')}
      <Tooltip
        isAnimationActive={false}
        cursor={{ stroke: AXIS, strokeDasharray: '3 3' }}
        content={(p: TooltipContentProps) => <CapacityTooltip {...p} split={split} />}
      />
      {atMax.map((s) => (
        <ReferenceArea
          key={`max-${s.start}`}
          x1={s.start}
          x2={s.end}
          ifOverflow="hidden"
          fill={CRITICAL}
          fillOpacity={0.14}
          stroke="none"
          shape={(area: { x?: number; y?: number; width?: number; height?: number }) => (
            <rect
              x={area.x}
              y={area.y}
              width={area.width}
              height={area.height}
              fill={CRITICAL}
              fillOpacity={0.14}
              data-testid="at-max-span"
            />
          )}
          label={
            spanLabelFits(s)
              ? { value: 'at max', position: 'insideTopLeft', fill: CRITICAL, fontSize: 11 }
              : undefined
          }
        />
      ))}
      {(split ? SPLIT_AREAS : [IN_SERVICE_AREA]).map((area) => (
        <Area
          key={area.key}
          dataKey={area.key}
          name={area.name}
          stackId="in-service"
          type="stepAfter"
          stroke={area.colour}
          strokeWidth={1}
          fill={area.colour}
          fillOpacity={0.32}
          isAnimationActive={false}
        />
      ))}
      <Line
        dataKey="max"
        name="max"
        type="stepAfter"
        stroke={CRITICAL}
        strokeDasharray={MAX_DASH}
        strokeWidth={1.4}
        dot={false}
        isAnimationActive={false}
      />
      <Line
        dataKey="desired"
        name="desired"
        type="stepAfter"
        stroke={DESIRED}
        strokeWidth={1.6}
        dot={false}
        activeDot={{ r: 3, fill: DESIRED, stroke: 'none' }}
        isAnimationActive={false}
      />
      {interrupted.map((p) => (
        <ReferenceDot
          key={`spot-${p.t}`}
          x={p.t}
          y={0}
          ifOverflow="visible"
          shape={(dot: { cx?: number; cy?: number }) => (
            <path
              d={`M${dot.cx ?? 0},${(dot.cy ?? 0) - 9} l4,7 h-8 z`}
              fill={INTERRUPTION}
              data-testid="spot-interruption"
            >
              <title>
                {`${formatNumber(p.interruptions ?? 0)} spot interruption warning${p.interruptions === 1 ? '' : 's'} · ${formatDayTime(p.t)}`}
              </title>
            </path>
          )}
        />
      ))}
    </ComposedChart>
  );

  return (
    <figure
      className={`card chart-card capacity-card ${atMaxNow ? 'chart-critical' : ''}`}
      data-testid={`capacity-${capacity.group}`}
      data-points={points.length}
      data-split={capacity.split}
      data-at-max-ms={atMaxMs}
    >
      <figcaption className="chart-head">
        <div className="chart-title">
          <span className="chart-signal">Capacity</span>
          <span className="chart-label">{capacity.group}</span>
          {atMaxNow ? (
            <span className="pill pill-critical" data-testid="at-max-now">
              at max
            </span>
          ) : null}
        </div>
        {latest ? (
          <div className="chart-now" title="in service, desired and maximum capacity now">
            <span className="num">{formatNumber(latest.inService ?? NaN)}</span>
            <span className="unit">
              in service · {formatNumber(latest.desired ?? NaN)} desired · max{' '}
              {formatNumber(latestMax ?? NaN)}
            </span>
          </div>
        ) : null}
      </figcaption>
      <div className="chart-body" ref={bodyRef}>
        {points.length === 0 ? (
          <div className="chart-empty" data-testid="chart-empty">
            {metricsProblem
              ? `No data — ${sourceGist(metricsProblem)}.`
              : `No group metrics for ${capacity.group} in this range: Auto Scaling publishes them once group metrics collection is enabled on the group.`}
          </div>
        ) : width > 0 ? (
          chart
        ) : null}
      </div>
      <div className="chart-foot chart-legend" data-testid="capacity-legend">
        {split ? (
          <>
            <span className="legend-item" title={SPLIT_NOTE[capacity.split]}>
              <span className="legend-box" style={{ background: ON_DEMAND }} /> on-demand
            </span>
            <span className="legend-item" title={SPLIT_NOTE[capacity.split]}>
              <span className="legend-box" style={{ background: SPOT }} /> spot
            </span>
          </>
        ) : (
          <span className="legend-item">
            <span className="legend-box" style={{ background: IN_SERVICE }} /> in service
          </span>
        )}
        <span className="legend-item">
          <LineSwatch colour={DESIRED} /> desired
        </span>
        <span className="legend-item">
          <LineSwatch colour={CRITICAL} dash={MAX_DASH} /> max
        </span>
        {atMax.length > 0 ? (
          <span className="legend-item">
            <span className="legend-box legend-at-max" /> at max
          </span>
        ) : null}
        {capacity.interruptionsCounted ? (
          <span
            className="legend-item"
            data-testid="spot-interruptions"
            title="Two-minute warnings before EC2 reclaims a spot instance; Auto Scaling replaces it."
          >
            <span style={{ color: INTERRUPTION }}>▲</span> {formatNumber(interruptions)} spot
            interruption{interruptions === 1 ? '' : 's'} in this range
          </span>
        ) : null}
      </div>
      {longest ? (
        <div className="chart-foot capacity-at-max" data-testid="at-max-summary">
          Desired capacity stood at its maximum for {formatDuration(atMaxMs)} in this range
          {atMax.length > 1 ? `; longest ` : ': '}
          {formatDayTime(longest.start)}–
          {longest.end - longest.start < 86_400_000
            ? formatClock(longest.end)
            : formatDayTime(longest.end)}
          .
        </div>
      ) : null}
      {!split ? (
        <div className="chart-foot chart-foot-problem">
          {scalingProblem
            ? `On-demand/spot split unknown — ${sourceGist(scalingProblem)}.`
            : SPLIT_NOTE.unknown}
        </div>
      ) : null}
      {metricsProblem && points.length > 0 ? (
        <div className="chart-foot chart-foot-problem">
          Stored data only — {sourceGist(metricsProblem)}.
        </div>
      ) : null}
    </figure>
  );
}

function CapacityTooltip(props: TooltipContentProps & { split: boolean }) {
  const { active, payload, label, split } = props;
  const point = payload?.[0]?.payload as CapacityPoint | undefined;
  if (!active || !point || typeof label !== 'number') return null;
  const n = (v: number | undefined) => (v === undefined ? '—' : formatNumber(v));
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-time">{formatDayTime(label)}</div>
      <div className="chart-tooltip-value">
        {n(point.inService)} in service of {n(point.desired)} desired, max {n(point.max)}
      </div>
      {split ? (
        <div className="chart-tooltip-time">
          {n(point.onDemand)} on-demand · {n(point.spot)} spot
        </div>
      ) : null}
      {point.interruptions ? (
        <div className="chart-tooltip-time">
          {n(point.interruptions)} spot interruption warning{point.interruptions === 1 ? '' : 's'}
        </div>
      ) : null}
    </div>
  );
}

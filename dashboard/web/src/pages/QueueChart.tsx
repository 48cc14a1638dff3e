// A worker fleet against the queue it drains: messages waiting (area, left axis) and workers
// in service (line, right axis) on one time axis, so "the queue grew while the fleet sat at
// its max" or "the fleet grew and the queue fell" is read at a glance.
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  Tooltip,
  YAxis,
  type TooltipContentProps,
} from 'recharts';
import type { GroupCapacity, QueueDepth } from '@ballast/core';
import { formatNumber, valueAxis } from '@ballast/core/format';
import {
  AXIS,
  CHART_HEIGHT,
  GRID,
  LineSwatch,
  plotGeometry,
  timeAxis,
  useElementWidth,
  valueAxisElement,
} from '../charts/chart-kit.js';
import { formatDayTime } from '../format.js';

const DEPTH = '#a78bfa';
const WORKERS = '#e6e9ef';
/** room for the right-hand axis of workers */
const RIGHT_AXIS_WIDTH = 36;

interface Row {
  t: number;
  depth?: number;
  workers?: number;
}

/** Depth and in-service points joined on their time (both come at the same period). */
function rows(queue: QueueDepth, capacity: GroupCapacity | undefined): Row[] {
  const byTime = new Map<number, Row>();
  const at = (t: number) => byTime.get(t) ?? byTime.set(t, { t }).get(t)!;
  for (const p of queue.points) at(p.t).depth = p.v;
  for (const p of capacity?.points ?? [])
    if (p.inService !== undefined) at(p.t).workers = p.inService;
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}

export function QueueChart(props: {
  queue: QueueDepth;
  capacity: GroupCapacity | undefined;
  window: { start: number; end: number };
}) {
  const { queue, capacity, window } = props;
  const [bodyRef, width] = useElementWidth<HTMLDivElement>();
  const data = rows(queue, capacity);
  const deepest = data.reduce((m, r) => Math.max(m, r.depth ?? 0), 0);
  const mostWorkers = data.reduce((m, r) => Math.max(m, r.workers ?? 0), 0);
  const depthAxis = valueAxis(Math.max(1, deepest * 1.08), 'messages');
  const workerAxis = valueAxis(Math.max(1, mostWorkers * 1.08), 'instances');
  const base = plotGeometry(width, depthAxis, { axisTitle: true });
  const geometry = {
    ...base,
    margin: { ...base.margin, right: RIGHT_AXIS_WIDTH },
    plot: {
      ...base.plot,
      width: Math.max(0, base.plot.width - RIGHT_AXIS_WIDTH + base.margin.right),
    },
  };
  const latest = [...queue.points].reverse()[0];

  return (
    <figure
      className="card chart-card"
      data-testid={`queue-${queue.queue}`}
      data-points={data.length}
    >
      <figcaption className="chart-head">
        <div className="chart-title">
          <span className="chart-signal">Queue</span>
          <span className="chart-label">
            {queue.queue} against {capacity?.group ?? 'its workers'}
          </span>
        </div>
        {latest ? (
          <div className="chart-now" title="messages waiting in the latest period">
            <span className="num">{formatNumber(latest.v)}</span>
            <span className="unit">waiting</span>
          </div>
        ) : null}
      </figcaption>
      <div className="chart-body" ref={bodyRef}>
        {data.length === 0 ? (
          <div className="chart-empty">No queue metrics for {queue.queue} in this range.</div>
        ) : width > 0 ? (
          <ComposedChart
            data={data}
            margin={geometry.margin}
            width={width}
            height={CHART_HEIGHT}
            accessibilityLayer
          >
            <CartesianGrid stroke={GRID} vertical={false} />
            {timeAxis(window, geometry)}
            {valueAxisElement(depthAxis, geometry, 'messages')}
            <YAxis
              yAxisId="workers"
              orientation="right"
              domain={[0, workerAxis.top]}
              ticks={workerAxis.ticks}
              interval={0}
              tickFormatter={(v: number) => formatNumber(v)}
              stroke={AXIS}
              tick={{ fontSize: 11, fill: AXIS }}
              tickLine={false}
              axisLine={false}
              width={RIGHT_AXIS_WIDTH}
              allowDataOverflow
            />
            <Tooltip
              isAnimationActive={false}
              cursor={{ stroke: AXIS, strokeDasharray: '3 3' }}
              content={(p: TooltipContentProps) => <QueueTooltip {...p} />}
            />
            <Area
              dataKey="depth"
              name="messages waiting"
              type="monotone"
              stroke={DEPTH}
              strokeWidth={1.2}
              fill={DEPTH}
              fillOpacity={0.25}
              connectNulls
              isAnimationActive={false}
            />
            <Line
              yAxisId="workers"
              dataKey="workers"
              name="workers"
              type="stepAfter"
              stroke={WORKERS}
              strokeWidth={1.6}
              dot={false}
              // depth and capacity are downsampled apart: join the line across the other's times
              connectNulls
              isAnimationActive={false}
            />
          </ComposedChart>
        ) : null}
      </div>
      <div className="chart-foot chart-legend">
        <span className="legend-item">
          <span className="legend-box" style={{ background: DEPTH }} /> messages waiting (left)
        </span>
        <span className="legend-item">
          <LineSwatch colour={WORKERS} /> workers in service (right)
        </span>
      </div>
    </figure>
  );
}

function QueueTooltip(props: TooltipContentProps) {
  const { active, payload, label } = props;
  const row = payload?.[0]?.payload as Row | undefined;
  if (!active || !row || typeof label !== 'number') return null;
  const n = (v: number | undefined) => (v === undefined ? '—' : formatNumber(v));
  const perWorker =
    row.depth !== undefined && row.workers
      ? ` · ${formatNumber(row.depth / row.workers)} per worker`
      : '';
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-time">{formatDayTime(label)}</div>
      <div className="chart-tooltip-value">
        {n(row.depth)} waiting · {n(row.workers)} workers{perWorker}
      </div>
    </div>
  );
}

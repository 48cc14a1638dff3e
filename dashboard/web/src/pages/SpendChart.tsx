// Daily cost as a stacked area, one band per service (or tag value, usage type...), the
// spend without the tag hatched on top so its share shows, and the cost anomalies as
// markers in a band above the plot (never over it): clicking one opens its detail.
import {
  Area,
  AreaChart,
  CartesianGrid,
  ReferenceArea,
  Tooltip,
  usePlotArea,
  type TooltipContentProps,
} from 'recharts';
import type { AnomalyView, CostTable } from '@ballast/core';
import { valueAxis } from '@ballast/core/format';
import { anomalyLanes } from '../charts/anomaly-lanes.js';
import {
  AXIS,
  CRITICAL,
  DEGRADED,
  GRID,
  plotGeometry,
  timeAxis,
  useElementWidth,
  valueAxisElement,
} from '../charts/chart-kit.js';
import { bandRows, chartBands, type Band, type BandRow } from '../charts/spend-bands.js';
import { dayMs, formatDays, formatIsoWeekday, formatUsd, formatValue } from '../format.js';

const HEIGHT = 280;
const DAY = 86_400_000;
/** Height of one lane of anomaly markers above the plot, px. */
const LANE = 14;
const MARK_HEIGHT = 10;

/** What a dimension's groups are called in the chart's words. */
export function dimensionWords(by: readonly string[]): string {
  return by
    .map((d) =>
      d === 'service'
        ? 'service'
        : d === 'usage-type'
          ? 'usage type'
          : d === 'region'
            ? 'region'
            : d.slice(4),
    )
    .join(' and ');
}

export function SpendChart(props: {
  costs: CostTable;
  /** the anomalies to mark; null when they could not be read */
  anomalies: AnomalyView[] | null;
  selected?: string;
  onSelect: (id: string | undefined) => void;
  /** today's UTC day (YYYY-MM-DD): its partial cost is not drawn */
  today: string;
}) {
  const { costs, anomalies, selected, onSelect } = props;
  const [bodyRef, width] = useElementWidth<HTMLDivElement>();
  // Fewer bands on a phone: a legend of five reads, one of nine does not.
  const bands = chartBands(costs.groups, width > 0 && width < 600 ? 5 : 8);
  // Today's day is partial (Cost Explorer adds to it through the day): drawn, it would read
  // as a fall in spend. The table and its CSV keep it.
  const today = props.today;
  const periods = costs.periods.filter((p) => p.start !== today);
  const rows = bandRows(periods, bands, dayMs);
  const window = {
    start: dayMs(costs.range.start),
    end: dayMs(periods.at(-1)?.end ?? costs.range.end),
  };
  const highest = rows.reduce((m, r) => Math.max(m, r.total), 0);
  const base = valueAxis(Math.max(1, highest * 1.06), 'USD');
  const axis = { ...base, label: (v: number) => `$${base.label(v)}` };
  const inRange = (anomalies ?? []).filter(
    (a) =>
      a.start !== null &&
      dayMs(a.end ?? a.start) + DAY > window.start &&
      dayMs(a.start) < window.end,
  );
  // Marker lanes: as many as the anomalies need (two anomalies a few days apart on a
  // year-long chart share no lane).
  const probe = plotGeometry(width, axis);
  const span = Math.max(1, window.end - window.start);
  const toX = (t: number) => ((t - window.start) / span) * probe.plot.width;
  const lanes = anomalyLanes(
    inRange.map((a) => ({
      id: a.id,
      x0: toX(dayMs(a.start!)),
      x1: toX(dayMs(a.end ?? a.start!) + DAY),
    })),
    probe.plot.width,
  );
  const laneCount = lanes.reduce((n, l) => Math.max(n, l.lane + 1), 0);
  const geometry = plotGeometry(width, axis, {
    extraTop: laneCount * LANE + 4,
    height: HEIGHT + laneCount * LANE,
  });
  const untagged = bands.find((b) => b.kind === 'untagged');

  // No accessibility layer (recharts' default): a focused marker would move its keyboard
  // cursor to the first day and pin the tooltip there. The markers are the keyboard's way
  // in; every figure is in the tables below.
  const chart = (
    <AreaChart
      accessibilityLayer={false}
      data={rows}
      margin={geometry.margin}
      width={width}
      height={HEIGHT + laneCount * LANE}
    >
      <defs>
        <pattern
          id="untagged-hatch"
          width="6"
          height="6"
          patternUnits="userSpaceOnUse"
          patternTransform="rotate(45)"
        >
          <rect width="6" height="6" fill={untagged?.colour ?? AXIS} fillOpacity={0.25} />
          <line
            x1="0"
            y1="0"
            x2="0"
            y2="6"
            stroke={untagged?.colour ?? AXIS}
            strokeWidth="2.5"
            strokeOpacity={0.8}
          />
        </pattern>
      </defs>
      <CartesianGrid stroke={GRID} vertical={false} />
      {timeAxis(window, geometry)}
      {valueAxisElement(axis, geometry)}
      {inRange.map((a) => (
        <ReferenceArea
          key={`span-${a.id}`}
          x1={dayMs(a.start!)}
          x2={dayMs(a.end ?? a.start!) + DAY}
          ifOverflow="hidden"
          fill={a.open ? CRITICAL : DEGRADED}
          fillOpacity={a.id === selected ? 0.22 : 0.1}
          stroke="none"
        />
      ))}
      <Tooltip
        isAnimationActive={false}
        cursor={{ stroke: AXIS, strokeDasharray: '3 3' }}
        content={(p: TooltipContentProps) => <DayTooltip {...p} bands={bands} />}
      />
      {bands.map((band) => (
        <Area
          key={band.key}
          dataKey={band.key}
          name={band.label}
          stackId="spend"
          type="linear"
          stroke={band.colour}
          strokeWidth={band.kind === 'untagged' ? 1.4 : 1}
          fill={band.kind === 'untagged' ? 'url(#untagged-hatch)' : band.colour}
          fillOpacity={band.kind === 'untagged' ? 1 : 0.5}
          isAnimationActive={false}
          activeDot={false}
        />
      ))}
      <AnomalyMarks lanes={lanes} anomalies={inRange} selected={selected} onSelect={onSelect} />
    </AreaChart>
  );

  return (
    <div
      className="spend-chart"
      data-testid="spend-chart"
      data-by={costs.groupBy.join(',')}
      data-bands={bands.length}
    >
      <div
        className="chart-body spend-chart-body"
        ref={bodyRef}
        style={{ height: HEIGHT + laneCount * LANE }}
      >
        {rows.length === 0 ? (
          <div className="chart-empty">No spend in this range.</div>
        ) : width > 0 ? (
          chart
        ) : null}
      </div>
      <ul className="band-legend" data-testid="band-legend">
        {[...bands].reverse().map((band) => (
          <BandKey key={band.key} band={band} />
        ))}
      </ul>
      {periods.length < costs.periods.length ? (
        <p className="chart-foot">Today is not drawn: its cost is still coming in.</p>
      ) : null}
      {untagged ? (
        <p className="chart-foot" data-testid="untagged-share">
          {formatUsd(untagged.total)} ({formatValue(untagged.share ?? 0, '%')}) of this spend
          carries no {costs.untagged?.tagKey ? `${costs.untagged.tagKey} tag` : 'tag'}: tag those
          resources so it can be attributed.
        </p>
      ) : null}
    </div>
  );
}

function BandKey({ band }: { band: Band }) {
  return (
    <li
      className={`band-key band-${band.kind}`}
      data-testid={band.kind === 'untagged' ? 'band-untagged' : 'band'}
    >
      <span
        className={`legend-box ${band.kind === 'untagged' ? 'legend-hatch' : ''}`}
        style={band.kind === 'untagged' ? undefined : { background: band.colour }}
      />
      <span className="band-label" title={band.label}>
        {band.label}
      </span>
      <span className="band-total num">{formatUsd(band.total)}</span>
      <span className="band-share num">
        {band.share === null ? '' : formatValue(band.share, '%')}
      </span>
    </li>
  );
}

/** The anomaly markers, in lanes above the plot: red while open, amber once over. */
function AnomalyMarks(props: {
  lanes: ReturnType<typeof anomalyLanes>;
  anomalies: AnomalyView[];
  selected?: string;
  onSelect: (id: string | undefined) => void;
}) {
  const area = usePlotArea();
  if (!area) return null;
  const byId = new Map(props.anomalies.map((a) => [a.id, a]));
  return (
    <g className="anomaly-marks">
      {props.lanes.map((mark) => {
        const a = byId.get(mark.id)!;
        const y = area.y - 4 - (mark.lane + 1) * LANE + (LANE - MARK_HEIGHT) / 2;
        const active = a.id === props.selected;
        const select = () => props.onSelect(active ? undefined : a.id);
        return (
          <g
            key={mark.id}
            className={`anomaly-mark ${active ? 'is-selected' : ''}`}
            data-testid="anomaly-mark"
            data-anomaly={a.id}
            data-open={a.open}
            role="button"
            tabIndex={0}
            aria-pressed={active}
            aria-label={`Cost anomaly on ${a.dimensionValue ?? 'spend'}, ${formatDays(a.start!, a.end ?? a.start!)}: ${formatUsd(a.impact.totalUsd)} above expected`}
            onClick={select}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                select();
              }
            }}
          >
            <title>{`${a.dimensionValue ?? 'Anomaly'}: ${formatUsd(a.impact.totalUsd)} above expected`}</title>
            {/* A larger invisible target than the marker itself. */}
            <rect
              x={area.x + mark.x0 - 3}
              y={y - 3}
              width={mark.x1 - mark.x0 + 6}
              height={MARK_HEIGHT + 6}
              fill="transparent"
            />
            <rect
              x={area.x + mark.x0}
              y={y}
              width={mark.x1 - mark.x0}
              height={MARK_HEIGHT}
              rx={MARK_HEIGHT / 2}
              fill={a.open ? CRITICAL : DEGRADED}
              fillOpacity={active ? 1 : 0.8}
              stroke={active ? '#e6e9ef' : 'none'}
              strokeWidth={1.2}
            />
          </g>
        );
      })}
    </g>
  );
}

function DayTooltip(props: TooltipContentProps & { bands: Band[] }) {
  const { active, payload, bands } = props;
  const row = payload?.[0]?.payload as BandRow | undefined;
  if (!active || !row) return null;
  const lines = bands
    .map((b) => ({ band: b, amount: Number(row[b.key] ?? 0) }))
    .filter((l) => l.amount > 0)
    .sort((a, b) => b.amount - a.amount);
  return (
    <div className="chart-tooltip spend-tooltip">
      <div className="chart-tooltip-time">
        {formatIsoWeekday(row.day)}
        {row.estimated ? ' · estimated' : ''}
      </div>
      <div className="chart-tooltip-value">{formatUsd(row.total)}</div>
      {lines.map((l) => (
        <div key={l.band.key} className="spend-tooltip-line">
          <span className="legend-box" style={{ background: l.band.colour }} />
          <span className="spend-tooltip-label">{l.band.label}</span>
          <span className="num">{formatUsd(l.amount)}</span>
        </div>
      ))}
    </div>
  );
}

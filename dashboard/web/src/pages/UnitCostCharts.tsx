// What each order, each 1,000 3D model views and each GB of models delivered costs, day by
// day, each next to its driver (orders, views, GB a day): a unit cost that rises while the
// driver falls is the store getting less efficient. Complete days only: today's bill is
// partial while its orders are not.
import {
  Area,
  AreaChart,
  CartesianGrid,
  Line,
  LineChart,
  Tooltip,
  type TooltipContentProps,
} from 'recharts';
import type { UnitCostDay, UnitCosts } from '@ballast/core';
import { valueAxis } from '@ballast/core/format';
import {
  AXIS,
  GRID,
  plotGeometry,
  timeAxis,
  useElementWidth,
  valueAxisElement,
} from '../charts/chart-kit.js';
import { dayMs, formatDays, formatIsoWeekday, formatNumber, formatUsd } from '../format.js';

const UNIT_HEIGHT = 150;
const DRIVER_HEIGHT = 100;
const COST = '#a78bfa';
const DRIVER = '#5b9cf5';

interface Unit {
  id: 'order' | 'views' | 'gb';
  title: string;
  per: string;
  cost: (d: UnitCostDay) => number | null;
  driver: (d: UnitCostDay) => number | null;
  driverWords: string;
  overall: (u: UnitCosts) => number | null;
}

const UNITS: Unit[] = [
  {
    id: 'order',
    title: 'Cost per order',
    per: 'order',
    cost: (d) => d.costPerOrder,
    driver: (d) => d.orders,
    driverWords: 'orders a day',
    overall: (u) => u.overall.costPerOrder,
  },
  {
    id: 'views',
    title: 'Cost per 1,000 model views',
    per: '1,000 views',
    cost: (d) => d.costPer1000Views,
    driver: (d) => d.modelViews,
    driverWords: '3D model views a day',
    overall: (u) => u.overall.costPer1000Views,
  },
  {
    id: 'gb',
    title: 'Cost per GB of models delivered',
    per: 'GB',
    cost: (d) => d.costPerGb,
    driver: (d) => d.modelGb,
    driverWords: 'GB of models a day',
    overall: (u) => u.overall.costPerGb,
  },
];

export function UnitCostCharts({ unitCosts }: { unitCosts: UnitCosts }) {
  // Complete days where the store published its metrics (they may start later than the bill).
  const days = unitCosts.days.filter((d) => !d.estimated && d.costUsd !== null);
  const units = UNITS.filter((u) => days.some((d) => u.cost(d) !== null));
  if (units.length === 0)
    return (
      <p className="panel-empty">
        No business metrics in this range: the store publishes Orders, ModelViews and
        ModelBytesServed to CloudWatch (spend.businessMetrics in the platform config).
      </p>
    );
  return (
    <div className="unit-grid">
      {units.map((unit) => (
        <UnitChart key={unit.id} unit={unit} days={days} overall={unit.overall(unitCosts)} />
      ))}
    </div>
  );
}

function UnitChart({
  unit,
  days,
  overall,
}: {
  unit: Unit;
  days: UnitCostDay[];
  overall: number | null;
}) {
  const [bodyRef, width] = useElementWidth<HTMLDivElement>();
  const known = days.filter((d) => unit.cost(d) !== null && unit.driver(d) !== null);
  const first = known[0]?.day ?? days[0]!.day;
  const last = known.at(-1)?.day ?? days.at(-1)!.day;
  const shown = days.filter((d) => d.day >= first && d.day <= last);
  const rows = shown.map((d) => ({
    t: dayMs(d.day),
    day: d.day,
    cost: unit.cost(d),
    driver: unit.driver(d),
  }));
  const window = { start: dayMs(first), end: dayMs(last) + 86_400_000 - 1 };
  const costTop = rows.reduce((m, r) => Math.max(m, r.cost ?? 0), 0);
  const driverTop = rows.reduce((m, r) => Math.max(m, r.driver ?? 0), 0);
  const costBase = valueAxis(Math.max(costTop * 1.1, 1e-6), 'USD');
  const costAxis = {
    ...costBase,
    label: (v: number) => (v === 0 ? '$0' : `$${costBase.label(v)}`),
  };
  const driverAxis = valueAxis(Math.max(driverTop * 1.1, 1), 'count');
  // Both charts' plots line up: the wider of the two value axes for both.
  const costGeometry = plotGeometry(width, costAxis, { height: UNIT_HEIGHT });
  const driverGeometry = plotGeometry(width, driverAxis, { height: DRIVER_HEIGHT });
  const yAxisWidth = Math.max(costGeometry.yAxisWidth, driverGeometry.yAxisWidth);
  const align = (g: typeof costGeometry) => ({
    ...g,
    yAxisWidth,
    plot: {
      ...g.plot,
      x: g.margin.left + yAxisWidth,
      width: Math.max(0, width - g.margin.left - yAxisWidth - g.margin.right),
    },
  });
  const cg = align(costGeometry);
  const dg = align(driverGeometry);
  const latest = known.at(-1);
  // One day is a figure, not a trend: said in words until there are a few.
  if (known.length < 2)
    return (
      <figure className="card chart-card unit-card" data-testid={`unit-${unit.id}`}>
        <figcaption className="chart-head">
          <div className="chart-title">
            <span className="chart-signal">{unit.title}</span>
          </div>
          <div className="chart-now">
            <span className="num">{formatUsd(overall)}</span>
            <span className="unit">per {unit.per}</span>
          </div>
        </figcaption>
        <p className="panel-empty unit-one-day">
          {latest
            ? `${formatNumber(unit.driver(latest) ?? NaN)} ${unit.driverWords.replace(/ a day$/, '')} on ${formatIsoWeekday(latest.day)}: the only complete day with business metrics so far; the trend draws from two.`
            : 'No complete day with both the bill and the business metrics yet.'}
        </p>
      </figure>
    );

  return (
    <figure className="card chart-card unit-card" data-testid={`unit-${unit.id}`}>
      <figcaption className="chart-head">
        <div className="chart-title">
          <span className="chart-signal">{unit.title}</span>
        </div>
        <div
          className="chart-now"
          title={`over ${formatDays(first, last)}: total cost / total ${unit.driverWords.replace(/ a day$/, '')}`}
        >
          <span className="num">{formatUsd(overall)}</span>
          <span className="unit">per {unit.per}</span>
        </div>
      </figcaption>
      <div className="unit-body" ref={bodyRef}>
        {width > 0 ? (
          <>
            <LineChart
              data={rows}
              margin={cg.margin}
              width={width}
              height={UNIT_HEIGHT}
              accessibilityLayer
            >
              <CartesianGrid stroke={GRID} vertical={false} />
              {timeAxis(window, cg)}
              {valueAxisElement(costAxis, cg)}
              <Tooltip
                isAnimationActive={false}
                cursor={{ stroke: AXIS, strokeDasharray: '3 3' }}
                content={(p: TooltipContentProps) => <UnitTooltip {...p} unit={unit} />}
              />
              <Line
                dataKey="cost"
                type="linear"
                stroke={COST}
                strokeWidth={1.6}
                dot={false}
                connectNulls={false}
                isAnimationActive={false}
              />
            </LineChart>
            <AreaChart
              data={rows}
              margin={dg.margin}
              width={width}
              height={DRIVER_HEIGHT}
              accessibilityLayer
            >
              <CartesianGrid stroke={GRID} vertical={false} />
              {timeAxis(window, dg)}
              {valueAxisElement(driverAxis, dg)}
              <Area
                dataKey="driver"
                type="linear"
                stroke={DRIVER}
                strokeWidth={1.2}
                fill={DRIVER}
                fillOpacity={0.25}
                isAnimationActive={false}
                activeDot={false}
              />
            </AreaChart>
          </>
        ) : null}
      </div>
      <div className="chart-foot chart-legend">
        <span className="legend-item">
          <span className="legend-box" style={{ background: COST }} /> {unit.title.toLowerCase()},{' '}
          {formatDays(first, last)}
        </span>
        <span className="legend-item">
          <span className="legend-box" style={{ background: DRIVER }} /> {unit.driverWords}
          {latest
            ? `: ${formatNumber(unit.driver(latest) ?? NaN)} on ${formatIsoWeekday(latest.day)}`
            : ''}
        </span>
      </div>
    </figure>
  );
}

function UnitTooltip(props: TooltipContentProps & { unit: Unit }) {
  const { active, payload, unit } = props;
  const row = payload?.[0]?.payload as
    { day: string; cost: number | null; driver: number | null } | undefined;
  if (!active || !row) return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-time">{formatIsoWeekday(row.day)}</div>
      <div className="chart-tooltip-value">
        {formatUsd(row.cost)} per {unit.per}
      </div>
      <div className="chart-tooltip-time">
        {formatNumber(row.driver ?? NaN)} {unit.driverWords}
      </div>
    </div>
  );
}

// What the Health page's charts share: their size, colours, axes and the measured width that
// the time ticks and the label layout are computed for.
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { XAxis, YAxis } from 'recharts';
import type { ValueAxis } from '@ballast/core/format';
import { formatClock, formatDate, formatDay, formatMonth, formatShortMonth } from '../format.js';
import { textWidth } from './text-width.js';
import { timeTicks, type TimeFormats } from './time-axis.js';

export const CHART_HEIGHT = 190;
/** recharts' default height of a time axis, px */
export const X_AXIS_HEIGHT = 30;
export const GRID = '#262b36';
export const AXIS = '#8b93a3';
export const DEGRADED = '#e3b341';
export const CRITICAL = '#f85149';
export const SLO_DASH = '5 4';

const TIME_FORMATS: TimeFormats = {
  clock: formatClock,
  day: formatDay,
  shortDay: formatDate,
  month: formatMonth,
  shortMonth: formatShortMonth,
};

/** The width of an element, kept current as it resizes (0 until measured). */
export function useElementWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.getBoundingClientRect().width);
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(entry.contentRect.width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, Math.floor(width)];
}

export interface PlotGeometry {
  margin: { top: number; right: number; bottom: number; left: number };
  /** the value axis's width, px: as wide as its longest label */
  yAxisWidth: number;
  /** the plot area, px, relative to the chart's top left corner */
  plot: { x: number; y: number; width: number; height: number };
}

/**
 * Where the plot sits in a chart `width` px wide (and `height`, default CHART_HEIGHT), with
 * `extraTop` px above it (markers).
 */
export function plotGeometry(
  width: number,
  axis: Pick<ValueAxis, 'ticks' | 'label'>,
  options: { extraTop?: number; axisTitle?: boolean; height?: number } = {},
): PlotGeometry {
  const margin = { top: 12 + (options.extraTop ?? 0), right: 16, bottom: 0, left: 4 };
  const longest = Math.max(...axis.ticks.map((t) => textWidth(axis.label(t))));
  const yAxisWidth = Math.max(32, longest + 10 + (options.axisTitle ? 14 : 0));
  const x = margin.left + yAxisWidth;
  return {
    margin,
    yAxisWidth,
    plot: {
      x,
      y: margin.top,
      width: Math.max(0, width - x - margin.right),
      height: (options.height ?? CHART_HEIGHT) - margin.top - margin.bottom - X_AXIS_HEIGHT,
    },
  };
}

/** The time axis of a window, its ticks as dense as the plot's width allows. */
export function timeAxis(window: { start: number; end: number }, geometry: PlotGeometry) {
  const { ticks, format } = timeTicks(window.start, window.end, geometry.plot.width, TIME_FORMATS, {
    left: geometry.yAxisWidth,
    right: geometry.margin.right,
  });
  return (
    <XAxis
      key="x"
      dataKey="t"
      type="number"
      scale="time"
      domain={[window.start, window.end]}
      ticks={ticks}
      interval={0}
      tickFormatter={format}
      stroke={AXIS}
      tick={{ fontSize: 11, fill: AXIS }}
      tickLine={false}
      axisLine={{ stroke: GRID }}
      height={X_AXIS_HEIGHT}
      allowDataOverflow
    />
  );
}

/** The value axis, every tick in the one unit `axis` picked; `title` names a plain unit. */
export function valueAxisElement(axis: ValueAxis, geometry: PlotGeometry, title?: string) {
  return (
    <YAxis
      key="y"
      domain={[0, axis.top]}
      ticks={axis.ticks}
      interval={0}
      // A no-break space keeps "500 ms" on one line: recharts wraps tick text at spaces.
      tickFormatter={(v: number) => axis.label(v).replace(' ', '\u00a0')}
      stroke={AXIS}
      tick={{ fontSize: 11, fill: AXIS }}
      tickLine={false}
      axisLine={false}
      width={geometry.yAxisWidth}
      allowDataOverflow
      {...(title
        ? {
            label: {
              value: title,
              angle: -90,
              position: 'insideLeft',
              offset: 0,
              fill: AXIS,
              fontSize: 11,
              dx: 2,
            },
          }
        : {})}
    />
  );
}

/** A short stretch of a line, dashed as on the chart, for a legend. */
export function LineSwatch({ colour, dash }: { colour: string; dash?: string }) {
  return (
    <svg width="22" height="6" aria-hidden="true">
      <line x1="0" y1="3" x2="22" y2="3" stroke={colour} strokeWidth="1.5" strokeDasharray={dash} />
    </svg>
  );
}

// The chart layout rules, in pixels and milliseconds: no label on another or on the line,
// no two time labels touching, markers counted per bucket once they would touch.
import type { ScalingActivity } from '@ballast/core';
import { describe, expect, it } from 'vitest';
import { activityMarks, markWidth, type ActivityMark } from './activity-buckets.js';
import { crossesSeries, placeLabels } from './label-layout.js';
import { textWidth } from './text-width.js';
import { timeTicks } from './time-axis.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const END = Date.UTC(2026, 10, 30, 22, 5);
const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const formats = {
  clock: (t: number) => `${pad(new Date(t).getHours())}:${pad(new Date(t).getMinutes())}`,
  day: (t: number) => `Tue ${new Date(t).getDate()} Nov`,
  shortDay: (t: number) => `${new Date(t).getDate()} Nov`,
  month: (t: number) => `${MONTHS[new Date(t).getMonth()]} ${new Date(t).getFullYear()}`,
  shortMonth: (t: number) =>
    `${MONTHS[new Date(t).getMonth()]} ’${String(new Date(t).getFullYear()).slice(2)}`,
};

describe('timeTicks', () => {
  it.each([
    { range: '1h', span: HOUR, width: 560 },
    { range: '1h', span: HOUR, width: 270 },
    { range: '24h', span: DAY, width: 270 },
    { range: '7d', span: 7 * DAY, width: 560 },
    { range: '7d', span: 7 * DAY, width: 270 },
    { range: '14d', span: 14 * DAY, width: 560 },
    { range: '14d', span: 14 * DAY, width: 270 },
    { range: '3 months', span: 91 * DAY, width: 840 },
    { range: '13 months', span: 395 * DAY, width: 1100 },
    { range: '13 months', span: 395 * DAY, width: 280 },
  ])('given $range on $width px, then the labels never touch', ({ span, width }) => {
    const start = END - span;
    const { ticks, format } = timeTicks(start, END, width, formats);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    const x = (t: number) => ((t - start) / span) * width;
    for (let i = 1; i < ticks.length; i++) {
      const room = x(ticks[i]!) - x(ticks[i - 1]!);
      const half = (textWidth(format(ticks[i]!)) + textWidth(format(ticks[i - 1]!))) / 2;
      expect(room).toBeGreaterThan(half);
    }
    // None cut off at the plot's edges.
    for (const t of ticks) {
      expect(x(t) - textWidth(format(t)) / 2).toBeGreaterThanOrEqual(0);
      expect(x(t) + textWidth(format(t)) / 2).toBeLessThanOrEqual(width);
    }
  });

  it('puts day ticks on local midnights and clock ticks on round minutes', () => {
    const days = timeTicks(END - 14 * DAY, END, 560, formats);
    expect(days.ticks.every((t) => new Date(t).getHours() === 0)).toBe(true);
    const clock = timeTicks(END - HOUR, END, 560, formats);
    const step = (clock.ticks[1]! - clock.ticks[0]!) / MINUTE;
    expect([5, 10, 15]).toContain(step);
    expect(clock.ticks.every((t) => new Date(t).getMinutes() % step === 0)).toBe(true);
  });

  it('over a year, puts ticks on the first of months and says the year', () => {
    const start = new Date(2025, 11, 1).getTime();
    const end = new Date(2026, 11, 2).getTime();
    const { ticks, format } = timeTicks(start, end, 900, formats, { left: 40, right: 16 });
    expect(ticks.every((t) => new Date(t).getDate() === 1 && new Date(t).getHours() === 0)).toBe(
      true,
    );
    expect(ticks.map(format)[0]).toMatch(/^Dec (2025|’25)$/);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
  });

  it('gives a narrow chart fewer, shorter labels than a wide one', () => {
    const wide = timeTicks(END - 14 * DAY, END, 560, formats);
    const narrow = timeTicks(END - 14 * DAY, END, 270, formats);
    expect(narrow.ticks.length).toBeLessThan(wide.ticks.length);
  });
});

const activity = (id: number, minutesAgo: number, launch = true): ScalingActivity => ({
  id: `a${id}`,
  group: 'store-workers',
  status: 'Successful',
  description: launch
    ? `Launching a new EC2 instance: i-${id}`
    : `Terminating EC2 instance: i-${id}`,
  cause: '',
  startTime: END - minutesAgo * MINUTE,
});

/** Marks of a row never touch, and none reaches past the plot's edges. */
function expectApartAndInside(
  marks: ActivityMark[],
  window: { start: number; end: number },
  width: number,
) {
  const px = (t: number) => ((t - window.start) / (window.end - window.start)) * width;
  for (const direction of ['out', 'in'] as const) {
    const row = marks.filter((m) => m.direction === direction).sort((a, b) => a.t - b.t);
    for (let i = 1; i < row.length; i++) {
      const [a, b] = [row[i - 1]!, row[i]!];
      const half = (markWidth(a.activities.length) + markWidth(b.activities.length)) / 2;
      expect(px(b.t) - px(a.t)).toBeGreaterThan(half);
    }
    for (const m of row) {
      expect(px(m.t) - markWidth(m.activities.length) / 2).toBeGreaterThan(-1);
      expect(px(m.t) + markWidth(m.activities.length) / 2).toBeLessThan(width + 1);
    }
  }
}

describe('activityMarks', () => {
  it('given a few activities far apart, then one mark each where it happened', () => {
    const window = { start: END - HOUR, end: END };
    const { marks, bucketMs } = activityMarks(
      [activity(1, 50), activity(2, 20, false), activity(3, 5)],
      window,
      560,
    );
    expect(bucketMs).toBeUndefined();
    expect(marks.map((m) => [m.direction, m.t, m.activities.length])).toEqual([
      ['out', END - 50 * MINUTE, 1],
      ['in', END - 20 * MINUTE, 1],
      ['out', END - 5 * MINUTE, 1],
    ]);
  });

  it('given a week of a busy group, then counts per round bucket, none dropped and none touching', () => {
    const window = { start: END - 7 * DAY, end: END };
    // Every 20 minutes a launch or a termination: 504 activities.
    const many = Array.from({ length: 504 }, (_, i) => activity(i, i * 20, i % 2 === 0));
    const { marks, bucketMs } = activityMarks(many, window, 560);
    expect(bucketMs).toBeDefined();
    expect(marks.reduce((n, m) => n + m.activities.length, 0)).toBe(504);
    expectApartAndInside(marks, window, 560);
    for (const m of marks) {
      // A round bucket, or two where the window cut one short.
      expect([bucketMs, 2 * bucketMs!]).toContain(m.to - m.from);
      for (const a of m.activities) {
        expect(a.startTime).toBeGreaterThanOrEqual(m.from);
        expect(a.startTime).toBeLessThan(m.to);
      }
    }
  });

  it('given three-digit counts on a phone-wide chart, then the pills still do not touch', () => {
    const window = { start: END - 14 * DAY, end: END };
    const many = Array.from({ length: 2_000 }, (_, i) => activity(i, i * 10, i % 2 === 0));
    const { marks } = activityMarks(many, window, 280);
    expectApartAndInside(marks, window, 280);
    expect(marks.reduce((n, m) => n + m.activities.length, 0)).toBe(2_000);
  });

  it('leaves out activities outside the window', () => {
    const { marks } = activityMarks([activity(1, 90)], { start: END - HOUR, end: END }, 560);
    expect(marks).toEqual([]);
  });
});

describe('placeLabels', () => {
  const plot = { width: 400, height: 148 };
  const flat = (y: number) => [
    { x: 0, y },
    { x: 400, y },
  ];

  it('given two threshold lines a few pixels apart, then one label goes above the pair and one below', () => {
    const placed = placeLabels(
      [
        { id: 'out', text: 'alarm scale-out 70%', y: 44, prefer: 'left' },
        { id: 'in', text: 'alarm scale-in 63%', y: 55, prefer: 'left' },
      ],
      plot,
      flat(120),
    );
    const out = placed.get('out')!.box;
    const inn = placed.get('in')!.box;
    expect(out.y1).toBeLessThanOrEqual(44);
    expect(inn.y0).toBeGreaterThanOrEqual(55);
  });

  it('given the series running along a label spot, then the label moves to a free one', () => {
    // The line hugs the SLO line from just below on the right half of the chart.
    const series = [
      { x: 0, y: 130 },
      { x: 200, y: 130 },
      { x: 210, y: 66 },
      { x: 400, y: 66 },
    ];
    const placed = placeLabels(
      [{ id: 'slo', text: 'SLO 500 ms', y: 60, prefer: 'right' }],
      plot,
      series,
    );
    const label = placed.get('slo')!;
    expect(crossesSeries(label.box, series)).toBe(false);
  });

  it('given no free spot, then the label is left out rather than drawn over the line', () => {
    // A saw-tooth covering the whole plot.
    const series = Array.from({ length: 81 }, (_, i) => ({ x: i * 5, y: i % 2 ? 0 : 148 }));
    const placed = placeLabels(
      [{ id: 'slo', text: 'SLO 80%', y: 70, prefer: 'right' }],
      plot,
      series,
    );
    expect(placed.size).toBe(0);
  });

  it('given lines closer than a label is tall, then SLO labels may touch a neighbour and alarm labels give way', () => {
    // Web CPU on a 120 px plot: critical 92%, SLO 80%, scale-out 70%, scale-in 63%.
    const requests = [
      {
        id: 'critical',
        text: 'critical 92%',
        y: 9.6,
        prefer: 'right' as const,
        mayTouchLines: true,
      },
      { id: 'slo', text: 'SLO 80%', y: 24, prefer: 'right' as const, mayTouchLines: true },
      { id: 'out', text: 'alarm scale-out 70%', y: 36, prefer: 'left' as const },
      { id: 'in', text: 'alarm scale-in 63%', y: 44.4, prefer: 'left' as const },
      { id: 'low', text: 'alarm cpu-low 10%', y: 108, prefer: 'left' as const },
    ];
    const placed = placeLabels(requests, { width: 560, height: 120 }, flat(110));
    // The SLO labels come first: an alarm label taking a clean spot must not push them out.
    expect(placed.has('critical') && placed.has('slo')).toBe(true);
    expect(placed.has('out')).toBe(false);
    const [a, b] = [placed.get('critical')!.box, placed.get('slo')!.box];
    expect(a.y1 <= b.y0 || b.y1 <= a.y0 || a.x1 <= b.x0 || b.x1 <= a.x0).toBe(true);
  });

  it('never places a label outside the plot, or the headroom above it', () => {
    const request = { id: 'top', text: 'critical 92%', y: 2, prefer: 'right' as const };
    expect(placeLabels([request], plot, flat(100)).get('top')!.box.y0).toBeGreaterThanOrEqual(0);
    expect(placeLabels([request], plot, flat(100), 10).get('top')!.box.y0).toBeGreaterThanOrEqual(
      -10,
    );
  });
});

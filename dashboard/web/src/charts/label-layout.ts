// Where the threshold labels of a chart go ("SLO 80%", "alarm scale-out 70%"), so that none
// sits on the plotted line, on another label or across another threshold line. Pure
// geometry in the plot's pixels (y down), run before render.
import { textWidth } from './text-width.js';

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface LabelRequest {
  id: string;
  text: string;
  /** the threshold line's y, px from the plot's top */
  y: number;
  /** the end of the line it would rather sit at */
  prefer: 'left' | 'right';
  /** where lines crowd, may it touch a neighbouring threshold line rather than be left out? */
  mayTouchLines?: boolean;
}

export interface PlacedLabel {
  id: string;
  text: string;
  /** the text's anchor point: x of its left or right end, y of its baseline */
  x: number;
  baseline: number;
  anchor: 'start' | 'end';
  box: Box;
}

/** Label height and its distance to its line, px (11 px text). */
const HEIGHT = 12;
const GAP = 3;
/** Distance from the plot's left and right edges, px. */
const INSET = 4;
/** Space kept clear around a label, px. */
const PAD = 2;

/**
 * Places labels in order (most important first). Each tries the preferred end of its line,
 * above then below it, then the other end, then the middle; a spot counts only when it stays
 * inside the plot and off the series and the labels placed before, and off the other
 * threshold lines; where lines lie closer together than a label is tall, a label that may
 * (`mayTouchLines`) then touches a neighbouring line rather than be left out. A label with
 * no spot is left out (the chart's legend names it instead).
 */
export function placeLabels(
  requests: readonly LabelRequest[],
  plot: { width: number; height: number },
  /** the plotted series, px, in x order */
  series: readonly { x: number; y: number }[],
  /** px free above the plot a label may use (the chart's top margin) */
  headroom = 0,
): Map<string, PlacedLabel> {
  const placed = new Map<string, PlacedLabel>();
  const lines = requests.map((r) => r.y);
  for (const request of requests) {
    const label =
      place(request, true) ?? (request.mayTouchLines ? place(request, false) : undefined);
    if (label) placed.set(request.id, label);
  }
  return placed;

  function place(request: LabelRequest, clearOfLines: boolean): PlacedLabel | undefined {
    const width = textWidth(request.text);
    const xs: ('left' | 'right' | 'middle')[] =
      request.prefer === 'left' ? ['left', 'right', 'middle'] : ['right', 'left', 'middle'];
    for (const where of xs) {
      const x0 =
        where === 'left'
          ? INSET
          : where === 'right'
            ? plot.width - INSET - width
            : (plot.width - width) / 2;
      const spot = [
        { y0: request.y - GAP - HEIGHT, y1: request.y - GAP },
        { y0: request.y + GAP, y1: request.y + GAP + HEIGHT },
      ]
        .map(({ y0, y1 }) => ({ x0, x1: x0 + width, y0, y1 }))
        .find(
          (box) =>
            box.x0 >= 0 &&
            box.x1 <= plot.width &&
            box.y0 >= -headroom &&
            box.y1 <= plot.height &&
            !crossesSeries(box, series) &&
            [...placed.values()].every((p) => !overlaps(box, p.box)) &&
            (!clearOfLines ||
              lines.every((y) => y === request.y || y < box.y0 - PAD || y > box.y1 + PAD)),
        );
      if (spot) {
        const anchor = where === 'right' ? 'end' : 'start';
        return {
          id: request.id,
          text: request.text,
          x: anchor === 'end' ? spot.x1 : spot.x0,
          baseline: spot.y1 - 2,
          anchor,
          box: spot,
        };
      }
    }
    return undefined;
  }
}

function overlaps(a: Box, b: Box): boolean {
  return a.x0 < b.x1 + PAD && b.x0 < a.x1 + PAD && a.y0 < b.y1 + PAD && b.y0 < a.y1 + PAD;
}

/** Whether the polyline passes through the box (grown by PAD). */
export function crossesSeries(box: Box, series: readonly { x: number; y: number }[]): boolean {
  const x0 = box.x0 - PAD;
  const x1 = box.x1 + PAD;
  const y0 = box.y0 - PAD;
  const y1 = box.y1 + PAD;
  for (let i = 0; i < series.length; i++) {
    const a = series[i]!;
    const b = series[i + 1];
    if (!b) return a.x >= x0 && a.x <= x1 && a.y >= y0 && a.y <= y1;
    if (b.x < x0 || a.x > x1) continue;
    // The segment's y range over the part of it above the box's x range.
    const at = (x: number) => (b.x === a.x ? a.y : a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x));
    const ya = at(Math.max(a.x, x0));
    const yb = at(Math.min(b.x, x1));
    if (Math.max(ya, yb) >= y0 && Math.min(ya, yb) <= y1) return true;
  }
  return false;
}

// Where the anomaly markers go in the band above the spend chart: each marker spans its
// anomaly's days (at least MIN_MARK_WIDTH px, so a one-day anomaly on a year-long chart
// can still be seen and clicked), and a marker that would touch another drops to the next
// lane. Pure geometry in the plot's pixels.

/** The narrowest marker, px: a target a finger can hit. */
export const MIN_MARK_WIDTH = 14;
/** Space kept between two markers of a lane, px. */
const GAP = 3;

export interface LaneMark {
  id: string;
  /** marker's left and right edges, px from the plot's left */
  x0: number;
  x1: number;
  lane: number;
}

/**
 * Markers for spans given in plot px ([x0, x1], x0 <= x1), kept inside [0, width]: the
 * earliest first, each in the first lane where it touches nothing.
 */
export function anomalyLanes(
  spans: readonly { id: string; x0: number; x1: number }[],
  width: number,
): LaneMark[] {
  const ends: number[] = [];
  return [...spans]
    .sort((a, b) => a.x0 - b.x0 || a.x1 - b.x1)
    .map((span) => {
      let x0 = Math.max(0, Math.min(span.x0, width));
      let x1 = Math.max(x0, Math.min(span.x1, width));
      if (x1 - x0 < MIN_MARK_WIDTH) {
        const middle = (x0 + x1) / 2;
        x0 = Math.max(0, Math.min(width - MIN_MARK_WIDTH, middle - MIN_MARK_WIDTH / 2));
        x1 = x0 + MIN_MARK_WIDTH;
      }
      let lane = ends.findIndex((end) => end + GAP <= x0);
      if (lane < 0) lane = ends.length;
      ends[lane] = x1;
      return { id: span.id, x0, x1, lane };
    });
}

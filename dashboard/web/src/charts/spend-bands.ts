// The bands of the Spend page's stacked area: the largest groups each in a band of their
// own, the rest summed as "Other", and spend without the tag (untagged) always a band of its
// own at the top, hatched, so its share is seen at a glance. Pure, for unit tests.
import type { CostGroup, CostPeriod } from '@ballast/core';

export interface Band {
  /** the data key of the band in the chart's rows: b0, b1, ... */
  key: string;
  label: string;
  /** the table's groups summed in this band */
  groupIds: string[];
  total: number;
  share: number | null;
  kind: 'group' | 'other' | 'untagged';
  colour: string;
}

/** Series colours: none of them the status colours (amber, red, green). */
export const BAND_COLOURS = [
  '#5b9cf5',
  '#2dd4bf',
  '#a78bfa',
  '#f472b6',
  '#38bdf8',
  '#fb923c',
  '#a3e635',
];
export const OTHER_COLOUR = '#64748b';
export const UNTAGGED_COLOUR = '#9aa3b4';

/**
 * At most `max` bands (the untagged one included): groups largest first, the smallest
 * summed as "Other" when more than one would be left out. Bands are in stacking order,
 * bottom first: the largest group at the bottom, Other above the named ones, untagged on top.
 */
export function chartBands(groups: readonly CostGroup[], max: number): Band[] {
  const total = groups.reduce((sum, g) => sum + g.total, 0);
  const share = (amount: number) => (total > 0 ? (amount / total) * 100 : null);
  const untagged = groups.filter((g) => g.untagged);
  const named = groups.filter((g) => !g.untagged).sort((a, b) => b.total - a.total);
  const room = Math.max(1, max - (untagged.length > 0 ? 1 : 0));
  const own = named.length <= room ? named : named.slice(0, room - 1);
  const rest = named.slice(own.length);
  const bands: Omit<Band, 'key'>[] = own.map((g, i) => ({
    label: g.label,
    groupIds: [g.id],
    total: g.total,
    share: share(g.total),
    kind: 'group',
    colour: BAND_COLOURS[i % BAND_COLOURS.length]!,
  }));
  if (rest.length > 0) {
    const sum = rest.reduce((s, g) => s + g.total, 0);
    bands.push({
      label: `Other (${rest.length})`,
      groupIds: rest.map((g) => g.id),
      total: sum,
      share: share(sum),
      kind: 'other',
      colour: OTHER_COLOUR,
    });
  }
  if (untagged.length > 0) {
    const sum = untagged.reduce((s, g) => s + g.total, 0);
    bands.push({
      label: untagged.length === 1 ? untagged[0]!.label : 'untagged',
      groupIds: untagged.map((g) => g.id),
      total: sum,
      share: share(sum),
      kind: 'untagged',
      colour: UNTAGGED_COLOUR,
    });
  }
  return bands.map((b, i) => ({ ...b, key: `b${i}` }));
}

export interface BandRow {
  /** the day's local midnight, ms (the time axis) */
  t: number;
  day: string;
  total: number;
  estimated: boolean;
  [band: string]: number | string | boolean;
}

/** One row per period: each band's amount that day. */
export function bandRows(
  periods: readonly CostPeriod[],
  bands: readonly Band[],
  dayMs: (day: string) => number,
): BandRow[] {
  return periods.map((p) => {
    const row: BandRow = {
      t: dayMs(p.start),
      day: p.start,
      total: p.total,
      estimated: p.estimated,
    };
    for (const band of bands)
      row[band.key] = band.groupIds.reduce((sum, id) => sum + (p.amounts[id] ?? 0), 0);
    return row;
  });
}

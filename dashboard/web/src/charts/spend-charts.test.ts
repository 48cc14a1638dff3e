// The Spend chart's layout rules: which groups get a band (untagged always its own), and
// where the anomaly markers go (none touching, each wide enough to hit).
import type { CostGroup } from '@ballast/core';
import { describe, expect, it } from 'vitest';
import { anomalyLanes, MIN_MARK_WIDTH } from './anomaly-lanes.js';
import { bandRows, chartBands, OTHER_COLOUR, UNTAGGED_COLOUR } from './spend-bands.js';

const group = (label: string, total: number, untagged = false): CostGroup => ({
  id: label,
  keys: [label],
  label,
  total,
  untagged,
});

describe('chartBands', () => {
  it('given few groups, then one band each, largest at the bottom', () => {
    const bands = chartBands([group('CloudFront', 900), group('EC2', 100)], 8);
    expect(bands.map((b) => [b.key, b.label, b.kind, b.share])).toEqual([
      ['b0', 'CloudFront', 'group', 90],
      ['b1', 'EC2', 'group', 10],
    ]);
  });

  it('given more groups than bands, then the smallest are summed as Other, and the untagged spend keeps a band of its own on top', () => {
    const groups = [
      group('storefront', 500),
      group('(untagged)', 5, true),
      group('platform', 50),
      group('data', 30),
      group('ml', 20),
      group('search', 10),
    ];
    const bands = chartBands(groups, 4);
    expect(bands.map((b) => [b.label, b.kind, b.total])).toEqual([
      ['storefront', 'group', 500],
      ['platform', 'group', 50],
      ['Other (3)', 'other', 60],
      ['(untagged)', 'untagged', 5],
    ]);
    expect(bands[2]!.colour).toBe(OTHER_COLOUR);
    expect(bands[3]!.colour).toBe(UNTAGGED_COLOUR);
    // Every group is in exactly one band
    expect(bands.flatMap((b) => b.groupIds).sort()).toEqual(groups.map((g) => g.id).sort());
  });

  it('does not make an Other band of a single group', () => {
    const bands = chartBands([group('a', 3), group('b', 2), group('c', 1)], 3);
    expect(bands.map((b) => b.label)).toEqual(['a', 'b', 'c']);
  });

  it('sums each band per day', () => {
    const bands = chartBands([group('a', 3), group('b', 2), group('c', 1)], 2);
    const rows = bandRows(
      [
        {
          start: '2026-11-01',
          end: '2026-11-02',
          estimated: false,
          total: 6,
          amounts: { a: 3, b: 2, c: 1 },
        },
      ],
      bands,
      () => 0,
    );
    expect(rows[0]).toMatchObject({ b0: 3, b1: 3, total: 6, day: '2026-11-01' });
  });
});

describe('anomalyLanes', () => {
  it('given anomalies far apart, then one lane, each marker spanning its days', () => {
    const marks = anomalyLanes(
      [
        { id: 'a', x0: 10, x1: 80 },
        { id: 'b', x0: 200, x1: 260 },
      ],
      400,
    );
    expect(marks).toEqual([
      { id: 'a', x0: 10, x1: 80, lane: 0 },
      { id: 'b', x0: 200, x1: 260, lane: 0 },
    ]);
  });

  it('given a one-day anomaly inside a long one (a year on a phone), then it is wide enough to hit and on a lane of its own', () => {
    const marks = anomalyLanes(
      [
        { id: 'gpu', x0: 280, x1: 296 },
        { id: 'hotlink', x0: 289, x1: 290 },
      ],
      300,
    );
    const hotlink = marks.find((m) => m.id === 'hotlink')!;
    expect(hotlink.x1 - hotlink.x0).toBe(MIN_MARK_WIDTH);
    expect(hotlink.lane).toBe(1);
    // Markers of a lane never touch; none leaves the plot
    for (const m of marks) {
      expect(m.x0).toBeGreaterThanOrEqual(0);
      expect(m.x1).toBeLessThanOrEqual(300);
    }
  });

  it('keeps a marker at the plot edge inside it', () => {
    const [mark] = anomalyLanes([{ id: 'today', x0: 399, x1: 400 }], 400);
    expect(mark).toMatchObject({ x0: 400 - MIN_MARK_WIDTH, x1: 400, lane: 0 });
  });
});

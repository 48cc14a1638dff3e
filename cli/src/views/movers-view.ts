// The `ballast cost movers` screen: what changed most from one week to the next (the last 7
// complete days against the 7 before), by service, by the primary tag and by usage type,
// largest change first; up in red (spend grew), down in green.
import { addDays, type Mover, type Movers, type MoversReport } from '@ballast/core';
import { sourceFailureWords } from '@ballast/core/format';
import { toCsv, type CsvValue } from '@ballast/core/format';
import { formatPct, formatUsd } from '@ballast/core/format';
import type { Palette } from '../output/style.js';
import { renderTable } from '../output/table.js';
import { wrap } from '../output/text.js';
import {
  dayRangeText,
  dimensionTitle,
  freshnessFooter,
  type SpendViewOptions,
} from './spend-view.js';

export function renderMovers(report: MoversReport, options: SpendViewOptions): string[] {
  const { palette: p, width } = options;
  const first = report.byDimension[0];
  const lines = [p.bold('Top movers, week over week')];
  if (first)
    lines.push(p.dim(`${dayRangeText(first.current)} against ${dayRangeText(first.previous)}`));
  lines.push('');
  for (const movers of report.byDimension) lines.push(...dimensionRows(movers, options), '');
  for (const gap of report.unavailable)
    lines.push(
      ...wrap(
        `By ${dimensionTitle(gap.dimension)}: not available (${sourceFailureWords(gap.error.kind)}: ${gap.error.message}).`,
        width,
        '  ',
      ).map(p.yellow),
      '',
    );
  if (first)
    lines.push(
      ...wrap(
        `Lines under ${formatUsd(first.floorUsd)} a week in both weeks are left out, so small lines do not lead by percentage.`,
        width,
        '  ',
      ).map(p.dim),
    );
  lines.push(...freshnessFooter(report.freshness, options));
  return lines;
}

function dimensionRows(movers: Movers, options: SpendViewOptions): string[] {
  const { palette: p, width } = options;
  const heading = p.bold(`By ${dimensionTitle(movers.dimension)}`);
  if (movers.movers.length === 0) return [heading, p.dim('  Nothing moved above the floor.')];
  return [
    heading,
    ...renderTable(
      [
        { header: '' },
        { header: dimensionTitle(movers.dimension), shrink: true, minWidth: 14, wrap: true },
        { header: 'this week', align: 'right' },
        { header: 'week before', align: 'right' },
        { header: 'change', align: 'right' },
        { header: '%', align: 'right' },
      ],
      movers.movers.map((m) => [
        arrow(m, p),
        m.label,
        formatUsd(m.current),
        formatUsd(m.previous),
        paint(m, p)(formatUsd(m.changeUsd, { signed: true })),
        m.changePct === null ? p.dim('new') : formatPct(m.changePct, { signed: true }),
      ]),
      { width, indent: 2, header: p.dim },
    ),
  ];
}

/** Spend that grew is what to look at: red; spend that shrank: green. */
function paint(m: Mover, p: Palette): (text: string) => string {
  return m.changeUsd > 0 ? p.red : m.changeUsd < 0 ? p.green : p.dim;
}

function arrow(m: Mover, p: Palette): string {
  return paint(m, p)(m.changeUsd > 0 ? '▲' : m.changeUsd < 0 ? '▼' : '=');
}

/** One record per mover: the dimension, its key, both weeks' dates and amounts. */
export function moversCsv(report: MoversReport): string {
  const rows: CsvValue[][] = report.byDimension.flatMap((d) =>
    d.movers.map((m) => [
      d.dimension,
      m.key,
      d.current.start,
      addDays(d.current.end, -1),
      m.current,
      d.previous.start,
      addDays(d.previous.end, -1),
      m.previous,
      m.changeUsd,
      m.changePct,
    ]),
  );
  return toCsv(
    [
      'dimension',
      'key',
      'week_start',
      'week_end',
      'week_usd',
      'week_before_start',
      'week_before_end',
      'week_before_usd',
      'change_usd',
      'change_pct',
    ],
    rows,
  );
}

// The `ballast cost` screen: the groups of the range with their totals and shares (largest
// first; the four largest also name a glyph of the chart), then a bar per period stacked by
// those groups, then where the data came from. And the same table as CSV, one record per
// period and group, for a spreadsheet's pivot table.
import { addDays, type CostGroup, type CostPeriod, type CostTable } from '@ballast/core';
import { stackedBar, type Segment } from '../output/bars.js';
import { toCsv, type CsvValue } from '@ballast/core/format';
import { formatPct, formatUsd } from '@ballast/core/format';
import type { Paint, Palette } from '../output/style.js';
import { renderTable } from '../output/table.js';
import { padEnd, padStart, visibleWidth, wrap } from '../output/text.js';
import {
  dayRangeText,
  dimensionTitle,
  freshnessFooter,
  type SpendViewOptions,
} from './spend-view.js';

/** Groups listed by name; the rest are summed on one line. */
export const MAX_GROUP_ROWS = 12;
/** Groups drawn apart in the chart, each with its glyph; the rest are "other". */
const CHARTED = 4;
const GLYPHS = ['█', '▓', '▒', '░'] as const;
const OTHER_GLYPH = '·';

export function renderCostTable(table: CostTable, options: SpendViewOptions): string[] {
  const { palette: p, width, now } = options;
  const lines = [p.bold(title(table)), ...wrap(subtitle(table), width, '  ').map(p.dim), ''];
  if (table.periods.length === 0 || (table.total === 0 && table.groups.length === 0)) {
    lines.push(emptyNote(table), '');
    lines.push(...freshnessFooter(table.freshness, options));
    return lines;
  }
  const charted = table.groupBy.length > 0 ? table.groups.slice(0, CHARTED) : [];
  const look = new Map(
    charted.map((g, i) => [g.id, { glyph: GLYPHS[i]!, paint: groupPaint(i, p) }] as const),
  );
  if (table.groupBy.length > 0) lines.push(...groupRows(table, look, options), '');
  lines.push(...periodRows(table, look, options), '');
  lines.push(...notes(table, options));
  lines.push(...freshnessFooter(table.freshness, { ...options, now }));
  return lines;
}

function title(table: CostTable): string {
  if (table.groupBy.length === 0) return 'Cost';
  return `Cost by ${table.groupBy.map(dimensionTitle).join(' and ')}`;
}

function subtitle(table: CostTable): string {
  return [dayRangeText(table.range), table.granularity, `${table.metric}, ${table.unit}`].join(
    ' · ',
  );
}

function emptyNote(table: CostTable): string {
  return table.estimated
    ? 'No spend billed in this range yet: Cost Explorer adds a day once it is over, and updates today’s estimate about 3 times a day.'
    : 'No spend in this range.';
}

/** Charted groups in the palette's calm colors; red stays for what is wrong. */
function groupPaint(i: number, p: Palette): Paint {
  return [p.cyan, p.green, p.yellow, p.gray][i] ?? p.dim;
}

function groupRows(
  table: CostTable,
  look: ReadonlyMap<string, { glyph: string; paint: Paint }>,
  options: SpendViewOptions,
): string[] {
  const { palette: p, width } = options;
  const shown = table.groups.slice(0, MAX_GROUP_ROWS);
  const rest = table.groups.slice(MAX_GROUP_ROWS);
  const share = (amount: number) =>
    table.total > 0 ? formatPct((amount / table.total) * 100) : '—';
  const label = (g: CostGroup) => (g.untagged ? p.dim(g.label) : g.label);
  const rows = shown.map((g) => {
    const l = look.get(g.id);
    return [
      l ? l.paint(l.glyph) : p.dim(OTHER_GLYPH),
      label(g),
      formatUsd(g.total),
      share(g.total),
    ];
  });
  if (rest.length > 0) {
    const sum = rest.reduce((s, g) => s + g.total, 0);
    rows.push([p.dim(OTHER_GLYPH), p.dim(`${rest.length} more`), formatUsd(sum), share(sum)]);
  }
  rows.push(['', p.bold('Total'), p.bold(formatUsd(table.total)), table.total > 0 ? '100%' : '—']);
  return renderTable(
    [
      { header: '' },
      {
        header: table.groupBy.map(dimensionTitle).join(' / '),
        shrink: true,
        minWidth: 16,
        wrap: true,
      },
      { header: 'total', align: 'right' },
      { header: 'share', align: 'right' },
    ],
    rows,
    { width, header: p.dim },
  );
}

function periodRows(
  table: CostTable,
  look: ReadonlyMap<string, { glyph: string; paint: Paint }>,
  options: SpendViewOptions,
): string[] {
  const { palette: p, width } = options;
  const labels = table.periods.map((period) => periodLabel(table, period));
  const amounts = table.periods.map((period) => formatUsd(period.total));
  const labelWidth = Math.max(...labels.map(visibleWidth), 5);
  const amountWidth = Math.max(...amounts.map(visibleWidth), 5);
  const barWidth = Math.max(10, width - labelWidth - amountWidth - 6);
  const max = Math.max(...table.periods.map((period) => period.total), 0);
  const header = p.dim(
    `${padEnd(table.granularity === 'monthly' ? 'month' : 'day', labelWidth)}  ${padStart('total', amountWidth)}  ${legend(look, table)}`,
  );
  const rows = table.periods.map((period, i) => {
    const marker = period.estimated ? p.dim('~') : ' ';
    const chart =
      period.total === 0 && period.estimated
        ? p.dim('not billed yet')
        : stackedBar(segments(period, look, p), max, barWidth);
    return `${padEnd(labels[i]!, labelWidth)} ${marker}${padStart(amounts[i]!, amountWidth)}  ${chart}`.trimEnd();
  });
  return [header.trimEnd(), ...rows];
}

function legend(
  look: ReadonlyMap<string, { glyph: string; paint: Paint }>,
  table: CostTable,
): string {
  if (look.size === 0) return '';
  const others = table.groups.length > look.size ? `  ${OTHER_GLYPH} the rest` : '';
  return `${[...look.values()].map((l) => l.paint(l.glyph)).join('')} as marked above${others}`;
}

function periodLabel(table: CostTable, period: CostPeriod): string {
  return table.granularity === 'monthly' ? period.start.slice(0, 7) : period.start;
}

/** A period's amounts in the order of the charted groups, then everything else as "other". */
function segments(
  period: CostPeriod,
  look: ReadonlyMap<string, { glyph: string; paint: Paint }>,
  p: Palette,
): Segment[] {
  if (look.size === 0) return [{ value: period.total, glyph: '█' }];
  const out: Segment[] = [];
  let charted = 0;
  for (const [id, l] of look) {
    const value = period.amounts[id] ?? 0;
    charted += value;
    out.push({ value, glyph: l.glyph, paint: l.paint });
  }
  out.push({ value: period.total - charted, glyph: OTHER_GLYPH, paint: p.dim });
  return out;
}

function notes(table: CostTable, options: SpendViewOptions): string[] {
  const { palette: p, width } = options;
  const out: string[] = [];
  if (table.untagged && table.untagged.amount > 0)
    out.push(
      `${formatUsd(table.untagged.amount)}${table.untagged.share === null ? '' : ` (${formatPct(table.untagged.share * 100)})`} of the spend carries no ${table.untagged.tagKey} tag, shown as (untagged).`,
    );
  if (table.estimated)
    out.push(
      '~ estimated: not final yet (the open month, today); Cost Explorer may still revise it.',
    );
  if (table.covered.end < table.range.end)
    out.push(`Cost Explorer has data through ${addDays(table.covered.end, -1)}.`);
  return out.flatMap((line) => wrap(line, width, '  ')).map(p.dim);
}

/** Columns of the CSV for a grouping: the --by names as typed (service, tag:team, ...). */
export function costTableCsv(table: CostTable): string {
  const header = ['period_start', 'period_end', ...table.groupBy, 'cost_usd', 'estimated'];
  const groups = table.groupBy.length > 0 ? table.groups : [];
  const rows: CsvValue[][] = [];
  for (const period of table.periods) {
    // The last day, not Cost Explorer's exclusive end: a spreadsheet counts both ends.
    const end = addDays(period.end, -1);
    if (groups.length === 0) {
      rows.push([period.start, end, period.total, period.estimated]);
      continue;
    }
    for (const g of groups) {
      const amount = period.amounts[g.id];
      if (amount === undefined) continue;
      rows.push([period.start, end, ...g.keys, amount, period.estimated]);
    }
  }
  return toCsv(header, rows);
}

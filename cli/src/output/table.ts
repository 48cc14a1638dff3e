// A compact table: two-space gutters, no borders, shrinks the columns marked `shrink`
// (cutting their cells with "…", or wrapping them onto more lines) until the table fits.
import { padEnd, padStart, truncate, truncateStart, visibleWidth, wrap } from './text.js';

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /**
   * May be narrowed, down to `minWidth`, when the table is too wide. A number orders the
   * shrinking: higher gives way first (so a name can outlast a description); true is 1.
   */
  shrink?: boolean | number;
  minWidth?: number;
  /** Where a cut cell loses text: the end (default) or the start (paths). */
  cut?: 'end' | 'start';
  /** A cell too wide for the column continues on the row's next lines instead of being cut. */
  wrap?: boolean;
}

export interface TableOptions {
  /** Total width to fit, including the indent. */
  width: number;
  indent?: number;
  /** Styles the header line (e.g. dim or bold). */
  header?: (text: string) => string;
}

const GUTTER = '  ';

export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  options: TableOptions,
): string[] {
  const { header, rows: lines } = renderTableRows(columns, rows, options);
  return [header, ...lines.flat()];
}

/** As renderTable, with the lines of each row apart (a row is several lines when a cell wraps). */
export function renderTableRows(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  options: TableOptions,
): { header: string; rows: string[][] } {
  const indent = ' '.repeat(options.indent ?? 0);
  const widths = columns.map((col, i) =>
    Math.max(visibleWidth(col.header), ...rows.map((row) => visibleWidth(row[i] ?? ''))),
  );
  fitWidths(columns, widths, options.width - indent.length - GUTTER.length * (columns.length - 1));

  const line = (cells: readonly string[]) =>
    (
      indent +
      columns
        .map((col, i) => {
          const width = widths[i] ?? 0;
          const cell = (col.cut === 'start' ? truncateStart : truncate)(cells[i] ?? '', width);
          return col.align === 'right' ? padStart(cell, width) : padEnd(cell, width);
        })
        .join(GUTTER)
    ).trimEnd();

  /** The row's lines: wrapped cells spread over as many lines as the longest needs. */
  const rowLines = (cells: readonly string[]): string[] => {
    const stacked = columns.map((col, i) => {
      const cell = cells[i] ?? '';
      const width = widths[i] ?? 0;
      return col.wrap && visibleWidth(cell) > width
        ? wrap(cell, width, '', { breakWords: true })
        : [cell];
    });
    const height = Math.max(...stacked.map((s) => s.length));
    return Array.from({ length: height }, (_, k) => line(stacked.map((s) => s[k] ?? '')));
  };

  const head = line(columns.map((c) => c.header));
  return { header: options.header ? options.header(head) : head, rows: rows.map(rowLines) };
}

/**
 * Narrows, one column at a time, the widest of the shrinkable columns with the highest
 * shrink priority that are still above their minimum, until the total fits. A wrapping
 * column shrinks like any other: its cells take more lines instead of losing text.
 */
function fitWidths(columns: readonly Column[], widths: number[], available: number): void {
  const priority = (col: Column) =>
    col.shrink === true ? 1 : typeof col.shrink === 'number' ? col.shrink : 0;
  let excess = widths.reduce((a, w) => a + w, 0) - available;
  while (excess > 0) {
    let pick = -1;
    columns.forEach((col, i) => {
      const min = col.minWidth ?? Math.min(8, visibleWidth(col.header));
      if (priority(col) <= 0 || (widths[i] ?? 0) <= min) return;
      const best = columns[pick];
      if (
        !best ||
        priority(col) > priority(best) ||
        (priority(col) === priority(best) && (widths[i] ?? 0) > (widths[pick] ?? 0))
      )
        pick = i;
    });
    if (pick < 0) return; // nothing left to shrink: let the terminal wrap
    widths[pick] = (widths[pick] ?? 0) - 1;
    excess -= 1;
  }
}

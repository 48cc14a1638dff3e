// CSV for spreadsheets, after RFC 4180: a header row, records ending in CRLF, a field quoted
// when it holds a comma, a double quote, CR or LF (quotes doubled inside), ISO dates and
// plain numbers (no currency sign, no thousands separator, no exponent) so every
// spreadsheet reads them as numbers whatever its locale's display.

export type CsvValue = string | number | boolean | null | undefined;

/** The document: a header row, then one record per row, each ending in CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

/**
 * One field. Text a spreadsheet would run as a formula (starting with = + - @, a tab or CR)
 * is kept as text with a leading quote: a tag value is anyone's text. Quoted when it holds
 * a comma, a double quote, CR or LF, or starts or ends with a space.
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return csvNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Up to 6 decimals (Cost Explorer's amounts carry more than cents; unit costs need them),
 * trailing zeros dropped: 43089.1662, 0.000012, 12. Unknown (non-finite) is an empty cell.
 */
export function csvNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  const rounded = Number(value.toFixed(6));
  return Object.is(rounded, -0) ? '0' : rounded.toFixed(6).replace(/\.?0+$/, '');
}

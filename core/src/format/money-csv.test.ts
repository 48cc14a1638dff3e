import { describe, expect, it } from 'vitest';
import { csvField, csvNumber, toCsv } from './csv.js';
import { formatPct, formatUsd } from './money.js';

describe('formatUsd', () => {
  it.each([
    [43_089.166, '$43,089'],
    [611.04, '$611'],
    [64.27, '$64.27'],
    [0.12, '$0.12'],
    [0.00004, '$0.00004'],
    [0.000123, '$0.00012'],
    [0, '$0'],
    [0.001, '$0.001'],
    [-40, '-$40.00'],
    [null, '—'],
    [Number.NaN, '—'],
  ])('given %s, then %s', (amount, text) => {
    expect(formatUsd(amount)).toBe(text);
  });

  it('signs a change, and compacts on request', () => {
    expect(formatUsd(4_350.9, { signed: true })).toBe('+$4,351');
    expect(formatUsd(-4_350.9, { signed: true })).toBe('-$4,351');
    expect(formatUsd(0, { signed: true })).toBe('$0');
    expect(formatUsd(412_345, { compact: true })).toBe('$412K');
  });
});

describe('formatPct', () => {
  it.each([
    [95.04, '95%'],
    [2.87, '2.9%'],
    [1, '1%'],
    [0.04, '<0.1%'],
    [0, '0%'],
    [391.17, '391%'],
    [1234, '1,234%'],
    [null, '—'],
  ])('given %s, then %s', (pct, text) => {
    expect(formatPct(pct)).toBe(text);
  });

  it('signs a change', () => {
    expect(formatPct(51.02, { signed: true })).toBe('+51%');
    expect(formatPct(-5.33, { signed: true })).toBe('-5.3%');
  });
});

describe('toCsv', () => {
  it('writes a header and records ending in CRLF, quoting after RFC 4180', () => {
    expect(
      toCsv(
        ['name', 'amount', 'ok', 'note'],
        [
          ['Elastic Load Balancing, "classic"', 1234.5, true, null],
          ['two\nlines', 1e-7, false, undefined],
        ],
      ),
    ).toBe(
      'name,amount,ok,note\r\n"Elastic Load Balancing, ""classic""",1234.5,true,\r\n"two\nlines",0,false,\r\n',
    );
  });

  it.each([
    [43089.1662, '43089.1662'],
    [0.000012, '0.000012'],
    [12, '12'],
    [-0.0000001, '0'],
    [2_500_000, '2500000'],
    [Number.POSITIVE_INFINITY, ''],
  ])('writes %s as %s: no exponent, no separators', (value, text) => {
    expect(csvNumber(value)).toBe(text);
  });
});

describe('csvField', () => {
  it.each([
    ['storefront', 'storefront'],
    ['team, "web"', '"team, ""web"""'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['-1+1', "'-1+1"],
    [' padded', '" padded"'],
    [-12.5, '-12.5'],
    [null, ''],
    [true, 'true'],
  ])('writes the field %j as %s', (value, cell) => {
    expect(csvField(value)).toBe(cell);
  });
});

import { describe, expect, it } from 'vitest';
import { alarmBadge, statusBadge } from './badge.js';
import { bar, stackedBar } from './bars.js';
import { BLOCKS, resample, sparkline } from './sparkline.js';
import { createPalette } from './style.js';
import { renderTable } from './table.js';
import { detectTerminal } from './terminal.js';
import { stripAnsi, truncate, truncateStart, visibleWidth, wrap } from './text.js';

const color = createPalette(true);
const plain = createPalette(false);

describe('detectTerminal', () => {
  it.each([
    {
      when: 'a TTY',
      stream: { isTTY: true, columns: 90 },
      env: {},
      color: true,
      interactive: true,
      width: 90,
    },
    {
      when: 'a pipe',
      stream: { isTTY: false },
      env: {},
      color: false,
      interactive: false,
      width: 100,
    },
    {
      when: 'NO_COLOR on a TTY',
      stream: { isTTY: true, columns: 90 },
      env: { NO_COLOR: '1' },
      color: false,
      interactive: true,
      width: 90,
    },
    {
      when: 'an empty NO_COLOR',
      stream: { isTTY: true, columns: 90 },
      env: { NO_COLOR: '' },
      color: true,
      interactive: true,
      width: 90,
    },
    {
      when: 'FORCE_COLOR through a pipe',
      stream: {},
      env: { FORCE_COLOR: '1' },
      color: true,
      interactive: false,
      width: 100,
    },
    {
      when: 'FORCE_COLOR=0 on a TTY',
      stream: { isTTY: true, columns: 90 },
      env: { FORCE_COLOR: '0' },
      color: false,
      interactive: true,
      width: 90,
    },
    {
      when: 'NO_COLOR and FORCE_COLOR',
      stream: { isTTY: true },
      env: { NO_COLOR: '1', FORCE_COLOR: '1' },
      color: false,
      interactive: true,
      width: 100,
    },
    {
      when: 'TERM=dumb',
      stream: { isTTY: true, columns: 90 },
      env: { TERM: 'dumb' },
      color: false,
      interactive: false,
      width: 100,
    },
    {
      when: 'a wide terminal',
      stream: { isTTY: true, columns: 240 },
      env: {},
      color: true,
      interactive: true,
      width: 100,
    },
    {
      when: 'a very narrow terminal',
      stream: { isTTY: true, columns: 40 },
      env: {},
      color: true,
      interactive: true,
      width: 60,
    },
    {
      when: 'a pipe with COLUMNS=80',
      stream: { isTTY: false },
      env: { COLUMNS: '80' },
      color: false,
      interactive: false,
      width: 80,
    },
    {
      when: 'a pipe with a COLUMNS that is not a number',
      stream: {},
      env: { COLUMNS: 'wide' },
      color: false,
      interactive: false,
      width: 100,
    },
    {
      when: 'a TTY of 80x24 (its own size beats COLUMNS)',
      stream: { isTTY: true, columns: 80, rows: 24 },
      env: { COLUMNS: '120' },
      color: true,
      interactive: true,
      width: 80,
      rows: 24,
    },
  ])(
    'given $when, then color=$color interactive=$interactive width=$width rows=$rows',
    ({ when: _when, stream, env, ...expected }) => {
      expect(detectTerminal(stream, env)).toEqual(expected);
    },
  );
});

describe('text', () => {
  it('measures and truncates colored text by what is visible', () => {
    const red = color.red('critical');
    expect(visibleWidth(red)).toBe(8);
    expect(stripAnsi(truncate(red, 5))).toBe('crit…');
    expect(truncate(red, 5).endsWith('\u001b[0m')).toBe(true);
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('abc', 0)).toBe('');
    expect(truncateStart('/home/me/platforms/prod.yaml', 16)).toBe('…forms/prod.yaml');
    expect(truncateStart('prod.yaml', 16)).toBe('prod.yaml');
  });
});

describe('wrap', () => {
  it('wraps words to the width, keeps the leading indent and indents what follows', () => {
    expect(wrap('  › one two three four', 12, '    ')).toEqual([
      '  › one two',
      '    three',
      '    four',
    ]);
    expect(wrap('short', 80)).toEqual(['short']);
    expect(wrap('', 80)).toEqual(['']);
    expect(wrap('averyveryverylongword x', 5)).toEqual(['averyveryverylongword', 'x']);
  });

  it('with breakWords, then a long name gets lines of its own, split after a hyphen where it can be', () => {
    expect(
      wrap('TargetTracking-store-workers-AlarmHigh-a639a0d2-d098-4f1f', 20, '', {
        breakWords: true,
      }),
    ).toEqual(['TargetTracking-', 'store-workers-', 'AlarmHigh-a639a0d2-', 'd098-4f1f']);
    expect(
      wrap('see ApproximateNumberOfMessagesVisible now', 12, '  ', { breakWords: true }),
    ).toEqual(['see', '  Approximat', '  eNumberOfM', '  essagesVis', '  ible now']);
    // Nothing is lost: the pieces put together are the text.
    const name = 'TargetTracking-store-web-AlarmLow-09ba4e00-1a39-4fc7-851d-bd2757d0946c';
    expect(wrap(name, 16, '', { breakWords: true }).join('')).toBe(name);
  });
});

describe('badges', () => {
  it.each([
    ['ok', '● OK'],
    ['degraded', '▲ DEGRADED'],
    ['critical', '✖ CRITICAL'],
    ['unknown', '? UNKNOWN'],
  ] as const)('given %s, then the badge reads "%s" with or without color', (status, text) => {
    expect(statusBadge(status, plain)).toBe(text);
    expect(stripAnsi(statusBadge(status, color))).toBe(text);
    expect(statusBadge(status, color)).not.toBe(text);
  });

  it('colors a critical status red and an ALARM red', () => {
    expect(statusBadge('critical', color)).toBe('\u001b[31m✖ CRITICAL\u001b[39m');
    expect(alarmBadge('ALARM', color)).toBe('\u001b[31m✖ ALARM\u001b[39m');
    expect(alarmBadge('INSUFFICIENT_DATA', plain)).toBe('? NO DATA');
  });
});

describe('sparkline', () => {
  it('draws the lowest block at zero and the highest at the maximum', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe(BLOCKS.join(''));
  });

  it('keeps a steady non-negative series steady instead of magnifying noise', () => {
    expect(sparkline([100, 101, 100, 99])).toBe('████');
  });

  it('scales between min and max when the series goes negative', () => {
    expect(sparkline([-10, 0, 10])).toBe('▁▅█');
  });

  it('shows missing data as blanks and an all-zero series as the floor', () => {
    expect(sparkline([1, null, 1])).toBe('█ █');
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
    expect(sparkline([null, null])).toBe('  ');
  });

  it('averages long series into at most `width` buckets', () => {
    expect(resample([1, 3, 5, 7, null, null], 3)).toEqual([2, 6, null]);
    expect(
      sparkline(
        Array.from({ length: 120 }, (_, i) => i),
        { width: 30 },
      ),
    ).toHaveLength(30);
  });

  it('honours explicit bounds and lets the caller decorate each bucket', () => {
    expect(sparkline([50], { min: 0, max: 100 })).toBe('▅');
    expect(sparkline([0, 9], { paint: (ch, v) => (v > 5 ? `[${ch}]` : ch) })).toBe('▁[█]');
  });
});

describe('renderTable', () => {
  const columns = [
    { header: 'name' },
    { header: 'value', align: 'right' as const },
    { header: 'note', shrink: true, minWidth: 6 },
  ];

  it('aligns columns with two-space gutters and right-aligns numbers', () => {
    const lines = renderTable(
      columns,
      [
        ['a', '1', 'x'],
        ['bbb', '22', 'y'],
      ],
      { width: 80 },
    );
    expect(lines).toEqual(['name  value  note', 'a         1  x', 'bbb      22  y']);
  });

  it('shrinks the shrinkable column to fit the width, cutting with "…"', () => {
    const long = 'a reason that is far too long to fit in the narrow table';
    const lines = renderTable(columns, [['web', '3', long]], { width: 30, indent: 2 });
    for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(30);
    expect(lines[1]).toMatch(/^ {2}web {7}3 {2}a reason .*…$/);
  });

  it('shrinks higher-priority columns first, down to their minimum', () => {
    const cols = [
      { header: 'name', shrink: 1, minWidth: 6 },
      { header: 'detail', shrink: 2, minWidth: 6 },
    ];
    const [, row] = renderTable(cols, [['n'.repeat(20), 'd'.repeat(20)]], { width: 30 });
    expect(row).toBe(`${'n'.repeat(20)}  ${'d'.repeat(7)}…`);
    const [, tight] = renderTable(cols, [['n'.repeat(20), 'd'.repeat(20)]], { width: 20 });
    expect(tight).toBe(`${'n'.repeat(11)}…  ddddd…`);
  });

  it('lines up colored cells by their visible width', () => {
    const lines = renderTable(
      [{ header: 'state' }, { header: 'n' }],
      [
        [color.red('ALARM'), '1'],
        ['OK', '2'],
      ],
      { width: 80 },
    );
    expect(lines.map(stripAnsi)).toEqual(['state  n', 'ALARM  1', 'OK     2']);
  });

  it('leaves a table alone when nothing may shrink', () => {
    const lines = renderTable([{ header: 'h' }], [['x'.repeat(50)]], { width: 20 });
    expect(lines[1]).toBe('x'.repeat(50));
  });
});

describe('bars', () => {
  it('draws eighths, and a sliver for any amount above zero', () => {
    expect(bar(50, 100, 10)).toBe('█████');
    expect(bar(55, 100, 10)).toBe('█████▌');
    expect(bar(0.01, 100, 10)).toBe('▏');
    expect(bar(0, 100, 10)).toBe('');
  });

  it('stacks segments whose widths add up to the whole bar', () => {
    const segments = [
      { value: 60, glyph: '█' },
      { value: 30, glyph: '▓' },
      { value: 10, glyph: '·' },
    ];
    expect(stackedBar(segments, 100, 10)).toBe('██████▓▓▓·');
    expect(stackedBar(segments, 200, 10)).toBe('███▓▓');
    expect(stackedBar([{ value: 0.1, glyph: '█' }], 100, 10)).toBe('▏');
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatAgo,
  formatClock,
  formatDuration,
  formatNumber,
  formatParts,
  formatThreshold,
  formatTimestamp,
  formatValue,
  HEALTH_SOURCES,
  shortUnit,
  sourceFailureWords,
  sourceTitle,
  valueAxis,
} from './index.js';

describe('formatNumber', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [0.0421, '0.0421'],
    [0.009, '0.009'],
    [0.00968, '0.00968'],
    [0.000012345, '0.0000123'],
    [7.25, '7.25'],
    [12.34, '12.3'],
    [2.5, '2.5'],
    [100, '100'],
    [312.6, '313'],
    [999.7, '1,000'],
    [1234, '1,234'],
    [9_999.4, '9,999'],
    [12_345, '12.3K'],
    [27_300, '27.3K'],
    [999_999, '1M'],
    [2_500_000, '2.5M'],
    [3_200_000_000, '3.2B'],
    [-640, '-640'],
    [-12_345, '-12.3K'],
    [Number.NaN, '—'],
    [Number.POSITIVE_INFINITY, '—'],
  ])('given %s, then %j', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });
});

describe('formatValue', () => {
  it.each([
    // Small percentages keep their significant digits: an error rate of 0.009% is not 0%.
    [0.009, '%', '0.009%'],
    [0.42, '%', '0.42%'],
    [87.4, 'Percent', '87.4%'],
    [0, '%', '0%'],
    [312, 'ms', '312 ms'],
    [1840, 'ms', '1.84 s'],
    [420_000, 'ms', '7 min'],
    [15_000_000, 'Milliseconds', '4.17 h'],
    [46_800_000, 'ms', '13 h'],
    [0.25, 'Seconds', '250 ms'],
    [90, 'Seconds', '1.5 min'],
    [12_300, 'req/min', '12.3K req/min'],
    [1_250, 'req/min', '1,250 req/min'],
    [5_242_880, 'Bytes', '5 MB'],
    [42, 'Count', '42'],
    [3.5, 'Count/Second', '3.5/s'],
    [null, 'ms', '—'],
    [undefined, '%', '—'],
    [Number.NaN, '%', '—'],
  ])('given %s %s, then %j', (value, unit, text) => {
    expect(formatValue(value, unit)).toBe(text);
  });

  it('splits a value into number and unit for a big number beside a small unit', () => {
    expect(formatParts(27_300, 'req/min')).toEqual({ value: '27.3K', unit: 'req/min' });
    expect(formatParts(0.0231, '%')).toEqual({ value: '0.0231', unit: '%' });
    expect(formatParts(150_000, 'ms')).toEqual({ value: '2.5', unit: 'min' });
    expect(formatParts(null, 'ms')).toEqual({ value: '—', unit: '' });
  });

  it.each([
    ['Count', ''],
    ['None', ''],
    ['Count/Second', '/s'],
    ['Bytes/Second', 'B/s'],
    ['req/min', 'req/min'],
  ])('shortens the CloudWatch unit %j to %j', (unit, short) => {
    expect(shortUnit(unit)).toBe(short);
  });

  it('formats an SLO as degraded / critical', () => {
    expect(formatThreshold({ degraded: 500, critical: 1200 }, 'ms')).toBe('500 ms / 1.2 s');
    expect(formatThreshold({ critical: 5 }, '%')).toBe('— / 5%');
    expect(formatThreshold(undefined, '%')).toBe('—');
    expect(formatThreshold({}, '%')).toBe('—');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [400, '0s'],
    [42_000, '42s'],
    [90_000, '1m 30s'],
    [180_000, '3m'],
    [900_000, '15m'],
    [3_600_000, '1h'],
    [3_720_000, '1h 2m'],
    [5_400_000, '1h 30m'],
    [86_400_000 + 3 * 3_600_000, '1d 3h'],
    [86_400_000 + 5 * 60_000, '1d'],
    [2 * 86_400_000, '2d'],
    [1_209_600_000, '14d'],
    [-5_000, '0s'],
  ])('given %d ms, then %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('in words, says one rounded unit', () => {
    expect(formatDuration(90_000, 'words')).toBe('2 min');
    expect(formatDuration(13 * 3_600_000, 'words')).toBe('13 h');
  });
});

describe('times', () => {
  const now = Date.UTC(2025, 10, 23, 20, 0, 0);

  it.each([
    [now - 180_000, '3m ago'],
    [now - 1_000, 'just now'],
    [now + 1_000, 'just now'],
    [now - 90 * 60_000, '1h 30m ago'],
    [now + 60_000, 'in 1m'],
  ])('given %d, then %j relative to now', (then, text) => {
    expect(formatAge(then, now)).toBe(text);
  });

  it.each([
    [0, '0 s ago'],
    [42_000, '42 s ago'],
    [90_000, '2 min ago'],
    [5_400_000, '2 h ago'],
    [47 * 3_600_000, '47 h ago'],
    [3 * 86_400_000, '3 d ago'],
  ])('given %d ms passed, then %j in words (pages)', (ms, text) => {
    expect(formatAgo(ms)).toBe(text);
  });

  it('writes clock times and timestamps in UTC', () => {
    expect(formatClock(now + 3 * 60_000)).toBe('20:03 UTC');
    expect(formatTimestamp(now + 7_500)).toBe('2025-11-23 20:00:07 UTC');
  });
});

describe('valueAxis', () => {
  it.each([
    // The worker queue's age on Black Friday: hours in round hours, never "4.17 h".
    { wanted: 15_000_000 * 4, unit: 'ms', ticks: ['0 h', '6 h', '12 h', '18 h'] },
    { wanted: 46_800_000 * 1.1, unit: 'ms', ticks: ['0 h', '3 h', '6 h', '9 h', '12 h', '15 h'] },
    { wanted: 6 * 60_000, unit: 'ms', ticks: ['0 min', '2 min', '4 min', '6 min'] },
    { wanted: 90 * 60_000, unit: 'ms', ticks: ['0 min', '30 min', '60 min', '90 min'] },
    { wanted: 90_000, unit: 'ms', ticks: ['0 s', '30 s', '60 s', '90 s'] },
    { wanted: 1_260, unit: 'ms', ticks: ['0 s', '0.5 s', '1 s', '1.5 s'] },
    { wanted: 500, unit: 'ms', ticks: ['0 ms', '100 ms', '200 ms', '300 ms', '400 ms', '500 ms'] },
    { wanted: 0.85, unit: 'Seconds', ticks: ['0 ms', '250 ms', '500 ms', '750 ms', '1,000 ms'] },
    { wanted: 100, unit: '%', ticks: ['0%', '25%', '50%', '75%', '100%'] },
    { wanted: 0.055, unit: '%', ticks: ['0%', '0.02%', '0.04%', '0.06%'] },
    { wanted: 220_000, unit: 'req/min', ticks: ['0', '50K', '100K', '150K', '200K', '250K'] },
    { wanted: 4_600, unit: 'req/min', ticks: ['0', '1,000', '2,000', '3,000', '4,000', '5,000'] },
    { wanted: 0, unit: 'Count', ticks: ['0', '0.25', '0.5', '0.75', '1'] },
  ])('given $wanted $unit, then ticks $ticks', ({ wanted, unit, ticks }) => {
    const axis = valueAxis(wanted, unit);
    expect(axis.ticks.map(axis.label)).toEqual(ticks);
    expect(axis.top).toBe(axis.ticks[axis.ticks.length - 1]);
    expect(axis.top).toBeGreaterThanOrEqual(wanted);
  });

  it('writes every tick of an axis in the one unit picked from its domain', () => {
    for (const wanted of [900, 4_000, 70_000, 600_000, 7_000_000, 60_000_000]) {
      const axis = valueAxis(wanted, 'ms');
      const units = new Set(axis.ticks.map((t) => axis.label(t).split(' ')[1]));
      expect(units.size, `${wanted} ms: ${axis.ticks.map(axis.label).join(', ')}`).toBe(1);
    }
  });
});

describe('the format module', () => {
  it('imports nothing at run time but its own files, so the browser bundle stays free of zod', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.includes('.test.'))) {
      const source = readFileSync(`${dir}/${file}`, 'utf8');
      const imports = [...source.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)];
      for (const [, typeOnly, from] of imports)
        expect(typeOnly || from!.startsWith('./'), `${file} imports ${from}`).toBeTruthy();
    }
  });
});

describe('source words', () => {
  it.each([
    ['throttled', 'throttled by AWS', 'throttled'],
    ['access-denied', 'access denied', 'access denied'],
    ['unreachable', 'endpoint unreachable', 'unreachable'],
    ['credentials', 'no usable AWS credentials', 'without credentials'],
  ] as const)('names a %s failure "%s", and "%s" in a few words', (kind, gist, short) => {
    expect(sourceFailureWords(kind)).toBe(gist);
    expect(sourceFailureWords(kind, 'short')).toBe(short);
  });

  it('says a failure of no known kind is "unavailable", never nothing', () => {
    expect(sourceFailureWords(undefined)).toBe('unavailable');
  });

  it('titles every health source, and falls back to the raw name', () => {
    expect(Object.values(HEALTH_SOURCES).map((s) => sourceTitle(s))).toEqual([
      'CloudWatch metrics',
      'CloudWatch alarms',
      'Auto Scaling',
    ]);
    expect(sourceTitle(HEALTH_SOURCES.metrics, 'short')).toBe('metrics');
    expect(sourceTitle('x-ray')).toBe('x-ray');
  });
});

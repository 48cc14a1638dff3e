import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handleSummary, SUMMARY_MARKER } from '../src/lib/summary.js';

// handleSummary's argument as k6 (v0.30 to v1) passes it: values per metric, thresholds' `ok`.
const data = {
  state: { testRunDurationMs: 61_250 },
  metrics: {
    http_reqs: { type: 'counter', values: { count: 1200, rate: 19.6 } },
    http_req_duration: {
      type: 'trend',
      values: { avg: 52.1, med: 40, 'p(95)': 130, 'p(99)': 240, max: 300, count: 1200 },
      thresholds: { 'p(95)<500': { ok: true } },
    },
    'http_req_duration{step:checkout}': {
      type: 'trend',
      values: { avg: 80, 'p(95)': 700, count: 12 },
      thresholds: { 'p(95)<500': { ok: false } },
    },
  },
};

describe('the end-of-test summary', () => {
  it('prints a readable text, then one marked line with the metrics and which thresholds failed', () => {
    const { stdout } = handleSummary(data);
    const lines = stdout!.trim().split('\n');
    expect(stdout).toMatch(/http_req_duration\.+: avg=52\.10 med=40\.00 p\(95\)=130/);
    expect(stdout).toMatch(/✗ http_req_duration\{step:checkout\}: p\(95\)<500/);
    expect(lines.filter((l) => l.startsWith(SUMMARY_MARKER))).toHaveLength(1);
    const marked = JSON.parse(lines.at(-1)!.slice(SUMMARY_MARKER.length + 1)) as unknown;
    expect(marked).toEqual({
      durationMs: 61_250,
      metrics: {
        http_reqs: { count: 1200, rate: 19.6 },
        http_req_duration: {
          avg: 52.1,
          med: 40,
          'p(95)': 130,
          'p(99)': 240,
          max: 300,
          count: 1200,
        },
        'http_req_duration{step:checkout}': { avg: 80, 'p(95)': 700, count: 12 },
      },
      thresholds: [
        { metric: 'http_req_duration', expression: 'p(95)<500', failed: false },
        { metric: 'http_req_duration{step:checkout}', expression: 'p(95)<500', failed: true },
      ],
    });
  });

  it('every bundled scenario exports it', () => {
    for (const file of readdirSync('dist').filter((f) => f.endsWith('.js')))
      expect(readFileSync(`dist/${file}`, 'utf8')).toMatch(/export\s*\{[^}]*handleSummary/);
  });
});

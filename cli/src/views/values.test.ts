// Values as `ballast health` prints them come from core's one formatter: small rates keep
// their significant digits, durations take the unit that fits.
import { PlatformHealthSchema } from '@ballast/core';
import { describe, expect, it } from 'vitest';
import { createPalette } from '../output/style.js';
import { renderHealth } from './health-view.js';

const now = Date.UTC(2026, 10, 27, 20, 0, 0);
const points = (v: number) =>
  Array.from({ length: 5 }, (_, i) => ({ t: now - (5 - i) * 60_000, v }));

function render(signals: { signal: string; unit: string; value: number }[]): string {
  const health = PlatformHealthSchema.parse({
    platform: '3d-store',
    context: 'sandbox',
    evaluatedAt: now,
    window: { start: now - 3_600_000, end: now },
    status: 'ok',
    tiers: [
      {
        tier: 'data',
        title: 'Data',
        status: 'ok',
        reasons: [],
        alarms: [],
        signals: signals.map((s) => ({
          signal: s.signal,
          label: s.signal,
          unit: s.unit,
          current: s.value,
          points: points(s.value),
          status: 'ok',
          threshold: s.unit === '%' ? { degraded: 0.1, critical: 1 } : undefined,
        })),
      },
    ],
    firingAlarms: [],
    groups: [],
    activities: [],
    sources: [],
  });
  return renderHealth(health, {
    palette: createPalette(false),
    width: 100,
    now,
    context: { name: 'sandbox', region: 'us-east-1' },
    errorContext: { contextName: 'sandbox', region: 'us-east-1', sandbox: true },
  }).join('\n');
}

describe('values in `ballast health`', () => {
  it('given a throttle rate of 0.009%, then it says 0.009%, not 0%', () => {
    const text = render([{ signal: 'errors', unit: '%', value: 0.009 }]);
    expect(text).toMatch(/errors +errors +0\.009% +0\.1% \/ 1%/);
  });

  it('given a 5xx rate of 0.0421%, then all three significant digits show', () => {
    expect(render([{ signal: 'errors', unit: '%', value: 0.0421 }])).toMatch(/0\.0421%/);
  });

  it('given a queue 13 hours old, then it says 13 h', () => {
    expect(render([{ signal: 'latency', unit: 'ms', value: 46_800_000 }])).toMatch(
      /latency +latency +13 h/,
    );
  });
});

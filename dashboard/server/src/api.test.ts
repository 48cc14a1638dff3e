import { HEALTH_SOURCES } from '@ballast/core';
import { describe, expect, it } from 'vitest';
import { makeHealth } from '../../test/health-fixture.js';
import { summarizeHealth } from './api.js';

describe('summarizeHealth', () => {
  it('given the alarms could not be read, then the summary says unknown (null), not zero, with each tier marked', () => {
    const reason = 'Alarms unavailable — access-denied: not authorized';
    const base = makeHealth({ now: 1_700_000_000_000 });
    const health = {
      ...base,
      status: 'unknown' as const,
      firingAlarms: null,
      tiers: base.tiers.map((t) => ({
        ...t,
        status: 'unknown' as const,
        reasons: [reason],
        sourceFailures: [{ source: HEALTH_SOURCES.alarms, reason }],
      })),
      sources: [
        {
          source: HEALTH_SOURCES.metrics,
          ok: false,
          dataAsOf: base.evaluatedAt - 240_000,
          ageMs: 240_000,
          error: { kind: 'throttled' as const, message: 'Rate exceeded' },
        },
        {
          source: HEALTH_SOURCES.alarms,
          ok: false,
          error: { kind: 'access-denied' as const, message: 'not authorized' },
        },
      ],
    };
    const summary = summarizeHealth(health);
    expect(summary.firingAlarms).toBeNull();
    expect(summary.tiers.every((t) => t.sourceFailures[0]?.reason === reason)).toBe(true);
    expect(summary.sources[0]).toMatchObject({
      dataAsOf: base.evaluatedAt - 240_000,
      ageMs: 240_000,
    });
  });
});

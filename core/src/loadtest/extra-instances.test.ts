import { describe, expect, it } from 'vitest';
import { flat } from '../../test/load-profile.js';
import { recordedWebWeek } from '../../test/recorded-week.js';
import type { ReplayConfig } from '../capacity/replay.js';
import { loadTestExtraInstances, testRequestsPerMinute } from './extra-instances.js';
import { parseLoadProfile } from './profile.js';

const NOW = Date.UTC(2026, 10, 27, 6, 0);
const SLO = { latency: { degraded: 500, critical: 1200 }, saturation: { degraded: 80 } };
// the sandbox's web group: m6i.large instances, CPU target 50
const current: ReplayConfig = {
  min: 2,
  max: 20,
  policy: {
    metric: 'cpu',
    target: 50,
    warmupMinutes: 5,
    scaleInCooldownMinutes: 5,
    maxScaleInFraction: 0.1,
  },
  prices: { onDemandPerHour: 0.096, spotPerHour: 0.0336 },
};
const recorded = recordedWebWeek(NOW - 7 * 86_400_000, { min: 2, max: 20, targetCpu: 50 });
/** 300 req/s more for 15 minutes, then nothing */
const surge = Array.from({ length: 15 }, () => 300 * 60);

describe('loadTestExtraInstances', () => {
  it('given a test adding 300 req/s for 15 minutes, then the policy adds instances for about that long, and the replay past the test counts their scale-in', () => {
    const extra = loadTestExtraInstances({
      recorded,
      current,
      slo: SLO,
      testRequestsPerMinute: surge,
      now: NOW,
    });

    if ('unavailable' in extra) throw new Error(extra.unavailable);
    // an instance serves 55 req/s at 100% CPU, 27.5 at the target: about 11 more at the peak
    expect(extra.peakInstances.with - extra.peakInstances.without).toBeGreaterThanOrEqual(8);
    expect(extra.peakInstances.with - extra.peakInstances.without).toBeLessThanOrEqual(13);
    // they arrive after warm-up and leave a step at a time: between 1 and 11 x 45 min of hours
    expect(extra.instanceHours).toBeGreaterThan(1);
    expect(extra.instanceHours).toBeLessThan(11 * 0.75);
    expect(extra.minutes).toBe(15 + 30);
    expect(extra.basis).toMatch(/last 45 recorded minutes through its current scaling/);
  });

  it('given a test too small to move the policy, then it adds nothing', () => {
    const extra = loadTestExtraInstances({
      recorded,
      current,
      slo: SLO,
      testRequestsPerMinute: [60, 60],
      now: NOW,
    });
    expect(extra).toMatchObject({ instanceHours: 0 });
  });

  it('given fewer recorded minutes than the replay needs, then it says so', () => {
    const extra = loadTestExtraInstances({
      recorded,
      current,
      slo: SLO,
      testRequestsPerMinute: surge,
      now: recorded.start + 20 * 60_000,
    });
    expect(extra).toEqual({
      unavailable: expect.stringMatching(/Less than the 45 recorded minutes/),
    });
  });
});

describe('testRequestsPerMinute', () => {
  it('follows the arrival stages minute by minute, counting the session requests that reach the group', () => {
    // 600 shoppers in 60 s sessions start 600 sessions a minute, each landing once
    const profile = parseLoadProfile(
      {
        ...flat,
        scenario: 'ramp',
        description: 'From none to 600 shoppers in 2 minutes, held a minute.',
        startShoppers: 0,
        stages: [
          { name: 'ramp', duration: '2m', shoppers: 600 },
          { name: 'hold', duration: '1m', shoppers: 600 },
        ],
      },
      'ramp.json',
    );
    const perMinute = testRequestsPerMinute(profile, ['landing']);
    // at the middle of each minute: a quarter, three quarters, then all of the 600
    expect(perMinute).toEqual([150, 450, 600]);
    expect(testRequestsPerMinute(profile, [])).toEqual([0, 0, 0]);
  });
});

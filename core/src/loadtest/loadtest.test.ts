import { describe, expect, it } from 'vitest';
import { loadPlatformConfig, referencePlatformConfigPath } from '../config/index.js';
import { ConfigError } from '../config/config-error.js';
import type { PlatformConfig } from '../model/platform.js';
import { estimateLoad, sessionSeconds } from './estimate.js';
import { k6RunOptions, thresholdsFromSlos } from './k6-options.js';
import { flat } from '../../test/load-profile.js';
import { LOAD_STEPS, parseLoadProfile, scaleLoadProfile } from './profile.js';

describe('parseLoadProfile', () => {
  it('reads durations as people write them and fills the funnel defaults', () => {
    // Given a profile that leaves the funnel, devices and assets out
    const profile = parseLoadProfile(
      {
        scenario: 'tiny',
        description: 'x',
        startShoppers: 1,
        stages: [
          { duration: '90s', shoppers: 2 },
          { duration: 120, shoppers: 1 },
        ],
      },
      'tiny.json',
    );
    // Then durations are seconds and the defaults are e-commerce's averages
    expect(profile.stages.map((s) => s.duration)).toEqual([90, 120]);
    expect(profile.gracefulStop).toBe(30);
    expect(profile.funnel.addToCartShare).toBe(0.07);
    expect(profile.funnel.purchaseShare).toBeGreaterThanOrEqual(0.02);
    expect(profile.funnel.purchaseShare).toBeLessThanOrEqual(0.03);
    expect(profile.devices.reduce((sum, d) => sum + d.share, 0)).toBeCloseTo(1);
  });

  it('names the file and the path of every problem', () => {
    // Given a profile with a bad duration, a negative shopper count and shares not adding up
    const bad = {
      ...flat,
      stages: [{ duration: 'soon', shoppers: -1 }],
      devices: [{ name: 'phone', share: 0.5, lod: 2 }],
    };
    // When it is parsed, Then the error lists each problem with file and path
    let error: unknown;
    try {
      parseLoadProfile(bad, 'profiles/flat.json');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Invalid load profile profiles\/flat\.json \(3 problems\):/);
    expect(message).toContain('profiles/flat.json: stages[0].duration: "soon" is not a duration');
    expect(message).toContain('profiles/flat.json: stages[0].shoppers:');
    expect(message).toContain('profiles/flat.json: devices: device shares must add up to 1');
  });

  it('refuses more purchases than sessions with a cart', () => {
    // 1 - 0.93^3 = 19.6% of sessions add to cart: 25% cannot check out
    expect(() =>
      parseLoadProfile(
        { ...flat, funnel: { productViews: 3, addToCartShare: 0.07, purchaseShare: 0.25 } },
        'p.json',
      ),
    ).toThrow(/funnel\.purchaseShare: 0\.25 is above the share of sessions with a cart \(0\.1956/);
  });
});

describe('scaleLoadProfile', () => {
  const bf = parseLoadProfile(
    {
      ...flat,
      startShoppers: 200,
      stages: [
        { name: 'baseline', duration: '5m', shoppers: 200 },
        { name: 'door-buster', duration: '1m', shoppers: 1800 },
        { name: 'surge', duration: '14m', shoppers: 2400 },
        { name: 'hold', duration: '20m', shoppers: 2400 },
      ],
    },
    'bf.json',
  );

  it('multiplies shoppers and keeps the shape in the new length', () => {
    // When a 40-minute profile is run at 1% for 10 minutes
    const small = scaleLoadProfile(bf, { scale: 0.01, durationSeconds: 600, maxVus: 50 });
    // Then each stage keeps its share of the time (5/40 of 600 s = 75 s ...), the total is exact
    expect(small.stages.map((s) => s.duration)).toEqual([75, 15, 210, 300]);
    expect(small.stages.map((s) => s.shoppers)).toEqual([2, 18, 24, 24]);
    expect(small.startShoppers).toBe(2);
    expect(small.maxVus).toBe(50);
    // And the result is still a valid profile
    expect(parseLoadProfile(small, 'scaled')).toEqual(small);
  });

  it('gives every stage at least a second and still ends on the total', () => {
    const short = scaleLoadProfile(bf, { durationSeconds: 7 });
    expect(short.stages.every((s) => s.duration >= 1)).toBe(true);
    expect(short.stages.reduce((sum, s) => sum + s.duration, 0)).toBe(7);
    expect(() => scaleLoadProfile(bf, { durationSeconds: 3 })).toThrow(/at least 1 s per stage/);
    expect(() => scaleLoadProfile(bf, { scale: 0 })).toThrow(/scale must be a positive number/);
  });
});

describe('estimateLoad', () => {
  it('counts sessions, requests and bytes from the funnel (Little\u2019s law)', () => {
    const profile = parseLoadProfile(flat, 'flat.json');
    // 6 pages x 10 s = 60 s a session; 600 shoppers / 60 s = 10 sessions a second
    expect(sessionSeconds(profile)).toBe(60);
    const estimate = estimateLoad(profile);
    expect(estimate.durationSeconds).toBe(600);
    expect(estimate.iterations).toBe(6000);
    // per session: landing 1, catalog 2, search 0.5, product 2, metadata 1, GLB 1,
    // textures 2, cart 0.5, checkout 0 = 10 requests
    expect(estimate.requests).toBe(60_000);
    expect(estimate.peakRequestsPerSecond).toBe(100);
    expect(estimate.peakVus).toBe(600);
    const step = (name: string) => estimate.steps.find((s) => s.step === name)!;
    expect(estimate.steps.map((s) => s.step)).toEqual([...LOAD_STEPS]);
    // a tablet loads LOD 1: a quarter of the 4 MB model; textures are 500 kB each
    expect(step('model-glb')).toEqual({ step: 'model-glb', requests: 6000, bytes: 6_000_000_000 });
    expect(step('texture')).toEqual({ step: 'texture', requests: 12_000, bytes: 6_000_000_000 });
    expect(step('checkout').requests).toBe(0);
  });

  it('integrates a ramp: 0 to 600 shoppers over 10 minutes starts half the sessions of a hold', () => {
    const ramp = parseLoadProfile(
      { ...flat, startShoppers: 0, stages: [{ duration: '10m', shoppers: 600 }] },
      'ramp.json',
    );
    expect(estimateLoad(ramp).iterations).toBe(3000);
  });
});

describe('thresholdsFromSlos', () => {
  const config: PlatformConfig = loadPlatformConfig(referencePlatformConfigPath);

  it("holds the API to the web tier's latency and error SLOs, aborting on the critical ones", () => {
    // Given the sandbox platform: web latency 500/1200 ms, errors 0.5/2 %
    const thresholds = thresholdsFromSlos(config);
    expect(thresholds['http_req_duration{kind:api}']).toEqual([
      'p(95)<500',
      { threshold: 'p(99)<1200', abortOnFail: true, delayAbortEval: '1m' },
    ]);
    expect(thresholds.http_req_failed).toEqual([
      'rate<0.005',
      { threshold: 'rate<0.02', abortOnFail: true, delayAbortEval: '1m' },
    ]);
    expect(thresholds.model_ttlb).toEqual(['p(95)<3000']);
    // And one submetric per journey step, so the summary export carries each step
    for (const step of LOAD_STEPS)
      expect(thresholds[`http_req_duration{step:${step}}`]).toHaveLength(1);
    expect(thresholds['http_req_duration{step:model-glb}']).toEqual(['p(95)<3000']);
    expect(thresholds['http_req_duration{step:cart}']).toEqual(['p(95)<500']);
  });

  it('keeps the per-step figures when the web tier has no latency SLO', () => {
    const bare: PlatformConfig = {
      ...config,
      tiers: config.tiers.map((t) => ({ ...t, slo: {} })),
    };
    const thresholds = thresholdsFromSlos(bare);
    expect(thresholds['http_req_duration{kind:api}']).toBeUndefined();
    expect(thresholds.http_req_failed).toBeUndefined();
    expect(thresholds['http_req_duration{step:landing}']).toEqual(['max>=0']);
  });
});

describe('k6RunOptions', () => {
  it("turns shoppers into k6's arrival rates and the funnel into the script's journey", () => {
    const profile = parseLoadProfile(
      { ...flat, startShoppers: 60, stages: [{ duration: '2m', shoppers: 600 }] },
      'p.json',
    );
    const run = k6RunOptions(profile, { model_ttlb: ['p(95)<3000'] });
    const scenario = run.options.scenarios.flat!;
    // 60 shoppers / 60 s sessions = 60 a minute; 600 shoppers = 600 a minute
    expect(scenario).toMatchObject({
      executor: 'ramping-arrival-rate',
      startRate: 60,
      timeUnit: '1m',
      preAllocatedVUs: 600,
      maxVUs: 900,
      stages: [{ target: 600, duration: '120s' }],
      gracefulStop: '30s',
    });
    expect(run.options.thresholds).toEqual({ model_ttlb: ['p(95)<3000'] });
    expect(run.options.summaryTrendStats).toContain('p(99)');
    // 1 - 0.75^2 = 43.75% of sessions have a cart; none of them check out here
    expect(run.journey.checkoutShare).toBe(0);
    expect(run.journey.devices).toEqual([{ name: 'tablet', share: 1, lod: 1 }]);
  });

  it('checks out enough carts for the purchase share, and caps VUs at maxVus', () => {
    const profile = parseLoadProfile(
      { ...flat, maxVus: 100, funnel: { ...flat.funnel, purchaseShare: 0.35 } },
      'p.json',
    );
    const run = k6RunOptions(profile, {});
    expect(run.journey.checkoutShare).toBeCloseTo(0.35 / 0.4375, 10);
    expect(run.options.scenarios.flat).toMatchObject({ preAllocatedVUs: 100, maxVUs: 100 });
  });
});

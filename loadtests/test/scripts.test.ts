import {
  LOAD_STEPS,
  k6RunOptions,
  loadPlatformConfig,
  parseLoadProfile,
  referencePlatformConfigPath,
  thresholdsFromSlos,
} from '@ballast/core';
import { startSandbox, type RunningSandbox } from '@ballast/sandbox';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profilePath, scenarioNames, scriptPath } from '../index.js';
import { runK6Script, type ScriptRun } from './run-k6-script.js';

/** A quiet Sunday evening, so the simulated web tier answers without overload. */
const QUIET = Date.parse('2025-11-23T20:00:00Z');

let sandbox: RunningSandbox;
let dir: string;
let optionsFile: string;
const thresholds = thresholdsFromSlos(loadPlatformConfig(referencePlatformConfigPath));

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    seed: 8,
    backfillDays: 0.05,
    coarseBackfillDays: 0,
    now: () => QUIET,
    tickMs: 60_000,
  });
  dir = mkdtempSync(join(tmpdir(), 'ballast-k6-'));
  // Run options in which every shopper takes every step, on a phone (small GLBs)
  const profile = parseLoadProfile(
    {
      ...JSON.parse(readFileSync(profilePath('smoke'), 'utf8')),
      funnel: {
        catalogPages: 2,
        searchShare: 1,
        productViews: 2,
        modelViewShare: 1,
        addToCartShare: 1,
        purchaseShare: 1,
      },
      devices: [{ name: 'phone', share: 1, lod: 2 }],
      verifyShare: 1,
    },
    'every-step.json',
  );
  optionsFile = join(dir, 'run-options.json');
  writeFileSync(optionsFile, JSON.stringify(k6RunOptions(profile, thresholds)));
});
afterAll(async () => {
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const run = (scenario: string, extra: { truncateBinary?: boolean; withOptions?: boolean } = {}) =>
  runK6Script(readFileSync(scriptPath(scenario), 'utf8'), {
    env: {
      BASE_URL: `${sandbox.url}/store`,
      ...(extra.withOptions === false ? {} : { BALLAST_RUN_OPTIONS: optionsFile }),
    },
    seed: 3,
    truncateBinary: extra.truncateBinary ?? false,
  });

const failed = (r: ScriptRun) => r.checks.filter((c) => !c.ok).map((c) => c.name);

describe.each(scenarioNames)('the %s script', (scenario) => {
  it('walks the whole journey against the storefront, every request tagged', async () => {
    // When one shopper's session runs with run options that take every step
    const result = await run(scenario);
    expect(result.error).toBeUndefined();
    expect(result.opened).toEqual([optionsFile]);
    // Then every journey step was requested, and every request says its step, name and kind
    expect([...new Set(result.requests.map((r) => r.tags.step))].sort()).toEqual(
      [...LOAD_STEPS].sort(),
    );
    for (const r of result.requests) {
      expect(LOAD_STEPS).toContain(r.tags.step);
      expect(r.tags.name).toBeTruthy();
      expect(r.tags.kind).toBe(
        r.tags.step === 'model-glb' || r.tags.step === 'texture' ? 'asset' : 'api',
      );
      expect(r.url.startsWith(`${sandbox.url}/store/`)).toBe(true);
      expect(r.status).toBeLessThan(300);
    }
    // And every check passed: the GLB bytes arrived complete, with a glTF header
    expect(failed(result)).toEqual([]);
    expect(result.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'GLB is complete (advertised size)',
        'GLB starts with a valid glTF header',
        'texture is complete (advertised size)',
        'checkout places the order',
      ]),
    );
    // The phone loads the coarsest level of detail, its time to last byte in model_ttlb
    const glbs = result.requests.filter((r) => r.tags.step === 'model-glb');
    expect(glbs.length).toBe(2);
    for (const glb of glbs) expect(glb.url).toMatch(/\/lod2\.glb$/);
    const ttlb = result.metrics.filter((m) => m.name === 'model_ttlb');
    expect(ttlb).toHaveLength(2);
    for (const m of ttlb) expect(m.value).toBeGreaterThan(0);
    const glbBytes = result.metrics
      .filter((m) => m.name === 'model_bytes' && m.tags.step === 'model-glb')
      .reduce((sum, m) => sum + m.value, 0);
    expect(glbBytes).toBe(glbs.reduce((sum, r) => sum + r.bytes, 0));
    // Shoppers think between pages
    expect(result.sleeps.length).toBeGreaterThanOrEqual(6);
    // And the script's options are the run options it was given
    expect(result.options).toEqual(JSON.parse(readFileSync(optionsFile, 'utf8')).options);
  });

  it("runs its bundled profile alone, held to the sandbox platform's SLOs", async () => {
    const result = await run(scenario, { withOptions: false });
    expect(result.error).toBeUndefined();
    expect(result.opened).toEqual([]);
    const options = result.options as {
      scenarios: Record<string, { executor: string }>;
      thresholds: Record<string, unknown>;
    };
    expect(Object.keys(options.scenarios)).toEqual([scenario]);
    expect(options.scenarios[scenario]!.executor).toBe('ramping-arrival-rate');
    expect(options.thresholds).toEqual(thresholds);
    expect(options.thresholds['http_req_duration{kind:api}']).toEqual([
      'p(95)<500',
      { threshold: 'p(99)<1200', abortOnFail: true, delayAbortEval: '1m' },
    ]);
    expect(result.requests.length).toBeGreaterThan(3);
  });
});

describe('GLB checks', () => {
  it('fail when the bytes that arrive are not the advertised model', async () => {
    // Given downloads that lose their last bytes on the way
    const result = await run('smoke', { truncateBinary: true });
    // Then the size checks fail, for GLBs and textures alike
    expect(failed(result)).toEqual(
      expect.arrayContaining([
        'GLB is complete (advertised size)',
        'texture is complete (advertised size)',
      ]),
    );
    // (a header whose length disagrees with the bytes is not a valid GLB either)
    expect(failed(result)).toContain('GLB starts with a valid glTF header');
  });
});

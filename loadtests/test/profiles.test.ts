import { estimateLoad, parseLoadProfile, sessionSeconds } from '@ballast/core';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { profilePath, scenarioNames, scriptPath } from '../index.js';

const load = (scenario: string) =>
  parseLoadProfile(JSON.parse(readFileSync(profilePath(scenario), 'utf8')), profilePath(scenario));

describe('load profiles', () => {
  it('has one valid profile per scenario, named as its file', () => {
    const files = readdirSync('profiles').map((f) => f.replace(/\.json$/, ''));
    expect(files.sort()).toEqual([...scenarioNames].sort());
    for (const scenario of scenarioNames) expect(load(scenario).scenario).toBe(scenario);
  });

  it('finds scripts and profiles by scenario, and names the choices for a wrong one', () => {
    expect(scriptPath('smoke')).toMatch(/\/loadtests\/dist\/smoke\.js$/);
    expect(profilePath('black-friday')).toMatch(/\/loadtests\/profiles\/black-friday\.json$/);
    expect(() => scriptPath('blackfriday')).toThrow(
      'No load-test scenario "blackfriday": choose one of smoke, black-friday, spike, soak, stress.',
    );
  });

  it('smoke runs a minute', () => {
    expect(estimateLoad(load('smoke')).durationSeconds).toBe(60);
  });

  it('black friday: a door-buster spike in the opening minute, 200 to 2,400 shoppers within 15 minutes, a hold', () => {
    const p = load('black-friday');
    expect(p.startShoppers).toBe(200);
    const opening = p.stages.findIndex((s) => s.name === 'door-buster');
    expect(p.stages[opening]!.duration).toBe(60);
    expect(p.stages[opening]!.shoppers).toBeGreaterThan(p.stages[opening + 1]!.shoppers);
    // the first stage at 2,400 ends within 15 minutes of the opening
    let elapsed = 0;
    let reached: number | undefined;
    for (const stage of p.stages.slice(opening)) {
      elapsed += stage.duration;
      if (stage.shoppers >= 2400 && reached === undefined) reached = elapsed;
    }
    expect(reached).toBeLessThanOrEqual(15 * 60);
    expect(p.stages.find((s) => s.name === 'hold')?.shoppers).toBe(2400);
    // ~7% of product views add to cart, 2-3% of sessions buy
    expect(p.funnel.addToCartShare).toBe(0.07);
    expect(p.funnel.purchaseShare).toBe(0.025);
    // 2,400 shoppers in ~50 s sessions start about 48 sessions a second
    expect(2400 / sessionSeconds(p)).toBeGreaterThan(30);
    expect(2400 / sessionSeconds(p)).toBeLessThan(70);
  });

  it('stress climbs in steps, each held, to find the knee', () => {
    const p = load('stress');
    const holds = p.stages.filter((s) => s.name?.startsWith('hold'));
    expect(holds.length).toBeGreaterThanOrEqual(6);
    for (let i = 1; i < holds.length; i++)
      expect(holds[i]!.shoppers).toBeGreaterThan(holds[i - 1]!.shoppers);
  });
});

import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarioNames } from '../index.js';
import { parseScript } from './run-k6-script.js';

// Given the bundled scenarios (the workspace's build runs before its tests)
const bundles = readdirSync('dist').filter((f) => f.endsWith('.js'));

describe('k6 bundles', () => {
  it('bundles every scenario, and only those', () => {
    const scenarios = readdirSync('src/scenarios').filter((f) => f.endsWith('.ts'));
    expect(bundles.sort()).toEqual(scenarios.map((f) => f.replace(/\.ts$/, '.js')).sort());
    expect(bundles.map((f) => f.replace(/\.js$/, '')).sort()).toEqual([...scenarioNames].sort());
  });

  it.each(bundles)('%s is ES2015 that imports only k6 modules', (file) => {
    const code = readFileSync(`dist/${file}`, 'utf8');
    // acorn at ecmaVersion 2015 refuses ?., ??, class fields, object spread, async, **:
    // what k6's older engine cannot parse.
    const { imports } = parseScript(code);
    expect(imports).toContain('k6/http');
    for (const spec of imports) expect(spec).toMatch(/^k6(\/[a-z-]+)*$/);
  });

  it('the ES2015 check refuses what an old k6 cannot parse', () => {
    expect(() => parseScript('const a = {}; export const b = a?.c;')).toThrow();
    expect(() => parseScript('export const b = null ?? 1;')).toThrow();
    expect(() => parseScript('const a = {}; export const b = { ...a };')).toThrow();
  });
});

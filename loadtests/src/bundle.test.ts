import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Given the bundled scenarios (the workspace's build runs before its tests)
const bundles = readdirSync('dist').filter((f) => f.endsWith('.js'));

describe('k6 bundles', () => {
  it('bundles every scenario', () => {
    const scenarios = readdirSync('src/scenarios').filter((f) => f.endsWith('.ts'));
    expect(bundles.sort()).toEqual(scenarios.map((f) => f.replace(/\.ts$/, '.js')).sort());
  });

  it.each(bundles)('%s imports only k6 modules and is plain JavaScript', (file) => {
    const code = readFileSync(`dist/${file}`, 'utf8');
    const imports = [...code.matchAll(/from\s+["']([^"']+)["']/g)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    for (const spec of imports) expect(spec).toMatch(/^k6(\/|$)/);
    // Parses as an ES module: no TypeScript syntax survived the bundle.
    expect(() =>
      execFileSync(process.execPath, ['--check', '--input-type=module'], { input: code }),
    ).not.toThrow();
  });

  it.each(bundles)('%s declares thresholds and a default function', (file) => {
    const code = readFileSync(`dist/${file}`, 'utf8');
    expect(code).toMatch(/thresholds/);
    expect(code).toMatch(/export\s*\{[^}]*as default/);
  });
});

// The README is the user's manual: what it says about scripting and configuration must match
// the code.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliRoot } from './testing/harness.js';

const repoRoot = join(cliRoot, '..');
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

/** Every source and documentation file of the repository (no dependencies, no builds). */
function* repositoryFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', '.git', '.turbo'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* repositoryFiles(path);
    else if (
      /\.(ts|tsx|js|mjs|json|md|ya?ml)$/.test(entry.name) &&
      entry.name !== 'package-lock.json'
    )
      yield path;
  }
}

describe('README', () => {
  it('documents every BALLAST_ environment variable the repository reads or mentions, in one table', () => {
    const section = readme.split('## Environment variables')[1]?.split('\n## ')[0] ?? '';
    const documented = new Set(
      section
        .split('\n')
        .filter((line) => line.startsWith('| `BALLAST_'))
        .map((line) => /`(BALLAST_[A-Z0-9_]+)`/.exec(line)?.[1]),
    );
    const used = new Set<string>();
    for (const file of repositoryFiles(repoRoot)) {
      if (file === join(repoRoot, 'README.md')) continue;
      for (const match of readFileSync(file, 'utf8').matchAll(/\bBALLAST_[A-Z0-9_]*[A-Z0-9]\b/g))
        used.add(match[0]);
    }
    expect(used.size).toBeGreaterThan(5);
    expect([...used].filter((name) => !documented.has(name)).sort()).toEqual([]);
  });

  it('tells scripts to read the verdict from result.status, not the envelope status', () => {
    expect(readme).toContain('read `result.status` from `--json`');
    expect(readme).not.toMatch(/read `status`\s+from `--json`/);
  });
});

// The README's minimal IAM policy must grant every AWS action the collectors call: access
// denied names the action to grant, and the README is where users copy it from.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = new URL('.', import.meta.url).pathname;
const readme = readFileSync(join(src, '..', '..', 'README.md'), 'utf8');

/** IAM prefixes of the adapters, by the SDK client package they import. */
const PREFIX: Record<string, string> = {
  'client-cloudwatch': 'cloudwatch',
  'client-auto-scaling': 'autoscaling',
  'client-cost-explorer': 'ce',
  'client-sts': 'sts',
};

/** Actions AWS answers whatever the policy says (no permission is needed for them). */
const NEVER_DENIED = new Set(['sts:GetCallerIdentity']);

function policyActions(): Set<string> {
  const section = readme.split('### Minimal IAM policy')[1] ?? '';
  const json = /```json\n([^]*?)```/.exec(section)?.[1] ?? '{}';
  const policy = JSON.parse(json) as { Statement: { Action: string[] }[] };
  return new Set(policy.Statement.flatMap((s) => s.Action));
}

function calledActions(): string[] {
  const actions = new Set<string>();
  for (const file of readdirSync(src)) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    const text = readFileSync(join(src, file), 'utf8');
    for (const [pkg, prefix] of Object.entries(PREFIX)) {
      if (!text.includes(`@aws-sdk/${pkg}'`)) continue;
      for (const match of text.matchAll(/new (\w+)Command\(/g))
        actions.add(`${prefix}:${match[1]}`);
    }
  }
  return [...actions].sort();
}

describe('the README’s IAM policy', () => {
  it('grants every action the collectors call', () => {
    const called = calledActions();
    expect(called).toEqual(
      expect.arrayContaining([
        'ce:GetCostAndUsage',
        'cloudwatch:GetMetricData',
        'autoscaling:PutScalingPolicy',
        'sts:GetCallerIdentity',
      ]),
    );
    const granted = policyActions();
    expect(called.filter((a) => !granted.has(a) && !NEVER_DENIED.has(a))).toEqual([]);
  });
});

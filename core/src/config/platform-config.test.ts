import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spendConfig } from '../model/platform.js';
import { changesConfig } from '../model/platform.js';
import { ConfigError } from './config-error.js';
import {
  loadPlatformConfig,
  parsePlatformConfig,
  selectTier,
  UnknownTierError,
} from './platform-config.js';

const referenceFile = new URL('../../platforms/sandbox.yaml', import.meta.url).pathname;

const validYaml = `name: shop
region: eu-west-1
tiers:
  - id: web
    title: Web
    resources:
      - type: alb
        loadBalancer: app/shop-alb/0123abcd
        targetGroup: targetgroup/shop-web/4567ef
      - type: asg
        name: shop-web
    slo:
      errors: { degraded: 1, critical: 5 }
`;

function problemsOf(text: string): ConfigError {
  try {
    parsePlatformConfig(text, 'shop.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parsePlatformConfig', () => {
  it('given the reference platform file, then it loads all four tiers', () => {
    const config = loadPlatformConfig(referenceFile);
    expect(config.tiers.map((t) => t.id)).toEqual(['edge', 'web', 'workers', 'data']);
  });

  it('given valid YAML, then the config has defaults filled in', () => {
    const config = parsePlatformConfig(validYaml.replace(/ {4}slo:\n.*\n/, ''), 'shop.yaml');
    expect(config.tiers[0]?.slo).toEqual({});
    expect(changesConfig(config)).toEqual({ maxStepShare: 0.5, groups: {} });
  });

  it('given the reference platform file, then its change guardrails bound both groups', () => {
    const changes = changesConfig(loadPlatformConfig(referenceFile));
    expect(Object.keys(changes.groups)).toEqual(['store-web', 'store-workers']);
    expect(changes.groups['store-workers']?.spotShare).toEqual({ min: 50, max: 100 });
  });

  it('given the same config as JSON, then it parses to the same value', () => {
    const fromYaml = parsePlatformConfig(validYaml, 'shop.yaml');
    expect(parsePlatformConfig(JSON.stringify(fromYaml, null, 2), 'shop.json')).toEqual(fromYaml);
  });

  it.each([
    {
      when: 'a load balancer is not app/<name>/<id>',
      edit: (t: string) => t.replace('app/shop-alb/0123abcd', 'foo'),
      line: 'shop.yaml:8: tiers[0].resources[0].loadBalancer: expected app/<name>/<id>, got "foo"',
    },
    {
      when: 'the region is misspelled',
      edit: (t: string) => t.replace('eu-west-1', 'europe'),
      line: 'shop.yaml:2: region: expected an AWS region such as us-east-1, got "europe"',
    },
    {
      when: 'a resource type is unknown',
      edit: (t: string) => t.replace('type: asg', 'type: autoscaling'),
      line: 'shop.yaml:10: tiers[0].resources[1].type: expected one of route53-health-check, cloudfront-distribution',
    },
    {
      when: 'a key is misspelled',
      edit: (t: string) => t.replace('        targetGroup', '        targetgroup'),
      line: 'shop.yaml:9: tiers[0].resources[0].targetgroup: unknown key "targetgroup"',
    },
    {
      when: 'a threshold is not a number',
      edit: (t: string) => t.replace('degraded: 1', 'degraded: high'),
      line: 'shop.yaml:13: tiers[0].slo.errors.degraded: expected a number, got "high"',
    },
    {
      when: 'a required field is missing',
      edit: (t: string) => t.replace('        name: shop-web\n', ''),
      line: 'shop.yaml:10: tiers[0].resources[1].name: missing; expected a string',
    },
    {
      when: 'change rules name a group no tier has',
      edit: (t: string) =>
        `${t}changes:\n  groups:\n    shop-wbe:\n      spotShare: { min: 0, max: 70 }\n`,
      line: 'shop.yaml:17: changes.groups.shop-wbe: no tier has an asg named "shop-wbe" (groups: shop-web)',
    },
    {
      when: "a group's spot share bounds are upside down",
      edit: (t: string) =>
        `${t}changes:\n  groups:\n    shop-web:\n      spotShare: { min: 80, max: 20 }\n`,
      line: 'shop.yaml:17: changes.groups.shop-web.spotShare: spotShare: min must not be above max',
    },
    {
      when: 'the YAML itself is broken',
      edit: (t: string) => t.replace('title: Web', 'title: Web: shop'),
      line: 'shop.yaml:5:12: not valid YAML or JSON',
    },
  ])('when $when, then the error names file, line, path and fix', ({ edit, line }) => {
    const err = problemsOf(edit(validYaml));
    expect(err.file).toBe('shop.yaml');
    expect(err.message).toContain(line);
    expect(err.message).toContain('sandbox.yaml for a complete, valid example');
  });

  it('when several things are wrong, then each problem is listed with its own line', () => {
    const err = problemsOf(
      validYaml.replace('eu-west-1', 'x').replace('targetgroup/shop-web/4567ef', 'tg'),
    );
    expect(err.issues).toEqual([
      {
        path: 'region',
        line: 2,
        message: 'expected an AWS region such as us-east-1, got "x"',
        expected: 'an AWS region such as us-east-1',
      },
      {
        path: 'tiers[0].resources[0].targetGroup',
        line: 9,
        message: 'expected targetgroup/<name>/<id>, got "tg"',
        expected: 'targetgroup/<name>/<id>',
      },
    ]);
  });

  it.each([
    {
      when: 'one line of the reference platform is indented with a tab',
      edit: (lines: string[]) => {
        const i = lines.findIndex((l) => l.includes('- type: rds-instance'));
        lines[i] = lines[i]!.replace(/^ +/, '\t');
        return i + 1;
      },
      message: (line: number) =>
        `sandbox.yaml:${line}:1: not valid YAML or JSON: Tabs are not allowed as indentation; expected spaces for indentation (YAML does not allow tabs)`,
    },
    {
      when: 'the first key of the reference platform is indented',
      edit: (lines: string[]) => {
        const i = lines.findIndex((l) => l.startsWith('name:'));
        lines[i] = `  ${lines[i]!}`;
        // YAML notices on the line after it, where the keys no longer line up.
        return i + 2;
      },
      message: (line: number) =>
        `sandbox.yaml:${line}:1: not valid YAML or JSON: Unexpected scalar at node end; expected this line indented like the lines before it`,
    },
    {
      when: 'a quote is opened and never closed',
      edit: (lines: string[]) => {
        const i = lines.findIndex((l) => l.includes('title: Web'));
        lines[i] = lines[i]!.replace('title: ', 'title: "');
        return i + 1;
      },
      message: (line: number) =>
        `sandbox.yaml:${line}:12: not valid YAML or JSON: Missing closing "quote; expected a closing quote for the value that starts here`,
    },
  ])(
    'when $when, then only the first syntax error is reported, with file:line:column and what was expected',
    ({ edit, message }) => {
      const lines = readFileSync(referenceFile, 'utf8').split('\n');
      const line = edit(lines);
      let err: ConfigError | undefined;
      try {
        parsePlatformConfig(lines.join('\n'), 'sandbox.yaml');
      } catch (e) {
        if (e instanceof ConfigError) err = e;
      }
      expect(err?.issues).toHaveLength(1);
      expect(err?.message).toContain(message(line));
      expect(err?.message.split('\n')[0]).toBe('Invalid platform config sandbox.yaml (1 problem):');
    },
  );

  it('when the file is empty, then it says a mapping was expected', () => {
    expect(problemsOf('').message).toContain('shop.yaml: expected a mapping, got null (empty)');
  });
});

describe('loadPlatformConfig', () => {
  it('given a missing file, then the error says which file and how to create it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ballast-config-')), 'prod.yaml');
    expect(() => loadPlatformConfig(file)).toThrow(ConfigError);
    expect(() => loadPlatformConfig(file)).toThrow(
      new RegExp(`No readable platform config at ${file}[^]*cp .*sandbox\\.yaml ${file}`),
    );
  });

  it('given a file on disk, then errors carry its path', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ballast-config-')), 'prod.yaml');
    writeFileSync(file, validYaml.replace('eu-west-1', 'nowhere'));
    expect(() => loadPlatformConfig(file)).toThrow(`${file}:2: region:`);
  });
});

describe('selectTier', () => {
  const config = parsePlatformConfig(validYaml, 'shop.yaml');

  it('given a known tier, then only that tier remains', () => {
    expect(selectTier(config, 'web').tiers.map((t) => t.id)).toEqual(['web']);
  });

  it('given an unknown tier, then the error lists the tier ids', () => {
    expect(() => selectTier(config, 'db')).toThrow(UnknownTierError);
    expect(() => selectTier(config, 'db')).toThrow(
      'Unknown tier "db" in platform shop. Known tiers: web.',
    );
  });
});

describe('the spend section', () => {
  const spendYaml = `${validYaml}spend:
  tagKeys: [team, env]
  budgets:
    monthly: 15000
    tags:
      team: { storefront: 6000, data: 2500 }
  businessMetrics:
    namespace: Store3D/Business
    dimensions: { Environment: production }
    orders: Orders
    modelViews: ModelViews
`;

  it('given the reference platform, then it has budgets, tag keys and business metrics', () => {
    const spend = spendConfig(loadPlatformConfig(referenceFile));
    expect(spend.budgets.monthly).toBeGreaterThan(0);
    expect(spend.tagKeys).toEqual(expect.arrayContaining(['env', 'team', 'tier']));
    expect(Object.keys(spend.budgets.tags)).toEqual(['team']);
    expect(spend.businessMetrics).toEqual({
      namespace: 'Store3D/Business',
      dimensions: { Environment: 'production' },
      orders: 'Orders',
      revenue: 'Revenue',
      modelViews: 'ModelViews',
      modelBytes: 'ModelBytesServed',
    });
  });

  it('given no spend section, then there are no budgets, tag keys or business metrics', () => {
    expect(spendConfig(parsePlatformConfig(validYaml, 'shop.yaml'))).toEqual({
      tagKeys: [],
      budgets: { tags: {} },
    });
  });

  it('given a spend section, then it parses budgets per tag value', () => {
    const spend = spendConfig(parsePlatformConfig(spendYaml, 'shop.yaml'));
    expect(spend.budgets).toEqual({
      monthly: 15000,
      tags: { team: { storefront: 6000, data: 2500 } },
    });
  });

  it.each([
    {
      when: 'the monthly budget is negative',
      edit: (t: string) => t.replace('monthly: 15000', 'monthly: -5'),
      line: 'shop.yaml:17: spend.budgets.monthly: must be more than 0, got -5',
    },
    {
      when: 'a tag budget is zero',
      edit: (t: string) => t.replace('data: 2500', 'data: 0'),
      line: 'shop.yaml:19: spend.budgets.tags.team.data: must be more than 0, got 0',
    },
    {
      when: 'a budget is not a number',
      edit: (t: string) => t.replace('storefront: 6000', 'storefront: 6k'),
      line: 'shop.yaml:19: spend.budgets.tags.team.storefront: expected a number, got "6k"',
    },
    {
      when: 'a budget names a tag key that spend.tagKeys does not offer',
      edit: (t: string) => t.replace('      team: {', '      owner: {'),
      line: 'shop.yaml:19: spend.budgets.tags.owner: tag key "owner" is not in spend.tagKeys (team, env)',
    },
    {
      when: 'a business metric key is misspelled',
      edit: (t: string) => t.replace('    orders: Orders', '    order: Orders'),
      line: 'shop.yaml:23: spend.businessMetrics.order: unknown key "order"',
    },
  ])('when $when, then the error names the file, line and config path', ({ edit, line }) => {
    expect(problemsOf(edit(spendYaml)).message).toContain(line);
  });
});

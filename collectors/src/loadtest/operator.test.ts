// The TestRun and ConfigMap Ballast writes, checked against the k6-operator's own CRD schema
// (vendored in testing/fixtures): every field known to it, of its type, the required ones there.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { kubernetesName, testRunManifests, writeManifests } from './operator.js';

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  additionalProperties?: Schema | boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
}

/** Problems of `value` against an OpenAPI v3 structural schema (the subset CRDs use). */
function validate(value: unknown, schema: Schema, path = ''): string[] {
  const at = path || '.';
  if (schema['x-kubernetes-int-or-string'])
    return typeof value === 'string' || Number.isInteger(value) ? [] : [`${at}: int or string`];
  if (schema.enum && !schema.enum.includes(value))
    return [`${at}: not one of ${schema.enum.join(', ')}`];
  switch (schema.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${at}: expected a string`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: expected an integer`];
    case 'number':
      return typeof value === 'number' ? [] : [`${at}: expected a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: expected a boolean`];
    case 'array':
      if (!Array.isArray(value)) return [`${at}: expected an array`];
      return value.flatMap((v, i) =>
        schema.items ? validate(v, schema.items, `${path}[${i}]`) : [],
      );
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return [`${at}: expected an object`];
      const obj = value as Record<string, unknown>;
      const problems = (schema.required ?? [])
        .filter((k) => obj[k] === undefined)
        .map((k) => `${path}.${k}: required`);
      for (const [k, v] of Object.entries(obj)) {
        const own = schema.properties?.[k];
        if (own) problems.push(...validate(v, own, `${path}.${k}`));
        else if (typeof schema.additionalProperties === 'object')
          problems.push(...validate(v, schema.additionalProperties, `${path}.${k}`));
        else if (!schema['x-kubernetes-preserve-unknown-fields'] && schema.properties)
          problems.push(`${path}.${k}: unknown field (the API server would drop it)`);
      }
      return problems;
    }
    default:
      return [];
  }
}

const crd = parse(
  readFileSync(new URL('./testing/fixtures/k6.io_testruns.yaml', import.meta.url), 'utf8'),
) as {
  spec: { group: string; versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
};
const v1alpha1 = crd.spec.versions.find((v) => v.name === 'v1alpha1')!.schema.openAPIV3Schema;

const manifests = testRunManifests({
  name: 'Black-Friday lt-20261127-060000-a1b2',
  parallelism: 4,
  scenario: 'black-friday',
  script: 'import http from "k6/http";\nexport default function () {}\n',
  runOptions: { scenario: 'black-friday', options: { thresholds: {} } },
  target: 'https://shop.example.com',
});

describe('k6-operator manifests', () => {
  it('given a distributed run of 4, then the TestRun is valid against the operator CRD', () => {
    expect(crd.spec.group).toBe('k6.io');
    expect(manifests.testRun).toMatchObject({
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      spec: {
        parallelism: 4,
        script: {
          configMap: { name: 'black-friday-lt-20261127-060000-a1b2', file: 'black-friday.js' },
        },
      },
    });
    expect(validate(manifests.testRun, v1alpha1)).toEqual([]);
  });

  it('given a field the operator does not know, then the check catches it (the check is not vacuous)', () => {
    const broken = structuredClone(manifests.testRun) as { spec: Record<string, unknown> };
    broken.spec.parallelism = '4';
    broken.spec.scirpt = broken.spec.script;
    delete broken.spec.script;
    expect(validate(broken, v1alpha1)).toEqual([
      '.spec.script: required',
      '.spec.parallelism: expected an integer',
      '.spec.scirpt: unknown field (the API server would drop it)',
    ]);
  });

  it('given the manifests written to a folder, then the ConfigMap holds the script and the options the runner pods read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-k8s-'));
    writeManifests(dir, manifests);
    const [configMap] = parseAllDocuments(readFileSync(join(dir, 'configmap.yaml'), 'utf8')).map(
      (d) => d.toJS() as { data: Record<string, string> },
    );
    expect(Object.keys(configMap!.data)).toEqual(['black-friday.js', 'options.json']);
    expect(JSON.parse(configMap!.data['options.json']!)).toMatchObject({
      scenario: 'black-friday',
    });
    const testRunText = readFileSync(join(dir, 'testrun.yaml'), 'utf8');
    // Plain YAML, as kubectl users read and diff it: no anchors or aliases for repeated labels.
    expect(testRunText).not.toMatch(/[&*]a\d/);
    const testRun = parse(testRunText) as {
      spec: { arguments: string; runner: { env: { name: string; value: string }[] } };
    };
    expect(testRun.spec.arguments).toContain('-e BALLAST_RUN_OPTIONS=/test/options.json');
    expect(testRun.spec.runner.env).toContainEqual({
      name: 'BASE_URL',
      value: 'https://shop.example.com',
    });
    expect(kubernetesName('--Ab_c--')).toBe('ab-c');
  });
});

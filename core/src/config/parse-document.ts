// Parse a YAML or JSON document against a zod schema and turn every problem into a
// ConfigIssue that points at the line of the offending node (JSON is valid YAML, so the
// yaml package locates both).
import {
  isMap,
  isNode,
  isPair,
  isScalar,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
} from 'yaml';
import type { z } from 'zod';
import type { ConfigIssue } from './config-error.js';

type PathSegment = PropertyKey;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: ConfigIssue[] };

export function parseDocumentWithSchema<S extends z.ZodType>(
  text: string,
  schema: S,
): ParseResult<z.infer<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((err) => ({
        path: '',
        line: lineCounter.linePos(err.pos[0]).line,
        message: `not valid YAML or JSON: ${firstLine(err.message)}`,
      })),
    };
  }
  const data: unknown = doc.toJS();
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => toConfigIssue(issue, doc, lineCounter, data)),
  };
}

/** tiers[1].resources[0].loadBalancer */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

function toConfigIssue(
  issue: z.core.$ZodIssue,
  doc: Document,
  lines: LineCounter,
  data: unknown,
): ConfigIssue {
  const value = valueAt(data, issue.path);
  const located = locate(doc, issue);
  const line = located ? lines.linePos(located).line : undefined;
  const base = { path: formatPath(issue.path), ...(line === undefined ? {} : { line }) };

  switch (issue.code) {
    case 'invalid_format':
      // Our schemas give each regex a human description ("app/<name>/<id>") as the message.
      return {
        ...base,
        expected: issue.message,
        message: `expected ${issue.message}, got ${describe(value)}`,
      };
    case 'invalid_type':
      return value === undefined
        ? {
            ...base,
            expected: issue.expected,
            message: `missing; expected ${article(issue.expected)}`,
          }
        : {
            ...base,
            expected: issue.expected,
            message: `expected ${article(issue.expected)}, got ${describe(value)}`,
          };
    case 'invalid_value': {
      const expected = issue.values.map((v) => JSON.stringify(v)).join(' | ');
      return { ...base, expected, message: `expected ${expected}, got ${describe(value)}` };
    }
    case 'invalid_union': {
      const options =
        'options' in issue && Array.isArray(issue.options)
          ? (issue.options as unknown[])
          : undefined;
      if (options) {
        const expected = options.map(String).join(', ');
        const got = value === undefined ? 'nothing' : describe(value);
        return {
          ...base,
          expected: `one of ${expected}`,
          message: `expected one of ${expected}, got ${got}`,
        };
      }
      return { ...base, message: issue.message };
    }
    case 'unrecognized_keys':
      return {
        ...base,
        path: formatPath([...issue.path, ...(issue.keys.length === 1 ? issue.keys : [])]),
        message:
          issue.keys.length === 1
            ? `unknown key "${issue.keys[0]}" (check its spelling or remove it)`
            : `unknown keys ${issue.keys.map((k) => `"${k}"`).join(', ')} (check their spelling or remove them)`,
      };
    case 'too_small':
      if (issue.origin === 'array')
        return { ...base, message: `needs at least ${String(issue.minimum)} item(s)` };
      if (issue.origin === 'string') return { ...base, message: 'must not be empty' };
      return {
        ...base,
        message: `must be at least ${String(issue.minimum)}, got ${describe(value)}`,
      };
    default:
      return { ...base, message: issue.message };
  }
}

/** Offset of the node an issue is about: the value itself, an unknown key, or the nearest existing parent. */
function locate(doc: Document, issue: z.core.$ZodIssue): number | undefined {
  if (issue.code === 'unrecognized_keys') {
    const map = nodeAt(doc, issue.path);
    if (isMap(map)) {
      const pair = map.items.find(
        (p) => isPair(p) && isScalar(p.key) && issue.keys.includes(String(p.key.value)),
      );
      if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
    }
  }
  for (let n = issue.path.length; n >= 0; n--) {
    const node = nodeAt(doc, issue.path.slice(0, n));
    if (node?.range) return node.range[0];
  }
  return undefined;
}

function nodeAt(doc: Document, path: readonly PathSegment[]): Node | undefined {
  const node: unknown = path.length === 0 ? doc.contents : doc.getIn(path as unknown[], true);
  return isNode(node) ? node : undefined;
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (empty)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function article(type: string): string {
  if (type === 'object') return 'a mapping';
  if (type === 'array') return 'a list';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

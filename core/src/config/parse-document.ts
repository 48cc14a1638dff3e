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
  Parser,
  type Document,
  type ErrorCode,
  type Node,
  type YAMLError,
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
  const [syntax] = doc.errors;
  // After a syntax error the parser is lost: what it says next (one indented line can give
  // hundreds of messages) follows from the first one, so only that one is worth reading.
  if (syntax) return { ok: false, issues: [syntaxIssue(syntax, text, lineCounter)] };
  const data: unknown = doc.toJS();
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => toConfigIssue(issue, doc, lineCounter, data)),
  };
}

/** What the document should have had where YAML's error code says it went wrong. */
const SYNTAX_EXPECTED: Partial<Record<ErrorCode, string>> = {
  TAB_AS_INDENT: 'spaces for indentation (YAML does not allow tabs)',
  BAD_INDENT: 'this line indented like the other entries of its list or mapping',
  MULTILINE_IMPLICIT_KEY:
    '"key: value" on one line (is a colon missing, or this line indented too far?)',
  BLOCK_AS_IMPLICIT_KEY: '"key: value" with a space after the colon; quote a value containing ": "',
  UNEXPECTED_TOKEN:
    'this line indented like the lines before it, and every bracket and quote closed',
  DUPLICATE_KEY: 'each key once in a mapping',
  BAD_SCALAR_START: 'a value in quotes when it starts with @, `, | or >',
  MULTIPLE_DOCS: 'one document (no second "---")',
  BAD_DQ_ESCAPE: 'a valid escape after \\ in a double-quoted value (or single quotes)',
};

function syntaxIssue(err: YAMLError, text: string, lines: LineCounter): ConfigIssue {
  const message = firstLine(err.message);
  // An unclosed quote is reported where the file ends; point at where it was opened.
  const opened =
    err.code === 'MISSING_CHAR' && /quote/i.test(message) ? unclosedQuote(text) : undefined;
  const at = lines.linePos(opened ?? err.pos[0]);
  const expected =
    opened !== undefined
      ? 'a closing quote for the value that starts here'
      : SYNTAX_EXPECTED[err.code];
  return {
    path: '',
    line: at.line,
    column: at.col,
    message: `not valid YAML or JSON: ${message}${expected ? `; expected ${expected}` : ''}`,
    ...(expected ? { expected } : {}),
  };
}

/** Offset of the first quoted value that is never closed, found in YAML's syntax tree. */
function unclosedQuote(text: string): number | undefined {
  let found: number | undefined;
  const visit = (node: unknown): void => {
    if (found !== undefined || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const token = node as { type?: unknown; source?: unknown; offset?: unknown };
    if (
      typeof token.type === 'string' &&
      token.type.endsWith('quoted-scalar') &&
      typeof token.source === 'string' &&
      typeof token.offset === 'number'
    ) {
      const quote = token.source.charAt(0);
      const body = token.source.trimEnd();
      if (body.length < 2 || !body.endsWith(quote)) found = token.offset;
      return;
    }
    for (const value of Object.values(node)) visit(value);
  };
  for (const token of new Parser().parse(text)) visit(token);
  return found;
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
        message: `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}, got ${describe(value)}`,
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

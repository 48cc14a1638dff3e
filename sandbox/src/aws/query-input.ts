// The structured input of an AWS Query request: its flat parameters (A.B=1,
// L.member.2.X=y) read into nested objects and lists, then checked with zod schemas whose
// scalars parse Query's text (integers, doubles, booleans, ISO 8601 timestamps), so a bad
// value is refused with AWS's "N validation errors detected: Value 'x' at 'a.b' ..." text.
import { z } from 'zod';
import { zodToValidationError } from './protocol.js';
import type { QueryParams } from './query-params.js';

/** List members read at most (every list the sandbox takes is far shorter). */
const MAX_MEMBER = 1000;
/** Deepest parameter name read (the deepest honest one has 11 parts). */
const MAX_PARTS = 16;

type Node = { [key: string]: Node | Members | string };
class Members extends Map<number, Node | string> {}

/**
 * The parameters under `roots` as nested objects: `L.member.N` makes a list (read up to its
 * first gap, as Query lists are), `L=` an empty list. Names are own properties of objects
 * without a prototype, so "__proto__" or "constructor" are names like any other; what does
 * not fit the shape (a name used as both a value and a structure) is left out.
 */
export function queryInput(params: QueryParams, roots: readonly string[]): Record<string, unknown> {
  const root: Node = Object.create(null) as Node;
  for (const [key, value] of params.entries()) {
    const parts = key.split('.');
    if (parts.length > MAX_PARTS || !roots.includes(parts[0]!)) continue;
    insert(root, parts, value);
  }
  return finish(root) as Record<string, unknown>;
}

function insert(root: Node, parts: string[], value: string): void {
  let at: Node = root;
  for (let i = 0; i < parts.length; i++) {
    const name = parts[i]!;
    if (parts[i + 1] === 'member') {
      const indexText = parts[i + 2] ?? '';
      if (!/^[1-9]\d{0,3}$/.test(indexText) || Number(indexText) > MAX_MEMBER) return;
      const index = Number(indexText);
      let list = at[name];
      if (list === undefined) list = at[name] = new Members();
      if (!(list instanceof Members)) return;
      if (i + 3 === parts.length) {
        if (!list.has(index)) list.set(index, value);
        return;
      }
      let item = list.get(index);
      if (item === undefined) list.set(index, (item = Object.create(null) as Node));
      if (typeof item === 'string') return;
      at = item;
      i += 2;
      continue;
    }
    if (i === parts.length - 1) {
      if (at[name] === undefined) at[name] = value;
      return;
    }
    let next = at[name];
    if (next === undefined) next = at[name] = Object.create(null) as Node;
    if (typeof next === 'string' || next instanceof Members) return;
    at = next;
  }
}

function finish(node: Node | Members | string): unknown {
  if (typeof node === 'string') return node;
  if (node instanceof Members) {
    const out: unknown[] = [];
    for (let i = 1; node.has(i); i++) out.push(finish(node.get(i)!));
    return out;
  }
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(node)) out[key] = finish(node[key]!);
  return out;
}

/** Parse a request's input, or throw AWS's ValidationError. */
export function parseQuery<S extends z.ZodType>(
  schema: S,
  params: QueryParams,
  roots: readonly string[],
): z.infer<S> {
  const input = queryInput(params, roots);
  const result = schema.safeParse(input);
  if (!result.success) throw zodToValidationError(result.error, input);
  return result.data;
}

// ---------------------------------------------------------------- Query scalars

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/** A string of the model's length limits. */
export const qString = (min = 1, max = 1600) => z.string().min(min).max(max);

/** A 32-bit integer, as the model's `integer`. */
export const qInt = (min = INT32_MIN, max = INT32_MAX) =>
  z
    .string()
    .regex(/^-?\d{1,12}$/, 'Member must be an integer')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** A double (MetricScale): a finite decimal number. */
export const qDouble = () =>
  z
    .string()
    .regex(/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/, 'Member must be a number')
    .transform(Number)
    .pipe(z.number().finite());

export const qBool = () =>
  z.enum(['true', 'false'], 'Member must be true or false').transform((v) => v === 'true');

/** A timestamp as Query sends it (ISO 8601), as epoch ms. */
export const qTimestamp = () =>
  z
    .string()
    .regex(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:?\d\d)$/,
      'Member must be a timestamp in ISO 8601 format, e.g. 2026-11-27T06:00:00Z',
    )
    .transform((v) => Date.parse(v))
    .pipe(z.number().finite());

/** A list (`Name=` is an empty one). */
export const qList = <T extends z.ZodType>(item: T, max?: number) => {
  const list = max === undefined ? z.array(item) : z.array(item).max(max);
  return z.preprocess((v) => (v === '' ? [] : v), list);
};

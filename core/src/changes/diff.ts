// The readable diff of two states: every leaf that differs, with a label and unit, and the
// "holds" comparison that verify and compare-and-set use.
import type { FieldChange } from './model.js';

export interface FieldInfo {
  label: string;
  unit?: string;
}

/**
 * Leaves of a value by dotted path. Arrays of objects with a `name` are keyed by it
 * (`actions[bf-warm].desired`), so reordering is not a change; other arrays are leaves.
 */
export function flatten(
  value: unknown,
  prefix = '',
  out = new Map<string, unknown>(),
): Map<string, unknown> {
  if (value === null || value === undefined) {
    if (prefix) out.set(prefix, undefined);
    return out;
  }
  if (Array.isArray(value)) {
    const named = value.every(
      (v) => v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string',
    );
    if (named && value.length > 0) {
      for (const v of value) flatten(v, `${prefix}[${(v as { name: string }).name}]`, out);
      return out;
    }
    out.set(prefix, value);
    return out;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== undefined,
    );
    if (entries.length === 0 && prefix) out.set(prefix, undefined);
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return out;
  }
  out.set(prefix, value);
  return out;
}

/**
 * The fields that differ, in the order they appear (before's first). `info` gives a label
 * and unit by path with [names] replaced by [] (e.g. `actions[].desired`).
 */
export function diffStates(
  before: unknown,
  after: unknown,
  info: Record<string, FieldInfo> = {},
): FieldChange[] {
  const a = flatten(before);
  const b = flatten(after);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  const changes: FieldChange[] = [];
  for (const field of keys) {
    const x = a.get(field);
    const y = b.get(field);
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    // An object that appears or disappears shows as its leaves, not as an empty parent too.
    if (x === undefined && y === undefined) continue;
    const generic = field.replace(/\[[^\]]*\]/g, '[]');
    const known = info[generic];
    const name = field.match(/\[([^\]]*)\]/)?.[1];
    const label = known ? (name !== undefined ? `${name}: ${known.label}` : known.label) : field;
    changes.push({
      field,
      label,
      ...(x !== undefined ? { before: x } : {}),
      ...(y !== undefined ? { after: y } : {}),
      ...(known?.unit ? { unit: known.unit } : {}),
    });
  }
  return changes;
}

/**
 * Does `live` hold what `expected` says? Every field `expected` sets must be equal in `live`
 * (fields AWS fills in by itself, absent from `expected`, are not compared); null and
 * arrays compare whole, arrays of named objects element by element by name.
 */
export function holds(live: unknown, expected: unknown): boolean {
  if (expected === undefined) return true;
  if (expected === null || typeof expected !== 'object') return live === expected;
  if (live === null || typeof live !== 'object') return false;
  if (Array.isArray(expected)) {
    if (!Array.isArray(live) || live.length !== expected.length) return false;
    const byName = (xs: unknown[]) =>
      xs.every(
        (x) => x && typeof x === 'object' && typeof (x as { name?: unknown }).name === 'string',
      );
    if (byName(expected) && byName(live)) {
      const map = new Map(live.map((x) => [(x as { name: string }).name, x]));
      return expected.every((e) => holds(map.get((e as { name: string }).name), e));
    }
    return expected.every((e, i) => holds(live[i], e));
  }
  return Object.entries(expected as Record<string, unknown>).every(([k, v]) =>
    holds((live as Record<string, unknown>)[k], v),
  );
}

/** A diff entry as one line: "Max size: 20 -> 40 instances". */
export function describeFieldChange(change: FieldChange): string {
  const show = (v: unknown) =>
    v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v);
  const unit = change.unit ? ` ${change.unit}` : '';
  return `${change.label}: ${show(change.before)} -> ${show(change.after)}${unit}`;
}

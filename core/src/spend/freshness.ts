// The freshness block of a spend answer, from the cached parts behind it and what was paid
// to get them.
import type { SpendError, SpendFreshness } from '../model/spend.js';
import { roundAmount } from './cost-table.js';
import { dueAt, type CachedMeta } from './policy.js';

export interface FreshnessPart extends CachedMeta {
  /** how long the part stays fresh while it is not final */
  maxAgeMs: number;
}

export interface Spent {
  /** paid requests made for the answer */
  requests: number;
  usd: number;
}

export const NOTHING_SPENT: Spent = { requests: 0, usd: 0 };

export function spendFreshness(
  parts: readonly FreshnessPart[],
  now: number,
  spent: Spent,
  error?: SpendError,
): SpendFreshness {
  let nextRefreshAt: number | null = null;
  for (const part of parts) {
    const due = dueAt(part, part.maxAgeMs);
    if (due !== null && (nextRefreshAt === null || due < nextRefreshAt)) nextRefreshAt = due;
  }
  // A final month's bill does not change, so it does not age: the age is that of the
  // oldest part that can still change (a 13-month table whose closed months were read a
  // week ago and this month an hour ago is an hour old), or of the oldest read when all
  // of it is final.
  const open = parts.filter((p) => !p.final);
  const fetchedAt = oldest((open.length ? open : parts).map((p) => p.fetchedAt));
  return {
    fetchedAt,
    ageMs: fetchedAt === null ? null : Math.max(0, now - fetchedAt),
    fromCache: spent.requests === 0,
    paidRequests: spent.requests,
    paidUsd: roundAmount(spent.usd),
    nextRefreshAt,
    ...(error ? { error } : {}),
  };
}

/** One block for answers read together (the Spend page): the oldest data, every request paid. */
export function mergeFreshness(blocks: readonly SpendFreshness[], now: number): SpendFreshness {
  const due = blocks.map((b) => b.nextRefreshAt).filter((t): t is number => t !== null);
  // As in spendFreshness: blocks that can still change (those with a next refresh) say
  // how old the answer is; all-final blocks only when nothing else has data.
  const open = blocks.filter((b) => b.nextRefreshAt !== null && b.fetchedAt !== null);
  const fetchedAt = oldest((open.length ? open : blocks).map((b) => b.fetchedAt));
  const error = blocks.find((b) => b.error)?.error;
  const paidRequests = blocks.reduce((n, b) => n + b.paidRequests, 0);
  return {
    fetchedAt,
    ageMs: fetchedAt === null ? null : Math.max(0, now - fetchedAt),
    fromCache: paidRequests === 0,
    paidRequests,
    paidUsd: roundAmount(blocks.reduce((n, b) => n + b.paidUsd, 0)),
    nextRefreshAt: due.length ? Math.min(...due) : null,
    ...(error ? { error } : {}),
  };
}

function oldest(times: readonly (number | null)[]): number | null {
  const known = times.filter((t): t is number => t !== null);
  return known.length ? Math.min(...known) : null;
}

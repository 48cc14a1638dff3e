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
  let fetchedAt: number | null = null;
  let nextRefreshAt: number | null = null;
  for (const part of parts) {
    if (fetchedAt === null || part.fetchedAt < fetchedAt) fetchedAt = part.fetchedAt;
    const due = dueAt(part, part.maxAgeMs);
    if (due !== null && (nextRefreshAt === null || due < nextRefreshAt)) nextRefreshAt = due;
  }
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
  const fetched = blocks.map((b) => b.fetchedAt).filter((t): t is number => t !== null);
  const due = blocks.map((b) => b.nextRefreshAt).filter((t): t is number => t !== null);
  const fetchedAt = fetched.length ? Math.min(...fetched) : null;
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

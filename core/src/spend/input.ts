// What a user asks of spend (a grouping, a date range), checked before anything is read:
// each problem names the flag or field it is about and what would be accepted. The CLI's
// flags and the dashboard's URL parameters share these names: by, since, until.
import type { SpendDimension } from '../model/spend.js';
import { addDays, addMonths, dayOf, isIsoDay, monthOf, monthStart } from './dates.js';

export class SpendInputError extends Error {
  constructor(
    /** the flag or URL parameter, without dashes: by, since, until */
    readonly field: string,
    /** what is wrong and what would do, e.g. `unknown tag key "owner": use env, team or tier` */
    readonly problem: string,
  ) {
    super(`--${field}: ${problem}`);
    this.name = 'SpendInputError';
  }
}

/**
 * How far back Ballast reads: the current month and the 12 before it. Cost Explorer keeps
 * 13 months of history (more only with multi-year data switched on, at monthly grain).
 */
export const HISTORY_MONTHS = 13;

/** Cost Explorer groups by two dimensions at most. */
export const MAX_GROUP_BY = 2;

const NAMED: readonly SpendDimension[] = ['service', 'usage-type', 'region'];

/**
 * `--by service`, `--by tag:team`, `--by service,tag:team` (at most two, like Cost
 * Explorer). `tagKeys` are the platform config's spend.tagKeys: a tag key not among them
 * is refused (Cost Explorer would answer with every cost "untagged").
 */
export function parseGroupBy(text: string, tagKeys: readonly string[]): SpendDimension[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0)
    throw new SpendInputError('by', `expected ${describeChoices(tagKeys)}, got nothing`);
  if (parts.length > MAX_GROUP_BY)
    throw new SpendInputError(
      'by',
      `at most ${MAX_GROUP_BY} dimensions (Cost Explorer groups by two at most), got ${parts.length}: ${parts.join(', ')}`,
    );
  const dims = parts.map((part) => parseDimension(part, tagKeys));
  if (dims.length === 2 && dims[0] === dims[1])
    throw new SpendInputError('by', `${dims[0]} is given twice`);
  return dims;
}

function parseDimension(part: string, tagKeys: readonly string[]): SpendDimension {
  const lower = part.toLowerCase();
  const named = NAMED.find(
    (d) => d === lower || d.replace('-', '') === lower.replace(/[-_ ]/g, ''),
  );
  if (named) return named;
  if (lower.startsWith('tag:') || lower === 'tag') {
    const key = part.slice(4);
    if (!key)
      throw new SpendInputError(
        'by',
        tagKeys.length
          ? `name the tag key: ${tagKeys.map((k) => `tag:${k}`).join(', ')}`
          : 'no tag keys are configured: add spend.tagKeys to the platform config',
      );
    // Tag keys are case-sensitive in AWS; accept a case-insensitive match only when unique.
    const exact = tagKeys.find((k) => k === key);
    const folded = tagKeys.filter((k) => k.toLowerCase() === key.toLowerCase());
    const found = exact ?? (folded.length === 1 ? folded[0] : undefined);
    if (found) return `tag:${found}`;
    throw new SpendInputError(
      'by',
      tagKeys.length
        ? `unknown tag key "${key}": the platform config's spend.tagKeys are ${tagKeys.join(', ')}`
        : `unknown tag key "${key}": no tag keys are configured (add spend.tagKeys to the platform config)`,
    );
  }
  throw new SpendInputError('by', `expected ${describeChoices(tagKeys)}, got "${part}"`);
}

function describeChoices(tagKeys: readonly string[]): string {
  const tags = tagKeys.length ? tagKeys.map((k) => `tag:${k}`) : ['tag:KEY'];
  return [...NAMED, ...tags].join(', ');
}

export interface RangeInput {
  /** first day, YYYY-MM-DD; default: the start of `defaultMonths` months ago */
  since?: string;
  /** last day, inclusive, YYYY-MM-DD; default: today. Days after today are not asked for. */
  until?: string;
  now: number;
  /** months shown when `since` is not given (1 = this month only); default HISTORY_MONTHS */
  defaultMonths?: number;
}

/**
 * The days [start, end) to read: `since` through `until` inclusive, today at the latest.
 * Refuses dates that are not real, a reversed range, and a start before the oldest month
 * Cost Explorer keeps.
 */
export function resolveRange(input: RangeInput): { start: string; end: string } {
  const today = dayOf(input.now);
  const thisMonth = monthOf(today);
  const oldest = monthStart(addMonths(thisMonth, -(HISTORY_MONTHS - 1)));
  const check = (field: 'since' | 'until', value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    if (!isIsoDay(value))
      throw new SpendInputError(field, `expected a date as YYYY-MM-DD, got "${value}"`);
    return value;
  };
  const since = check('since', input.since);
  const until = check('until', input.until);
  if (since !== undefined && until !== undefined && until < since)
    throw new SpendInputError(
      'until',
      `${until} is before --since ${since}: the range would be reversed`,
    );
  if (since !== undefined && since > today)
    throw new SpendInputError('since', `${since} is in the future (today is ${today} UTC)`);
  if (since !== undefined && since < oldest)
    throw new SpendInputError(
      'since',
      `${since} is more than ${HISTORY_MONTHS} months back: Cost Explorer keeps data from ${oldest} (this month and the ${HISTORY_MONTHS - 1} before it)`,
    );
  const months = Math.min(Math.max(input.defaultMonths ?? HISTORY_MONTHS, 1), HISTORY_MONTHS);
  const start = since ?? monthStart(addMonths(thisMonth, -(months - 1)));
  const last = until === undefined || until > today ? today : until;
  if (last < start)
    throw new SpendInputError('until', `${last} is before the first day shown, ${start}`);
  return { start, end: addDays(last, 1) };
}

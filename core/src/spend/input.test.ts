import { describe, expect, it } from 'vitest';
import { parseGroupBy, resolveRange, SpendInputError } from './input.js';

const TAGS = ['team', 'env', 'tier'];
/** Thursday 20 November 2025, 10:00 UTC */
const NOW = Date.UTC(2025, 10, 20, 10);

function problem(fn: () => unknown): SpendInputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SpendInputError) return err;
    throw err;
  }
  throw new Error('expected a SpendInputError');
}

describe('parseGroupBy', () => {
  it.each([
    ['service', ['service']],
    ['tag:team', ['tag:team']],
    ['Service, tag:env', ['service', 'tag:env']],
    ['usage-type,region', ['usage-type', 'region']],
    ['usage_type', ['usage-type']],
    ['tag:TEAM', ['tag:team']],
  ])('given --by %s, then %j', (text, dims) => {
    expect(parseGroupBy(text, TAGS)).toEqual(dims);
  });

  it.each([
    [
      'service,region,usage-type',
      '--by: at most 2 dimensions (Cost Explorer groups by two at most), got 3: service, region, usage-type',
    ],
    [
      'tag:owner',
      '--by: unknown tag key "owner": the platform config\'s spend.tagKeys are team, env, tier',
    ],
    ['tag:', '--by: name the tag key: tag:team, tag:env, tag:tier'],
    [
      'account',
      '--by: expected service, usage-type, region, tag:team, tag:env, tag:tier, got "account"',
    ],
    ['service,service', '--by: service is given twice'],
  ])('given --by %s, then the error names the flag and the choices', (text, message) => {
    const err = problem(() => parseGroupBy(text, TAGS));
    expect(err.field).toBe('by');
    expect(err.message).toBe(message);
  });

  it('given a tag with no tag keys configured, then it says where to add them', () => {
    expect(problem(() => parseGroupBy('tag:team', [])).message).toContain(
      'add spend.tagKeys to the platform config',
    );
  });
});

describe('resolveRange', () => {
  it('given nothing, then this month and the 12 before it, through today', () => {
    expect(resolveRange({ now: NOW })).toEqual({ start: '2024-11-01', end: '2025-11-21' });
  });

  it('given --since and an inclusive --until, then End is the day after --until', () => {
    expect(resolveRange({ since: '2025-11-01', until: '2025-11-15', now: NOW })).toEqual({
      start: '2025-11-01',
      end: '2025-11-16',
    });
  });

  it('given --until after today, then the range stops at today', () => {
    expect(resolveRange({ since: '2025-11-01', until: '2025-11-30', now: NOW })).toEqual({
      start: '2025-11-01',
      end: '2025-11-21',
    });
  });

  it('given defaultMonths 1, then this month so far', () => {
    expect(resolveRange({ now: NOW, defaultMonths: 1 })).toEqual({
      start: '2025-11-01',
      end: '2025-11-21',
    });
  });

  it.each([
    [{ since: '2025-02-30' }, 'since', '--since: expected a date as YYYY-MM-DD, got "2025-02-30"'],
    [{ until: '11/20/2025' }, 'until', '--until: expected a date as YYYY-MM-DD, got "11/20/2025"'],
    [
      { since: '2025-11-10', until: '2025-11-01' },
      'until',
      '--until: 2025-11-01 is before --since 2025-11-10: the range would be reversed',
    ],
    [
      { since: '2025-11-21' },
      'since',
      '--since: 2025-11-21 is in the future (today is 2025-11-20 UTC)',
    ],
    [
      { since: '2024-10-31' },
      'since',
      '--since: 2024-10-31 is more than 13 months back: Cost Explorer keeps data from 2024-11-01 (this month and the 12 before it)',
    ],
  ])('given %j, then the error names --%s', (input, field, message) => {
    const err = problem(() => resolveRange({ ...input, now: NOW }));
    expect(err.field).toBe(field);
    expect(err.message).toBe(message);
  });
});

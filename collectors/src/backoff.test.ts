import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';
import type { SourceError } from './errors.js';

const THROTTLED: SourceError = { kind: 'throttled', message: 'Rate exceeded', actions: ['wait'] };
const T0 = 1_700_000_000_000;
const SECOND = 1_000;

describe('Backoff', () => {
  it('given no failure, then calls may go out', () => {
    expect(new Backoff().pending('cloudwatch:GetMetricData', T0)).toBeUndefined();
  });

  it.each([
    { random: 0, pauses: [5, 10, 20, 40, 80, 150, 150] },
    { random: 0.999_999, pauses: [10, 20, 40, 80, 160, 300, 300] },
  ])(
    'given failure after failure (random $random), then pauses double up to the cap, jittered between half and all of it',
    ({ random, pauses }) => {
      const backoff = new Backoff({
        baseMs: 10 * SECOND,
        capMs: 300 * SECOND,
        random: () => random,
      });
      let now = T0;
      const seen: number[] = [];
      for (let i = 0; i < pauses.length; i++) {
        const { retryAt } = backoff.failed('k', THROTTLED, now);
        seen.push(Math.round(((retryAt ?? now) - now) / SECOND));
        now = retryAt ?? now;
      }
      expect(seen).toEqual(pauses);
    },
  );

  it('given a failure, then until retryAt the last failure is reported, with retryAt, instead of a call', () => {
    const backoff = new Backoff({ random: () => 0.5 });
    const { retryAt } = backoff.failed('k', THROTTLED, T0);
    expect(retryAt).toBe(T0 + 7_500);
    expect(backoff.pending('k', T0 + 7_499)).toEqual({ ...THROTTLED, retryAt: T0 + 7_500 });
    expect(backoff.pending('k', T0 + 7_500)).toBeUndefined();
    expect(backoff.pending('other', T0 + 1)).toBeUndefined();
  });

  it('given a success, then the next failure starts from the shortest pause again', () => {
    const backoff = new Backoff({ random: () => 0 });
    backoff.failed('k', THROTTLED, T0);
    backoff.failed('k', THROTTLED, T0 + 5 * SECOND);
    backoff.succeeded('k');
    expect(backoff.pending('k', T0 + 6 * SECOND)).toBeUndefined();
    expect(backoff.failed('k', THROTTLED, T0 + 20 * SECOND).retryAt).toBe(T0 + 25 * SECOND);
  });

  it('given two calls in flight together that both fail, then it counts as one failure', () => {
    const backoff = new Backoff({ random: () => 0 });
    const first = backoff.failed('k', THROTTLED, T0);
    const second = backoff.failed('k', { ...THROTTLED, message: 'again' }, T0);
    expect(second.retryAt).toBe(first.retryAt);
    expect(backoff.pending('k', T0)?.message).toBe('again');
  });
});

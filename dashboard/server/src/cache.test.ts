import { describe, expect, it, vi } from 'vitest';
import { DerivedCache } from './cache.js';

describe('DerivedCache', () => {
  it('derives once per source and key, and keeps only the most recent keys of a source', () => {
    // Given a cache that keeps two derivations per source
    const cache = new DerivedCache<object, string>(2);
    const source = {};
    const derive = vi.fn((key: string) => `json for ${key}`);
    const get = (key: string, from = source) => cache.get(from, key, () => derive(key));
    // When keys are asked for again, then they are not derived again
    expect(get('600')).toBe('json for 600');
    expect(get('600')).toBe('json for 600');
    get('300');
    expect(derive).toHaveBeenCalledTimes(2);
    // When a third key comes, then the least recently used one is dropped
    get('600'); // now the most recent
    get('900');
    get('600');
    get('300');
    expect(derive.mock.calls.map(([key]) => key)).toEqual(['600', '300', '900', '300']);
    // And another source starts afresh
    get('600', {});
    expect(derive).toHaveBeenCalledTimes(5);
  });
});

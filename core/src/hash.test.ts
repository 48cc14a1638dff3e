import { describe, expect, it } from 'vitest';
import { fnv1a32 } from './hash.js';

describe('fnv1a32', () => {
  // Reference values of 32-bit FNV-1a (http://www.isthe.com/chongo/tech/comp/fnv/).
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('hashes %j to the reference value', (text, expected) => {
    expect(fnv1a32(text)).toBe(expected);
  });
});

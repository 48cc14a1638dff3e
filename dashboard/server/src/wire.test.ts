import { describe, expect, it } from 'vitest';
import { makeSpendPage } from '../../test/spend-fixture.js';
import { packCostTable, unpackCostTable } from './wire.js';

describe('the cost table on the wire', () => {
  it('unpacks to the table it was packed from, in much less JSON', () => {
    const { costs } = makeSpendPage({
      now: Date.UTC(2026, 10, 20, 12),
      days: 395,
      by: ['tag:team'],
    });
    const packed = packCostTable(costs);
    expect(unpackCostTable(JSON.parse(JSON.stringify(packed)))).toEqual(costs);
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(costs).length * 0.85);
  });
});

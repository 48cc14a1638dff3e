import { describe, expect, it } from 'vitest';
import { splitOnDemandSpot } from './purchase-options.js';

describe('splitOnDemandSpot', () => {
  it.each([
    { capacity: 6, distribution: undefined, onDemand: 6, spot: 0 },
    {
      capacity: 6,
      distribution: { onDemandBaseCapacity: 2, onDemandPercentageAboveBaseCapacity: 0 },
      onDemand: 2,
      spot: 4,
    },
    {
      capacity: 10,
      distribution: { onDemandBaseCapacity: 2, onDemandPercentageAboveBaseCapacity: 25 },
      onDemand: 4,
      spot: 6,
    },
    // 7 above base at 30% = 2.1 on-demand: rounded in favour of on-demand
    {
      capacity: 7,
      distribution: { onDemandBaseCapacity: 0, onDemandPercentageAboveBaseCapacity: 30 },
      onDemand: 3,
      spot: 4,
    },
    {
      capacity: 1,
      distribution: { onDemandBaseCapacity: 3, onDemandPercentageAboveBaseCapacity: 0 },
      onDemand: 1,
      spot: 0,
    },
    // AWS defaults: base 0, 100% on-demand above base
    { capacity: 5, distribution: {}, onDemand: 5, spot: 0 },
    { capacity: 0, distribution: { onDemandBaseCapacity: 2 }, onDemand: 0, spot: 0 },
    // The average of a period between 6 and 7 instances (the sandbox's web group: base 2, 30%)
    {
      capacity: 6.5,
      distribution: { onDemandBaseCapacity: 2, onDemandPercentageAboveBaseCapacity: 30 },
      onDemand: 4,
      spot: 2.5,
    },
  ])(
    'given $capacity in service with $distribution, then $onDemand on-demand and $spot spot',
    ({ capacity, distribution, onDemand, spot }) => {
      expect(splitOnDemandSpot(capacity, distribution)).toEqual({ onDemand, spot });
    },
  );
});

// The sandbox's side of the list prices: the table itself is core's (one table for the bill,
// spot savings, what-if costs and load-test estimates); the Spot price's day-by-day walk is
// the simulation's own.
import { PRICES } from '@ballast/core';
import { hashUnit } from '../random.js';
import { DAY_MS } from '../time.js';

export { normalizationFactor, PRICES, PRICES_READ_ON, tieredCost, type Tiers } from '@ballast/core';

/**
 * The Spot price of an instance type on a day (epoch day): On-Demand less the pool's discount,
 * which wanders with the pool's supply (a smooth seeded walk, ±6 points) and shrinks in the
 * holiday season when everyone scales out.
 */
export function spotPrice(seed: number, instanceType: string, day: number): number {
  const onDemand = PRICES.ec2Hourly[instanceType];
  const base = PRICES.spotDiscount[instanceType];
  if (onDemand === undefined || base === undefined)
    throw new Error(`no Spot price for ${instanceType}`);
  // Value noise: a random level every 5 days, eased between.
  const span = 5;
  const k = Math.floor(day / span);
  const f = (day - k * span) / span;
  const ease = f * f * (3 - 2 * f);
  const level = (i: number) => hashUnit(seed, 'spot', instanceType, i) * 2 - 1;
  const wander = level(k) + (level(k + 1) - level(k)) * ease;
  const month = new Date(day * DAY_MS).getUTCMonth();
  const holidays = month === 10 || month === 11 ? 0.07 : 0;
  const discount = Math.min(0.75, Math.max(0.4, base + 0.06 * wander - holidays));
  return onDemand * (1 - discount);
}

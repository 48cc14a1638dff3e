import { describe, expect, it } from 'vitest';
import { BillingLedger, epochDay, ledgerFirstDay } from './ledger.js';
import type { LineSpec } from './lines.js';
import { normalizationFactor, spotPrice, tieredCost, PRICES } from './prices.js';

const HOUR = 3_600_000;
const D = Date.parse('2025-11-10T00:00:00Z');
const day = epochDay(D);
const line = (spec: Partial<LineSpec> = {}): LineSpec => ({
  service: 'Amazon CloudFront',
  usageType: 'US-DataTransfer-Out-Bytes',
  operation: 'GET',
  region: 'global',
  unit: 'GB',
  tags: {},
  price: { kind: 'flat', usd: 2 },
  ...spec,
});

describe('BillingLedger', () => {
  it('shows usage as of the last refresh, every 8 hours, and whole days after midnight', () => {
    // Given usage at 07:00 and at 09:00
    const ledger = new BillingLedger(1, day - 5, D);
    const id = ledger.line(line());
    ledger.add(D + 7 * HOUR, id, 5);
    ledger.advanceTo(D + 8 * HOUR);
    ledger.add(D + 9 * HOUR, id, 7);
    ledger.advanceTo(D + 12 * HOUR);
    // When Cost Explorer reads it at noon, then it sees the 08:00 refresh: the first 5 only
    const noon = ledger.view(D + 12 * HOUR);
    expect(noon).toMatchObject({ refreshedAt: D + 8 * HOUR, lastDay: day, lastDayPartial: true });
    expect(noon.day(day)).toMatchObject({ quantity: [5], cost: [10] });
    // And at 16:00 both
    ledger.advanceTo(D + 16 * HOUR);
    expect(ledger.view(D + 16 * HOUR).day(day)?.quantity).toEqual([12]);
    // And after midnight the day is complete, and the new day has nothing to show yet
    ledger.add(D + 23 * HOUR, id, 1);
    ledger.advanceTo(D + 24 * HOUR + 60_000);
    const next = ledger.view(D + 24 * HOUR + 60_000);
    expect(next).toMatchObject({ lastDay: day, lastDayPartial: false });
    expect(next.day(day)).toMatchObject({ quantity: [13], cost: [26] });
    expect(next.day(day + 1)).toBeUndefined();
  });

  it('prices tiers on the month so far, and starts again with the month', () => {
    // Given a tiered line: $1 a unit for the first 10 units of a month, $0.5 after
    const start = Date.parse('2025-10-30T00:00:00Z');
    const ledger = new BillingLedger(1, epochDay(start), start);
    const id = ledger.line(
      line({
        price: {
          kind: 'tiered',
          tiers: [
            [10, 1],
            [Infinity, 0.5],
          ],
          pool: 'p',
        },
      }),
    );
    for (let d = 0; d < 3; d++) ledger.add(start + d * 24 * HOUR + HOUR, id, 8);
    ledger.advanceTo(start + 3 * 24 * HOUR);
    const view = ledger.view(start + 3 * 24 * HOUR);
    // Then October 31 pays 2 units at $1 and 6 at $0.5; November 1 starts over
    expect([0, 1, 2].map((d) => view.day(epochDay(start) + d)?.cost[id])).toEqual([8, 5, 8]);
  });

  it('starts 13 months before the current month (14 months with it)', () => {
    expect(new Date(ledgerFirstDay(Date.parse('2026-12-01T00:32:00Z')) * 86_400_000)).toEqual(
      new Date('2025-11-01T00:00:00Z'),
    );
    expect(new Date(ledgerFirstDay(Date.parse('2025-11-23T20:00:00Z')) * 86_400_000)).toEqual(
      new Date('2024-10-01T00:00:00Z'),
    );
  });
});

describe('prices', () => {
  it('charges CloudFront egress by the month’s tiers ($0.085/GB to 10 TB, then $0.080)', () => {
    expect(tieredCost(PRICES.cloudFrontOutGb.US, 0, 15 * 1024)).toBeCloseTo(
      10 * 1024 * 0.085 + 5 * 1024 * 0.08,
      6,
    );
    // The same 5 TB cost less once the month is past 150 TB.
    expect(tieredCost(PRICES.cloudFrontOutGb.US, 200 * 1024, 5 * 1024)).toBeCloseTo(
      5 * 1024 * 0.04,
      6,
    );
  });

  it('prices Spot at a discount that wanders day by day and shrinks in the holidays', () => {
    const onDemand = PRICES.ec2Hourly['m6i.large']!;
    const days = Array.from({ length: 120 }, (_, i) => epochDay(Date.parse('2025-08-01')) + i);
    const discounts = days.map((d) => 1 - spotPrice(7, 'm6i.large', d) / onDemand);
    for (const discount of discounts) {
      expect(discount).toBeGreaterThanOrEqual(0.4);
      expect(discount).toBeLessThanOrEqual(0.75);
    }
    expect(new Set(discounts.map((x) => x.toFixed(3))).size).toBeGreaterThan(30);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(discounts.slice(0, 61))).toBeGreaterThan(mean(discounts.slice(92)));
  });

  it('normalizes instance sizes as AWS does (large 4, xlarge 8, 12xlarge 96)', () => {
    expect(
      ['m6i.large', 'c6i.xlarge', 'g5.12xlarge', 'db.t4g.medium'].map(normalizationFactor),
    ).toEqual([4, 8, 96, 2]);
  });
});

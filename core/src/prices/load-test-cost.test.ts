import { describe, expect, it } from 'vitest';
import { estimateLoadTestCost } from './load-test-cost.js';

describe('estimateLoadTestCost', () => {
  it('given 100 GB and 1M requests from US viewers, then egress is $0.085/GB and requests $0.01 per 10,000', () => {
    const cost = estimateLoadTestCost({
      durationSeconds: 3600,
      requests: 1_000_000,
      bytes: 100 * 1024 ** 3,
      peakRequestsPerSecond: 500,
      originBytes: 0,
    });
    const by = Object.fromEntries(cost.lines.map((l) => [l.item, l.usd]));
    expect(by['cloudfront-egress']).toBeCloseTo(8.5, 4);
    expect(by['cloudfront-requests']).toBeCloseTo(1, 4);
    // 1M requests in an hour = 278/s = 0.28 LCU for an hour at $0.008
    expect(by['alb-lcu']).toBeCloseTo(0.0022, 4);
    expect(cost.notes[0]).toMatch(/not included/);
  });

  it('given extra instance-hours of a listed type, then they are priced at its on-demand rate', () => {
    const cost = estimateLoadTestCost(
      { durationSeconds: 60, requests: 0, bytes: 0, peakRequestsPerSecond: 0 },
      { extraInstances: { instanceHours: 10, instanceType: 'm6i.large' } },
    );
    expect(cost.lines.find((l) => l.item === 'extra-instances')?.usd).toBeCloseTo(0.96, 4);
    expect(cost.totalUsd).toBeCloseTo(0.96, 4);
  });

  it('given why the capacity model could not say, then the note keeps the reason', () => {
    const cost = estimateLoadTestCost(
      { durationSeconds: 60, requests: 0, bytes: 0, peakRequestsPerSecond: 0 },
      { extraInstancesUnavailable: 'No traffic of store-web was recorded in the last 7 days.' },
    );
    expect(cost.notes).toEqual([
      'Extra instance-hours of the web tier are not included: No traffic of store-web was recorded in the last 7 days.',
    ]);
  });
});

import { healthQueries } from '@ballast/core';
import { describe, expect, it } from 'vitest';
import { generateLargePlatform } from './large-platform.js';

describe('generateLargePlatform', () => {
  it('gives the benchmark its 200 Auto Scaling groups and at least 5,000 metric queries', () => {
    // Given the benchmark's platform
    const platform = generateLargePlatform(200);
    // When its resources and a refresh's queries are counted
    const asgs = platform.tiers.flatMap((t) => t.resources).filter((r) => r.type === 'asg');
    const queries = healthQueries(platform, { periodSeconds: 60 });
    // Then it is as large as the benchmark says
    expect(asgs).toHaveLength(200);
    expect(queries.length).toBeGreaterThanOrEqual(5000);
    expect(new Set(queries.map((q) => q.id)).size).toBe(queries.length);
  });

  it.each([0, -1, 1.5])('refuses %d groups', (n) => {
    expect(() => generateLargePlatform(n)).toThrow(RangeError);
  });
});

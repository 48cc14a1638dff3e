import { describe, expect, it } from 'vitest';
import { loadPlatformConfig, referencePlatformConfigPath } from '../config/platform-config.js';
import { spendConfig } from '../model/platform.js';
import {
  businessMonthKey,
  businessQueries,
  joinBusinessMonths,
  toBusinessSeries,
} from './business.js';

const spend = spendConfig(loadPlatformConfig(referencePlatformConfigPath));

describe('business metrics', () => {
  it('given the reference platform, then a daily Sum of each metric it names, with its dimensions', () => {
    const queries = businessQueries(spend);
    expect(queries.map((q) => [q.id, q.metricName, q.unit])).toEqual([
      ['orders', 'Orders', 'Count'],
      ['revenue', 'Revenue', 'None'],
      ['modelViews', 'ModelViews', 'Count'],
      ['modelBytes', 'ModelBytesServed', 'Bytes'],
    ]);
    expect(queries[0]).toMatchObject({
      namespace: 'Store3D/Business',
      dimensions: [{ name: 'Environment', value: 'production' }],
      stat: 'Sum',
      periodSeconds: 86_400,
    });
  });

  it('given no businessMetrics section, then nothing to read', () => {
    expect(businessQueries({ tagKeys: [], budgets: { tags: {} } })).toEqual([]);
  });

  it('given other metric names, then another cache key (stored sums are of the old names)', () => {
    const renamed = {
      ...spend,
      businessMetrics: { ...spend.businessMetrics!, orders: 'Checkouts' },
    };
    expect(businessMonthKey(renamed, '2025-11')).not.toBe(businessMonthKey(spend, '2025-11'));
  });

  it('given CloudWatch series and months of them, then daily points over the range', () => {
    const queries = businessQueries(spend).slice(0, 1);
    const series = toBusinessSeries(
      [
        {
          id: 'orders',
          label: 'Orders',
          unit: 'Count',
          partial: false,
          points: [
            { t: Date.UTC(2025, 9, 31), v: 180 },
            { t: Date.UTC(2025, 10, 1), v: 210 },
          ],
        },
      ],
      queries,
    );
    expect(series).toEqual([
      {
        metric: 'orders',
        name: 'Orders',
        unit: 'Count',
        points: [
          { day: '2025-10-31', value: 180 },
          { day: '2025-11-01', value: 210 },
        ],
      },
    ]);
    const joined = joinBusinessMonths(
      [
        { month: '2025-11', series: [{ ...series[0]!, points: [series[0]!.points[1]!] }] },
        { month: '2025-10', series: [{ ...series[0]!, points: [series[0]!.points[0]!] }] },
      ],
      { start: '2025-10-31', end: '2025-11-02' },
    );
    expect(joined[0]?.points.map((p) => p.day)).toEqual(['2025-10-31', '2025-11-01']);
  });
});

import { describe, expect, it } from 'vitest';
import type { Series } from '../model/health.js';
import type { Tier } from '../model/platform.js';
import { tierQueries } from './catalog.js';
import { resourceLabel } from './resources.js';
import { deriveSignals } from './signals.js';

const T0 = 1_700_000_040_000;

/** Series for a tier from `role@resource` -> values per minute (one minute per array entry). */
function seriesOf(
  tier: Tier,
  values: Record<string, number[]>,
  periodSeconds = 60,
): Map<string, Series> {
  const out = new Map<string, Series>();
  for (const { resource, spec, query } of tierQueries(tier, { periodSeconds })) {
    const vs =
      values[
        `${spec.role}@${resourceLabel(resource)}${spec.qualifier ? `/${spec.qualifier}` : ''}`
      ];
    if (!vs) continue;
    out.set(query.id, {
      ...query,
      partial: false,
      points: vs.map((v, i) => ({ t: T0 + i * periodSeconds * 1000, v })),
    });
  }
  return out;
}

const signal = (tier: Tier, series: Map<string, Series>, name: string, periodSeconds = 60) =>
  deriveSignals(tier, series, periodSeconds).find((s) => s.signal === name);

describe('deriveSignals', () => {
  const data: Tier = {
    id: 'data',
    title: 'Data',
    slo: {},
    resources: [
      { type: 'dynamodb-table', name: 'carts' },
      { type: 'dynamodb-table', name: 'sessions' },
    ],
  };

  it('given two tables, then traffic sums successful and throttled requests of all operations', () => {
    const series = seriesOf(data, {
      'succeeded@carts/GetItem': [100, 200],
      'succeeded@carts/PutItem': [50, 50],
      'throttled@carts/PutItem': [10],
      'succeeded@sessions/GetItem': [40, 40],
    });
    expect(signal(data, series, 'traffic')).toMatchObject({
      label: 'Requests',
      unit: 'req/min',
      resources: ['carts', 'sessions'],
      points: [
        { t: T0, v: 200 },
        { t: T0 + 60_000, v: 290 },
      ],
    });
  });

  it('given two tables, then the throttled share is a ratio of the sums, not an average of ratios', () => {
    const series = seriesOf(data, {
      'succeeded@carts/GetItem': [990],
      'throttled@carts/GetItem': [10],
      'succeeded@sessions/GetItem': [9_000],
    });
    expect(signal(data, series, 'errors')?.points).toEqual([{ t: T0, v: 0.1 }]);
  });

  it('given 5-minute periods, then sums become per-minute rates', () => {
    const series = seriesOf(data, { 'succeeded@carts/GetItem': [1_500] }, 300);
    expect(signal(data, series, 'traffic', 300)?.points).toEqual([{ t: T0, v: 300 }]);
  });

  it("given two distributions, then the 5xx rate is weighted by each one's requests", () => {
    const edge: Tier = {
      id: 'edge',
      title: 'Edge',
      slo: {},
      resources: [
        { type: 'cloudfront-distribution', id: 'EBIG' },
        { type: 'cloudfront-distribution', id: 'ESMALL' },
      ],
    };
    const series = seriesOf(edge, {
      'requests@EBIG': [9_000],
      'errorRate5xx@EBIG': [1],
      'requests@ESMALL': [1_000],
      'errorRate5xx@ESMALL': [11],
    });
    expect(signal(edge, series, 'errors')?.points).toEqual([{ t: T0, v: 2 }]);
  });

  it('given an ALB with ELB 5xx but almost no routed requests, then the error rate is capped at 100%', () => {
    const web: Tier = {
      id: 'web',
      title: 'Web',
      slo: {},
      resources: [{ type: 'alb', loadBalancer: 'app/a/1', targetGroup: 'targetgroup/t/2' }],
    };
    const series = seriesOf(web, {
      'requests@a': [10, 0],
      'elb5xx@a': [500, 3],
      'responseTimeP99@a': [0.2, 1.5],
    });
    expect(signal(web, series, 'errors')?.points).toEqual([{ t: T0, v: 100 }]);
    expect(signal(web, series, 'latency')?.points).toEqual([
      { t: T0, v: 200 },
      { t: T0 + 60_000, v: 1_500 },
    ]);
  });

  it('given two worker groups, then saturation follows the busiest one', () => {
    const workers: Tier = {
      id: 'workers',
      title: 'Workers',
      slo: {},
      resources: [
        { type: 'asg', name: 'a' },
        { type: 'asg', name: 'b' },
      ],
    };
    const series = seriesOf(workers, { 'cpuAverage@a': [20, 90], 'cpuAverage@b': [70, 10] });
    expect(signal(workers, series, 'saturation')?.points.map((p) => p.v)).toEqual([70, 90]);
    expect(deriveSignals(workers, series, 60).map((s) => s.signal)).toEqual(['saturation']);
  });
});

// Which recorded metrics a what-if replay reads for a group, and how collected series
// become its per-minute arrays. The queries are the health catalog's own (same ids), at a
// 1-minute period, so what health collections stored at that period is reused.
import { tierQueries } from '../health/catalog.js';
import type { MetricQuery, Series } from '../model/health.js';
import type { Tier } from '../model/platform.js';
import type { RecordedMetric, RecordedSeries } from './ports.js';

/** The replay runs minute by minute. */
export const REPLAY_PERIOD_SECONDS = 60;

export interface RecordedQuery {
  metric: RecordedMetric;
  query: MetricQuery;
  /** read only where the preferred query of the same metric has no datapoint */
  fallback?: boolean;
}

/** Catalog role -> replay metric, per resource type. */
const ROLES: Record<string, Record<string, RecordedMetric>> = {
  alb: {
    requests: 'requests',
    responseTimeP50: 'responseTimeP50',
    responseTimeP99: 'responseTimeP99',
    target5xx: 'errors5xx',
  },
  asg: {
    cpuAverage: 'cpu',
    desired: 'desired',
    inServiceCapacity: 'inService',
    inService: 'inService',
  },
  'sqs-queue': {
    sent: 'jobsSent',
    visible: 'queueVisible',
    oldestAge: 'queueOldestAge',
    deleted: 'jobsDeleted',
  },
};

/**
 * The 1-minute queries of `group` and its tier's load balancer or queue. GroupInServiceInstances
 * stands in for GroupInServiceCapacity where only the instance metrics are enabled.
 */
export function recordedQueries(tier: Tier, group: string): RecordedQuery[] {
  return tierQueries(tier, { periodSeconds: REPLAY_PERIOD_SECONDS }).flatMap(
    ({ resource, spec, query }) => {
      if (resource.type === 'asg' && resource.name !== group) return [];
      const metric = ROLES[resource.type]?.[spec.role];
      if (!metric) return [];
      return [{ metric, query, ...(spec.role === 'inService' ? { fallback: true } : {}) }];
    },
  );
}

/**
 * Per-minute arrays over [start, end) (start on a minute), NaN where nothing was recorded;
 * undefined when no query has a single point in the range.
 */
export function toRecordedSeries(
  series: readonly Series[],
  queries: readonly RecordedQuery[],
  range: { start: number; end: number },
): RecordedSeries | undefined {
  const periodMs = REPLAY_PERIOD_SECONDS * 1000;
  const start = Math.ceil(range.start / periodMs) * periodMs;
  const n = Math.max(0, Math.floor((range.end - start) / periodMs));
  const byId = new Map(series.map((s) => [s.id, s]));
  const values: RecordedSeries['values'] = {};
  let any = false;
  // Preferred queries first, so a fallback fills only the minutes they left empty.
  const ordered = [...queries].sort(
    (a, b) => Number(a.fallback ?? false) - Number(b.fallback ?? false),
  );
  for (const { metric, query } of ordered) {
    const points = byId.get(query.id)?.points ?? [];
    let column = values[metric];
    for (const p of points) {
      const i = (p.t - start) / periodMs;
      if (!Number.isInteger(i) || i < 0 || i >= n || !Number.isFinite(p.v)) continue;
      if (!column) values[metric] = column = new Float64Array(n).fill(NaN);
      if (Number.isNaN(column[i]!)) column[i] = p.v;
      any = true;
    }
  }
  return any ? { start, periodSeconds: REPLAY_PERIOD_SECONDS, values } : undefined;
}

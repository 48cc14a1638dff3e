// The data tier: RDS (CPU and latency follow web load, plus nightly reporting jobs),
// DynamoDB on-demand tables (carts, sessions) and an ElastiCache cluster.
import type { Dimension } from '@ballast/core';
import type { MetricSeries, MetricStore } from '../../metrics/metric-store.js';
import type { Random } from '../../random.js';
import { DAY_MS } from '../../time.js';
import type { IncidentSchedule } from '../incidents.js';
import {
  clamp,
  loadMultiple,
  logNormalPercentiles,
  webRequestsPerSecond,
  type MinuteContext,
  type SimulatedResource,
} from './minute.js';

export interface RdsInstanceSpec {
  tier: string;
  id: string;
  memoryBytes: number;
}

export class RdsInstance implements SimulatedResource {
  readonly tier: string;
  private readonly series: Record<
    'cpu' | 'connections' | 'readLatency' | 'writeLatency' | 'freeMemory',
    MetricSeries
  >;

  constructor(
    readonly spec: RdsInstanceSpec,
    store: MetricStore,
    private readonly random: Random,
    private readonly reportJobs: IncidentSchedule,
  ) {
    this.tier = spec.tier;
    const dims: Dimension[] = [{ name: 'DBInstanceIdentifier', value: spec.id }];
    const define = (metricName: string, unit: string) =>
      store.define({ namespace: 'AWS/RDS', metricName, dimensions: dims, unit, kind: 'value' });
    this.series = {
      cpu: define('CPUUtilization', 'Percent'),
      connections: define('DatabaseConnections', 'Count'),
      readLatency: define('ReadLatency', 'Seconds'),
      writeLatency: define('WriteLatency', 'Seconds'),
      freeMemory: define('FreeableMemory', 'Bytes'),
    };
  }

  simulateMinute(ctx: MinuteContext): void {
    const r = this.random;
    const load = loadMultiple(ctx);
    const report = this.reportJobs.at(ctx.startMs);
    const cpu = clamp(
      5 + 16 * load + (report ? 62 + 23 * report.severity : 0) + 1.2 * r.normal(),
      1,
      100,
    );
    const pressure = (cpu / 100) ** 4;
    const reportIo = report ? 2 + 10 * report.detail : 1;
    const m = ctx.minute;
    this.series.cpu.recordValue(m, cpu);
    this.series.connections.recordValue(
      m,
      Math.round(15 + 12 * ctx.load.webInstances + 4 * ctx.load.workerInstances + 2 * r.normal()),
    );
    this.series.readLatency.recordValue(
      m,
      0.0012 * (1 + 8 * pressure) * reportIo * (1 + 0.05 * r.normal()),
    );
    this.series.writeLatency.recordValue(m, 0.002 * (1 + 6 * pressure) * (1 + 0.05 * r.normal()));
    this.series.freeMemory.recordValue(
      m,
      Math.round(this.spec.memoryBytes * clamp(0.2 - 0.02 * load + 0.004 * r.normal(), 0.03, 0.5)),
    );
  }
}

interface TableOperation {
  name: 'GetItem' | 'Query' | 'PutItem' | 'UpdateItem';
  kind: 'read' | 'write';
  /** share of the table's reads (or writes) */
  share: number;
  meanLatencyMs: number;
}

export interface DynamoTableSpec {
  tier: string;
  tableName: string;
  readsPerWebRequest: number;
  writesPerWebRequest: number;
}

const OPERATIONS: TableOperation[] = [
  { name: 'GetItem', kind: 'read', share: 0.8, meanLatencyMs: 2.8 },
  { name: 'Query', kind: 'read', share: 0.2, meanLatencyMs: 6.5 },
  { name: 'PutItem', kind: 'write', share: 0.45, meanLatencyMs: 4.6 },
  { name: 'UpdateItem', kind: 'write', share: 0.55, meanLatencyMs: 5.2 },
];

/** On-demand tables absorb up to double their previous peak; that peak lags 30 minutes. */
const PEAK_LAG_MINUTES = 30;

/** Account-wide DynamoDB counters that tables add to (UserErrors has no dimensions). */
export class DynamoDbAccount implements SimulatedResource {
  readonly tier: string;
  private readonly userErrors: MetricSeries;
  pendingUserErrors = 0;

  constructor(tier: string, store: MetricStore) {
    this.tier = tier;
    this.userErrors = store.define({
      namespace: 'AWS/DynamoDB',
      metricName: 'UserErrors',
      dimensions: [],
      unit: 'Count',
      kind: 'value',
    });
  }

  simulateMinute(ctx: MinuteContext): void {
    this.userErrors.recordValue(ctx.minute, this.pendingUserErrors);
    this.pendingUserErrors = 0;
  }
}

export class DynamoTable implements SimulatedResource {
  readonly tier: string;
  private readonly consumedRead: MetricSeries;
  private readonly consumedWrite: MetricSeries;
  private readonly perOperation: {
    op: TableOperation;
    latency: MetricSeries;
    throttled: MetricSeries;
    systemErrors: MetricSeries;
  }[];
  private readonly recentRequests: number[] = [];
  private previousPeak: number;
  private readonly pct = new Float64Array(5);

  constructor(
    readonly spec: DynamoTableSpec,
    store: MetricStore,
    private readonly random: Random,
    private readonly account: DynamoDbAccount,
    normalPeakRequestsPerSecond: number,
  ) {
    this.tier = spec.tier;
    const table: Dimension = { name: 'TableName', value: spec.tableName };
    const define = (
      metricName: string,
      dimensions: Dimension[],
      unit: string,
      kind: 'value' | 'distribution' = 'value',
    ) => store.define({ namespace: 'AWS/DynamoDB', metricName, dimensions, unit, kind });
    this.consumedRead = define('ConsumedReadCapacityUnits', [table], 'Count');
    this.consumedWrite = define('ConsumedWriteCapacityUnits', [table], 'Count');
    this.perOperation = OPERATIONS.map((op) => {
      const dims = [table, { name: 'Operation', value: op.name }];
      return {
        op,
        latency: define('SuccessfulRequestLatency', dims, 'Milliseconds', 'distribution'),
        throttled: define('ThrottledRequests', dims, 'Count'),
        systemErrors: define('SystemErrors', dims, 'Count'),
      };
    });
    // The table has been serving normal peaks for a long time before the window.
    this.previousPeak =
      normalPeakRequestsPerSecond * 60 * (spec.readsPerWebRequest + spec.writesPerWebRequest);
  }

  simulateMinute(ctx: MinuteContext): void {
    const r = this.random;
    const rate = webRequestsPerSecond(ctx) * 60;
    const reads = r.poisson(rate * this.spec.readsPerWebRequest);
    const writes = r.poisson(rate * this.spec.writesPerWebRequest);
    const total = reads + writes;

    this.recentRequests.push(total);
    if (this.recentRequests.length > PEAK_LAG_MINUTES)
      this.previousPeak = Math.max(this.previousPeak, this.recentRequests.shift()!);
    const allowance = 2 * this.previousPeak;
    const overflow = total > allowance ? 1 - allowance / total : 0;

    const m = ctx.minute;
    let consumedReads = 0;
    let consumedWrites = 0;
    for (const { op, latency, throttled, systemErrors } of this.perOperation) {
      const requests = Math.round((op.kind === 'read' ? reads : writes) * op.share);
      // Hot keys throttle a handful of requests even far below the table's allowance.
      const nThrottled = Math.round(requests * overflow) + r.poisson(requests * 2e-6);
      const nErrors = r.poisson(requests * 1e-6);
      const ok = Math.max(0, requests - nThrottled - nErrors);
      throttled.recordValue(m, nThrottled);
      systemErrors.recordValue(m, nErrors);
      if (ok > 0) {
        const mean = op.meanLatencyMs * (1 + 0.04 * r.normal());
        const p = logNormalPercentiles(mean, 0.45, this.pct);
        latency.recordStats(m, ok * mean, ok, p[0]! * 0.35, p[4]! * 1.6, p);
      } else {
        latency.recordStats(m, 0, 0, 0, 0);
      }
      // Eventually consistent reads of items under 4 KB: half a unit each.
      if (op.kind === 'read') consumedReads += ok * 0.5;
      else consumedWrites += ok;
    }
    this.consumedRead.recordValue(m, consumedReads);
    this.consumedWrite.recordValue(m, consumedWrites);
    // Conditional-check failures (a cart updated twice) are user errors.
    this.account.pendingUserErrors += r.poisson(writes * 0.0015);
  }
}

export interface CacheClusterSpec {
  tier: string;
  id: string;
}

export class CacheCluster implements SimulatedResource {
  readonly tier: string;
  private readonly series: Record<
    'cpu' | 'engineCpu' | 'hits' | 'misses' | 'connections' | 'memory',
    MetricSeries
  >;

  constructor(
    readonly spec: CacheClusterSpec,
    store: MetricStore,
    private readonly random: Random,
  ) {
    this.tier = spec.tier;
    const dims: Dimension[] = [{ name: 'CacheClusterId', value: spec.id }];
    const define = (metricName: string, unit: string) =>
      store.define({
        namespace: 'AWS/ElastiCache',
        metricName,
        dimensions: dims,
        unit,
        kind: 'value',
      });
    this.series = {
      cpu: define('CPUUtilization', 'Percent'),
      engineCpu: define('EngineCPUUtilization', 'Percent'),
      hits: define('CacheHits', 'Count'),
      misses: define('CacheMisses', 'Count'),
      connections: define('CurrConnections', 'Count'),
      memory: define('DatabaseMemoryUsagePercentage', 'Percent'),
    };
  }

  simulateMinute(ctx: MinuteContext): void {
    const r = this.random;
    const load = loadMultiple(ctx);
    const lookups = r.poisson(webRequestsPerSecond(ctx) * 60 * 2.5);
    // Sale traffic reaches long-tail products: the hit ratio drops a little.
    const hitRatio = clamp(
      0.93 - 0.05 * clamp((load - 1) / 4, 0, 1) + 0.005 * r.normal(),
      0.5,
      0.99,
    );
    const hits = Math.round(lookups * hitRatio);
    const m = ctx.minute;
    this.series.hits.recordValue(m, hits);
    this.series.misses.recordValue(m, lookups - hits);
    this.series.cpu.recordValue(m, clamp(4 + 10 * load + 0.8 * r.normal(), 0, 100));
    this.series.engineCpu.recordValue(m, clamp(2 + 14 * load + 0.8 * r.normal(), 0, 100));
    this.series.connections.recordValue(
      m,
      Math.round(12 + 8 * ctx.load.webInstances + 2 * ctx.load.workerInstances),
    );
    // Memory fills slowly with the catalogue and is evicted back weekly.
    const weekPhase = (ctx.startMs % (7 * DAY_MS)) / (7 * DAY_MS);
    this.series.memory.recordValue(
      m,
      clamp(55 + 12 * weekPhase + 1.5 * load + 0.3 * r.normal(), 0, 100),
    );
  }
}

// The edge tier: CloudFront serving 3D models (glTF/GLB, 1-50 MB) and images from an S3
// bucket, and the Route 53 health check on the storefront.
import type { Dimension } from '@ballast/core';
import { hotlinkMinute, type HotlinkEvent } from '../../billing/anomalies.js';
import type { MetricSeries, MetricStore } from '../../metrics/metric-store.js';
import type { Random } from '../../random.js';
import { DAY_MS } from '../../time.js';
import {
  clamp,
  logNormalPercentiles,
  webRequestsPerSecond,
  type MinuteContext,
  type SimulatedResource,
} from './minute.js';

/** Asset requests per page/API request: model files, textures, thumbnails. */
export const ASSETS_PER_WEB_REQUEST = 2.2;
/** Share of asset requests that are 3D models, and their mean size (GLB, 1-50 MB). */
export const MODEL_SHARE = 0.06;
export const MODEL_MEAN_BYTES = 18e6;
const OTHER_MEAN_BYTES = 160e3;
/** Mean bytes of an asset request. */
export const ASSET_MEAN_BYTES =
  MODEL_SHARE * MODEL_MEAN_BYTES + (1 - MODEL_SHARE) * OTHER_MEAN_BYTES;
export const CACHE_HIT_RATIO = 0.92;

/** Standard storage of the models bucket at time t, bytes (2.1 TB on 2025-01-01, +5.5 GB a day). */
export function modelBucketBytes(t: number): number {
  return 2.1e12 + (t / DAY_MS - 20_089) * 5.5e9;
}

export class CloudFrontDistribution implements SimulatedResource {
  readonly tier: string;
  /** origin fetches (cache misses) in the last minute, which the S3 bucket serves */
  lastOriginRequests = 0;
  /** 3D model downloads by the store's viewers in the last minute, and their bytes */
  lastModelRequests = 0;
  lastModelBytes = 0;
  /** requests and bytes of the hot-linked model (outside the store) in the last minute */
  lastHotlinkRequests = 0;
  lastHotlinkBytes = 0;
  private readonly series: Record<
    'requests' | 'bytes' | 'rate4xx' | 'rate5xx' | 'rateTotal' | 'originLatency',
    MetricSeries
  >;
  private readonly pct = new Float64Array(5);

  constructor(
    tier: string,
    readonly distributionId: string,
    store: MetricStore,
    private readonly random: Random,
    /** a model hot-linked from outside the store, if this distribution serves one */
    private readonly hotlink?: HotlinkEvent,
  ) {
    this.tier = tier;
    // CloudFront publishes in us-east-1 with Region=Global.
    const dims: Dimension[] = [
      { name: 'DistributionId', value: distributionId },
      { name: 'Region', value: 'Global' },
    ];
    const define = (metricName: string, unit: string, kind: 'value' | 'distribution' = 'value') =>
      store.define({ namespace: 'AWS/CloudFront', metricName, dimensions: dims, unit, kind });
    this.series = {
      requests: define('Requests', 'None'),
      bytes: define('BytesDownloaded', 'None'),
      rate4xx: define('4xxErrorRate', 'Percent'),
      rate5xx: define('5xxErrorRate', 'Percent'),
      rateTotal: define('TotalErrorRate', 'Percent'),
      originLatency: define('OriginLatency', 'Milliseconds', 'distribution'),
    };
  }

  simulateMinute(ctx: MinuteContext): void {
    const r = this.random;
    const viewerRequests = r.poisson(webRequestsPerSecond(ctx) * 60 * ASSETS_PER_WEB_REQUEST);
    const viewerBytes = Math.round(viewerRequests * ASSET_MEAN_BYTES * (1 + 0.05 * r.normal()));
    this.lastModelRequests = Math.round(viewerRequests * MODEL_SHARE);
    this.lastModelBytes = Math.round(
      this.lastModelRequests * MODEL_MEAN_BYTES * (1 + 0.05 * r.normal()),
    );
    const extra = this.hotlink
      ? hotlinkMinute(this.hotlink, ctx.startMs)
      : { requests: 0, bytes: 0 };
    this.lastHotlinkRequests = extra.requests;
    this.lastHotlinkBytes = extra.bytes;
    const requests = viewerRequests + extra.requests;
    const misses = Math.round(viewerRequests * (1 - CACHE_HIT_RATIO));
    this.lastOriginRequests = misses;
    // Storefront API failures surface through the CDN too.
    const rate4xx = clamp(0.45 + 0.08 * r.normal(), 0, 100);
    const rate5xx = clamp(0.02 + 0.01 * r.normal() + 20 * ctx.load.storefrontErrorRate, 0, 100);
    const m = ctx.minute;
    this.series.requests.recordValue(m, requests);
    this.series.bytes.recordValue(m, viewerBytes + Math.round(extra.bytes));
    this.series.rate4xx.recordValue(m, rate4xx);
    this.series.rate5xx.recordValue(m, rate5xx);
    this.series.rateTotal.recordValue(m, rate4xx + rate5xx);
    if (misses > 0) {
      const mean = 95 * (1 + 0.05 * r.normal());
      const p = logNormalPercentiles(mean, 0.5, this.pct);
      this.series.originLatency.recordStats(m, misses * mean, misses, p[0]! * 0.3, p[4]! * 1.5, p);
    } else {
      this.series.originLatency.recordStats(m, 0, 0, 0, 0);
    }
  }
}

export class S3Bucket implements SimulatedResource {
  readonly tier: string;
  private readonly storage: Record<'size' | 'objects', MetricSeries>;
  private readonly requests: Record<
    'all' | 'get' | 'errors4xx' | 'errors5xx' | 'firstByte',
    MetricSeries
  >;
  private readonly pct = new Float64Array(5);

  constructor(
    tier: string,
    readonly bucketName: string,
    store: MetricStore,
    private readonly random: Random,
    /** CDN origin fetches this minute (0 when no distribution fronts the bucket) */
    private readonly originRequests: () => number,
  ) {
    this.tier = tier;
    const bucket: Dimension = { name: 'BucketName', value: bucketName };
    const define = (
      metricName: string,
      dimensions: Dimension[],
      unit: string,
      kind: 'value' | 'distribution' = 'value',
    ) => store.define({ namespace: 'AWS/S3', metricName, dimensions, unit, kind });
    this.storage = {
      size: define(
        'BucketSizeBytes',
        [bucket, { name: 'StorageType', value: 'StandardStorage' }],
        'Bytes',
      ),
      objects: define(
        'NumberOfObjects',
        [bucket, { name: 'StorageType', value: 'AllStorageTypes' }],
        'Count',
      ),
    };
    const filter = [bucket, { name: 'FilterId', value: 'EntireBucket' }];
    this.requests = {
      all: define('AllRequests', filter, 'Count'),
      get: define('GetRequests', filter, 'Count'),
      errors4xx: define('4xxErrors', filter, 'Count'),
      errors5xx: define('5xxErrors', filter, 'Count'),
      firstByte: define('FirstByteLatency', filter, 'Milliseconds', 'distribution'),
    };
  }

  simulateMinute(ctx: MinuteContext): void {
    const r = this.random;
    const m = ctx.minute;
    // Storage metrics are daily, stamped at midnight UTC; other minutes have no datapoint.
    if (ctx.startMs % DAY_MS === 0) {
      const days = ctx.startMs / DAY_MS - 20_089; // days since 2025-01-01
      this.storage.size.recordValue(m, modelBucketBytes(ctx.startMs));
      this.storage.objects.recordValue(m, Math.round(148_000 + days * 420));
    } else {
      this.storage.size.recordValue(m, Number.NaN);
      this.storage.objects.recordValue(m, Number.NaN);
    }

    // Origin fetches from the CDN, plus workers reading source models and writing results.
    const gets = this.originRequests() + r.poisson(ctx.load.jobsSent * 2);
    const puts = r.poisson(ctx.load.jobsSent * 3);
    const all = gets + puts + r.poisson(gets * 0.1);
    this.requests.get.recordValue(m, gets);
    this.requests.all.recordValue(m, all);
    this.requests.errors4xx.recordValue(m, r.poisson(all * 0.004));
    this.requests.errors5xx.recordValue(m, r.poisson(all * 0.00003));
    if (gets > 0) {
      const mean = 38 * (1 + 0.05 * r.normal());
      const p = logNormalPercentiles(mean, 0.5, this.pct);
      this.requests.firstByte.recordStats(m, gets * mean, gets, p[0]! * 0.3, p[4]! * 1.5, p);
    } else {
      this.requests.firstByte.recordStats(m, 0, 0, 0, 0);
    }
  }
}

/** Route 53 considers an endpoint healthy while more than 18% of its checkers do. */
const HEALTHY_CHECKER_SHARE = 0.18;
const CHECKERS = 16;

export class Route53HealthCheck implements SimulatedResource {
  readonly tier: string;
  private readonly status: MetricSeries;
  private readonly percentHealthy: MetricSeries;

  constructor(
    tier: string,
    readonly healthCheckId: string,
    store: MetricStore,
    private readonly random: Random,
  ) {
    this.tier = tier;
    const dims: Dimension[] = [{ name: 'HealthCheckId', value: healthCheckId }];
    this.status = store.define({
      namespace: 'AWS/Route53',
      metricName: 'HealthCheckStatus',
      dimensions: dims,
      unit: 'None',
      kind: 'value',
    });
    this.percentHealthy = store.define({
      namespace: 'AWS/Route53',
      metricName: 'HealthCheckPercentageHealthy',
      dimensions: dims,
      unit: 'Percent',
      kind: 'value',
    });
  }

  simulateMinute(ctx: MinuteContext): void {
    // Each checker's probe of /health fails about twice as often as a shopper's request.
    const failChance = clamp(2 * ctx.load.storefrontErrorRate, 0, 1);
    let healthy = 0;
    for (let c = 0; c < CHECKERS; c++) if (!this.random.chance(failChance)) healthy++;
    const share = healthy / CHECKERS;
    this.percentHealthy.recordValue(ctx.minute, 100 * share);
    this.status.recordValue(ctx.minute, share > HEALTHY_CHECKER_SHARE ? 1 : 0);
  }
}

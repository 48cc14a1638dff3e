// The store's business metrics, as the storefront publishes them to CloudWatch every minute
// (PutMetricData, one datapoint a minute in a custom namespace): orders, revenue, 3D model
// views and the model bytes those views downloaded. Shoppers come from the simulated web
// traffic; real storefront requests (checkouts, model downloads) add to the next minute.
import type { Dimension } from '@ballast/core';
import type { MetricSeries, MetricStore } from '../../metrics/metric-store.js';
import type { Random } from '../../random.js';
import type { CloudFrontDistribution } from './edge.js';
import { ASSETS_PER_WEB_REQUEST, MODEL_MEAN_BYTES, MODEL_SHARE } from './edge.js';
import {
  clamp,
  loadMultiple,
  webRequestsPerSecond,
  type MinuteContext,
  type SimulatedResource,
} from './minute.js';

export const BUSINESS_NAMESPACE = 'Store3D/Business';
export const BUSINESS_DIMENSIONS: readonly Dimension[] = [
  { name: 'Environment', value: 'production' },
];

/** API requests one shopping session makes: catalogue, product pages, model metadata, cart. */
export const REQUESTS_PER_SESSION = 60;
/** Share of sessions that end in an order on an ordinary day (e-commerce sees 2-3%). */
export const CONVERSION_RATE = 0.024;
/** Average order value, USD (furniture and decor, $49 to $2,400 an item). */
export const MEAN_ORDER_USD = 385;

export class StoreBusinessMetrics implements SimulatedResource {
  readonly tier: string;
  private readonly series: Record<'orders' | 'revenue' | 'views' | 'bytes', MetricSeries>;
  private pending = { orders: 0, revenue: 0, views: 0, bytes: 0 };

  constructor(
    tier: string,
    store: MetricStore,
    private readonly random: Random,
    /** the CDN the store's 3D models are served from, if any */
    private readonly cdn: CloudFrontDistribution | undefined,
  ) {
    this.tier = tier;
    const define = (metricName: string, unit: string) =>
      store.define({
        namespace: BUSINESS_NAMESPACE,
        metricName,
        dimensions: [...BUSINESS_DIMENSIONS],
        unit,
        kind: 'value',
      });
    this.series = {
      orders: define('Orders', 'Count'),
      revenue: define('Revenue', 'None'),
      views: define('ModelViews', 'Count'),
      bytes: define('ModelBytesServed', 'Bytes'),
    };
  }

  /** An order placed through the storefront API; it counts in the next simulated minute. */
  recordOrder(revenueUsd: number): void {
    this.pending.orders += 1;
    this.pending.revenue += revenueUsd;
  }

  /** A 3D model (GLB) downloaded through the storefront. */
  recordModelView(): void {
    this.pending.views += 1;
  }

  /** Bytes of 3D models and their textures the storefront sent. */
  recordModelBytes(bytes: number): void {
    this.pending.bytes += bytes;
  }

  simulateMinute(ctx: MinuteContext): void {
    const r = this.random;
    const sessions = (webRequestsPerSecond(ctx) * 60) / REQUESTS_PER_SESSION;
    // Sales convert better: shoppers come to buy.
    const conversion =
      CONVERSION_RATE *
      (1 + 0.3 * clamp((loadMultiple(ctx) - 1.2) / 2, 0, 1)) *
      (1 + 0.06 * r.normal());
    const orders = r.poisson(sessions * Math.max(0, conversion));
    // Order values spread widely (a vase, a sofa); their sum over a minute much less so.
    const revenue =
      orders > 0 ? orders * MEAN_ORDER_USD * (1 + (0.9 * r.normal()) / Math.sqrt(orders)) : 0;
    const views = this.cdn
      ? this.cdn.lastModelRequests
      : r.poisson(webRequestsPerSecond(ctx) * 60 * ASSETS_PER_WEB_REQUEST * MODEL_SHARE);
    const bytes = this.cdn ? this.cdn.lastModelBytes : views * MODEL_MEAN_BYTES;
    const m = ctx.minute;
    const p = this.pending;
    this.series.orders.recordValue(m, orders + p.orders);
    this.series.revenue.recordValue(m, Math.round((Math.max(0, revenue) + p.revenue) * 100) / 100);
    this.series.views.recordValue(m, views + p.views);
    this.series.bytes.recordValue(m, Math.round(bytes + p.bytes));
    this.pending = { orders: 0, revenue: 0, views: 0, bytes: 0 };
  }
}

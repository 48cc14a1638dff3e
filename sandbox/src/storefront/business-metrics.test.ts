// The store's business metrics (Store3D/Business): generated from the simulated traffic as a
// real shop's would be, served by GetMetricData, and moved by real storefront requests.
import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients, FIXED_NOW, startTestSandbox } from '../../test/helpers.js';
import {
  BUSINESS_DIMENSIONS,
  BUSINESS_NAMESPACE,
  REQUESTS_PER_SESSION,
} from '../simulation/services/business.js';
import type { Simulation } from '../simulation/simulation.js';
import type { RunningSandbox } from '../start-sandbox.js';

type TestSandbox = RunningSandbox & { setTime(ms: number): void };
let sandbox: TestSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox({ backfillDays: 1, seed: 11 });
});
afterAll(() => sandbox.stop());

const DAY = 86_400_000;
const query = (
  id: string,
  namespace: string,
  metricName: string,
  dimensions: { Name: string; Value: string }[],
): MetricDataQuery => ({
  Id: id,
  MetricStat: {
    Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dimensions },
    Period: 86_400,
    Stat: 'Sum',
  },
});
const business = (id: string, metricName: string) =>
  query(
    id,
    BUSINESS_NAMESPACE,
    metricName,
    BUSINESS_DIMENSIONS.map((d) => ({ Name: d.name, Value: d.value })),
  );

describe('Store3D/Business through GetMetricData', () => {
  it('has a day of orders, revenue and model views shaped like a real shop', async () => {
    // Given a day of simulated traffic
    const { cloudWatch } = awsClients(sandbox.url);
    // When the last day is read per day, as the unit-cost views read it
    const out = await cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(FIXED_NOW - DAY),
        EndTime: new Date(FIXED_NOW),
        MetricDataQueries: [
          business('orders', 'Orders'),
          business('revenue', 'Revenue'),
          business('views', 'ModelViews'),
          business('bytes', 'ModelBytesServed'),
          query('requests', 'AWS/ApplicationELB', 'RequestCount', [
            { Name: 'LoadBalancer', Value: 'app/store-alb/50dc6c495c0c9188' },
          ]),
          query('cdn', 'AWS/CloudFront', 'Requests', [
            { Name: 'DistributionId', Value: 'E2BALLAST3DCDN' },
            { Name: 'Region', Value: 'Global' },
          ]),
        ],
      }),
    );
    const sum = (id: string) =>
      out.MetricDataResults!.find((r) => r.Id === id)!.Values!.reduce((a, b) => a + b, 0);
    // Then 2-3% of sessions order, at an average order of a few hundred dollars
    const sessions = sum('requests') / REQUESTS_PER_SESSION;
    expect(sum('orders') / sessions).toBeGreaterThan(0.02);
    expect(sum('orders') / sessions).toBeLessThan(0.03);
    expect(sum('revenue') / sum('orders')).toBeGreaterThan(330);
    expect(sum('revenue') / sum('orders')).toBeLessThan(440);
    // And the 3D model views are the CDN's model downloads: 6% of its requests, ~18 MB each
    expect(sum('views') / sum('cdn')).toBeGreaterThan(0.055);
    expect(sum('views') / sum('cdn')).toBeLessThan(0.065);
    expect(sum('bytes') / sum('views') / 1e6).toBeGreaterThan(16);
    expect(sum('bytes') / sum('views') / 1e6).toBeLessThan(20);
  });
});

describe('storefront requests', () => {
  it('count a checkout in Orders and Revenue, and a GLB download in ModelViews and its bytes', async () => {
    // Given two sandboxes with the same seed and clock, receiving the same number of requests
    const twin = await startTestSandbox({ backfillDays: 0.1, seed: 12 });
    const shop = await startTestSandbox({ backfillDays: 0.1, seed: 12 });
    try {
      const send = (s: TestSandbox, path: string, body?: unknown) =>
        fetch(`${s.url}${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as Record<string, unknown>,
        }));
      const products = (await send(shop, '/store/api/products')).body.products as {
        modelId: string;
      }[];
      await send(twin, '/store/health');
      const cart = (await send(shop, '/store/api/cart', { productId: 'p-0003', quantity: 2 }))
        .body as { cartId: string; totalCents: number };
      await send(twin, '/store/api/cart', { productId: 'p-0003', quantity: 2 });
      // When one places the order and fetches a model where the other only checks health
      const order = await send(shop, '/store/api/checkout', { cartId: cart.cartId });
      const model = (await send(shop, `/store/api/models/${products[0]!.modelId}`)).body as {
        lods: { url: string; sizeBytes: number }[];
      };
      const lod = model.lods[2]!;
      const glb = await fetch(`${shop.url}${lod.url}`).then((r) => r.arrayBuffer());
      await send(twin, '/store/health');
      await send(twin, '/store/health');
      await send(twin, '/store/health');
      expect(glb.byteLength).toBe(lod.sizeBytes);
      expect(order).toMatchObject({ status: 201, body: { totalCents: cart.totalCents } });
      for (const s of [shop, twin]) {
        s.setTime(FIXED_NOW + 60_000);
        await send(s, '/_sandbox/status');
      }
      // Then the minute they fell in differs by exactly that order and that model
      const minute = (sim: Simulation, metricName: string) =>
        sim.store
          .get(BUSINESS_NAMESPACE, metricName, BUSINESS_DIMENSIONS)!
          .minuteSum(FIXED_NOW / 60_000);
      const diff = (metricName: string) =>
        minute(shop.simulation, metricName) - minute(twin.simulation, metricName);
      expect(diff('Orders')).toBe(1);
      expect(diff('Revenue')).toBeCloseTo(cart.totalCents / 100, 1);
      expect(diff('ModelViews')).toBe(1);
      // (within the precision the metric store keeps sums of gigabytes in)
      expect(diff('ModelBytesServed')).toBeCloseTo(lod.sizeBytes, -3);
      // And the cart is gone: ordering it twice is refused
      expect((await send(shop, '/store/api/checkout', { cartId: cart.cartId })).status).toBe(404);
      expect((await send(shop, '/store/api/checkout', { cart: 'x' })).status).toBe(400);
    } finally {
      await Promise.all([twin.stop(), shop.stop()]);
    }
  });
});

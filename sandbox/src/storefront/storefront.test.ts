import type { Dimension } from '@ballast/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXED_NOW, startTestSandbox } from '../../test/helpers.js';
import { Aggregate } from '../metrics/metric-store.js';
import { loadReferencePlatform } from '../platform/platform-config.js';
import { Simulation } from '../simulation/simulation.js';
import type { RunningSandbox } from '../start-sandbox.js';
import type { ModelMetadata, Product } from './storefront.js';

let sandbox: RunningSandbox & { setTime(ms: number): void };

beforeAll(async () => {
  sandbox = await startTestSandbox({ backfillDays: 0.1, seed: 5 });
});
afterAll(() => sandbox.stop());

const get = async <T>(path: string) => {
  const res = await fetch(`${sandbox.url}${path}`);
  return { status: res.status, body: (await res.json()) as T };
};

describe('storefront API', () => {
  it('reports health from the simulated web tier', async () => {
    const { status, body } = await get<{
      status: string;
      cpuPercent: number;
      instancesInService: number;
    }>('/store/health');
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.cpuPercent).toBeGreaterThan(10);
    expect(body.instancesInService).toBeGreaterThanOrEqual(2);
  });

  it('lists products, each with a 3D model served from the CDN', async () => {
    const { body } = await get<{ products: Product[] }>('/store/api/products');
    expect(body.products.length).toBeGreaterThanOrEqual(10);
    const model = await get<ModelMetadata>(`/store/api/models/${body.products[0]!.modelId}`);
    expect(model.status).toBe(200);
    expect(model.body).toMatchObject({
      format: 'glb',
      productId: body.products[0]!.id,
      url: expect.stringMatching(
        /^https:\/\/e2ballast3dcdn\.cloudfront\.net\/models\/m-[0-9a-f]+\.glb$/,
      ),
    });
    expect(model.body.sizeBytes).toBeGreaterThanOrEqual(1e6);
    expect(model.body.sizeBytes).toBeLessThanOrEqual(50e6);
  });

  it('answers 404 for an unknown model', async () => {
    expect((await get('/store/api/models/m-nope')).status).toBe(404);
    // Not valid %-encoding: still just an id it does not know.
    expect((await get('/store/api/models/%E0%A4%A')).status).toBe(404);
  });

  it('adds to a cart and keeps it', async () => {
    const post = (body: unknown) =>
      fetch(`${sandbox.url}/store/api/cart`, { method: 'POST', body: JSON.stringify(body) });
    const first = (await (await post({ productId: 'p-0001', quantity: 2 })).json()) as {
      cartId: string;
      items: unknown[];
      totalCents: number;
    };
    const second = await post({ productId: 'p-0002', cartId: first.cartId });
    expect(second.status).toBe(201);
    const cart = (await second.json()) as {
      cartId: string;
      items: { productId: string; quantity: number }[];
    };
    expect(cart.cartId).toBe(first.cartId);
    expect(cart.items.map((i) => [i.productId, i.quantity])).toEqual([
      ['p-0001', 2],
      ['p-0002', 1],
    ]);
    expect((await post({ productId: 'p-0001', quantity: 0 })).status).toBe(400);
    expect((await post({ productId: 'p-9999' })).status).toBe(404);
  });

  it('adds its requests to the simulated load of the web tier', async () => {
    // A twin simulation with the same seed and time, which receives no requests.
    const twin = new Simulation({
      platform: loadReferencePlatform(),
      seed: 5,
      nowMs: FIXED_NOW,
      backfillDays: 0.1,
      coarseBackfillDays: 0,
    });
    const requests = 120;
    await Promise.all(
      Array.from({ length: requests }, () =>
        fetch(`${sandbox.url}/store/api/products`).then((r) => r.arrayBuffer()),
      ),
    );
    // The requests fall in the minute starting at FIXED_NOW; let it complete in both.
    sandbox.setTime(FIXED_NOW + 60_000);
    await get('/_sandbox/status');
    twin.advanceTo(FIXED_NOW + 60_000);

    // Requests of the earlier tests in this file count too, hence the margin above.
    const extra = requestCount(sandbox.simulation, FIXED_NOW) - requestCount(twin, FIXED_NOW);
    expect(extra).toBeGreaterThanOrEqual(requests - 10);
    expect(extra).toBeLessThan(requests + 60);
  });

  it('answers 404 with the routes it has', async () => {
    const { status, body } = await get<{ error: string }>('/store/api/nothing');
    expect(status).toBe(404);
    expect(body.error).toContain('/store/api/nothing');
  });
});

/** RequestCount of the store's load balancer in the minute starting at minuteMs. */
function requestCount(sim: Simulation, minuteMs: number): number {
  const lb: Dimension[] = [{ name: 'LoadBalancer', value: 'app/store-alb/50dc6c495c0c9188' }];
  const sum = new Aggregate();
  expect(
    sim.store.get('AWS/ApplicationELB', 'RequestCount', lb)!.addFineMinute(minuteMs / 60_000, sum),
  ).toBe(true);
  return sum.sum;
}

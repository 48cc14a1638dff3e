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

  it('lists products, each with a 3D model in levels of detail and its textures', async () => {
    const { body } = await get<{ products: Product[] }>('/store/api/products');
    expect(body.products.length).toBeGreaterThanOrEqual(300);
    const first = body.products[0]!;
    const model = await get<ModelMetadata>(`/store/api/models/${first.modelId}`);
    expect(model.status).toBe(200);
    expect(model.body).toMatchObject({
      format: 'glb',
      productId: first.id,
      url: `/store/assets/models/${first.modelId}/lod0.glb`,
    });
    expect(model.body.sizeBytes).toBeGreaterThanOrEqual(1e6);
    expect(model.body.sizeBytes).toBeLessThanOrEqual(50e6);
    // Levels of detail: full first, each a quarter of the one before, on the same origin
    expect(model.body.lods.map((l) => l.level)).toEqual([0, 1, 2]);
    expect(model.body.lods[0]!.sizeBytes).toBe(model.body.sizeBytes);
    expect(model.body.lods[1]!.sizeBytes / model.body.lods[0]!.sizeBytes).toBeCloseTo(0.25, 2);
    for (const lod of model.body.lods)
      expect(lod.url).toBe(`/store/assets/models/${first.modelId}/lod${lod.level}.glb`);
    expect(model.body.textures.length).toBeGreaterThanOrEqual(2);
    for (const texture of model.body.textures) {
      expect(texture.url).toMatch(/^\/store\/assets\/models\/m-[0-9a-f]+\/textures\/\w+\.ktx2$/);
      expect(texture.format).toBe('ktx2');
    }
  });

  it('pages through the catalog by category and finds products by search', async () => {
    const all = await get<{
      total: number;
      pages: number;
      categories: string[];
      products: Product[];
    }>('/store/api/catalog');
    expect(all.status).toBe(200);
    expect(all.body.products).toHaveLength(24);
    expect(all.body.categories).toContain('sofas');
    const lamps = await get<{ total: number; page: number; products: Product[] }>(
      '/store/api/catalog?category=lighting&page=2&pageSize=10',
    );
    expect(lamps.body.page).toBe(2);
    expect(lamps.body.products).toHaveLength(10);
    expect(lamps.body.products.every((p) => p.category === 'lighting')).toBe(true);
    expect(lamps.body.total).toBe(all.body.total / all.body.categories.length);
    expect((await get('/store/api/catalog?category=boats')).status).toBe(404);
    expect((await get('/store/api/catalog?pageSize=1000')).status).toBe(400);
    expect((await get('/store/api/catalog?page=-1')).status).toBe(400);

    const walnut = await get<{ total: number; products: Product[] }>('/store/api/search?q=walnut');
    expect(walnut.body.total).toBeGreaterThan(0);
    expect(walnut.body.products.every((p) => /walnut/i.test(p.name))).toBe(true);
    const none = await get<{ total: number }>('/store/api/search?q=spaceship');
    expect(none.body.total).toBe(0);
    expect((await get('/store/api/search')).status).toBe(400);
  });

  it('shows a product with its model and related products', async () => {
    const { status, body } = await get<Product & { model: { id: string; url: string } }>(
      '/store/api/products/p-0007',
    );
    expect(status).toBe(200);
    expect(body.model.url).toBe(`/store/api/models/${body.modelId}`);
    expect((await get('/store/api/products/p-9999')).status).toBe(404);
  });

  it("serves a landing page of a real store's size", async () => {
    const res = await fetch(`${sandbox.url}/store/`);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html.length).toBeGreaterThan(20_000);
    expect(html).toContain('<model-viewer');
  });

  it('streams a GLB of exactly its advertised size, with a valid header', async () => {
    const product = (await get<Product>('/store/api/products/p-0003')).body;
    const model = (await get<ModelMetadata>(`/store/api/models/${product.modelId}`)).body;
    const lod = model.lods[2]!;
    const res = await fetch(`${sandbox.url}${lod.url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('model/gltf-binary');
    expect(Number(res.headers.get('content-length'))).toBe(lod.sizeBytes);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBe(lod.sizeBytes);
    expect(bytes.toString('latin1', 0, 4)).toBe('glTF');
    expect(bytes.readUInt32LE(4)).toBe(2);
    expect(bytes.readUInt32LE(8)).toBe(lod.sizeBytes);
    // The JSON chunk parses and the BIN chunk fills the rest
    const jsonLength = bytes.readUInt32LE(12);
    expect(bytes.toString('latin1', 16, 20)).toBe('JSON');
    const json = JSON.parse(bytes.toString('utf8', 20, 20 + jsonLength)) as {
      buffers: { byteLength: number }[];
    };
    const binLength = bytes.readUInt32LE(20 + jsonLength);
    expect(bytes.toString('latin1', 24 + jsonLength, 28 + jsonLength)).toBe('BIN\0');
    expect(json.buffers[0]!.byteLength).toBe(binLength);
    expect(28 + jsonLength + binLength).toBe(lod.sizeBytes);

    const texture = model.textures[0]!;
    const tex = await fetch(`${sandbox.url}${texture.url}`);
    expect(tex.headers.get('content-type')).toBe('image/ktx2');
    const texBytes = Buffer.from(await tex.arrayBuffer());
    expect(texBytes.length).toBe(texture.sizeBytes);
    expect(texBytes.subarray(1, 7).toString('latin1')).toBe('KTX 20');
    expect((await fetch(`${sandbox.url}/store/assets/models/${model.id}/lod7.glb`)).status).toBe(
      404,
    );
    expect((await fetch(`${sandbox.url}/store/assets/models/m-nope/lod0.glb`)).status).toBe(404);
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

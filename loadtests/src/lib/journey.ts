// The steps of a shopper's journey through the 3D store: land, browse and search the
// catalog, open a product, fetch its 3D model's metadata and then the GLB at the level of
// detail the device picks, its textures, add to cart, check out. Each step checks what it
// got; a scenario strings them together (session.ts).
import { check } from 'k6';
import http from 'k6/http';
import { Counter, Trend } from 'k6/metrics';
import type { Device } from '@ballast/core';
import { absolute, baseUrl, get, jsonOf, postJson, tags, type Res } from './requests';

/** Time to last byte of a GLB, ms: what the 3D model load SLO (p95 < 3 s) is about. */
export const modelTtlb = new Trend('model_ttlb', true);
/** Bytes of GLBs and textures received. */
export const modelBytes = new Counter('model_bytes');

export interface Product {
  id: string;
  name: string;
  category: string;
  priceCents: number;
  modelId: string;
}

interface ProductList {
  products?: Product[];
  categories?: string[];
  /** pages of the listing */
  pages?: number;
}

export interface ModelMetadata {
  id: string;
  lods: { level: number; sizeBytes: number; triangles: number; url: string }[];
  textures: { name?: string; url: string; sizeBytes: number; format: string }[];
}

export function land(): boolean {
  const res = get('landing', `${baseUrl}/`, '/');
  return check(res, { 'landing page answers 200': (r) => r.status === 200 });
}

/** A page of the catalog; what it lists and the categories it names. */
export function browseCatalog(category: string | undefined, page: number): ProductList {
  const query = `?page=${page}${category ? `&category=${encodeURIComponent(category)}` : ''}`;
  const res = get('catalog', `${baseUrl}/api/catalog${query}`, '/api/catalog');
  const body = jsonOf<ProductList>(res) || {};
  check(res, { 'catalog lists products': () => (body.products || []).length > 0 });
  return body;
}

export function search(q: string): Product[] {
  const res = get('search', `${baseUrl}/api/search?q=${encodeURIComponent(q)}`, '/api/search');
  const body = jsonOf<ProductList>(res);
  check(res, { 'search answers': () => body !== undefined });
  return (body && body.products) || [];
}

export function openProduct(id: string): Product | undefined {
  const res = get(
    'product',
    `${baseUrl}/api/products/${encodeURIComponent(id)}`,
    '/api/products/{id}',
  );
  const product = jsonOf<Product>(res);
  check(res, { 'product page answers': () => product !== undefined && product.id === id });
  return product;
}

export function modelMetadata(modelId: string): ModelMetadata | undefined {
  const res = get(
    'model-metadata',
    `${baseUrl}/api/models/${encodeURIComponent(modelId)}`,
    '/api/models/{id}',
  );
  const model = jsonOf<ModelMetadata>(res);
  check(res, {
    'model metadata lists levels of detail': () =>
      model !== undefined && Array.isArray(model.lods) && model.lods.length > 0,
  });
  return model;
}

/** The level of detail a device loads: its own, else the coarsest the model has. */
export function lodFor(model: ModelMetadata, device: Device): ModelMetadata['lods'][number] {
  const lods = model.lods.slice().sort((a, b) => a.level - b.level);
  for (const lod of lods) if (lod.level === device.lod) return lod;
  return lods[lods.length - 1]!;
}

/** The first four bytes of a GLB: "glTF". */
const GLB_MAGIC = [0x67, 0x6c, 0x54, 0x46];

function glbMagicOk(body: ArrayBuffer): boolean {
  if (body.byteLength < 12) return false;
  const bytes = new Uint8Array(body, 0, 12);
  for (let i = 0; i < 4; i++) if (bytes[i] !== GLB_MAGIC[i]) return false;
  // version 2, and the length in the header is the file's length
  const view = new DataView(body, 0, 12);
  return view.getUint32(4, true) === 2 && view.getUint32(8, true) === body.byteLength;
}

/** The bytes received, when the body was kept, else the length the server announced. */
function received(res: Res): number {
  const body = res.body as unknown;
  if (body instanceof ArrayBuffer) return body.byteLength;
  return Number(res.headers['Content-Length'] || res.headers['content-length'] || 0);
}

/**
 * Download the GLB at the device's level of detail. With `verify`, its bytes are kept and
 * checked: exactly the advertised size, a GLB header that says so. Either way its time to
 * last byte goes to model_ttlb.
 */
export function downloadModel(model: ModelMetadata, device: Device, verify: boolean): boolean {
  const lod = lodFor(model, device);
  const res = http.get(absolute(lod.url), {
    responseType: verify ? 'binary' : 'none',
    tags: tags('model-glb', '/assets/models/{id}/lod{n}.glb', 'asset'),
  });
  modelTtlb.add(res.timings.duration, { lod: String(lod.level), device: device.name });
  const ok = res.status === 200;
  if (ok) modelBytes.add(received(res), { step: 'model-glb' });
  if (!verify) return check(res, { 'GLB answers 200': () => ok });
  const body = res.body as unknown;
  return check(res, {
    'GLB answers 200': () => ok,
    'GLB is complete (advertised size)': () =>
      body instanceof ArrayBuffer && body.byteLength === lod.sizeBytes,
    'GLB starts with a valid glTF header': () => body instanceof ArrayBuffer && glbMagicOk(body),
  });
}

/** The model's textures, fetched side by side as a browser does. */
export function downloadTextures(model: ModelMetadata, verify: boolean): boolean {
  if (model.textures.length === 0) return true;
  const responses = http.batch(
    model.textures.map((t) => ({
      method: 'GET',
      url: absolute(t.url),
      params: {
        responseType: verify ? ('binary' as const) : ('none' as const),
        tags: tags('texture', '/assets/models/{id}/textures/{name}', 'asset'),
      },
    })),
  );
  let ok = true;
  responses.forEach((res, i) => {
    const texture = model.textures[i]!;
    if (res.status === 200) modelBytes.add(received(res), { step: 'texture' });
    const body = res.body as unknown;
    ok =
      check(res, {
        'texture answers 200': (r) => r.status === 200,
        'texture is complete (advertised size)': () =>
          !verify || (body instanceof ArrayBuffer && body.byteLength === texture.sizeBytes),
      }) && ok;
  });
  return ok;
}

/** Add a product to the cart (a new one without cartId); the cart's id. */
export function addToCart(productId: string, cartId: string | undefined): string | undefined {
  const res = postJson('cart', `${baseUrl}/api/cart`, '/api/cart', {
    productId,
    quantity: 1,
    ...(cartId ? { cartId } : {}),
  });
  const cart = jsonOf<{ cartId: string }>(res);
  check(res, { 'cart accepts the item': () => cart !== undefined && !!cart.cartId });
  return cart ? cart.cartId : cartId;
}

export function checkout(cartId: string): boolean {
  const res = postJson('checkout', `${baseUrl}/api/checkout`, '/api/checkout', { cartId });
  const order = jsonOf<{ orderId: string }>(res);
  return check(res, { 'checkout places the order': () => order !== undefined && !!order.orderId });
}

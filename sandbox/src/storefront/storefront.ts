// The storefront HTTP API that load tests hit. Every request adds to the simulated web load,
// and each answer waits as long as the simulated web tier would take (and fails as often).
// Checkouts and model downloads count in the store's business metrics (Store3D/Business).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { responseTimeQuantileMs } from '@ballast/core';
import { z } from 'zod';
import { sendJson } from '../http.js';
import { Random } from '../random.js';
import type { Simulation } from '../simulation/simulation.js';

export interface Product {
  id: string;
  name: string;
  priceCents: number;
  modelId: string;
}

export interface ModelMetadata {
  id: string;
  productId: string;
  format: 'glb';
  sizeBytes: number;
  triangles: number;
  /** levels of detail, coarsest last */
  lods: { level: number; sizeBytes: number; triangles: number }[];
  url: string;
}

const PRODUCT_NAMES = [
  'Walnut lounge chair',
  'Oak dining table',
  'Linen three-seat sofa',
  'Brass floor lamp',
  'Ceramic vase set',
  'Leather armchair',
  'Marble coffee table',
  'Rattan pendant light',
  'Velvet ottoman',
  'Teak sideboard',
  'Wool area rug',
  'Steel bookshelf',
];

const CartRequestSchema = z
  .object({
    productId: z.string().min(1),
    quantity: z.number().int().min(1).max(99).default(1),
    cartId: z.string().min(1).optional(),
  })
  .strict();

const CheckoutRequestSchema = z.object({ cartId: z.string().min(1).max(64) }).strict();

const MAX_CARTS = 10_000;

export class Storefront {
  readonly products: readonly Product[];
  private readonly models = new Map<string, ModelMetadata>();
  private readonly carts = new Map<string, Map<string, number>>();
  private readonly random: Random;
  private nextCart = 1;
  private nextOrder = 1;

  constructor(private readonly simulation: Simulation) {
    this.random = new Random(simulation.seed, 'storefront');
    const catalog = new Random(simulation.seed, 'catalog');
    const cdn = simulation.platform.tiers
      .flatMap((t) => t.resources)
      .find((r) => r.type === 'cloudfront-distribution');
    const host = cdn ? `${cdn.id.toLowerCase()}.cloudfront.net` : 'models.example.com';
    this.products = PRODUCT_NAMES.map((name, i) => {
      const id = `p-${String(i + 1).padStart(4, '0')}`;
      const modelId = `m-${catalog.hex(10)}`;
      const sizeBytes = Math.round(catalog.between(1, 50) * 1e6);
      const triangles = Math.round(sizeBytes / 40);
      this.models.set(modelId, {
        id: modelId,
        productId: id,
        format: 'glb',
        sizeBytes,
        triangles,
        lods: [1, 2, 3].map((level) => ({
          level,
          sizeBytes: Math.round(sizeBytes / 4 ** (level - 1)),
          triangles: Math.round(triangles / 4 ** (level - 1)),
        })),
        url: `https://${host}/models/${modelId}.glb`,
      });
      return { id, name, priceCents: Math.round(catalog.between(49, 2400)) * 100 - 1, modelId };
    });
  }

  /** Answer a request under /store/, whose body has been read. */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    body: string,
  ): Promise<void> {
    const web = this.simulation.storefront;
    if (!web)
      return sendJson(res, 503, {
        error: 'This platform has no web tier, so there is no storefront to serve.',
      });
    web.addStorefrontRequests(1);

    // Wait as long as the simulated web tier takes, and fail as often as it does.
    const input = web.lastInput;
    const failed = this.random.chance(web.lastErrorRate);
    if (input) await sleep(responseTimeQuantileMs(input, this.random.between(0.005, 0.995)));
    if (failed && path !== '/store/health')
      return sendJson(res, 503, { error: 'The store is overloaded; retry shortly.' });

    const method = req.method ?? 'GET';
    if (path === '/store/health' && method === 'GET') {
      const estimate = web.lastEstimate;
      const healthy = web.lastErrorRate < 0.5;
      return sendJson(res, healthy ? 200 : 503, {
        status: healthy ? 'ok' : 'failing',
        cpuPercent: round(estimate?.cpuPercent ?? 0),
        errorRate: round(web.lastErrorRate, 4),
        instancesInService: web.group.count('InService'),
      });
    }
    if (path === '/store/api/products' && method === 'GET')
      return sendJson(res, 200, { products: this.products });
    const model = /^\/store\/api\/models\/([^/]+)$/.exec(path);
    if (model && method === 'GET') {
      const found = this.models.get(decodeOrSelf(model[1]!));
      // The viewer goes on to download the model: a model view, its bytes.
      if (found) this.simulation.business?.recordModelView(found.sizeBytes);
      return found
        ? sendJson(res, 200, found)
        : sendJson(res, 404, {
            error: `No 3D model with id ${model[1]}. List models via GET /store/api/products.`,
          });
    }
    if (path === '/store/api/cart' && method === 'POST') return this.addToCart(res, body);
    if (path === '/store/api/checkout' && method === 'POST') return this.checkout(res, body);
    return sendJson(res, 404, { error: `No storefront route ${method} ${path}.` });
  }

  private addToCart(res: ServerResponse, text: string): void {
    let body: unknown;
    try {
      body = JSON.parse(text || '{}');
    } catch {
      return sendJson(res, 400, {
        error: 'The body must be JSON: {"productId": "p-0001", "quantity": 1}.',
      });
    }
    const parsed = CartRequestSchema.safeParse(body);
    if (!parsed.success) {
      return sendJson(res, 400, {
        error: 'Invalid cart item.',
        issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
    }
    const { productId, quantity } = parsed.data;
    const product = this.products.find((p) => p.id === productId);
    if (!product) return sendJson(res, 404, { error: `No product ${productId}.` });
    let cartId = parsed.data.cartId;
    if (!cartId || !this.carts.has(cartId)) {
      cartId = `c-${String(this.nextCart++).padStart(8, '0')}`;
      if (this.carts.size >= MAX_CARTS) this.carts.delete(this.carts.keys().next().value!);
      this.carts.set(cartId, new Map());
    }
    const cart = this.carts.get(cartId)!;
    cart.set(productId, (cart.get(productId) ?? 0) + quantity);
    const items = [...cart].map(([id, qty]) => ({
      productId: id,
      quantity: qty,
      priceCents: this.products.find((p) => p.id === id)!.priceCents,
    }));
    return sendJson(res, 201, {
      cartId,
      items,
      totalCents: items.reduce((sum, i) => sum + i.quantity * i.priceCents, 0),
    });
  }

  /** Place the order of a cart: it counts in Orders and Revenue, and the cart is emptied. */
  private checkout(res: ServerResponse, text: string): void {
    let body: unknown;
    try {
      body = JSON.parse(text || '{}');
    } catch {
      return sendJson(res, 400, { error: 'The body must be JSON: {"cartId": "c-00000001"}.' });
    }
    const parsed = CheckoutRequestSchema.safeParse(body);
    if (!parsed.success) {
      return sendJson(res, 400, {
        error: 'Invalid checkout: give the cartId that POST /store/api/cart returned.',
        issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
      });
    }
    const { cartId } = parsed.data;
    const cart = this.carts.get(cartId);
    if (!cart || cart.size === 0)
      return sendJson(res, 404, { error: `No cart ${cartId} with items to check out.` });
    const totalCents = [...cart].reduce(
      (sum, [id, qty]) => sum + qty * this.products.find((p) => p.id === id)!.priceCents,
      0,
    );
    this.carts.delete(cartId);
    this.simulation.business?.recordOrder(totalCents / 100);
    return sendJson(res, 201, {
      orderId: `o-${String(this.nextOrder++).padStart(8, '0')}`,
      cartId,
      totalCents,
    });
  }
}

/** A path segment decoded, or as it is when it is not valid %-encoding. */
function decodeOrSelf(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

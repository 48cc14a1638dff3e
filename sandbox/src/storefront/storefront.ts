// The storefront HTTP API that load tests hit: the landing page, catalog, search, product
// pages, 3D model metadata, the models (GLB) and textures themselves, cart and checkout.
// Every request adds to the simulated web load, and each answer waits as long as the
// simulated web tier would take (and fails as often). Checkouts and model downloads count
// in the store's business metrics (Store3D/Business).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { responseTimeQuantileMs } from '@ballast/core';
import { z } from 'zod';
import { sendJson } from '../http.js';
import { Random } from '../random.js';
import type { Simulation } from '../simulation/simulation.js';
import { glbHead, ktx2Head, streamAsset } from './assets.js';
import { Catalog, type Product } from './catalog.js';
import { landingPage } from './landing-page.js';

export type { ModelLod, ModelMetadata, ModelTexture, Product } from './catalog.js';

const CartRequestSchema = z
  .object({
    productId: z.string().min(1),
    quantity: z.number().int().min(1).max(99).default(1),
    cartId: z.string().min(1).optional(),
  })
  .strict();

const CheckoutRequestSchema = z.object({ cartId: z.string().min(1).max(64) }).strict();

const wholeNumber = (max: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, 'a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(max));

const CatalogQuerySchema = z.object({
  category: z.string().max(64).optional(),
  page: wholeNumber(100_000).default(1),
  pageSize: wholeNumber(100).default(24),
});

const MAX_CARTS = 10_000;
/** Where the storefront answers; asset URLs are paths under it, on the same origin. */
const BASE = '/store';
/** Search answers at most this many products, best first. */
const SEARCH_LIMIT = 48;

const MODEL_FILE = /^\/store\/assets\/models\/([^/]+)\/lod(\d{1,2})\.glb$/;
const TEXTURE_FILE = /^\/store\/assets\/models\/([^/]+)\/textures\/([A-Za-z]{1,32})\.ktx2$/;

export class Storefront {
  readonly catalog: Catalog;
  private readonly carts = new Map<string, Map<string, number>>();
  private readonly random: Random;
  private readonly landing: string;
  private nextCart = 1;
  private nextOrder = 1;

  constructor(private readonly simulation: Simulation) {
    this.random = new Random(simulation.seed, 'storefront');
    this.catalog = new Catalog(simulation.seed, BASE);
    this.landing = landingPage(this.catalog, BASE);
  }

  get products(): readonly Product[] {
    return this.catalog.products;
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
    if (method === 'GET') {
      const query = new URL(req.url ?? '/', 'http://store').searchParams;
      if (path === '/store' || path === '/store/') return this.sendPage(res);
      if (path === '/store/health') return this.health(res);
      if (path === '/store/api/products')
        return sendJson(res, 200, { products: this.catalog.products });
      if (path === '/store/api/catalog') return this.browse(res, query);
      if (path === '/store/api/search') return this.search(res, query);
      const product = /^\/store\/api\/products\/([^/]+)$/.exec(path);
      if (product) return this.product(res, decodeOrSelf(product[1]!));
      const model = /^\/store\/api\/models\/([^/]+)$/.exec(path);
      if (model) return this.modelMetadata(res, decodeOrSelf(model[1]!));
      const glb = MODEL_FILE.exec(path);
      if (glb) return this.sendModel(res, decodeOrSelf(glb[1]!), Number(glb[2]));
      const texture = TEXTURE_FILE.exec(path);
      if (texture) return this.sendTexture(res, decodeOrSelf(texture[1]!), texture[2]!);
    }
    if (path === '/store/api/cart' && method === 'POST') return this.addToCart(res, body);
    if (path === '/store/api/checkout' && method === 'POST') return this.checkout(res, body);
    return sendJson(res, 404, {
      error: `No storefront route ${method} ${path}. Routes: GET /store/, /store/api/catalog, /store/api/search?q=, /store/api/products[/<id>], /store/api/models/<id>; POST /store/api/cart, /store/api/checkout.`,
    });
  }

  private health(res: ServerResponse): void {
    const web = this.simulation.storefront!;
    const estimate = web.lastEstimate;
    const healthy = web.lastErrorRate < 0.5;
    return sendJson(res, healthy ? 200 : 503, {
      status: healthy ? 'ok' : 'failing',
      cpuPercent: round(estimate?.cpuPercent ?? 0),
      errorRate: round(web.lastErrorRate, 4),
      instancesInService: web.group.count('InService'),
    });
  }

  private sendPage(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(this.landing),
    });
    res.end(this.landing);
  }

  /** A page of the catalog, of one category or all. */
  private browse(res: ServerResponse, query: URLSearchParams): void {
    const parsed = CatalogQuerySchema.safeParse(Object.fromEntries(query));
    if (!parsed.success)
      return sendJson(res, 400, {
        error: 'Invalid catalog query: page and pageSize are whole numbers (pageSize 1-100).',
        issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
    const { category, page, pageSize } = parsed.data;
    if (category && !this.catalog.categories.includes(category))
      return sendJson(res, 404, {
        error: `No category "${category}". Categories: ${this.catalog.categories.join(', ')}.`,
      });
    const all = category
      ? this.catalog.products.filter((p) => p.category === category)
      : this.catalog.products;
    return sendJson(res, 200, {
      category: category ?? null,
      categories: this.catalog.categories,
      page,
      pageSize,
      total: all.length,
      pages: Math.ceil(all.length / pageSize),
      products: all.slice((page - 1) * pageSize, page * pageSize),
    });
  }

  private search(res: ServerResponse, query: URLSearchParams): void {
    const q = query.get('q')?.trim() ?? '';
    if (q.length === 0 || q.length > 200)
      return sendJson(res, 400, {
        error: 'Search needs a query of 1-200 characters: /store/api/search?q=oak+table.',
      });
    const found = this.catalog.search(q);
    return sendJson(res, 200, {
      q,
      total: found.length,
      products: found.slice(0, SEARCH_LIMIT),
    });
  }

  private product(res: ServerResponse, id: string): void {
    const product = this.catalog.product(id);
    if (!product)
      return sendJson(res, 404, {
        error: `No product ${id}. Browse products via GET /store/api/catalog.`,
      });
    const model = this.catalog.model(product.modelId)!;
    return sendJson(res, 200, {
      ...product,
      description: `${product.name}, shown in 3D: turn it, zoom in, place it in your room.`,
      model: { id: model.id, url: `${BASE}/api/models/${model.id}` },
      related: this.catalog.products
        .filter((p) => p.category === product.category && p.id !== product.id)
        .slice(0, 6)
        .map((p) => ({ id: p.id, name: p.name, priceCents: p.priceCents })),
    });
  }

  private modelMetadata(res: ServerResponse, id: string): void {
    const found = this.catalog.model(id);
    return found
      ? sendJson(res, 200, found)
      : sendJson(res, 404, {
          error: `No 3D model with id ${id}. Products name their model: GET /store/api/products/<id>.`,
        });
  }

  /** A GLB at a level of detail: a model view, and its bytes served. */
  private async sendModel(res: ServerResponse, id: string, level: number): Promise<void> {
    const lod = this.catalog.model(id)?.lods.find((l) => l.level === level);
    if (!lod)
      return sendJson(res, 404, {
        error: `No level of detail ${level} of 3D model ${id}: its metadata (GET /store/api/models/<id>) lists the lods.`,
      });
    const business = this.simulation.business;
    business?.recordModelView();
    const sent = await streamAsset(
      res,
      'model/gltf-binary',
      glbHead(lod.sizeBytes, id, level),
      lod.sizeBytes,
    );
    business?.recordModelBytes(sent);
  }

  private async sendTexture(res: ServerResponse, id: string, name: string): Promise<void> {
    const texture = this.catalog.model(id)?.textures.find((t) => t.name === name);
    if (!texture)
      return sendJson(res, 404, {
        error: `No texture ${name} of 3D model ${id}: its metadata (GET /store/api/models/<id>) lists the textures.`,
      });
    const sent = await streamAsset(res, 'image/ktx2', ktx2Head(), texture.sizeBytes);
    this.simulation.business?.recordModelBytes(sent);
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
    const product = this.catalog.product(productId);
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
      priceCents: this.catalog.product(id)!.priceCents,
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
      (sum, [id, qty]) => sum + qty * this.catalog.product(id)!.priceCents,
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

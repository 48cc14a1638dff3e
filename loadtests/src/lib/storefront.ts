// Endpoint wrappers for the 3D store's HTTP API, named for what a shopper does.
import http from 'k6/http';
import type { RefinedResponse, ResponseType } from 'k6/http';

/** Base URL of the storefront: `-e BASE_URL=...`, default the local sandbox. */
export const baseUrl: string = __ENV.BASE_URL || 'http://127.0.0.1:4566/store';

type Res = RefinedResponse<ResponseType | undefined>;

export function browseCatalog(): Res {
  return http.get(`${baseUrl}/api/products`, { tags: { name: 'catalog' } });
}

/** A product as the catalog lists it; `modelId` names its 3D model. */
export interface Product {
  id: string;
  name: string;
  priceCents: number;
  modelId: string;
}

/** The products of a catalog answer, or none when it did not parse. */
export function productsOf(res: Res): Product[] {
  if (res.status !== 200) return [];
  const body = res.json() as { products?: Product[] } | null;
  return Array.isArray(body?.products) ? body.products : [];
}

export function viewModel(modelId: string): Res {
  return http.get(`${baseUrl}/api/models/${encodeURIComponent(modelId)}`, {
    tags: { name: 'model' },
  });
}

export function addToCart(productId: string): Res {
  return http.post(`${baseUrl}/api/cart`, JSON.stringify({ productId, quantity: 1 }), {
    headers: { 'Content-Type': 'application/json' },
    tags: { name: 'cart' },
  });
}

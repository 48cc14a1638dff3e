// Endpoint wrappers for the 3D store's HTTP API, named for what a shopper does.
import http from 'k6/http';
import type { RefinedResponse, ResponseType } from 'k6/http';

/** Base URL of the storefront: `-e BASE_URL=...`, default the local sandbox. */
export const baseUrl: string = __ENV.BASE_URL || 'http://127.0.0.1:4566/store';

type Res = RefinedResponse<ResponseType | undefined>;

export function browseCatalog(): Res {
  return http.get(`${baseUrl}/api/products`, { tags: { name: 'catalog' } });
}

export function viewModel(productId: string): Res {
  return http.get(`${baseUrl}/api/models/${encodeURIComponent(productId)}`, {
    tags: { name: 'model' },
  });
}

export function addToCart(productId: string): Res {
  return http.post(`${baseUrl}/api/cart`, JSON.stringify({ productId, quantity: 1 }), {
    headers: { 'Content-Type': 'application/json' },
    tags: { name: 'cart' },
  });
}

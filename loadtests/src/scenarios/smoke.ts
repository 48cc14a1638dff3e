// Smoke: a handful of shoppers for 30 seconds, to prove the store answers before any
// heavier test. Thresholds mirror the web tier's SLO (p99 under 500 ms, <0.5% errors).
import { check, group, sleep } from 'k6';
import type { Options } from 'k6/options';
import { addToCart, browseCatalog, productsOf, viewModel, type Product } from '../lib/storefront';

export const options: Options = {
  vus: 3,
  duration: '30s',
  thresholds: {
    http_req_failed: ['rate<0.005'],
    http_req_duration: ['p(99)<500'],
    checks: ['rate>0.99'],
  },
};

export default function shopper(): void {
  let products: Product[] = [];
  group('browse the catalog', () => {
    const res = browseCatalog();
    products = productsOf(res);
    check(res, { 'catalog lists products': () => products.length > 0 });
  });
  const product = products[Math.floor(Math.random() * products.length)];
  if (!product) return sleep(1);
  group('look at a 3D model', () => {
    const res = viewModel(product.modelId);
    check(res, { 'model metadata answers 200': (r) => r.status === 200 });
  });
  group('add to cart', () => {
    const res = addToCart(product.id);
    check(res, { 'cart accepts the item': (r) => r.status === 200 || r.status === 201 });
  });
  sleep(1);
}

// One shopper's session, as the profile's funnel has it: land, browse catalog pages, maybe
// search, open products (most with their 3D model at the level of detail the device picks),
// sometimes add to cart, sometimes check out; thinking between pages.
import { group, sleep } from 'k6';
import type { Device, K6Journey } from '@ballast/core';
import {
  addToCart,
  browseCatalog,
  checkout,
  downloadModel,
  downloadTextures,
  land,
  modelMetadata,
  openProduct,
  search,
  type Product,
} from './journey';

const SEARCHES = [
  'walnut',
  'oak table',
  'velvet sofa',
  'floor lamp',
  'rug',
  'leather chair',
  'mirror',
  'outdoor',
  'marble',
  'nordic',
];

/** A number in [0, 1): Math.random, or what a test passes in. */
export type Random = () => number;

export function pickDevice(devices: Device[], random: Random): Device {
  let u = random();
  for (const device of devices) {
    if (u < device.share) return device;
    u -= device.share;
  }
  return devices[devices.length - 1]!;
}

function pick<T>(items: T[], random: Random): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(random() * items.length)];
}

function think(journey: K6Journey, random: Random): void {
  const { minSeconds, maxSeconds } = journey.thinkTime;
  sleep(minSeconds + random() * (maxSeconds - minSeconds));
}

export function shop(journey: K6Journey, random: Random = Math.random): void {
  const device = pickDevice(journey.devices, random);
  const seen: Product[] = [];

  group('land', () => {
    land();
  });
  think(journey, random);

  // The first page is the whole catalog; then a category, paged through as shoppers do.
  let categories: string[] = [];
  let category: string | undefined;
  let page = 1;
  let pages = 1;
  for (let i = 0; i < journey.catalogPages; i++) {
    if (i > 0 && category && page < pages) page += 1;
    else if (i > 0) {
      category = pick(categories, random);
      page = 1;
    }
    group('browse the catalog', () => {
      const list = browseCatalog(category, page);
      if (list.categories) categories = list.categories;
      pages = list.pages || 1;
      seen.push(...(list.products || []));
    });
    think(journey, random);
  }

  if (random() < journey.searchShare) {
    group('search', () => {
      seen.push(...search(pick(SEARCHES, random)!));
    });
    think(journey, random);
  }

  let cartId: string | undefined;
  for (let i = 0; i < journey.productViews; i++) {
    const chosen = pick(seen, random);
    if (!chosen) break;
    let product: Product | undefined;
    group('open a product', () => {
      product = openProduct(chosen.id);
    });
    if (product && random() < journey.modelViewShare) {
      const modelId = product.modelId;
      group('view the 3D model', () => {
        const model = modelMetadata(modelId);
        if (!model) return;
        const verify = random() < journey.verifyShare;
        downloadModel(model, device, verify);
        downloadTextures(model, verify);
      });
    }
    think(journey, random);
    if (product && random() < journey.addToCartShare) {
      const productId = product.id;
      group('add to cart', () => {
        cartId = addToCart(productId, cartId);
      });
      think(journey, random);
    }
  }

  if (cartId && random() < journey.checkoutShare) {
    const id = cartId;
    group('check out', () => {
      checkout(id);
    });
    think(journey, random);
  }
}

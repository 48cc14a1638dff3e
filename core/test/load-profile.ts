// A profile whose arithmetic is easy by hand: every session looks at 6 pages (landing, 2
// catalog pages, half a search, 2 products, half a cart) with 10 s on each: 60 s a session.
export const flat = {
  scenario: 'flat',
  description: 'A steady 600 shoppers for 10 minutes.',
  startShoppers: 600,
  stages: [{ name: 'hold', duration: '10m', shoppers: 600 }],
  thinkTime: { minSeconds: 10, maxSeconds: 10 },
  funnel: {
    catalogPages: 2,
    searchShare: 0.5,
    productViews: 2,
    modelViewShare: 0.5,
    addToCartShare: 0.25,
    purchaseShare: 0,
  },
  devices: [{ name: 'tablet', share: 1, lod: 1 }],
  assets: { modelBytes: 4_000_000, lodRatio: 0.25, texturesPerModel: 2, textureBytes: 500_000 },
};

// The storefront's landing page: the HTML a shopper's browser loads first, about the size
// of a real store's (navigation, a hero, featured products with their 3D previews).
import type { Catalog } from './catalog.js';

const FEATURED = 48;

export function landingPage(catalog: Catalog, base: string): string {
  const esc = (s: string) =>
    s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const nav = catalog.categories
    .map((c) => `<li><a href="${base}/c/${c}" data-category="${c}">${esc(title(c))}</a></li>`)
    .join('\n        ');
  const cards = catalog.products
    .slice(0, FEATURED)
    .map(
      (p) => `
      <article class="card" data-product="${p.id}" data-model="${p.modelId}">
        <a href="${base}/p/${p.id}">
          <model-viewer src="${base}/assets/models/${p.modelId}/lod2.glb" loading="lazy" reveal="interaction" camera-controls auto-rotate alt="${esc(p.name)} in 3D"></model-viewer>
          <h3>${esc(p.name)}</h3>
        </a>
        <p class="price">$${(p.priceCents / 100).toFixed(2)}</p>
        <p class="rating" aria-label="rated ${p.rating} out of 5">${'★'.repeat(Math.round(p.rating))}${'☆'.repeat(5 - Math.round(p.rating))}</p>
        <button class="add" data-product="${p.id}">Add to cart</button>
      </article>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Ballast Home — furniture you can turn in 3D</title>
    <link rel="preconnect" href="${base}/assets/">
    <style>
      body { font-family: system-ui, sans-serif; margin: 0; color: #1d1d1f; }
      header { display: flex; align-items: center; gap: 2rem; padding: 1rem 2rem; border-bottom: 1px solid #e5e5e5; }
      nav ul { display: flex; gap: 1.25rem; list-style: none; margin: 0; padding: 0; }
      .hero { padding: 4rem 2rem; background: linear-gradient(120deg, #f5efe6, #e8eef5); }
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 1.5rem; padding: 2rem; }
      .card model-viewer { width: 100%; height: 220px; background: #f7f7f7; border-radius: 8px; }
      .price { font-weight: 600; } .rating { color: #b8860b; }
    </style>
    <script type="module" src="${base}/assets/js/model-viewer.min.js"></script>
  </head>
  <body>
    <header>
      <a class="logo" href="${base}/">Ballast Home</a>
      <nav><ul>
        ${nav}
      </ul></nav>
      <form action="${base}/search" role="search"><input name="q" placeholder="Search sofas, lamps, rugs…"></form>
      <a href="${base}/cart" class="cart">Cart</a>
    </header>
    <section class="hero">
      <h1>See it in your room before it arrives</h1>
      <p>Every piece in 3D: turn it, zoom into the grain, place it with AR.</p>
    </section>
    <main class="grid">${cards}
    </main>
    <footer><p>Free delivery over $500 · 100-day returns</p></footer>
  </body>
</html>
`;
}

const title = (category: string) => category.charAt(0).toUpperCase() + category.slice(1);

// The store's catalog: a few hundred furniture and decor products in categories, each with
// a 3D model in three levels of detail and its textures. Generated from the seed, so the
// same sandbox always sells the same things; nothing is stored on disk.
import { Random } from '../random.js';

export interface Product {
  id: string;
  name: string;
  category: string;
  priceCents: number;
  /** average review, 1-5 */
  rating: number;
  modelId: string;
}

export interface ModelLod {
  /** 0 = full detail; each level a quarter of the one before */
  level: number;
  sizeBytes: number;
  triangles: number;
  url: string;
}

export interface ModelTexture {
  /** what the texture maps: baseColor, normal, metallicRoughness, occlusion */
  name: string;
  url: string;
  sizeBytes: number;
  format: 'ktx2';
}

export interface ModelMetadata {
  id: string;
  productId: string;
  format: 'glb';
  /** the full-detail model's size, bytes */
  sizeBytes: number;
  triangles: number;
  /** levels of detail, finest (0) first */
  lods: ModelLod[];
  textures: ModelTexture[];
  /** the full-detail model */
  url: string;
}

/** Categories and the things sold in each. */
const CATEGORIES: Record<string, { items: string[]; price: [number, number] }> = {
  sofas: { items: ['sofa', 'sectional', 'loveseat', 'daybed', 'chaise'], price: [599, 2400] },
  chairs: {
    items: ['lounge chair', 'armchair', 'dining chair', 'rocking chair', 'stool'],
    price: [89, 1200],
  },
  tables: {
    items: ['dining table', 'coffee table', 'side table', 'console table', 'desk'],
    price: [149, 1900],
  },
  lighting: {
    items: ['floor lamp', 'pendant light', 'table lamp', 'wall sconce', 'chandelier'],
    price: [49, 900],
  },
  storage: {
    items: ['sideboard', 'bookshelf', 'dresser', 'cabinet', 'wardrobe'],
    price: [199, 1800],
  },
  beds: {
    items: ['bed frame', 'headboard', 'bunk bed', 'nightstand', 'bench'],
    price: [129, 2200],
  },
  rugs: { items: ['area rug', 'runner', 'round rug', 'kilim', 'shag rug'], price: [59, 1400] },
  decor: { items: ['vase set', 'mirror', 'wall clock', 'planter', 'sculpture'], price: [29, 600] },
  outdoor: {
    items: ['patio set', 'hammock', 'parasol', 'garden bench', 'fire pit'],
    price: [99, 2000],
  },
};
const MATERIALS = [
  'Walnut',
  'Oak',
  'Teak',
  'Linen',
  'Velvet',
  'Leather',
  'Brass',
  'Marble',
  'Rattan',
  'Steel',
  'Wool',
  'Ceramic',
  'Ash',
  'Bouclé',
  'Terrazzo',
];
const STYLES = [
  'Nordic',
  'Mid-century',
  'Coastal',
  'Industrial',
  'Arden',
  'Halden',
  'Mira',
  'Oslo',
  'Sable',
  'Tidewater',
  'Verde',
  'Kyoto',
];
const TEXTURE_MAPS = ['baseColor', 'normal', 'metallicRoughness', 'occlusion'] as const;

/** Products in the catalog. */
export const CATALOG_SIZE = 360;
/** Each level of detail is this share of the one before (the load profiles assume it too). */
export const LOD_RATIO = 0.25;
export const LOD_LEVELS = 3;

export class Catalog {
  readonly products: readonly Product[];
  readonly categories: readonly string[] = Object.keys(CATEGORIES);
  private readonly byId = new Map<string, Product>();
  private readonly models = new Map<string, ModelMetadata>();
  /** lower-case words of each product's name and category, for search */
  private readonly words = new Map<string, string[]>();

  constructor(seed: number, base: string) {
    const r = new Random(seed, 'catalog');
    const products: Product[] = [];
    for (let i = 0; i < CATALOG_SIZE; i++) {
      const category = this.categories[i % this.categories.length]!;
      const { items, price } = CATEGORIES[category]!;
      const name = `${STYLES[r.int(STYLES.length)]} ${MATERIALS[r.int(MATERIALS.length)]!.toLowerCase()} ${items[r.int(items.length)]}`;
      const id = `p-${String(i + 1).padStart(4, '0')}`;
      const modelId = `m-${r.hex(10)}`;
      const product: Product = {
        id,
        name: name.charAt(0).toUpperCase() + name.slice(1),
        category,
        priceCents: Math.round(r.between(price[0], price[1])) * 100 - 1,
        rating: Math.round(r.between(3.2, 5) * 10) / 10,
        modelId,
      };
      products.push(product);
      this.byId.set(id, product);
      this.models.set(modelId, model(r, base, product));
      this.words.set(id, `${product.name} ${category}`.toLowerCase().split(/\s+/));
    }
    this.products = products;
  }

  product(id: string): Product | undefined {
    return this.byId.get(id);
  }

  model(id: string): ModelMetadata | undefined {
    return this.models.get(id);
  }

  /** Products whose name or category has a word starting with each word of the query. */
  search(query: string): Product[] {
    const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (terms.length === 0) return [];
    return this.products.filter((p) => {
      const words = this.words.get(p.id)!;
      return terms.every((t) => words.some((w) => w.startsWith(t)));
    });
  }
}

function model(r: Random, base: string, product: Product): ModelMetadata {
  const id = product.modelId;
  // 3D models of furniture run from 1 MB (a vase) to 50 MB (a sectional in full detail).
  const sizeBytes = align4(r.between(1, 50) * 1e6);
  const triangles = Math.round(sizeBytes / 40);
  const lods = Array.from({ length: LOD_LEVELS }, (_, level) => ({
    level,
    sizeBytes: align4(sizeBytes * LOD_RATIO ** level),
    triangles: Math.round(triangles * LOD_RATIO ** level),
    url: `${base}/assets/models/${id}/lod${level}.glb`,
  }));
  const textures = TEXTURE_MAPS.slice(0, 2 + r.int(3)).map((name) => ({
    name,
    url: `${base}/assets/models/${id}/textures/${name}.ktx2`,
    sizeBytes: align4(r.between(0.4, 2.6) * 1e6),
    format: 'ktx2' as const,
  }));
  return {
    id,
    productId: product.id,
    format: 'glb',
    sizeBytes: lods[0]!.sizeBytes,
    triangles,
    lods,
    textures,
    url: lods[0]!.url,
  };
}

/** GLB files are a whole number of 4-byte words. */
const align4 = (bytes: number) => Math.max(4096, Math.round(bytes / 4) * 4);

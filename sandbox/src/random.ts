// Seeded randomness. Every random choice in the sandbox comes from a Random forked from the
// one seed, one stream per purpose, so adding a consumer never shifts what another sees.

/** A deterministic pseudo-random stream (sfc32: small, fast, passes PractRand to 2^40). */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | undefined;

  /** `stream` names the purpose: the same seed gives independent streams per purpose. */
  constructor(seed: number, stream = '') {
    const h = hashString(`${seed}:${stream}`);
    this.a = h[0]!;
    this.b = h[1]!;
    this.c = h[2]!;
    this.d = h[3]!;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** Standard normal deviate (Box-Muller, caching the second value). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal;
      this.spareNormal = undefined;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /**
   * A count of events with the given mean: Poisson for small means, its normal
   * approximation for large ones (where the difference is invisible and speed matters).
   */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Lower-case hex string of `length` characters. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.nextUint32().toString(16).padStart(8, '0');
    return out.slice(0, length);
  }

  /** An RFC 4122 version-4 shaped UUID (deterministic, not unique across seeds). */
  uuid(): string {
    return formatUuid(this.hex(32));
  }
}

/**
 * A uniform number in [0, 1) determined only by the seed and the keys: for schedules that
 * must not depend on where a simulation window starts (e.g. "is there an incident on day N").
 */
export function hashUnit(seed: number, ...keys: (string | number)[]): number {
  return hashString(`${seed}|${keys.join('|')}`)[0]! / 4294967296;
}

/** A UUID-shaped id determined by the keys (for ids that are cheaper to derive than to store). */
export function hashUuid(...keys: (string | number)[]): string {
  return formatUuid(
    hashString(keys.join('|'))
      .map((h) => h.toString(16).padStart(8, '0'))
      .join(''),
  );
}

function formatUuid(hex32: string): string {
  const h = hex32.split('');
  h[12] = '4';
  h[16] = '89ab'[parseInt(h[16]!, 16) & 3]!;
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/**
 * cyrb128: 128 well-mixed bits of a string, to seed sfc32 (and for hashUnit's uniform
 * draws). Not core's FNV-1a on purpose: FNV-1a mixes the last characters weakly, so keys
 * that differ only at the end ("day 41", "day 42") would give correlated streams; and
 * every seeded simulation is defined by these exact values.
 */
function hashString(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

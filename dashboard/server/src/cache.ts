// A short-lived cache of collected health, keyed by (range, tier). Every browser tab polls
// and listens to the live feed; without this each of them would cost its own CloudWatch
// GetMetricData calls. Concurrent requests for the same key share one in-flight collection.
// And what is derived from a collection (its JSON per chart width) is kept as long as the
// collection is reused, so fifty viewers of one range cost one rendering, not fifty.

export class FreshnessCache<T> {
  private readonly entries = new Map<string, { value: T; at: number; ttlMs: number }>();
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * The cached value when younger than its TTL (`ttlMs`, default the cache's; a function
   * decides it from the value once loaded), else the result of `load` (failures are not
   * cached).
   */
  get(
    key: string,
    load: () => Promise<T>,
    ttlMs: number | ((value: T) => number) = this.ttlMs,
  ): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.at < entry.ttlMs) return Promise.resolve(entry.value);

    const pending = this.inFlight.get(key);
    if (pending) return pending;

    const loading = load()
      .then((value) => {
        this.sweep();
        this.entries.set(key, {
          value,
          at: this.now(),
          ttlMs: typeof ttlMs === 'function' ? ttlMs(value) : ttlMs,
        });
        return value;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, loading);
    return loading;
  }

  /** Drops expired results: a 14-day result holds every point of every series. */
  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries)
      if (now - entry.at >= entry.ttlMs) this.entries.delete(key);
  }
}

/**
 * Values derived from another value (a collection's rendered JSON, per chart width), kept for
 * as long as that value is in use: a new collection starts afresh, and a dropped one takes its
 * derivations with it. At most `perSource` derivations per value, the most recently used.
 */
export class DerivedCache<S extends object, V> {
  private readonly bySource = new WeakMap<S, Map<string, V>>();

  constructor(private readonly perSource = 16) {}

  get(source: S, key: string, derive: () => V): V {
    let entries = this.bySource.get(source);
    if (!entries) {
      entries = new Map();
      this.bySource.set(source, entries);
    }
    const hit = entries.get(key);
    if (hit !== undefined) {
      // Most recently used last: the first key is the one to evict.
      entries.delete(key);
      entries.set(key, hit);
      return hit;
    }
    const value = derive();
    entries.set(key, value);
    if (entries.size > this.perSource) entries.delete(entries.keys().next().value!);
    return value;
  }
}

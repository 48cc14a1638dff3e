// A short-lived cache of collected health, keyed by (range, tier). Every browser tab polls
// and listens to the live feed; without this each of them would cost its own CloudWatch
// GetMetricData calls. Concurrent requests for the same key share one in-flight collection.

export class FreshnessCache<T> {
  private readonly entries = new Map<string, { value: T; at: number }>();
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /** The cached value when younger than the TTL, else the result of `load` (failures are not cached). */
  get(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.at < this.ttlMs) return Promise.resolve(entry.value);

    const pending = this.inFlight.get(key);
    if (pending) return pending;

    const loading = load()
      .then((value) => {
        this.sweep();
        this.entries.set(key, { value, at: this.now() });
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
      if (now - entry.at >= this.ttlMs) this.entries.delete(key);
  }
}

// The parameters of an AWS Query request (Action=...&Version=...&Names.member.1=...), read
// once into a map: every lookup after that is constant time, so a request's cost grows with
// its size, not with the square of it.

export class QueryParams {
  private readonly values = new Map<string, string>();

  constructor(body: string) {
    // URLSearchParams decodes leniently (a bad %-escape stays as it is), in one pass.
    for (const [key, value] of new URLSearchParams(body))
      if (!this.values.has(key)) this.values.set(key, value);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Whether any parameter is `name` or lies under it (`name.…`). */
  hasUnder(name: string): boolean {
    if (this.values.has(name)) return true;
    const prefix = `${name}.`;
    for (const key of this.values.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }

  entries(): IterableIterator<[string, string]> {
    return this.values.entries();
  }

  /**
   * A list parameter, Name.member.1, Name.member.2, ... up to the first gap. More than
   * `limit.max` members is refused with `limit.error()`, before any more of them are read.
   */
  list(name: string, limit?: { max: number; error: () => Error }): string[] {
    const out: string[] = [];
    for (let i = 1; ; i++) {
      const value = this.values.get(`${name}.member.${i}`);
      if (value === undefined) return out;
      if (limit && out.length === limit.max) throw limit.error();
      out.push(value);
    }
  }
}

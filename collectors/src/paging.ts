// Small helpers for paginated AWS calls and bounded parallelism.

/**
 * Calls `fetchPage` with each NextToken until there is none. A fresh input per call (the
 * SDK paginators mutate one shared input object), and a repeated token ends the loop
 * rather than spinning forever on a misbehaving endpoint.
 */
export async function collectPages<P>(
  fetchPage: (token: string | undefined) => Promise<P>,
  nextToken: (page: P) => string | undefined,
  /** asked after each page that has a NextToken: fetch the next one? */
  shouldContinue: (pages: readonly P[]) => boolean = () => true,
): Promise<P[]> {
  const pages: P[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    pages.push(page);
    token = nextToken(page);
    if (token !== undefined && seen.has(token)) break;
    if (token !== undefined) seen.add(token);
  } while (token && shouldContinue(pages));
  return pages;
}

/** Like Promise.all over `items.map(fn)`, with at most `limit` calls in flight. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

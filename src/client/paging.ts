// Alation pages lists with limit/skip and announces the next page in an X-Next-Page header.
// A page's `next` is a plain path, so it can ride in a Slack button value and come back later.

export interface Page<T> {
  items: T[];
  /** Path and query of the next page, or null on the last page. Pass back as `{ cursor }`. */
  next: string | null;
}

/** The documented per-call ceiling; list requests never ask for more. */
export const MAX_PAGE_SIZE = 1000;

/**
 * Follows `next` until the list ends or `maxItems` are in hand, so a runaway list (or a server
 * that keeps answering with a next page) cannot exhaust memory.
 */
export async function collectPages<T>(
  load: (cursor: string | null) => Promise<Page<T>>,
  maxItems = 10 * MAX_PAGE_SIZE,
): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  let cursor: string | null = null;
  const seen = new Set<string>();
  do {
    const page: Page<T> = await load(cursor);
    items.push(...page.items);
    if (items.length >= maxItems) {
      return {
        items: items.slice(0, maxItems),
        truncated: page.next !== null || items.length > maxItems,
      };
    }
    cursor = page.next;
    if (cursor !== null) {
      if (seen.has(cursor)) break;
      seen.add(cursor);
    }
  } while (cursor !== null);
  return { items, truncated: false };
}

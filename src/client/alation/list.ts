// List requests for Alation's filterable endpoints: Django-style field filters, order_by,
// limit/skip, or a cursor (an X-Next-Page value from an earlier page).
import type { z } from 'zod';
import type { QueryScalar } from '../http/url.ts';
import { linkTarget, pathOf } from '../http/url.ts';
import type { Http, QueryParams } from '../http.ts';
import { MAX_PAGE_SIZE, type Page } from '../paging.ts';
import type { CredentialHeaders } from './token-auth.ts';

export type FilterValue = QueryScalar | readonly QueryScalar[];

export interface ListOptions {
  /**
   * Field filters, operator after a double underscore: `{ title__icontains: 'revenue',
   * id__gte: 10, schedule_enabled: true }`. Dates go out as ISO strings; arrays repeat the
   * parameter.
   */
  filters?: Readonly<Record<string, FilterValue | undefined>>;
  /** Page size; clamped to the documented maximum of 1000. */
  limit?: number;
  skip?: number;
  /** Only where the endpoint documents it, e.g. `'title'` or `'-last_saved_at'`. */
  orderBy?: string;
}

/** A fresh list, or the `next` of a page returned earlier. */
export type ListRequest = ListOptions | { cursor: string };

function basePrefix(http: Http): string {
  return new URL(http.baseUrl).pathname.replace(/\/+$/, '');
}

/**
 * The request for one page. A cursor must point at the same endpoint, so a value round-tripped
 * through Slack can never redirect the user's token to another API.
 */
export function listSpec(http: Http, path: string, request: ListRequest | undefined) {
  if (request && 'cursor' in request) {
    const target = linkTarget(request.cursor);
    const expected = `${basePrefix(http)}${path}`;
    if (pathOf(target) !== expected) {
      throw new TypeError(`page cursor is for ${pathOf(target)}, not ${expected}`);
    }
    return { link: target };
  }
  const options = request ?? {};
  const query: QueryParams = {
    ...options.filters,
    limit:
      options.limit === undefined ? undefined : Math.max(0, Math.min(options.limit, MAX_PAGE_SIZE)),
    skip: options.skip,
    order_by: options.orderBy,
  };
  return { path, query };
}

export async function fetchPage<T>(
  http: Http,
  headers: CredentialHeaders,
  path: string,
  request: ListRequest | undefined,
  schema: z.ZodType<T[]>,
): Promise<Page<T>> {
  const res = await http.json({ ...listSpec(http, path, request), headers }, schema);
  return { items: res.data, next: res.nextPage };
}

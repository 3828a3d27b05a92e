// Request targets: API paths with typed query parameters, and links the server hands back.

export type QueryScalar = string | number | boolean | Date;
export type QueryValue = QueryScalar | readonly QueryScalar[] | null | undefined;
export type QueryParams = Readonly<Record<string, QueryValue>>;

function scalar(value: QueryScalar): string {
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** Unset values are dropped; arrays repeat the parameter, as Django's getlist expects. */
export function searchParams(query: QueryParams | undefined): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    const values: readonly QueryScalar[] = Array.isArray(value) ? value : [value as QueryScalar];
    for (const v of values) params.append(key, scalar(v));
  }
  return params;
}

export function withQuery(path: string, query: QueryParams | undefined): string {
  const params = searchParams(query).toString();
  if (!params) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${params}`;
}

/**
 * Keeps only the path and query of a server-given link. Alation behind a proxy builds absolute
 * URLs from its internal host name, and credentials must only ever go to the configured origin.
 */
export function linkTarget(link: string): string {
  const url = new URL(link, 'http://relative.invalid');
  return `${url.pathname}${url.search}`;
}

/** For logs and errors: never the query string, which can hold OAuth codes or job names. */
export function pathOf(target: string): string {
  const cut = target.search(/[?#]/);
  return cut === -1 ? target : target.slice(0, cut);
}

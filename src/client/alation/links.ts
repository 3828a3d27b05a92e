// Every Alation web address the bot reads or writes, in one registry: one matcher per kind of
// page (a catalog object, a query in Compose), and the builders for the same pages. Alation's
// API returns page paths (`catalog_url`, `compose_url`, a table's `url`); a path it gives wins
// over the one built here.

/** The catalog object types whose pages the bot recognises; the segment is also the flag API's otype. */
export const CATALOG_OTYPES = ['query', 'table', 'data', 'schema', 'attribute'] as const;
export type CatalogOtype = (typeof CATALOG_OTYPES)[number];

export interface CatalogRef {
  otype: CatalogOtype;
  id: number;
}

interface PageMatcher {
  /** What the page is, e.g. "a query in Compose". */
  name: string;
  /** Matched against the path below the instance's base path. */
  path: RegExp;
  ref(match: RegExpExecArray): CatalogRef;
}

const ID = '(\\d{1,12})';

/** One entry per kind of page; the first match wins. */
const PAGES: readonly PageMatcher[] = [
  {
    name: 'a query in Compose',
    path: new RegExp(`^/compose/query/${ID}(?:/.*)?$`),
    ref: (m) => ({ otype: 'query', id: Number(m[1]) }),
  },
  ...CATALOG_OTYPES.map(
    (otype): PageMatcher => ({
      name: `a ${otype}'s catalog page`,
      path: new RegExp(`^/${otype}/${ID}(?:/.*)?$`),
      ref: (m) => ({ otype, id: Number(m[1]) }),
    }),
  ),
];

const trimBase = (alationBaseUrl: string) => alationBaseUrl.replace(/\/+$/, '');

/**
 * The catalog object an Alation URL points at, or undefined when it is on another host (or
 * port, or outside the instance's base path) or is not a page the registry knows.
 * `/compose/query/<id>/` is the same query as `/query/<id>/`.
 */
export function parseAlationUrl(url: string, alationBaseUrl: string): CatalogRef | undefined {
  let parsed: URL;
  let base: URL;
  try {
    parsed = new URL(url);
    base = new URL(alationBaseUrl);
  } catch {
    return undefined;
  }
  if (parsed.host.toLowerCase() !== base.host.toLowerCase()) return undefined;
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  const prefix = base.pathname.replace(/\/+$/, '');
  if (prefix && !parsed.pathname.startsWith(`${prefix}/`)) return undefined;
  const path = parsed.pathname.slice(prefix.length);
  for (const page of PAGES) {
    const match = page.path.exec(path);
    if (match) return page.ref(match);
  }
  return undefined;
}

/**
 * The first Alation query a message links to, inside Slack's `<url|label>` markup or bare:
 * each link-shaped word is parsed with the registry, so only the configured instance counts.
 */
export function queryLinkedIn(text: string, alationBaseUrl: string): number | undefined {
  for (const [candidate] of text.matchAll(/https?:\/\/[^\s<>|]+/g)) {
    // A link at the end of a sentence: "see https://…/query/5/."
    const ref = parseAlationUrl(candidate.replace(/[.,;:!?)\]]+$/, ''), alationBaseUrl);
    if (ref?.otype === 'query') return ref.id;
  }
  return undefined;
}

/** A path Alation returned (`/query/6/`) or the fallback, absolute on the instance. */
function page(alationBaseUrl: string, given: string | undefined, fallback: string): string {
  return `${trimBase(alationBaseUrl)}${given?.startsWith('/') ? given : fallback}`;
}

/** A catalog object's page: `/table/12/`, `/data/6/`, `/query/6/`, or the path Alation gave. */
export function catalogUrl(
  alationBaseUrl: string,
  ref: { otype: string; id: number },
  given?: string,
): string {
  return page(alationBaseUrl, given, `/${encodeURIComponent(ref.otype)}/${ref.id}/`);
}

/** A query's catalog page. */
export function queryUrl(alationBaseUrl: string, queryId: number, given?: string): string {
  return catalogUrl(alationBaseUrl, { otype: 'query', id: queryId }, given);
}

/** A query open in Compose. */
export function composeUrl(alationBaseUrl: string, queryId: number, given?: string): string {
  return page(alationBaseUrl, given, `/compose/query/${queryId}/`);
}

/** Opens Compose on a data source with `sql` typed in, unsaved (Alation's query import page). */
export function composeImportUrl(
  alationBaseUrl: string,
  datasourceId: number,
  sql: string,
): string {
  return `${trimBase(alationBaseUrl)}/integration/v1/query/import/?return_to=compose&datasource_id=${datasourceId}&content=${encodeURIComponent(sql)}`;
}

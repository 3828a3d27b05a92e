// Which Mode report run (or query run) is meant: a pasted Mode URL, typed tokens, or a button
// value. Pure, so it is unit-tested without Slack or Mode; what to tell a person who typed
// something else is the command's business (commands/mode/ref.ts).
import { z } from 'zod';
import type { ReportRunRef } from '../mode.ts';

export interface QueryRunRef extends ReportRunRef {
  queryRun: string;
}

/** Workspace (or user) names as Mode shows them in URLs. */
export const ACCOUNT = /^[\w.-]{1,100}$/;
/** Report, run and query-run tokens: short hex in practice; anything path-safe is let through. */
export const TOKEN = /^[\w-]{1,100}$/;

/**
 * The parts of a Mode web or API link: `/<account>/reports/<report>/runs/<run>` with an optional
 * `/api` in front and `/query_runs/<token>` (and anything) after. Slack wraps pasted links in
 * `<…>` or `<…|label>`; both are unwrapped. Only the path counts: requests always go to the
 * configured Mode origin, whatever host the link names.
 */
export function parseModeUrl(text: string): (ReportRunRef & { queryRun?: string }) | undefined {
  const unwrapped = text
    .trim()
    .replace(/^<([^|>]*)(?:\|[^>]*)?>$/, '$1')
    .trim();
  if (!/^https?:\/\//i.test(unwrapped)) return undefined;
  let url: URL;
  try {
    url = new URL(unwrapped);
  } catch {
    return undefined;
  }
  let parts: string[];
  try {
    parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  if (parts[0] === 'api') parts = parts.slice(1);
  const [account, reports, report, runs, run, queryRuns, queryRun] = parts;
  if (reports !== 'reports' || runs !== 'runs' || !account || !report || !run) return undefined;
  if (!ACCOUNT.test(account) || !TOKEN.test(report) || !TOKEN.test(run)) return undefined;
  const ref: ReportRunRef = { account, report, run };
  return queryRuns === 'query_runs' && queryRun && TOKEN.test(queryRun)
    ? { ...ref, queryRun }
    : ref;
}

/**
 * A report, or one run of it: a pasted link (`app.mode.com/<account>/reports/<report>`, with
 * `/runs/<run>` and more after it or not) or the tokens typed with spaces between them.
 */
export function parseReportOrRun(
  text: string,
): { account: string; report: string; run?: string } | undefined {
  const words = unwrapLinks(text).split(/\s+/).filter(Boolean);
  if (words.length === 1 && /^https?:\/\//i.test(words[0] ?? '')) {
    let parts: string[];
    try {
      parts = new URL(words[0] ?? '').pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return undefined;
    }
    if (parts[0] === 'api') parts = parts.slice(1);
    const [account = '', reports, report = '', runs, run] = parts;
    if (reports !== 'reports' || !ACCOUNT.test(account) || !TOKEN.test(report)) return undefined;
    if (runs === 'runs' && run !== undefined) {
      return TOKEN.test(run) ? { account, report, run } : undefined;
    }
    return { account, report };
  }
  if (words.length < 2 || words.length > 3) return undefined;
  const [account = '', report = '', run] = words;
  if (!ACCOUNT.test(account) || !TOKEN.test(report)) return undefined;
  if (run !== undefined) return TOKEN.test(run) ? { account, report, run } : undefined;
  return { account, report };
}

/**
 * Slack sends a pasted link as `<url>` or `<url|label>`, and a label may hold spaces; this turns
 * each into the bare URL so the text can be split into words.
 */
export function unwrapLinks(text: string): string {
  return text.replace(/<(https?:[^|>\s]+)(?:\|[^>]*)?>/gi, '$1');
}

// Button values carry the whole reference (not a cache key), so Details and CSV still work
// after a restart or on another replica. Short keys keep them far below Slack's 2000 chars.
const valueSchema = z.object({
  a: z.string().regex(ACCOUNT),
  r: z.string().regex(TOKEN),
  n: z.string().regex(TOKEN),
  q: z.string().regex(TOKEN),
});

export function encodeQueryRunRef(ref: QueryRunRef): string {
  return JSON.stringify({ a: ref.account, r: ref.report, n: ref.run, q: ref.queryRun });
}

export function decodeQueryRunRef(value: string): QueryRunRef | undefined {
  try {
    const parsed = valueSchema.safeParse(JSON.parse(value));
    if (!parsed.success) return undefined;
    const { a, r, n, q } = parsed.data;
    return { account: a, report: r, run: n, queryRun: q };
  } catch {
    return undefined;
  }
}

/** How a report run is named in messages: the three tokens, as in its URL. */
export function describeRun(ref: ReportRunRef): string {
  return `${ref.account}/reports/${ref.report}/runs/${ref.run}`;
}

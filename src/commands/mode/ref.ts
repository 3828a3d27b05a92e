// Which Mode report run (or query run) a command or button means: typed tokens, a pasted Mode
// URL, or a button value. Pure, so it is unit-tested without Slack or Mode.
import { z } from 'zod';
import type { ReportRunRef } from '../../client/mode.ts';
import { echo } from '../../views/blocks.ts';

export type { ReportRunRef } from '../../client/mode.ts';

export interface QueryRunRef extends ReportRunRef {
  queryRun: string;
}

/** Workspace (or user) names as Mode shows them in URLs. */
const ACCOUNT = /^[\w.-]{1,100}$/;
/** Report, run and query-run tokens: short hex in practice; anything path-safe is let through. */
const TOKEN = /^[\w-]{1,100}$/;

const EXAMPLE_RUN = 'acme 8a1b2c3d4e5f 5e6f7a8b9c0d';
const EXAMPLE_URL = 'https://app.mode.com/acme/reports/8a1b2c3d4e5f/runs/5e6f7a8b9c0d';

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

export type Parsed<T> = { ok: true; ref: T } | { ok: false; message: string };

function badToken(word: string, what: string, example: string): string {
  return `${echo(word)} is not a Mode ${what}: use the token from the run's URL (letters, digits, \`-\` and \`_\`), e.g. \`${example}\`.`;
}

/** Tokens typed one by one: checks each says what is wrong with which. */
function fromWords(
  words: string[],
  usage: string,
): { ok: true; ref: ReportRunRef } | { ok: false; message: string } {
  const [account = '', report = '', run = ''] = words;
  if (!ACCOUNT.test(account)) {
    return {
      ok: false,
      message: `${echo(account)} is not a Mode workspace name: use the name from your Mode URLs (app.mode.com/<workspace>/…), e.g. \`${usage}\`.`,
    };
  }
  if (!TOKEN.test(report)) return { ok: false, message: badToken(report, 'report token', usage) };
  if (!TOKEN.test(run)) return { ok: false, message: badToken(run, 'run token', usage) };
  return { ok: true, ref: { account, report, run } };
}

/** `runs <account> <report> <run>`, or a pasted report-run (or query-run) URL. */
export function parseRunsArgs(args: string): Parsed<ReportRunRef> {
  const usage = `/alation mode runs ${EXAMPLE_RUN}`;
  const words = unwrapLinks(args).split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    return {
      ok: false,
      message: `Which report run? Give the workspace, report and run tokens, e.g. \`${usage}\`, or paste the run's URL: \`/alation mode runs ${EXAMPLE_URL}\`.`,
    };
  }
  if (words.length === 1) {
    const fromUrl = parseModeUrl(words[0] ?? '');
    if (fromUrl) {
      return {
        ok: true,
        ref: { account: fromUrl.account, report: fromUrl.report, run: fromUrl.run },
      };
    }
    return {
      ok: false,
      message: /^<?https?:/i.test(words[0] ?? '')
        ? `That link is not a Mode report run. Paste a link like ${EXAMPLE_URL} (open the run in Mode and copy the address).`
        : `${echo(words[0] ?? '')} is not a report run. Give the workspace, report and run tokens, e.g. \`${usage}\`, or paste the run's URL.`,
    };
  }
  if (words.length !== 3) {
    return {
      ok: false,
      message: `${echo(words.join(' '))} is not a report run: give exactly three things, the workspace, the report token and the run token, e.g. \`${usage}\`, or paste the run's URL.`,
    };
  }
  return fromWords(words, usage);
}

/**
 * `run <account> <report> <run> <query_run>`, a pasted query-run URL, or a pasted report-run
 * URL followed by the query-run token.
 */
export function parseRunArgs(args: string): Parsed<QueryRunRef> {
  const usage = `/alation mode run ${EXAMPLE_RUN} 9f8e7d6c5b4a`;
  const words = unwrapLinks(args).split(/\s+/).filter(Boolean);
  const missing = `Which query run? Give the workspace, report, run and query-run tokens, e.g. \`${usage}\`, or paste the query run's URL. \`/alation mode runs <run URL>\` lists a run's query runs with a *Details* button each.`;
  if (words.length === 0) return { ok: false, message: missing };
  const fromUrl = parseModeUrl(words[0] ?? '');
  if (fromUrl) {
    const queryRun = words[1] ?? fromUrl.queryRun;
    if (words.length > 2 || (words.length === 2 && !TOKEN.test(words[1] ?? ''))) {
      return { ok: false, message: badToken(words.slice(1).join(' '), 'query-run token', usage) };
    }
    if (!queryRun) {
      return {
        ok: false,
        message: `That link is a report run; which of its query runs? Add the query-run token after the link, or use \`/alation mode runs ${words[0]}\` to list them with a *Details* button each.`,
      };
    }
    return {
      ok: true,
      ref: { account: fromUrl.account, report: fromUrl.report, run: fromUrl.run, queryRun },
    };
  }
  if (/^<?https?:/i.test(words[0] ?? '')) {
    return {
      ok: false,
      message: `That link is not a Mode query run. Paste a link like ${EXAMPLE_URL}/query_runs/9f8e7d6c5b4a, or give the four tokens, e.g. \`${usage}\`.`,
    };
  }
  if (words.length !== 4) return { ok: false, message: missing };
  const head = fromWords(words, usage);
  if (!head.ok) return head;
  const queryRun = words[3] ?? '';
  if (!TOKEN.test(queryRun)) {
    return { ok: false, message: badToken(queryRun, 'query-run token', usage) };
  }
  return { ok: true, ref: { ...head.ref, queryRun } };
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

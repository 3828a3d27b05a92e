// What `/alation mode runs|run` was given: a report run or a query run, or what to tell the
// person who typed something else. The references themselves are parsed in client/mode/ref.ts.

import {
  ACCOUNT,
  parseModeUrl,
  type QueryRunRef,
  TOKEN,
  unwrapLinks,
} from '../../client/mode/ref.ts';
import type { ReportRunRef } from '../../client/mode.ts';
import { echo } from '../../views/blocks.ts';

const EXAMPLE_RUN = 'acme 8a1b2c3d4e5f 5e6f7a8b9c0d';
const EXAMPLE_URL = 'https://app.mode.com/acme/reports/8a1b2c3d4e5f/runs/5e6f7a8b9c0d';

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

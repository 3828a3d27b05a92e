// The columns of a query's latest result, read from the first line of its CSV (the rest of the
// download is dropped): what the alert form offers, and what a save is checked against.

import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AlationClient } from '../client/alation.ts';
import { latestResultOf } from '../results/latest.ts';
import { createPreviewTap } from '../results/preview.ts';

export type Header =
  | { ok: true; columns: string[]; title: string }
  | { ok: false; problem: string; title?: string };

/** The header is in the first bytes; a result whose first line is longer is not a usable table. */
const HEADER_BYTES = 64 * 1024;

export async function latestHeader(alation: AlationClient, queryId: number): Promise<Header> {
  const { query, state } = await latestResultOf(alation, queryId);
  const title = query.title || `Query ${queryId}`;
  if (state.kind !== 'ready') {
    return {
      ok: false,
      title,
      problem:
        state.kind === 'failed'
          ? 'Its latest run failed, so there are no columns to pick; fix the query in Compose, or type the column.'
          : 'It has no result to read columns from yet; run it in Compose, or type the column.',
    };
  }
  const csv = await alation.queries.resultCsv(state.resultId);
  const preview = createPreviewTap(0, HEADER_BYTES);
  let seen = 0;
  const stop = new AbortController();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen >= HEADER_BYTES) stop.abort();
      done();
    },
  });
  // Enough read: the download is cut short, which is not a failure here.
  await pipeline(csv.body, preview.tap, sink, { signal: stop.signal }).catch(() => undefined);
  const { header, previewOk } = await preview.preview();
  if (!previewOk || header.length === 0) {
    return {
      ok: false,
      title,
      problem: 'Its latest result is not a table I can read columns from.',
    };
  }
  return { ok: true, columns: header, title };
}

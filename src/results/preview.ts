import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import { createPacer } from './pace.ts';

export interface Preview {
  /** First record (the column names), and up to `previewRows` records after it. */
  header: string[];
  rows: string[][];
  /** False when the CSV could not be parsed for a preview (the bytes pass through untouched). */
  previewOk: boolean;
}

export interface PreviewTap {
  /** Passes every byte through unchanged, feeding the first ones to csv-parse. */
  tap: Transform;
  /** Bytes that have passed so far. */
  bytes(): number;
  /** The preview, once the stream has ended (or enough rows were read). */
  preview(): Promise<Preview>;
}

/**
 * How much of a CSV the preview parser may see. Rows this long are rare, but a result that is one
 * 16 MB line would otherwise be parsed whole on the event loop that acks everyone's requests.
 */
export const PREVIEW_MAX_BYTES = 1024 * 1024;

/**
 * Reads a preview from a CSV stream on its way elsewhere (a file, Slack's upload URL). The
 * parser stops at the record after `previewRows` (csv-parse's `to`, mid-chunk), and sees at most
 * `maxBytes`, so the parse costs the same small slice of the event loop whatever the size.
 */
export function createPreviewTap(previewRows: number, maxBytes = PREVIEW_MAX_BYTES): PreviewTap {
  const records: string[][] = [];
  let previewOk = true;
  let feeding = true;
  let bytes = 0;
  let fed = 0;
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    to: previewRows + 1,
  });
  const take = () => {
    for (let record = parser.read(); record !== null; record = parser.read()) {
      if (records.length <= previewRows) records.push(record as string[]);
    }
  };
  const stop = () => {
    if (!feeding) return;
    feeding = false;
    if (!parser.writableEnded) parser.end();
  };
  /** Enough bytes seen: keep the complete records, drop a half-parsed one. */
  const giveUp = () => {
    feeding = false;
    take();
    previewOk = records.length > 0;
    parser.destroy();
  };
  parser.on('readable', () => {
    take();
    if (records.length > previewRows) stop();
  });
  const parsed = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('close', resolve);
    parser.on('error', () => {
      previewOk = records.length > 0;
      feeding = false;
      resolve();
    });
  });
  const pace = createPacer();
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      // csv-parse ends itself once it has `to` records; it must not be written to after that.
      if (feeding && !parser.writableEnded) {
        const slice = chunk.length > maxBytes - fed ? chunk.subarray(0, maxBytes - fed) : chunk;
        fed += slice.length;
        parser.write(slice);
        if (fed >= maxBytes) giveUp();
      }
      pace(chunk, done);
    },
    flush(done) {
      stop();
      done();
    },
  });
  tap.on('error', () => {
    parser.destroy();
    feeding = false;
  });
  return {
    tap,
    bytes: () => bytes,
    async preview() {
      await parsed;
      const [header = [], ...rows] = records;
      return { header, rows, previewOk };
    },
  };
}

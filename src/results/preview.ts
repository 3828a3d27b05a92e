import { Transform } from 'node:stream';
import { parse } from 'csv-parse';

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
 * Reads a preview from a CSV stream on its way elsewhere (a file, Slack's upload URL). Parsing
 * stops after `previewRows` rows, so a 16 MB result costs the parser one or two chunks.
 */
export function createPreviewTap(previewRows: number): PreviewTap {
  const records: string[][] = [];
  let previewOk = true;
  let feeding = true;
  let bytes = 0;
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
  });
  const stop = () => {
    if (!feeding) return;
    feeding = false;
    parser.end();
  };
  parser.on('readable', () => {
    for (let record = parser.read(); record !== null; record = parser.read()) {
      if (records.length <= previewRows) records.push(record as string[]);
    }
    if (records.length > previewRows) stop();
  });
  const parsed = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', () => {
      previewOk = records.length > 0;
      feeding = false;
      resolve();
    });
  });
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (feeding) parser.write(chunk);
      done(null, chunk);
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

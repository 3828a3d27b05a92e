// A result's column names, for the chart modal: the CSV's first record, read from the first
// bytes of the download, which is then dropped.
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';

/** A header longer than this is not a header a person can pick columns from. */
const MAX_HEADER_BYTES = 64 * 1024;

export async function readHeader(body: Readable): Promise<string[]> {
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, to: 1 });
  let seen = 0;
  const header = new Promise<string[]>((resolve) => {
    let first: string[] = [];
    parser.on('readable', () => {
      const record = parser.read() as string[] | null;
      if (record && first.length === 0) first = record.map((c) => c.trim());
    });
    parser.on('end', () => resolve(first));
    parser.on('close', () => resolve(first));
    parser.on('error', () => resolve(first));
  });
  try {
    for await (const chunk of body) {
      seen += (chunk as Buffer).length;
      if (parser.writableEnded || parser.destroyed) break;
      parser.write(chunk);
      if (seen >= MAX_HEADER_BYTES) break;
    }
    if (!parser.writableEnded && !parser.destroyed) parser.end();
    return await header;
  } finally {
    body.destroy();
  }
}

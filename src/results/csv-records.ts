// A whole CSV, as it streams, handed on record by record: for the work that reads every row (a
// chart, an alert's measurement) on a CPU-pool thread. Parsed the way the preview parses.
import { parse } from 'csv-parse';

export interface CsvRecordSink {
  write(chunk: Uint8Array): void;
  /** True when the whole CSV parsed; false when it was not a readable table. */
  end(): Promise<boolean>;
}

export function createCsvRecordSink(onRecord: (record: string[]) => void): CsvRecordSink {
  let failed = false;
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
  });
  parser.on('readable', () => {
    for (let record = parser.read(); record !== null; record = parser.read()) {
      onRecord(record as string[]);
    }
  });
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', () => {
      failed = true;
      resolve();
    });
  });
  return {
    write(chunk) {
      if (!failed) parser.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    },
    async end() {
      parser.end();
      await ended;
      return !failed;
    },
  };
}

import { createHash } from 'node:crypto';

/** A deterministic CSV of about `targetBytes`, generated in chunks (never whole in memory). */
export function bigCsv(targetBytes: number): {
  chunks: () => Iterable<string>;
  sha256: string;
  bytes: number;
  rows: number;
} {
  const header = 'id,region,customer,amount,note\n';
  const line = (i: number) =>
    `${i},${['EMEA', 'AMER', 'APAC'][i % 3]},"Customer ${i}, Ltd.",${(i * 7.31).toFixed(2)},"note with ""quotes"" ${i % 97}"\n`;
  const hash = createHash('sha256');
  let bytes = 0;
  let rows = 0;
  hash.update(header);
  bytes += Buffer.byteLength(header);
  while (bytes < targetBytes) {
    const l = line(rows);
    hash.update(l);
    bytes += Buffer.byteLength(l);
    rows++;
  }
  const total = rows;
  return {
    *chunks() {
      yield header;
      let batch = '';
      for (let i = 0; i < total; i++) {
        batch += line(i);
        if (batch.length > 64 * 1024) {
          yield batch;
          batch = '';
        }
      }
      if (batch) yield batch;
    },
    sha256: hash.digest('hex'),
    bytes,
    rows: total,
  };
}

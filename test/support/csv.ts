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

/**
 * `rows` rows adding up to about `targetBytes`. `chartable`: a timestamp every 30 s, a region,
 * an amount and a long numeric reference as padding — one text column, so the automatic chart
 * is a line of amount per region over time. Otherwise a text key and a text note instead: two
 * text columns and no time, which no chart suits.
 */
export function* seriesCsv(rows: number, targetBytes: number, chartable = true): Iterable<string> {
  const header = chartable ? 'at,region,amount,ref\n' : 'key,region,amount,note\n';
  yield header;
  const rowBytes = Math.floor((targetBytes - header.length) / rows);
  const start = Date.UTC(2026, 9, 1);
  let batch = '';
  for (let i = 0; i < rows; i++) {
    const key = chartable ? new Date(start + i * 30_000).toISOString() : `k${i}`;
    const head = `${key},${['EMEA', 'AMER', 'APAC'][i % 3]},${(i % 977) * 1.5},`;
    const pad = Math.max(1, rowBytes - head.length - (chartable ? 1 : 3));
    batch += chartable ? `${head}${'7'.repeat(pad)}\n` : `${head}"${'x'.repeat(pad)}"\n`;
    if (batch.length >= 64 * 1024) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  createRecordSplitter,
  MAX_RECORD_CHARS,
  RecordTooLongError,
} from '../../../src/charts/csv-records.ts';

function split(bytes: Buffer, cuts: number[]): string[][] {
  const records: string[][] = [];
  const splitter = createRecordSplitter((r) => records.push(r));
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    splitter.write(bytes.subarray(at, cut));
    at = cut;
  }
  splitter.end();
  return records;
}

/** A seeded generator, so a failure names its input. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a * 1103515245 + 12345) % 2 ** 31;
    return a / 2 ** 31;
  };
}

describe('createRecordSplitter', () => {
  it('reads quotes, escaped quotes, commas and line breaks in fields, CRLF, a BOM, blank lines', () => {
    const csv = '\ufeffa,b,c\r\n1,"x, ""y""",\n\n"multi\nline",2,3\n"é€",last';
    expect(split(Buffer.from(csv), [])).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, "y"', ''],
      ['multi\nline', '2', '3'],
      ['é€', 'last'],
    ]);
  });

  it('agrees with csv-parse on random CSVs cut at random bytes (also inside a UTF-8 character)', () => {
    const next = random(16);
    const cells = ['', 'plain', 'a,b', 'say "hi"', 'two\nlines', 'crlf\r\nin', 'ünï€', '12.5', ' '];
    for (let round = 0; round < 200; round++) {
      const rows = Array.from({ length: 1 + Math.floor(next() * 8) }, () =>
        Array.from({ length: 3 }, () => cells[Math.floor(next() * cells.length)] ?? ''),
      );
      const eol = next() < 0.5 ? '\n' : '\r\n';
      const csv = rows
        .map((r) =>
          r
            .map((c) => (/[",\r\n]/.test(c) || c === '' ? `"${c.replace(/"/g, '""')}"` : c))
            .join(','),
        )
        .join(eol);
      const bytes = Buffer.from(csv + (next() < 0.5 ? eol : ''));
      const cuts = Array.from({ length: 3 }, () => Math.floor(next() * bytes.length)).sort(
        (a, b) => a - b,
      );
      const expected = parse(bytes, {
        relax_column_count: true,
        skip_empty_lines: true,
      }) as string[][];
      expect(split(bytes, cuts), JSON.stringify(csv)).toEqual(expected);
    }
  });

  it('gives up on a record longer than MAX_RECORD_CHARS', () => {
    const splitter = createRecordSplitter(() => {});
    expect(() => splitter.write(Buffer.from(`"${'x'.repeat(MAX_RECORD_CHARS + 10)}`))).toThrow(
      RecordTooLongError,
    );
  });
});

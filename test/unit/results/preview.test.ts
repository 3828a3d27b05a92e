import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { createPreviewTap } from '../../../src/results/preview.ts';

/** Runs `chunks` through a tap; resolves with the preview and what came out the other end. */
async function tapped(chunks: Iterable<string>, rows = 10, maxBytes?: number) {
  const tap = createPreviewTap(rows, maxBytes);
  const out: Buffer[] = [];
  await pipeline(
    Readable.from([...chunks].map((c) => Buffer.from(c))),
    tap.tap,
    new Writable({
      write(chunk: Buffer, _e, done) {
        out.push(chunk);
        done();
      },
    }),
  );
  return { preview: await tap.preview(), bytes: tap.bytes(), out: Buffer.concat(out).toString() };
}

function* lines(n: number, row: (i: number) => string, perChunk = 500): Iterable<string> {
  yield 'id,name\n';
  let batch = '';
  for (let i = 0; i < n; i++) {
    batch += row(i);
    if ((i + 1) % perChunk === 0) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

describe('CSV preview tap', () => {
  it('reads the header and the first rows, passing every byte through unchanged', async () => {
    const chunks = [...lines(50_000, (i) => `${i},"name ${i}, with comma"\n`)];
    const { preview, bytes, out } = await tapped(chunks, 3);
    expect(preview).toEqual({
      header: ['id', 'name'],
      rows: [
        ['0', 'name 0, with comma'],
        ['1', 'name 1, with comma'],
        ['2', 'name 2, with comma'],
      ],
      previewOk: true,
    });
    expect(out).toBe(chunks.join(''));
    expect(bytes).toBe(Buffer.byteLength(chunks.join('')));
  });

  it('stops parsing at the row after the preview, in the same chunk: later damage does not matter', async () => {
    const csv = 'id,name\n1,a\n2,b\n3,"never closed\n4,d\n';
    const { preview, out } = await tapped([csv], 2);
    expect(preview).toEqual({
      header: ['id', 'name'],
      rows: [
        ['1', 'a'],
        ['2', 'b'],
      ],
      previewOk: true,
    });
    expect(out).toBe(csv);
  });

  it('gives up after maxBytes on a result that is one endless line, still passing it all on', async () => {
    const line = 'x'.repeat(64 * 1024);
    const chunks = ['a,b\n"', ...Array.from({ length: 48 }, () => line)];
    const { preview, out } = await tapped(chunks, 10, 1024 * 1024);
    expect(preview.previewOk).toBe(true);
    expect(preview.header).toEqual(['a', 'b']);
    expect(preview.rows).toEqual([]);
    expect(out.length).toBe(chunks.join('').length);

    const headerless = await tapped(
      Array.from({ length: 48 }, () => line),
      10,
      1024 * 1024,
    );
    expect(headerless.preview).toEqual({ header: [], rows: [], previewOk: false });
  });

  it('keeps only complete rows when long rows reach maxBytes, never a cut-off one', async () => {
    const long = (i: number) => `${i},${'y'.repeat(400 * 1024)}\n`;
    const { preview } = await tapped(lines(5, long, 1), 10, 1024 * 1024);
    expect(preview.previewOk).toBe(true);
    expect(preview.rows.map((r) => [r[0], r[1]?.length])).toEqual([
      ['0', 400 * 1024],
      ['1', 400 * 1024],
    ]);
  });

  it('previews a short CSV whole', async () => {
    const { preview } = await tapped(['id,name\n1,a\n2,b\n']);
    expect(preview).toEqual({
      header: ['id', 'name'],
      rows: [
        ['1', 'a'],
        ['2', 'b'],
      ],
      previewOk: true,
    });
  });
});

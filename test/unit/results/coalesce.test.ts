import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { coalesce } from '../../../src/results/coalesce.ts';

async function through(chunks: Buffer[], bytes: number): Promise<Buffer[]> {
  // 'data' events, not async iteration: a byte stream's read() would join what is buffered.
  const out: Buffer[] = [];
  const joined = Readable.from(chunks).pipe(coalesce(bytes));
  joined.on('data', (chunk: Buffer) => out.push(chunk));
  await new Promise((resolve) => joined.on('end', resolve));
  return out;
}

describe('coalesce', () => {
  it('joins small chunks into chunks of at least the size, the rest at the end, bytes unchanged', async () => {
    const chunks = Array.from({ length: 10 }, (_, i) => Buffer.from(`${i}`.repeat(30)));
    const out = await through(chunks, 100);
    expect(out.map((c) => c.length)).toEqual([120, 120, 60]);
    expect(Buffer.concat(out).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('passes chunks already big enough as they are, and an empty stream as nothing', async () => {
    const big = Buffer.alloc(300, 1);
    const out = await through([big], 100);
    expect(out).toHaveLength(1);
    expect(out[0]).toBe(big);
    expect(await through([], 100)).toEqual([]);
  });

  it('passes an upstream error on', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('Alation reset the connection'));
      },
    });
    const joined = failing.pipe(coalesce(100));
    failing.on('error', (e) => joined.destroy(e));
    await expect(
      (async () => {
        for await (const _ of joined);
      })(),
    ).rejects.toThrow('Alation reset the connection');
  });
});

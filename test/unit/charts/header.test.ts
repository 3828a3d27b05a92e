import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readHeader } from '../../../src/charts/header.ts';

describe('readHeader', () => {
  it('reads the first record (quoted names too) and drops the rest of the download', async () => {
    let pulled = 0;
    const body = Readable.from(
      (function* () {
        yield '\ufeffday," revenue, net ",';
        yield 'cost\n2024-01-01,1,2\n';
        for (;;) {
          pulled++;
          yield '2024-01-02,3,4\n';
        }
      })(),
    );
    expect(await readHeader(body)).toEqual(['day', 'revenue, net', 'cost']);
    expect(pulled).toBeLessThan(5);
    expect(body.destroyed).toBe(true);
  });

  it('gives no columns for an empty result', async () => {
    expect(await readHeader(Readable.from([]))).toEqual([]);
  });
});

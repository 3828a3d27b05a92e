import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { paced } from '../../../src/results/pace.ts';

describe('paced stream', () => {
  it('passes every chunk on unchanged and in order, letting waiting callbacks run in between', async () => {
    const stream = paced();
    const out: string[] = [];
    const seenByOthers: number[] = [];
    const done = new Promise<void>((resolve, reject) => {
      stream
        .pipe(
          new Writable({
            write(chunk: Buffer, _e, next) {
              out.push(chunk.toString());
              next();
            },
          }),
        )
        .on('finish', resolve)
        .on('error', reject);
    });
    const chunks = Array.from({ length: 50 }, (_, i) => `chunk ${i};`);
    for (const chunk of chunks) stream.write(Buffer.from(chunk));
    stream.end();
    // Work that was already waiting (an ack, say) runs before most of the chunks have moved.
    setImmediate(() => seenByOthers.push(out.length));
    await done;
    expect(out).toEqual(chunks);
    expect(seenByOthers[0]).toBeLessThan(5);
  });
});

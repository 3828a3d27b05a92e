// A stream task for the CPU pool's tests: counts bytes and newlines and hashes them in order, optionally slowly or failing.
import { createHash } from 'node:crypto';
import { defineStreamTask } from '../../../../src/cpu/task.ts';

export default defineStreamTask((init: { failAfter?: number; delayMs?: number }) => {
  let bytes = 0;
  let lines = 0;
  let chunks = 0;
  const sha = createHash('sha256');
  return {
    async write(chunk: Uint8Array) {
      if (init.delayMs) await new Promise((r) => setTimeout(r, init.delayMs));
      chunks++;
      if (init.failAfter !== undefined && chunks > init.failAfter) {
        throw new Error(`chunk ${chunks} is one too many`);
      }
      bytes += chunk.byteLength;
      sha.update(chunk);
      for (const b of chunk) if (b === 10) lines++;
    },
    end: () => ({ bytes, lines, chunks, sha256: sha.digest('hex') }),
  };
});

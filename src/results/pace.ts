import { Transform } from 'node:stream';

/** A turn of the event loop later than this means it is busy: the stream backs off. */
const BUSY_LAG_MS = 4;
const MAX_BACKOFF_MS = 50;

/**
 * Hands chunks on after yielding to the event loop, so the I/O already waiting (Slack's requests
 * to ack) runs first. Each stream watches how long its own yield took: when the loop is slow to
 * come back, the stream waits that long again before its next chunk (up to 50 ms), so thirty
 * people sharing big results give way to everyone's acks instead of competing with them. When
 * the loop is free, a chunk costs one setImmediate.
 */
export function createPacer(): (chunk: Buffer, done: (error: null, chunk: Buffer) => void) => void {
  let backoffMs = 0;
  return (chunk, done) => {
    const asked = performance.now();
    const resume = () => {
      const lag = performance.now() - asked - backoffMs;
      backoffMs = lag > BUSY_LAG_MS ? Math.min(MAX_BACKOFF_MS, Math.max(lag, backoffMs * 2, 1)) : 0;
      done(null, chunk);
    };
    if (backoffMs > 0) setTimeout(resume, backoffMs);
    else setImmediate(resume);
  };
}

/** A pass-through stream that yields to the event loop between chunks (see createPacer). */
export function paced(): Transform {
  const pace = createPacer();
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      pace(chunk, done);
    },
  });
}

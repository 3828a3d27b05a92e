/**
 * Keeps each key (a Mode API token) under `limit` requests per `windowMs`, by making the
 * excess wait its turn rather than letting the server answer 429. One pacer is shared by every
 * client of a process, since clients are made per request.
 *
 * Hand-made because no kept library paces: undici has retry and caching interceptors but no
 * client-side rate limit, and p-queue (in node_modules only through @slack/web-api, v6) counts
 * fixed intervals for one queue, so it can let 2 × `limit` through across a window edge and
 * would need a queue per token plus this file's forgetting of idle tokens anyway. Mode's limit
 * is per API token over a sliding window, shared by every client made for that token.
 */
export interface Pacer {
  /** Resolves when a request for `key` may go out, and counts it. */
  acquire(key: string): Promise<void>;
}

export interface PacerOptions {
  limit: number;
  windowMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function createPacer(options: PacerOptions): Pacer {
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  /** Send times within the current window, per key, oldest first. */
  const sent = new Map<string, number[]>();
  /** Requests of a key queue behind each other, so they leave in the order they came. */
  const tails = new Map<string, Promise<void>>();

  const waitForSlot = async (key: string) => {
    for (;;) {
      const times = (sent.get(key) ?? []).filter((t) => t > now() - options.windowMs);
      if (times.length < options.limit) {
        times.push(now());
        sent.set(key, times);
        return;
      }
      sent.set(key, times);
      await sleep((times[0] ?? now()) + options.windowMs - now() + 1);
    }
  };

  return {
    acquire(key) {
      const turn = (tails.get(key) ?? Promise.resolve()).then(() => waitForSlot(key));
      // Forget the tail once it is done, so idle keys hold no memory.
      const tail = turn.finally(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      tails.set(key, tail);
      return turn;
    },
  };
}

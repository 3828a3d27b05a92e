// Shared pieces for the client suites: a sleep that records instead of waiting, a token source
// that counts refreshes, and a port nothing listens on.
import { createServer } from 'node:net';
import type { Readable } from 'node:stream';
import type { AccessTokenSource } from '../../src/client/alation.ts';

export function recordingSleep() {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}

/** Retry settings for tests: no real waiting, deterministic jitter (half of each step). */
export function fastRetry(overrides: { attempts?: number } = {}) {
  const recorder = recordingSleep();
  return {
    waits: recorder.waits,
    retry: { sleep: recorder.sleep, random: () => 0, attempts: overrides.attempts ?? 3 },
  };
}

export interface CountingSource extends AccessTokenSource {
  readonly refreshedWith: string[];
}

/** Hands out `initial`, then `next()` on each refresh, recording which token was rejected. */
export function countingSource(initial: string, next: () => string): CountingSource {
  let token = initial;
  const refreshedWith: string[] = [];
  return {
    refreshedWith,
    current: async () => token,
    refresh: async (rejected) => {
      refreshedWith.push(rejected);
      token = next();
      return token;
    },
  };
}

/** A localhost port that was just free, so connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Rejection of `promise`, failing the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

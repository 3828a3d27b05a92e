import { describe, expect, it } from 'vitest';
import { createPacer } from '../../../src/client/pacer.ts';

/** A clock that only moves when the pacer sleeps. */
function fakeTime() {
  let now = 0;
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
    slept,
  };
}

describe('createPacer', () => {
  it('lets `limit` requests through at once and makes the next wait for the window', async () => {
    const time = fakeTime();
    const pacer = createPacer({ limit: 3, windowMs: 1_000, ...time });
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4, 5].map((n) => pacer.acquire('token').then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(time.slept).toEqual([1_001]);
    expect(time.now()).toBe(1_001);
  });

  it('counts each token on its own', async () => {
    const time = fakeTime();
    const pacer = createPacer({ limit: 2, windowMs: 1_000, ...time });
    await Promise.all(['a', 'a', 'b', 'b'].map((k) => pacer.acquire(k)));
    expect(time.slept).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { nextDelayMs, pollsFor } from '../../../src/queue/backoff.ts';

describe('job poll schedule', () => {
  it('starts at about a second, doubles, and never waits more than 30 s', () => {
    const top = () => 1;
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((n) => nextDelayMs(n, top))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('takes off at most 20 % at random', () => {
    expect(nextDelayMs(5, () => 0)).toBe(24_000);
    expect(nextDelayMs(0, () => 0.5)).toBe(900);
  });

  it('polls a ten-minute job at most 30 times, even with the shortest waits', () => {
    const tenMinutes = 10 * 60_000;
    expect(pollsFor(tenMinutes, () => 0)).toBeLessThanOrEqual(30);
    expect(pollsFor(tenMinutes, () => 1)).toBeLessThanOrEqual(30);
    for (let i = 0; i < 20; i++) expect(pollsFor(tenMinutes)).toBeLessThanOrEqual(30);
  });
});

/** First poll a second after the last; then doubling, never more than 30 s apart. */
export const FIRST_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 30_000;

/**
 * The wait before poll number `polls + 1`: exponential from 1 s, capped at 30 s, less up to 20 %
 * at random so that watches started together spread out. `random` is injectable for tests.
 */
export function nextDelayMs(
  polls: number,
  random: () => number = Math.random,
  first = FIRST_DELAY_MS,
  max = MAX_DELAY_MS,
): number {
  const full = Math.min(max, first * 2 ** Math.min(polls, 30));
  return Math.round(full * (0.8 + 0.2 * random()));
}

/** How many polls watching a job of `durationMs` takes (the schedule, without network time). */
export function pollsFor(durationMs: number, random: () => number = Math.random): number {
  let elapsed = 0;
  let polls = 0;
  while (elapsed < durationMs) {
    elapsed += nextDelayMs(polls, random);
    polls++;
  }
  return polls;
}

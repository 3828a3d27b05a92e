/**
 * How many times a job card polls Alation for jobs of various lengths, with the shortest,
 * typical and longest random waits of the schedule (1 s doubling to 30 s, up to 20 % less).
 */
import { pollsFor } from '../src/queue/backoff.ts';

const durations: [string, number][] = [
  ['10 s', 10_000],
  ['1 min', 60_000],
  ['10 min', 600_000],
  ['1 h', 3_600_000],
  ['2 h (the watch deadline)', 7_200_000],
];
const typical = () => {
  let seed = 42;
  // A fixed pseudo-random sequence, so the printed "typical" figure is the same every run.
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
};
console.log(
  `${'job takes'.padEnd(26)}${'fewest'.padStart(8)}${'typical'.padStart(9)}${'most'.padStart(7)}`,
);
for (const [label, ms] of durations) {
  console.log(
    `${label.padEnd(26)}${String(pollsFor(ms, () => 1)).padStart(8)}${String(pollsFor(ms, typical())).padStart(9)}${String(pollsFor(ms, () => 0)).padStart(7)}`,
  );
}
console.log('target: a 10-minute job polls at most 30 times');

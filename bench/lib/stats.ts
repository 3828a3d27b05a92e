/** Percentiles and a median with its 95% interval, shared by the ack benches. */

export const sortNum = (xs: number[]) => [...xs].sort((a, b) => a - b);

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

export const p50p99 = (xs: number[]) => {
  const sorted = sortNum(xs);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

/** Median with a distribution-free 95% confidence interval (order statistics). */
export function median(xs: number[]) {
  const sorted = sortNum(xs);
  const n = sorted.length;
  const half = 0.98 * Math.sqrt(n);
  const lo = Math.max(0, Math.floor(n / 2 - half) - 1);
  const hi = Math.min(n - 1, Math.ceil(n / 2 + 1 + half) - 1);
  return {
    median: percentile(sorted, 50),
    lo: sorted[lo] ?? Number.NaN,
    hi: sorted[hi] ?? Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

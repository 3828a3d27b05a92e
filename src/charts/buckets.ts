// Coarser and coarser x buckets, so a chart keeps a bounded number of points whatever the row
// count. Each step is a union of buckets of the step before, so re-bucketing what was already
// bucketed stays exact.

export interface Bucketing {
  /** "1 day", "15 minutes", "10s of units". */
  label: string;
  floor(x: number): number;
}

const fixed = (label: string, ms: number): Bucketing => ({
  label,
  floor: (t) => Math.floor(t / ms) * ms,
});

const calendar = (label: string, months: number): Bucketing => ({
  label,
  floor(t) {
    const d = new Date(t);
    const index = d.getUTCFullYear() * 12 + d.getUTCMonth();
    const start = Math.floor(index / months) * months;
    return Date.UTC(Math.floor(start / 12), start % 12, 1);
  },
});

/** For times (wall-clock ms): every step a union of the one before. */
export const TIME_BUCKETS: readonly Bucketing[] = [
  fixed('1 second', 1_000),
  fixed('1 minute', 60_000),
  fixed('5 minutes', 300_000),
  fixed('15 minutes', 900_000),
  fixed('1 hour', 3_600_000),
  fixed('6 hours', 21_600_000),
  fixed('1 day', 86_400_000),
  calendar('1 month', 1),
  calendar('1 quarter', 3),
  calendar('1 year', 12),
  calendar('10 years', 120),
];

/** For plain numbers: powers of ten, the first one wide enough for `span` in `points`. */
export function numberBuckets(span: number, points: number): Bucketing[] {
  const start = Math.max(-12, Math.ceil(Math.log10(Math.max(span, 1e-12) / points)));
  return Array.from({ length: 30 }, (_, i) => {
    const width = 10 ** (start + i);
    return {
      label: `${width.toLocaleString('en-US', { maximumSignificantDigits: 3 })} wide`,
      floor: (x: number) => Math.floor(x / width) * width,
    };
  });
}

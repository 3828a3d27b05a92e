// The chart's share of a result's single pass: fed CSV records one at a time, it types the
// columns on the first rows, fixes the plan, and from then on keeps only what the chart draws,
// a bounded number of points (bucketed, folded into "Other" or sampled beyond it, and says so).
import { type Bucketing, numberBuckets, TIME_BUCKETS } from './buckets.ts';
import { finishPlan, OTHER, TOP_CATEGORIES } from './finish.ts';

export { OTHER, TOP_CATEGORIES };

import {
  type ChartChoice,
  type ChartKind,
  chooseAuto,
  type Plan,
  planFromChoice,
} from './choose.ts';
import {
  type Aggregation,
  addToCell,
  type Cell,
  type ColumnTally,
  cellValue,
  isNull,
  mergeCell,
  newCell,
  newTally,
  offsetCache,
  parseNumber,
  parseTime,
  tallyCell,
  typeOf,
} from './values.ts';

/** Rows read before the column types (and so the chart) are decided. */
export const TYPE_SAMPLE_ROWS = 1_000;
/** Points per series on a line, area or scatter; time bars are bucketed to far fewer. */
export const MAX_POINTS = 1_000;
export const MAX_TIME_BARS = 60;
/** Categories tracked while streaming; past this the smallest half is folded early. */
const MAX_TRACKED = 5_000;
/** Distinct values of a series column tracked; rows of further series are left out. */
const MAX_TRACKED_SERIES = 64;

export interface Point {
  x: number | string;
  s: string;
  y: number;
}

/** What the chart draws, and every way it differs from the rows it came from. */
export interface ChartData {
  kind: ChartKind;
  xLabel: string | undefined;
  xType: 'temporal' | 'quantitative' | 'nominal';
  /** The y column names (for the axis and the alt text). */
  yLabels: string[];
  /** Legend title: the series column, or undefined when the series are the y columns. */
  seriesLabel: string | undefined;
  series: string[];
  points: Point[];
  aggregation: Aggregation;
  /** True when x times carried no time of day. */
  dateOnly: boolean;
  /** True when x times were instants, moved into the zone. */
  instants: boolean;
  rows: number;
  /** Some x held more than one row, combined with `aggregation`. */
  combined: boolean;
  bucket: string | undefined;
  sampled: { kept: number; of: number } | undefined;
  /** Categories folded into Other, of how many. */
  folded: { folded: number; of: number } | undefined;
  droppedSeries: number;
  /** Rows left out: no usable x or y. */
  skipped: number;
  big: { value: number; label: string } | undefined;
}

export interface AccumulatorOptions {
  /** The person's saved choice, applied when this result has its columns. */
  choice?: ChartChoice | undefined;
  /** Where x times are shown (the reader's, or the digest's, IANA zone). */
  zone: string | undefined;
  /** Deterministic sampling in tests. */
  seed?: number;
}

export interface Accumulator {
  /** Feed one CSV record; the first is the header. */
  record(record: string[]): void;
  /** The chart's data, or undefined when this result suits no chart. */
  finish(): ChartData | undefined;
}

type XKey = number | string;

export function createAccumulator(options: AccumulatorOptions): Accumulator {
  let header: string[] | undefined;
  let tallies: ColumnTally[] = [];
  const sample: string[][] = [];
  let plan: Plan | undefined;
  let decided = false;
  let rows = 0;
  let skipped = 0;
  let dateOnly = true;
  let instants = false;
  let combined = false;
  const offsets = offsetCache(options.zone);

  // Grouped charts: x → series → cell.
  const groups = new Map<XKey, Map<string, Cell>>();
  let bucketSteps: Bucketing[] = [];
  let bucket: Bucketing | undefined;
  let bucketIndex = -1;
  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  const folded = new Map<string, Cell>();
  let foldedKeys = 0;
  const seriesSeen = new Set<string>();
  // Scatter: a uniform sample (algorithm R) with a seeded generator.
  const reservoir: Point[] = [];
  let random = mulberry32(options.seed ?? 0x5eed);
  const big = newCell();

  const decide = () => {
    decided = true;
    const types = tallies.map(typeOf);
    if (!header) return;
    plan =
      (options.choice && planFromChoice(options.choice, header, types)) ??
      chooseAuto(types, sample.length);
    if (plan?.xType === 'number') bucketSteps = [];
    for (const row of sample) take(row);
    sample.length = 0;
  };

  const xOf = (row: string[]): XKey | undefined => {
    if (!plan || plan.x === undefined) return undefined;
    const cell = row[plan.x];
    if (cell === undefined || isNull(cell)) return undefined;
    if (plan.xType === 'time') {
      const t = parseTime(cell, offsets);
      if (!t) return undefined;
      if (!t.dateOnly) dateOnly = false;
      if (t.instant) instants = true;
      return t.wall;
    }
    if (plan.xType === 'number') return parseNumber(cell);
    return cell.trim();
  };

  const maxKeys = () =>
    plan?.kind === 'bar' || plan?.kind === 'stacked_bar'
      ? plan.xType === 'text'
        ? MAX_TRACKED
        : MAX_TIME_BARS
      : plan?.xType === 'text'
        ? MAX_POINTS
        : MAX_POINTS;

  /** Too many distinct x: the next coarser bucket (numbers and times), or fold (text). */
  const coarsen = () => {
    if (!plan) return;
    if (plan.xType === 'text') {
      if (plan.kind === 'bar' || plan.kind === 'stacked_bar') foldSmallest();
      return;
    }
    if (bucketSteps.length === 0) {
      bucketSteps =
        plan.xType === 'time' ? [...TIME_BUCKETS] : numberBuckets(xMax - xMin, maxKeys() / 2);
    }
    while (groups.size > maxKeys() && bucketIndex < bucketSteps.length - 1) {
      bucketIndex++;
      bucket = bucketSteps[bucketIndex];
      if (!bucket) return;
      const old = [...groups];
      groups.clear();
      for (const [x, bySeries] of old) {
        const key = bucket.floor(x as number);
        const into = groups.get(key) ?? new Map<string, Cell>();
        for (const [s, cell] of bySeries) {
          const target = into.get(s) ?? newCell();
          mergeCell(target, cell);
          into.set(s, target);
        }
        groups.set(key, into);
      }
      combined = true;
    }
  };

  const weight = (bySeries: Map<string, Cell>) => {
    let w = 0;
    for (const cell of bySeries.values())
      w += Math.abs(cellValue(cell, plan?.aggregation ?? 'sum'));
    return w;
  };

  const foldSmallest = () => {
    const ranked = [...groups].sort((a, b) => weight(b[1]) - weight(a[1]));
    for (const [key, bySeries] of ranked.slice(MAX_TRACKED / 2)) {
      groups.delete(key);
      foldedKeys++;
      for (const [s, cell] of bySeries) {
        const target = folded.get(s) ?? newCell();
        mergeCell(target, cell);
        folded.set(s, target);
      }
    }
  };

  const add = (x: XKey, s: string, value: number) => {
    let bySeries = groups.get(x);
    if (!bySeries) {
      if (
        plan?.xType === 'text' &&
        plan.kind !== 'bar' &&
        plan.kind !== 'stacked_bar' &&
        groups.size >= MAX_POINTS
      ) {
        skipped++;
        return;
      }
      bySeries = new Map();
      groups.set(x, bySeries);
    }
    let cell = bySeries.get(s);
    if (!cell) {
      cell = newCell();
      bySeries.set(s, cell);
    } else combined = true;
    addToCell(cell, value);
  };

  const take = (row: string[]) => {
    if (!plan || !header) return;
    rows++;
    const count = plan.aggregation === 'count';
    if (plan.kind === 'big_number') {
      const value = count ? 1 : parseNumber(row[plan.ys[0] ?? 0] ?? '');
      if (value === undefined) skipped++;
      else addToCell(big, value);
      return;
    }
    let x = xOf(row);
    if (x === undefined) {
      skipped++;
      return;
    }
    if (typeof x === 'number') {
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
      if (bucket) x = bucket.floor(x);
    }
    if (plan.kind === 'scatter') {
      sampleScatter(x, row);
      return;
    }
    let used = false;
    for (const y of plan.ys) {
      const value = count ? (isNull(row[y]) ? undefined : 1) : parseNumber(row[y] ?? '');
      if (value === undefined) continue;
      let s = header[y] ?? '';
      if (plan.series !== undefined) {
        s = (row[plan.series] ?? '').trim() || '(blank)';
        if (!seriesSeen.has(s)) {
          if (seriesSeen.size >= MAX_TRACKED_SERIES) continue;
          seriesSeen.add(s);
        }
      }
      add(x, s, value);
      used = true;
    }
    if (!used) skipped++;
    if (groups.size > maxKeys()) coarsen();
  };

  let seenForSample = 0;
  const sampleScatter = (x: XKey, row: string[]) => {
    if (!plan || !header) return;
    let used = false;
    for (const yi of plan.ys) {
      const y = parseNumber(row[yi] ?? '');
      if (y === undefined) continue;
      used = true;
      const point = { x, s: header[yi] ?? '', y };
      seenForSample++;
      if (reservoir.length < MAX_POINTS) reservoir.push(point);
      else {
        const j = Math.floor(random() * seenForSample);
        if (j < MAX_POINTS) reservoir[j] = point;
      }
    }
    if (!used) skipped++;
  };

  return {
    record(record) {
      if (!header) {
        header = record.map((h) => h.trim());
        tallies = header.map(newTally);
        return;
      }
      if (!decided) {
        sample.push(record);
        for (let i = 0; i < tallies.length; i++) tallyCell(tallies[i] as ColumnTally, record[i]);
        if (sample.length >= TYPE_SAMPLE_ROWS) decide();
        return;
      }
      take(record);
    },
    finish() {
      if (!decided) decide();
      random = mulberry32(0);
      if (!plan || !header || rows === 0) return undefined;
      return finishPlan(plan, header, {
        groups,
        folded,
        foldedKeys,
        reservoir,
        seenForSample,
        big,
        facts: { rows, skipped, dateOnly, instants, combined, bucket: bucket?.label },
      });
    },
  };
}

/** A small seeded generator: the same result samples the same points on every replica. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

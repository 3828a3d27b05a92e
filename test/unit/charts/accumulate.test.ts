import { describe, expect, it } from 'vitest';
import {
  createAccumulator,
  MAX_POINTS,
  OTHER,
  TOP_CATEGORIES,
  TYPE_SAMPLE_ROWS,
} from '../../../src/charts/accumulate.ts';
import type { ChartChoice } from '../../../src/charts/choose.ts';

function feed(
  records: string[][],
  options: Parameters<typeof createAccumulator>[0] = { zone: 'UTC' },
) {
  const acc = createAccumulator(options);
  for (const r of records) acc.record(r);
  return acc.finish();
}

const day = (i: number) =>
  new Date(Date.UTC(2024, 10, 1) + i * 86_400_000).toISOString().slice(0, 10);

describe('createAccumulator', () => {
  it('date + number: one point per day, in order, nothing combined', () => {
    const data = feed([['day', 'revenue'], ...[2, 0, 1].map((i) => [day(i), String(i * 10)])]);
    expect(data).toMatchObject({
      kind: 'line',
      xType: 'temporal',
      dateOnly: true,
      combined: false,
      bucket: undefined,
      series: ['revenue'],
      rows: 3,
    });
    expect(data?.points.map((p) => p.y)).toEqual([0, 10, 20]);
  });

  it('a line keeps at most MAX_POINTS points: coarser buckets beyond, and says so', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [
      new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
      '1',
    ]);
    const data = feed([['at', 'n'], ...rows]);
    expect(data?.points.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(data?.bucket).toBe('1 hour');
    expect(data?.points.reduce((s, p) => s + p.y, 0)).toBe(20_000);
    expect(data?.rows).toBe(20_000);
  });

  it('category + number: sorted by value, top 20 with the rest summed as Other', () => {
    const rows = Array.from({ length: 50 }, (_, i) => [`c${i}`, String(i)]);
    const data = feed([['region', 'amount'], ...rows]);
    expect(data?.points).toHaveLength(TOP_CATEGORIES + 1);
    expect(data?.points[0]).toMatchObject({ x: 'c49', y: 49 });
    const other = data?.points.at(-1);
    expect(other?.x).toBe(OTHER);
    // c0..c29 folded: 0 + 1 + … + 29.
    expect(other?.y).toBe(435);
    expect(data?.folded).toEqual({ folded: 30, of: 50 });
  });

  it('keeps memory bounded with many distinct categories, and the total right', () => {
    const acc = createAccumulator({ zone: undefined });
    acc.record(['user', 'n']);
    for (let i = 0; i < 30_000; i++) acc.record([`u${i}`, '2']);
    const data = acc.finish();
    expect(data?.points).toHaveLength(TOP_CATEGORIES + 1);
    expect(data?.points.reduce((s, p) => s + p.y, 0)).toBe(60_000);
    expect(data?.folded?.of).toBe(30_000);
  });

  it('long format: one series per value, the 8 largest kept', () => {
    const rows = Array.from({ length: 10 }, (_, s) => [day(0), `s${s}`, String(s + 1)]);
    const data = feed([['day', 'team', 'n'], ...rows]);
    expect(data?.series).toEqual(['s9', 's8', 's7', 's6', 's5', 's4', 's3', 's2']);
    expect(data?.droppedSeries).toBe(2);
    expect(data?.seriesLabel).toBe('team');
  });

  it('a single numeric cell → a big number', () => {
    expect(feed([['total'], ['12400']])).toMatchObject({
      kind: 'big_number',
      big: { value: 12400, label: 'total' },
    });
  });

  it('text only, or no rows → no chart', () => {
    expect(
      feed([
        ['name', 'note'],
        ['a', 'b'],
      ]),
    ).toBeUndefined();
    expect(feed([['n']])).toBeUndefined();
    expect(feed([])).toBeUndefined();
  });

  it('types the columns on the first rows; later rows that do not fit are left out and counted', () => {
    const rows = Array.from({ length: TYPE_SAMPLE_ROWS }, (_, i) => [`c${i % 5}`, '1']);
    const data = feed([['k', 'v'], ...rows, ['c1', 'n/a'], ['c2', '3']]);
    expect(data?.kind).toBe('bar');
    expect(data?.skipped).toBe(1);
    expect(data?.rows).toBe(TYPE_SAMPLE_ROWS + 2);
  });

  it('a saved choice wins when its columns are there, else the automatic one', () => {
    const records = [
      ['day', 'a', 'b'],
      [day(0), '1', '2'],
      [day(1), '3', '4'],
    ];
    const chosen = feed(records, {
      zone: undefined,
      choice: { kind: 'big_number', y: ['b'], aggregation: 'max' },
    });
    expect(chosen).toMatchObject({ kind: 'big_number', big: { value: 4 } });
    const gone = feed(records, {
      zone: undefined,
      choice: { kind: 'bar', x: 'day', y: ['c'], aggregation: 'sum' },
    });
    expect(gone?.kind).toBe('line');
  });

  it('scatter: a uniform sample of MAX_POINTS, the same on every run', () => {
    const records = [
      ['x', 'y'],
      ...Array.from({ length: 5_000 }, (_, i) => [String(i), String(i * 2)]),
    ];
    const choice: ChartChoice = { kind: 'scatter', x: 'x', y: ['y'], aggregation: 'sum' };
    const a = feed(records, { zone: undefined, choice });
    const b = feed(records, { zone: undefined, choice });
    expect(a?.points).toHaveLength(MAX_POINTS);
    expect(a?.sampled).toEqual({ kept: MAX_POINTS, of: 5_000 });
    expect(a?.points).toEqual(b?.points);
  });
});

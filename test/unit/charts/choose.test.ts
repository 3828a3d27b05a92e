import { describe, expect, it } from 'vitest';
import { chooseAuto, planFromChoice } from '../../../src/charts/choose.ts';

describe('chooseAuto', () => {
  it('time and numbers → a line per numeric column, at most 8', () => {
    const plan = chooseAuto(['time', ...Array<'number'>(10).fill('number')], 30);
    expect(plan).toMatchObject({
      kind: 'line',
      x: 0,
      ys: [1, 2, 3, 4, 5, 6, 7, 8],
      droppedColumns: 2,
    });
  });
  it('time, one text column and a number → one line per value of the text column', () => {
    expect(chooseAuto(['time', 'text', 'number'], 30)).toMatchObject({
      kind: 'line',
      x: 0,
      series: 1,
      ys: [2],
    });
  });
  it('one text column and numbers → bars of the first number', () => {
    expect(chooseAuto(['text', 'number', 'number'], 5)).toMatchObject({
      kind: 'bar',
      x: 0,
      ys: [1],
    });
  });
  it('a single numeric cell → a big number', () => {
    expect(chooseAuto(['number'], 1)).toMatchObject({ kind: 'big_number', ys: [0] });
  });
  it('numbers only, the first as x → a line', () => {
    expect(chooseAuto(['number', 'number'], 5)).toMatchObject({ kind: 'line', x: 0, ys: [1] });
  });
  it('anything else → no chart', () => {
    expect(chooseAuto(['text', 'text', 'text'], 1)).toBeUndefined();
    expect(chooseAuto(['text'], 20)).toBeUndefined();
    expect(chooseAuto(['time', 'text', 'text', 'number'], 20)).toBeUndefined();
    expect(chooseAuto(['number'], 0)).toBeUndefined();
    expect(chooseAuto(['number'], 3)).toBeUndefined();
  });
});

describe('planFromChoice', () => {
  const header = ['day', 'region', 'revenue', 'cost'];
  const types = ['time', 'text', 'number', 'number'] as const;
  it('finds columns by name (case aside)', () => {
    expect(
      planFromChoice(
        { kind: 'stacked_bar', x: 'Region', y: ['revenue', 'cost'], aggregation: 'mean' },
        header,
        [...types],
      ),
    ).toMatchObject({ kind: 'stacked_bar', x: 1, xType: 'text', ys: [2, 3], aggregation: 'mean' });
  });
  it('gives up when a column is gone or not a number', () => {
    const base = { kind: 'line', aggregation: 'sum' } as const;
    expect(
      planFromChoice({ ...base, x: 'day', y: ['profit'] }, header, [...types]),
    ).toBeUndefined();
    expect(planFromChoice({ ...base, x: 'week', y: ['cost'] }, header, [...types])).toBeUndefined();
    expect(
      planFromChoice({ ...base, x: 'day', y: ['region'] }, header, [...types]),
    ).toBeUndefined();
    expect(
      planFromChoice({ kind: 'scatter', x: 'region', y: ['cost'], aggregation: 'sum' }, header, [
        ...types,
      ]),
    ).toBeUndefined();
  });
  it('counts any column', () => {
    expect(
      planFromChoice({ kind: 'bar', x: 'region', y: ['day'], aggregation: 'count' }, header, [
        ...types,
      ]),
    ).toMatchObject({ ys: [0], aggregation: 'count' });
  });
});

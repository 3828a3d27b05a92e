import { describe, expect, it } from 'vitest';
import {
  addToCell,
  cellValue,
  mergeCell,
  newCell,
  newTally,
  offsetCache,
  parseNumber,
  parseTime,
  tallyCell,
  typeOf,
} from '../../../src/charts/values.ts';

describe('parseNumber', () => {
  it('reads plain and comma-grouped numbers, nothing else', () => {
    expect(parseNumber('12400')).toBe(12400);
    expect(parseNumber(' -1.5e3 ')).toBe(-1500);
    expect(parseNumber('12,400.5')).toBe(12400.5);
    for (const text of ['1,2', 'abc', '12 400', '', '0x10', 'Infinity', '1.2.3']) {
      expect(parseNumber(text), text).toBeUndefined();
    }
  });
});

describe('parseTime', () => {
  const berlin = offsetCache('Europe/Berlin');
  it('keeps dates and offset-less timestamps as written', () => {
    expect(parseTime('2024-11-14', berlin)).toEqual({
      wall: Date.UTC(2024, 10, 14),
      instant: false,
      dateOnly: true,
    });
    expect(parseTime('2024-11-14 09:30:00', berlin)?.wall).toBe(Date.UTC(2024, 10, 14, 9, 30));
  });
  it('moves instants into the zone, across daylight saving', () => {
    expect(parseTime('2024-11-14T08:00:00Z', berlin)?.wall).toBe(Date.UTC(2024, 10, 14, 9));
    expect(parseTime('2024-07-14T08:00:00+00:00', berlin)?.wall).toBe(Date.UTC(2024, 6, 14, 10));
    expect(parseTime('2024-07-14 08:00:00.123-0500', offsetCache(undefined))?.wall).toBe(
      Date.UTC(2024, 6, 14, 13, 0, 0, 123),
    );
  });
  it('refuses what is not a date', () => {
    for (const text of ['2024-13-01', '14/11/2024', 'yesterday', '2024']) {
      expect(parseTime(text, berlin), text).toBeUndefined();
    }
  });
});

describe('column types', () => {
  const typed = (cells: string[]) => {
    const tally = newTally();
    for (const c of cells) tallyCell(tally, c);
    return typeOf(tally);
  };
  it('is a number or time only when every filled cell is one; nulls do not count', () => {
    expect(typed(['1', '2', '', 'NULL'])).toBe('number');
    expect(typed(['2024-01-01', '2024-01-02T10:00:00Z'])).toBe('time');
    expect(typed(['1', 'two'])).toBe('text');
    expect(typed(['2024-01-01', '5'])).toBe('text');
    expect(typed(['', 'null'])).toBe('empty');
  });
});

describe('cells', () => {
  it('give every aggregation, also when merged', () => {
    const a = newCell();
    for (const v of [3, 1]) addToCell(a, v);
    const b = newCell();
    addToCell(b, 8);
    mergeCell(a, b);
    expect(['sum', 'mean', 'count', 'min', 'max'].map((g) => cellValue(a, g as never))).toEqual([
      12, 4, 3, 1, 8,
    ]);
  });
});

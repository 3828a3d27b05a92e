import { describe, expect, it } from 'vitest';
import { cellNumber, compare, conditionSchema } from '../../../src/alerts/condition.ts';

describe('compare', () => {
  it.each([
    [5, '>', 4, true],
    [4, '>', 4, false],
    [4, '>=', 4, true],
    [3, '<', 4, true],
    [4, '<', 4, false],
    [4, '<=', 4, true],
    [0.1 + 0.2, '=', 0.3, true],
    [0.1 + 0.2, '!=', 0.3, false],
    [1, '!=', 2, true],
    [1_000_000.5, '=', 1_000_000, false],
  ] as const)('%d %s %d is %s', (value, op, threshold, expected) => {
    expect(compare(value, op, threshold)).toBe(expected);
  });
});

describe('cellNumber', () => {
  it.each([
    ['12', 12],
    [' 1,234.5 ', 1234.5],
    ['$3,000', 3000],
    ['-7', -7],
    ['45%', 45],
    ['1e3', 1000],
    ['.5', 0.5],
  ])('reads %j as %d', (cell, expected) => {
    expect(cellNumber(cell)).toBe(expected);
  });

  it.each(['', 'n/a', '12abc', '1,2', 'NaN', 'Infinity', '--1'])('does not read %j', (cell) => {
    expect(cellNumber(cell)).toBeUndefined();
  });
});

describe('conditionSchema', () => {
  it('accepts each kind', () => {
    for (const c of [
      { kind: 'row_count', op: '=', n: 0 },
      { kind: 'column', column: 'revenue', reducer: 'sum', op: '>=', threshold: 10 },
      { kind: 'new_rows', keyColumn: 'order_id' },
      { kind: 'changed' },
    ]) {
      expect(conditionSchema.parse(c)).toEqual(c);
    }
  });

  it.each([
    { kind: 'row_count', op: '>=', n: 1 },
    { kind: 'row_count', op: '>', n: -1 },
    { kind: 'column', column: '', reducer: 'sum', op: '>', threshold: 1 },
    { kind: 'column', column: 'a', reducer: 'median', op: '>', threshold: 1 },
    { kind: 'column', column: 'a', reducer: 'sum', op: '>', threshold: Number.NaN },
    { kind: 'other' },
  ])('refuses %j', (c) => {
    expect(conditionSchema.safeParse(c).success).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { Condition } from '../../../src/alerts/condition.ts';
import { createMeasurer, keyHash, MAX_KEYS, SHOWN_ROWS } from '../../../src/alerts/measure.ts';

function measure(condition: Condition, records: string[][], previous?: Set<string>) {
  const m = createMeasurer(condition, previous);
  for (const r of records) m.push(r);
  return m.result();
}

const orders = [
  ['order_id', 'amount', 'status'],
  ['1', '10', 'failed'],
  ['2', '1,200', 'failed'],
  ['3', 'n/a', 'failed'],
  ['4', '-5', 'failed'],
];

describe('createMeasurer', () => {
  it('counts rows without the header and keeps the first rows to show', () => {
    const rows = [['a'], ...Array.from({ length: 30 }, (_, i) => [String(i)])];
    const m = measure({ kind: 'row_count', op: '>', n: 0 }, rows);
    expect(m.rowCount).toBe(30);
    expect(m.rows).toHaveLength(SHOWN_ROWS);
    expect(m.rows[0]).toEqual(['0']);
  });

  it.each([
    ['first', 10],
    ['sum', 1205],
    ['min', -5],
    ['max', 1200],
    ['mean', 1205 / 3],
  ] as const)(
    'reads the %s of a numeric column, skipping cells that are not numbers',
    (reducer, value) => {
      const m = measure(
        { kind: 'column', column: 'amount', reducer, op: '>', threshold: 0 },
        orders,
      );
      expect(m.value).toBeCloseTo(value);
      expect(m.nonNumeric).toBe(1);
    },
  );

  it('says when the first row holds no number', () => {
    const m = measure(
      { kind: 'column', column: 'amount', reducer: 'first', op: '>', threshold: 0 },
      [['amount'], ['n/a'], ['3']],
    );
    expect(m.value).toBeUndefined();
  });

  it('says which column is missing', () => {
    const m = measure(
      { kind: 'column', column: 'revenue', reducer: 'sum', op: '>', threshold: 0 },
      orders,
    );
    expect(m.missingColumn).toBe('revenue');
    expect(m.value).toBeUndefined();
  });

  it('finds rows whose key was not in the previous result, remembering only hashes', () => {
    const previous = new Set(['1', '2'].map(keyHash));
    const m = measure({ kind: 'new_rows', keyColumn: 'order_id' }, orders, previous);
    expect(m.newRowCount).toBe(2);
    expect(m.rows.map((r) => r[0])).toEqual(['3', '4']);
    expect(m.keys).toHaveLength(4);
    expect(m.keys).not.toContain('3');
  });

  it('sets a baseline on the first check: nothing is new without a previous result', () => {
    const m = measure({ kind: 'new_rows', keyColumn: 'order_id' }, orders);
    expect(m.newRowCount).toBe(0);
    expect(m.rows).toEqual([]);
    expect(m.keys).toHaveLength(4);
  });

  it('remembers at most MAX_KEYS keys and says so', () => {
    const m = createMeasurer({ kind: 'new_rows', keyColumn: 'k' });
    m.push(['k']);
    for (let i = 0; i <= MAX_KEYS; i++) m.push([String(i)]);
    const r = m.result();
    expect(r.keys).toHaveLength(MAX_KEYS);
    expect(r.keysCapped).toBe(true);
  });

  it('fingerprints content: same records alike, a changed cell or a moved separator not', () => {
    const c: Condition = { kind: 'changed' };
    const a = measure(c, [
      ['x', 'y'],
      ['1', '2'],
    ]).fingerprint;
    expect(
      measure(c, [
        ['x', 'y'],
        ['1', '2'],
      ]).fingerprint,
    ).toBe(a);
    expect(
      measure(c, [
        ['x', 'y'],
        ['1', '3'],
      ]).fingerprint,
    ).not.toBe(a);
    expect(
      measure(c, [
        ['x', 'y'],
        ['12', ''],
      ]).fingerprint,
    ).not.toBe(a);
  });
});

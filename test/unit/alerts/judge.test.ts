import { describe, expect, it } from 'vitest';
import type { Condition } from '../../../src/alerts/condition.ts';
import { judge } from '../../../src/alerts/judge.ts';
import { createMeasurer, keyHash } from '../../../src/alerts/measure.ts';

function judged(
  condition: Condition,
  records: string[][],
  previous = { hasKeys: false } as { fingerprint?: string; hasKeys: boolean },
  keys?: Set<string>,
) {
  const m = createMeasurer(condition, keys);
  for (const r of records) m.push(r);
  return judge(condition, m.result(), previous);
}

describe('judge', () => {
  it.each([
    [{ kind: 'row_count', op: '=', n: 0 }, [['a']], 'holds'],
    [{ kind: 'row_count', op: '=', n: 0 }, [['a'], ['1']], 'clear'],
    [{ kind: 'row_count', op: '>', n: 0 }, [['a'], ['1']], 'holds'],
    [{ kind: 'row_count', op: '<', n: 2 }, [['a'], ['1'], ['2']], 'clear'],
    [
      { kind: 'column', column: 'a', reducer: 'sum', op: '>=', threshold: 3 },
      [['a'], ['1'], ['2']],
      'holds',
    ],
    [
      { kind: 'column', column: 'a', reducer: 'max', op: '<', threshold: 2 },
      [['a'], ['1'], ['2']],
      'clear',
    ],
  ] as [Condition, string[][], string][])('%j on %j: %s', (condition, records, kind) => {
    expect(judged(condition, records).kind).toBe(kind);
  });

  it('reports the measured value', () => {
    expect(judged({ kind: 'row_count', op: '>', n: 1 }, [['a'], ['1'], ['2']])).toEqual({
      kind: 'holds',
      value: 2,
    });
  });

  it('calls a missing column broken, naming the columns there are', () => {
    const j = judged({ kind: 'column', column: 'revenue', reducer: 'sum', op: '>', threshold: 1 }, [
      ['amount', 'day'],
      ['1', 'x'],
    ]);
    expect(j.kind).toBe('broken');
    expect(j.kind === 'broken' && j.problem).toContain('“revenue”');
    expect(j.kind === 'broken' && j.problem).toContain('amount, day');
  });

  it('calls a column without numbers broken, not clear', () => {
    expect(
      judged({ kind: 'column', column: 'a', reducer: 'sum', op: '>', threshold: 1 }, [['a'], ['x']])
        .kind,
    ).toBe('broken');
    expect(
      judged({ kind: 'column', column: 'a', reducer: 'first', op: '>', threshold: 1 }, [['a']])
        .kind,
    ).toBe('broken');
  });

  it('takes the first new-rows and changed results as the baseline', () => {
    expect(judged({ kind: 'new_rows', keyColumn: 'a' }, [['a'], ['1']]).kind).toBe('baseline');
    expect(judged({ kind: 'changed' }, [['a'], ['1']]).kind).toBe('baseline');
  });

  it('holds for new rows only when a key is new', () => {
    const c: Condition = { kind: 'new_rows', keyColumn: 'a' };
    const keys = new Set([keyHash('1')]);
    expect(judged(c, [['a'], ['1']], { hasKeys: true }, keys)).toEqual({ kind: 'clear', value: 0 });
    expect(judged(c, [['a'], ['1'], ['2']], { hasKeys: true }, keys)).toEqual({
      kind: 'holds',
      value: 1,
    });
  });

  it('holds for changed when the fingerprint differs', () => {
    const c: Condition = { kind: 'changed' };
    const m = createMeasurer(c);
    m.push(['a']);
    const fingerprint = m.result().fingerprint;
    expect(judged(c, [['a']], { fingerprint, hasKeys: false }).kind).toBe('clear');
    expect(judged(c, [['a'], ['1']], { fingerprint, hasKeys: false }).kind).toBe('holds');
  });
});

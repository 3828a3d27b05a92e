// Whether a measured result meets an alert's condition. Pure: the measurement is the only input
// besides what the previous check left (its fingerprint, whether keys were remembered).
import { type Condition, compare } from './condition.ts';
import type { Measurement } from './measure.ts';

export type Judgement =
  /** The condition holds; `value` is what was compared (rows, the number, new rows). */
  | { kind: 'holds'; value?: number }
  | { kind: 'clear'; value?: number }
  /** The condition cannot be judged on this result, for a reason its creator can fix. */
  | { kind: 'broken'; problem: string }
  /** The first result seen for new-rows or changed: the baseline, nothing to compare yet. */
  | { kind: 'baseline' };

export interface Previous {
  /** The fingerprint of the last judged result, if any. */
  fingerprint?: string;
  /** Whether keys of the last judged result are remembered (new_rows). */
  hasKeys: boolean;
}

export function judge(condition: Condition, m: Measurement, previous: Previous): Judgement {
  if (m.missingColumn !== undefined) {
    return {
      kind: 'broken',
      problem: `The column “${m.missingColumn}” is not in the latest result any more (its columns: ${m.header.slice(0, 12).join(', ') || 'none'}). Edit the alert to pick another.`,
    };
  }
  const verdict = (holds: boolean, value?: number): Judgement =>
    value === undefined
      ? { kind: holds ? 'holds' : 'clear' }
      : { kind: holds ? 'holds' : 'clear', value };
  switch (condition.kind) {
    case 'row_count':
      return verdict(compare(m.rowCount, condition.op, condition.n), m.rowCount);
    case 'column': {
      if (m.value === undefined) {
        const where = condition.reducer === 'first' ? 'in the first row' : 'in any row';
        return {
          kind: 'broken',
          problem:
            m.rowCount === 0
              ? `The latest result has no rows, so “${condition.column}” has no value to compare.`
              : `“${condition.column}” holds no number ${where} of the latest result.`,
        };
      }
      return verdict(compare(m.value, condition.op, condition.threshold), m.value);
    }
    case 'new_rows':
      if (!previous.hasKeys) return { kind: 'baseline' };
      return verdict(m.newRowCount > 0, m.newRowCount);
    case 'changed':
      if (previous.fingerprint === undefined) return { kind: 'baseline' };
      return verdict(previous.fingerprint !== m.fingerprint);
  }
}

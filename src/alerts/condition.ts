// What an alert watches for in a query's latest result, as stored (jsonb) and as checked when the
// form is saved. The four kinds are the ones data teams ask BI tools for: a row count, a number
// crossing a line, new rows by key, and "anything changed".
import { z } from 'zod';

export const COMPARISONS = ['>', '>=', '<', '<=', '=', '!='] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** Row counts take the four comparisons people ask for: more than, fewer than, none, any. */
export const ROW_COUNT_COMPARISONS = ['>', '<', '='] as const;

/** What one number is read from a numeric column: its first row, or a figure over all rows. */
export const REDUCERS = ['first', 'sum', 'min', 'max', 'mean'] as const;
export type Reducer = (typeof REDUCERS)[number];

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

export const conditionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('row_count'),
    op: z.enum(ROW_COUNT_COMPARISONS),
    n: z.number().int().min(0),
  }),
  z.object({
    kind: z.literal('column'),
    column: z.string().min(1).max(200),
    reducer: z.enum(REDUCERS),
    op: z.enum(COMPARISONS),
    threshold: finite,
  }),
  z.object({ kind: z.literal('new_rows'), keyColumn: z.string().min(1).max(200) }),
  z.object({ kind: z.literal('changed') }),
]);

export type Condition = z.infer<typeof conditionSchema>;
export type ConditionKind = Condition['kind'];

/** Whether `value op threshold` holds. `=` and `!=` forgive floating-point noise (0.1 + 0.2 = 0.3), not real differences. */
export function compare(value: number, op: Comparison, threshold: number): boolean {
  const same = Math.abs(value - threshold) <= 1e-9 * Math.max(1, Math.abs(threshold));
  switch (op) {
    case '>':
      return value > threshold && !same;
    case '>=':
      return value > threshold || same;
    case '<':
      return value < threshold && !same;
    case '<=':
      return value < threshold || same;
    case '=':
      return same;
    case '!=':
      return !same;
  }
}

/**
 * A cell as a number the way a person reads it: thousands separators, a leading currency sign, a
 * trailing percent and surrounding spaces are allowed; anything else (empty, "n/a", "12abc") is
 * not a number.
 */
export function cellNumber(cell: string): number | undefined {
  const text = cell
    .trim()
    .replace(/^[$€£¥]/u, '')
    .replace(/%$/u, '')
    .replace(/(\d),(?=\d{3}(\D|$))/gu, '$1');
  if (text === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/iu.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** The column a condition reads, if any. */
export function conditionColumn(condition: Condition): string | undefined {
  if (condition.kind === 'column') return condition.column;
  if (condition.kind === 'new_rows') return condition.keyColumn;
  return undefined;
}

// One pass over a result's CSV records that keeps only what an alert's condition needs: the row
// count, one number, the keys seen (hashed, bounded) and a fingerprint of the whole content. The
// memory it holds is bounded whatever the result's size.
import { createHash } from 'node:crypto';
import { type Condition, cellNumber, conditionColumn } from './condition.ts';

/** Rows kept to show on the card (and, for new rows, in the CSV beside it). */
export const SHOWN_ROWS = 10;
export const NEW_ROWS_KEPT = 5_000;
/** Keys remembered between results for "new rows"; a result with more says so. */
export const MAX_KEYS = 100_000;

export interface Measurement {
  header: string[];
  rowCount: number;
  /** sha256 of every record, so "changed" means different content, not merely a re-run. */
  fingerprint: string;
  /** The condition's column is not in the header. */
  missingColumn?: string;
  /** The number the condition compares (column conditions), when the column had one. */
  value?: number;
  /** Cells of the column that were not numbers (skipped by sum/min/max/mean). */
  nonNumeric: number;
  /** Rows that illustrate the finding: the first rows, or the new ones. */
  rows: string[][];
  /** New rows in all (new_rows), of which `rows` holds at most NEW_ROWS_KEPT. */
  newRowCount: number;
  /** Hashed key values of this result, for the next check (new_rows only). */
  keys: string[];
  /** More distinct keys than MAX_KEYS: the ones beyond were not remembered. */
  keysCapped: boolean;
}

export interface Measurer {
  /** The header first, then each row. */
  push(record: string[]): void;
  result(): Measurement;
}

/** Keys are remembered as 12-byte hashes: enough to tell 100,000 values apart, never the values. */
export function keyHash(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 16);
}

export function createMeasurer(condition: Condition, previousKeys?: ReadonlySet<string>): Measurer {
  const content = createHash('sha256');
  let header: string[] | undefined;
  let index = -1;
  let rowCount = 0;
  let nonNumeric = 0;
  let first: number | undefined;
  let firstSeen = false;
  let sum = 0;
  let counted = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const rows: string[][] = [];
  let newRowCount = 0;
  const keys = new Set<string>();
  let keysCapped = false;
  const column = conditionColumn(condition);

  const readNumber = (record: string[]) => {
    const value = cellNumber(record[index] ?? '');
    if (!firstSeen) {
      firstSeen = true;
      first = value;
    }
    if (value === undefined) {
      nonNumeric++;
      return;
    }
    sum += value;
    counted++;
    if (value < min) min = value;
    if (value > max) max = value;
  };

  const readKey = (record: string[]) => {
    const key = keyHash(record[index] ?? '');
    if (keys.size < MAX_KEYS) keys.add(key);
    else if (!keys.has(key)) keysCapped = true;
    // No previous result: the first check sets the baseline; nothing is new yet.
    if (previousKeys && !previousKeys.has(key)) {
      newRowCount++;
      if (rows.length < NEW_ROWS_KEPT) rows.push(record);
    }
  };

  return {
    push(record) {
      // A unit separator between cells and a newline between records: no two tables hash alike.
      content.update(record.join('\u001f')).update('\n');
      if (!header) {
        header = record;
        index = column === undefined ? -1 : record.indexOf(column);
        return;
      }
      rowCount++;
      if (condition.kind === 'new_rows') {
        if (index >= 0) readKey(record);
        return;
      }
      if (index >= 0) readNumber(record);
      if (rows.length < SHOWN_ROWS) rows.push(record);
    },
    result() {
      const base: Measurement = {
        header: header ?? [],
        rowCount,
        fingerprint: content.copy().digest('hex'),
        nonNumeric,
        rows,
        newRowCount,
        keys: [...keys],
        keysCapped,
      };
      if (column !== undefined && index < 0) return { ...base, missingColumn: column };
      if (condition.kind !== 'column') return base;
      const value = reduce(condition.reducer, { first, sum, counted, min, max });
      return value === undefined ? base : { ...base, value };
    },
  };
}

function reduce(
  reducer: Extract<Condition, { kind: 'column' }>['reducer'],
  seen: { first?: number; sum: number; counted: number; min: number; max: number },
): number | undefined {
  if (reducer === 'first') return seen.first;
  if (seen.counted === 0) return undefined;
  switch (reducer) {
    case 'sum':
      return seen.sum;
    case 'mean':
      return seen.sum / seen.counted;
    case 'min':
      return seen.min;
    case 'max':
      return seen.max;
  }
}

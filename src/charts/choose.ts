// Which chart a result gets: the person's saved choice when its columns are there, otherwise
// the automatic one, picked from the column types the way a person would.
import { z } from 'zod';
import type { Aggregation, ColumnType } from './values.ts';

export const CHART_KINDS = ['line', 'bar', 'stacked_bar', 'area', 'scatter', 'big_number'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];
export const AGGREGATIONS = ['sum', 'mean', 'count', 'min', 'max'] as const;

/** What a person picked in the chart modal, by column name (remembered per query). */
export interface ChartChoice {
  kind: ChartKind;
  /** The x column; unused by a big number. */
  x?: string | undefined;
  y: string[];
  aggregation: Aggregation;
  title?: string | undefined;
}

/** At most this many lines (or stacks) in one chart, each with its legend entry. */
export const MAX_SERIES = 8;

/** The chart to draw, by column index, decided once the column types are known. */
export interface Plan {
  kind: ChartKind;
  x: number | undefined;
  xType: ColumnType;
  ys: number[];
  /** Long format (date, region, revenue): one series per value of this text column. */
  series: number | undefined;
  aggregation: Aggregation;
  /** Numeric columns left out beyond MAX_SERIES. */
  droppedColumns: number;
}

const indexesOf = (types: ColumnType[], type: ColumnType) =>
  types.flatMap((t, i) => (t === type ? [i] : []));

/**
 * The automatic choice: a time column and numbers → a line over time (one line per numeric
 * column, or per value of a text column); one text column and numbers → bars; a single numeric
 * cell → a big number; numbers only, the first as x → a line. Anything else: no chart.
 */
export function chooseAuto(types: ColumnType[], rows: number): Plan | undefined {
  const numbers = indexesOf(types, 'number');
  const times = indexesOf(types, 'time');
  const texts = indexesOf(types, 'text');
  const base = { aggregation: 'sum' as const, droppedColumns: 0 };
  if (rows === 1 && types.length === 1 && numbers.length === 1) {
    return {
      ...base,
      kind: 'big_number',
      x: undefined,
      xType: 'empty',
      ys: numbers,
      series: undefined,
    };
  }
  if (rows === 0 || numbers.length === 0) return undefined;
  const [time] = times;
  if (time !== undefined) {
    if (texts.length === 1) {
      return {
        ...base,
        kind: 'line',
        x: time,
        xType: 'time',
        ys: numbers.slice(0, 1),
        series: texts[0],
      };
    }
    if (texts.length > 1) return undefined;
    return {
      ...base,
      kind: 'line',
      x: time,
      xType: 'time',
      ys: numbers.slice(0, MAX_SERIES),
      series: undefined,
      droppedColumns: Math.max(0, numbers.length - MAX_SERIES),
    };
  }
  if (texts.length === 1) {
    return {
      ...base,
      kind: 'bar',
      x: texts[0],
      xType: 'text',
      ys: numbers.slice(0, 1),
      series: undefined,
    };
  }
  if (texts.length === 0 && numbers.length >= 2 && numbers[0] === 0 && rows > 1) {
    const ys = numbers.slice(1, 1 + MAX_SERIES);
    return {
      ...base,
      kind: 'line',
      x: 0,
      xType: 'number',
      ys,
      series: undefined,
      droppedColumns: Math.max(0, numbers.length - 1 - ys.length),
    };
  }
  return undefined;
}

/**
 * A saved choice applied to this result's columns; undefined when a column it names is gone or
 * is not a number where one is needed (the automatic choice is used then).
 */
export function planFromChoice(
  choice: ChartChoice,
  header: string[],
  types: ColumnType[],
): Plan | undefined {
  const find = (name: string | undefined) => {
    if (name === undefined) return -1;
    const exact = header.indexOf(name);
    return exact >= 0 ? exact : header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
  };
  const ys = choice.y.map(find);
  if (ys.length === 0 || ys.some((i) => i < 0)) return undefined;
  if (choice.aggregation !== 'count' && ys.some((i) => types[i] !== 'number')) return undefined;
  const base = {
    aggregation: choice.aggregation,
    series: undefined,
    ys: ys.slice(0, MAX_SERIES),
    droppedColumns: Math.max(0, ys.length - MAX_SERIES),
  };
  if (choice.kind === 'big_number') {
    return {
      ...base,
      kind: 'big_number',
      x: undefined,
      xType: 'empty',
      ys: ys.slice(0, 1),
      droppedColumns: 0,
    };
  }
  const x = find(choice.x);
  if (x < 0) return undefined;
  const xType = types[x] ?? 'empty';
  if (xType === 'empty') return undefined;
  if (choice.kind === 'scatter' && xType === 'text') return undefined;
  return { ...base, kind: choice.kind, x, xType };
}

const CHOICE = z.object({
  kind: z.enum(CHART_KINDS),
  x: z.string().max(500).optional(),
  y: z.array(z.string().max(500)).min(1).max(MAX_SERIES),
  aggregation: z.enum(AGGREGATIONS),
  title: z.string().max(200).optional(),
});

/** A stored choice, if it still has the shape of one (else the automatic choice is used). */
export function parseChoice(value: unknown): ChartChoice | undefined {
  const parsed = CHOICE.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

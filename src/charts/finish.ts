// The end of the chart's pass: from what the accumulator kept to what the chart draws. The
// series by size (at most MAX_SERIES), the top categories with the rest as Other, x in order.
import type { ChartData, Point } from './accumulate.ts';
import { MAX_SERIES, type Plan } from './choose.ts';
import { type Cell, cellValue, mergeCell, newCell } from './values.ts';

/** Bars shown before the one "Other" bar that sums the rest. */
export const TOP_CATEGORIES = 20;
export const OTHER = 'Other';

type XKey = number | string;

export interface Collected {
  groups: Map<XKey, Map<string, Cell>>;
  folded: Map<string, Cell>;
  foldedKeys: number;
  reservoir: Point[];
  seenForSample: number;
  big: Cell;
  facts: {
    rows: number;
    skipped: number;
    dateOnly: boolean;
    instants: boolean;
    combined: boolean;
    bucket: string | undefined;
  };
}

export function finishPlan(plan: Plan, header: string[], c: Collected): ChartData | undefined {
  const { facts } = c;
  const yLabels = plan.ys.map((i) => header[i] ?? '');
  const xLabel = plan.x === undefined ? undefined : header[plan.x];
  const xType =
    plan.xType === 'time' ? 'temporal' : plan.xType === 'number' ? 'quantitative' : 'nominal';
  const base = {
    kind: plan.kind,
    xLabel,
    xType,
    yLabels,
    seriesLabel: plan.series === undefined ? undefined : header[plan.series],
    aggregation: plan.aggregation,
    dateOnly: plan.xType === 'time' && facts.dateOnly,
    instants: facts.instants,
    rows: facts.rows,
    combined: facts.combined,
    bucket: facts.bucket,
    skipped: facts.skipped,
    sampled: undefined,
    folded: undefined,
    droppedSeries: plan.droppedColumns,
    big: undefined,
  } satisfies Partial<ChartData>;
  if (plan.kind === 'big_number') {
    if (c.big.count === 0) return undefined;
    return {
      ...base,
      series: [],
      points: [],
      combined: c.big.count > 1,
      big: { value: cellValue(c.big, plan.aggregation), label: yLabels[0] ?? '' },
    };
  }
  if (plan.kind === 'scatter') {
    if (c.reservoir.length === 0) return undefined;
    const series = [...new Set(c.reservoir.map((p) => p.s))];
    return {
      ...base,
      series,
      points: c.reservoir,
      sampled:
        c.seenForSample > c.reservoir.length
          ? { kept: c.reservoir.length, of: c.seenForSample }
          : undefined,
    };
  }
  // Series by size; at most MAX_SERIES kept.
  const totals = new Map<string, Cell>();
  for (const bySeries of c.groups.values()) {
    for (const [s, cell] of bySeries) {
      const t = totals.get(s) ?? newCell();
      mergeCell(t, cell);
      totals.set(s, t);
    }
  }
  let series = [...totals.keys()];
  if (plan.series !== undefined) {
    series.sort(
      (a, b) =>
        Math.abs(cellValue(totals.get(b) as Cell, plan.aggregation)) -
        Math.abs(cellValue(totals.get(a) as Cell, plan.aggregation)),
    );
  } else series = yLabels.filter((y) => totals.has(y));
  const droppedSeries = base.droppedSeries + Math.max(0, series.length - MAX_SERIES);
  series = series.slice(0, MAX_SERIES);
  if (series.length === 0) return undefined;
  const kept = new Set(series);
  let entries = [...c.groups];
  let folded: ChartData['folded'];
  const isBar = plan.kind === 'bar' || plan.kind === 'stacked_bar';
  if (isBar && plan.xType === 'text') {
    const total = (m: Map<string, Cell>) => {
      let w = 0;
      for (const [s, cell] of m) if (kept.has(s)) w += cellValue(cell, plan.aggregation);
      return w;
    };
    entries.sort((a, b) => total(b[1]) - total(a[1]));
    const all = entries.length + c.foldedKeys;
    if (all > TOP_CATEGORIES) {
      const other = new Map(c.folded);
      for (const [, bySeries] of entries.slice(TOP_CATEGORIES)) {
        for (const [s, cell] of bySeries) {
          const t = other.get(s) ?? newCell();
          mergeCell(t, cell);
          other.set(s, t);
        }
      }
      entries = [...entries.slice(0, TOP_CATEGORIES), [OTHER, other]];
      folded = { folded: all - TOP_CATEGORIES, of: all };
    }
  } else if (plan.xType !== 'text') {
    entries.sort((a, b) => (a[0] as number) - (b[0] as number));
  }
  const points: Point[] = [];
  for (const [x, bySeries] of entries) {
    for (const s of series) {
      const cell = bySeries.get(s);
      if (cell) points.push({ x, s, y: cellValue(cell, plan.aggregation) });
    }
  }
  return { ...base, series, points, folded, droppedSeries };
}

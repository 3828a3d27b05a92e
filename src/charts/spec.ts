// The Vega-Lite spec of a chart, as plain data: golden tests compare it, the renderer draws it.
import type { ChartData, Point } from './accumulate.ts';
import { clipText, list, number, wallTime } from './format.ts';
import { chartNotes, type ResultFacts } from './notes.ts';
import { BACKGROUND, FONT, GRID, MUTED_TEXT, PALETTE, TEXT } from './palette.ts';

export type VegaLiteSpec = Record<string, unknown>;

export interface SpecContext extends ResultFacts {
  /** The query's title, or the one chosen in the chart modal. */
  title: string;
}

/** The plot's size in px; with axes and legend the picture is ~1,000 px wide, drawn at 1,200. */
export const PLOT_WIDTH = 880;
export const PLOT_HEIGHT = 440;
/** Lines with this few points get a dot on each. */
const DOTS_UP_TO = 60;
/** A few bars still make a picture of some height. */
const MIN_BARS_HEIGHT = 260;

const CONFIG = {
  font: FONT,
  background: BACKGROUND,
  padding: 16,
  view: { stroke: null },
  title: {
    color: TEXT,
    fontSize: 20,
    subtitleColor: MUTED_TEXT,
    subtitleFontSize: 13,
    anchor: 'start',
  },
  axis: {
    labelColor: TEXT,
    titleColor: TEXT,
    labelFontSize: 12,
    titleFontSize: 13,
    gridColor: GRID,
    domainColor: MUTED_TEXT,
    tickColor: MUTED_TEXT,
    labelLimit: 220,
  },
  legend: {
    labelColor: TEXT,
    titleColor: TEXT,
    labelFontSize: 12,
    titleFontSize: 12,
    labelLimit: 220,
  },
};

const KIND_WORD = {
  line: 'by',
  area: 'by',
  bar: 'by',
  stacked_bar: 'by',
  scatter: 'against',
  big_number: '',
};

/** "revenue by day", "cost and revenue by region", "count of orders by region". */
export function describeMeasure(data: ChartData): string {
  const ys = list(data.yLabels);
  const measure = data.aggregation === 'count' ? `count of ${ys}` : ys;
  if (data.kind === 'big_number' || !data.xLabel) return measure;
  return `${measure} ${KIND_WORD[data.kind]} ${data.xLabel}${data.seriesLabel ? ` and ${data.seriesLabel}` : ''}`;
}

export function buildSpec(data: ChartData, ctx: SpecContext): VegaLiteSpec {
  const notes = chartNotes(data, ctx);
  const title = {
    text: clipText(ctx.title, 90),
    subtitle: clipText(describeMeasure(data), 120),
  };
  const view = data.kind === 'big_number' ? bigNumberView(data) : chartView(data);
  const footnote = notes.length
    ? {
        title: {
          text: notes.map((n) => clipText(n, 140)),
          orient: 'bottom',
          anchor: 'start',
          fontSize: 11,
          fontWeight: 'normal',
          color: MUTED_TEXT,
          offset: 16,
        },
      }
    : {};
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: CONFIG,
    vconcat: [{ ...view, ...footnote }],
  };
}

function yTitle(data: ChartData): string {
  const ys = data.yLabels.length > 1 ? 'value' : (data.yLabels[0] ?? 'value');
  return data.aggregation === 'count'
    ? `count of ${ys}`
    : data.combined || data.bucket
      ? `${ys} (${data.aggregation})`
      : ys;
}

function colour(data: ChartData) {
  if (data.series.length <= 1) return undefined;
  return {
    field: 's',
    type: 'nominal',
    title: data.seriesLabel ?? null,
    sort: data.series,
    scale: { domain: data.series, range: PALETTE.slice(0, data.series.length) },
    legend: { orient: 'top', direction: 'horizontal' },
  };
}

function values(data: ChartData, label?: (p: Point) => string) {
  return data.points.map((p) =>
    label ? { x: p.x, s: p.s, y: p.y, label: label(p) } : { x: p.x, s: p.s, y: p.y },
  );
}

function xEncoding(data: ChartData) {
  const title = data.xLabel ?? null;
  if (data.xType === 'temporal') {
    return {
      field: 'x',
      type: 'temporal',
      title,
      scale: { type: 'utc' },
      // A utc scale formats in UTC, and x holds wall-clock times in the zone as if UTC.
      axis: { format: data.dateOnly ? '%-d %b %Y' : '%-d %b %H:%M', labelOverlap: true },
    };
  }
  if (data.xType === 'quantitative')
    return {
      field: 'x',
      type: 'quantitative',
      title,
      axis: { format: ',~f' },
      scale: { zero: false },
    };
  return { field: 'x', type: 'ordinal', title, sort: null, axis: { labelAngle: -40 } };
}

function chartView(data: ChartData): VegaLiteSpec {
  const color = colour(data);
  const single = { color: PALETTE[0] };
  const y = { field: 'y', type: 'quantitative', title: yTitle(data), axis: { format: ',~f' } };
  const base = { width: PLOT_WIDTH, height: PLOT_HEIGHT };
  switch (data.kind) {
    case 'line':
    case 'area': {
      const dots = data.points.length / Math.max(1, data.series.length) <= DOTS_UP_TO;
      const mark =
        data.kind === 'line'
          ? {
              type: 'line',
              strokeWidth: 2.5,
              point: dots ? { filled: true, size: 40 } : false,
              ...(color ? {} : single),
            }
          : { type: 'area', opacity: 0.9, line: true, ...(color ? {} : single) };
      return {
        ...base,
        data: { values: values(data) },
        mark,
        encoding: {
          x: xEncoding(data),
          y: data.kind === 'area' && color ? { ...y, stack: 'zero' } : y,
          ...(color ? { color } : {}),
        },
      };
    }
    case 'bar':
    case 'stacked_bar': {
      const stacked = data.kind === 'stacked_bar' && color;
      const bars =
        color && !stacked ? { xOffset: { field: 's', type: 'nominal', sort: data.series } } : {};
      if (data.xType === 'nominal') {
        // Categories down the side (long names stay readable), largest first, Other last.
        const order = [...new Set(data.points.map((p) => String(p.x)))];
        return {
          width: PLOT_WIDTH,
          height: Math.max(
            MIN_BARS_HEIGHT,
            order.length * (color && !stacked ? 8 * data.series.length + 8 : 26),
          ),
          data: { values: values(data) },
          mark: { type: 'bar', ...(color ? {} : single) },
          encoding: {
            y: { field: 'x', type: 'nominal', title: data.xLabel ?? null, sort: order },
            x: y,
            ...(color ? { color } : {}),
            ...(color && !stacked
              ? { yOffset: { field: 's', type: 'nominal', sort: data.series } }
              : {}),
          },
        };
      }
      const label = (p: Point) =>
        data.xType === 'temporal'
          ? wallTime(p.x as number, !data.dateOnly, data.bucket)
          : number(p.x as number);
      return {
        ...base,
        data: { values: values(data, label) },
        mark: { type: 'bar', ...(color ? {} : single) },
        encoding: {
          x: {
            field: 'label',
            type: 'ordinal',
            title: data.xLabel ?? null,
            sort: null,
            axis: { labelAngle: -40 },
          },
          y,
          ...(color ? { color } : {}),
          ...bars,
        },
      };
    }
    case 'scatter':
      return {
        ...base,
        data: { values: values(data) },
        mark: { type: 'point', filled: true, size: 36, opacity: 0.75, ...(color ? {} : single) },
        encoding: {
          x: xEncoding(data),
          y: { ...y, scale: { zero: false } },
          ...(color
            ? { color, shape: { field: 's', type: 'nominal', sort: data.series, legend: null } }
            : {}),
        },
      };
    case 'big_number':
      return bigNumberView(data);
  }
}

function bigNumberView(data: ChartData): VegaLiteSpec {
  const big = data.big ?? { value: 0, label: '' };
  return {
    width: 600,
    height: 220,
    data: { values: [{ value: number(big.value), label: clipText(yTitle(data), 60) }] },
    layer: [
      {
        mark: {
          type: 'text',
          fontSize: 96,
          fontWeight: 'bold',
          color: PALETTE[0],
          baseline: 'middle',
          align: 'center',
        },
        encoding: { text: { field: 'value' }, x: { value: 300 }, y: { value: 90 } },
      },
      {
        mark: { type: 'text', fontSize: 22, color: TEXT, baseline: 'middle', align: 'center' },
        encoding: { text: { field: 'label' }, x: { value: 300 }, y: { value: 190 } },
      },
    ],
  };
}

// The alt text of a chart, for screen readers and for Slack's file preview: what kind of chart,
// of what, over which range, its extreme, and the footnote ("Line chart of revenue by day,
// 1–30 Nov 2024, max 12,400 on 14 Nov 2024").
import type { ChartData, Point } from './accumulate.ts';
import { clipText, count, list, number, wallRange, wallTime } from './format.ts';
import { chartNotes, type ResultFacts } from './notes.ts';
import { describeMeasure } from './spec.ts';

/** Slack's limit for a file's alt text (files.getUploadURLExternal `alt_txt`). */
export const ALT_TEXT_MAX = 1_000;

const KIND_NAME = {
  line: 'Line chart',
  area: 'Area chart',
  bar: 'Bar chart',
  stacked_bar: 'Stacked bar chart',
  scatter: 'Scatter plot',
  big_number: 'Big number',
};

export function altText(data: ChartData, facts: ResultFacts): string {
  const parts: string[] = [];
  if (data.kind === 'big_number') {
    parts.push(`Big number: ${describeMeasure(data)} is ${number(data.big?.value ?? 0)}`);
  } else {
    parts.push(`${KIND_NAME[data.kind]} of ${describeMeasure(data)}`);
    if (data.series.length > 1)
      parts.push(`${data.series.length} series: ${list(data.series.map((s) => clipText(s, 40)))}`);
    const xs = data.points.map((p) => p.x);
    const at = (p: Point) => xText(data, p);
    if (data.xType === 'temporal' && xs.length > 0) {
      const nums = xs as number[];
      parts.push(wallRange(Math.min(...nums), Math.max(...nums), !data.dateOnly, data.bucket));
    } else if (data.xType === 'quantitative' && xs.length > 0) {
      const nums = xs as number[];
      parts.push(
        `${data.xLabel} from ${number(Math.min(...nums))} to ${number(Math.max(...nums))}`,
      );
    } else if (data.xType === 'nominal') {
      parts.push(
        `${count(new Set(xs).size)} ${new Set(xs).size === 1 ? 'category' : 'categories'}`,
      );
    }
    const top = maxPoint(data.points);
    const low = minPoint(data.points);
    if (top && data.kind !== 'scatter') {
      const where =
        data.xType === 'nominal'
          ? `largest ${at(top)} ${number(top.y)}`
          : `max ${number(top.y)} on ${at(top)}`;
      parts.push(data.series.length > 1 ? `${where} (${clipText(top.s, 40)})` : where);
      if (data.xType === 'nominal' && low && low !== top)
        parts.push(`smallest ${at(low)} ${number(low.y)}`);
    }
  }
  const notes = chartNotes(data, facts);
  const text = `${parts.join(', ')}.${notes.length ? ` ${notes.join('. ')}.` : ''}`;
  return clipText(text, ALT_TEXT_MAX);
}

function xText(data: ChartData, p: Point): string {
  if (data.xType === 'temporal') return wallTime(p.x as number, !data.dateOnly, data.bucket);
  if (data.xType === 'quantitative') return number(p.x as number);
  return clipText(String(p.x), 60);
}

const maxPoint = (points: Point[]) =>
  points.reduce<Point | undefined>((a, p) => (!a || p.y > a.y ? p : a), undefined);
const minPoint = (points: Point[]) =>
  points.reduce<Point | undefined>((a, p) => (!a || p.y < a.y ? p : a), undefined);

// One stored result drawn once: a digest posted to several channels, the same result shared
// twice in a minute, or (issue 18) one digest's personal copies all chart the same bytes in the
// same zone with the same choice, and so the same picture. The first tap for a key draws it on
// the CPU pool; taps that come while it draws, or within `ttlMs` after, get its file instead of
// queueing another render. Every tap still downloads the result as its own reader: a chart is
// only ever shared beside a CSV that reader was allowed to read.
import { PassThrough } from 'node:stream';
import type { ExtraFile } from '../slack/upload.ts';
import type { Chart } from './chart.ts';
import type { ChartTap } from './service.ts';

export interface ChartMemo {
  /**
   * A tap for `key`: `draw()`'s own when nothing is remembered for it (undefined when it cannot
   * draw), else one that passes the bytes through and shares the remembered chart.
   */
  tap(key: string, draw: () => ChartTap | undefined): ChartTap | undefined;
}

export interface ChartMemoOptions {
  /** Charts kept at most (a PNG is tens of kilobytes). */
  max?: number;
  ttlMs?: number;
  /** How long a reusing tap waits for the drawing tap's chart before going without. */
  waitMs?: number;
  now?: () => number;
}

interface Entry {
  files: Promise<ExtraFile[]>;
  chart: Promise<Chart | undefined>;
  /** When the chart was drawn; undefined while it draws. */
  at: number | undefined;
  started: number;
}

export function createChartMemo(options: ChartMemoOptions = {}): ChartMemo {
  const { max = 64, ttlMs = 10 * 60_000, waitMs = 20_000, now = Date.now } = options;
  const entries = new Map<string, Entry>();

  const fresh = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    // Drawn too long ago, or its drawing share never asked for the file (its upload failed).
    const stale =
      entry.at === undefined ? now() - entry.started > waitMs : now() - entry.at > ttlMs;
    if (!stale) return entry;
    entries.delete(key);
    return undefined;
  };

  const remember = (key: string, entry: Entry) => {
    entries.set(key, entry);
    // Oldest first: Map keeps insertion order.
    for (const oldest of entries.keys()) {
      if (entries.size <= max) break;
      entries.delete(oldest);
    }
  };

  const reuse = (entry: Entry): ChartTap => {
    const within = <T>(p: Promise<T>, fallback: T) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<T>((resolve) => {
        timer = setTimeout(() => resolve(fallback), waitMs);
      });
      return Promise.race([p, late]).finally(() => clearTimeout(timer));
    };
    return {
      transform: new PassThrough(),
      files: () => within(entry.files, []),
      chart: () => within(entry.chart, undefined),
    };
  };

  return {
    tap(key, draw) {
      const known = fresh(key);
      if (known) return reuse(known);
      const own = draw();
      if (!own) return undefined;
      let settleFiles: (files: ExtraFile[]) => void = () => {};
      let settleChart: (chart: Chart | undefined) => void = () => {};
      const entry: Entry = {
        files: new Promise((resolve) => {
          settleFiles = resolve;
        }),
        chart: new Promise((resolve) => {
          settleChart = resolve;
        }),
        at: undefined,
        started: now(),
      };
      let settled = false;
      const settle = (files: ExtraFile[], chart: Chart | undefined) => {
        if (settled) return;
        settled = true;
        settleFiles(files);
        settleChart(chart);
        // Nothing drawn (the data suits no chart, or it fell behind): the next tap tries anew.
        if (files.length === 0) {
          if (entries.get(key) === entry) entries.delete(key);
        } else entry.at = now();
      };
      remember(key, entry);
      return {
        transform: own.transform,
        async files() {
          const files = await own.files().catch(() => []);
          settle(files, files.length ? await own.chart() : undefined);
          return files;
        },
        async chart() {
          const chart = await own.chart();
          // Asked before (or instead of) the file: its share failed, so others go without.
          settle([], undefined);
          return chart;
        },
      };
    },
  };
}

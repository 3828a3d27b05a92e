// Charts for shared results, from the main thread's side: open a chart stream on the CPU pool,
// tap a result's bytes into it on their way to Slack, and get the PNG as a file to share with
// the CSV. A chart that cannot be made is left out, never a failed share.
import { Transform } from 'node:stream';
import type { CpuPool } from '../cpu/pool.ts';
import { streamTaskRef, taskRef } from '../cpu/task.ts';
import type { Logger } from '../log.ts';
import type { ExtraFile } from '../slack/upload.ts';
import type { ChartChoiceStore } from '../store/chart-choices.ts';
import type { Owner } from '../store/credentials.ts';
import { escapeWithin } from '../views/blocks.ts';
import { ALT_TEXT_MAX } from './alt-text.ts';
import type { Chart, ChartRequest } from './chart.ts';
import { parseChoice } from './choose.ts';
import { type ChartMemo, createChartMemo } from './memo.ts';
import { prefiltered } from './prefilter.ts';

const WARM_TASK = taskRef<typeof import('./warm-task.ts').default>(
  new URL('./warm-task.ts', import.meta.url),
);

const CHART_TASK = streamTaskRef<typeof import('./chart-task.ts').default>(
  new URL('./chart-task.ts', import.meta.url),
);

/** Bytes in, a chart (or none) out. */
export interface ChartStream {
  write(chunk: Uint8Array): Promise<void>;
  end(): Promise<Chart | undefined>;
  abort(reason?: unknown): void;
}

export interface Charts {
  /** Undefined when the pool cannot take one more (the result is shared without a chart). */
  open(request: ChartRequest): ChartStream | undefined;
  /** Loads the renderer on a pool thread ahead of the first chart; never throws. */
  warm(): Promise<void>;
  /** Reuses the chart of an identical request drawn moments ago, or draws it (see memo.ts). */
  remembered: ChartMemo['tap'];
}

export function createCharts(pool: CpuPool, log: Logger): Charts {
  const memo = createChartMemo();
  return {
    remembered: memo.tap,
    open(request) {
      const start = () => {
        try {
          return pool.open(CHART_TASK, request) as ChartStream;
        } catch (error) {
          log.warn({ err: error }, 'no chart: the CPU pool is busy');
          return undefined;
        }
      };
      return prefiltered(request.choice, start);
    },
    async warm() {
      await pool.run(WARM_TASK, {}).catch((err: unknown) => {
        log.warn({ err }, 'could not load the chart renderer ahead of time');
      });
    },
  };
}

/** A result's bytes pass through unchanged; a copy of each goes to the chart. */
export interface ChartTap {
  transform: Transform;
  /** The chart as a PNG file to share with the CSV; empty when there is none. */
  files(): Promise<ExtraFile[]>;
  /** The chart itself, for callers that want to say what it shows. */
  chart(): Promise<Chart | undefined>;
}

/** How long, in all, a chart may hold a result's bytes back before it is dropped. */
export const CHART_STALL_MS = 2_000;
/** How long a share waits for its chart once the CSV is uploaded. */
export const CHART_FINISH_MS = 20_000;

export function chartTap(
  stream: ChartStream,
  filename: string,
  title: string,
  log: Logger,
  stallMs = CHART_STALL_MS,
  finishMs = CHART_FINISH_MS,
): ChartTap {
  let ended: Promise<Chart | undefined> | undefined;
  let failed = false;
  let gaveUp = false;
  let stalled = 0;
  let settled = false;
  const finish = () => {
    ended ??= stream
      .end()
      .catch((error: unknown) => {
        if (!failed) log.warn({ err: error }, 'no chart: rendering failed');
        return undefined;
      })
      .finally(() => {
        settled = true;
      });
    return ended;
  };
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (gaveUp) {
        done(null, chunk);
        return;
      }
      // The pool copies the chunk; its promise is the thread's backpressure. A chart that keeps
      // the CSV waiting longer than `stallMs` in all is dropped: the share must not wait on it.
      const asked = performance.now();
      let passed = false;
      const pass = () => {
        if (passed) return;
        passed = true;
        clearTimeout(timer);
        stalled += performance.now() - asked;
        if (stalled > stallMs && !gaveUp) {
          gaveUp = true;
          failed = true;
          log.warn({ stalledMs: Math.round(stalled) }, 'no chart: it fell behind the result');
          stream.abort(new Error('the chart fell behind the result'));
        }
        done(null, chunk);
      };
      const timer = setTimeout(pass, Math.max(0, stallMs - stalled) + 1);
      stream.write(chunk).then(pass, pass);
    },
    flush(done) {
      if (!gaveUp) void finish();
      done();
    },
  });
  transform.on('error', (error) => {
    failed = true;
    stream.abort(error);
  });
  const chart = () => {
    if (ended) return ended;
    if (gaveUp) return Promise.resolve(undefined);
    if (transform.writableFinished) return finish();
    // The result never reached its end: free the chart's place on the pool.
    failed = true;
    stream.abort(new Error('the result stream did not finish'));
    return Promise.resolve(undefined);
  };
  return {
    transform,
    chart,
    async files() {
      // The CSV is uploaded and its message waits on the chart: at most `finishMs` more.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => {
          if (!ended || settled) return resolve(undefined);
          failed = true;
          log.warn({ waitedMs: finishMs }, 'no chart: it was not ready when the result was');
          stream.abort(new Error('the chart was not ready in time'));
          resolve(undefined);
        }, finishMs);
      });
      const made = await Promise.race([chart(), late]);
      clearTimeout(timer);
      if (!made) return [];
      // Slack escaping as everywhere: column names and cells can hold `<!here>`.
      return [
        { filename, title, bytes: made.png, altText: escapeWithin(made.altText, ALT_TEXT_MAX) },
      ];
    },
  };
}

/** "daily-revenue-q42-r7.png" beside "daily-revenue-q42-r7.csv". */
export const chartFileName = (csvName: string): string => `${csvName.replace(/\.csv$/i, '')}.png`;

export interface ChartSource {
  charts: Charts;
  chartChoices: ChartChoiceStore;
}

/**
 * The chart tap for sharing one query's result as `owner`: their saved choice for the query if
 * any, else the automatic one. Undefined when no chart can be made now (the pool is full).
 */
export async function queryChartTap(
  source: ChartSource,
  input: {
    owner: Owner;
    queryId: number;
    /** The stored result drawn; with it, an identical chart drawn moments ago is reused. */
    resultId?: number;
    csvName: string;
    log: Logger;
  } & Omit<ChartRequest, 'choice'>,
): Promise<ChartTap | undefined> {
  const { owner, queryId, resultId, csvName, log, ...request } = input;
  const choice = parseChoice(await source.chartChoices.get(owner, queryId).catch(() => undefined));
  const draw = () => {
    const stream = source.charts.open({ ...request, choice });
    return stream && chartTap(stream, chartFileName(csvName), `${request.title} (chart)`, log);
  };
  if (resultId === undefined) return draw();
  // Everything the picture and its file are made of: the same key draws the same chart.
  const key = JSON.stringify([queryId, resultId, csvName, choice ?? null, request]);
  return source.charts.remembered(key, draw);
}

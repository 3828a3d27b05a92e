// One chart from one CSV, fed as its bytes arrive: parse → accumulate → spec → PNG. This runs
// in the chart worker (worker.ts); nothing here touches Slack or the network.
import { type ChartData, createAccumulator } from './accumulate.ts';
import { altText } from './alt-text.ts';
import type { ChartChoice, ChartKind } from './choose.ts';
import { createRecordSplitter } from './csv-records.ts';
import { renderPng } from './render.ts';
import { buildSpec } from './spec.ts';

export interface ChartRequest {
  /** The person's saved choice for this query, if any. */
  choice?: ChartChoice | undefined;
  /** The reader's (or the digest's) IANA zone. */
  zone: string | undefined;
  /** The query's title; a saved choice's title wins. */
  title: string;
  truncated: boolean;
  rowCount: number | undefined;
}

export interface Chart {
  kind: ChartKind;
  png: Buffer;
  width: number;
  height: number;
  altText: string;
}

export interface ChartFeed {
  write(chunk: Uint8Array): void;
  /** The chart, or undefined when the result suits none (or is not a readable CSV). */
  end(): Promise<Chart | undefined>;
}

/** Parses as it is fed and keeps only the accumulator's bounded state. */
export function createChartFeed(request: ChartRequest): ChartFeed {
  const accumulator = createAccumulator({ choice: request.choice, zone: request.zone });
  let failed = false;
  const splitter = createRecordSplitter((record) => accumulator.record(record));
  return {
    write(chunk) {
      if (failed) return;
      try {
        splitter.write(chunk);
      } catch {
        // A record too long to be chart data: no chart, and no more parsing.
        failed = true;
      }
    },
    async end() {
      if (failed) return undefined;
      splitter.end();
      const data = accumulator.finish();
      return data ? drawChart(data, request) : undefined;
    },
  };
}

export async function drawChart(data: ChartData, request: ChartRequest): Promise<Chart> {
  const facts = { truncated: request.truncated, rowCount: request.rowCount, zone: request.zone };
  const title = request.choice?.title?.trim() || request.title;
  const rendered = await renderPng(buildSpec(data, { ...facts, title }));
  return { kind: data.kind, ...rendered, altText: altText(data, facts) };
}

// One chart from one CSV, fed as its bytes arrive: parse → accumulate → spec → PNG. This runs
// in the chart worker (worker.ts); nothing here touches Slack or the network.
import { parse } from 'csv-parse';
import { type ChartData, createAccumulator } from './accumulate.ts';
import { altText } from './alt-text.ts';
import type { ChartChoice, ChartKind } from './choose.ts';
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
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
  });
  parser.on('readable', () => {
    for (let record = parser.read(); record !== null; record = parser.read()) {
      accumulator.record(record as string[]);
    }
  });
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', () => {
      failed = true;
      resolve();
    });
  });
  return {
    write(chunk) {
      if (!failed) parser.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    },
    async end() {
      parser.end();
      await ended;
      if (failed) return undefined;
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

// Alerts' measurements as a CPU-pool stream task: a result's bytes arrive on a pool thread once,
// each alert on it gets its own measurement (bounded), and only those come back, so a 16 MB
// result never parses on the event loop's thread nor downloads once per alert.

import { createRecordSplitter } from '../charts/csv-records.ts';
import { defineStreamTask } from '../cpu/task.ts';
import type { Condition } from './condition.ts';
import { createMeasurer, type Measurement } from './measure.ts';

export interface MeasureItem {
  condition: Condition;
  /** Hashed keys of the previous result (new-rows alerts), when there was one. */
  previousKeys?: string[];
}

export interface MeasureRequest {
  items: MeasureItem[];
}

/** One measurement per item, in order; undefined when the result does not parse as a table. */
export type MeasureOutput = Measurement[] | undefined;

export default defineStreamTask((request: MeasureRequest) => {
  const measurers = request.items.map((item) =>
    createMeasurer(item.condition, item.previousKeys ? new Set(item.previousKeys) : undefined),
  );
  let failed = false;
  const splitter = createRecordSplitter((record) => {
    for (const m of measurers) m.push(record);
  });
  return {
    write(chunk: Uint8Array) {
      if (failed) return;
      try {
        splitter.write(chunk);
      } catch {
        // A record over a megabyte: not a table an alert can read.
        failed = true;
      }
    },
    end(): MeasureOutput {
      if (failed) return undefined;
      splitter.end();
      return measurers.map((m) => m.result());
    },
  };
});

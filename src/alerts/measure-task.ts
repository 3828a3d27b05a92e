// An alert's measurement as a CPU-pool stream task: the result's bytes arrive on a pool thread
// and only the measurement (bounded) comes back, so a 16 MB result never parses on the event
// loop's thread.
import { defineStreamTask } from '../cpu/task.ts';
import { createCsvRecordSink } from '../results/csv-records.ts';
import type { Condition } from './condition.ts';
import { createMeasurer, type Measurement } from './measure.ts';

export interface MeasureRequest {
  condition: Condition;
  /** Hashed keys of the previous result (new-rows alerts), when there was one. */
  previousKeys?: string[];
}

/** undefined: the result is not a CSV that parses as a table. */
export type MeasureOutput = Measurement | undefined;

export default defineStreamTask((request: MeasureRequest) => {
  const measurer = createMeasurer(
    request.condition,
    request.previousKeys ? new Set(request.previousKeys) : undefined,
  );
  const sink = createCsvRecordSink((record) => measurer.push(record));
  return {
    write: (chunk: Uint8Array) => sink.write(chunk),
    async end(): Promise<MeasureOutput> {
      return (await sink.end()) ? measurer.result() : undefined;
    },
  };
});

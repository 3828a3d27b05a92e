// Most results are no chart (free text, several text columns). Their first bytes say so: the
// header and first rows, typed on the event loop's thread (~1 ms for 64 KB), decide whether a
// chart stream is opened on the CPU pool at all, so an unchartable share never waits for a
// thread to start or a chart to finish.
import { type ChartChoice, chooseAuto, planFromChoice } from './choose.ts';
import { createRecordSplitter } from './csv-records.ts';
import type { ChartStream } from './service.ts';
import { type ColumnTally, newTally, tallyCell, typeOf } from './values.ts';

/** Bytes looked at before deciding. */
export const PREFIX_BYTES = 64 * 1024;

/** Whether the first bytes of a CSV (all of it, when `complete`) could make a chart. */
export function mayChart(
  prefix: Buffer,
  complete: boolean,
  choice: ChartChoice | undefined,
): boolean {
  let header: string[] | undefined;
  let tallies: ColumnTally[] = [];
  let rows = 0;
  const splitter = createRecordSplitter((record) => {
    if (!header) {
      header = record.map((h) => h.trim());
      tallies = header.map(newTally);
      return;
    }
    rows++;
    for (let i = 0; i < tallies.length; i++) tallyCell(tallies[i] as ColumnTally, record[i]);
  });
  try {
    // A cut-off last record is left unparsed: it would type a column by half a cell.
    splitter.write(prefix);
    if (complete) splitter.end();
  } catch {
    return false;
  }
  if (!header) return !complete;
  const types = tallies.map(typeOf);
  // A cut prefix holds at least the rows seen; only a complete one can be a single cell.
  const seen = complete ? rows : Math.max(rows, 2);
  return (
    (choice && planFromChoice(choice, header, types)) !== undefined ||
    chooseAuto(types, seen) !== undefined
  );
}

/**
 * Holds a result's first bytes, and opens the pool's stream (`start`) only if the first
 * PREFIX_BYTES could make a chart; otherwise the chart is none, at once. Whatever the size of
 * the chunks that arrive (the relay's are 512 KB), only PREFIX_BYTES are typed here, and the
 * chunks are held as they are: the pool's stream makes the one copy the thread needs.
 */
export function prefiltered(
  choice: ChartChoice | undefined,
  start: () => ChartStream | undefined,
): ChartStream {
  const held: Buffer[] = [];
  let heldBytes = 0;
  let decided = false;
  let real: ChartStream | undefined;
  const decide = (complete: boolean) => {
    decided = true;
    const prefix = held.length === 1 ? (held[0] as Buffer) : Buffer.concat(held);
    held.length = 0;
    const head = prefix.subarray(0, PREFIX_BYTES);
    if (mayChart(head, complete && head.length === prefix.length, choice)) {
      real = start();
      if (real && prefix.length > 0) void real.write(prefix);
    }
  };
  return {
    async write(chunk) {
      if (!decided) {
        held.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        heldBytes += chunk.byteLength;
        if (heldBytes >= PREFIX_BYTES) decide(false);
        return;
      }
      await real?.write(chunk);
    },
    async end() {
      if (!decided) decide(true);
      return real ? real.end() : undefined;
    },
    abort(reason) {
      decided = true;
      held.length = 0;
      real?.abort(reason);
    },
  };
}

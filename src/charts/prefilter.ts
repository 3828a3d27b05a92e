// Most results are no chart (free text, several text columns). Their first bytes say so: the
// header and first rows, typed on the event loop's thread (~1 ms for 64 KB), decide whether a
// chart stream is opened on the CPU pool at all, so an unchartable share never waits for a
// thread to start or a chart to finish.
import { type ChartChoice, chooseAuto, planFromChoice } from './choose.ts';
import { createRecordSplitter } from './csv-records.ts';
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

// Every way the picture differs from the rows it came from, in words: the footnote in the
// image and the end of its alt text say the same.
import type { ChartData } from './accumulate.ts';
import { count, list } from './format.ts';

export interface ResultFacts {
  /** Alation kept only the first 16 MB of the result. */
  truncated: boolean;
  /** Rows the query returned, when known (a preview-only result keeps fewer). */
  rowCount: number | undefined;
  /** The zone x times are shown in. */
  zone: string | undefined;
}

const AGGREGATED = {
  sum: 'summed',
  mean: 'averaged',
  count: 'counted',
  min: 'minimum',
  max: 'maximum',
};

export function chartNotes(data: ChartData, facts: ResultFacts): string[] {
  const notes: string[] = [];
  if (facts.truncated) {
    notes.push(
      `Alation keeps only the first 16 MB of a result: drawn from its first ${count(data.rows)} rows`,
    );
  } else if (facts.rowCount !== undefined && facts.rowCount > data.rows) {
    notes.push(`First ${count(data.rows)} of ${count(facts.rowCount)} rows`);
  }
  if (data.bucket) {
    notes.push(`${count(data.rows)} rows ${AGGREGATED[data.aggregation]} per ${data.bucket}`);
  } else if (data.combined && data.kind !== 'big_number') {
    notes.push(`Rows with the same ${data.xLabel ?? 'x'} ${AGGREGATED[data.aggregation]}`);
  } else if (data.kind === 'big_number' && data.combined) {
    notes.push(`${count(data.rows)} rows ${AGGREGATED[data.aggregation]}`);
  }
  if (data.folded) {
    notes.push(
      `The ${count(data.folded.of - data.folded.folded)} largest of ${count(data.folded.of)} values of ${data.xLabel ?? 'x'}; the other ${count(data.folded.folded)} ${data.aggregation === 'sum' || data.aggregation === 'count' ? 'summed' : 'combined'} as Other`,
    );
  }
  if (data.sampled) {
    notes.push(
      `A random sample of ${count(data.sampled.kept)} of ${count(data.sampled.of)} points`,
    );
  }
  if (data.droppedSeries > 0) {
    notes.push(
      `The ${data.series.length} largest series shown; ${count(data.droppedSeries)} more left out`,
    );
  }
  if (data.skipped > 0) {
    notes.push(
      `${count(data.skipped)} ${data.skipped === 1 ? 'row' : 'rows'} without a usable ${list([data.xLabel, ...data.yLabels].filter((l): l is string => !!l))} left out`,
    );
  }
  if (data.instants && facts.zone) notes.push(`Times in ${facts.zone}`);
  return notes;
}

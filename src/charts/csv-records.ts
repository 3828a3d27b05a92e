// A streaming CSV record splitter for the chart path: RFC 4180 quoting ("" inside quotes, commas
// and line breaks in quoted fields), CRLF or LF, a leading BOM, blank lines skipped. The chart
// reads every byte of a 16 MB result, and csv-parse's general machinery took ~5× as long per
// byte (bench/chart.ts); the preview keeps csv-parse, which reads only its first rows.
import { StringDecoder } from 'node:string_decoder';

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
/** One record longer than this is not chart data (and would be re-scanned chunk after chunk). */
export const MAX_RECORD_CHARS = 1024 * 1024;

export class RecordTooLongError extends Error {
  constructor() {
    super(`a CSV record is longer than ${MAX_RECORD_CHARS} characters`);
    this.name = 'RecordTooLongError';
  }
}

export interface RecordSplitter {
  /** Throws RecordTooLongError past MAX_RECORD_CHARS in one record. */
  write(chunk: Uint8Array): void;
  /** The last record, if the input did not end with a line break. */
  end(): void;
}

export function createRecordSplitter(onRecord: (record: string[]) => void): RecordSplitter {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let first = true;

  /** Parses what `text` holds; returns where the unfinished record starts (or text.length). */
  const scan = (text: string, final: boolean): number => {
    let start = 0;
    let i = 0;
    const n = text.length;
    let fields: string[] = [];
    while (i <= n) {
      // At the start of a field.
      if (i < n && text.charCodeAt(i) === QUOTE) {
        let value = '';
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) {
            if (!final) return start;
            fields.push(value + text.slice(j));
            emit(fields);
            return n;
          }
          if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(j, q + 1);
            j = q + 2;
            continue;
          }
          if (q + 1 >= n && !final) return start;
          value += text.slice(j, q);
          j = q + 1;
          break;
        }
        // Anything between the closing quote and the delimiter is kept, as csv-parse's relax_quotes.
        let k = j;
        while (k < n) {
          const c = text.charCodeAt(k);
          if (c === COMMA || c === LF || c === CR) break;
          k++;
        }
        if (k > j) value += text.slice(j, k);
        fields.push(value);
        i = k;
      } else {
        let k = i;
        while (k < n) {
          const c = text.charCodeAt(k);
          if (c === COMMA || c === LF || c === CR) break;
          k++;
        }
        if (k >= n && !final) return start;
        fields.push(text.slice(i, k));
        i = k;
      }
      // After a field: a comma, a line break, or the end.
      if (i >= n) {
        if (final) emit(fields);
        return n;
      }
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        i++;
        if (i >= n && !final) return start;
        continue;
      }
      // A line break (CRLF counts once; a CR at the end of the text waits for its LF).
      if (c === CR) {
        if (i + 1 >= n && !final) return start;
        i += i + 1 < n && text.charCodeAt(i + 1) === LF ? 2 : 1;
      } else i++;
      emit(fields);
      fields = [];
      start = i;
      if (i >= n) return n;
    }
    return start;
  };

  const emit = (fields: string[]) => {
    // Blank lines are no records.
    if (fields.length === 1 && fields[0] === '') return;
    onRecord(fields);
  };

  const feed = (text: string, final: boolean) => {
    let all = pending + text;
    if (first && all.length > 0) {
      if (all.charCodeAt(0) === 0xfeff) all = all.slice(1);
      first = false;
    }
    const at = scan(all, final);
    pending = at < all.length ? all.slice(at) : '';
    if (pending.length > MAX_RECORD_CHARS) throw new RecordTooLongError();
  };

  return {
    write(chunk) {
      feed(decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)), false);
    },
    end() {
      feed(decoder.end(), true);
      pending = '';
    },
  };
}

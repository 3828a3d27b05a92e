// What a CSV cell means to a chart: a number, a point in time, or text. Pure and cheap: every
// cell of a 100k-row result may come through here.
import { tzOffset } from '@date-fns/tz';

export type ColumnType = 'time' | 'number' | 'text' | 'empty';

/** Cells databases write for "no value". */
const NULLS = new Set(['', 'null', 'NULL', 'None', 'NaN', 'nan', '\\N']);

export const isNull = (cell: string | undefined): boolean =>
  cell === undefined || NULLS.has(cell.trim());

const PLAIN_NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
/** "12,400" and "-1,234.5": thousands separated by commas, in groups of three. */
const GROUPED_NUMBER = /^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/** The cell as a finite number, or undefined. */
export function parseNumber(cell: string): number | undefined {
  const text = cell.trim();
  if (PLAIN_NUMBER.test(text)) {
    const n = Number(text);
    return Number.isFinite(n) ? n : undefined;
  }
  if (GROUPED_NUMBER.test(text)) return Number(text.replace(/,/g, ''));
  return undefined;
}

const TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

export interface ParsedTime {
  /** Milliseconds since the epoch, of the wall-clock time (as if it were UTC). */
  wall: number;
  /** True when the cell named an instant (it had an offset), so it was moved into the zone. */
  instant: boolean;
  /** True when the cell had no time of day. */
  dateOnly: boolean;
}

/**
 * An ISO-like date or timestamp as a wall-clock time in `zone`. A date, or a timestamp without
 * an offset, is shown as written (the database's own calendar); one with an offset is an instant,
 * shown as the clock reads then in the zone `offsets` is for.
 */
export function parseTime(cell: string, offsets: OffsetCache): ParsedTime | undefined {
  const m = TIME.exec(cell.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, offset] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const written = Date.UTC(
    Number(y),
    month - 1,
    day,
    Number(h ?? 0),
    Number(mi ?? 0),
    Number(s ?? 0),
    ms,
  );
  if (Number.isNaN(written)) return undefined;
  const dateOnly = h === undefined;
  if (!offset) return { wall: written, instant: false, dateOnly };
  const instant = written - offsetMinutes(offset) * 60_000;
  return { wall: instant + offsets.minutes(instant) * 60_000, instant: true, dateOnly };
}

function offsetMinutes(offset: string): number {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
}

/**
 * A zone's UTC offset, looked up once per day: a day whose start and end have the same offset
 * has it throughout (no zone changes twice in a day); only a day with a change is looked up
 * per quarter hour (zones change offset only on quarter hours). Intl lookups cost ~50 µs each.
 */
export interface OffsetCache {
  minutes(instant: number): number;
}

const DAY_MS = 86_400_000;
const QUARTER_MS = 900_000;

export function offsetCache(zone: string | undefined): OffsetCache {
  const days = new Map<number, number | Map<number, number>>();
  const lookup = (at: number) => {
    const minutes = zone ? tzOffset(zone, new Date(at)) : 0;
    return Number.isNaN(minutes) ? 0 : minutes;
  };
  return {
    minutes(instant) {
      if (!zone) return 0;
      const day = Math.floor(instant / DAY_MS);
      let known = days.get(day);
      if (known === undefined) {
        const start = lookup(day * DAY_MS);
        known = start === lookup((day + 1) * DAY_MS - 1) ? start : new Map<number, number>();
        if (days.size > 10_000) days.clear();
        days.set(day, known);
      }
      if (typeof known === 'number') return known;
      const quarter = Math.floor(instant / QUARTER_MS);
      let minutes = known.get(quarter);
      if (minutes === undefined) {
        minutes = lookup(quarter * QUARTER_MS);
        known.set(quarter, minutes);
      }
      return minutes;
    },
  };
}

/** Counts, per column, what its non-null cells parse as. */
export interface ColumnTally {
  filled: number;
  numbers: number;
  times: number;
}

export function newTally(): ColumnTally {
  return { filled: 0, numbers: 0, times: 0 };
}

export function tallyCell(tally: ColumnTally, cell: string | undefined): void {
  if (cell === undefined || isNull(cell)) return;
  tally.filled++;
  if (parseNumber(cell) !== undefined) tally.numbers++;
  // A bare year ("2024") is a number; a time needs at least a full date.
  else if (TIME.test(cell.trim())) tally.times++;
}

/** A column is a number (or time) column when every filled cell is one. */
export function typeOf(tally: ColumnTally): ColumnType {
  if (tally.filled === 0) return 'empty';
  if (tally.numbers === tally.filled) return 'number';
  if (tally.times === tally.filled) return 'time';
  return 'text';
}

/** The four running figures every aggregation can be read from, and merged. */
export interface Cell {
  sum: number;
  count: number;
  min: number;
  max: number;
}

export type Aggregation = 'sum' | 'mean' | 'count' | 'min' | 'max';

export const newCell = (): Cell => ({
  sum: 0,
  count: 0,
  min: Number.POSITIVE_INFINITY,
  max: Number.NEGATIVE_INFINITY,
});

export function addToCell(cell: Cell, value: number): void {
  cell.sum += value;
  cell.count++;
  if (value < cell.min) cell.min = value;
  if (value > cell.max) cell.max = value;
}

export function mergeCell(into: Cell, from: Cell): void {
  into.sum += from.sum;
  into.count += from.count;
  if (from.min < into.min) into.min = from.min;
  if (from.max > into.max) into.max = from.max;
}

export function cellValue(cell: Cell, aggregation: Aggregation): number {
  switch (aggregation) {
    case 'sum':
      return cell.sum;
    case 'mean':
      return cell.count === 0 ? 0 : cell.sum / cell.count;
    case 'count':
      return cell.count;
    case 'min':
      return cell.min;
    case 'max':
      return cell.max;
  }
}

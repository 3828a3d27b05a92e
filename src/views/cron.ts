// Alation schedules are 5-field cron expressions (minute hour day-of-month month day-of-week).
// People read "Every weekday at 09:00" faster than `0 9 * * 1-5`; anything this does not
// recognise falls back to the expression itself rather than guessing.
import { escapeMrkdwn } from './blocks.ts';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTH_NAMES = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
];

/** One cron field: every value, every n-th from a start, or explicit values (ranges expanded). */
type Field =
  | { kind: 'any' }
  | { kind: 'step'; step: number; from: number }
  | { kind: 'values'; values: number[] };

interface Range {
  min: number;
  max: number;
  /** Three-letter names for months and week days; their index + `min` is the number. */
  names?: readonly string[];
}

function atom(text: string, range: Range): number | undefined {
  const named = range.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + range.min;
  if (!/^\d{1,2}$/.test(text)) return undefined;
  const n = Number(text);
  // Cron allows 7 for Sunday as well as 0.
  if (range.names === DAY_NAMES && n === 7) return 0;
  return n >= range.min && n <= range.max ? n : undefined;
}

function parseField(text: string, range: Range): Field | undefined {
  if (text === '*' || text === '?') return { kind: 'any' };
  const step = /^(\*|\d{1,2})\/(\d{1,2})$/.exec(text);
  if (step) {
    const n = Number(step[2]);
    const from = step[1] === '*' ? range.min : atom(step[1] ?? '', range);
    if (n < 1 || from === undefined) return undefined;
    return n === 1 && from === range.min ? { kind: 'any' } : { kind: 'step', step: n, from };
  }
  const values: number[] = [];
  for (const part of text.split(',')) {
    const bounds = part.split('-');
    if (bounds.length > 2) return undefined;
    const lo = atom(bounds[0] ?? '', range);
    const hi = bounds.length === 2 ? atom(bounds[1] ?? '', range) : lo;
    if (lo === undefined || hi === undefined || hi < lo) return undefined;
    for (let v = lo; v <= hi; v++) if (!values.includes(v)) values.push(v);
  }
  return { kind: 'values', values: values.sort((a, b) => a - b) };
}

const two = (n: number) => String(n).padStart(2, '0');

function and(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** Consecutive values (3+) read as a range: Monday to Friday. */
function rangeOrList(values: number[], name: (n: number) => string): string {
  const consecutive = values.every((v, i) => i === 0 || v === (values[i - 1] ?? 0) + 1);
  if (values.length >= 3 && consecutive) {
    return `${name(values[0] ?? 0)} to ${name(values.at(-1) ?? 0)}`;
  }
  return and(values.map(name));
}

/** "at 09:00", "every 15 minutes", "every hour at minute 30"… or undefined when unusual. */
function timePhrase(minute: Field, hour: Field): { text: string; frequency: boolean } | undefined {
  if (minute.kind === 'values' && hour.kind === 'values') {
    const times = hour.values.flatMap((h) => minute.values.map((m) => `${two(h)}:${two(m)}`));
    if (times.length > 6) return undefined;
    return { text: `at ${and(times)}`, frequency: false };
  }
  if (hour.kind === 'any') {
    if (minute.kind === 'any') return { text: 'every minute', frequency: true };
    if (minute.kind === 'step' && minute.from === 0) {
      return { text: `every ${minute.step} minutes`, frequency: true };
    }
    if (minute.kind === 'values' && minute.values.length === 1) {
      const m = minute.values[0] ?? 0;
      return {
        text: m === 0 ? 'every hour, on the hour' : `every hour at minute ${m}`,
        frequency: true,
      };
    }
    return undefined;
  }
  if (hour.kind === 'step' && hour.from === 0 && minute.kind === 'values') {
    if (minute.values.length !== 1) return undefined;
    const m = minute.values[0] ?? 0;
    return {
      text: `every ${hour.step} hours${m === 0 ? ', on the hour' : ` at minute ${m}`}`,
      frequency: true,
    };
  }
  return undefined;
}

/** "every day", "every Monday", "Monday to Friday", "on day 1 of every month"… */
function dayPhrase(dom: Field, month: Field, dow: Field): string | undefined {
  if (dom.kind === 'step' || month.kind === 'step' || dow.kind === 'step') return undefined;
  const monthName = (n: number) => MONTHS[n - 1] ?? String(n);
  const dayName = (n: number) => DAYS[n] ?? String(n);
  const inMonths = month.kind === 'values' ? ` in ${rangeOrList(month.values, monthName)}` : '';
  if (dom.kind === 'any' && dow.kind === 'any') return `every day${inMonths}`;
  if (dom.kind === 'values' && dow.kind === 'values') return undefined; // cron ORs the two
  if (dow.kind === 'values') {
    const days = dow.values;
    if (days.length === 1) return `every ${dayName(days[0] ?? 0)}${inMonths}`;
    if (days.join() === '1,2,3,4,5') return `every weekday${inMonths}`;
    if (days.join() === '0,6') return `every weekend day${inMonths}`;
    return `${rangeOrList(days, dayName)}${inMonths}`;
  }
  if (dom.kind === 'values') {
    const days = and(dom.values.map(String));
    const plural = dom.values.length > 1 ? 's' : '';
    if (month.kind === 'values' && dom.values.length === 1 && month.values.length === 1) {
      return `on ${dom.values[0]} ${monthName(month.values[0] ?? 1)}`;
    }
    return month.kind === 'values'
      ? `on day${plural} ${days} of ${rangeOrList(month.values, monthName)}`
      : `on day${plural} ${days} of every month`;
  }
  return undefined;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * `0 9 * * 1-5` → "Every weekday at 09:00". Times are as Alation's scheduler reads them (its
 * server's clock); an expression this cannot put into words comes back as `cron <expr>`, as
 * mrkdwn: escaped, in inline code a backtick inside cannot end.
 */
export function cronToWords(expression: string): string {
  const fallback = `cron \`${escapeMrkdwn(expression.trim()).replace(/`/g, "'")}\``;
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) return fallback;
  const [m, h, dom, mon, dow] = parts as [string, string, string, string, string];
  const minute = parseField(m, { min: 0, max: 59 });
  const hour = parseField(h, { min: 0, max: 23 });
  const day = parseField(dom, { min: 1, max: 31 });
  const month = parseField(mon, { min: 1, max: 12, names: MONTH_NAMES });
  const week = parseField(dow, { min: 0, max: 6, names: DAY_NAMES });
  if (!minute || !hour || !day || !month || !week) return fallback;
  const time = timePhrase(minute, hour);
  const days = dayPhrase(day, month, week);
  if (!time || !days) return fallback;
  if (time.frequency) {
    return days === 'every day' ? capitalise(time.text) : `${capitalise(time.text)}, ${days}`;
  }
  return `${capitalise(days)} ${time.text}`;
}

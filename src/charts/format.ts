// How numbers and wall-clock times read in charts and their alt text: thousands separators,
// short month names, the day first (as Slack writes dates).

export const count = (n: number): string => n.toLocaleString('en-US');

/** 12400 → "12,400"; 0.12345 → "0.1235"; 1234567.891 → "1,234,568"; 1200.5 → "1,200.5". */
export function number(n: number): string {
  const abs = Math.abs(n);
  const digits = abs >= 10_000 ? 0 : abs >= 1 ? 2 : 4;
  return n.toLocaleString('en-US', { maximumFractionDigits: digits });
}

const utc = (options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', ...options });
const DAY_MONTH = utc({ day: 'numeric', month: 'short' });
const DAY_MONTH_YEAR = utc({ day: 'numeric', month: 'short', year: 'numeric' });
const MONTH_YEAR = utc({ month: 'short', year: 'numeric' });
const YEAR = utc({ year: 'numeric' });
const TIME = utc({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** A wall-clock time (ms, read as UTC): "14 Nov 2024", or "14 Nov 2024 09:00" with a time. */
export function wallTime(ms: number, withTime: boolean, bucket?: string): string {
  const d = new Date(ms);
  if (bucket === '1 year' || bucket === '10 years') return YEAR.format(d);
  if (bucket === '1 month' || bucket === '1 quarter') return MONTH_YEAR.format(d);
  const day = DAY_MONTH_YEAR.format(d);
  return withTime ? `${day} ${TIME.format(d)}` : day;
}

/** "1–30 Nov 2024", "3 Oct – 30 Nov 2024", "30 Dec 2024 – 2 Jan 2025". */
export function wallRange(from: number, to: number, withTime: boolean, bucket?: string): string {
  const a = new Date(from);
  const b = new Date(to);
  if (from === to) return wallTime(from, withTime, bucket);
  if (withTime || bucket?.includes('month') || bucket?.includes('year') || bucket === '1 quarter') {
    return `${wallTime(from, withTime, bucket)} – ${wallTime(to, withTime, bucket)}`;
  }
  const sameYear = a.getUTCFullYear() === b.getUTCFullYear();
  if (sameYear && a.getUTCMonth() === b.getUTCMonth()) {
    return `${a.getUTCDate()}–${DAY_MONTH_YEAR.format(b)}`;
  }
  if (sameYear) return `${DAY_MONTH.format(a)} – ${DAY_MONTH_YEAR.format(b)}`;
  return `${DAY_MONTH_YEAR.format(a)} – ${DAY_MONTH_YEAR.format(b)}`;
}

/** "a", "a and b", "a, b and c". */
export function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** At most `max` characters, with an ellipsis when cut. */
export function clipText(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

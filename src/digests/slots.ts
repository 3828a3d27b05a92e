// When a digest runs: pure functions of (cron, time zone, instant), so tests and the modal's
// preview need no clock and no pg-boss. cron-parser is what pg-boss itself evaluates schedules
// with, and pg-boss fires an occurrence when cron-parser's prev() lands on it; occurrences
// prev() never returns (a local time inside a spring-forward gap, which next() shifts an hour
// later) are never fired, so the preview leaves them out and says so.
import { CronExpressionParser } from 'cron-parser';

export type ScheduleCheck = { ok: true } | { ok: false; field: 'cron' | 'zone'; problem: string };

/** Whether `zone` is an IANA zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A 5-field cron (minute hour day-of-month month day-of-week) and a known zone, or why not. */
export function checkSchedule(cron: string, zone: string): ScheduleCheck {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5 || fields[0] === '') {
    return {
      ok: false,
      field: 'cron',
      problem: `A schedule needs 5 fields (minute hour day-of-month month day-of-week), e.g. \`0 9 * * 1-5\`; got ${fields[0] === '' ? 'nothing' : fields.length}.`,
    };
  }
  try {
    // Both checks pg-boss runs in schedule(), so a saved digest is one pg-boss accepts.
    CronExpressionParser.parse(cron.trim(), { tz: 'UTC', strict: false }).next();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      field: 'cron',
      problem: `\`${cron.trim()}\` is not a valid cron: ${reason}`,
    };
  }
  if (!isTimeZone(zone)) {
    return {
      ok: false,
      field: 'zone',
      problem: `“${zone}” is not a time zone. Use an IANA name such as Europe/Berlin or America/New_York.`,
    };
  }
  return { ok: true };
}

/** Whether pg-boss fires this occurrence: prev() from just after it lands on it. */
function fired(cron: string, zone: string, at: Date): boolean {
  return slotAtOrBefore(cron, zone, at).getTime() === at.getTime();
}

/**
 * The next `count` run times strictly after `after` that pg-boss will fire, in `zone`'s wall
 * clock (DST included).
 */
export function nextSlots(cron: string, zone: string, after: Date, count = 3): Date[] {
  const walk = CronExpressionParser.parse(cron.trim(), { tz: zone, currentDate: after });
  const slots: Date[] = [];
  // Bounded: a cron whose every time falls in a gap would otherwise walk forever.
  for (let i = 0; slots.length < count && i < count * 50; i++) {
    const at = walk.next().toDate();
    if (fired(cron, zone, at)) slots.push(at);
  }
  return slots;
}

/**
 * The first occurrence within a year after `after` that does not happen because its local time
 * does not exist that day (clocks go forward), for a heads-up in the modal.
 */
export function firstSkippedSlot(cron: string, zone: string, after: Date): Date | undefined {
  const walk = CronExpressionParser.parse(cron.trim(), { tz: zone, currentDate: after });
  const end = after.getTime() + 366 * 86_400_000;
  for (let i = 0; i < 1_000; i++) {
    const at = walk.next().toDate();
    if (at.getTime() > end) return undefined;
    if (!fired(cron, zone, at)) return at;
  }
  return undefined;
}

/** "2026-10-25T02:30" for `at` in `zone`: the wall-clock minute a slot stands for. */
function wallMinute(at: Date, zone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/**
 * One instant per wall-clock minute: when clocks go back, a local time happens twice and pg-boss
 * fires it twice (an hour apart); both map to the first of them, so the slot posts once.
 */
export function canonicalSlot(at: Date, zone: string): Date {
  const minute = wallMinute(at, zone);
  let earliest = at;
  // Offsets change by at most a few hours at once; look back in 15-minute steps.
  for (let back = 15; back <= 180; back += 15) {
    const candidate = new Date(at.getTime() - back * 60_000);
    if (wallMinute(candidate, zone) === minute) earliest = candidate;
  }
  return earliest;
}

/**
 * The scheduled slot a pg-boss cron job stands for: the latest run time at or before `at` (the
 * job's creation, which follows its occurrence by seconds). Every replica derives the same one.
 */
export function slotAtOrBefore(cron: string, zone: string, at: Date): Date {
  const walk = CronExpressionParser.parse(cron.trim(), {
    tz: zone,
    currentDate: new Date(at.getTime() + 1),
  });
  return walk.prev().toDate();
}

/** The key a delivery is claimed under: one per scheduled instant, or one per Run now press. */
export function slotKey(slot: { at: Date } | { manual: string }): string {
  return 'at' in slot ? slot.at.toISOString() : `manual:${slot.manual}`;
}

/** `HH:MM` (24 h) → hour and minute, or undefined. */
export function parseClock(text: string): { hour: number; minute: number } | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  return hour < 24 && minute < 60 ? { hour, minute } : undefined;
}

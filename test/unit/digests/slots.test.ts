import { describe, expect, it } from 'vitest';
import {
  canonicalSlot,
  checkSchedule,
  firstSkippedSlot,
  nextSlots,
  parseClock,
  slotAtOrBefore,
  slotKey,
} from '../../../src/digests/slots.ts';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('nextSlots', () => {
  it('follows the zone’s wall clock across the spring change (Europe/Berlin)', () => {
    expect(iso(nextSlots('0 9 * * *', 'Europe/Berlin', new Date('2026-03-28T00:00:00Z')))).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
  });

  it('follows the autumn change (America/New_York) and counts from strictly after', () => {
    expect(
      iso(nextSlots('0 9 * * 1-5', 'America/New_York', new Date('2026-10-30T13:00:00Z'), 2)),
    ).toEqual(['2026-11-02T14:00:00.000Z', '2026-11-03T14:00:00.000Z']);
  });

  it('leaves out a time the spring change skips, as pg-boss never fires it, and says so', () => {
    // 02:30 does not exist in Berlin on 29 March: cron-parser's next() shifts it to 03:30, but
    // pg-boss fires what prev() lands on, and prev() never lands there.
    const spring = nextSlots('30 2 * * *', 'Europe/Berlin', new Date('2026-03-28T12:00:00Z'), 2);
    expect(iso(spring)).toEqual(['2026-03-30T00:30:00.000Z', '2026-03-31T00:30:00.000Z']);
    expect(
      firstSkippedSlot(
        '30 2 * * *',
        'Europe/Berlin',
        new Date('2026-01-10T12:00:00Z'),
      )?.toISOString(),
    ).toBe('2026-03-29T01:30:00.000Z');
    expect(firstSkippedSlot('0 9 * * *', 'Europe/Berlin', new Date('2026-01-10T12:00:00Z'))).toBe(
      undefined,
    );
    const autumn = nextSlots('30 2 * * *', 'Europe/Berlin', new Date('2026-10-24T12:00:00Z'), 2);
    expect(autumn).toHaveLength(2);
    expect(autumn[1]?.getTime()).toBeGreaterThan((autumn[0]?.getTime() ?? 0) + 20 * 3600_000);
  });
});

describe('canonicalSlot', () => {
  it('maps both occurrences of a repeated local time to the first, and leaves others alone', () => {
    // 02:30 happens twice in Berlin on 25 October: 00:30Z (summer time) and 01:30Z (winter).
    const first = new Date('2026-10-25T00:30:00Z');
    expect(canonicalSlot(new Date('2026-10-25T01:30:00Z'), 'Europe/Berlin')).toEqual(first);
    expect(canonicalSlot(first, 'Europe/Berlin')).toEqual(first);
    const nine = new Date('2026-10-25T08:00:00Z');
    expect(canonicalSlot(nine, 'Europe/Berlin')).toEqual(nine);
    // New York repeats 01:30: 05:30Z and 06:30Z on 1 November.
    expect(canonicalSlot(new Date('2026-11-01T06:30:00Z'), 'America/New_York')).toEqual(
      new Date('2026-11-01T05:30:00Z'),
    );
  });
});

describe('slotAtOrBefore', () => {
  it('is the occurrence a cron job stands for, whichever replica asks a few seconds late', () => {
    const slot = slotAtOrBefore('0 9 * * *', 'Europe/Berlin', new Date('2026-03-30T07:00:40Z'));
    expect(slot.toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(slotAtOrBefore('0 9 * * *', 'Europe/Berlin', slot).toISOString()).toBe(
      slot.toISOString(),
    );
  });
});

describe('checkSchedule', () => {
  it.each([
    ['0 9 * *', 'cron', '5 fields'],
    ['0 9 * * * *', 'cron', '5 fields'],
    ['0 25 * * *', 'cron', 'not a valid cron'],
    ['', 'cron', 'got nothing'],
  ])('refuses %j', (cron, field, words) => {
    const checked = checkSchedule(cron, 'UTC');
    expect(checked).toMatchObject({ ok: false, field });
    expect(checked.ok ? '' : checked.problem).toContain(words);
  });

  it('refuses an unknown zone and accepts a good schedule', () => {
    expect(checkSchedule('0 9 * * 1-5', 'Mars/Olympus')).toMatchObject({
      ok: false,
      field: 'zone',
    });
    expect(checkSchedule('0 9 * * 1-5', 'Asia/Kolkata')).toEqual({ ok: true });
  });
});

describe('clock times and keys', () => {
  it('reads HH:MM and names slots', () => {
    expect(parseClock('09:05')).toEqual({ hour: 9, minute: 5 });
    expect(parseClock('24:00')).toBeUndefined();
    expect(slotKey({ at: new Date('2026-01-01T09:00:00Z') })).toBe('2026-01-01T09:00:00.000Z');
    expect(slotKey({ manual: 'abc' })).toBe('manual:abc');
  });
});

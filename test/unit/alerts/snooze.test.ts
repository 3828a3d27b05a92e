import { describe, expect, it } from 'vitest';
import { snoozeUntil } from '../../../src/alerts/snooze.ts';

describe('snoozeUntil', () => {
  const now = new Date('2026-12-04T18:30:00Z'); // Friday

  it('adds an hour or a day', () => {
    expect(snoozeUntil('1h', now, 'UTC').toISOString()).toBe('2026-12-04T19:30:00.000Z');
    expect(snoozeUntil('1d', now, 'UTC').toISOString()).toBe('2026-12-05T18:30:00.000Z');
  });

  it.each([
    ['UTC', '2026-12-07T09:00:00.000Z'],
    ['Asia/Tokyo', '2026-12-07T00:00:00.000Z'],
    ['America/Denver', '2026-12-07T16:00:00.000Z'],
    ['Not/AZone', '2026-12-07T09:00:00.000Z'],
    [undefined, '2026-12-07T09:00:00.000Z'],
  ])('ends on the presser’s Monday 09:00 in %s', (zone, expected) => {
    expect(snoozeUntil('monday', now, zone).toISOString()).toBe(expected);
  });

  it('on a Monday before 09:00 ends the same morning, after 09:00 the next week', () => {
    expect(snoozeUntil('monday', new Date('2026-12-07T08:00:00Z'), 'UTC').toISOString()).toBe(
      '2026-12-07T09:00:00.000Z',
    );
    expect(snoozeUntil('monday', new Date('2026-12-07T09:00:00Z'), 'UTC').toISOString()).toBe(
      '2026-12-14T09:00:00.000Z',
    );
  });

  it('crosses a DST change at the local 09:00', () => {
    // Europe/Berlin leaves summer time on Sunday 25 Oct 2026.
    expect(
      snoozeUntil('monday', new Date('2026-10-23T12:00:00Z'), 'Europe/Berlin').toISOString(),
    ).toBe('2026-10-26T08:00:00.000Z');
  });
});

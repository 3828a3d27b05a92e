import { describe, expect, it } from 'vitest';
import { inZone, relative, when } from '../../../src/views/time.ts';

const now = new Date('2026-11-22T12:00:00Z');

describe('times shown to people', () => {
  it('formats in the person’s zone, including daylight saving', () => {
    expect(inZone(new Date('2026-07-01T12:00:00Z'), 'Europe/Berlin')).toBe(
      'Wed 1 Jul 2026, 14:00 UTC+02:00',
    );
    expect(inZone(new Date('2026-12-01T12:00:00Z'), 'Europe/Berlin')).toBe(
      'Tue 1 Dec 2026, 13:00 UTC+01:00',
    );
    expect(inZone(now, 'Asia/Kolkata')).toBe('Sun 22 Nov 2026, 17:30 UTC+05:30');
  });

  it('falls back to UTC for an unknown or missing zone', () => {
    expect(inZone(now, 'Not/AZone')).toBe('Sun 22 Nov 2026, 12:00 UTC');
    expect(inZone(now, undefined)).toBe('Sun 22 Nov 2026, 12:00 UTC');
  });

  it('says how long ago, in whole units', () => {
    expect(relative(new Date('2026-11-22T09:10:00Z'), now)).toBe('2 hours ago');
    expect(relative(new Date('2026-11-25T12:00:00Z'), now)).toBe('in 3 days');
    expect(when(new Date('2026-11-22T11:59:30Z'), now, 'UTC')).toBe(
      '30 seconds ago (Sun 22 Nov 2026, 11:59 UTC)',
    );
  });
});

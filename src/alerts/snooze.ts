// When a snooze ends. "Until Monday 09:00" is the presser's Monday, in their Slack time zone, so
// a snooze pressed on Friday evening in Tokyo and one in Denver end at different instants.
import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns/addDays';

export const SNOOZES = ['1h', '1d', 'monday'] as const;
export type Snooze = (typeof SNOOZES)[number];

export function snoozeLabel(snooze: Snooze): string {
  return { '1h': 'for 1 hour', '1d': 'for 1 day', monday: 'until Monday 09:00' }[snooze];
}

/** The instant a snooze pressed at `now` by someone in `zone` ends (an unknown zone: UTC). */
export function snoozeUntil(snooze: Snooze, now: Date, zone: string | undefined): Date {
  if (snooze === '1h') return new Date(now.getTime() + 3_600_000);
  if (snooze === '1d') return new Date(now.getTime() + 86_400_000);
  const local = new TZDate(now.getTime(), knownZone(zone));
  // The next Monday strictly after today, or today when it is Monday before 09:00.
  const day = local.getDay();
  let ahead = (8 - day) % 7;
  if (ahead === 0 && (local.getHours() >= 9 || day !== 1)) ahead = 7;
  const monday = addDays(local, ahead);
  monday.setHours(9, 0, 0, 0);
  return new Date(monday.getTime());
}

function knownZone(zone: string | undefined): string {
  if (!zone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

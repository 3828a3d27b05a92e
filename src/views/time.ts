import { tz } from '@date-fns/tz';
import { format } from 'date-fns';

/** Slack sends IANA zone names; one it does not know (or none) falls back to UTC, said so. */
export function inZone(date: Date, zone: string | undefined): string {
  const pattern = "EEE d MMM yyyy, HH:mm 'UTC'xxx";
  if (zone) {
    try {
      return format(date, pattern, { in: tz(zone) }).replace('UTC+00:00', 'UTC');
    } catch {
      // An unknown zone throws RangeError; UTC below is the honest fallback.
    }
  }
  return format(date, pattern, { in: tz('UTC') }).replace('UTC+00:00', 'UTC');
}

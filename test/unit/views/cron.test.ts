import { describe, expect, it } from 'vitest';
import { cronToWords } from '../../../src/views/cron.ts';

describe('cronToWords', () => {
  it.each([
    ['0 9 * * *', 'Every day at 09:00'],
    ['17 1 * * *', 'Every day at 01:17'],
    ['0 9 * * 1-5', 'Every weekday at 09:00'],
    ['0 9 * * MON-FRI', 'Every weekday at 09:00'],
    ['30 6 * * 1', 'Every Monday at 06:30'],
    ['0 7 * * 0,6', 'Every weekend day at 07:00'],
    ['0 7 * * 7', 'Every Sunday at 07:00'],
    ['0 8 * * 1,3,5', 'Monday, Wednesday and Friday at 08:00'],
    ['0 8 * * 2-4', 'Tuesday to Thursday at 08:00'],
    ['0 8,17 * * *', 'Every day at 08:00 and 17:00'],
    ['0 6 1 * *', 'On day 1 of every month at 06:00'],
    ['0 6 1,15 * *', 'On days 1 and 15 of every month at 06:00'],
    ['0 0 1 1 *', 'On 1 January at 00:00'],
    ['0 0 * 3 *', 'Every day in March at 00:00'],
    ['*/15 * * * *', 'Every 15 minutes'],
    ['*/30 * * * 1-5', 'Every 30 minutes, every weekday'],
    ['* * * * *', 'Every minute'],
    ['0 * * * *', 'Every hour, on the hour'],
    ['45 * * * *', 'Every hour at minute 45'],
    ['0 */6 * * *', 'Every 6 hours, on the hour'],
    ['15 */2 * * *', 'Every 2 hours at minute 15'],
  ])('%s → %s', (expression, words) => {
    expect(cronToWords(expression)).toBe(words);
  });

  it.each([
    ['0 9 * *'],
    ['61 9 * * *'],
    ['0 25 * * *'],
    ['0 9 1 * 1'],
    ['@daily'],
    ['0 9 * * 5-1'],
    ['0-59/7 9-17 * * *'],
  ])('falls back to the expression for %j', (expression) => {
    expect(cronToWords(expression)).toBe(`cron \`${expression}\``);
  });
});

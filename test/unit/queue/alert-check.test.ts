import { describe, expect, it } from 'vitest';
import { dueAt, groupsDue } from '../../../src/queue/alert-check.ts';
import type { Alert } from '../../../src/store/alerts.ts';

const at = (hhmm: string) => new Date(`2026-12-01T${hhmm}:00Z`);

describe('dueAt', () => {
  it.each([
    [1, '09:07', true],
    [5, '09:05', true],
    [5, '09:07', false],
    [15, '09:45', true],
    [15, '09:50', false],
    [60, '10:00', true],
    [60, '10:15', false],
  ])('every %d minutes at %s: %s', (every, hhmm, due) => {
    expect(dueAt(every, at(hhmm))).toBe(due);
  });

  it('takes a tick a few seconds off the minute as that minute', () => {
    expect(dueAt(60, new Date('2026-12-01T10:00:02.500Z'))).toBe(true);
  });
});

describe('groupsDue', () => {
  const alert = (
    id: string,
    userId: string,
    queryId: number,
    everyMinutes: 1 | 5 | 15 | 60,
    status: Alert['status'] = 'active',
  ) => ({ id, owner: { tenantId: 'T1', userId }, queryId, everyMinutes, status }) as Alert;

  it('groups due alerts by creator and query, leaving out those not due or not active', () => {
    const alerts = [
      alert('a', 'U1', 7, 5),
      alert('b', 'U1', 7, 1),
      alert('c', 'U2', 7, 5),
      alert('d', 'U1', 8, 15),
      alert('e', 'U1', 7, 5, 'muted'),
      alert('f', 'U1', 9, 60),
    ];
    expect(groupsDue(alerts, at('09:05'))).toEqual([['a', 'b'], ['c']]);
    expect(groupsDue(alerts, at('10:00'))).toEqual([['a', 'b'], ['c'], ['d'], ['f']]);
  });
});

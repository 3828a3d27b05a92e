import { describe, expect, it } from 'vitest';
import type { Episode } from '../../../src/alerts/episode.ts';
import {
  ACTION_ALERT_ACK,
  ACTION_ALERT_RESUME,
  ACTION_ALERT_SNOOZE,
  type AlertCardInput,
  buildAlertCard,
  buildAlertList,
  buildAlertSaved,
  buildReminder,
  buildResolvedReply,
  conditionInWords,
  lasted,
} from '../../../src/views/alert.ts';

const NOW = new Date('2026-12-01T12:00:00Z');
const episode: Episode = {
  kind: 'triggered',
  startedAt: '2026-12-01T09:00:00.000Z',
  checks: 1,
  cardTs: '1.2',
  lastValue: 12_400,
};
const input = (over: Partial<AlertCardInput> = {}): AlertCardInput => ({
  alertId: 'a1',
  name: 'Revenue floor',
  condition: { kind: 'column', column: 'revenue', reducer: 'sum', op: '<', threshold: 20_000 },
  queryId: 7,
  queryTitle: 'Revenue by day',
  queryUrl: 'https://alation.example.com/query/7/',
  phase: 'open',
  episode,
  header: ['day', 'revenue'],
  rows: [['2026-12-01', '12,400']],
  muted: false,
  now: NOW,
  zone: 'Europe/Berlin',
  ...over,
});
const text = (m: unknown) => JSON.stringify(m);
const actionIds = (m: { blocks: unknown[] }) =>
  m.blocks.flatMap((b) =>
    (b as { type: string }).type === 'actions'
      ? (b as { elements: { action_id: string }[] }).elements.map((e) => e.action_id)
      : [],
  );

describe('conditionInWords', () => {
  it.each([
    [{ kind: 'row_count', op: '=', n: 0 }, 'the result has no rows'],
    [{ kind: 'row_count', op: '>', n: 0 }, 'the result has any rows'],
    [{ kind: 'row_count', op: '<', n: 1000 }, 'the row count < 1,000'],
    [
      { kind: 'column', column: 'revenue', reducer: 'sum', op: '>=', threshold: 12400.5 },
      'the sum of `revenue` ≥ 12,400.5',
    ],
    [
      { kind: 'column', column: 'late', reducer: 'first', op: '!=', threshold: 0 },
      'the first row’s `late` ≠ 0',
    ],
    [{ kind: 'new_rows', keyColumn: 'order_id' }, 'new rows appear (by `order_id`)'],
    [{ kind: 'changed' }, 'the result changes'],
  ] as const)('%j → %s', (condition, words) => {
    expect(conditionInWords(condition)).toBe(words);
  });
});

describe('lasted', () => {
  it.each([
    [0, '0 min'],
    [59 * 60_000, '59 min'],
    [200 * 60_000, '3 h 20 min'],
    [120 * 60_000, '2 h'],
    [(2 * 1440 + 4 * 60) * 60_000, '2 days 4 h'],
  ])('%d ms → %s', (ms, words) => expect(lasted(ms)).toBe(words));
});

describe('buildAlertCard', () => {
  it('says triggered, with the measured value against the threshold and the rows', () => {
    const card = text(buildAlertCard(input()));
    expect(card).toContain('*Triggered*');
    expect(card).toContain('Measured *12,400* against < 20,000');
    expect(card).toContain('2026-12-01');
    expect(actionIds(buildAlertCard(input()))).toEqual([
      ACTION_ALERT_ACK,
      ACTION_ALERT_SNOOZE,
      'alert_mute',
      'alert_edit',
      'alert_delete',
    ]);
  });

  it('says whose Alation access it was read with, when given', () => {
    expect(
      text(buildAlertCard(input({ seenBy: { userId: 'U0ADA', name: 'Ada <!here>' } }))),
    ).toContain('As seen by Ada &lt;!here&gt; in Alation.');
    expect(text(buildAlertCard(input({ seenBy: { userId: 'U0ADA' } })))).toContain(
      'As seen by Slack user U0ADA in Alation.',
    );
    expect(text(buildAlertCard(input()))).not.toContain('As seen by');
  });

  it('counts checks while it stays triggered, with the start in the zone', () => {
    expect(text(buildAlertCard(input({ episode: { ...episode, checks: 3 } })))).toContain(
      '*Still triggered* (3 checks, since Tue 1 Dec 2026, 10:00 UTC+01:00)',
    );
  });

  it('shows who acknowledged, and drops the button', () => {
    const card = buildAlertCard(
      input({ episode: { ...episode, acknowledgedBy: 'U9', acknowledgedAt: NOW.toISOString() } }),
    );
    expect(text(card)).toContain('Acknowledged by <@U9>');
    expect(actionIds(card)).not.toContain(ACTION_ALERT_ACK);
  });

  it('turns resolved with how long it lasted, without rows or snooze', () => {
    const card = buildAlertCard(input({ phase: 'resolved', endedAt: NOW }));
    expect(text(card)).toContain('*Resolved* after 3 h');
    expect(text(card)).not.toContain('2026-12-01');
    expect(actionIds(card)).toEqual(['alert_mute', 'alert_edit', 'alert_delete']);
  });

  it('says the query failed, with Alation’s reason', () => {
    const card = text(
      buildAlertCard(
        input({
          episode: {
            kind: 'failing',
            startedAt: episode.startedAt,
            checks: 1,
            problem: 'relation "x" does not exist',
          },
        }),
      ),
    );
    expect(card).toContain('*The query failed*');
    expect(card).toContain('relation \\"x\\" does not exist');
  });

  it('says when more new rows matched than shown', () => {
    const card = text(
      buildAlertCard(input({ condition: { kind: 'new_rows', keyColumn: 'day' }, matched: 40 })),
    );
    expect(card).toContain('First 1 of 40 rows; all are in the attached CSV.');
  });

  it('shows snooze and mute, offering Resume', () => {
    const card = buildAlertCard(
      input({ muted: true, snoozedUntil: new Date(NOW.getTime() + 3_600_000) }),
    );
    expect(text(card)).toContain('Snoozed until Tue 1 Dec 2026, 14:00 UTC+01:00');
    expect(
      text(
        buildAlertCard(
          input({ snoozedUntil: new Date(NOW.getTime() + 3_600_000), snoozedBy: 'U7' }),
        ),
      ),
    ).toContain('Snoozed by <@U7> until');
    expect(actionIds(card)).toContain(ACTION_ALERT_RESUME);
  });
});

describe('thread replies', () => {
  it('resolves and reminds by name', () => {
    expect(buildResolvedReply('Revenue floor', 90 * 60_000).text).toBe(
      ':white_check_mark: *Revenue floor* resolved after 1 h 30 min.',
    );
    expect(buildReminder('Revenue floor', { ...episode, checks: 4 }, NOW).text).toContain(
      'still triggered (4 checks, started 3 hours ago)',
    );
  });
});

describe('a personal alert and the audience check on the list and the confirmation', () => {
  const listed = {
    id: 'a1',
    name: 'Failed orders',
    queryId: 15,
    condition: { kind: 'row_count' as const, op: '>' as const, n: 0 },
    channelId: 'C1',
    onlyMe: false,
    status: 'active' as const,
    pausedReason: null,
    lastState: null,
    lastCheckedAt: null,
    lastValue: null,
    snoozedUntil: null,
    everyMinutes: 5,
  };
  const note = '1 of 4 members of <#C1> cannot see query 15 in Alation, 1 has not connected.';

  it('shows the finding on the list entry and in the confirmation', () => {
    const list = buildAlertList({
      alerts: [{ ...listed, audienceNote: note }],
      now: NOW,
      zone: 'UTC',
    });
    expect(JSON.stringify(list.blocks)).toContain(`:eyes: ${note}`);
    const saved = buildAlertSaved({ ...listed, audienceNote: note }, 'Created', {
      someCannotSee: true,
    });
    expect(saved.text).toContain(`:eyes: ${note}`);
    expect(saved.text).toContain('To each subscriber, as themselves');
    expect(buildAlertSaved(listed, 'Created').text).not.toContain(':eyes:');
  });

  it('says a personal alert goes to each subscriber’s DM', () => {
    expect(buildAlertSaved({ ...listed, personal: true }, 'Created').text).toContain(
      "a card in each subscriber's DM (from <#C1>)",
    );
  });
});

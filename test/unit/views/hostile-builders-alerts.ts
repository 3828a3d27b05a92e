// The hostile-text table for alerts (issue 17): the card in each phase and kind, the thread
// replies and the condition in words. Alert names, query titles, column names, cells and the
// failure Alation reported all get the hostile string raw.
import type { Condition } from '../../../src/alerts/condition.ts';
import type { Episode } from '../../../src/alerts/episode.ts';
import * as alert from '../../../src/views/alert.ts';
import * as alertModal from '../../../src/views/alert-modal.ts';
import { BASE, type Builder, EARLIER, NOW } from './hostile-fixtures.ts';

const conditions = (h: string): Condition[] => [
  { kind: 'row_count', op: '>', n: 3 },
  { kind: 'column', column: h, reducer: 'sum', op: '>=', threshold: 10 },
  { kind: 'new_rows', keyColumn: h },
  { kind: 'changed' },
];

const episode = (h: string, kind: Episode['kind']): Episode => ({
  kind,
  startedAt: EARLIER.toISOString(),
  checks: 3,
  cardTs: '1.2',
  acknowledgedBy: 'U2',
  acknowledgedAt: NOW.toISOString(),
  lastValue: 12,
  problem: h,
});

const cards = (h: string) =>
  conditions(h).flatMap((condition) =>
    (['triggered', 'failing'] as const).flatMap((kind) =>
      (['open', 'resolved'] as const).map((phase) =>
        alert.buildAlertCard({
          alertId: 'a1',
          name: h,
          condition,
          queryId: 7,
          queryTitle: h,
          queryUrl: `${BASE}/query/7/`,
          composeUrl: `${BASE}/compose/query/7/`,
          resultId: 11,
          phase,
          episode: episode(h, kind),
          endedAt: NOW,
          header: [h, 'n'],
          rows: [[h, '1']],
          matched: 40,
          muted: true,
          pausedReason: h,
          snoozedUntil: new Date(NOW.getTime() + 3_600_000),
          now: NOW,
          zone: h,
        }),
      ),
    ),
  );

const listed = (h: string): alert.ListedAlert[] =>
  conditions(h).flatMap((condition) =>
    (['active', 'muted', 'paused'] as const).map((status) => ({
      id: 'a1',
      name: h,
      queryId: 7,
      condition,
      channelId: 'C1',
      onlyMe: status === 'muted',
      personal: status === 'paused',
      // Bot-written: the audience check's sentence, counts and a channel link only.
      audienceNote: '1 of 4 members of <#C1> cannot see query 7 in Alation, 1 has not connected.',
      status,
      pausedReason: h,
      lastState: status === 'active' ? h : 'triggered',
      lastCheckedAt: EARLIER,
      lastValue: 12,
      snoozedUntil: new Date(NOW.getTime() + 3_600_000),
      everyMinutes: 5,
    })),
  );

const form = (h: string, kind: alertModal.AlertKindChoice): alertModal.AlertForm => ({
  name: h,
  queryId: h,
  channelId: 'C1',
  onlyMe: false,
  personal: kind === 'changed',
  kind,
  column: h,
  reducer: h,
  op: h,
  threshold: h,
  every: h,
});

export const ALERT_BUILDERS: Record<string, Record<string, Builder>> = {
  'alert-modal.ts': {
    buildAlertModal: (h) =>
      (['rows', 'column', 'new_rows', 'changed'] as const).flatMap((kind) => [
        alertModal.buildAlertModal({
          form: form(h, kind),
          columns: [h, 'amount'],
          privateMetadata: '{}',
          editing: false,
        }),
        alertModal.buildAlertModal({
          form: form(h, kind),
          columnsProblem: h,
          privateMetadata: '{}',
          editing: true,
          audienceNote: `Everyone in <#C1> who has connected Alation can see query 7.`,
        }),
      ]),
  },
  'alert.ts': {
    buildAlertList: (h) => [
      alert.buildAlertList({ alerts: listed(h), now: NOW, zone: h, notice: 'Done.' }),
      alert.buildAlertList({ alerts: [], now: NOW, zone: h }),
    ],
    buildAlertSaved: (h) =>
      listed(h).map((a) => alert.buildAlertSaved(a, 'Created', { someCannotSee: true })),
    buildAlertCard: cards,
    buildResolvedReply: (h) => alert.buildResolvedReply(h, 3_600_000),
    buildAlertPausedDm: (h) => [
      alert.buildAlertPausedDm(h, h),
      alert.buildAlertPausedDm(h, h, true),
    ],
    buildReminder: (h) => alert.buildReminder(h, episode(h, 'triggered'), NOW),
    conditionInWords: (h) =>
      conditions(h).map((c) => ({ type: 'mrkdwn', text: alert.conditionInWords(c) })),
  },
};

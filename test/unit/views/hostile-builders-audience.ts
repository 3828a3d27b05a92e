// The hostile-text table for the audience check and personal copies (issue 18): the query's
// title from Alation, and anything a button carries back, get the hostile string raw.
import * as audience from '../../../src/views/audience.ts';
import { escapeMrkdwn } from '../../../src/views/blocks.ts';
import * as copies from '../../../src/views/digest-copies.ts';
import type { Builder } from './hostile-fixtures.ts';

const finding = {
  channelId: 'C1',
  object: { kind: 'query' as const, id: 15 },
  checked: 24,
  complete: false,
  canSee: ['U1'],
  cannotSee: ['U2', 'U3', 'U4'],
  notConnected: ['U5'],
  unknown: ['U6'],
};

export const AUDIENCE_BUILDERS: Record<string, Record<string, Builder>> = {
  'audience.ts': {
    buildAudienceChoice: (h) => audience.buildAudienceChoice({ finding, title: h, value: h }),
    buildAudienceWarning: () => audience.buildAudienceWarning(finding),
    buildSentEachNotice: () => audience.buildSentEachNotice(3, 1, finding),
  },
  'digest-copies.ts': {
    buildPersonalChannelPost: (h) =>
      copies.buildPersonalChannelPost({
        subject: { kind: 'alert', id: h },
        name: h,
        queryId: 15,
        subscribers: 12,
      }),
    // The run's message was rendered (and escaped) by the digest's own builders.
    buildPersonalCopy: (h) =>
      copies.buildPersonalCopy({
        subject: { kind: 'digest', id: h },
        queryId: 15,
        message: {
          text: escapeMrkdwn(h),
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(h) } }],
        },
      }),
    buildNoAccessNotice: (h) =>
      copies.buildNoAccessNotice({ subject: { kind: 'alert', id: h }, name: h, queryId: 15 }),
    buildOtherResultNotice: (h) =>
      copies.buildOtherResultNotice({ subject: { kind: 'alert', id: h }, name: h, queryId: 15 }),
    buildCopyReconnectDm: (h) => copies.buildCopyReconnectDm({ name: h, reason: h }),
    buildMySubscriptions: (h) =>
      copies.buildMySubscriptions([
        { subject: 'digest', id: h, name: h, channelId: 'C1' },
        { subject: 'alert', id: h, name: h, channelId: 'C1' },
      ]),
    buildSubscribedNotice: (h) =>
      copies.buildSubscribedNotice({ name: h, already: false, connected: false }),
    buildUnsubscribedNotice: (h) => copies.buildUnsubscribedNotice(h, true),
  },
};

// Personal copies of a digest or an alert (issue 18): the channel's post that offers a copy, the
// copy each subscriber gets in a DM, the notice for one who cannot see the query any more, the
// one Reconnect DM, and "My subscriptions" with Unsubscribe (digest list and App Home).
import type { KnownBlock } from '@slack/types';
import { context, escapeMrkdwn, plainText, section } from './blocks.ts';
import { buildConnectPrompt } from './connect.ts';
import type { SlackMessage } from './help.ts';

export const ACTION_DIGEST_GET_COPY = 'digest_get_copy';
export const ACTION_DIGEST_UNSUBSCRIBE = 'digest_unsubscribe';

const count = (n: number) => n.toLocaleString('en-US');

/** What a copy is of: a digest or an alert, by id. */
export interface CopySubjectRef {
  kind: 'digest' | 'alert';
  id: string;
}

/** What the buttons carry: a digest's id as before, an alert's as `alert:<id>`. */
export function copyValue(subject: CopySubjectRef): string {
  return subject.kind === 'alert' ? `alert:${subject.id}` : subject.id;
}

export function parseCopyValue(value: string): CopySubjectRef {
  return value.startsWith('alert:')
    ? { kind: 'alert', id: value.slice('alert:'.length) }
    : { kind: 'digest', id: value };
}

function button(actionId: string, label: string, subject: CopySubjectRef, primary = false) {
  return {
    type: 'button' as const,
    action_id: actionId,
    text: plainText(label),
    value: copyValue(subject),
    ...(primary ? { style: 'primary' as const } : {}),
  };
}

/** Each run or firing, in the channel: no data, only who got a copy and how to get one. */
export function buildPersonalChannelPost(input: {
  subject: CopySubjectRef;
  name: string;
  queryId: number;
  subscribers: number;
}): SlackMessage {
  const what = input.subject.kind === 'alert' ? 'this alert fired; it went' : 'this run went';
  const text = `*${escapeMrkdwn(input.name)}*: ${what} to ${count(input.subscribers)} ${input.subscribers === 1 ? 'subscriber' : 'subscribers'}, each in a DM as they see query ${input.queryId} in Alation.`;
  return {
    text: `${escapeMrkdwn(input.name)}: sent to each subscriber as themselves`,
    blocks: [
      section(
        `${input.subject.kind === 'alert' ? ':rotating_light:' : ':mailbox_with_mail:'} ${text}`,
      ),
      context(
        'Press *Get my own copy* for yours: it is read with your own Alation access, so you see exactly what Alation shows you.',
      ),
      {
        type: 'actions',
        elements: [
          button(ACTION_DIGEST_GET_COPY, 'Get my own copy', input.subject, true),
          button(ACTION_DIGEST_UNSUBSCRIBE, 'Unsubscribe', input.subject),
        ],
      },
    ],
  };
}

/** The DM copy: the run's message, then whose eyes it is shown through and Unsubscribe. */
export function buildPersonalCopy(input: {
  subject: CopySubjectRef;
  queryId: number;
  /** The run's message as rendered (its text already escaped where it came from outside). */
  message: SlackMessage;
}): SlackMessage {
  return {
    text: input.message.text,
    blocks: [
      ...input.message.blocks.slice(0, 45),
      context(
        `Your own copy: sent because Alation, asked as you, lets you see query ${input.queryId}.`,
      ),
      {
        type: 'actions',
        elements: [button(ACTION_DIGEST_UNSUBSCRIBE, 'Unsubscribe', input.subject)],
      },
    ],
  };
}

/** Instead of data, for a subscriber Alation no longer lets see the query. */
export function buildNoAccessNotice(input: {
  subject: CopySubjectRef;
  name: string;
  queryId: number;
}): SlackMessage {
  const text = `You cannot see query ${input.queryId} in Alation any more; unsubscribe or ask its owner for access.`;
  return {
    text,
    blocks: [
      section(`:lock: *${escapeMrkdwn(input.name)}*: ${text}`),
      {
        type: 'actions',
        elements: [button(ACTION_DIGEST_UNSUBSCRIBE, 'Unsubscribe', input.subject)],
      },
    ],
  };
}

/** Alation shows this subscriber another result of the query than the one the run shows. */
export function buildOtherResultNotice(input: {
  subject: CopySubjectRef;
  name: string;
  queryId: number;
}): SlackMessage {
  const text = `Alation shows you a different result of query ${input.queryId} than this run's, so it is not sent to you; open the query in Alation to see yours, or ask its owner for access.`;
  return {
    text,
    blocks: [
      section(`:lock: *${escapeMrkdwn(input.name)}*: ${text}`),
      {
        type: 'actions',
        elements: [button(ACTION_DIGEST_UNSUBSCRIBE, 'Unsubscribe', input.subject)],
      },
    ],
  };
}

/** Once, when a subscriber's Alation connection stops working (not once per run). */
export function buildCopyReconnectDm(input: {
  name: string;
  reason: string | undefined;
}): SlackMessage {
  const prompt = buildConnectPrompt(input.reason ?? 'credentials_rejected');
  return {
    text: `Your copies of ${escapeMrkdwn(input.name)} are on hold until you reconnect Alation.`,
    blocks: [
      section(
        `:pause_button: Your copies of *${escapeMrkdwn(input.name)}* are on hold: they are read with your own Alation access, and it no longer works. They start again once you reconnect; this is the only reminder.`,
      ),
      ...prompt.blocks,
    ],
  };
}

export interface MySubscriptionRow {
  subject: CopySubjectRef['kind'];
  id: string;
  name: string;
  channelId: string;
}

/** "My subscriptions": the personal digests one gets a copy of, each with Unsubscribe. */
export function buildMySubscriptions(subs: readonly MySubscriptionRow[]): KnownBlock[] {
  if (subs.length === 0) return [];
  const blocks: KnownBlock[] = [
    { type: 'divider' },
    section(`*My subscriptions* (${count(subs.length)}): your own copy of each, as you see it`),
  ];
  for (const s of subs.slice(0, 20)) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${escapeMrkdwn(s.name)}* (${s.subject === 'alert' ? 'alert' : 'digest'} from <#${s.channelId}>)`,
      },
      accessory: button(ACTION_DIGEST_UNSUBSCRIBE, 'Unsubscribe', { kind: s.subject, id: s.id }),
    });
  }
  return blocks;
}

/** The answer to Get my own copy. */
export function buildSubscribedNotice(input: {
  subject?: CopySubjectRef['kind'];
  name: string;
  already: boolean;
  connected: boolean;
}): string {
  const each = input.subject === 'alert' ? 'each time it fires' : 'each run';
  const head = input.already
    ? `You already get your own copy of *${escapeMrkdwn(input.name)}*.`
    : `You will get your own copy of *${escapeMrkdwn(input.name)}* in a DM ${each}, read with your own Alation access.`;
  const tail = input.connected
    ? ' Unsubscribe any time from the copy or `/alation digest list`.'
    : ' Connect Alation first (`/alation login`): until then no copy can be read for you.';
  return head + tail;
}

/** The answer to Unsubscribe. */
export function buildUnsubscribedNotice(
  name: string | undefined,
  was: boolean,
  subject: CopySubjectRef['kind'] = 'digest',
): string {
  const what = name ? `*${escapeMrkdwn(name)}*` : `that ${subject}`;
  return was ? `Unsubscribed: no more copies of ${what}.` : `You were not subscribed to ${what}.`;
}

// What the audience check found (issue 18), in words: the private choice a sharer gets when
// some members of the channel cannot see the object, the warning under AUDIENCE_CHECK=warn, and
// the context line a post carries to say whose Alation access it was read with.
import type { KnownBlock } from '@slack/types';
import { context, escapeMrkdwn, escapeWithin, plainText, section } from './blocks.ts';
import type { SlackMessage } from './help.ts';

export const ACTION_AUDIENCE_SHARE_ANYWAY = 'audience_share_anyway';
export const ACTION_AUDIENCE_SEND_EACH = 'audience_send_each';
export const ACTION_AUDIENCE_CANCEL = 'audience_cancel';

/** The three buttons of one kind of post's choice: each kind is handled by its own feature. */
export interface AudienceActions {
  anyway: string;
  each: string;
  cancel: string;
}

/** Shared query results (and the Share latest result here shortcut). */
export const SHARE_ACTIONS: AudienceActions = {
  anyway: ACTION_AUDIENCE_SHARE_ANYWAY,
  each: ACTION_AUDIENCE_SEND_EACH,
  cancel: ACTION_AUDIENCE_CANCEL,
};

/** Announcements that carry catalog data: a new query, a trust flag on a query. */
export function announceActions(kind: 'query' | 'flag'): AudienceActions {
  return {
    anyway: `audience_announce_${kind}_anyway`,
    each: `audience_announce_${kind}_each`,
    cancel: `audience_announce_${kind}_cancel`,
  };
}

/**
 * Whose Alation access a post was read with: their Slack id and, when Slack said, the name it
 * shows for them (raw; escaped here).
 */
export interface Viewer {
  userId: string;
  name?: string | undefined;
}

/**
 * The viewer in words, never as a mention: `<@U…>` notifies the person on every post (a digest
 * would ping its creator every run), and Slack has no mention that does not notify.
 */
function viewerWords(viewer: Viewer): string {
  const name = viewer.name?.replace(/\s+/g, ' ').trim();
  return name ? escapeWithin(name, 80) : `Slack user ${escapeMrkdwn(viewer.userId)}`;
}

/** What a check found; counts of Slack user ids, never names. */
export interface AudienceSummary {
  channelId: string;
  object: { kind: 'query'; id: number };
  checked: number;
  complete: boolean;
  canSee: readonly string[];
  cannotSee: readonly string[];
  notConnected: readonly string[];
  unknown: readonly string[];
}

const count = (n: number) => n.toLocaleString('en-US');
const objectWords = (o: AudienceSummary['object']) => `${o.kind} ${o.id}`;
const members = (n: number) => `${count(n)} ${n === 1 ? 'member' : 'members'}`;
const have = (n: number) => (n === 1 ? 'has' : 'have');

/** True when someone who would read the post cannot see the object (or could not be asked). */
export function someCannotSee(f: AudienceSummary): boolean {
  return f.cannotSee.length > 0 || f.unknown.length > 0;
}

/** "3 of 24 members of #sales cannot see query 15 in Alation, 5 have not connected." */
export function audienceSentence(f: AudienceSummary): string {
  const parts = [
    `${count(f.cannotSee.length)} of ${members(f.checked)} of <#${f.channelId}> cannot see ${objectWords(f.object)} in Alation`,
  ];
  if (f.notConnected.length > 0)
    parts.push(`${count(f.notConnected.length)} ${have(f.notConnected.length)} not connected`);
  if (f.unknown.length > 0) parts.push(`Alation did not answer for ${count(f.unknown.length)}`);
  let sentence = `${parts.join(', ')}.`;
  if (!f.complete)
    sentence += ` Only the first ${members(f.checked)} were checked: the channel has more.`;
  return sentence;
}

/** The finding either way: who cannot see it, or that everyone connected can (and of how many). */
export function findingSentence(f: AudienceSummary): string {
  if (someCannotSee(f)) return audienceSentence(f);
  const partial = f.complete
    ? ''
    : ` (of the first ${members(f.checked)} checked: the channel has more)`;
  return `Everyone in <#${f.channelId}> who has connected Alation can see ${objectWords(f.object)}${partial}.`;
}

/**
 * The context line of a post read with one person's access (shares, digests, job and alert
 * cards, unfurls, announcements): the one builder of "as seen by … in Alation".
 */
export function seenByLine(f: AudienceSummary | undefined, viewer: Viewer): string {
  const who = viewerWords(viewer);
  if (!f) return `As seen by ${who} in Alation.`;
  const seen = `as seen by ${who} in Alation`;
  if (!someCannotSee(f)) {
    const all = `Everyone here who has connected Alation can see this ${f.object.kind}`;
    return `${all}${f.complete ? '' : ` (of the first ${members(f.checked)} checked)`} · ${seen}.`;
  }
  return `${count(f.cannotSee.length + f.unknown.length)} of ${members(f.checked)} here may not be able to see this ${f.object.kind} in Alation · ${seen}.`;
}

export interface AudienceChoiceInput {
  finding: AudienceSummary;
  /** The query's title, from Alation. */
  title: string;
  /** What the buttons carry back: the share to repeat. */
  value: string;
  /** Whose buttons: shares' unless told. */
  actions?: AudienceActions;
}

/** The private choice before sharing into a channel where some cannot see the object. */
export function buildAudienceChoice(input: AudienceChoiceInput): SlackMessage {
  const f = input.finding;
  const actions = input.actions ?? SHARE_ACTIONS;
  const sentence = audienceSentence(f);
  const canCount = f.canSee.length;
  const blocks: KnownBlock[] = [
    section(`:eyes: *${escapeMrkdwn(input.title)}*: ${sentence}`),
    context(
      `*Share anyway* posts it for everyone in <#${f.channelId}> as you see it. *Send it only to those who can* sends each of the ${count(canCount)} who can a DM, read with their own Alation access.`,
    ),
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: actions.anyway,
          text: plainText('Share anyway'),
          value: input.value,
        },
        {
          type: 'button',
          action_id: actions.each,
          text: plainText('Send it only to those who can'),
          style: 'primary',
          value: input.value,
        },
        {
          type: 'button',
          action_id: actions.cancel,
          text: plainText('Cancel'),
          value: input.value,
        },
      ],
    },
  ];
  return { text: sentence, blocks };
}

/** AUDIENCE_CHECK=warn: posted, and the sharer is told privately who cannot see it. */
export function buildAudienceWarning(f: AudienceSummary): SlackMessage {
  const text = `:warning: Shared. ${audienceSentence(f)} They see the post, but not the ${f.object.kind} in Alation.`;
  return { text, blocks: [section(text)] };
}

/** After "Send it only to those who can". */
export function buildSentEachNotice(sent: number, failed: number, f: AudienceSummary): string {
  const sentWords = `Sent it to ${members(sent)} of <#${f.channelId}> as a DM, each read with their own Alation access.`;
  return failed > 0
    ? `${sentWords} ${count(failed)} could not be sent (Alation or Slack refused).`
    : sentWords;
}

// What a digest posts: a header with its name and period, then sections per item, never more
// than Slack's 50 blocks (the rest summarised with a link). Pure; times in the digest's zone.
import type { KnownBlock } from '@slack/types';
import { escapeMrkdwn, mrkdwn, section } from './blocks.ts';
import type { SlackMessage } from './help.ts';
import { inZone } from './time.ts';

/** Slack refuses a message with more than 50 blocks. */
export const MAX_BLOCKS = 50;

/** Slack's link syntax breaks on these; names and titles are user-written. */
export const linkText = (text: string) => text.replace(/[<>|]/g, ' ').replace(/&/g, '&amp;');

export interface DigestFrame {
  name: string;
  /** The period the digest covers, shown in `zone`. */
  from: Date;
  to: Date;
  zone: string;
  manual: boolean;
}

/** The header and the period line every digest starts with. */
export function digestHeader(frame: DigestFrame): KnownBlock[] {
  return [
    { type: 'header', text: { type: 'plain_text', text: frame.name.slice(0, 150), emoji: true } },
    {
      type: 'context',
      elements: [
        mrkdwn(
          `${frame.manual ? 'Run now · ' : ''}${inZone(frame.from, frame.zone)} → ${inZone(frame.to, frame.zone)} (${escapeMrkdwn(frame.zone)})`,
        ),
      ],
    },
  ];
}

/**
 * A digest message: header, then `items` (one or more blocks each) cut to fit 50 blocks, with a
 * last line saying how many more there are and where to see them all. `text`, `empty`, the
 * items and `more.label` are mrkdwn the caller wrote; the frame's name is escaped here.
 */
export function buildDigestMessage(input: {
  frame: DigestFrame;
  text: string;
  items: KnownBlock[][];
  empty: string;
  more: { url: string; label: string };
}): SlackMessage {
  const blocks = digestHeader(input.frame);
  if (input.items.length === 0) {
    blocks.push(section(input.empty));
    return { text: `${escapeMrkdwn(input.frame.name)}: ${input.text}`, blocks };
  }
  // Keep one block free for the overflow line.
  let shown = 0;
  for (const item of input.items) {
    if (blocks.length + item.length > MAX_BLOCKS - 1) break;
    blocks.push(...item);
    shown += 1;
  }
  const left = input.items.length - shown;
  if (left > 0) {
    blocks.push(section(`…and ${left} more. <${input.more.url}|${input.more.label}>`));
  }
  return { text: `${escapeMrkdwn(input.frame.name)}: ${input.text}`, blocks };
}

/** Why a delivery failed, in words for the creator's DM, with what fixes it. */
export type DeliveryProblem =
  | { kind: 'not_in_channel' }
  | { kind: 'archived' }
  | { kind: 'channel_not_found' }
  | { kind: 'credentials'; provider: 'alation' | 'mode'; reason: string | undefined }
  | { kind: 'not_found'; what: string }
  | { kind: 'upstream'; message: string };

/** The problem in mrkdwn; what Alation or Mode said (`what`, `message`) is escaped. */
export function problemText(problem: DeliveryProblem, channelId: string, paused = false): string {
  switch (problem.kind) {
    case 'not_in_channel':
      return `I am not a member of <#${channelId}>. Invite me there (\`/invite @Alation\`), or edit the digest to post somewhere else.`;
    case 'archived':
      return `<#${channelId}> is archived. Edit the digest (\`/alation digest list\` → Edit) to pick another channel.`;
    case 'channel_not_found':
      return `I cannot see the channel it posts to any more. Edit the digest (\`/alation digest list\` → Edit) to pick another channel.`;
    case 'credentials':
      return problem.provider === 'mode'
        ? `It reads Mode with your Mode API token, which ${problem.reason ? 'Mode no longer accepts' : 'is not connected'}. Run \`/alation mode login\` to connect it again.`
        : `It runs with your Alation account, and your credentials ${problem.reason ? 'stopped working' : 'are gone'}. Run \`/alation login\` to reconnect.`;
    case 'not_found':
      return `${escapeMrkdwn(problem.what)} no longer exists, or your account can no longer see it. Edit or delete the digest.`;
    case 'upstream':
      return paused
        ? escapeMrkdwn(problem.message)
        : `${escapeMrkdwn(problem.message)} I will try again at the next run.`;
  }
}

/** The creator's DM when a run failed, and whether the digest is now paused. */
export function buildDeliveryProblemDm(input: {
  digestName: string;
  channelId: string;
  problem: DeliveryProblem;
  paused: boolean;
  failures: number;
}): SlackMessage {
  const what = problemText(input.problem, input.channelId, input.paused);
  const lines = [
    `:warning: Your digest *${linkText(input.digestName)}* for <#${input.channelId}> could not be posted. ${what}`,
  ];
  if (input.paused) {
    lines.push(
      `It failed ${input.failures} times in a row, so I paused it. Once fixed, resume it with \`/alation digest list\` → Resume.`,
    );
  }
  const text = lines.join('\n');
  return { text: text.replace(/[*`]/g, ''), blocks: [section(text)] };
}

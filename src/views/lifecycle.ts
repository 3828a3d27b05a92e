// What the bot says in a digest's channel when it stops running that digest on its own: its
// creator left the workspace (their Slack account was deactivated).
import { escapeMrkdwn } from './blocks.ts';
import type { SlackMessage } from './help.ts';

/** One line in the digest's channel: paused, why, and how someone else can take it over. */
export function buildCreatorLeftNotice(digestName: string): SlackMessage {
  const text = `:double_vertical_bar: The digest “${escapeMrkdwn(digestName)}” is paused: the person who created it has left this workspace, so it can no longer run with their Alation access. Anyone here can take it over by creating it again with \`/alation digest new\`.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

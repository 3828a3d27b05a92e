import { isUpstreamError } from '../client/errors.ts';
import { escapeMrkdwn } from './blocks.ts';
import type { SlackMessage } from './help.ts';

/**
 * A failed upstream call as the person sees it: the client's own message (written for people:
 * no token, no stack, no HTML) plus what to do next. Anything else is a bug on our side, and is
 * said so without details. The message may quote Alation (a reason, a field error), so it is
 * escaped; `doing` is mrkdwn the caller wrote, with anything a person typed already escaped.
 */
export function buildUpstreamErrorMessage(error: unknown, doing: string): SlackMessage {
  let line: string;
  if (isUpstreamError(error)) {
    const next: Partial<Record<typeof error.kind, string>> = {
      rate_limited: 'Try again in a little while.',
      server_error: 'Try again in a minute; if it keeps failing, tell your Alation admin.',
      timeout: 'Try again in a minute.',
      unreachable: 'Check that Alation is up, or tell whoever runs this bot.',
      bad_response: 'If it keeps happening, tell your Alation admin.',
    };
    line = `:warning: Could not ${doing}. ${escapeMrkdwn(error.message)}${next[error.kind] ? ` ${next[error.kind]}` : ''}`;
  } else {
    line = `:warning: Could not ${doing}: something went wrong on the bot's side. It has been logged; please try again.`;
  }
  return { text: line, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: line } }] };
}

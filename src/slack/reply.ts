import type { AllMiddlewareArgs, RespondArguments, RespondFn } from '@slack/bolt';
import { request } from 'undici';
import type { Logger } from '../log.ts';
import type { SlackMessage } from '../views/help.ts';

type Client = AllMiddlewareArgs['client'];

/**
 * Posts to a response_url (ephemeral unless told otherwise). Slack allows five posts in 30
 * minutes per URL; a failure is returned, not thrown, so callers can fall back to a DM.
 */
export async function postToResponseUrl(
  url: string,
  message: SlackMessage & {
    response_type?: 'ephemeral' | 'in_channel';
    replace_original?: boolean;
  },
): Promise<boolean> {
  try {
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', ...message }),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    await res.body.dump();
    return res.statusCode >= 200 && res.statusCode < 300;
  } catch {
    return false;
  }
}

/** Tells one person something privately: where they asked if possible, else in a DM. */
export async function tellUser(
  client: Client,
  userId: string,
  message: SlackMessage,
  responseUrl?: string,
): Promise<void> {
  if (responseUrl && (await postToResponseUrl(responseUrl, message))) return;
  // Posting to a user id lands in the app's DM with them (the Messages tab).
  await client.chat.postMessage({ channel: userId, text: message.text, blocks: message.blocks });
}

/**
 * A `respond()` for any button or command: the response_url's when Slack sent one, else the
 * person's DM with the bot. Buttons on the App Home (and in modals) come without a
 * response_url, and Bolt then gives listeners no `respond` at all.
 */
export function privateRespond(
  respond: RespondFn | undefined,
  client: Client,
  userId: string,
): RespondFn {
  if (typeof respond === 'function') return respond;
  return async (message: string | RespondArguments) => {
    const m: { text?: string; blocks?: SlackMessage['blocks'] } =
      typeof message === 'string' ? { text: message } : (message as SlackMessage);
    await tellUser(client, userId, { text: m.text ?? '', blocks: m.blocks ?? [] });
    // What respond() resolves with: the response_url's answer, here a DM's stand-in.
    return new Response(null, { status: 200 });
  };
}

/** Where a modal was opened from: its command's response_url and channel, when known. */
export interface Conversation {
  responseUrl?: string | undefined;
  channelId?: string | undefined;
}

/**
 * Tells everyone in the conversation a modal came from: through the command's response_url
 * (which works in any channel), else a bot post in the channel, else the person's DM, so the
 * outcome of a modal is never lost.
 */
export async function announce(
  client: Client,
  userId: string,
  where: Conversation,
  message: SlackMessage,
  log: Logger,
): Promise<void> {
  const inChannel = { response_type: 'in_channel' as const, replace_original: false, ...message };
  if (where.responseUrl && (await postToResponseUrl(where.responseUrl, inChannel))) return;
  try {
    if (where.channelId) {
      await client.chat.postMessage({
        channel: where.channelId,
        text: message.text,
        blocks: message.blocks,
      });
      return;
    }
  } catch (error) {
    log.warn({ err: error }, 'could not post in the channel; sending a DM instead');
  }
  await tellUser(client, userId, message);
}

/** The user's Slack time zone (IANA name), or undefined if Slack will not say. */
export async function userTimeZone(client: Client, userId: string): Promise<string | undefined> {
  try {
    const info = await client.users.info({ user: userId });
    return info.user?.tz ?? undefined;
  } catch {
    return undefined;
  }
}

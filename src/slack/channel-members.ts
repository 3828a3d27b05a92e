// A channel's members, read from Slack (conversations.members, paged 200 at a time under the
// channels:read and groups:read scopes the bot already has). Shared by the audience check
// (who will read what is posted) and flag requests (which stewards' channels a person is in).
import type { AllMiddlewareArgs } from '@slack/bolt';
import type { SlackPerson } from './users.ts';

type Client = AllMiddlewareArgs['client'];

/** Members per page, as Slack recommends. */
const PAGE = 200;
/** users.info look-ups at once when telling people from bots (a tier-4 method). */
const LOOKUPS_AT_ONCE = 8;

/**
 * Calls `onPage` with each page of member ids until it returns true (found what it wanted),
 * the pages end, or `maxPages` were read. Throws what Slack throws (channel_not_found, …).
 */
export async function pageChannelMembers(
  client: Client,
  channel: string,
  onPage: (ids: string[]) => boolean | undefined,
  maxPages = 25,
): Promise<{ complete: boolean }> {
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const res = await client.conversations.members({
      channel,
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
    });
    if (onPage(res.members ?? [])) return { complete: false };
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) return { complete: true };
  }
  return { complete: false };
}

/** Whether `userId` is in `channel`; a channel Slack will not list counts as not theirs. */
export async function hasMember(client: Client, channel: string, userId: string): Promise<boolean> {
  let found = false;
  try {
    await pageChannelMembers(client, channel, (ids) => {
      found = ids.includes(userId);
      return found;
    });
  } catch {
    // Not listable (gone, or the bot left it).
  }
  return found;
}

export interface ChannelPeople {
  /** People (bots and deleted accounts left out), at most `max`. */
  people: string[];
  /** False when the channel has more members than were read. */
  complete: boolean;
}

/**
 * The people in a channel, at most `max` of them: members read page by page, each looked up
 * (users.info, through `lookup`'s cache) so bots (this one included) and deactivated accounts
 * are left out.
 */
export async function channelPeople(
  client: Client,
  channel: string,
  max: number,
  lookup: (userId: string) => Promise<SlackPerson | undefined>,
): Promise<ChannelPeople> {
  const ids: string[] = [];
  let over = false;
  const paged = await pageChannelMembers(
    client,
    channel,
    (page) => {
      for (const id of page) {
        if (ids.length >= max) {
          over = true;
          return true;
        }
        ids.push(id);
      }
      return false;
    },
    Math.ceil(max / PAGE) + 1,
  );
  const kept = new Array<boolean>(ids.length).fill(false);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const i = next++;
      // Not a user Slack will describe: not someone who reads the channel.
      kept[i] = (await lookup(ids[i] as string))?.reads ?? false;
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUPS_AT_ONCE, ids.length) }, worker));
  return { people: ids.filter((_, i) => kept[i]), complete: paged.complete && !over };
}

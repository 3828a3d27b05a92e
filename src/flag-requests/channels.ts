// Which stewards' channels a person is in, so requests sent to a channel wait for each of its
// members too (conversations.members, under the channels:read and groups:read scopes the bot
// already has). A channel Slack will not list (gone, or the bot left it) counts as not theirs.
import type { AllMiddlewareArgs } from '@slack/bolt';
import { hasMember } from '../slack/channel-members.ts';

type Client = AllMiddlewareArgs['client'];

export async function channelsWithMember(
  client: Client,
  userId: string,
  channelIds: readonly string[],
): Promise<string[]> {
  const found = await Promise.all(
    channelIds.map(async (channel) =>
      (await hasMember(client, channel, userId)) ? channel : undefined,
    ),
  );
  return found.filter((c): c is string => c !== undefined);
}

/** The channels with open requests in `tenantId` that `userId` is in. */
export async function reviewChannelsOf(
  features: { flagRequests: { openReviewChannels(tenantId: string): Promise<string[]> } },
  client: Client,
  owner: { tenantId: string; userId: string },
): Promise<string[]> {
  const open = await features.flagRequests.openReviewChannels(owner.tenantId);
  return open.length === 0 ? [] : channelsWithMember(client, owner.userId, open);
}

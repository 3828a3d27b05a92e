// `/alation flag requests`: the trust-flag requests waiting for my decision and the ones I made,
// with their buttons (App Home shows the same list).

import type { AllMiddlewareArgs } from '@slack/bolt';
import { ownerOf } from '../../auth/owner.ts';
import type { Features } from '../../features.ts';
import { reviewChannelsOf } from '../../flag-requests/channels.ts';
import { reportFailure } from '../../slack/failure.ts';
import type { Owner } from '../../store/credentials.ts';
import { buildFlagRequestList } from '../../views/flag-request.ts';
import type { SlackMessage } from '../../views/help.ts';
import type { CommandDeps, CommandInput } from '../command.ts';

type Client = AllMiddlewareArgs['client'];

/** The list as `owner` sees it: the database, and Slack for the stewards' channels they are in. */
export async function requestList(
  features: Features,
  owner: Owner,
  client: Client,
): Promise<SlackMessage> {
  const channels = await reviewChannelsOf(features, client, owner);
  const { mine, waiting } = await features.flagRequests.listFor(owner, 10, channels);
  return buildFlagRequestList({
    mine,
    waiting,
    alationBaseUrl: features.alationBaseUrl,
    now: features.now(),
  });
}

export function listRequestsAction(deps: CommandDeps) {
  return {
    async run({ ack, respond, command, client, log }: CommandInput, args: string) {
      if (args.trim() !== '') {
        await ack({
          response_type: 'ephemeral',
          text: '`/alation flag requests` takes nothing after it: it lists the requests waiting for you and the ones you made.',
        });
        return;
      }
      await ack();
      try {
        const features = await deps.features();
        await respond({
          response_type: 'ephemeral',
          ...(await requestList(features, ownerOf(command), client)),
        });
      } catch (error) {
        await reportFailure(error, respond, log, 'list trust flag requests');
      }
    },
  };
}

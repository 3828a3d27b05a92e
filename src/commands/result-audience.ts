// The sharer's private choice when some members of the channel cannot see the query (issue 18):
// Share anyway · Send it only to those who can (each a DM, read with their own access) · Cancel.
import type { App, RespondFn } from '@slack/bolt';
import { ownerOf } from '../auth/owner.ts';
import { requestContext } from '../middleware/request-context.ts';
import { buttonValue } from '../slack/button-value.ts';
import {
  ACTION_AUDIENCE_CANCEL,
  ACTION_AUDIENCE_SEND_EACH,
  ACTION_AUDIENCE_SHARE_ANYWAY,
  buildSentEachNotice,
} from '../views/audience.ts';
import type { CommandDeps } from './command.ts';
import { parseShareValue, type ShareInput } from './result.ts';

type Share = (input: ShareInput) => Promise<boolean>;

/** DMs sent at once: each reads Alation as its reader and uploads a file to Slack. */
const SENT_AT_ONCE = 4;
/** Nothing to tell a reader of a DM they did not ask for when theirs fails; the sharer is told. */
const quiet: RespondFn = async () => ({}) as Awaited<ReturnType<RespondFn>>;

export function registerAudienceChoice(app: App, deps: CommandDeps, share: Share): void {
  app.action(ACTION_AUDIENCE_CANCEL, async ({ ack, respond }) => {
    await ack();
    await respond({ replace_original: true, text: 'Cancelled: nothing was shared.' });
  });

  app.action(
    ACTION_AUDIENCE_SHARE_ANYWAY,
    async ({ ack, body, action, client, respond, context }) => {
      await ack();
      const target = parseShareValue(buttonValue(action));
      if (!target) return;
      await respond({
        replace_original: true,
        text: `:hourglass_flowing_sand: Sharing the latest result of query ${target.queryId} in <#${target.channelId}>…`,
      });
      const log = requestContext(context).log;
      const posted = await share({
        ...target,
        client,
        respond,
        log,
        owner: ownerOf(body),
        audience: 'anyway',
      });
      if (posted) log.info({ queryId: target.queryId }, 'shared anyway');
    },
  );

  app.action(ACTION_AUDIENCE_SEND_EACH, async ({ ack, body, action, client, respond, context }) => {
    await ack();
    const target = parseShareValue(buttonValue(action));
    if (!target) return;
    const log = requestContext(context).log;
    const sharer = ownerOf(body);
    await respond({
      replace_original: true,
      text: `:hourglass_flowing_sand: Sending query ${target.queryId} to each member of <#${target.channelId}> who can see it…`,
    });
    const features = await deps.features();
    const finding = await features.audience.check(client, sharer.tenantId, target.channelId, {
      kind: 'query',
      id: target.queryId,
    });
    const readers = [...finding.canSee];
    let sent = 0;
    let failed = 0;
    const send = async () => {
      for (let userId = readers.shift(); userId; userId = readers.shift()) {
        try {
          const dm = await client.conversations.open({ users: userId });
          const channelId = dm.channel?.id;
          const ok =
            channelId !== undefined &&
            (await share({
              client,
              respond: quiet,
              log,
              owner: { tenantId: sharer.tenantId, userId },
              channelId,
              threadTs: undefined,
              queryId: target.queryId,
              audience: 'private',
            }));
          if (ok) sent++;
          else failed++;
        } catch {
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: SENT_AT_ONCE }, send));
    log.info({ queryId: target.queryId, sent, failed }, 'sent a result to each who can see it');
    await respond({ replace_original: true, text: buildSentEachNotice(sent, failed, finding) });
  });
}

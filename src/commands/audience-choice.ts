// The audience check before a post goes into a channel, and the poster's private choice when some
// members cannot see what it is about (issue 18): Share anyway · Send it only to those who can
// (each a DM, read with their own access) · Cancel. One machinery for every kind of post: shared
// query results (result.ts) and the announcements that carry catalog data (announce-checked.ts).
import type { AllMiddlewareArgs, App, RespondFn } from '@slack/bolt';
import { type AudienceFinding, type AudienceObject, isChannel } from '../audience/check.ts';
import { ownerOf } from '../auth/owner.ts';
import type { Features } from '../features.ts';
import type { Logger } from '../log.ts';
import { requestContext } from '../middleware/request-context.ts';
import { buttonValue } from '../slack/button-value.ts';
import type { Owner } from '../store/credentials.ts';
import { type AudienceActions, buildSentEachNotice, someCannotSee } from '../views/audience.ts';
import type { CommandDeps } from './command.ts';

type Client = AllMiddlewareArgs['client'];

/** DMs sent at once: each reads Alation as its reader (and may upload a file to Slack). */
const SENT_AT_ONCE = 4;
/** Nothing to tell a reader of a DM they did not ask for when theirs fails; the poster is told. */
export const quiet: RespondFn = async () => ({}) as Awaited<ReturnType<RespondFn>>;

/**
 * check: the audience check decides (AUDIENCE_CHECK); anyway: the poster chose to post although
 * some cannot see it; private: a DM to one person, read with their own access.
 */
export type AudienceMode = 'check' | 'anyway' | 'private';

export interface GateInput {
  client: Client;
  owner: Owner;
  channelId: string;
  object: AudienceObject;
  log: Logger;
  mode: AudienceMode;
}

/** What the check decided for one post. */
export interface Gate {
  /** What the check found; undefined when none was made (off, a DM, private, unlistable). */
  finding: AudienceFinding | undefined;
  /** AUDIENCE_CHECK=ask and some cannot see it: ask the poster first, post nothing. */
  ask: boolean;
  /** AUDIENCE_CHECK=warn and some cannot see it: post, then tell the poster privately. */
  warnAfter: boolean;
}

/** Runs the audience check a post needs under AUDIENCE_CHECK, and says what to do. */
export async function audienceGate(features: Features, input: GateInput): Promise<Gate> {
  const policy = features.audience.config.policy;
  const finding =
    input.mode !== 'private' && policy !== 'off' && isChannel(input.channelId)
      ? await audienceOf(features, input)
      : undefined;
  const some = finding !== undefined && someCannotSee(finding);
  return {
    finding,
    ask: some && input.mode === 'check' && policy === 'ask',
    warnAfter: some && policy === 'warn',
  };
}

/** The check, or none when Slack will not list the channel (the post then says why, if it fails). */
async function audienceOf(features: Features, input: GateInput) {
  try {
    return await features.audience.check(
      input.client,
      input.owner.tenantId,
      input.channelId,
      input.object,
    );
  } catch (error) {
    input.log.warn(
      { slackError: (error as { data?: { error?: string } }).data?.error },
      'audience check could not read the channel',
    );
    return undefined;
  }
}

/** One kind of post the choice can be about; what its buttons carry is `T`. */
export interface AudienceDelivery<T> {
  actions: AudienceActions;
  parse(value: string): T | undefined;
  /** Where it goes, what the check asks about, and the post in words ("query 15"). */
  about(target: T): { channelId: string; object: AudienceObject; words: string };
  /** Cancel's answer. */
  cancelled: string;
  /** Into the channel for everyone, read as `owner` (who chose Share anyway). */
  post(
    target: T,
    input: {
      client: Client;
      respond: RespondFn;
      log: Logger;
      owner: Owner;
      /** The button's response_url, which can post in the channel. */
      responseUrl: string | undefined;
    },
  ): Promise<boolean>;
  /** Into `channelId`, a DM with `owner`, read with `owner`'s own access. */
  sendTo(
    target: T,
    input: { client: Client; log: Logger; owner: Owner; channelId: string },
  ): Promise<boolean>;
}

export function registerAudienceChoice<T>(
  app: App,
  deps: CommandDeps,
  delivery: AudienceDelivery<T>,
): void {
  app.action(delivery.actions.cancel, async ({ ack, respond }) => {
    await ack();
    await respond({ replace_original: true, text: delivery.cancelled });
  });

  app.action(delivery.actions.anyway, async ({ ack, body, action, client, respond, context }) => {
    await ack();
    const target = delivery.parse(buttonValue(action));
    if (!target) return;
    const { channelId, words } = delivery.about(target);
    await respond({
      replace_original: true,
      text: `:hourglass_flowing_sand: Sharing ${words} in <#${channelId}>…`,
    });
    const log = requestContext(context).log;
    const posted = await delivery.post(target, {
      client,
      respond,
      log,
      owner: ownerOf(body),
      responseUrl: 'response_url' in body ? body.response_url : undefined,
    });
    if (posted) log.info({ channelId }, 'shared anyway');
  });

  app.action(delivery.actions.each, async ({ ack, body, action, client, respond, context }) => {
    await ack();
    const target = delivery.parse(buttonValue(action));
    if (!target) return;
    const { channelId, object, words } = delivery.about(target);
    const log = requestContext(context).log;
    const poster = ownerOf(body);
    await respond({
      replace_original: true,
      text: `:hourglass_flowing_sand: Sending ${words} to each member of <#${channelId}> who can see it…`,
    });
    const features = await deps.features();
    const finding = await features.audience.check(client, poster.tenantId, channelId, object);
    const { sent, failed } = await sendToEach(finding.canSee, async (userId) => {
      const dm = await client.conversations.open({ users: userId });
      const dmId = dm.channel?.id;
      return (
        dmId !== undefined &&
        (await delivery.sendTo(target, {
          client,
          log,
          owner: { tenantId: poster.tenantId, userId },
          channelId: dmId,
        }))
      );
    });
    log.info({ object, sent, failed }, 'sent a post to each who can see it');
    await respond({ replace_original: true, text: buildSentEachNotice(sent, failed, finding) });
  });
}

/** `send` for each reader, a few at a time; a throw counts as a failure. */
async function sendToEach(readers: readonly string[], send: (userId: string) => Promise<boolean>) {
  const left = [...readers];
  let sent = 0;
  let failed = 0;
  const worker = async () => {
    for (let userId = left.shift(); userId; userId = left.shift()) {
      try {
        if (await send(userId)) sent++;
        else failed++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: SENT_AT_ONCE }, worker));
  return { sent, failed };
}

// `/alation digest list` (or `/alation digest`): the creator's digests in this workspace, and
// the buttons that run, pause, resume, edit or delete one.
import { randomUUID } from 'node:crypto';
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  RespondFn,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { ownerOf } from '../../auth/owner.ts';
import { listMessage, mayManage } from '../../digests/list-message.ts';
import type { Features } from '../../features.ts';
import { publishHome } from '../../home/publish.ts';
import { requestContext } from '../../middleware/request-context.ts';
import { buttonValue } from '../../slack/button-value.ts';
import { reportFailure } from '../../slack/failure.ts';
import { privateRespond } from '../../slack/reply.ts';
import type { Owner } from '../../store/credentials.ts';
import { escapeMrkdwn } from '../../views/blocks.ts';
import {
  ACTION_DIGEST_DELETE,
  ACTION_DIGEST_EDIT,
  ACTION_DIGEST_PAGE,
  ACTION_DIGEST_PAUSE,
  ACTION_DIGEST_RESUME,
  ACTION_DIGEST_RUN_NOW,
} from '../../views/digest-list.ts';
import type { CommandDeps, CommandInput } from '../command.ts';
import type { newDigestAction } from './new.ts';

type Client = AllMiddlewareArgs['client'];
type ButtonArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

interface Pressed {
  body: BlockAction;
  value: string;
  reply: RespondFn;
  client: Client;
  context: ButtonArgs['context'];
}

const userIdOf = (body: { user?: { id?: string } }) => body.user?.id ?? '';

const NOT_YOURS = {
  response_type: 'ephemeral' as const,
  replace_original: false,
  text: 'That digest no longer exists, or only its creator can change it.',
};

/** Buttons on App Home come with no response_url: the Home itself is what to refresh. */
const onHome = (body: unknown) => (body as { view?: { type?: string } }).view?.type === 'home';

export function listDigestsAction(deps: CommandDeps, edit: ReturnType<typeof newDigestAction>) {
  /** The pressed digest, when the presser may manage it; otherwise says why not. */
  async function pressed(body: unknown, value: string, reply: RespondFn) {
    const features = await deps.features();
    const owner = ownerOf(body as Parameters<typeof ownerOf>[0]);
    const digest = await features.digests.get(value);
    if (!mayManage(digest, owner)) {
      await reply(NOT_YOURS);
      return undefined;
    }
    return { features, owner, digest };
  }

  /** After a change: the list where it was pressed, or the Home it was pressed on. */
  async function show(
    body: unknown,
    reply: RespondFn,
    client: Client,
    found: { features: Features; owner: Owner },
    notice: string,
  ) {
    if (onHome(body)) {
      await publishHome(client, found.features, found.owner);
      return;
    }
    await reply({
      replace_original: true,
      ...(await listMessage(found.features, found.owner, notice)),
    });
  }

  return {
    async run({ ack, respond, command, log }: CommandInput) {
      await ack();
      try {
        const features = await deps.features();
        await respond({
          response_type: 'ephemeral',
          ...(await listMessage(features, ownerOf(command))),
        });
      } catch (error) {
        await reportFailure(error, respond, log, 'list your digests');
      }
    },
    register(app: App) {
      /**
       * Every digest button: ack at once, then the work; whatever fails (the database, pg-boss,
       * Slack) ends as the app's one failure message, where the button was pressed or, on the
       * App Home (no response_url), in the person's DM.
       */
      const button =
        (doing: string, work: (pressed: Pressed) => Promise<void>) => async (args: ButtonArgs) => {
          await args.ack();
          const reply = privateRespond(args.respond, args.client, userIdOf(args.body));
          try {
            await work({
              body: args.body,
              value: buttonValue(args.action),
              reply,
              client: args.client,
              context: args.context,
            });
          } catch (error) {
            await reportFailure(error, reply, requestContext(args.context).log, doing).catch(
              (err: unknown) =>
                requestContext(args.context).log.error({ err }, 'could not report a failure'),
            );
          }
        };
      app.action(
        new RegExp(`^${ACTION_DIGEST_PAGE}_`),
        button('show that page of your digests', async ({ body, value, reply, client }) => {
          const features = await deps.features();
          const owner = ownerOf(body as Parameters<typeof ownerOf>[0]);
          if (onHome(body)) {
            await publishHome(client, features, owner);
            return;
          }
          const from = Number.parseInt(value, 10);
          await reply({
            replace_original: true,
            ...(await listMessage(features, owner, undefined, Number.isFinite(from) ? from : 0)),
          });
        }),
      );
      app.action(
        ACTION_DIGEST_RUN_NOW,
        button('run the digest now', async ({ body, value, reply }) => {
          const found = await pressed(body, value, reply);
          if (!found) return;
          await found.features.digestScheduler().runNow(found.digest.id, randomUUID());
          const text = `:arrow_forward: Running *${escapeMrkdwn(found.digest.name)}* now; it will appear in <#${found.digest.channelId}> shortly.`;
          await reply({ response_type: 'ephemeral', replace_original: false, text });
        }),
      );
      app.action(
        ACTION_DIGEST_PAUSE,
        button('pause the digest', async ({ body, value, reply, client }) => {
          const found = await pressed(body, value, reply);
          if (!found) return;
          await found.features.digests.setStatus(found.digest.id, 'paused', null);
          await found.features.digestScheduler().unschedule(found.digest.id);
          await show(body, reply, client, found, `Paused *${escapeMrkdwn(found.digest.name)}*.`);
        }),
      );
      app.action(
        ACTION_DIGEST_RESUME,
        button('resume the digest', async ({ body, value, reply, client }) => {
          const found = await pressed(body, value, reply);
          if (!found) return;
          const resumed = await found.features.digests.setStatus(found.digest.id, 'active', null);
          if (resumed) await found.features.digestScheduler().schedule(resumed);
          await show(body, reply, client, found, `Resumed *${escapeMrkdwn(found.digest.name)}*.`);
        }),
      );
      app.action(
        ACTION_DIGEST_DELETE,
        button('delete the digest', async ({ body, value, reply, client }) => {
          const found = await pressed(body, value, reply);
          if (!found) return;
          await found.features.digestScheduler().unschedule(found.digest.id);
          await found.features.digests.remove(found.digest.id);
          await show(body, reply, client, found, `Deleted *${escapeMrkdwn(found.digest.name)}*.`);
        }),
      );
      app.action(
        ACTION_DIGEST_EDIT,
        button('open the digest editor', async ({ body, value, reply, client }) => {
          const found = await pressed(body, value, reply);
          if (!found) return;
          const triggerId = 'trigger_id' in body ? String(body.trigger_id) : '';
          await edit.openEdit(client, triggerId, found.digest, found.features.now());
        }),
      );
    },
  };
}

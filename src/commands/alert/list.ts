// `/alation alert list` (or `/alation alert`): the person's alerts in this workspace, and the
// buttons on the list and on alert cards: Acknowledge and Snooze (anyone who sees the card),
// Mute, Resume, Edit and Delete (the alert's creator).
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  RespondFn,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { renderCard } from '../../alerts/card.ts';
import { acknowledge } from '../../alerts/episode.ts';
import { SNOOZES, type Snooze, snoozeUntil } from '../../alerts/snooze.ts';
import { ownerOf } from '../../auth/owner.ts';
import type { Features } from '../../features.ts';
import { publishHome } from '../../home/publish.ts';
import type { Logger } from '../../log.ts';
import { requestContext } from '../../middleware/request-context.ts';
import { buttonValue } from '../../slack/button-value.ts';
import { reportFailure } from '../../slack/failure.ts';
import { privateRespond, userTimeZone } from '../../slack/reply.ts';
import type { Alert } from '../../store/alerts.ts';
import type { Owner } from '../../store/credentials.ts';
import {
  ACTION_ALERT_ACK,
  ACTION_ALERT_DELETE,
  ACTION_ALERT_EDIT,
  ACTION_ALERT_MUTE,
  ACTION_ALERT_RESUME,
  ACTION_ALERT_SNOOZE,
  buildAlertList,
} from '../../views/alert.ts';
import { escapeMrkdwn } from '../../views/blocks.ts';
import type { CommandDeps, CommandInput } from '../command.ts';
import { formOfAlert } from './form.ts';
import type { newAlertAction } from './new.ts';

type Client = AllMiddlewareArgs['client'];
type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

const isOwner = (alert: Alert, owner: Owner) =>
  alert.owner.tenantId === owner.tenantId && alert.owner.userId === owner.userId;

/** Buttons on App Home come with no response_url: the Home itself is what to refresh. */
const onHome = (body: unknown) => (body as { view?: { type?: string } }).view?.type === 'home';

const ephemeral = (text: string) => ({
  response_type: 'ephemeral' as const,
  replace_original: false,
  text,
});

/** The pressed message is the alert's card (not the list): redraw it there. */
function pressedCard(body: BlockAction, alert: Alert): string | undefined {
  const ts = body.message?.ts;
  return ts && ts === alert.episode?.cardTs && body.channel?.id === alert.channelId
    ? ts
    : undefined;
}

export function listAlertsAction(deps: CommandDeps, edit: ReturnType<typeof newAlertAction>) {
  async function listFor(features: Features, owner: Owner, client: Client, notice?: string) {
    const alerts = (await features.alerts.list(owner.tenantId)).filter(
      (a) => a.owner.userId === owner.userId,
    );
    const zone = await userTimeZone(client, owner.userId);
    return buildAlertList({ alerts, now: features.now(), zone, ...(notice ? { notice } : {}) });
  }

  async function redrawCard(features: Features, client: Client, alertId: string, log: Logger) {
    const alert = await features.alerts.get(alertId);
    const episode = alert?.episode;
    // A personal alert's channel post carries no data, so it is never redrawn as a card.
    if (!alert || !episode?.cardTs || alert.personal) return;
    await client.chat
      .update({
        channel: alert.channelId,
        ts: episode.cardTs,
        ...renderCard(
          alert,
          episode,
          'open',
          features.now(),
          (await features.slackUsers.viewer(client, alert.owner.tenantId, alert.owner.userId)).name,
        ),
      })
      .catch((err: unknown) => log.warn({ err, alertId }, 'could not redraw an alert card'));
  }

  /** After a creator's change: the card it was pressed on, or the list. */
  async function after(
    features: Features,
    args: ActionArgs,
    reply: RespondFn,
    alertId: string,
    notice: string,
  ) {
    const log = requestContext(args.context).log;
    const alert = await features.alerts.get(alertId);
    if (alert && pressedCard(args.body, alert)) {
      await redrawCard(features, args.client, alertId, log);
      await reply(ephemeral(notice));
      return;
    }
    const owner = ownerOf(args.body);
    if (onHome(args.body)) {
      await publishHome(args.client, features, owner, log);
      return;
    }
    await reply({
      replace_original: true,
      ...(await listFor(features, owner, args.client, notice)),
    });
  }

  /** A creator-only button: the alert, or a private word on why not. */
  async function mine(
    args: ActionArgs,
    reply: RespondFn,
  ): Promise<{ features: Features; alert: Alert } | undefined> {
    const features = await deps.features();
    const alert = await features.alerts.get(buttonValue(args.action));
    const owner = ownerOf(args.body);
    if (!alert) {
      await reply(ephemeral('That alert no longer exists.'));
      return undefined;
    }
    if (!isOwner(alert, owner)) {
      await reply(
        ephemeral(
          `Only <@${alert.owner.userId}>, who created this alert, can change it. Acknowledge and Snooze are open to everyone.`,
        ),
      );
      return undefined;
    }
    return { features, alert };
  }

  const guarded =
    (doing: string, handler: (args: ActionArgs, reply: RespondFn) => Promise<void>) =>
    async (args: ActionArgs) => {
      await args.ack();
      const reply = privateRespond(args.respond, args.client, args.body.user.id);
      try {
        await handler(args, reply);
      } catch (error) {
        await reportFailure(error, reply, requestContext(args.context).log, doing);
      }
    };

  return {
    async run({ ack, respond, command, client, log }: CommandInput) {
      await ack();
      try {
        const features = await deps.features();
        await respond({
          response_type: 'ephemeral',
          ...(await listFor(features, ownerOf(command), client)),
        });
      } catch (error) {
        await reportFailure(error, respond, log, 'list your alerts');
      }
    },

    register(app: App) {
      app.action<BlockAction>(
        ACTION_ALERT_ACK,
        guarded('acknowledge the alert', async (args, reply) => {
          const features = await deps.features();
          const alert = await features.alerts.get(buttonValue(args.action));
          const episode = alert?.episode;
          if (!alert || !episode) {
            await reply(ephemeral('That alert has nothing open to acknowledge any more.'));
            return;
          }
          const acked = acknowledge(episode, args.body.user.id, features.now());
          if (
            acked !== episode &&
            !(await features.alerts.setEpisode(alert.id, acked, episode.startedAt))
          ) {
            await reply(ephemeral('The alert changed while you pressed; look at the card again.'));
            return;
          }
          await redrawCard(features, args.client, alert.id, requestContext(args.context).log);
        }),
      );

      app.action<BlockAction>(
        ACTION_ALERT_SNOOZE,
        guarded('snooze the alert', async (args, reply) => {
          const raw =
            (args.action as { selected_option?: { value?: string } }).selected_option?.value ?? '';
          const [alertId = '', choice = ''] = raw.split(':');
          if (!SNOOZES.includes(choice as Snooze)) return;
          const features = await deps.features();
          const zone = await userTimeZone(args.client, args.body.user.id);
          const until = snoozeUntil(choice as Snooze, features.now(), zone);
          const alert = await features.alerts.snooze(alertId, until, args.body.user.id);
          if (!alert) {
            await reply(ephemeral('That alert no longer exists.'));
            return;
          }
          await redrawCard(features, args.client, alert.id, requestContext(args.context).log);
        }),
      );

      app.action<BlockAction>(
        ACTION_ALERT_MUTE,
        guarded('mute the alert', async (args, reply) => {
          const found = await mine(args, reply);
          if (!found) return;
          await found.features.alerts.setStatus(found.alert.id, 'muted', null);
          await found.features.alertScheduler().unschedule(found.alert.id);
          await after(
            found.features,
            args,
            reply,
            found.alert.id,
            `Muted *${escapeMrkdwn(found.alert.name)}*: it is not checked until you press Resume.`,
          );
        }),
      );

      app.action<BlockAction>(
        ACTION_ALERT_RESUME,
        guarded('resume the alert', async (args, reply) => {
          const found = await mine(args, reply);
          if (!found) return;
          const alert = await found.features.alerts.setStatus(found.alert.id, 'active', null);
          if (alert) {
            await found.features.alertScheduler().schedule(alert);
            await found.features.alertScheduler().checkNow(alert.id);
          }
          await after(
            found.features,
            args,
            reply,
            found.alert.id,
            `Resumed *${escapeMrkdwn(found.alert.name)}*: checking again now.`,
          );
        }),
      );

      app.action<BlockAction>(
        ACTION_ALERT_EDIT,
        guarded('open the alert', async (args, reply) => {
          const found = await mine(args, reply);
          if (!found) return;
          await edit.openEdit(
            args.client,
            args.body.trigger_id,
            found.alert,
            formOfAlert(found.alert),
          );
        }),
      );

      app.action<BlockAction>(
        ACTION_ALERT_DELETE,
        guarded('delete the alert', async (args, reply) => {
          const found = await mine(args, reply);
          if (!found) return;
          await found.features.alertScheduler().unschedule(found.alert.id);
          await found.features.alerts.remove(found.alert.id);
          const notice = `Deleted *${escapeMrkdwn(found.alert.name)}*. Cards it posted stay as they are.`;
          if (pressedCard(args.body, found.alert)) {
            await reply(ephemeral(notice));
            return;
          }
          if (onHome(args.body)) {
            const log = requestContext(args.context).log;
            await publishHome(args.client, found.features, ownerOf(args.body), log);
            return;
          }
          await reply({
            replace_original: true,
            ...(await listFor(found.features, ownerOf(args.body), args.client, notice)),
          });
        }),
      );
    },
  };
}

// App Home: built from the person's connections and running job watches whenever they open it,
// and again after anything they change (connect, disconnect, logout).
import type { AllMiddlewareArgs, App } from '@slack/bolt';
import { ownerOf } from '../auth/owner.ts';
import { listMessage } from '../commands/digest/list.ts';
import type { Features } from '../features.ts';
import type { Logger } from '../log.ts';
import { requestContext } from '../middleware/request-context.ts';
import { reportFailure } from '../slack/failure.ts';
import { privateRespond, userTimeZone } from '../slack/reply.ts';
import type { Owner, Provider } from '../store/credentials.ts';
import type { Watch } from '../store/watches.ts';
import { ACTION_HOME_DISCONNECT, buildHomeView, type HomeWatch } from '../views/home.ts';
import { inZone } from '../views/time.ts';
import { connectionSummary } from '../views/whoami.ts';

type Client = AllMiddlewareArgs['client'];

const jobLabel = (w: Watch) => ('id' in w.ref ? `job ${w.ref.id}` : `job “${w.ref.name}”`);

/**
 * Publishes `owner`'s Home tab. Never throws: a Home that could not be refreshed must not turn
 * the change the person just made (a connect, a logout) into an error.
 */
export async function publishHome(
  client: Client,
  features: Features,
  owner: Owner,
  log?: Logger,
): Promise<void> {
  try {
    const [rows, watches, zone, digests] = await Promise.all([
      features.credentials.list(owner),
      features.watches.activeFor(owner),
      userTimeZone(client, owner.userId),
      listMessage(features, owner),
    ]);
    const summary = (provider: Provider) => connectionSummary(rows, provider);
    const homeWatches: HomeWatch[] = await Promise.all(
      watches.map(async (w) => ({
        label: jobLabel(w),
        channelId: w.channelId,
        permalink: await permalink(client, w.channelId, w.messageTs),
        jobStatus: w.jobStatus,
        started: inZone(w.startedAt, zone),
      })),
    );
    await client.views.publish({
      user_id: owner.userId,
      view: buildHomeView({
        alation: summary('alation'),
        mode: summary('mode'),
        watches: homeWatches,
        digests: digests.blocks,
        formatDate: (iso) => inZone(new Date(iso), zone),
      }),
    });
  } catch (err) {
    log?.warn({ err }, 'could not publish the App Home');
  }
}

/** A link to the job card; the card is still named by its channel when Slack will not say. */
async function permalink(client: Client, channel: string, ts: string): Promise<string | undefined> {
  try {
    const res = await client.chat.getPermalink({ channel, message_ts: ts });
    return res.permalink;
  } catch {
    return undefined;
  }
}

export interface HomeDeps {
  features(): Promise<Features>;
  /** Deletes one stored credential as `/alation logout <provider>` does; returns what to say. */
  disconnect(features: Features, owner: Owner, provider: Provider, log: Logger): Promise<string>;
}

export function registerHome(app: App, deps: HomeDeps): void {
  app.event('app_home_opened', async ({ event, body, client, context }) => {
    // The Messages tab opens this event too; only the Home tab has something to build.
    if (event.tab !== 'home') return;
    const owner = ownerOf({
      user_id: event.user,
      team_id: body.team_id,
      ...(body.enterprise_id ? { enterprise_id: body.enterprise_id } : {}),
    });
    const log = requestContext(context).log;
    await publishHome(client, await deps.features(), owner, log);
  });

  app.action(ACTION_HOME_DISCONNECT, async ({ ack, body, action, client, context }) => {
    await ack();
    const value = 'value' in action ? action.value : undefined;
    if (value !== 'alation' && value !== 'mode') return;
    const log = requestContext(context).log;
    const owner = ownerOf(body);
    const features = await deps.features();
    try {
      // The Home itself shows the outcome; what logout would say is not needed here.
      await deps.disconnect(features, owner, value, log);
      log.info({ provider: value }, 'disconnected from the App Home');
    } catch (err) {
      await reportFailure(
        err,
        privateRespond(undefined, client, owner.userId),
        log,
        `disconnect ${value === 'alation' ? 'Alation' : 'Mode'}`,
      ).catch((e: unknown) => log.error({ err: e }, 'could not report a failure'));
    }
    await publishHome(client, features, owner, log);
  });
}

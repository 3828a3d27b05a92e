// The App Home tab's content, built from the person's connections, running job watches, digests,
// alerts and trust-flag requests, and published whenever they open it or change something (connect,
// disconnect, logout).
import type { AllMiddlewareArgs } from '@slack/bolt';
import { listMessage } from '../digests/list-message.ts';
import type { Features } from '../features.ts';
import { reviewChannelsOf } from '../flag-requests/channels.ts';
import type { Logger } from '../log.ts';
import { userTimeZone } from '../slack/reply.ts';
import type { Owner, Provider } from '../store/credentials.ts';
import type { Watch } from '../store/watches.ts';
import { buildAlertList } from '../views/alert.ts';
import { buildFlagRequestList } from '../views/flag-request.ts';
import { buildHomeView, type HomeWatch } from '../views/home.ts';
import { inZone } from '../views/time.ts';
import { connectionSummary } from '../views/whoami.ts';

type Client = AllMiddlewareArgs['client'];

/** Alerts on the Home tab: each takes three of its 100 blocks. */
const HOME_ALERTS = 5;

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
    const [rows, watches, zone, digests, requests, alerts] = await Promise.all([
      features.credentials.list(owner),
      features.watches.activeFor(owner),
      userTimeZone(client, owner.userId),
      listMessage(features, owner),
      reviewChannelsOf(features, client, owner).then((channels) =>
        features.flagRequests.listFor(owner, 10, channels),
      ),
      features.alerts.list(owner.tenantId),
    ]);
    const mine = alerts.filter((a) => a.owner.userId === owner.userId);
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
        ...(mine.length > 0
          ? {
              alerts: buildAlertList({ alerts: mine, now: features.now(), zone, max: HOME_ALERTS })
                .blocks,
            }
          : {}),
        ...(requests.mine.length + requests.waiting.length > 0
          ? {
              flagRequests: buildFlagRequestList({
                ...requests,
                alationBaseUrl: features.alationBaseUrl,
                now: features.now(),
              }).blocks,
            }
          : {}),
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

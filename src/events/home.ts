// App Home events: publish the Home when it is opened, and its Disconnect buttons.
import type { App } from '@slack/bolt';
import { ownerOf } from '../auth/owner.ts';
import type { Features } from '../features.ts';
import { publishHome } from '../home/publish.ts';
import type { Logger } from '../log.ts';
import { requestContext } from '../middleware/request-context.ts';
import { buttonValue } from '../slack/button-value.ts';
import { reportFailure } from '../slack/failure.ts';
import { privateRespond } from '../slack/reply.ts';
import type { Owner, Provider } from '../store/credentials.ts';
import { ACTION_HOME_DISCONNECT } from '../views/home.ts';

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
    const value = buttonValue(action);
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

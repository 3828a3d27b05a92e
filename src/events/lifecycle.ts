// The app's own lifecycle in a workspace: uninstalled or its tokens revoked (tokens deleted at
// once, the workspace's digests, alerts and job watches stopped, its people's stored
// credentials deleted after the retention period), and members who leave (user_change with
// deleted: true: their credentials deleted at once, their digests paused with a notice).
import type { AllMiddlewareArgs, App } from '@slack/bolt';
import type { Features } from '../features.ts';
import type { Logger } from '../log.ts';
import type { SlackClients } from '../slack/clients.ts';
import { tenantOf } from '../store/installations.ts';
import { buildCreatorLeftNotice } from '../views/lifecycle.ts';

export interface LifecycleDeps {
  features(): Promise<Features>;
  clients: SlackClients;
  log: Logger;
}

interface Scope {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}

/** Deletes the installation and stops its tenant's background work (unless another install serves it). */
export async function appLeft(deps: LifecycleDeps, scope: Scope, why: string): Promise<void> {
  const features = await deps.features();
  const tenantId = tenantOf(scope);
  if (!tenantId) return;
  const removed = deps.clients.singleToken ? [] : await features.installations.remove(scope);
  // A workspace install inside an org whose other workspaces (or org install) still serve it.
  if (!deps.clients.singleToken && (await features.installations.forTenant(tenantId))) {
    deps.log.info(
      { tenantId, teamId: scope.teamId, why },
      'one installation removed; others remain',
    );
    return;
  }
  const paused = await features.lifecycle.uninstalled(tenantId, features.now());
  for (const digest of paused) {
    await features
      .digestScheduler()
      .unschedule(digest.id)
      .catch((err: unknown) => deps.log.warn({ err, digestId: digest.id }, 'could not unschedule'));
  }
  deps.log.info(
    {
      tenantId,
      teamId: scope.teamId,
      enterpriseId: scope.enterpriseId,
      why,
      installationsRemoved: removed.length,
      digestsPaused: paused.length,
    },
    'the app left a workspace: tokens deleted, digests, alerts and job watches stopped',
  );
}

/** A deactivated member: credentials deleted now, their digests paused with a notice. */
export async function memberLeft(
  deps: LifecycleDeps,
  owner: { tenantId: string; userId: string },
  client: AllMiddlewareArgs['client'],
): Promise<void> {
  const features = await deps.features();
  const done = await features.lifecycle.memberLeft(owner);
  for (const digest of done.digests) {
    await features
      .digestScheduler()
      .unschedule(digest.id)
      .catch((err: unknown) => deps.log.warn({ err, digestId: digest.id }, 'could not unschedule'));
    await client.chat
      .postMessage({ channel: digest.channelId, ...buildCreatorLeftNotice(digest.name) })
      .catch((err: unknown) =>
        deps.log.warn({ err, digestId: digest.id }, 'could not post the paused-digest notice'),
      );
  }
  deps.log.info(
    {
      tenantId: owner.tenantId,
      userId: owner.userId,
      connectionsDeleted: done.credentials,
      digestsPaused: done.digests.length,
      alertsPaused: done.alerts,
      watchesStopped: done.watches,
    },
    'a deactivated member’s stored credentials were deleted and their work paused',
  );
}

export function registerLifecycleEvents(app: App, deps: LifecycleDeps): void {
  app.event('app_uninstalled', async ({ context }) => {
    await appLeft(deps, context, 'app_uninstalled');
  });

  app.event('tokens_revoked', async ({ event, context }) => {
    // Only the bot token is stored; revoked user tokens change nothing here.
    if ((event.tokens.bot ?? []).length === 0) return;
    await appLeft(deps, context, 'tokens_revoked');
  });

  app.event('user_change', async ({ event, body, context, client }) => {
    const user = event.user as {
      id: string;
      deleted?: boolean;
      team_id?: string;
      enterprise_user?: { enterprise_id?: string };
    };
    if (user.deleted !== true) return;
    const tenantId =
      body.enterprise_id ||
      context.enterpriseId ||
      user.enterprise_user?.enterprise_id ||
      body.team_id ||
      user.team_id;
    if (!tenantId) return;
    await memberLeft(deps, { tenantId, userId: user.id }, client);
  });
}

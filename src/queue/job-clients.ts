// The Slack client a background job posts with: the installation of the workspace (or org) that
// owns what the job is about. One lookup at the start of the job; the job's code then uses the
// client as before. A digest whose installation is gone is paused, with the reason recorded.
import type { Features } from '../features.ts';
import type { Logger } from '../log.ts';
import type { SlackClient, SlackClients } from '../slack/clients.ts';
import type { Owner } from '../store/credentials.ts';
import { PAUSE_REASONS } from '../store/tenant-lifecycle.ts';

export interface JobClients {
  /** For a digest run; undefined (and the digest paused) when its installation is gone. */
  forDigest(digestId: string): Promise<SlackClient | undefined>;
  forWatch(watchId: string): Promise<SlackClient | undefined>;
  /** For a group of alerts of one creator. */
  forAlert(alertId: string): Promise<SlackClient | undefined>;
  forFlagRequest(requestId: string): Promise<SlackClient | undefined>;
}

export function jobClients(
  clients: SlackClients,
  features: Pick<
    Features,
    'digests' | 'watches' | 'alerts' | 'flagRequests' | 'lifecycle' | 'digestScheduler'
  >,
  log: Logger,
): JobClients {
  // On Enterprise Grid, the workspace it was made in: its own install, else the org's.
  const byOwner = async (owner: Owner | undefined) =>
    owner === undefined
      ? undefined
      : owner.teamId
        ? clients.forTeam({ enterpriseId: owner.tenantId, teamId: owner.teamId })
        : clients.forTenant(owner.tenantId);
  return {
    async forDigest(digestId) {
      const digest = await features.digests.get(digestId);
      // Deleted meanwhile: the delivery notices and does nothing; any client will do.
      if (!digest) return clients.singleToken ? clients.forTenant('') : undefined;
      const client = await byOwner(digest.owner);
      if (client) return client;
      if (await features.lifecycle.pauseDigest(digestId, PAUSE_REASONS.installationGone)) {
        await features
          .digestScheduler()
          .unschedule(digestId)
          .catch(() => {});
        log.warn(
          { digestId, tenantId: digest.owner.tenantId },
          'paused a digest: the app is no longer installed in its workspace',
        );
      }
      return undefined;
    },
    async forWatch(watchId) {
      return byOwner((await features.watches.get(watchId))?.owner);
    },
    async forAlert(alertId) {
      return byOwner((await features.alerts.get(alertId))?.owner);
    },
    async forFlagRequest(requestId) {
      return byOwner((await features.flagRequests.get(requestId))?.requester);
    },
  };
}

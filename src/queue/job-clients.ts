// The Slack client a background job posts with: the installation of the workspace (or org) that
// owns what the job is about. One lookup at the start of the job; the job's code then uses the
// client as before. A digest whose installation is gone is paused, with the reason recorded.
import type { Features } from '../features.ts';
import type { Logger } from '../log.ts';
import type { SlackClient, SlackClients } from '../slack/clients.ts';
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
  const byTenant = async (tenantId: string | undefined) =>
    tenantId === undefined ? undefined : clients.forTenant(tenantId);
  return {
    async forDigest(digestId) {
      const digest = await features.digests.get(digestId);
      // Deleted meanwhile: the delivery notices and does nothing; any client will do.
      if (!digest) return clients.singleToken ? clients.forTenant('') : undefined;
      const client = await clients.forTenant(digest.owner.tenantId);
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
      return byTenant((await features.watches.get(watchId))?.owner.tenantId);
    },
    async forAlert(alertId) {
      return byTenant((await features.alerts.get(alertId))?.owner.tenantId);
    },
    async forFlagRequest(requestId) {
      return byTenant((await features.flagRequests.get(requestId))?.requester.tenantId);
    },
  };
}

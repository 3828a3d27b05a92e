// Two housekeeping schedules on pg-boss (each cron occurrence runs once across replicas): the
// deletion of stored credentials of workspaces uninstalled longer than the retention period
// ago, and the refresh of rotating bot tokens before they expire (OAuth installs only).
import type { PgBoss } from 'pg-boss';
import type { Features } from '../features.ts';
import type { Logger } from '../log.ts';
import type { SlackClients } from '../slack/clients.ts';

export const PURGE_QUEUE = 'uninstall-purge';
export const TOKEN_REFRESH_QUEUE = 'slack-token-refresh';

export async function startLifecycleWorkers(
  boss: PgBoss,
  features: Pick<Features, 'lifecycle' | 'now'>,
  clients: SlackClients,
  log: Logger,
  options: { pollingIntervalSeconds?: number } = {},
): Promise<void> {
  const settings = { retryLimit: 2, retryDelay: 60, expireInSeconds: 600 };
  const work = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 30, batchSize: 1 };
  await boss.createQueue(PURGE_QUEUE, settings);
  await boss.schedule(PURGE_QUEUE, '17 * * * *', {}, { key: 'hourly' });
  await boss.work(PURGE_QUEUE, work, async () => {
    const purged = await features.lifecycle.purgeDue(features.now());
    if (purged.tenants > 0) {
      log.info(
        purged,
        'deleted stored credentials of workspaces uninstalled past the retention period',
      );
    }
  });
  if (clients.singleToken) return;
  await boss.createQueue(TOKEN_REFRESH_QUEUE, settings);
  await boss.schedule(TOKEN_REFRESH_QUEUE, '*/20 * * * *', {}, { key: 'every-20-minutes' });
  await boss.work(TOKEN_REFRESH_QUEUE, work, async () => {
    const refreshed = await clients.refreshDue();
    if (refreshed > 0) log.info({ refreshed }, 'refreshed rotating Slack bot tokens');
  });
}

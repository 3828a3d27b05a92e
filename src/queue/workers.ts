// The background workers a bot runs once storage is up, started the same way by src/run.ts and
// by the test bot, so the tests exercise the production wiring.
import type { PgBoss } from 'pg-boss';
import type { CopyRef } from '../digests/personal-copies.ts';
import type { Features } from '../features.ts';
import { requestDeps } from '../flag-requests/notify.ts';
import { startFlagRequestWorker } from '../flag-requests/timers.ts';
import type { Logger } from '../log.ts';
import type { SlackClient, SlackClients } from '../slack/clients.ts';
import type { Owner } from '../store/credentials.ts';
import { alertCheckDeps, startAlertWorker } from './alert-check.ts';
import { copyWorkerDeps, startDigestCopyWorker } from './digest-copies.ts';
import { digestWorkerDeps, startDigestWorker } from './digest-run.ts';
import { jobClients } from './job-clients.ts';
import { ensureJobWatchQueue, startJobWatchWorker } from './job-watch.ts';
import { startLifecycleWorkers } from './lifecycle.ts';

export interface WorkerOptions {
  /** How often idle workers ask pg-boss for work; tests shorten it. */
  pollingIntervalSeconds?: number;
  /** Job-card poll schedule; production uses 1 s doubling to 30 s. */
  jobWatchDelays?: { firstMs: number; maxMs: number };
}

/**
 * Job-card polls, digest deliveries, flag request reminders and expiries, alert checks, and the
 * uninstall purge and token refresh, on `boss`. Each job posts with its own workspace's client
 * from `clients` (the one bot token in single-workspace mode).
 */
export async function startWorkers(
  boss: PgBoss,
  features: Features,
  clients: SlackClients,
  log: Logger,
  options: WorkerOptions = {},
): Promise<void> {
  const polling =
    options.pollingIntervalSeconds === undefined
      ? {}
      : { pollingIntervalSeconds: options.pollingIntervalSeconds };
  const slack = clients.base;
  // One token for everything needs no lookup per job.
  const perJob = clients.singleToken ? undefined : jobClients(clients, features, log);
  await ensureJobWatchQueue(boss);
  await startJobWatchWorker(boss, {
    watches: features.watches,
    scheduler: features.watchScheduler(),
    alationFor: features.alationFor,
    slack,
    users: features.slackUsers,
    log,
    now: features.now,
    ...(options.jobWatchDelays ? { delays: options.jobWatchDelays } : {}),
    ...(perJob ? { clientFor: perJob.forWatch } : {}),
    ...polling,
  });
  // Digest and alert posts (a channel post, a personal digest's DMs, an alert card) take slots of
  // their workspace's budget, shared with every replica; other methods (uploads) go straight on.
  const paced =
    (
      resolve: ((id: string) => Promise<SlackClient | undefined>) | undefined,
      ownerOf: (id: string) => Promise<Owner | undefined>,
    ) =>
    async (id: string): Promise<SlackClient | undefined> => {
      const client = resolve ? await resolve(id) : slack;
      const owner = client && (await ownerOf(id));
      return owner ? features.slackPosts.paced(client, workspaceOf(owner)) : client;
    };
  const pacedForDigest = paced(
    perJob?.forDigest,
    async (id) => (await features.digests.get(id))?.owner,
  );
  const pacedForAlert = paced(
    perJob?.forAlert,
    async (id) => (await features.alerts.get(id))?.owner,
  );
  await startDigestWorker(boss, {
    ...digestWorkerDeps(features, slack, log),
    clientFor: pacedForDigest,
    ...polling,
  });
  await startDigestCopyWorker(boss, {
    ...copyWorkerDeps(features, slack, log),
    clientFor: (ref: CopyRef) =>
      ref.subject === 'alert' ? pacedForAlert(ref.id) : pacedForDigest(ref.id),
    ...polling,
  });
  await startFlagRequestWorker(boss, requestDeps(features, slack, log), {
    ...polling,
    ...(perJob ? { clientFor: perJob.forFlagRequest } : {}),
  });
  await startAlertWorker(boss, alertCheckDeps(features, slack, log), {
    ...polling,
    clientFor: pacedForAlert,
  });
  await startLifecycleWorkers(boss, features, clients, log, polling);
}

/** Slack's rate limits are per workspace: the one an owner's work posts into, else its org. */
export function workspaceOf(owner: Owner): string {
  return owner.teamId ?? owner.tenantId;
}

// The background workers a bot runs once storage is up, started the same way by src/run.ts and
// by the test bot, so the tests exercise the production wiring.
import type { AllMiddlewareArgs } from '@slack/bolt';
import type { PgBoss } from 'pg-boss';
import type { Features } from '../features.ts';
import { requestDeps } from '../flag-requests/notify.ts';
import { startFlagRequestWorker } from '../flag-requests/timers.ts';
import type { Logger } from '../log.ts';
import { alertCheckDeps, startAlertWorker } from './alert-check.ts';
import { copyWorkerDeps, startDigestCopyWorker } from './digest-copies.ts';
import { digestWorkerDeps, startDigestWorker } from './digest-run.ts';
import { ensureJobWatchQueue, startJobWatchWorker } from './job-watch.ts';

export interface WorkerOptions {
  /** How often idle workers ask pg-boss for work; tests shorten it. */
  pollingIntervalSeconds?: number;
  /** Job-card poll schedule; production uses 1 s doubling to 30 s. */
  jobWatchDelays?: { firstMs: number; maxMs: number };
}

/** Job-card polls, digest deliveries, flag request reminders and expiries, and alert checks, on `boss`, posting with `slack`. */
export async function startWorkers(
  boss: PgBoss,
  features: Features,
  slack: AllMiddlewareArgs['client'],
  log: Logger,
  options: WorkerOptions = {},
): Promise<void> {
  const polling =
    options.pollingIntervalSeconds === undefined
      ? {}
      : { pollingIntervalSeconds: options.pollingIntervalSeconds };
  await ensureJobWatchQueue(boss);
  await startJobWatchWorker(boss, {
    watches: features.watches,
    scheduler: features.watchScheduler(),
    alationFor: features.alationFor,
    slack,
    log,
    now: features.now,
    ...(options.jobWatchDelays ? { delays: options.jobWatchDelays } : {}),
    ...polling,
  });
  await startDigestWorker(boss, { ...digestWorkerDeps(features, slack, log), ...polling });
  await startDigestCopyWorker(boss, { ...copyWorkerDeps(features, slack, log), ...polling });
  await startFlagRequestWorker(boss, requestDeps(features, slack, log), polling);
  await startAlertWorker(boss, alertCheckDeps(features, slack, log), polling);
}

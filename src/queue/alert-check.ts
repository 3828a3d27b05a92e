// Alert checks on pg-boss: one cron schedule per alert (every 1, 5, 15 or 60 minutes, keyed by
// the alert's id so a change replaces it), and a worker that runs checkAlert. Judging each result
// once is the claim in alert_checks, not the queue: replicas may both fire, one judges.
import type { AllMiddlewareArgs } from '@slack/bolt';
import type { PgBoss } from 'pg-boss';
import { type CheckDeps, checkAlert } from '../alerts/check.ts';
import type { Features } from '../features.ts';
import type { Logger } from '../log.ts';
import type { Alert, CheckEvery } from '../store/alerts.ts';

export const ALERT_QUEUE = 'alert-check';

interface CheckData {
  alertId: string;
}

/** The cron for a check interval (pg-boss evaluates cron to the minute). */
export function checkCron(every: CheckEvery): string {
  return every === 60 ? '0 * * * *' : every === 1 ? '* * * * *' : `*/${every} * * * *`;
}

export interface AlertScheduler {
  schedule(alert: Pick<Alert, 'id' | 'everyMinutes'>): Promise<void>;
  unschedule(alertId: string): Promise<void>;
  /** A check now (just saved or resumed), besides the schedule. */
  checkNow(alertId: string): Promise<void>;
}

export function createAlertScheduler(boss: PgBoss): AlertScheduler {
  return {
    async schedule(alert) {
      await boss.schedule(
        ALERT_QUEUE,
        checkCron(alert.everyMinutes),
        { alertId: alert.id } satisfies CheckData,
        {
          key: alert.id,
        },
      );
    },
    async unschedule(alertId) {
      await boss.unschedule(ALERT_QUEUE, alertId);
    },
    async checkNow(alertId) {
      await boss.send(ALERT_QUEUE, { alertId } satisfies CheckData);
    },
  };
}

export async function ensureAlertQueue(boss: PgBoss): Promise<void> {
  // A missed check needs no retry of its own: the next one reads the latest result anyway.
  const settings = { retryLimit: 1, retryDelay: 30, expireInSeconds: 300 };
  await boss.createQueue(ALERT_QUEUE, settings);
  await boss.updateQueue(ALERT_QUEUE, settings);
}

export async function startAlertWorker(
  boss: PgBoss,
  deps: CheckDeps,
  options: { pollingIntervalSeconds?: number; concurrency?: number } = {},
): Promise<void> {
  await ensureAlertQueue(boss);
  await boss.work<CheckData>(
    ALERT_QUEUE,
    {
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
      batchSize: 1,
      localConcurrency: options.concurrency ?? 16,
    },
    async ([job]) => {
      if (!job) return;
      const outcome = await checkAlert(deps, job.data.alertId);
      if (typeof outcome === 'object') {
        // Held by a replica that may have died: look again once its lease ends.
        await boss.send(ALERT_QUEUE, job.data, {
          startAfter: new Date(outcome.busyUntil.getTime() + 1_000),
        });
      }
    },
  );
}

/** What the worker needs, from the process's Features (one call site: queue/workers.ts). */
export function alertCheckDeps(
  features: Pick<Features, 'alerts' | 'alationFor' | 'alationBaseUrl' | 'cpu' | 'now'>,
  slack: AllMiddlewareArgs['client'],
  log: Logger,
): CheckDeps {
  return {
    alerts: features.alerts,
    alationFor: features.alationFor,
    alationBaseUrl: features.alationBaseUrl,
    cpu: features.cpu,
    slack,
    log: log.child({ component: 'alerts' }),
    now: features.now,
  };
}

// Alert checks on pg-boss. One cron tick a minute (pg-boss fires each occurrence once across
// replicas) finds the alerts due at that minute (every 1, 5, 15 or 60 minutes) and queues one
// check per (creator, query), so alerts on one query share one read and one CSV download, and
// the checks spread over every replica's worker. Judging each result once is the claim in
// alert_checks, not the queue: a check queued twice judges once.
import type { AllMiddlewareArgs } from '@slack/bolt';
import type { JobWithMetadata, PgBoss } from 'pg-boss';
import { type CheckDeps, checkAlerts } from '../alerts/check.ts';
import type { Features } from '../features.ts';
import type { Logger } from '../log.ts';
import type { Alert, AlertStore } from '../store/alerts.ts';
import { enqueueCopies } from './digest-copies.ts';

export const ALERT_QUEUE = 'alert-check';
export const ALERT_TICK_QUEUE = 'alert-tick';
const TICK_KEY = 'every-minute';

interface CheckData {
  alertIds: string[];
}

/** Whether an alert checking every `every` minutes is due at this minute of the hour (UTC). */
export function dueAt(every: number, at: Date): boolean {
  const minutes = Math.round(at.getTime() / 60_000);
  return minutes % every === 0;
}

/** Due alerts, one group per creator and query. */
export function groupsDue(alerts: readonly Alert[], at: Date): string[][] {
  const groups = new Map<string, string[]>();
  for (const a of alerts) {
    if (a.status !== 'active' || !dueAt(a.everyMinutes, at)) continue;
    const key = `${a.owner.tenantId}:${a.owner.userId}:${a.queryId}`;
    groups.set(key, [...(groups.get(key) ?? []), a.id]);
  }
  return [...groups.values()];
}

export interface AlertScheduler {
  /** Makes sure the minute tick runs (alerts themselves need no schedule of their own). */
  schedule(alert: Pick<Alert, 'id' | 'everyMinutes'>): Promise<void>;
  /** Nothing to remove: a muted, paused or deleted alert is simply not due. */
  unschedule(alertId: string): Promise<void>;
  /** A check now (just saved or resumed), besides the tick. */
  checkNow(alertId: string): Promise<void>;
  /** Queues a personal alert's copies of one firing (issue 18), in batches any replica works. */
  enqueueCopies(alertId: string, slot: string, total: number): Promise<void>;
}

export function createAlertScheduler(boss: PgBoss): AlertScheduler {
  return {
    async schedule() {
      await boss.schedule(ALERT_TICK_QUEUE, '* * * * *', {}, { key: TICK_KEY });
    },
    async unschedule() {},
    async checkNow(alertId) {
      await boss.send(ALERT_QUEUE, { alertIds: [alertId] } satisfies CheckData);
    },
    enqueueCopies: (alertId, slot, total) =>
      enqueueCopies(boss, { subject: 'alert', id: alertId }, slot, total),
  };
}

export async function ensureAlertQueues(boss: PgBoss): Promise<void> {
  // A missed check needs no retry of its own: the next one reads the latest result anyway.
  const settings = { retryLimit: 1, retryDelay: 30, expireInSeconds: 300 };
  for (const name of [ALERT_QUEUE, ALERT_TICK_QUEUE]) {
    await boss.createQueue(name, settings);
    await boss.updateQueue(name, settings);
  }
}

/** Queues the checks due at `at`; returns how many groups. Exported for the bench and tests. */
export async function queueDueChecks(boss: PgBoss, alerts: AlertStore, at: Date): Promise<number> {
  const groups = groupsDue(await alerts.listActive(), at);
  for (const alertIds of groups) await boss.send(ALERT_QUEUE, { alertIds } satisfies CheckData);
  return groups.length;
}

export async function startAlertWorker(
  boss: PgBoss,
  deps: CheckDeps,
  options: {
    pollingIntervalSeconds?: number;
    concurrency?: number;
    /** The client of the alerts' workspace (OAuth installs); without it `deps.slack` serves all. */
    clientFor?: (alertId: string) => Promise<CheckDeps['slack'] | undefined>;
  } = {},
): Promise<void> {
  await ensureAlertQueues(boss);
  const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 };
  await boss.work(
    ALERT_TICK_QUEUE,
    { ...polling, includeMetadata: true },
    async ([job]: JobWithMetadata<Record<string, never>>[]) => {
      if (!job) return;
      // The minute the tick stands for, even when a worker takes it up a little late.
      await queueDueChecks(boss, deps.alerts, job.createdOn);
    },
  );
  await boss.work<CheckData>(
    ALERT_QUEUE,
    { ...polling, localConcurrency: options.concurrency ?? 16 },
    async ([job]) => {
      if (!job) return;
      const [first] = job.data.alertIds;
      const slack = options.clientFor && first ? await options.clientFor(first) : deps.slack;
      if (!slack) return;
      const outcomes = await checkAlerts({ ...deps, slack }, job.data.alertIds);
      const busy = [...outcomes].flatMap(([id, o]) => (typeof o === 'object' ? [{ id, o }] : []));
      if (busy.length === 0) return;
      // Held by a replica that may have died: look again once the latest lease ends.
      const until = Math.max(...busy.map((b) => b.o.busyUntil.getTime()));
      await boss.send(ALERT_QUEUE, { alertIds: busy.map((b) => b.id) } satisfies CheckData, {
        startAfter: new Date(until + 1_000),
      });
    },
  );
}

/** What the worker needs, from the process's Features (one call site: queue/workers.ts). */
export function alertCheckDeps(
  features: Pick<
    Features,
    | 'alerts'
    | 'alationFor'
    | 'alationBaseUrl'
    | 'cpu'
    | 'now'
    | 'alertSubscriptions'
    | 'alertScheduler'
    | 'slackUsers'
  >,
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
    ownerName: async (client, owner) =>
      (await features.slackUsers.viewer(client, owner.tenantId, owner.userId)).name,
    personal: {
      subscriptions: features.alertSubscriptions,
      slack,
      enqueueCopies: (alertId, slot, total) =>
        features.alertScheduler().enqueueCopies(alertId, slot, total),
    },
  };
}

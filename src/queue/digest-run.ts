import type { JobWithMetadata, PgBoss } from 'pg-boss';
import { modeClientFor } from '../auth/mode-session.ts';
import { type DeliveryDeps, deliverDigest, TransientDeliveryError } from '../digests/deliver.ts';
import { canonicalSlot, slotAtOrBefore } from '../digests/slots.ts';
import type { Features } from '../features.ts';
import type { Logger } from '../log.ts';
import type { Digest } from '../store/digests.ts';
import { enqueueCopies } from './digest-copies.ts';

export const DIGEST_QUEUE = 'digest-run';

interface RunData {
  digestId: string;
  /** Run now: the press's own id. */
  manual?: string;
  /** An explicit slot (ISO); pg-boss cron jobs carry none and it is derived from their time. */
  slot?: string;
}

const RETRY_LIMIT = 3;

/**
 * A worker refreshes its job's heartbeat every half of this; a job whose heartbeat stops (its
 * replica was killed) is failed by pg-boss's monitor and retried on a live replica, in well
 * under a minute instead of after the 5-minute expiry. pg-boss's minimum is 10.
 */
export const DIGEST_HEARTBEAT_SECONDS = 30;

/**
 * Plain queue: each cron occurrence is one job (pg-boss files them under a singleton per
 * occurrence, so replicas evaluating cron together still make one). Retries back off for
 * upstream outages; exactly-once posting is the claim in digest_deliveries, not the queue.
 */
export async function ensureDigestQueue(
  boss: PgBoss,
  options: { heartbeatSeconds?: number } = {},
): Promise<void> {
  const settings = {
    retryLimit: RETRY_LIMIT,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 300,
    heartbeatSeconds: options.heartbeatSeconds ?? DIGEST_HEARTBEAT_SECONDS,
  };
  await boss.createQueue(DIGEST_QUEUE, settings);
  // createQueue leaves an existing queue as it was; this brings one made by an older version
  // up to these settings (jobs take them when they are created).
  await boss.updateQueue(DIGEST_QUEUE, settings);
}

export interface DigestScheduler {
  /** Creates or replaces the digest's pg-boss cron (one per digest: the key is its id). */
  schedule(digest: Pick<Digest, 'id' | 'cron' | 'tz'>): Promise<void>;
  unschedule(digestId: string): Promise<void>;
  /** Queues an immediate run (Run now); `pressId` makes each press its own delivery. */
  runNow(digestId: string, pressId: string): Promise<void>;
  /** Queues a personal digest run's copies (issue 18), in batches any replica may work. */
  enqueueCopies(digestId: string, slot: string, total: number): Promise<void>;
}

export function createDigestScheduler(boss: PgBoss): DigestScheduler {
  return {
    async schedule(digest) {
      await boss.schedule(DIGEST_QUEUE, digest.cron, { digestId: digest.id } satisfies RunData, {
        tz: digest.tz,
        key: digest.id,
        // A slot that came due while every replica was down (a deploy at 09:00) is posted when
        // one is back, instead of being lost; only the latest, however many were missed.
        missed: 'once',
      });
    },
    async unschedule(digestId) {
      await boss.unschedule(DIGEST_QUEUE, digestId);
    },
    async runNow(digestId, pressId) {
      await boss.send(DIGEST_QUEUE, { digestId, manual: pressId } satisfies RunData);
    },
    enqueueCopies: (digestId, slot, total) =>
      enqueueCopies(boss, { subject: 'digest', id: digestId }, slot, total),
  };
}

export interface DigestWorkerDeps extends DeliveryDeps {
  pollingIntervalSeconds?: number;
  /** Deliveries in flight at once on this instance; most of their time is spent waiting on I/O. */
  concurrency?: number;
  /** The client of the digest's workspace (OAuth installs); undefined → paused, not posted. */
  clientFor?: (digestId: string) => Promise<DeliveryDeps['slack'] | undefined>;
}

/** The job's slot: given, or the cron occurrence at or before the job's creation. */
async function slotOf(deps: DeliveryDeps, data: RunData, createdOn: Date) {
  if (data.manual) return { manual: data.manual };
  if (data.slot) return { at: new Date(data.slot) };
  const digest = await deps.digests.get(data.digestId);
  if (!digest) return undefined;
  return { at: canonicalSlot(slotAtOrBefore(digest.cron, digest.tz, createdOn), digest.tz) };
}

export async function startDigestWorker(boss: PgBoss, deps: DigestWorkerDeps): Promise<void> {
  await ensureDigestQueue(boss);
  await boss.work(
    DIGEST_QUEUE,
    {
      pollingIntervalSeconds: deps.pollingIntervalSeconds ?? 2,
      batchSize: 1,
      localConcurrency: deps.concurrency ?? 16,
      includeMetadata: true,
    },
    async ([job]: JobWithMetadata<RunData>[]) => {
      if (!job) return;
      const slot = await slotOf(deps, job.data, job.createdOn);
      if (!slot) return;
      const slack = deps.clientFor ? await deps.clientFor(job.data.digestId) : deps.slack;
      if (!slack) return;
      try {
        const outcome = await deliverDigest({ ...deps, slack }, job.data.digestId, slot, {
          lastAttempt: job.retryCount >= RETRY_LIMIT,
        });
        if (typeof outcome === 'object') {
          // Held by a replica that may have died: look again when its lease ends, so the slot
          // is posted even then (and still only once).
          const again: RunData =
            'manual' in slot
              ? { digestId: job.data.digestId, manual: slot.manual }
              : { digestId: job.data.digestId, slot: slot.at.toISOString() };
          // Two replicas may both queue a look-again; harmless, since the claim decides.
          await boss.send(DIGEST_QUEUE, again, {
            startAfter: new Date(outcome.busyUntil.getTime() + 1_000),
          });
        }
      } catch (error) {
        // pg-boss retries it with backoff; the cause is already logged.
        if (error instanceof TransientDeliveryError) throw new Error(error.message);
        throw error;
      }
    },
  );
}

/** What a worker needs, from the process's Features (one call site in run.ts and the tests). */
export function digestWorkerDeps(
  features: Pick<
    Features,
    | 'digests'
    | 'alationFor'
    | 'alationBaseUrl'
    | 'now'
    | 'digestScheduler'
    | 'credentials'
    | 'modeHttp'
    | 'modePacer'
    | 'charts'
    | 'chartChoices'
    | 'subscriptions'
    | 'slackUsers'
  >,
  slack: DeliveryDeps['slack'],
  log: Logger,
): DeliveryDeps {
  return {
    digests: features.digests,
    alationFor: features.alationFor,
    alationBaseUrl: features.alationBaseUrl,
    modeFor: (owner) => ({
      client: () => modeClientFor(features, owner),
      rejected: () => features.credentials.markReconnect(owner, 'mode', 'credentials_rejected'),
      baseUrl: features.modeHttp.baseUrl,
    }),
    slack,
    log: log.child({ component: 'digests' }),
    now: features.now,
    unschedule: (digestId) => features.digestScheduler().unschedule(digestId),
    charts: { charts: features.charts, chartChoices: features.chartChoices },
    users: features.slackUsers,
    personal: {
      subscriptions: features.subscriptions,
      slack,
      enqueueCopies: (digestId, slot, total) =>
        features.digestScheduler().enqueueCopies(digestId, slot, total),
    },
  };
}

// The fan-out of a personal digest's run or a personal alert's firing (issue 18): one job per
// batch of subscribers, worked by every replica, so 1,000 copies spread over the instances.
// Exactly-once is the per-subscriber claim in digest_copies or alert_copies
// (digests/personal-copies.ts), not the queue.
import type { Job, PgBoss } from 'pg-boss';
import {
  COPY_BATCH,
  type CopyDeps,
  type CopyRef,
  deliverCopyBatch,
} from '../digests/personal-copies.ts';
import type { Features } from '../features.ts';
import type { Logger } from '../log.ts';

export const DIGEST_COPY_QUEUE = 'digest-copies';

export async function ensureDigestCopyQueue(boss: PgBoss): Promise<void> {
  const settings = {
    retryLimit: 5,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 300,
    heartbeatSeconds: 30,
  };
  await boss.createQueue(DIGEST_COPY_QUEUE, settings);
  await boss.updateQueue(DIGEST_COPY_QUEUE, settings);
}

/** Queues `total` subscribers of one run (or firing) in batches. */
export async function enqueueCopies(
  boss: PgBoss,
  subject: Pick<CopyRef, 'subject' | 'id'>,
  slot: string,
  total: number,
  batch = COPY_BATCH,
): Promise<void> {
  const jobs = [];
  for (let offset = 0; offset < total; offset += batch) {
    const ref: CopyRef = { subject: subject.subject, id: subject.id, slot, offset, limit: batch };
    jobs.push({ data: ref });
  }
  await boss.insert(DIGEST_COPY_QUEUE, jobs);
}

/** A queued batch; one queued before alerts had copies names its digest as `digestId`. */
type QueuedRef = CopyRef | (Omit<CopyRef, 'subject' | 'id'> & { digestId: string });
const refOf = (data: QueuedRef): CopyRef =>
  'digestId' in data
    ? {
        subject: 'digest',
        id: data.digestId,
        slot: data.slot,
        offset: data.offset,
        limit: data.limit,
      }
    : data;

export interface CopyWorkerDeps extends CopyDeps {
  pollingIntervalSeconds?: number;
  /** Batches in flight at once on this instance. */
  concurrency?: number;
  /** The client of the digest's or alert's workspace (OAuth installs); undefined → none. */
  clientFor?: (ref: CopyRef) => Promise<CopyDeps['slack'] | undefined>;
}

export async function startDigestCopyWorker(boss: PgBoss, deps: CopyWorkerDeps): Promise<void> {
  await ensureDigestCopyQueue(boss);
  await boss.work(
    DIGEST_COPY_QUEUE,
    {
      pollingIntervalSeconds: deps.pollingIntervalSeconds ?? 2,
      batchSize: 1,
      localConcurrency: deps.concurrency ?? 4,
    },
    async ([job]: Job<QueuedRef>[]) => {
      if (!job) return;
      const ref = refOf(job.data);
      const slack = deps.clientFor ? await deps.clientFor(ref) : deps.slack;
      // No installation serves the workspace any more: it is paused, nothing to send.
      if (!slack) return;
      await deliverCopyBatch({ ...deps, slack }, ref);
    },
  );
}

/** What the copy worker needs, from the process's Features; posts with `slack`. */
export function copyWorkerDeps(
  features: Pick<
    Features,
    | 'digests'
    | 'alerts'
    | 'subscriptions'
    | 'alertSubscriptions'
    | 'credentials'
    | 'alationFor'
    | 'now'
  >,
  slack: CopyDeps['slack'],
  log: Logger,
): CopyDeps {
  return {
    digests: features.digests,
    alerts: features.alerts,
    subscriptions: features.subscriptions,
    alertSubscriptions: features.alertSubscriptions,
    credentials: features.credentials,
    alationFor: features.alationFor,
    slack,
    log: log.child({ component: 'digest-copies' }),
    now: features.now,
  };
}

// The fan-out of a personal digest's run (issue 18): one job per batch of subscribers, worked by
// every replica, so 1,000 copies spread over the instances. Exactly-once is the per-subscriber
// claim in digest_copies (digests/personal-copies.ts), not the queue.
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

/** Queues `total` subscribers of one run in batches. */
export async function enqueueCopies(
  boss: PgBoss,
  digestId: string,
  slot: string,
  total: number,
  batch = COPY_BATCH,
): Promise<void> {
  const jobs = [];
  for (let offset = 0; offset < total; offset += batch) {
    jobs.push({ data: { digestId, slot, offset, limit: batch } satisfies CopyRef });
  }
  await boss.insert(DIGEST_COPY_QUEUE, jobs);
}

export interface CopyWorkerDeps extends CopyDeps {
  pollingIntervalSeconds?: number;
  /** Batches in flight at once on this instance. */
  concurrency?: number;
  /** The client of the digest's workspace (OAuth installs); undefined → the batch waits. */
  clientFor?: (digestId: string) => Promise<CopyDeps['slack'] | undefined>;
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
    async ([job]: Job<CopyRef>[]) => {
      if (!job) return;
      const slack = deps.clientFor ? await deps.clientFor(job.data.digestId) : deps.slack;
      // No installation serves the digest's workspace any more: it is paused, nothing to send.
      if (!slack) return;
      await deliverCopyBatch({ ...deps, slack }, job.data);
    },
  );
}

/** What the copy worker needs, from the process's Features; posts with `slack`. */
export function copyWorkerDeps(
  features: Pick<Features, 'digests' | 'subscriptions' | 'credentials' | 'alationFor' | 'now'>,
  slack: CopyDeps['slack'],
  log: Logger,
): CopyDeps {
  return {
    digests: features.digests,
    subscriptions: features.subscriptions,
    credentials: features.credentials,
    alationFor: features.alationFor,
    slack,
    log: log.child({ component: 'digest-copies' }),
    now: features.now,
  };
}

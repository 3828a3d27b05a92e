import type { AllMiddlewareArgs } from '@slack/bolt';
import type { PgBoss } from 'pg-boss';
import type { AlationClient, JobStatus } from '../client/alation.ts';
import { isUpstreamError, NotConnectedError } from '../client/errors.ts';
import type { Logger } from '../log.ts';
import { tellUser } from '../slack/reply.ts';
import type { SlackUsers } from '../slack/users.ts';
import type { Owner } from '../store/credentials.ts';
import type { JobRef, Watch, WatchStatus, WatchStore } from '../store/watches.ts';
import { buildConnectPrompt } from '../views/connect.ts';
import { buildJobCard } from '../views/job.ts';
import { FIRST_DELAY_MS, MAX_DELAY_MS, nextDelayMs } from './backoff.ts';

export const JOB_WATCH_QUEUE = 'job-watch';

interface PollData {
  watchId: string;
}

/**
 * One queued and one active poll per watch at most (pg-boss `stately` policy, keyed by watch):
 * two replicas can never poll the same watch at once, and a poll's retry cannot double up.
 */
export async function ensureJobWatchQueue(boss: PgBoss): Promise<void> {
  await boss.createQueue(JOB_WATCH_QUEUE, {
    policy: 'stately',
    retryLimit: 5,
    retryDelay: 2,
    retryBackoff: true,
    expireInSeconds: 120,
  });
}

export interface WatchScheduler {
  /** The next poll of `watchId` in `delayMs`. */
  schedule(watchId: string, delayMs: number): Promise<void>;
  /** Poll as soon as possible, moving an already queued poll forward rather than adding one. */
  pollNow(watchId: string): Promise<void>;
}

export function createWatchScheduler(boss: PgBoss, now: () => Date): WatchScheduler {
  const at = (delayMs: number) => new Date(now().getTime() + delayMs);
  return {
    async schedule(watchId, delayMs) {
      await boss.send(JOB_WATCH_QUEUE, { watchId } satisfies PollData, {
        singletonKey: watchId,
        startAfter: at(delayMs),
      });
    },
    async pollNow(watchId) {
      await boss.upsert(JOB_WATCH_QUEUE, { watchId } satisfies PollData, {
        singletonKey: watchId,
        startAfter: at(0),
      });
    },
  };
}

export interface JobWatchWorkerDeps {
  watches: WatchStore;
  scheduler: WatchScheduler;
  alationFor(owner: Owner): AlationClient;
  slack: AllMiddlewareArgs['client'];
  log: Logger;
  now(): Date;
  random?: () => number;
  /** Tests shorten the schedule; production uses 1 s doubling to 30 s. */
  delays?: { firstMs: number; maxMs: number };
  pollingIntervalSeconds?: number;
  /** The client of the watch's workspace (OAuth installs); without it `slack` serves all. */
  clientFor?: (watchId: string) => Promise<JobWatchWorkerDeps['slack'] | undefined>;
  /** Names the owner in the card's "as seen by" line (users.info, cached). */
  users?: Pick<SlackUsers, 'viewer'>;
}

export function fetchJob(alation: AlationClient, ref: JobRef): Promise<JobStatus> {
  return 'id' in ref ? alation.jobs.byId(ref.id) : alation.jobs.byName(ref.name);
}

/** Rewrites the card in place; a card deleted meanwhile is no reason to fail the poll. */
async function updateCard(
  deps: JobWatchWorkerDeps,
  watch: Watch,
  status: WatchStatus,
  seen: { status: string; msg: string | null; result: JobStatus['result'] },
): Promise<void> {
  const { tenantId, userId } = watch.owner;
  const viewer = await deps.users?.viewer(deps.slack, tenantId, userId);
  const card = buildJobCard({
    ref: watch.ref,
    jobStatus: seen.status,
    msg: seen.msg,
    result: seen.result,
    watch: { ...watch, status, ownerUserId: userId, ownerName: viewer?.name },
    now: deps.now(),
  });
  await deps.slack.chat
    .update({ channel: watch.channelId, ts: watch.messageTs, text: card.text, blocks: card.blocks })
    .catch((err: unknown) =>
      deps.log.warn({ err, watchId: watch.id }, 'could not update a job card'),
    );
}

/** One poll: read the job as the watch's owner, update the card, end or schedule the next. */
export async function pollWatch(deps: JobWatchWorkerDeps, watchId: string): Promise<void> {
  const watch = await deps.watches.get(watchId);
  if (watch?.status !== 'watching') return;
  const last = { status: watch.jobStatus ?? 'running', msg: watch.jobMsg, result: watch.jobResult };
  if (deps.now() >= watch.deadline) {
    if (await deps.watches.end(watch.id, 'expired')) await updateCard(deps, watch, 'expired', last);
    return;
  }
  let job: JobStatus;
  try {
    job = await fetchJob(deps.alationFor(watch.owner), watch.ref);
  } catch (error) {
    if (error instanceof NotConnectedError) {
      if (await deps.watches.end(watch.id, 'lost_access')) {
        await updateCard(deps, watch, 'lost_access', last);
        await tellUser(
          deps.slack,
          watch.owner.userId,
          buildConnectPrompt(error.reason ?? 'credentials_rejected'),
        ).catch((err: unknown) => deps.log.warn({ err }, 'could not send the reconnect prompt'));
      }
      return;
    }
    if (isUpstreamError(error) && error.kind === 'not_found') {
      if (await deps.watches.end(watch.id, 'gone')) {
        await updateCard(deps, watch, 'gone', {
          ...last,
          status: 'unknown',
          msg: 'Alation no longer knows this job; it may have been cleaned up.',
        });
      }
      return;
    }
    // A passing outage (5xx, timeout, 429): keep watching, a little later.
    deps.log.warn({ err: error, watchId }, 'job poll failed; trying again later');
    await deps.scheduler.schedule(watch.id, delay(deps, watch.polls + 1));
    return;
  }
  await deps.watches.recordPoll(watch.id, {
    status: job.status,
    msg: job.msg ?? null,
    result: job.result,
  });
  const seen = { status: job.status, msg: job.msg ?? null, result: job.result };
  if (job.status === 'running') {
    await updateCard(deps, watch, 'watching', seen);
    await deps.scheduler.schedule(watch.id, delay(deps, watch.polls + 1));
    return;
  }
  // Only the poll that ends the watch writes the final card, whatever else is racing.
  if (await deps.watches.end(watch.id, 'finished')) await updateCard(deps, watch, 'finished', seen);
}

function delay(deps: JobWatchWorkerDeps, polls: number): number {
  return nextDelayMs(
    polls,
    deps.random,
    deps.delays?.firstMs ?? FIRST_DELAY_MS,
    deps.delays?.maxMs ?? MAX_DELAY_MS,
  );
}

/** Runs polls from the queue; a restarted bot picks up every watch that was left queued. */
export async function startJobWatchWorker(boss: PgBoss, deps: JobWatchWorkerDeps): Promise<void> {
  await ensureJobWatchQueue(boss);
  await boss.work<PollData>(
    JOB_WATCH_QUEUE,
    { pollingIntervalSeconds: deps.pollingIntervalSeconds ?? 1, batchSize: 1 },
    async ([job]) => {
      if (!job) return;
      const slack = deps.clientFor ? await deps.clientFor(job.data.watchId) : deps.slack;
      // No installation serves its workspace any more: nothing can be posted, so stop watching.
      if (!slack) {
        await deps.watches.end(job.data.watchId, 'stopped');
        return;
      }
      await pollWatch({ ...deps, slack }, job.data.watchId);
    },
  );
}

// The two timers of an unanswered trust-flag request: one reminder to the reviewer (after 2 days
// by default) and the expiry (after 14), each a pg-boss job queued when the request is made, so
// they survive restarts. Each acts once across replicas and retries: the reminder and the expiry
// are conditional UPDATEs in the store, and only the caller that made the change posts.
import type { PgBoss } from 'pg-boss';
import { CLAIM_STALE_MS, type FlagRequest } from '../store/flag-requests.ts';
import { buildRequestNotice, buildRequestReminder } from '../views/flag-request.ts';
import { announceOutcome, type RequestDeps, replyToCard, replyToRequester } from './notify.ts';

export const FLAG_REQUEST_QUEUE = 'flag-request-timer';

interface TimerData {
  requestId: string;
  kind: 'remind' | 'expire';
}

export async function ensureFlagRequestQueue(boss: PgBoss): Promise<void> {
  await boss.createQueue(FLAG_REQUEST_QUEUE, {
    retryLimit: 5,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 120,
  });
}

export interface FlagRequestScheduler {
  /** Queues the reminder and the expiry of a new request, at its remindAt and expiresAt. */
  schedule(request: Pick<FlagRequest, 'id' | 'remindAt' | 'expiresAt'>): Promise<void>;
}

export function createFlagRequestScheduler(boss: PgBoss): FlagRequestScheduler {
  return {
    async schedule(request) {
      await boss.send(
        FLAG_REQUEST_QUEUE,
        { requestId: request.id, kind: 'remind' } satisfies TimerData,
        { startAfter: request.remindAt },
      );
      await boss.send(
        FLAG_REQUEST_QUEUE,
        { requestId: request.id, kind: 'expire' } satisfies TimerData,
        { startAfter: request.expiresAt },
      );
    },
  };
}

/** The reminder, once: a reply to the card; if the card cannot take it, the requester hears. */
export async function remind(deps: RequestDeps, requestId: string): Promise<void> {
  const request = await deps.store.remind(requestId, deps.now());
  if (!request) return;
  const reminder = buildRequestReminder(request, deps.now());
  if (await replyToCard(deps, request, reminder, { broadcast: 'channelId' in request.reviewer })) {
    if ('userId' in request.reviewer) {
      // A thread reply in a DM does not notify; the reviewer gets a message of its own too.
      await deps.slack.chat
        .postMessage({ channel: request.reviewer.userId, ...reminder })
        .catch((err: unknown) => deps.log.warn({ err, requestId }, 'could not DM a reminder'));
    }
    return;
  }
  await replyToRequester(
    deps,
    request,
    buildRequestNotice(
      ':warning: I could not remind the reviewer of your request (the bot may have been removed from the channel, or the card deleted). Withdraw it and ask someone else, or `/invite @Alation` to the channel.',
    ),
  ).catch((err: unknown) => deps.log.warn({ err, requestId }, 'could not tell the requester'));
}

/** The expiry, once; a request being approved right now is looked at again shortly. */
export async function expire(
  deps: RequestDeps,
  requestId: string,
  later: (ms: number) => Promise<void>,
): Promise<void> {
  const expired = await deps.store.expire(requestId, deps.now());
  if (expired) {
    deps.log.info({ requestId }, 'a trust flag request expired unanswered');
    await announceOutcome(deps, expired);
    return;
  }
  const request = await deps.store.get(requestId);
  if (request?.status === 'deciding') await later(CLAIM_STALE_MS);
}

export async function startFlagRequestWorker(
  boss: PgBoss,
  base: RequestDeps,
  options: {
    pollingIntervalSeconds?: number;
    /** The client of the request's workspace (OAuth installs); without it `deps.slack` serves all. */
    clientFor?: (requestId: string) => Promise<RequestDeps['slack'] | undefined>;
  } = {},
): Promise<void> {
  await ensureFlagRequestQueue(boss);
  await boss.work<TimerData>(
    FLAG_REQUEST_QUEUE,
    { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 5, batchSize: 1 },
    async ([job]) => {
      if (!job) return;
      const { requestId, kind } = job.data;
      const slack = options.clientFor ? await options.clientFor(requestId) : base.slack;
      if (!slack) return;
      const deps = { ...base, slack };
      if (kind === 'remind') {
        await remind(deps, requestId);
        return;
      }
      await expire(deps, requestId, async (ms) => {
        await boss.send(FLAG_REQUEST_QUEUE, { requestId, kind } satisfies TimerData, {
          startAfter: new Date(deps.now().getTime() + ms),
        });
      });
    },
  );
}

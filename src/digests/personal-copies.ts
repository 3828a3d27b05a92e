// Personal copies (issue 18): a digest delivered "to each subscriber, as themselves". A run is
// rendered once; its channel gets a post with Get my own copy (no data), and the subscribers
// are fanned out in batches (queue/digest-copies.ts) that any replica may work. Each copy asks
// Alation as its subscriber whether they can see the query (one call each), then sends the
// run's message or a no-access notice in a DM. Each (slot, subscriber) is claimed first, so a
// copy posts once across replicas, retries and restarts.
import type { AllMiddlewareArgs } from '@slack/bolt';
import type { AlationClient } from '../client/alation.ts';
import { isUpstreamError, NotConnectedError } from '../client/errors.ts';
import type { Logger } from '../log.ts';
import type { CredentialStore, Owner } from '../store/credentials.ts';
import type { Subscription, SubscriptionStore } from '../store/digest-subscriptions.ts';
import type { Digest, DigestStore } from '../store/digests.ts';
import {
  buildCopyReconnectDm,
  buildNoAccessNotice,
  buildOtherResultNotice,
  buildPersonalChannelPost,
  buildPersonalCopy,
} from '../views/digest-copies.ts';
import type { SlackMessage } from '../views/help.ts';

type Client = AllMiddlewareArgs['client'];

/** Subscribers per fan-out job. */
export const COPY_BATCH = 50;

/** A run as its copies read it: the creator-free message, and the result it shows. */
interface SavedRun {
  message: SlackMessage;
  resultId: number | null;
}
/** Copies in flight at once within one batch (each: one Alation call, one Slack post). */
const COPIES_AT_ONCE = 8;
/** A copy's claim not finished after this long belonged to a replica that died. */
const COPY_LEASE_MS = 60_000;

export interface CopyRef {
  digestId: string;
  slot: string;
  offset: number;
  limit: number;
}

export interface PublishDeps {
  subscriptions: SubscriptionStore;
  slack: Client;
  /** Queues the fan-out of a run: `total` subscribers in batches of `COPY_BATCH`. */
  enqueueCopies(digestId: string, slot: string, total: number): Promise<void>;
}

/** The message a copy carries: no file goes with it, so no line saying one is attached. */
function withoutFileLine(message: SlackMessage): SlackMessage {
  return {
    text: message.text,
    blocks: message.blocks.filter(
      (b) => !(b.type === 'context' && JSON.stringify(b).includes('is attached')),
    ),
  };
}

/** The channel's post for a run of a personal digest, and the run's fan-out. */
export async function publishPersonal(
  deps: PublishDeps,
  digest: Digest,
  slot: string,
  message: SlackMessage,
  /** The stored result the message shows; undefined when the query had none to show. */
  resultId: number | undefined,
): Promise<void> {
  if (digest.params.kind !== 'query_result') throw new Error('personal copies need a query');
  const run: SavedRun = { message: withoutFileLine(message), resultId: resultId ?? null };
  await deps.subscriptions.saveRun(digest.id, slot, run);
  const total = await deps.subscriptions.count(digest.id);
  await deps.slack.chat.postMessage({
    channel: digest.channelId,
    ...buildPersonalChannelPost({
      digestId: digest.id,
      name: digest.name,
      queryId: digest.params.queryId,
      subscribers: total,
    }),
    unfurl_links: false,
  });
  if (total > 0) await deps.enqueueCopies(digest.id, slot, total);
}

export interface CopyDeps {
  digests: Pick<DigestStore, 'get'>;
  subscriptions: SubscriptionStore;
  credentials: Pick<CredentialStore, 'load'>;
  alationFor(owner: Owner): AlationClient;
  slack: Client;
  log: Logger;
  now(): Date;
  leaseMs?: number;
}

export interface BatchOutcome {
  posted: number;
  noAccess: number;
  notConnected: number;
  /** Already claimed (posted by another replica or an earlier attempt, or in progress). */
  taken: number;
  /** Failed for a passing reason; the batch is retried for them. */
  again: number;
  failed: number;
}

type CopyResult = Exclude<keyof BatchOutcome, never>;

/** One batch of a run's subscribers. Throws when some copies should be tried again later. */
export async function deliverCopyBatch(deps: CopyDeps, ref: CopyRef): Promise<BatchOutcome> {
  const outcome: BatchOutcome = {
    posted: 0,
    noAccess: 0,
    notConnected: 0,
    taken: 0,
    again: 0,
    failed: 0,
  };
  const digest = await deps.digests.get(ref.digestId);
  const run = digest && ((await deps.subscriptions.run(ref.digestId, ref.slot)) as SavedRun);
  if (!digest || !run?.message || digest.params.kind !== 'query_result') return outcome;
  const queryId = digest.params.queryId;
  const subs = await deps.subscriptions.page(ref.digestId, ref.offset, ref.limit);
  const log = deps.log.child({ digestId: ref.digestId, slot: ref.slot });
  let next = 0;
  const worker = async () => {
    while (next < subs.length) {
      const sub = subs[next++] as Subscription;
      const result = await deliverCopy(deps, digest, queryId, run, ref, sub, log);
      outcome[result]++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(COPIES_AT_ONCE, subs.length) }, worker));
  log.info(outcome, 'personal copies batch finished');
  if (outcome.again > 0) throw new Error(`${outcome.again} personal copies to try again`);
  return outcome;
}

async function deliverCopy(
  deps: CopyDeps,
  digest: Digest,
  queryId: number,
  run: SavedRun,
  ref: CopyRef,
  sub: Subscription,
  log: Logger,
): Promise<CopyResult> {
  const key = `${ref.slot}#${sub.owner.userId}`;
  const claimedAt = deps.now();
  const claims = deps.subscriptions.claims;
  const claim = await claims.claim(digest.id, key, claimedAt, deps.leaseMs ?? COPY_LEASE_MS);
  if (claim.state !== 'claimed') return 'taken';
  const finish = (status: string, detail: string | null) =>
    claims.finish(digest.id, key, status, deps.now(), detail);
  const dm = (body: SlackMessage) =>
    deps.slack.chat.postMessage({ channel: sub.owner.userId, ...body, unfurl_links: false });
  try {
    const loaded = await deps.credentials.load(sub.owner, 'alation');
    if (loaded.state !== 'connected') {
      const reason = loaded.state === 'reconnect' ? loaded.reason : undefined;
      await tellReconnectOnce(deps, digest, sub, reason);
      await finish('skipped', 'not_connected');
      return 'notConnected';
    }
    // One call as the subscriber: the latest result Alation lets *them* see. The run's message
    // goes only to those whose latest visible result is the very one it shows (the same stored
    // bytes); a query they may read whose result they may not is no access, not a leak.
    let visible: boolean;
    let theirs: number | null = null;
    try {
      theirs = (await deps.alationFor(sub.owner).queries.latestResult(queryId))?.id ?? null;
      visible = run.resultId === null || theirs === run.resultId;
    } catch (error) {
      if (error instanceof NotConnectedError) {
        await tellReconnectOnce(deps, digest, sub, error.reason);
        await finish('skipped', 'not_connected');
        return 'notConnected';
      }
      if (!isUpstreamError(error) || (error.kind !== 'forbidden' && error.kind !== 'not_found'))
        throw error;
      visible = false;
    }
    if (sub.reconnectToldAt) await deps.subscriptions.clearReconnectTold(digest.id, sub.owner);
    if (visible) {
      await dm(buildPersonalCopy({ digestId: digest.id, queryId, message: run.message }));
      await finish('posted', null);
      return 'posted';
    }
    if (theirs !== null) {
      // They see another result of the query (an older one, say): not this run's data.
      await dm(buildOtherResultNotice({ digestId: digest.id, name: digest.name, queryId }));
      await finish('posted', 'other_result');
      return 'noAccess';
    }
    await dm(buildNoAccessNotice({ digestId: digest.id, name: digest.name, queryId }));
    await finish('posted', 'no_access');
    return 'noAccess';
  } catch (error) {
    const slackError = (error as { data?: { error?: string } }).data?.error;
    if (slackError) {
      // Slack will not take a DM to this person (deactivated, DMs with apps off): for good.
      log.warn({ slackError, userId: sub.owner.userId }, 'could not send a personal copy');
      await finish('failed', slackError).catch(() => {});
      return 'failed';
    }
    const logged = isUpstreamError(error) ? { upstream: error.toLog() } : { err: error };
    log.warn(logged, 'personal copy failed; trying again later');
    await claims.release(digest.id, key, claimedAt).catch(() => {});
    return 'again';
  }
}

/** One Reconnect DM per subscriber until a copy reaches them again, not one per run. */
async function tellReconnectOnce(
  deps: CopyDeps,
  digest: Digest,
  sub: Subscription,
  reason: string | undefined,
): Promise<void> {
  if (!(await deps.subscriptions.markReconnectTold(digest.id, sub.owner, deps.now()))) return;
  await deps.slack.chat.postMessage({
    channel: sub.owner.userId,
    ...buildCopyReconnectDm({ name: digest.name, reason }),
  });
}

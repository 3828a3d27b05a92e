// Personal copies (issue 18): a digest or an alert delivered "to each subscriber, as
// themselves". A digest's run (an alert's firing) is rendered once; its channel gets a post with
// Get my own copy (no data), and the subscribers are fanned out in batches
// (queue/digest-copies.ts) that any replica may work. Each copy asks Alation as its subscriber
// whether they can see the query (one call each), then sends the message or a no-access notice
// in a DM. Each (slot, subscriber) is claimed first, so a copy posts once across replicas,
// retries and restarts. A digest's slot is its scheduled run; an alert's, the judged result
// that fired it (its claim in alert_checks).
import type { AllMiddlewareArgs } from '@slack/bolt';
import type { AlationClient } from '../client/alation.ts';
import { isUpstreamError, NotConnectedError } from '../client/errors.ts';
import type { Logger } from '../log.ts';
import type { AlertStore } from '../store/alerts.ts';
import type { CredentialStore, Owner } from '../store/credentials.ts';
import type {
  CopySubjectKind,
  Subscription,
  SubscriptionStore,
} from '../store/digest-subscriptions.ts';
import type { DigestStore } from '../store/digests.ts';
import {
  buildCopyReconnectDm,
  buildNoAccessNotice,
  buildOtherResultNotice,
  buildPersonalChannelPost,
  buildPersonalCopy,
  type CopySubjectRef,
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
  subject: CopySubjectKind;
  id: string;
  slot: string;
  offset: number;
  limit: number;
}

export interface PublishDeps {
  subscriptions: SubscriptionStore;
  slack: Client;
  /** Queues the fan-out of a run: `total` subscribers in batches of `COPY_BATCH`. */
  enqueueCopies(subjectId: string, slot: string, total: number): Promise<void>;
}

/** A personal digest or alert, as its copies need it. */
export interface CopySubject {
  subject: CopySubjectRef;
  name: string;
  queryId: number;
  channelId: string;
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

/**
 * The channel's post for a run of a personal digest (or a firing of a personal alert), and its
 * fan-out. Returns the channel post's ts.
 */
export async function publishPersonal(
  deps: PublishDeps,
  target: CopySubject,
  slot: string,
  message: SlackMessage,
  /** The stored result the message shows; undefined when the query had none to show. */
  resultId: number | undefined,
): Promise<string | undefined> {
  const id = target.subject.id;
  const run: SavedRun = { message: withoutFileLine(message), resultId: resultId ?? null };
  await deps.subscriptions.saveRun(id, slot, run);
  const total = await deps.subscriptions.count(id);
  const posted = await deps.slack.chat.postMessage({
    channel: target.channelId,
    ...buildPersonalChannelPost({
      subject: target.subject,
      name: target.name,
      queryId: target.queryId,
      subscribers: total,
    }),
    unfurl_links: false,
  });
  if (total > 0) await deps.enqueueCopies(id, slot, total);
  return posted.ts;
}

export interface CopyDeps {
  digests: Pick<DigestStore, 'get'>;
  alerts: Pick<AlertStore, 'get'>;
  subscriptions: SubscriptionStore;
  alertSubscriptions: SubscriptionStore;
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
  const found = await subjectOf(deps, ref);
  const run = found && ((await found.store.run(ref.id, ref.slot)) as SavedRun);
  if (!found || !run?.message) return outcome;
  const subs = await found.store.page(ref.id, ref.offset, ref.limit);
  const log = deps.log.child({ [`${ref.subject}Id`]: ref.id, slot: ref.slot });
  let next = 0;
  const worker = async () => {
    while (next < subs.length) {
      const sub = subs[next++] as Subscription;
      const result = await deliverCopy(deps, found, run, ref, sub, log);
      outcome[result]++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(COPIES_AT_ONCE, subs.length) }, worker));
  log.info(outcome, 'personal copies batch finished');
  if (outcome.again > 0) throw new Error(`${outcome.again} personal copies to try again`);
  return outcome;
}

interface Found {
  target: Omit<CopySubject, 'channelId'>;
  store: SubscriptionStore;
}

/** The personal digest or alert a batch is for, and its subscriptions; none once it is not. */
async function subjectOf(deps: CopyDeps, ref: CopyRef): Promise<Found | undefined> {
  if (ref.subject === 'alert') {
    const alert = await deps.alerts.get(ref.id);
    if (!alert?.personal) return undefined;
    const target = { subject: { kind: 'alert' as const, id: alert.id }, name: alert.name };
    return { target: { ...target, queryId: alert.queryId }, store: deps.alertSubscriptions };
  }
  const digest = await deps.digests.get(ref.id);
  if (digest?.params.kind !== 'query_result') return undefined;
  const target = { subject: { kind: 'digest' as const, id: digest.id }, name: digest.name };
  return { target: { ...target, queryId: digest.params.queryId }, store: deps.subscriptions };
}

async function deliverCopy(
  deps: CopyDeps,
  found: Found,
  run: SavedRun,
  ref: CopyRef,
  sub: Subscription,
  log: Logger,
): Promise<CopyResult> {
  const { target, store } = found;
  const { subject, name, queryId } = target;
  const key = `${ref.slot}#${sub.owner.userId}`;
  const claimedAt = deps.now();
  const claims = store.claims;
  const claim = await claims.claim(subject.id, key, claimedAt, deps.leaseMs ?? COPY_LEASE_MS);
  if (claim.state !== 'claimed') return 'taken';
  const finish = (status: string, detail: string | null) =>
    claims.finish(subject.id, key, status, deps.now(), detail);
  const dm = (body: SlackMessage) =>
    deps.slack.chat.postMessage({ channel: sub.owner.userId, ...body, unfurl_links: false });
  try {
    const loaded = await deps.credentials.load(sub.owner, 'alation');
    if (loaded.state !== 'connected') {
      const reason = loaded.state === 'reconnect' ? loaded.reason : undefined;
      await tellReconnectOnce(deps, found, sub, reason);
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
        await tellReconnectOnce(deps, found, sub, error.reason);
        await finish('skipped', 'not_connected');
        return 'notConnected';
      }
      if (!isUpstreamError(error) || (error.kind !== 'forbidden' && error.kind !== 'not_found'))
        throw error;
      visible = false;
    }
    if (sub.reconnectToldAt) await store.clearReconnectTold(subject.id, sub.owner);
    if (visible) {
      await dm(buildPersonalCopy({ subject, queryId, message: run.message }));
      await finish('posted', null);
      return 'posted';
    }
    if (theirs !== null) {
      // They see another result of the query (an older one, say): not this run's data.
      await dm(buildOtherResultNotice({ subject, name, queryId }));
      await finish('posted', 'other_result');
      return 'noAccess';
    }
    await dm(buildNoAccessNotice({ subject, name, queryId }));
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
    await claims.release(subject.id, key, claimedAt).catch(() => {});
    return 'again';
  }
}

/** One Reconnect DM per subscriber until a copy reaches them again, not one per run. */
async function tellReconnectOnce(
  deps: CopyDeps,
  { target, store }: Found,
  sub: Subscription,
  reason: string | undefined,
): Promise<void> {
  if (!(await store.markReconnectTold(target.subject.id, sub.owner, deps.now()))) return;
  await deps.slack.chat.postMessage({
    channel: sub.owner.userId,
    ...buildCopyReconnectDm({ name: target.name, reason }),
  });
}

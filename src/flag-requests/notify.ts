// Where a trust-flag request shows: the review card (rewritten in place as it moves on), the
// requester's receipt, and the DMs that tell people what happened. Failures to update Slack are
// logged, never thrown: the decision is already recorded and must not be undone by a card.
import type { AllMiddlewareArgs } from '@slack/bolt';
import type { AlationClient, TrustFlag } from '../client/alation.ts';
import type { Features } from '../features.ts';
import type { Logger } from '../log.ts';
import { outcomeWithin } from '../slack/modal-submission.ts';
import type { FlagRequest, FlagRequestStore, FlagRequestTimes } from '../store/flag-requests.ts';
import {
  buildRequestOutcomeMessage,
  buildRequestReceipt,
  buildReviewCard,
} from '../views/flag-request.ts';
import type { SlackMessage } from '../views/help.ts';

export type SlackClient = AllMiddlewareArgs['client'];

/** What every step of a request needs; built from Features and the Slack client. */
export interface RequestDeps {
  store: FlagRequestStore;
  slack: SlackClient;
  alationFor(owner: { tenantId: string; userId: string }): AlationClient;
  requireAlation(owner: { tenantId: string; userId: string }): Promise<AlationClient>;
  alationBaseUrl: string;
  times: FlagRequestTimes;
  now(): Date;
  log: Logger;
}

/** The request steps' dependencies from the bot's Features, posting with `slack`. */
export function requestDeps(features: Features, slack: SlackClient, log: Logger): RequestDeps {
  return {
    store: features.flagRequests,
    slack,
    alationFor: features.alationFor,
    requireAlation: features.requireAlation,
    alationBaseUrl: features.alationBaseUrl,
    times: features.flagRequestTimes,
    now: features.now,
    log,
  };
}

/** How long a card update waits for the object's flags before going without them. */
const FLAGS_BUDGET_MS = 1_500;

/** The object's flags as `alation` sees them, if Alation answers quickly; a nicety only. */
export async function currentFlags(
  alation: AlationClient,
  request: FlagRequest,
): Promise<TrustFlag[] | undefined> {
  const read = await outcomeWithin(
    alation.flags.list({ subject: request.subject, limit: 20 }),
    FLAGS_BUDGET_MS,
  );
  return read?.ok ? read.value.items : undefined;
}

async function post(deps: RequestDeps, channel: string, message: SlackMessage, threadTs?: string) {
  const posted = await deps.slack.chat.postMessage({
    channel,
    text: message.text,
    blocks: message.blocks,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  if (!posted.ts || !posted.channel) throw new Error('Slack did not say where it posted');
  return { channelId: posted.channel, ts: posted.ts };
}

/** Posts the review card to the reviewer's DM or the stewards' channel; Slack errors throw. */
export async function postCard(
  deps: RequestDeps,
  request: FlagRequest,
  flags: TrustFlag[] | undefined,
): Promise<{ channelId: string; ts: string }> {
  const card = buildReviewCard({
    request,
    currentFlags: flags,
    alationBaseUrl: deps.alationBaseUrl,
    now: deps.now(),
  });
  const target =
    'userId' in request.reviewer ? request.reviewer.userId : request.reviewer.channelId;
  const where = await post(deps, target, card);
  await deps.store.setCard(request.id, where);
  return where;
}

/** The requester's receipt in their DM (its thread carries questions). */
export async function postReceipt(deps: RequestDeps, request: FlagRequest): Promise<void> {
  try {
    const where = await post(
      deps,
      request.requester.userId,
      buildRequestReceipt(request, deps.alationBaseUrl),
    );
    await deps.store.setReceipt(request.id, where);
  } catch (err) {
    deps.log.warn({ err, requestId: request.id }, 'could not send a flag request receipt');
  }
}

/** Rewrites the card as the request now stands; `approvingBy` while an approval is under way. */
export async function refreshCard(
  deps: RequestDeps,
  request: FlagRequest,
  options: { flags?: TrustFlag[] | undefined; approvingBy?: string } = {},
): Promise<void> {
  if (!request.card) return;
  const card = buildReviewCard({
    request,
    currentFlags: options.flags,
    alationBaseUrl: deps.alationBaseUrl,
    now: deps.now(),
    ...(options.approvingBy ? { approvingBy: options.approvingBy } : {}),
  });
  await deps.slack.chat
    .update({ channel: request.card.channelId, ts: request.card.ts, ...card })
    .catch((err: unknown) =>
      deps.log.warn({ err, requestId: request.id }, 'could not update a flag request card'),
    );
}

/** A decided request: the card and receipt lose their buttons, and the requester hears how. */
export async function announceOutcome(deps: RequestDeps, request: FlagRequest): Promise<void> {
  await refreshCard(deps, request);
  if (request.receipt) {
    await deps.slack.chat
      .update({
        channel: request.receipt.channelId,
        ts: request.receipt.ts,
        ...buildRequestReceipt(request, deps.alationBaseUrl),
      })
      .catch((err: unknown) =>
        deps.log.warn({ err, requestId: request.id }, 'could not update a flag request receipt'),
      );
  }
  if (request.status === 'withdrawn') return;
  await post(
    deps,
    request.requester.userId,
    buildRequestOutcomeMessage(request, deps.alationBaseUrl),
  ).catch((err: unknown) =>
    deps.log.warn({ err, requestId: request.id }, 'could not tell the requester the outcome'),
  );
}

/** A reply in the card's thread (reminders, questions), broadcast when it must be seen. */
export async function replyToCard(
  deps: RequestDeps,
  request: FlagRequest,
  message: SlackMessage,
  options: { broadcast?: boolean } = {},
): Promise<boolean> {
  if (!request.card) return false;
  try {
    const thread = { channel: request.card.channelId, thread_ts: request.card.ts };
    const content = { text: message.text, blocks: message.blocks };
    await deps.slack.chat.postMessage(
      options.broadcast
        ? { ...thread, reply_broadcast: true, ...content }
        : { ...thread, ...content },
    );
    return true;
  } catch (err) {
    deps.log.warn({ err, requestId: request.id }, 'could not reply to a flag request card');
    return false;
  }
}

/** A reply in the requester's receipt thread, else a new DM to them. */
export async function replyToRequester(
  deps: RequestDeps,
  request: FlagRequest,
  message: SlackMessage,
): Promise<void> {
  await post(
    deps,
    request.receipt?.channelId ?? request.requester.userId,
    message,
    request.receipt?.ts,
  );
}

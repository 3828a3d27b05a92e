// Deciding a trust-flag request: approve (as is, or with changes), deny, withdraw, ask. An
// approval claims the request in the database before Alation is called, so two stewards pressing
// Approve at once create one flag; the flag is created with the approver's own credentials, and
// if Alation refuses them the claim is released and the request stays open for someone else.
import type { AddFlagBody, FlagType, TrustFlag } from '../client/alation.ts';
import { ForbiddenError, isUpstreamError, NotConnectedError } from '../client/errors.ts';
import type { Owner } from '../store/credentials.ts';
import type { FlagRequest } from '../store/flag-requests.ts';
import { escapeMrkdwn } from '../views/blocks.ts';
import { FLAG_LABELS } from '../views/flag.ts';
import { buildRequestNotice, buildRequestQuestion } from '../views/flag-request.ts';
import {
  announceOutcome,
  currentFlags,
  type RequestDeps,
  refreshCard,
  replyToCard,
  replyToRequester,
} from './notify.ts';

export type DecisionResult =
  | { kind: 'approved'; request: FlagRequest; flag: TrustFlag }
  | { kind: 'denied'; request: FlagRequest }
  /** Someone else decided first, it was withdrawn or expired, or is being approved now. */
  | { kind: 'taken'; request: FlagRequest | undefined }
  | { kind: 'own'; request: FlagRequest }
  /** Asked of one person, and pressed by someone else (a forwarded or forged button). */
  | { kind: 'not_reviewer'; request: FlagRequest }
  | { kind: 'not_connected'; error: NotConnectedError }
  /** Alation refused or failed; the request is open again and the card says why. */
  | { kind: 'refused'; request: FlagRequest | undefined; error: unknown; refusal: string };

/** What the flag will be: the request's own type and reason, or the approver's changes. */
export interface FlagChoice {
  flagType: FlagType;
  reason: string;
}

export function flagBody(request: FlagRequest, choice: FlagChoice): AddFlagBody {
  const subject = { otype: request.subject.otype, id: request.subject.id };
  return choice.flagType === 'ENDORSEMENT'
    ? { flag_type: 'ENDORSEMENT', subject }
    : { flag_type: choice.flagType, flag_reason: choice.reason.trim(), subject };
}

/** Why Alation did not create the flag, as the card says it (mrkdwn-safe: escaped by the view). */
export function refusalText(error: unknown, approverId: string, choice: FlagChoice): string {
  const what = `the ${FLAG_LABELS[choice.flagType].toLowerCase()}`;
  if (error instanceof ForbiddenError) {
    return `Alation did not let the last approver create ${what}: it takes the global flag edit permission in Alation.`;
  }
  if (error instanceof NotConnectedError) {
    return 'The last approver’s Alation account is not connected (or needs reconnecting).';
  }
  if (isUpstreamError(error)) {
    return `Alation could not create ${what} for the last approver: ${error.message}`;
  }
  return `Something went wrong on the bot’s side while creating ${what} (logged, approver ${approverId}).`;
}

const isOpen = (r: FlagRequest | undefined) => r?.status === 'open';

/** A request asked of one person is theirs to decide; one in a channel is anyone's there. */
const mayDecide = (request: FlagRequest, actor: Owner) =>
  !('userId' in request.reviewer) || request.reviewer.userId === actor.userId;

/**
 * A claim that went stale (its replica died while Alation was asked) may have created its flag
 * before it could record so. If the object carries exactly the flag that claimant was creating,
 * the request is recorded as approved by them with that flag instead of creating a second one.
 */
async function adoptInterrupted(
  deps: RequestDeps,
  alation: Awaited<ReturnType<RequestDeps['requireAlation']>>,
  request: FlagRequest,
  approver: Owner,
  tookOver: { claimedBy: string; intended: FlagChoice },
): Promise<FlagRequest | undefined> {
  const { flagType, reason } = tookOver.intended;
  let found: TrustFlag | undefined;
  try {
    const page = await alation.flags.list({ subject: request.subject, limit: 100 });
    found = page.items.find(
      (f) => f.flag_type === flagType && f.flag_reason.trim() === reason.trim(),
    );
  } catch (error) {
    // Not knowing is no reason to block the approval; at worst the object gets the flag twice.
    deps.log.warn(
      { err: error, requestId: request.id },
      'could not check for an interrupted approval',
    );
    return undefined;
  }
  if (!found) return undefined;
  const adopted = await deps.store.approve(
    request.id,
    approver.userId,
    { flagId: found.id, flagType: found.flag_type, reason: found.flag_reason },
    deps.now(),
    tookOver.claimedBy,
  );
  if (adopted) {
    deps.log.warn(
      { requestId: request.id, flagId: found.id },
      'adopted the flag of an approval interrupted before it was recorded',
    );
    await announceOutcome(deps, adopted);
  }
  return adopted;
}

/**
 * Approves as `approver`: their credentials first (no claim for someone who cannot call Alation),
 * then the claim, then the flag, then the record and the cards. `onClaimed` runs once the claim
 * is held, for a progress card.
 */
export async function approveRequest(
  deps: RequestDeps,
  requestId: string,
  approver: Owner,
  change?: FlagChoice,
): Promise<DecisionResult> {
  const existing = await deps.store.get(requestId);
  if (!existing || existing.requester.tenantId !== approver.tenantId) {
    return { kind: 'taken', request: undefined };
  }
  if (existing.requester.userId === approver.userId) return { kind: 'own', request: existing };
  if (!mayDecide(existing, approver)) return { kind: 'not_reviewer', request: existing };
  // 'deciding' goes on to the claim, which takes over a claim that went stale.
  if (!isOpen(existing) && existing.status !== 'deciding')
    return { kind: 'taken', request: existing };
  let alation: Awaited<ReturnType<RequestDeps['requireAlation']>>;
  try {
    alation = await deps.requireAlation(approver);
  } catch (error) {
    if (error instanceof NotConnectedError) return { kind: 'not_connected', error };
    throw error;
  }
  const choice = change ?? { flagType: existing.flagType, reason: existing.reason };
  const claim = await deps.store.claim(requestId, approver.userId, deps.now(), choice);
  if (!claim.ok) return { kind: 'taken', request: claim.request };
  if (claim.tookOver) {
    const adopted = await adoptInterrupted(deps, alation, claim.request, approver, claim.tookOver);
    if (adopted) return { kind: 'taken', request: adopted };
  }
  await refreshCard(deps, claim.request, { approvingBy: approver.userId });
  let flag: TrustFlag;
  try {
    flag = await alation.flags.add(flagBody(claim.request, choice));
  } catch (error) {
    if (isUpstreamError(error)) {
      deps.log.info({ upstream: error.toLog(), requestId }, 'Alation refused a flag approval');
    } else if (!(error instanceof NotConnectedError)) {
      deps.log.error({ err: error, requestId }, 'could not create an approved flag');
    }
    const refusal = refusalText(error, approver.userId, choice);
    const released = await deps.store.release(requestId, approver.userId, refusal, deps.now());
    if (released) {
      await refreshCard(deps, released, { flags: await currentFlags(alation, released) });
      // A person's card has no one else to turn to: the requester decides what next.
      if ('userId' in released.reviewer) {
        await replyToRequester(
          deps,
          released,
          buildRequestNotice(
            `:no_entry_sign: <@${approver.userId}> tried to approve your request, but ${escapeMrkdwn(refusal)} It is still open; you can withdraw it and ask someone else.`,
          ),
        ).catch((err: unknown) =>
          deps.log.warn({ err, requestId }, 'could not tell the requester'),
        );
      }
    }
    return { kind: 'refused', request: released, error, refusal };
  }
  const approved = await deps.store.approve(
    requestId,
    approver.userId,
    { flagId: flag.id, flagType: flag.flag_type, reason: flag.flag_reason },
    deps.now(),
  );
  deps.log.info({ requestId, flagId: flag.id }, 'approved a trust flag request');
  if (!approved) {
    // The claim went stale and someone else took it over while Alation answered; the flag
    // exists, and the other decision is what the record shows.
    deps.log.warn({ requestId, flagId: flag.id }, 'a flag was created after its claim went stale');
    return { kind: 'taken', request: await deps.store.get(requestId) };
  }
  await announceOutcome(deps, approved);
  return { kind: 'approved', request: approved, flag };
}

export async function denyRequest(
  deps: RequestDeps,
  requestId: string,
  actor: Owner,
  note: string,
): Promise<DecisionResult> {
  const existing = await deps.store.get(requestId);
  if (!existing || existing.requester.tenantId !== actor.tenantId) {
    return { kind: 'taken', request: undefined };
  }
  if (existing.requester.userId === actor.userId) return { kind: 'own', request: existing };
  if (!mayDecide(existing, actor)) return { kind: 'not_reviewer', request: existing };
  const denied = await deps.store.deny(requestId, actor.userId, note.trim(), deps.now());
  if (!denied) return { kind: 'taken', request: await deps.store.get(requestId) };
  await announceOutcome(deps, denied);
  return { kind: 'denied', request: denied };
}

/** Withdrawn by its requester while open; undefined when it was not theirs or not open. */
export async function withdrawRequest(
  deps: RequestDeps,
  requestId: string,
  requester: Owner,
): Promise<FlagRequest | undefined> {
  const withdrawn = await deps.store.withdraw(requestId, requester, deps.now());
  if (withdrawn) await announceOutcome(deps, withdrawn);
  return withdrawn;
}

/** A question for the requester, in their receipt's thread and the card's. */
export async function askRequester(
  deps: RequestDeps,
  requestId: string,
  actor: Owner,
  question: string,
): Promise<FlagRequest | undefined> {
  const request = await deps.store.get(requestId);
  if (!request || request.requester.tenantId !== actor.tenantId) return undefined;
  const message = buildRequestQuestion(actor.userId, question.trim());
  await replyToRequester(deps, request, message);
  await replyToCard(deps, request, message);
  await deps.store.recordQuestion(requestId, actor.userId, question.trim(), deps.now());
  return request;
}

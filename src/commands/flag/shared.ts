// What the flag sub-actions share: argument parsing, the subject's name, where announcements
// go, and how Alation's refusals (403, 404) are told to people.
import type { AllMiddlewareArgs, RespondFn } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { AlationClient, FlagSubject } from '../../client/alation.ts';
import {
  ForbiddenError,
  isUpstreamError,
  NotConnectedError,
  NotFoundError,
} from '../../client/errors.ts';
import type { Logger } from '../../log.ts';
import { reportFailure } from '../../slack/failure.ts';
import { outcomeWithin } from '../../slack/modal-submission.ts';
import { type Conversation, postToResponseUrl, tellUser } from '../../slack/reply.ts';
import type { Owner } from '../../store/credentials.ts';
import { echo, escapeMrkdwn } from '../../views/blocks.ts';
import {
  buildFlagForbiddenMessage,
  buildFlagGoneMessage,
  type SubjectRef,
} from '../../views/flag.ts';
import type { FlagRef } from '../../views/flag-ref.ts';
import type { SlackMessage } from '../../views/help.ts';

export type Client = AllMiddlewareArgs['client'];

/** How long a command waits for Alation before opening a modal; trigger ids die after 3 s. */
export const OPEN_BUDGET_MS = 1_500;

const OTYPE = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * `<otype> <id>` (`table 12`), or a pasted catalog link (`https://…/table/12/`). Returns
 * undefined for empty input, so callers can choose what "nothing given" means.
 */
export function parseSubject(
  args: string,
  usage: string,
): { subject: FlagSubject } | { problem: string } | undefined {
  const text = args.trim();
  if (text === '') return undefined;
  const link =
    /^<?https?:\/\/[^/\s]+(?:\/[^\s]*)?\/([a-z][a-z0-9_]*)\/(\d{1,15})\/?(?:[|>].*)?$/i.exec(text);
  const words = text.split(/\s+/);
  const [rawOtype, rawId] = link ? [link[1], link[2]] : words;
  if (!link && words.length !== 2) {
    return {
      problem: `Give the object’s type and id, e.g. \`${usage} table 12\` (or paste its Alation link).`,
    };
  }
  const otype = (rawOtype ?? '').toLowerCase();
  if (!OTYPE.test(otype)) {
    return {
      problem: `${echo(rawOtype ?? '')} is not an object type. Use the word from its Alation URL, e.g. \`table\` in /table/12/: \`${usage} table 12\`.`,
    };
  }
  if (!/^\d{1,15}$/.test(rawId ?? '') || !Number.isSafeInteger(Number(rawId))) {
    return {
      problem: `${echo(rawId ?? '')} is not an object id. Use the number from its Alation URL (/table/12/ → 12), e.g. \`${usage} table 12\`.`,
    };
  }
  return { subject: { otype, id: Number(rawId) } };
}

export function parseFlagId(args: string, usage: string): { flagId: number } | { problem: string } {
  const text = args.trim();
  const id = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isSafeInteger(id) && id > 0) return { flagId: id };
  return {
    problem: text
      ? `${echo(text)} is not a flag id. Flag ids are numbers; \`/alation flag list <otype> <id>\` shows them, e.g. \`${usage} 9\`.`
      : `Which flag? Give its id, e.g. \`${usage} 9\`; \`/alation flag list <otype> <id>\` shows them.`,
  };
}

/**
 * The object's name where Alation offers a way to read it (queries, today). Only a nicety:
 * any failure leaves the subject known by type and id.
 */
export async function lookupSubject(
  alation: AlationClient,
  subject: FlagSubject,
  log: Logger,
): Promise<SubjectRef> {
  if (subject.otype !== 'query') return subject;
  try {
    const query = await alation.queries.get(subject.id);
    return { ...subject, name: query.title.trim() || undefined };
  } catch (error) {
    log.debug(
      isUpstreamError(error) ? { upstream: error.toLog() } : { err: error },
      'could not look up a flag subject’s name',
    );
    return subject;
  }
}

/** Where a modal was opened from, so its outcome can be posted back there. */
export type ModalOrigin = Conversation;

/** Privately to the person: where they acted, else in a DM. */
export async function tellPrivately(
  client: Client,
  owner: Owner,
  origin: ModalOrigin,
  message: SlackMessage,
): Promise<void> {
  if (
    origin.responseUrl &&
    (await postToResponseUrl(origin.responseUrl, { replace_original: false, ...message }))
  ) {
    return;
  }
  await tellUser(client, owner.userId, message);
}

/**
 * A failed flag call as the person sees it: the permission rule for a 403, "already gone" for
 * a 404, the connect prompt or the upstream message for anything else.
 */
export async function reportFlagFailure(
  error: unknown,
  ref: FlagRef,
  doing: 'remove' | 'edit' | 'show',
  respond: RespondFn,
  log: Logger,
): Promise<void> {
  if (error instanceof NotFoundError) {
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      ...buildFlagGoneMessage(ref, doing),
    });
    return;
  }
  if (error instanceof ForbiddenError && doing !== 'show') {
    log.info({ upstream: error.toLog() }, `Alation refused to ${doing} a flag`);
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      ...buildFlagForbiddenMessage(ref, doing),
    });
    return;
  }
  const what = { remove: 'remove', edit: 'change the reason of', show: 'read' }[doing];
  await reportFailure(error, respond, log, `${what} flag ${ref.flagId}`);
}

/** A modal can only show text, so the Connect button becomes what to type. */
export const NOT_CONNECTED_TEXT =
  'Your Alation account is not connected (or needs reconnecting): run `/alation login`, then try again. Nothing was changed.';

/** The text of a refusal, for an inline error in a modal (which cannot show buttons). */
export function flagFailureText(error: unknown, ref: FlagRef, doing: 'remove' | 'edit'): string {
  if (error instanceof NotFoundError) return buildFlagGoneMessage(ref, doing).text;
  if (error instanceof ForbiddenError) return buildFlagForbiddenMessage(ref, doing).text;
  if (error instanceof NotConnectedError) return NOT_CONNECTED_TEXT;
  return isUpstreamError(error)
    ? `${escapeMrkdwn(error.message)} Nothing was changed.`
    : 'Something went wrong on the bot’s side; it has been logged. Nothing was changed.';
}

export function logFlagFailure(log: Logger, error: unknown, doing: string): void {
  if (isUpstreamError(error)) log.warn({ upstream: error.toLog() }, `could not ${doing}`);
  else log.error({ err: error }, `could not ${doing}`);
}

/** Where a subject's form was opened from, and for whom. */
export interface SubjectFormInput {
  client: Client;
  respond: RespondFn;
  log: Logger;
  owner: Owner;
  triggerId: string;
  subject: SubjectRef | undefined;
  origin: { responseUrl?: string | undefined; channelId?: string | undefined };
}

/**
 * Opens a form about one catalog object (Add a flag, Request a flag): the subject filled in
 * and, if Alation names it within the budget, named; the conversation it came from kept in the
 * private metadata for the answer. A refusal (not connected, say) is told in one sentence.
 */
export async function openSubjectForm(
  alation: () => Promise<AlationClient>,
  input: SubjectFormInput,
  form: {
    /** "open the Add flag form": what failed, in words. */
    doing: string;
    build(view: {
      privateMetadata: string;
      values: { otype?: string; subjectId?: string };
      subject: SubjectRef | undefined;
    }): ModalView;
  },
): Promise<void> {
  const { client, log, subject, origin } = input;
  try {
    const client_ = await alation();
    let named = subject;
    if (subject) {
      // The name is a nicety; the trigger id dies after 3 s, so never wait long for it.
      const early = await outcomeWithin(lookupSubject(client_, subject, log), OPEN_BUDGET_MS);
      if (early?.ok) named = early.value;
    }
    const metadata = {
      ...(origin.responseUrl ? { responseUrl: origin.responseUrl } : {}),
      ...(origin.channelId ? { channelId: origin.channelId } : {}),
      ...(named?.name ? { subject: named } : {}),
    };
    await client.views.open({
      trigger_id: input.triggerId,
      view: form.build({
        privateMetadata: JSON.stringify(metadata),
        values: subject ? { otype: subject.otype, subjectId: String(subject.id) } : {},
        subject: named,
      }),
    });
  } catch (error) {
    await reportFailure(error, input.respond, log, form.doing);
  }
}

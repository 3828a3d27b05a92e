// `/alation flag add [<otype> <id>]`: the Add flag modal, its type radio (which rebuilds the
// modal with or without the reason), the submission, and the announcement in the channel.
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { audienceObjectOf } from '../../audience/check.ts';
import { ownerOf } from '../../auth/owner.ts';
import type { AlationClient } from '../../client/alation.ts';
import {
  type AddFlagBody,
  FLAG_TYPES,
  type FlagSubject,
  type FlagType,
  type TrustFlag,
} from '../../client/alation.ts';
import {
  BadRequestError,
  ForbiddenError,
  isUpstreamError,
  NotConnectedError,
} from '../../client/errors.ts';
import type { Logger } from '../../log.ts';
import { requestContext } from '../../middleware/request-context.ts';
import { buttonValue } from '../../slack/button-value.ts';
import { modalOriginSchema, readMetadata, submitModal } from '../../slack/modal-submission.ts';
import type { Owner } from '../../store/credentials.ts';
import { clip } from '../../views/blocks.ts';
import {
  ACTION_FLAG_OPEN,
  buildFlagAddedMessage,
  FLAG_LABELS,
  type SubjectRef,
  subjectWords,
} from '../../views/flag.ts';
import {
  ACTION_FLAG_TYPE_CHOICE,
  type AddFlagForm,
  BLOCK_FLAG_OTYPE,
  BLOCK_FLAG_REASON,
  BLOCK_FLAG_SUBJECT_ID,
  BLOCK_FLAG_TYPE,
  buildAddFlagModal,
  buildFlagNoticeModal,
  INPUT,
  VIEW_FLAG_ADD,
} from '../../views/flag-modal.ts';
import { buildAddRefusedModal } from '../../views/flag-request-modal.ts';
import { ACTION_QUERY_FLAG } from '../../views/query.ts';
import { checkedAnnouncements, type RenderAnnouncement } from '../announce-checked.ts';
import type { CommandDeps, CommandInput } from '../command.ts';
import {
  type Client,
  lookupSubject,
  type ModalOrigin,
  NOT_CONNECTED_TEXT,
  openSubjectForm,
  parseSubject,
  type SubjectFormInput,
} from './shared.ts';

/** Where the command ran, and the subject the bot looked up when it opened the modal. */
interface AddMetadata extends ModalOrigin {
  subject?: SubjectRef;
}

const addMetadataSchema = modalOriginSchema.extend({
  subject: z.object({ otype: z.string(), id: z.number(), name: z.string().optional() }).optional(),
});

const readAddMetadata = (raw: string): AddMetadata => readMetadata(raw, addMetadataSchema, {});

interface StateValue {
  value?: string | null;
  selected_option?: { value?: string } | null;
}
export type AddViewState = Record<string, Record<string, StateValue>>;

const isFlagType = (value: unknown): value is FlagType =>
  typeof value === 'string' && (FLAG_TYPES as readonly string[]).includes(value);

export function readAddForm(values: AddViewState): AddFlagForm {
  const flagType = values[BLOCK_FLAG_TYPE]?.[ACTION_FLAG_TYPE_CHOICE]?.selected_option?.value;
  return {
    otype: values[BLOCK_FLAG_OTYPE]?.[INPUT]?.value ?? undefined,
    subjectId: values[BLOCK_FLAG_SUBJECT_ID]?.[INPUT]?.value ?? undefined,
    flagType: isFlagType(flagType) ? flagType : undefined,
    reason: values[BLOCK_FLAG_REASON]?.[INPUT]?.value ?? undefined,
  };
}

export type FormErrors = Record<string, string>;

/** Alation's rules, checked before asking it, each next to the field it concerns. */
export function checkAddForm(
  form: AddFlagForm,
): { ok: true; body: AddFlagBody } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {};
  const otype = (form.otype ?? '').trim().toLowerCase();
  const rawId = (form.subjectId ?? '').trim();
  if (otype === '') errors[BLOCK_FLAG_OTYPE] = 'Which kind of object? e.g. table, schema, data.';
  if (rawId === '') {
    errors[BLOCK_FLAG_SUBJECT_ID] =
      'Which object? Give its id from its Alation URL: /table/12/ → 12.';
  } else if (!/^\d{1,15}$/.test(rawId) || !Number.isSafeInteger(Number(rawId))) {
    errors[BLOCK_FLAG_SUBJECT_ID] =
      `“${clip(rawId, 40)}” is not an id. Use the number from the object’s Alation URL: /table/12/ → 12.`;
  }
  const reason = (form.reason ?? '').trim();
  if (!form.flagType) {
    errors[BLOCK_FLAG_TYPE] = 'Choose Endorsement, Warning or Deprecation.';
  } else if (form.flagType === 'ENDORSEMENT') {
    // The reason field is hidden for endorsements; this only bites if Slack had not updated
    // the modal yet when it was submitted.
    if (reason !== '') {
      errors[BLOCK_FLAG_TYPE] =
        'Endorsements carry no reason in Alation. Clear the reason, or choose Warning or Deprecation.';
    }
  } else if (reason === '') {
    errors[BLOCK_FLAG_REASON] =
      `A ${FLAG_LABELS[form.flagType]} needs a reason: Alation requires one, so people know what to watch out for.`;
  }
  if (Object.keys(errors).length > 0 || !form.flagType) return { ok: false, errors };
  const subject: FlagSubject = { otype, id: Number(rawId) };
  return {
    ok: true,
    body:
      form.flagType === 'ENDORSEMENT'
        ? { flag_type: 'ENDORSEMENT', subject }
        : { flag_type: form.flagType, flag_reason: reason, subject },
  };
}

/**
 * What Alation refused, next to the field it concerns: its 400 `{"subject": ["Invalid otype"]}`
 * at the type, any other subject problem (no such object) at the id. Says nothing was added.
 */
export function addErrors(error: unknown, form: AddFlagForm): FormErrors {
  const reasonShown = form.flagType !== 'ENDORSEMENT';
  if (error instanceof BadRequestError) {
    const errors: FormErrors = {};
    const subject = error.fieldErrors.subject?.join(' ');
    if (subject) {
      if (/invalid otype/i.test(subject)) {
        errors[BLOCK_FLAG_OTYPE] =
          `Alation does not know the object type “${clip((form.otype ?? '').trim(), 40)}” (Invalid otype). Use the word from the object’s URL: data, schema, table, attribute, query, article, glossary_term, …`;
      } else {
        errors[BLOCK_FLAG_SUBJECT_ID] =
          `Alation found no ${(form.otype ?? '').trim() || 'object'} with id ${(form.subjectId ?? '').trim()} (${subject}). Check the number in its URL.`;
      }
    }
    const reason = error.fieldErrors.flag_reason?.join(' ');
    if (reason) errors[reasonShown ? BLOCK_FLAG_REASON : BLOCK_FLAG_TYPE] = reason;
    const type = error.fieldErrors.flag_type?.join(' ');
    if (type) errors[BLOCK_FLAG_TYPE] = type;
    if (Object.keys(errors).length > 0) return errors;
  }
  if (error instanceof ForbiddenError) {
    return {
      [BLOCK_FLAG_TYPE]:
        'Alation did not let you add trust flags: it takes the global flag edit permission. Ask your Alation admin. Nothing was added.',
    };
  }
  if (error instanceof NotConnectedError) {
    return { [BLOCK_FLAG_TYPE]: NOT_CONNECTED_TEXT.replace('changed', 'added') };
  }
  const reason = isUpstreamError(error)
    ? error.message
    : 'Something went wrong on the bot’s side; it has been logged.';
  return { [BLOCK_FLAG_TYPE]: `Could not add the flag. ${reason} Nothing was added.` };
}

/** The refusal with **Request a flag…**, carrying the form and where it was opened from. */
function refused(privateMetadata: string, form: AddFlagForm) {
  return buildAddRefusedModal({ privateMetadata, values: form });
}

function sameSubject(a: FlagSubject | undefined, b: FlagSubject): boolean {
  return a !== undefined && a.otype === b.otype && a.id === b.id;
}

/**
 * The announcement of a flag: its subject (named when Alation can name it) and its reason, so it
 * is checked against the subject where Alation can be asked about it (a query).
 */
function flagAnnouncement(deps: CommandDeps, flag: TrustFlag, subject: SubjectRef, by: string) {
  return {
    message: buildFlagAddedMessage({
      flag,
      subject,
      slackUserId: by,
      alationBaseUrl: deps.alationBaseUrl,
    }),
    object: audienceObjectOf(flag.subject),
    title: `${FLAG_LABELS[flag.flag_type]} on ${subject.name?.trim() || subjectWords(flag.subject)}`,
  };
}

/** The flag's subject, named with `alation`'s access when it can be. */
async function namedSubject(
  alation: AlationClient | undefined,
  flag: TrustFlag,
  known: SubjectRef | undefined,
  log: Logger,
): Promise<SubjectRef> {
  const subject = { otype: flag.subject.otype, id: flag.subject.id };
  if (sameSubject(known, subject) && known?.name !== undefined)
    return { ...subject, name: known.name };
  if (!alation) return subject;
  return lookupSubject(alation, subject, log);
}

export function addFlagAction(deps: CommandDeps, options: { ackBudgetMs?: number } = {}) {
  // Read again with someone's own access: "Share anyway" (the announcer), or each reader's DM.
  const render: RenderAnnouncement = async (alation, announced, log) => {
    const flag = await alation.flags.get(announced.id);
    const subject = await namedSubject(alation, flag, undefined, log);
    return flagAnnouncement(deps, flag, subject, announced.by);
  };
  const announcements = checkedAnnouncements(deps, 'flag', render);

  async function added(
    client: Client,
    owner: Owner,
    flag: TrustFlag,
    metadata: AddMetadata,
    log: Logger,
  ): Promise<void> {
    let alation: AlationClient | undefined;
    try {
      alation = (await deps.features()).alationFor(owner);
    } catch (error) {
      log.debug({ err: error }, 'no name for the flagged object');
    }
    const named = await namedSubject(alation, flag, metadata.subject, log);
    log.info({ flagId: flag.id, flagType: flag.flag_type }, 'added a trust flag');
    await announcements.announce({
      client,
      owner,
      where: metadata,
      rendered: flagAnnouncement(deps, flag, named, owner.userId),
      id: flag.id,
      log,
    });
  }

  /** The Add flag modal, with the subject filled in (and named, if that is quick) when known. */
  const openAddForm = (input: SubjectFormInput) =>
    openSubjectForm(async () => (await deps.features()).requireAlation(input.owner), input, {
      doing: 'open the Add flag form',
      build: buildAddFlagModal,
    });

  return {
    /** `args` is what follows `add`: nothing, `<otype> <id>`, or a pasted catalog link. */
    async run({ ack, respond, command, client, log }: CommandInput, args: string) {
      const parsed = parseSubject(args, '/alation flag add');
      if (parsed && 'problem' in parsed) {
        await ack({ response_type: 'ephemeral', text: parsed.problem });
        return;
      }
      await ack();
      await openAddForm({
        client,
        respond,
        log,
        owner: ownerOf(command),
        triggerId: command.trigger_id,
        subject: parsed?.subject,
        origin: { responseUrl: command.response_url, channelId: command.channel_id },
      });
    },

    register(app: App) {
      announcements.register(app);
      // Flag… on a query's details card: the same form, the query already filled in.
      app.action(ACTION_QUERY_FLAG, async ({ ack, body, action, client, respond, context }) => {
        await ack();
        const id = Number(buttonValue(action));
        const triggerId = 'trigger_id' in body ? body.trigger_id : undefined;
        if (!Number.isSafeInteger(id) || id <= 0 || !triggerId) return;
        await openAddForm({
          client,
          respond,
          log: requestContext(context).log,
          owner: ownerOf(body),
          triggerId,
          subject: { otype: 'query', id },
          origin: {
            responseUrl: 'response_url' in body ? body.response_url : undefined,
            channelId: 'channel' in body ? body.channel?.id : undefined,
          },
        });
      });
      // A link button still sends an action; there is nothing to do but acknowledge it.
      app.action(ACTION_FLAG_OPEN, async ({ ack }) => {
        await ack();
      });

      // The type changed: rebuild the modal so the reason appears, becomes required, or goes.
      app.action(ACTION_FLAG_TYPE_CHOICE, async ({ ack, body, client, context }) => {
        await ack();
        const view = 'view' in body ? body.view : undefined;
        if (!view || view.callback_id !== VIEW_FLAG_ADD) return;
        const form = readAddForm(view.state.values as AddViewState);
        const metadata = readAddMetadata(view.private_metadata);
        const typed = {
          otype: (form.otype ?? '').trim().toLowerCase(),
          id: Number(form.subjectId),
        };
        try {
          await client.views.update({
            view_id: view.id,
            hash: view.hash,
            view: buildAddFlagModal({
              privateMetadata: view.private_metadata,
              values: form,
              subject: sameSubject(metadata.subject, typed) ? metadata.subject : undefined,
            }),
          });
        } catch (error) {
          // A hash conflict means a newer change already updated the modal; nothing is lost,
          // and the submission checks the reason rule again either way.
          requestContext(context).log.warn({ err: error }, 'could not update the Add flag modal');
        }
      });

      app.view(VIEW_FLAG_ADD, async ({ ack, body, view, client, context }) => {
        const log = requestContext(context).log;
        const owner = ownerOf(body);
        const form = readAddForm(view.state.values as AddViewState);
        const checked = checkAddForm(form);
        if (!checked.ok) {
          await ack({ response_action: 'errors', errors: checked.errors });
          return;
        }
        const metadata = readAddMetadata(view.private_metadata);
        const outcome = await submitModal({
          ack,
          client,
          viewId: view.id,
          budgetMs: options.ackBudgetMs,
          work: deps
            .features()
            .then((f) => f.requireAlation(owner))
            .then((alation) => alation.flags.add(checked.body)),
          inline: (early) => {
            if (early.ok) return undefined;
            logAddFailure(log, early.error);
            // Refused by Alation: offer to ask a steward instead (issue 20).
            if (early.error instanceof ForbiddenError) {
              return { response_action: 'update', view: refused(view.private_metadata, form) };
            }
            return { response_action: 'errors', errors: addErrors(early.error, form) };
          },
          progress: () =>
            buildFlagNoticeModal(
              'Add a trust flag',
              ':hourglass_flowing_sand: Adding the flag in Alation…',
            ),
          final: (late) => {
            if (late.ok) {
              return buildFlagNoticeModal(
                'Add a trust flag',
                `:white_check_mark: Added the ${FLAG_LABELS[late.value.flag_type].toLowerCase()} on ${subjectWords(late.value.subject)}. You can close this.`,
              );
            }
            logAddFailure(log, late.error);
            if (late.error instanceof ForbiddenError) return refused(view.private_metadata, form);
            return buildAddFlagModal({
              privateMetadata: view.private_metadata,
              values: form,
              problem: Object.values(addErrors(late.error, form)).join(' '),
            });
          },
        });
        if (outcome.ok) await added(client, owner, outcome.value, metadata, log);
      });
    },
  };
}

function logAddFailure(log: Logger, error: unknown): void {
  if (error instanceof BadRequestError)
    log.info({ upstream: error.toLog() }, 'Alation refused a flag');
  else if (isUpstreamError(error)) log.warn({ upstream: error.toLog() }, 'could not add a flag');
  else if (!(error instanceof NotConnectedError)) log.error({ err: error }, 'could not add a flag');
}

// `/alation flag request [<otype> <id>]` and **Request a flag…** (offered when Alation refused
// someone's own flag): a form with the object, the flag, the reason and who should decide; the
// review card goes to that person's DM or the stewards' channel, the requester gets a receipt.
import type { App, ViewResponseAction } from '@slack/bolt';
import { z } from 'zod';
import { ownerOf } from '../../auth/owner.ts';
import { FLAG_TYPES, type FlagType } from '../../client/alation.ts';
import { NotConnectedError } from '../../client/errors.ts';
import type { Features } from '../../features.ts';
import { postCard, postReceipt, requestDeps } from '../../flag-requests/notify.ts';
import type { Logger } from '../../log.ts';
import { requestContext } from '../../middleware/request-context.ts';
import { buttonValue } from '../../slack/button-value.ts';
import { modalOriginSchema, readMetadata, submitModal } from '../../slack/modal-submission.ts';
import type { Owner } from '../../store/credentials.ts';
import type { FlagRequest } from '../../store/flag-requests.ts';
import type { SubjectRef } from '../../views/flag.ts';
import {
  BLOCK_FLAG_OTYPE,
  BLOCK_FLAG_REASON,
  BLOCK_FLAG_SUBJECT_ID,
  BLOCK_FLAG_TYPE,
  buildFlagNoticeModal,
  INPUT,
} from '../../views/flag-modal.ts';
import { reviewerWords } from '../../views/flag-request.ts';
import {
  ACTION_PICK,
  ACTION_REQUEST_OPEN,
  ACTION_REQUEST_TYPE_CHOICE,
  BLOCK_REQUEST_CHANNEL,
  BLOCK_REQUEST_REVIEWER,
  buildRequestFlagModal,
  decodeRequestSeed,
  type RequestFlagForm,
  VIEW_FLAG_REQUEST,
} from '../../views/flag-request-modal.ts';
import type { CommandDeps, CommandInput } from '../command.ts';
import { addErrors, checkAddForm, type FormErrors } from './add.ts';
import {
  type Client,
  lookupSubject,
  openSubjectForm,
  parseSubject,
  type SubjectFormInput,
} from './shared.ts';

const TITLE = 'Request a trust flag';

const requestMetadataSchema = modalOriginSchema.extend({
  subject: z.object({ otype: z.string(), id: z.number(), name: z.string().optional() }).optional(),
});
type RequestMetadata = z.output<typeof requestMetadataSchema>;
const readRequestMetadata = (raw: string | undefined): RequestMetadata =>
  readMetadata(raw, requestMetadataSchema, {});

interface StateValue {
  value?: string | null;
  selected_option?: { value?: string } | null;
  selected_user?: string | null;
  selected_conversation?: string | null;
}
export type RequestViewState = Record<string, Record<string, StateValue>>;

const isFlagType = (value: unknown): value is FlagType =>
  typeof value === 'string' && (FLAG_TYPES as readonly string[]).includes(value);

export function readRequestForm(values: RequestViewState): RequestFlagForm {
  const flagType = values[BLOCK_FLAG_TYPE]?.[ACTION_REQUEST_TYPE_CHOICE]?.selected_option?.value;
  return {
    otype: values[BLOCK_FLAG_OTYPE]?.[INPUT]?.value ?? undefined,
    subjectId: values[BLOCK_FLAG_SUBJECT_ID]?.[INPUT]?.value ?? undefined,
    flagType: isFlagType(flagType) ? flagType : undefined,
    reason: values[BLOCK_FLAG_REASON]?.[INPUT]?.value ?? undefined,
    reviewerUserId: values[BLOCK_REQUEST_REVIEWER]?.[ACTION_PICK]?.selected_user ?? undefined,
    reviewerChannelId:
      values[BLOCK_REQUEST_CHANNEL]?.[ACTION_PICK]?.selected_conversation ?? undefined,
  };
}

/** Exactly one reviewer, and not the requester. */
export function checkReviewer(
  form: RequestFlagForm,
  requesterId: string,
):
  | { ok: true; reviewer: { userId: string } | { channelId: string } }
  | { ok: false; errors: FormErrors } {
  const user = form.reviewerUserId?.trim();
  const channel = form.reviewerChannelId?.trim();
  if (user && channel) {
    return {
      ok: false,
      errors: {
        [BLOCK_REQUEST_CHANNEL]: 'Choose a person or a channel, not both: one of them decides.',
      },
    };
  }
  if (!user && !channel) {
    return {
      ok: false,
      errors: {
        [BLOCK_REQUEST_REVIEWER]:
          'Who should decide? Pick a data steward, or a stewards’ channel below.',
      },
    };
  }
  if (user === requesterId) {
    return {
      ok: false,
      errors: {
        [BLOCK_REQUEST_REVIEWER]:
          'You cannot decide your own request: pick a steward (or a channel) who can set trust flags.',
      },
    };
  }
  return { ok: true, reviewer: user ? { userId: user } : { channelId: channel ?? '' } };
}

/** Slack would not deliver the card: why, next to the reviewer field it concerns. */
class CardUndeliverable extends Error {
  readonly code: string;
  readonly toChannel: boolean;
  constructor(code: string, toChannel: boolean) {
    super(`the review card could not be posted: ${code}`);
    this.code = code;
    this.toChannel = toChannel;
  }
}

function cardErrors(error: CardUndeliverable): FormErrors {
  if (!error.toChannel) {
    return {
      [BLOCK_REQUEST_REVIEWER]: `Slack would not deliver the request to that person (${error.code}). Pick someone else, or a channel.`,
    };
  }
  const why: Record<string, string> = {
    not_in_channel:
      'The bot is not in that channel: `/invite @Alation` there first, or pick another channel or a person.',
    is_archived: 'That channel is archived. Pick another channel, or a person.',
    channel_not_found:
      'The bot cannot see that channel (a private one needs `/invite @Alation` first). Pick another, or a person.',
  };
  return {
    [BLOCK_REQUEST_CHANNEL]:
      why[error.code] ??
      `Slack would not post the request there (${error.code}). Pick another channel, or a person.`,
  };
}

function sentText(request: FlagRequest): string {
  return `:outbox_tray: Sent to ${reviewerWords(request)}. Your receipt (with *Withdraw*) is in your DM with the bot, and you will hear there when it is decided. You can close this.`;
}

export function requestFlagAction(deps: CommandDeps, options: { ackBudgetMs?: number } = {}) {
  /** Creates the request, delivers the card (or forgets it), the receipt and the timers. */
  async function send(
    features: Features,
    client: Client,
    owner: Owner,
    checked: ReturnType<typeof checkAddForm> & { ok: true },
    reviewer: { userId: string } | { channelId: string },
    metadata: RequestMetadata,
    log: Logger,
  ): Promise<FlagRequest> {
    const alation = await features.requireAlation(owner);
    const subject = checked.body.subject;
    // Reading the object's flags as the requester checks the object type with Alation, and the
    // card shows them to the reviewer.
    const flags = (await alation.flags.list({ subject, limit: 20 })).items;
    const known = metadata.subject;
    const named: SubjectRef =
      known && known.otype === subject.otype && known.id === subject.id
        ? known
        : await lookupSubject(alation, subject, log);
    const rd = requestDeps(features, client, log);
    const request = await features.flagRequests.create(
      {
        requester: owner,
        subject: named,
        flagType: checked.body.flag_type,
        reason: 'flag_reason' in checked.body ? checked.body.flag_reason : '',
        reviewer,
      },
      features.now(),
      features.flagRequestTimes,
    );
    try {
      const card = await postCard(rd, request, flags);
      request.card = card;
    } catch (error) {
      await features.flagRequests.discard(request.id);
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code) throw new CardUndeliverable(code, 'channelId' in reviewer);
      throw error;
    }
    await postReceipt(rd, request);
    try {
      await features.flagRequestScheduler().schedule(request);
    } catch (err) {
      log.error(
        { err, requestId: request.id },
        'could not queue a flag request’s reminder and expiry',
      );
    }
    log.info({ requestId: request.id, flagType: request.flagType }, 'sent a trust flag request');
    return request;
  }

  function failureErrors(error: unknown, form: RequestFlagForm, log: Logger): FormErrors {
    if (error instanceof CardUndeliverable) {
      log.info({ code: error.code }, 'a flag request card could not be delivered');
      return cardErrors(error);
    }
    const errors = addErrors(error, form);
    // addErrors speaks of adding; nothing was requested either.
    for (const key of Object.keys(errors)) {
      errors[key] = (errors[key] ?? '').replace('Nothing was added.', 'Nothing was sent.');
    }
    if (!(error instanceof NotConnectedError)) {
      log.warn({ err: error }, 'could not send a flag request');
    }
    return errors;
  }

  const openForm = (input: SubjectFormInput) =>
    openSubjectForm(async () => (await deps.features()).requireAlation(input.owner), input, {
      doing: 'open the Request a flag form',
      build: buildRequestFlagModal,
    });

  return {
    async run({ ack, respond, command, client, log }: CommandInput, args: string) {
      const parsed = parseSubject(args, '/alation flag request');
      if (parsed && 'problem' in parsed) {
        await ack({ response_type: 'ephemeral', text: parsed.problem });
        return;
      }
      await ack();
      await openForm({
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
      // Request a flag… in the Add flag form Alation refused: this form, filled in from that one.
      app.action(ACTION_REQUEST_OPEN, async ({ ack, body, action, client, context }) => {
        await ack();
        const view = 'view' in body ? body.view : undefined;
        if (!view) return;
        const form = decodeRequestSeed(buttonValue(action));
        const metadata = readRequestMetadata(view.private_metadata);
        try {
          await client.views.update({
            view_id: view.id,
            view: buildRequestFlagModal({
              privateMetadata: JSON.stringify(metadata),
              values: form,
              subject: metadata.subject,
            }),
          });
        } catch (err) {
          requestContext(context).log.warn({ err }, 'could not open the Request a flag form');
        }
      });

      // The type changed: rebuild so the reason appears, becomes required, or goes.
      app.action(ACTION_REQUEST_TYPE_CHOICE, async ({ ack, body, client, context }) => {
        await ack();
        const view = 'view' in body ? body.view : undefined;
        if (!view || view.callback_id !== VIEW_FLAG_REQUEST) return;
        const metadata = readRequestMetadata(view.private_metadata);
        try {
          await client.views.update({
            view_id: view.id,
            hash: view.hash,
            view: buildRequestFlagModal({
              privateMetadata: view.private_metadata,
              values: readRequestForm(view.state.values as RequestViewState),
              subject: metadata.subject,
            }),
          });
        } catch (err) {
          // A newer change already updated the form; the submission checks the rules anyway.
          requestContext(context).log.warn({ err }, 'could not update the Request a flag form');
        }
      });

      app.view(VIEW_FLAG_REQUEST, async ({ ack, body, view, client, context }) => {
        const log = requestContext(context).log;
        const owner = ownerOf(body);
        const form = readRequestForm(view.state.values as RequestViewState);
        const checked = checkAddForm(form);
        const reviewer = checkReviewer(form, owner.userId);
        if (!checked.ok || !reviewer.ok) {
          await ack({
            response_action: 'errors',
            errors: {
              ...(checked.ok ? {} : checked.errors),
              ...(reviewer.ok ? {} : reviewer.errors),
            },
          });
          return;
        }
        const metadata = readRequestMetadata(view.private_metadata);
        const sent = (request: FlagRequest) => buildFlagNoticeModal(TITLE, sentText(request));
        await submitModal({
          ack,
          client,
          viewId: view.id,
          budgetMs: options.ackBudgetMs,
          work: deps
            .features()
            .then((f) => send(f, client, owner, checked, reviewer.reviewer, metadata, log)),
          inline: (early): ViewResponseAction =>
            early.ok
              ? { response_action: 'update', view: sent(early.value) }
              : { response_action: 'errors', errors: failureErrors(early.error, form, log) },
          progress: () =>
            buildFlagNoticeModal(TITLE, ':hourglass_flowing_sand: Sending your request…'),
          final: (late) =>
            late.ok
              ? sent(late.value)
              : buildRequestFlagModal({
                  privateMetadata: view.private_metadata,
                  values: form,
                  problem: Object.values(failureErrors(late.error, form, log)).join(' '),
                }),
        });
      });
    },
  };
}

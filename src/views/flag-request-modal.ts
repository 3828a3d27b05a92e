// The forms of a trust-flag request (issue 20): asking (object, flag, reason, who decides),
// approving with changes, denying with a reason, and asking the requester a question. Pure.
import type { KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import { FLAG_TYPES } from '../client/alation.ts';
import type { FlagRequest } from '../store/flag-requests.ts';
import { escapeMrkdwn, mrkdwn, plainText, section, textInput } from './blocks.ts';
import { FLAG_LABELS, type SubjectRef, subjectWords } from './flag.ts';
import {
  type AddFlagForm,
  BLOCK_FLAG_OTYPE,
  BLOCK_FLAG_SUBJECT_ID,
  flagTypeAndReason,
  MAX_REASON,
} from './flag-modal.ts';
import { reviewerWords } from './flag-request.ts';

export const VIEW_FLAG_REQUEST = 'flag_request';
export const VIEW_REQUEST_CHANGES = 'flag_request_changes';
export const VIEW_REQUEST_DENY = 'flag_request_deny';
export const VIEW_REQUEST_ASK = 'flag_request_ask';
/** The type radios of the request and changes forms; each rebuilds its form like Add flag's. */
export const ACTION_REQUEST_TYPE_CHOICE = 'flag_request_type_choice';
export const ACTION_CHANGES_TYPE_CHOICE = 'flag_request_changes_type_choice';
/** Request a flag… in an Add flag form Alation refused; its value is encodeRequestSeed's. */
export const ACTION_REQUEST_OPEN = 'flag_request_open';
export const BLOCK_REQUEST_REVIEWER = 'flag_request_reviewer';
export const BLOCK_REQUEST_CHANNEL = 'flag_request_channel';
export const BLOCK_REQUEST_NOTE = 'flag_request_note';
export const ACTION_PICK = 'pick';

export interface RequestFlagForm extends AddFlagForm {
  reviewerUserId?: string | undefined;
  reviewerChannelId?: string | undefined;
}

export interface RequestFlagModalInput {
  privateMetadata: string;
  values: RequestFlagForm;
  subject?: SubjectRef | undefined;
  /** Why the person is here (Alation refused their own flag), or what failed late. */
  notice?: string | undefined;
  problem?: string | undefined;
}

function warning(text: string): KnownBlock {
  return { type: 'section', text: mrkdwn(`:warning: ${escapeMrkdwn(text)}`) };
}

/** Object, flag and reason as in Add flag, then who should decide: a person or a channel. */
export function buildRequestFlagModal(input: RequestFlagModalInput): ModalView {
  const v = input.values;
  const blocks: KnownBlock[] = [];
  if (input.problem) blocks.push(warning(input.problem));
  if (input.notice) blocks.push({ type: 'section', text: mrkdwn(escapeMrkdwn(input.notice)) });
  const named = input.subject?.name?.trim();
  if (input.subject && named) {
    blocks.push(section(`*${escapeMrkdwn(named)}* (${subjectWords(input.subject)})`));
  }
  blocks.push(
    textInput(BLOCK_FLAG_OTYPE, 'Object type', {
      initial: v.otype,
      hint: 'As in the object’s Alation URL: data (data source), schema, table, attribute (column), query, …',
      placeholder: 'table',
      maxLength: 64,
    }),
    textInput(BLOCK_FLAG_SUBJECT_ID, 'Object ID', {
      initial: v.subjectId,
      hint: 'The number in the object’s Alation URL: /table/12/ → 12',
      placeholder: '12',
      maxLength: 15,
    }),
    ...flagTypeAndReason(v, ACTION_REQUEST_TYPE_CHOICE),
    {
      type: 'input',
      block_id: BLOCK_REQUEST_REVIEWER,
      label: plainText('Who should decide: a person'),
      optional: true,
      element: {
        type: 'users_select',
        action_id: ACTION_PICK,
        placeholder: plainText('A data steward'),
        ...(v.reviewerUserId ? { initial_user: v.reviewerUserId } : {}),
      },
    },
    {
      type: 'input',
      block_id: BLOCK_REQUEST_CHANNEL,
      label: plainText('…or a stewards’ channel'),
      optional: true,
      hint: plainText(
        'Anyone there may decide; Alation checks their permissions when they approve. Invite the bot first.',
      ),
      element: {
        type: 'conversations_select',
        action_id: ACTION_PICK,
        placeholder: plainText('#data-stewards'),
        filter: { include: ['public', 'private'], exclude_bot_users: true },
        ...(v.reviewerChannelId ? { initial_conversation: v.reviewerChannelId } : {}),
      },
    },
  );
  return {
    type: 'modal',
    callback_id: VIEW_FLAG_REQUEST,
    private_metadata: input.privateMetadata,
    title: plainText('Request a trust flag'),
    submit: plainText('Send request'),
    close: plainText('Cancel'),
    blocks,
  };
}

export interface ChangesModalInput {
  privateMetadata: string;
  request: FlagRequest;
  values: AddFlagForm;
  problem?: string | undefined;
}

/** Approve with changes: the requested type and reason, editable, then Approve. */
export function buildApproveChangesModal(input: ChangesModalInput): ModalView {
  const { request } = input;
  const blocks: KnownBlock[] = [];
  if (input.problem) blocks.push(warning(input.problem));
  blocks.push(
    section(
      `<@${request.requester.userId}> asked for a *${FLAG_LABELS[request.flagType]}* on ${subjectWords(request.subject)}. Change the type or the reason, then approve: the flag is created in Alation as you.`,
    ),
    ...flagTypeAndReason(input.values, ACTION_CHANGES_TYPE_CHOICE),
  );
  return {
    type: 'modal',
    callback_id: VIEW_REQUEST_CHANGES,
    private_metadata: input.privateMetadata,
    title: plainText('Approve with changes'),
    submit: plainText('Approve'),
    close: plainText('Cancel'),
    blocks,
  };
}

function noteModal(
  callbackId: string,
  title: string,
  submit: string,
  intro: string,
  label: string,
  privateMetadata: string,
  problem: string | undefined,
): ModalView {
  const blocks: KnownBlock[] = [];
  if (problem) blocks.push(warning(problem));
  blocks.push(section(intro), {
    type: 'input',
    block_id: BLOCK_REQUEST_NOTE,
    label: plainText(label),
    element: {
      type: 'plain_text_input',
      action_id: 'value',
      multiline: true,
      max_length: MAX_REASON,
    },
  });
  return {
    type: 'modal',
    callback_id: callbackId,
    private_metadata: privateMetadata,
    title: plainText(title),
    submit: plainText(submit),
    close: plainText('Cancel'),
    blocks,
  };
}

/** Deny, with the reason the requester will read. */
export function buildDenyModal(input: {
  privateMetadata: string;
  request: FlagRequest;
  problem?: string | undefined;
}): ModalView {
  const { request } = input;
  return noteModal(
    VIEW_REQUEST_DENY,
    'Deny the request',
    'Deny',
    `Deny ${reviewerWords({ reviewer: { userId: request.requester.userId } })}’s request for a *${FLAG_LABELS[request.flagType]}* on ${subjectWords(request.subject)}? They are told, with your reason.`,
    'Reason',
    input.privateMetadata,
    input.problem,
  );
}

/** A question for the requester, posted in their receipt's thread. */
export function buildAskModal(input: {
  privateMetadata: string;
  request: FlagRequest;
  problem?: string | undefined;
}): ModalView {
  const { request } = input;
  return noteModal(
    VIEW_REQUEST_ASK,
    'Ask a question',
    'Send',
    `Ask <@${request.requester.userId}> about their request for a *${FLAG_LABELS[request.flagType]}* on ${subjectWords(request.subject)}. It stays open meanwhile.`,
    'Question',
    input.privateMetadata,
    input.problem,
  );
}

/** What **Request a flag…** carries over from the refused Add flag form. */
const seedSchema = z.object({
  o: z.string().max(64).optional(),
  i: z.string().max(15).optional(),
  t: z.enum(FLAG_TYPES).optional(),
  r: z.string().max(1500).optional(),
});

export function encodeRequestSeed(form: AddFlagForm): string {
  return JSON.stringify({
    ...(form.otype?.trim() ? { o: form.otype.trim().slice(0, 64) } : {}),
    ...(form.subjectId?.trim() ? { i: form.subjectId.trim().slice(0, 15) } : {}),
    ...(form.flagType ? { t: form.flagType } : {}),
    ...(form.reason?.trim() ? { r: form.reason.trim().slice(0, 1500) } : {}),
  });
}

/** Anything unreadable is an empty form. */
export function decodeRequestSeed(value: string): AddFlagForm {
  try {
    const parsed = seedSchema.safeParse(JSON.parse(value));
    if (!parsed.success) return {};
    const { o, i, t, r } = parsed.data;
    return {
      ...(o ? { otype: o } : {}),
      ...(i ? { subjectId: i } : {}),
      ...(t ? { flagType: t } : {}),
      ...(r ? { reason: r } : {}),
    };
  } catch {
    return {};
  }
}

/**
 * Alation refused the person's own flag (403): say so, and offer to ask a steward instead with
 * **Request a flag…**, which opens the request form filled in from this one.
 */
export function buildAddRefusedModal(input: {
  privateMetadata: string;
  values: AddFlagForm;
}): ModalView {
  return {
    type: 'modal',
    callback_id: 'flag_add_refused',
    private_metadata: input.privateMetadata,
    title: plainText('Add a trust flag'),
    close: plainText('Close'),
    blocks: [
      section(
        ':no_entry_sign: Alation did not let you add trust flags: it takes the global flag edit permission. Nothing was added.\nA data steward can decide instead: the flag is then created in Alation as them.',
      ),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTION_REQUEST_OPEN,
            text: plainText('Request a flag…'),
            style: 'primary',
            value: encodeRequestSeed(input.values),
          },
        ],
      },
    ],
  };
}

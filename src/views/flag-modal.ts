// The Add flag and Edit reason modals. Pure builders; the type radio dispatches an action so
// the Add modal can be rebuilt with or without the reason, exactly as Alation's rules say.
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { FLAG_TYPES, type FlagType, type TrustFlag } from '../client/alation.ts';
import { escapeMrkdwn, mrkdwn, plainText, textInput } from './blocks.ts';
import { ENDORSEMENT_REASON_RULE, FLAG_LABELS, type SubjectRef, subjectWords } from './flag.ts';

export const VIEW_FLAG_ADD = 'flag_add';
export const VIEW_FLAG_EDIT = 'flag_edit';
export const BLOCK_FLAG_OTYPE = 'flag_otype';
export const BLOCK_FLAG_SUBJECT_ID = 'flag_subject_id';
export const BLOCK_FLAG_TYPE = 'flag_type';
export const BLOCK_FLAG_REASON = 'flag_reason';
/** The type radio; `dispatch_action` makes Slack send it as soon as the choice changes. */
export const ACTION_FLAG_TYPE_CHOICE = 'flag_type_choice';
export const INPUT = 'value';

/** Alation's flag_reason has no documented limit; Slack's input allows 3000. */
export const MAX_REASON = 3000;

const DESCRIPTIONS: Record<FlagType, string> = {
  ENDORSEMENT: 'Trusted: people should use this.',
  WARNING: 'Use with care; say why.',
  DEPRECATION: 'Do not use any more; say why or what instead.',
};

function typeOption(type: FlagType): PlainTextOption {
  return {
    text: plainText(FLAG_LABELS[type]),
    value: type,
    description: plainText(DESCRIPTIONS[type]),
  };
}

export interface AddFlagForm {
  otype?: string | undefined;
  subjectId?: string | undefined;
  flagType?: FlagType | undefined;
  reason?: string | undefined;
}

/**
 * The type radio (sent as `actionId` as soon as it changes) and the reason as the chosen type
 * needs it: required for a Warning or Deprecation, absent for an Endorsement (Alation refuses
 * one), optional until a type is chosen. Shared by every form that sets a flag's type.
 */
export function flagTypeAndReason(v: AddFlagForm, actionId: string): KnownBlock[] {
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: BLOCK_FLAG_TYPE,
      label: plainText('Flag'),
      dispatch_action: true,
      element: {
        type: 'radio_buttons',
        action_id: actionId,
        options: FLAG_TYPES.map(typeOption),
        ...(v.flagType ? { initial_option: typeOption(v.flagType) } : {}),
      },
    },
  ];
  if (v.flagType === 'ENDORSEMENT') {
    blocks.push({ type: 'context', elements: [mrkdwn(ENDORSEMENT_REASON_RULE)] });
  } else {
    blocks.push({
      type: 'input',
      block_id: BLOCK_FLAG_REASON,
      label: plainText('Reason'),
      optional: v.flagType === undefined,
      hint: plainText(
        v.flagType === undefined
          ? 'Required for a Warning or a Deprecation; an Endorsement has none.'
          : `Required for a ${FLAG_LABELS[v.flagType]}: what people should know.`,
      ),
      element: {
        type: 'plain_text_input',
        action_id: INPUT,
        multiline: true,
        max_length: MAX_REASON,
        ...(v.reason ? { initial_value: v.reason.slice(0, MAX_REASON) } : {}),
      },
    });
  }
  return blocks;
}

export interface AddFlagModalInput {
  privateMetadata: string;
  values: AddFlagForm;
  /** The object's name, shown when the bot looked it up and it matches the fields. */
  subject?: SubjectRef | undefined;
  /** Shown above the fields when Alation failed after the modal was already answered. */
  problem?: string;
}

/**
 * Type first, then the reason as the chosen type needs it: required for a Warning or
 * Deprecation, absent for an Endorsement (Alation refuses one), optional until a type is chosen.
 */
export function buildAddFlagModal(input: AddFlagModalInput): ModalView {
  const v = input.values;
  const blocks: KnownBlock[] = [];
  if (input.problem) {
    blocks.push({ type: 'section', text: mrkdwn(`:warning: ${escapeMrkdwn(input.problem)}`) });
  }
  const named = input.subject?.name?.trim();
  if (input.subject && named) {
    blocks.push({
      type: 'section',
      text: mrkdwn(`*${escapeMrkdwn(named)}* (${subjectWords(input.subject)})`),
    });
  }
  blocks.push(
    textInput(BLOCK_FLAG_OTYPE, 'Object type', {
      initial: v.otype,
      hint: 'As in the object’s Alation URL: data (data source), schema, table, attribute (column), query, article, glossary_term, …',
      placeholder: 'table',
      maxLength: 64,
    }),
    textInput(BLOCK_FLAG_SUBJECT_ID, 'Object ID', {
      initial: v.subjectId,
      hint: 'The number in the object’s Alation URL: /table/12/ → 12',
      placeholder: '12',
      maxLength: 15,
    }),
    ...flagTypeAndReason(v, ACTION_FLAG_TYPE_CHOICE),
  );
  return {
    type: 'modal',
    callback_id: VIEW_FLAG_ADD,
    private_metadata: input.privateMetadata,
    title: plainText('Add a trust flag'),
    submit: plainText('Add flag'),
    close: plainText('Cancel'),
    blocks,
  };
}

export interface EditFlagModalInput {
  privateMetadata: string;
  flag: TrustFlag;
  /** What was typed before a slow failure; defaults to the current reason. */
  reason?: string;
  problem?: string;
}

export function buildEditFlagModal(input: EditFlagModalInput): ModalView {
  const { flag } = input;
  const blocks: KnownBlock[] = [];
  if (input.problem) {
    blocks.push({ type: 'section', text: mrkdwn(`:warning: ${escapeMrkdwn(input.problem)}`) });
  }
  const author = flag.user.display_name?.trim() || `Alation user ${flag.user.id}`;
  const initialReason = input.reason ?? flag.flag_reason;
  blocks.push(
    {
      type: 'section',
      text: mrkdwn(
        `*${FLAG_LABELS[flag.flag_type]}* on ${subjectWords(flag.subject)} (flag ${flag.id}), by ${escapeMrkdwn(author)}`,
      ),
    },
    {
      type: 'input',
      block_id: BLOCK_FLAG_REASON,
      label: plainText('Reason'),
      hint: plainText(`Required for a ${FLAG_LABELS[flag.flag_type]}.`),
      element: {
        type: 'plain_text_input',
        action_id: INPUT,
        multiline: true,
        max_length: MAX_REASON,
        ...(initialReason ? { initial_value: initialReason.slice(0, MAX_REASON) } : {}),
      },
    },
  );
  return {
    type: 'modal',
    callback_id: VIEW_FLAG_EDIT,
    private_metadata: input.privateMetadata,
    title: plainText('Edit flag reason'),
    submit: plainText('Save'),
    close: plainText('Cancel'),
    blocks,
  };
}

/** A modal with only something to read: progress, an outcome, or why nothing can be done. */
export function buildFlagNoticeModal(title: string, text: string): ModalView {
  return {
    type: 'modal',
    title: plainText(title.slice(0, 24)),
    close: plainText('Close'),
    blocks: [{ type: 'section', text: mrkdwn(text) }],
  };
}

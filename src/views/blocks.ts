import type { KnownBlock } from '@slack/types';

export const plainText = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });

export interface TextInputOptions {
  /** The element's action id; the modals here read every text field as `value`. */
  actionId?: string;
  initial?: string | undefined;
  hint?: string;
  placeholder?: string;
  optional?: boolean;
  multiline?: boolean;
  maxLength?: number;
}

/** A modal text field; unset options are left to Slack's defaults. */
export function textInput(
  blockId: string,
  label: string,
  options: TextInputOptions = {},
): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plainText(label),
    ...(options.optional === undefined ? {} : { optional: options.optional }),
    ...(options.hint ? { hint: plainText(options.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: options.actionId ?? 'value',
      ...(options.multiline === undefined ? {} : { multiline: options.multiline }),
      ...(options.placeholder ? { placeholder: plainText(options.placeholder) } : {}),
      ...(options.maxLength ? { max_length: options.maxLength } : {}),
      ...(options.initial ? { initial_value: options.initial } : {}),
    },
  };
}

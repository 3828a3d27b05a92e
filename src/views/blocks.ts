import type { KnownBlock, PlainTextOption } from '@slack/types';

/**
 * The one escaper for text that came from a person, Alation or Mode (titles, descriptions,
 * reasons, SQL, error messages, command arguments) on its way into anything Slack parses as
 * mrkdwn: `text` fallbacks, mrkdwn blocks, file comments. Slack treats `&`, `<` and `>` as markup
 * (https://api.slack.com/reference/surfaces/formatting#escaping), so after this `<!everyone>`,
 * `<@U…>`, `<#C…>` and `<https://…|label>` show as typed and can never notify or link.
 * plain_text objects need nothing: Slack shows them as written.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** How much of a person's own input a reply quotes back ("`…` is not a query id"). */
export const ECHO_MAX_CHARS = 100;

/** Shortens `text` to `max` characters, the last one an ellipsis, without splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

/**
 * `text` escaped, then shortened (ending in "…") so the escaped result has at most `max`
 * characters: Slack's limits count what it receives, and `&lt;` is four of them. Never cuts an
 * escape or a surrogate pair in half.
 */
export function escapeWithin(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let out = '';
  for (const char of text) {
    const next = escapeMrkdwn(char);
    if (out.length + next.length > max - 1) break;
    out += next;
  }
  return `${out}…`;
}

/**
 * Text from outside the bot (SQL, an error, a table) as a code block: escaped, since Slack reads
 * `<!here>` even between backticks, with a ``` inside unable to end the block early, and the
 * whole block at most `max` characters.
 */
export function codeBlock(text: string, max = 2_900): string {
  const safe = text.replace(/```/g, '`\u200b``');
  return `\`\`\`${escapeWithin(safe, max - 6)}\`\`\``;
}

/**
 * A person's input quoted back in a reply: clipped, escaped, and in inline code with any
 * backtick that would end it replaced, so `text` of any size or shape reads as what they typed.
 */
export function echo(text: string, max = ECHO_MAX_CHARS): string {
  const shown = escapeMrkdwn(clip(text.replace(/[\r\n]+/g, ' '), max)).replace(/`/g, "'");
  return `\`${shown === '' ? ' ' : shown}\``;
}

export const plainText = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });

/** A mrkdwn text object; `text` must already be escaped where it came from outside. */
export const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text });

/** Slack refuses a section whose text is over 3,000 characters. */
const SECTION_MAX_CHARS = 3_000;

/** A mrkdwn section, cut (with "…") rather than refused when it would be too long. */
export const section = (text: string): KnownBlock => ({
  type: 'section',
  text: mrkdwn(
    text.length > SECTION_MAX_CHARS ? `${text.slice(0, SECTION_MAX_CHARS - 10)}…` : text,
  ),
});

/** A context line of mrkdwn. */
export const context = (text: string): KnownBlock => ({
  type: 'context',
  elements: [mrkdwn(text)],
});

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

export const option = (value: string, text: string): PlainTextOption => ({
  value,
  text: plainText(text),
});

/**
 * An input block holding a static select, `value` chosen when it is among the options. With
 * `dispatchActionId`, picking an option sends that action at once (to re-render the view).
 */
export function selectInput(
  blockId: string,
  label: string,
  options: PlainTextOption[],
  value: string,
  opts: { actionId?: string; dispatchActionId?: string } = {},
): KnownBlock {
  const initial = options.find((o) => o.value === value);
  return {
    type: 'input',
    block_id: blockId,
    label: plainText(label),
    ...(opts.dispatchActionId ? { dispatch_action: true } : {}),
    element: {
      type: 'static_select',
      action_id: opts.dispatchActionId ?? opts.actionId ?? 'value',
      options,
      ...(initial ? { initial_option: initial } : {}),
    },
  };
}

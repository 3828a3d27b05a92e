// The alert form: which query, where its card goes, and the condition. Pure: the form's values
// and the columns of the query's latest result come in as data. Changing the kind, or pressing
// Enter in the query field, re-renders it (columns are read from the latest result's header).
import type { KnownBlock, View } from '@slack/types';
import { context, option, plainText, selectInput, textInput } from './blocks.ts';

export const VIEW_ALERT = 'alert_modal';
export const ACTION_ALERT_REFRESH = 'alert_refresh';
export const BLOCK_ALERT_NAME = 'alert_name';
export const BLOCK_ALERT_QUERY = 'alert_query';
export const BLOCK_ALERT_CHANNEL = 'alert_channel';
export const BLOCK_ALERT_ONLY_ME = 'alert_only_me';
export const BLOCK_ALERT_PERSONAL = 'alert_personal';
export const OPTION_ALERT_PERSONAL = 'personal';
export const BLOCK_ALERT_KIND = 'alert_kind';
export const BLOCK_ALERT_COLUMN = 'alert_column';
export const BLOCK_ALERT_REDUCER = 'alert_reducer';
export const BLOCK_ALERT_OP = 'alert_op';
export const BLOCK_ALERT_THRESHOLD = 'alert_threshold';
export const BLOCK_ALERT_EVERY = 'alert_every';
export const INPUT = 'value';

export type AlertKindChoice = 'rows' | 'column' | 'new_rows' | 'changed';

/** The form as typed, before any check: every field a string, as Slack gives them. */
export interface AlertForm {
  name: string;
  queryId: string;
  channelId: string;
  onlyMe: boolean;
  /** To each subscriber, as themselves (issue 18). */
  personal: boolean;
  kind: AlertKindChoice;
  column: string;
  reducer: string;
  op: string;
  threshold: string;
  every: string;
}

export interface AlertModalInput {
  form: AlertForm;
  /** The latest result's header, when read; otherwise the column is typed. */
  columns?: string[];
  /** Why the columns could not be read (shown under the query field). */
  columnsProblem?: string;
  privateMetadata: string;
  editing: boolean;
  /**
   * What the audience check found for the channel and query (issue 18), bot-written mrkdwn;
   * shown under the channel before saving.
   */
  audienceNote?: string | undefined;
}

const KINDS: [AlertKindChoice, string][] = [
  ['rows', 'Row count'],
  ['column', 'A number in a column'],
  ['new_rows', 'New rows (by a key column)'],
  ['changed', 'The result changed'],
];
const ROW_OPS: [string, string][] = [
  ['>', 'more than'],
  ['<', 'fewer than'],
  ['=', 'exactly'],
];
const OPS: [string, string][] = [
  ['>', '> greater than'],
  ['>=', '≥ at least'],
  ['<', '< less than'],
  ['<=', '≤ at most'],
  ['=', '= equal to'],
  ['!=', '≠ not equal to'],
];
const REDUCERS: [string, string][] = [
  ['first', 'in the first row'],
  ['sum', 'sum over all rows'],
  ['mean', 'mean over all rows'],
  ['min', 'lowest over all rows'],
  ['max', 'highest over all rows'],
];
const EVERY: [string, string][] = [
  ['1', 'every minute'],
  ['5', 'every 5 minutes'],
  ['15', 'every 15 minutes'],
  ['60', 'every hour'],
];

function select(
  blockId: string,
  label: string,
  choices: [string, string][],
  value: string,
  dispatch = false,
): KnownBlock {
  const options = choices.map(([v, t]) => option(v, t));
  return selectInput(
    blockId,
    label,
    options,
    value,
    dispatch ? { dispatchActionId: ACTION_ALERT_REFRESH } : { actionId: INPUT },
  );
}

function columnField(input: AlertModalInput, label: string): KnownBlock {
  const { columns, form } = input;
  if (columns && columns.length > 0) {
    // Slack allows 100 options; a wider result's later columns can still be typed after a re-read.
    const choices = columns
      .slice(0, 100)
      .map((c): [string, string] => [c.slice(0, 150), c.slice(0, 75) || '(unnamed)']);
    return select(BLOCK_ALERT_COLUMN, label, choices, form.column);
  }
  return textInput(BLOCK_ALERT_COLUMN, label, {
    initial: form.column,
    placeholder: 'revenue',
    hint: 'As in the result’s header. Press Enter in the query field to pick from the columns instead.',
  });
}

function conditionFields(input: AlertModalInput): KnownBlock[] {
  const { form } = input;
  switch (form.kind) {
    case 'rows':
      return [
        select(BLOCK_ALERT_OP, 'When the row count is', ROW_OPS, form.op || '>'),
        textInput(BLOCK_ALERT_THRESHOLD, 'Rows', {
          initial: form.threshold || '0',
          hint: '“more than 0” alerts on any rows; “exactly 0” when there are none.',
        }),
      ];
    case 'column':
      return [
        columnField(input, 'Column'),
        select(BLOCK_ALERT_REDUCER, 'Which value', REDUCERS, form.reducer || 'first'),
        select(BLOCK_ALERT_OP, 'Alert when it is', OPS, form.op || '>'),
        textInput(BLOCK_ALERT_THRESHOLD, 'Threshold', {
          initial: form.threshold,
          placeholder: '10000',
        }),
      ];
    case 'new_rows':
      return [columnField(input, 'Key column (what makes a row new)')];
    case 'changed':
      return [];
  }
}

const PERSONAL_LABEL = 'To each subscriber, as themselves';

export function buildAlertModal(input: AlertModalInput): View {
  const { form } = input;
  const personal = option(OPTION_ALERT_PERSONAL, PERSONAL_LABEL);
  const queryHint = input.columnsProblem
    ? input.columnsProblem.slice(0, 150)
    : input.columns
      ? `Columns read from the latest result (${input.columns.length}).`
      : 'The number in the query’s URL: /query/15/ → 15. Press Enter to read its columns.';
  return {
    type: 'modal',
    callback_id: VIEW_ALERT,
    private_metadata: input.privateMetadata,
    title: plainText(input.editing ? 'Edit alert' : 'New alert'),
    submit: plainText(input.editing ? 'Save' : 'Create'),
    close: plainText('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: BLOCK_ALERT_QUERY,
        label: plainText('Query id'),
        dispatch_action: true,
        hint: plainText(queryHint),
        element: {
          type: 'plain_text_input',
          action_id: ACTION_ALERT_REFRESH,
          dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
          placeholder: plainText('15'),
          ...(form.queryId ? { initial_value: form.queryId } : {}),
        },
      },
      textInput(BLOCK_ALERT_NAME, 'Name', {
        initial: form.name,
        placeholder: 'No orders today',
        maxLength: 80,
      }),
      select(BLOCK_ALERT_KIND, 'Alert on', KINDS, form.kind, true),
      ...conditionFields(input),
      {
        type: 'input',
        block_id: BLOCK_ALERT_CHANNEL,
        label: plainText('Post the card in'),
        optional: true,
        // Picking one re-renders the form, and the audience check's finding follows.
        dispatch_action: true,
        element: {
          type: 'conversations_select',
          action_id: ACTION_ALERT_REFRESH,
          filter: { include: ['public', 'private'], exclude_bot_users: true },
          ...(form.channelId ? { initial_conversation: form.channelId } : {}),
        },
      },
      ...(input.audienceNote ? [context(`:eyes: ${input.audienceNote}`)] : []),
      {
        type: 'input',
        block_id: BLOCK_ALERT_PERSONAL,
        label: plainText('Deliver'),
        optional: true,
        hint: plainText(
          'The channel gets a post with no data and Get my own copy; each subscriber gets the card in a DM, read with their own Alation access.',
        ),
        element: {
          type: 'checkboxes',
          action_id: INPUT,
          options: [personal],
          ...(form.personal ? { initial_options: [personal] } : {}),
        },
      },
      {
        type: 'input',
        block_id: BLOCK_ALERT_ONLY_ME,
        label: plainText('Or'),
        optional: true,
        element: {
          type: 'checkboxes',
          action_id: INPUT,
          options: [option('only_me', 'Only me, in a DM')],
          ...(form.onlyMe ? { initial_options: [option('only_me', 'Only me, in a DM')] } : {}),
        },
      },
      select(BLOCK_ALERT_EVERY, 'Check for a new result', EVERY, form.every || '5'),
    ],
  };
}

// "Open SQL in Alation Compose" message shortcut: the data source form and the link it gives.
// Pure: everything shown comes in as arguments.
import type { ModalView } from '@slack/types';
import { escapeMrkdwn, mrkdwn, plainText } from './blocks.ts';
import type { SlackMessage } from './help.ts';

export const SHORTCUT_OPEN_SQL = 'open_sql_in_compose';
export const VIEW_OPEN_SQL = 'open_sql_in_compose_form';
export const BLOCK_OPEN_SQL_DATASOURCE = 'open_sql_datasource';
export const OPEN_SQL_INPUT = 'value';
/** Link button in the result modal; Slack opens the URL and the action is only acknowledged. */
export const ACTION_OPEN_SQL_LINK = 'open_sql_link';

/** A few lines of the SQL, so the person sees what they are about to open. */
function preview(sql: string): string {
  const lines = sql.split('\n');
  const head = lines.slice(0, 8).join('\n').slice(0, 1200);
  const more = lines.length > 8 || head.length < sql.length;
  return `\`\`\`${escapeMrkdwn(head)}${more ? '\n…' : ''}\`\`\``;
}

export function buildOpenSqlModal(input: {
  sql: string;
  datasourceId?: number | undefined;
  privateMetadata: string;
}): ModalView {
  return {
    type: 'modal',
    callback_id: VIEW_OPEN_SQL,
    private_metadata: input.privateMetadata,
    title: plainText('Open in Compose'),
    submit: plainText('Get link'),
    close: plainText('Cancel'),
    blocks: [
      { type: 'section', text: mrkdwn(`SQL from the message:\n${preview(input.sql)}`) },
      {
        type: 'input',
        block_id: BLOCK_OPEN_SQL_DATASOURCE,
        label: plainText('Data source ID'),
        hint: plainText('The number in the data source’s URL in Alation: /data/3/ → 3'),
        element: {
          type: 'number_input',
          action_id: OPEN_SQL_INPUT,
          is_decimal_allowed: false,
          min_value: '1',
          ...(input.datasourceId === undefined
            ? {}
            : { initial_value: String(input.datasourceId) }),
        },
      },
    ],
  };
}

/** The modal's last state: one button that opens Compose with the SQL in it. */
export function buildOpenSqlLinkModal(input: {
  url: string;
  datasourceId: number;
  /** Set when the SQL was too long for a link and went into a draft query instead. */
  draftQueryId?: number | undefined;
}): ModalView {
  const line =
    input.draftQueryId === undefined
      ? `Opens Compose on data source ${input.datasourceId} with the SQL in a new query tab. Alation asks you to sign in first if you are not.`
      : `The SQL was too long for a link, so it is in a new unsaved draft, query ${input.draftQueryId}, on data source ${input.datasourceId}. Only you can see it until you save it.`;
  return {
    type: 'modal',
    title: plainText('Open in Compose'),
    close: plainText('Done'),
    blocks: [
      { type: 'section', text: mrkdwn(`:link: ${line}`) },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTION_OPEN_SQL_LINK,
            style: 'primary',
            text: plainText('Open in Alation Compose'),
            url: input.url,
          },
        ],
      },
    ],
  };
}

/** A modal that only says something, e.g. while a draft is being created or what went wrong. */
export function buildOpenSqlNoticeModal(message: SlackMessage): ModalView {
  return {
    type: 'modal',
    title: plainText('Open in Compose'),
    close: plainText('Close'),
    blocks:
      message.blocks.length > 0
        ? message.blocks
        : [{ type: 'section', text: mrkdwn(message.text) }],
  };
}

export const NO_SQL_MESSAGE =
  'I found no SQL in that message. Use the shortcut on a message whose SQL is in a code block (```SELECT …```), or whose whole text is a SQL statement.';

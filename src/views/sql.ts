import { codeBlock } from './blocks.ts';
import type { SlackMessage } from './help.ts';

/** Longest SQL shown inline; a code block in one section has to stay under 3000 characters. */
export const INLINE_SQL_LIMIT = 2_800;

/** Slack's limit for one section's text. */
const SECTION_LIMIT = 3_000;
const CUT_NOTE = '_Cut short here: the whole SQL is in Alation._';

/**
 * The SQL in a code block, escaped. SQL full of `<` and `&` grows when escaped; if it no longer
 * fits one section it is cut, and the message says so.
 */
export function buildSqlMessage(input: {
  queryId: number;
  sql: string;
  queryUrl: string;
}): SlackMessage {
  const header = `SQL of <${input.queryUrl}|query ${input.queryId}>`;
  const room = SECTION_LIMIT - header.length - 1;
  let body = '_(this query has no SQL saved)_';
  if (input.sql.trim() !== '') {
    const whole = codeBlock(input.sql, Number.POSITIVE_INFINITY);
    body =
      whole.length <= room
        ? whole
        : `${codeBlock(input.sql, room - CUT_NOTE.length - 1)}\n${CUT_NOTE}`;
  }
  return {
    text: `SQL of query ${input.queryId}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${header}\n${body}` } }],
  };
}

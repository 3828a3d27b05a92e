import type { SlackMessage } from './help.ts';

/** Longest SQL shown inline; a code block in one section has to stay under 3000 characters. */
export const INLINE_SQL_LIMIT = 2_800;

export function buildSqlMessage(input: {
  queryId: number;
  sql: string;
  queryUrl: string;
}): SlackMessage {
  const header = `SQL of <${input.queryUrl}|query ${input.queryId}>`;
  // A stray ``` inside the SQL would end Slack's code block early.
  const body =
    input.sql.trim() === ''
      ? '_(this query has no SQL saved)_'
      : `\`\`\`${input.sql.replace(/```/g, '`\u200b``')}\`\`\``;
  return {
    text: `SQL of query ${input.queryId}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${header}\n${body}` } }],
  };
}

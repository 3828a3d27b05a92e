// The Chart… button on shared results (it opens the chart modal for the query).
import type { KnownBlock } from '@slack/types';
import { plainText } from './blocks.ts';
import type { SlackMessage } from './help.ts';

export const ACTION_CHART_OPEN = 'chart_open';

/** An actions block with Chart…, whose value is the query id. */
export function chartButtonBlock(queryId: number): KnownBlock {
  return {
    type: 'actions',
    block_id: 'chart_actions',
    elements: [
      {
        type: 'button',
        action_id: ACTION_CHART_OPEN,
        text: plainText('Chart…'),
        value: String(queryId),
      },
    ],
  };
}

/** The result message with Chart… at its end (within Slack's 50 blocks). */
export function withChartButton(message: SlackMessage, queryId: number): SlackMessage {
  const blocks = message.blocks ?? [];
  return blocks.length >= 50
    ? message
    : { ...message, blocks: [...blocks, chartButtonBlock(queryId)] };
}

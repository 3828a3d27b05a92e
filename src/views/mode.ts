import type { ModalView } from '@slack/types';
import { escapeMrkdwn, plainText } from './blocks.ts';

export const VIEW_MODE_LOGIN = 'mode_login';
export const BLOCK_MODE_WORKSPACE = 'mode_workspace';
export const BLOCK_MODE_TOKEN = 'mode_token';
export const BLOCK_MODE_SECRET = 'mode_secret';
export const MODE_INPUT = 'value';

export function buildModeLoginModal(
  input: { problem?: string; workspace?: string } = {},
): ModalView {
  const field = (blockId: string, label: string, hint: string, initial?: string) => ({
    type: 'input' as const,
    block_id: blockId,
    label: plainText(label),
    hint: plainText(hint),
    element: {
      type: 'plain_text_input' as const,
      action_id: MODE_INPUT,
      ...(initial ? { initial_value: initial } : {}),
    },
  });
  return {
    type: 'modal',
    callback_id: VIEW_MODE_LOGIN,
    title: plainText('Connect Mode'),
    submit: plainText('Connect'),
    close: plainText('Cancel'),
    blocks: [
      ...(input.problem
        ? [
            {
              type: 'section' as const,
              text: { type: 'mrkdwn' as const, text: `:warning: ${escapeMrkdwn(input.problem)}` },
            },
          ]
        : []),
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'Connect Mode so report runs are read *as you*. The token is checked with Mode, then stored encrypted.',
        },
      },
      field(
        BLOCK_MODE_WORKSPACE,
        'Workspace',
        'The name in your Mode URLs: app.mode.com/<workspace>/…',
        input.workspace,
      ),
      field(
        BLOCK_MODE_TOKEN,
        'API token',
        'Mode → your workspace settings → API Tokens → the token name',
      ),
      field(BLOCK_MODE_SECRET, 'API secret', 'Shown once when the token was created'),
    ],
  };
}

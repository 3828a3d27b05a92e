import type { KnownBlock, ModalView } from '@slack/types';
import type { ReconnectReason } from '../store/credentials.ts';
import { escapeMrkdwn, mrkdwn, plainText } from './blocks.ts';
import type { SlackMessage } from './help.ts';

export const ACTION_CONNECT_ALATION = 'alation_connect';
export const ACTION_OAUTH_OPEN = 'alation_oauth_open';
export const VIEW_ALATION_LOGIN = 'alation_login';
export const BLOCK_USER_ID = 'alation_user_id';
export const BLOCK_REFRESH_TOKEN = 'alation_refresh_token';
export const INPUT = 'value';

export interface LoginModalInput {
  alationBaseUrl: string;
  /** Carried through to the submission (e.g. where to confirm). */
  privateMetadata: string;
  /** Shown above the fields when a slow check failed after the modal was already answered. */
  problem?: string;
  userId?: string;
}

/** Paste-a-refresh-token connect form. */
export function buildAlationLoginModal(input: LoginModalInput): ModalView {
  const host = input.alationBaseUrl.replace(/^https?:\/\//, '');
  const blocks: KnownBlock[] = [];
  if (input.problem) {
    blocks.push({ type: 'section', text: mrkdwn(`:warning: ${escapeMrkdwn(input.problem)}`) });
  }
  blocks.push(
    {
      type: 'section',
      text: mrkdwn(
        'Connect your Alation account so that commands run *as you*, with your own Alation permissions. The token is checked with Alation, then stored encrypted.',
      ),
    },
    {
      type: 'input',
      block_id: BLOCK_USER_ID,
      label: plainText('Alation user ID'),
      hint: plainText(`The number in your Alation profile URL: ${host}/user/42/ → 42`),
      element: {
        type: 'plain_text_input',
        action_id: INPUT,
        placeholder: plainText('42'),
        max_length: 12,
        ...(input.userId ? { initial_value: input.userId } : {}),
      },
    },
    {
      type: 'input',
      block_id: BLOCK_REFRESH_TOKEN,
      label: plainText('Refresh token'),
      hint: plainText(
        'In Alation: your profile → Authentication → Create Refresh Token. Paste the whole token.',
      ),
      element: {
        type: 'plain_text_input',
        action_id: INPUT,
        multiline: true,
        placeholder: plainText('Paste the refresh token here'),
      },
    },
  );
  return {
    type: 'modal',
    callback_id: VIEW_ALATION_LOGIN,
    private_metadata: input.privateMetadata,
    title: plainText('Connect Alation'),
    submit: plainText('Connect'),
    close: plainText('Cancel'),
    blocks,
  };
}

/** Shown while a slow Alation check finishes after Slack's 3-second window. */
export function buildCheckingModal(): ModalView {
  return {
    type: 'modal',
    title: plainText('Connect Alation'),
    close: plainText('Close'),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(':hourglass_flowing_sand: Checking your token with Alation…'),
      },
    ],
  };
}

export function buildOAuthModal(input: { authorizeUrl: string; externalId: string }): ModalView {
  return {
    type: 'modal',
    external_id: input.externalId,
    title: plainText('Connect Alation'),
    close: plainText('Cancel'),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          'Sign in with your Alation account so that commands run *as you*, with your own Alation permissions. The link works once, for 10 minutes.',
        ),
      },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTION_OAUTH_OPEN,
            text: plainText('Sign in with Alation'),
            style: 'primary',
            url: input.authorizeUrl,
          },
        ],
      },
    ],
  };
}

/** The modal's last state: what happened, with nothing left to fill in. `message` is mrkdwn. */
export function buildResultModal(message: string): ModalView {
  return {
    type: 'modal',
    title: plainText('Connect Alation'),
    close: plainText('Done'),
    blocks: [{ type: 'section', text: mrkdwn(message) }],
  };
}

const REASONS: Record<ReconnectReason, string> = {
  key_missing:
    "the bot's encryption key was changed, so your saved credentials can no longer be read",
  unreadable: 'your saved credentials could not be read',
  refresh_token_invalid:
    'Alation no longer accepts your refresh token (it was revoked or has expired)',
  refresh_token_expired: 'your Alation refresh token has expired',
  credentials_rejected: 'Alation refused to issue an access token from your refresh token',
};

export function reconnectReason(reason: string): string {
  return REASONS[reason as ReconnectReason] ?? 'your Alation connection stopped working';
}

/**
 * The answer to any command that needs an Alation connection the user lacks: what is wrong
 * and one button that fixes it.
 */
export function buildConnectPrompt(reason?: string): SlackMessage {
  const line = reason
    ? `:link: *Reconnect your Alation account.* ${capitalise(reconnectReason(reason))}. Connect again to carry on; nothing else is lost.`
    : ':link: *Connect your Alation account first.* This bot acts as you, with your own Alation permissions, so it needs your credentials once.';
  return {
    text: reason ? 'Reconnect your Alation account.' : 'Connect your Alation account first.',
    blocks: [
      { type: 'section', text: mrkdwn(line) },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTION_CONNECT_ALATION,
            text: plainText(reason ? 'Reconnect Alation' : 'Connect Alation'),
            style: 'primary',
            value: 'alation',
          },
        ],
      },
    ],
  };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface ConnectedInput {
  alationUserId?: number | undefined;
  tokenName?: string | null | undefined;
  refreshTokenExpires?: string | undefined;
  method: 'refresh_token' | 'oauth';
}

export function buildConnectedMessage(input: ConnectedInput): SlackMessage {
  const who =
    input.alationUserId === undefined
      ? 'your Alation account'
      : `Alation user ${input.alationUserId}`;
  const lines = [`:white_check_mark: *Connected to Alation* as ${who}.`];
  if (input.method === 'refresh_token') {
    lines.push(
      `Refresh token${input.tokenName ? ` “${escapeMrkdwn(input.tokenName)}”` : ''}${
        input.refreshTokenExpires ? ` expires *${escapeMrkdwn(input.refreshTokenExpires)}*` : ''
      }; create a new one before then and run \`/alation login\` again.`,
    );
  } else {
    lines.push('Signed in with Alation; the bot renews your access as long as Alation allows.');
  }
  lines.push('Commands now run with your own Alation permissions. `/alation logout` disconnects.');
  return { text: lines[0] ?? '', blocks: [{ type: 'section', text: mrkdwn(lines.join('\n')) }] };
}

import type { KnownBlock } from '@slack/types';
import type { ConnectionRow, Profile, Provider } from '../store/credentials.ts';
import { escapeMrkdwn, section } from './blocks.ts';
import { ACTION_CONNECT_ALATION, reconnectReason } from './connect.ts';
import type { SlackMessage } from './help.ts';

export interface ConnectionSummary {
  provider: 'alation' | 'mode';
  status: 'active' | 'reconnect' | 'missing';
  profile: Profile;
  reason?: string | null;
}

/** What a user's credential rows say about one provider, without opening any secret. */
export function connectionSummary(
  rows: readonly ConnectionRow[],
  provider: Provider,
): ConnectionSummary {
  const row = rows.find((r) => r.provider === provider);
  return row
    ? {
        provider,
        status: row.status === 'reconnect' ? 'reconnect' : 'active',
        profile: row.profile,
        reason: row.status_reason,
      }
    : { provider, status: 'missing', profile: {} };
}

export interface WhoamiInput {
  alation: ConnectionSummary;
  mode: ConnectionSummary;
  /** Dates already formatted in the user's time zone, keyed by profile field. */
  formatDate(iso: string): string;
}

function alationLine(c: ConnectionSummary, formatDate: (iso: string) => string): string {
  if (c.status === 'missing') return '*Alation:* not connected.';
  if (c.status === 'reconnect') {
    return `*Alation:* :warning: needs reconnecting: ${reconnectReason(c.reason ?? '')}.`;
  }
  const p = c.profile;
  if (p.method === 'oauth')
    return '*Alation:* :white_check_mark: connected with Sign in with Alation.';
  const parts = [
    `:white_check_mark: connected as Alation user ${escapeMrkdwn(String(p.alationUserId))}`,
  ];
  if (p.tokenName) parts.push(`with refresh token “${escapeMrkdwn(String(p.tokenName))}”`);
  const line = `*Alation:* ${parts.join(' ')}.`;
  return typeof p.refreshTokenExpiresAt === 'string'
    ? `${line} The refresh token expires ${escapeMrkdwn(formatDate(p.refreshTokenExpiresAt))}.`
    : line;
}

function modeLine(c: ConnectionSummary): string {
  if (c.status === 'missing') return '*Mode:* not connected. `/alation mode login` connects it.';
  if (c.status === 'reconnect')
    return '*Mode:* :warning: needs reconnecting: `/alation mode login`.';
  return `*Mode:* :white_check_mark: connected to workspace \`${escapeMrkdwn(String(c.profile.workspace))}\`.`;
}

/** Which accounts the user connected, for what, until when; never a token. */
export function buildWhoamiMessage(input: WhoamiInput): SlackMessage {
  const lines = [alationLine(input.alation, input.formatDate), modeLine(input.mode)];
  const blocks: KnownBlock[] = [section(lines.join('\n'))];
  if (input.alation.status !== 'active') {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION_CONNECT_ALATION,
          style: 'primary',
          value: 'alation',
          text: {
            type: 'plain_text',
            text: input.alation.status === 'missing' ? 'Connect Alation' : 'Reconnect Alation',
          },
        },
      ],
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: 'Tokens are stored encrypted and never shown. `/alation logout` disconnects.',
      },
    ],
  });
  return { text: lines.join('\n').replace(/\*/g, ''), blocks };
}

// The App Home tab: where the person stands (connections, running job watches) and how to start.
// Pure: everything it shows comes in as arguments.
import type { Button, HomeView, KnownBlock } from '@slack/types';
import { context, escapeMrkdwn, mrkdwn, plainText, section } from './blocks.ts';
import { ACTION_CONNECT_ALATION, reconnectReason } from './connect.ts';
import { ACTION_CONNECT_MODE } from './mode-run.ts';
import type { ConnectionSummary } from './whoami.ts';

/** Home's Disconnect button; its value is the provider. */
export const ACTION_HOME_DISCONNECT = 'home_disconnect';

export interface HomeWatch {
  /** `job 42` or `job “Load #3”`, as the card names it; plain text, escaped here. */
  label: string;
  channelId: string;
  /** Link to the status card when Slack gave one. */
  permalink?: string | undefined;
  /** Alation's last reported state, if a poll has happened yet. */
  jobStatus: string | null;
  /** Already formatted in the person's time zone; plain text. */
  started: string;
}

export interface HomeInput {
  alation: ConnectionSummary;
  mode: ConnectionSummary;
  watches: HomeWatch[];
  /** The person's digests as `/alation digest list` shows them, buttons included. */
  digests?: KnownBlock[];
  /** Trust-flag requests waiting for them and made by them, as `/alation flag requests` shows. */
  flagRequests?: KnownBlock[];
  /** Their alerts as `/alation alert list` shows them (the first few), buttons included. */
  alerts?: KnownBlock[];
  /** Formats an ISO date in the person's time zone. */
  formatDate(iso: string): string;
}

const NAMES = { alation: 'Alation', mode: 'Mode' } as const;

function connectButton(c: ConnectionSummary): Button {
  return {
    type: 'button',
    action_id: c.provider === 'alation' ? ACTION_CONNECT_ALATION : ACTION_CONNECT_MODE,
    value: c.provider,
    // Only the first step deserves the primary colour; reconnecting is not urgent when active.
    ...(c.status === 'active' ? {} : { style: 'primary' as const }),
    text: plainText(`${c.status === 'missing' ? 'Connect' : 'Reconnect'} ${NAMES[c.provider]}`),
  };
}

function disconnectButton(c: ConnectionSummary): Button {
  const name = NAMES[c.provider];
  return {
    type: 'button',
    action_id: ACTION_HOME_DISCONNECT,
    value: c.provider,
    style: 'danger',
    text: plainText(`Disconnect ${name}`),
    // Disconnecting deletes stored credentials; ask once so a stray click costs nothing.
    confirm: {
      title: plainText(`Disconnect ${name}?`),
      text: mrkdwn(
        `Your stored ${name} credentials are deleted and commands stop working for you until you connect again.`,
      ),
      confirm: plainText('Disconnect'),
      deny: plainText('Cancel'),
      style: 'danger',
    },
  };
}

function statusLine(c: ConnectionSummary, formatDate: (iso: string) => string): string {
  const name = NAMES[c.provider];
  if (c.status === 'missing') return `*${name}:* not connected.`;
  if (c.status === 'reconnect') {
    return c.provider === 'alation'
      ? `*${name}:* :warning: needs reconnecting: ${reconnectReason(c.reason ?? '')}.`
      : `*${name}:* :warning: needs reconnecting: Mode no longer accepts your token.`;
  }
  const p = c.profile;
  if (c.provider === 'mode') {
    return `*${name}:* :white_check_mark: connected to workspace \`${escapeMrkdwn(String(p.workspace ?? ''))}\`.`;
  }
  if (p.method === 'oauth')
    return `*${name}:* :white_check_mark: connected with Sign in with Alation.`;
  const expires =
    typeof p.refreshTokenExpiresAt === 'string'
      ? ` The refresh token expires ${escapeMrkdwn(formatDate(p.refreshTokenExpiresAt))}.`
      : '';
  return `*${name}:* :white_check_mark: connected as Alation user ${escapeMrkdwn(String(p.alationUserId ?? '?'))}.${expires}`;
}

function connectionBlocks(c: ConnectionSummary, formatDate: (iso: string) => string): KnownBlock[] {
  const elements: Button[] = [connectButton(c)];
  if (c.status !== 'missing') elements.push(disconnectButton(c));
  return [
    section(statusLine(c, formatDate)),
    { type: 'actions', block_id: `home_${c.provider}`, elements },
  ];
}

const HOW_TO = [
  '`/alation query <id>` — a query’s details card; `/alation query new` creates one',
  '`/alation result <id>` — share a query’s latest result with the channel, with its CSV',
  '`/alation flag add table 12` — endorse, warn about or deprecate a catalog object',
  '`/alation flag request table 12` — ask a data steward to flag it when you may not; `/alation flag requests` lists yours',
  '`/alation job <id>` — a bulk-metadata job card that updates itself until the job ends',
  'Paste a link to an Alation query, table, schema, column or data source: it unfurls with its trust badges',
  'On any message (⋯ → *More message shortcuts*): *Open SQL in Alation Compose*, *Share latest result here*',
  '`/alation help` — every command with an example',
];

function howTo(): KnownBlock[] {
  return [
    { type: 'header', text: plainText('How to use it') },
    section(HOW_TO.map((line) => `• ${line}`).join('\n')),
  ];
}

function watchLine(w: HomeWatch): string {
  const where = w.permalink
    ? `<${w.permalink}|status card> in <#${w.channelId}>`
    : `in <#${w.channelId}>`;
  const state = w.jobStatus ? ` · ${escapeMrkdwn(w.jobStatus.toLowerCase())}` : '';
  return `• *${escapeMrkdwn(w.label)}*${state} · started ${escapeMrkdwn(w.started)} · ${where}`;
}

/**
 * The Home tab. Someone without an Alation connection gets a welcome and one button instead of
 * a status board, because everything else depends on that first step.
 */
export function buildHomeView(input: HomeInput): HomeView {
  const blocks: KnownBlock[] = [];
  if (input.alation.status === 'missing') {
    blocks.push(
      { type: 'header', text: plainText('Welcome to Alation in Slack :wave:') },
      section(
        'Find and share Compose queries, see trust flags on catalog objects and follow metadata jobs without leaving Slack. Everything runs *as you*, with your own Alation permissions, so the bot needs your credentials once.',
      ),
      {
        type: 'actions',
        block_id: 'home_alation',
        elements: [connectButton(input.alation)],
      },
      context('Your token is checked with Alation, then stored encrypted. It is never shown.'),
      { type: 'divider' },
      ...connectionBlocks(input.mode, input.formatDate),
      { type: 'divider' },
      ...howTo(),
    );
    return { type: 'home', blocks };
  }
  blocks.push(
    { type: 'header', text: plainText('Your connections') },
    ...connectionBlocks(input.alation, input.formatDate),
    ...connectionBlocks(input.mode, input.formatDate),
    context('Tokens are stored encrypted and never shown.'),
    { type: 'divider' },
    { type: 'header', text: plainText('Jobs you are watching') },
  );
  if (input.watches.length === 0) {
    blocks.push(context('None running. `/alation job <id>` posts a card that follows a job.'));
  } else {
    // A section holds 3000 characters; a handful of watches is the normal case.
    const shown = input.watches.slice(0, 20);
    blocks.push(section(shown.map(watchLine).join('\n').slice(0, 2900)));
    if (input.watches.length > shown.length) {
      blocks.push(context(`…and ${input.watches.length - shown.length} more.`));
    }
  }
  if (input.digests) {
    // The same blocks and buttons as `/alation digest list`; Home allows 100 blocks in all.
    blocks.push(
      { type: 'divider' },
      { type: 'header', text: plainText('Digests') },
      ...input.digests.slice(0, 60),
    );
  }
  if (input.alerts) {
    blocks.push(
      { type: 'divider' },
      { type: 'header', text: plainText('Alerts') },
      ...input.alerts.slice(0, Math.max(0, 100 - blocks.length - 12)),
    );
  }
  if (input.flagRequests) {
    blocks.push(
      { type: 'divider' },
      { type: 'header', text: plainText('Trust flag requests') },
      // Home holds 100 blocks; the how-to and its divider take the last few.
      ...input.flagRequests.slice(0, Math.max(0, 100 - blocks.length - 6)),
    );
  }
  blocks.push({ type: 'divider' }, ...howTo());
  return { type: 'home', blocks };
}

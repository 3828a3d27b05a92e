// What the Slack emulator shows tests: the identities it answers as, what it records, its
// seeds and options, and the emulator object itself.

import type { FaultHandle, SlackFaultSpec } from '../faults.ts';
import type { InstallGrant, InstallRegistry } from './installs.ts';
import type { RateTier, RateTierSpec } from './rate-limit.ts';
import type { SocketModeEmulator } from './socket-mode.ts';

export type JsonObject = Record<string, unknown>;

/** Identities the emulator and the driver agree on unless a test overrides them. */
export const SLACK_DEFAULTS = {
  teamId: 'T0EMU00001',
  teamDomain: 'emulated',
  teamName: 'Emulated Workspace',
  botUserId: 'U0BOT00001',
  botId: 'B0BOT00001',
  botName: 'alation',
  appId: 'A0APP00001',
  botToken: 'xoxb-emulated-bot-token',
  appToken: 'xapp-1-A0APP00001-1-emulated',
  /** The user and channel the driver acts as/in by default; the emulator seeds both. */
  userId: 'U0USER0001',
  userName: 'alice',
  userRealName: 'Alice Analyst',
  userTz: 'Europe/Berlin',
  userTzLabel: 'Central European Time',
  userTzOffset: 3600,
  channelId: 'C0CHAN0001',
  channelName: 'data-team',
  /** Slack's deprecated per-app verification token, still present in every payload. */
  verificationToken: 'verification-token-emulated',
} as const;

export interface SlackCall {
  method: string;
  /** Arguments as Slack received them: scalars stay strings for form posts, JSON-valued fields (blocks, view, files, ...) are decoded. */
  args: JsonObject;
  /** Token from `Authorization: Bearer` or the `token` field; undefined when none was sent. */
  token: string | undefined;
  /** The workspace and org the token belongs to (installs.ts); absent for an unknown token. */
  teamId?: string;
  enterpriseId?: string;
  at: number;
  /** HTTP status the emulator answered with (429 when rate limited). */
  status: number;
  response: JsonObject;
}

export interface SlackUserSeed {
  id: string;
  name: string;
  real_name?: string;
  display_name?: string;
  email?: string;
  tz?: string;
  tz_label?: string;
  tz_offset?: number;
  locale?: string;
  is_bot?: boolean;
  is_admin?: boolean;
  deleted?: boolean;
  team_id?: string;
}

export interface SlackChannelSeed {
  id: string;
  name: string;
  is_private?: boolean;
  /** Whether the bot is in the channel; posting to a channel it is not in fails with `not_in_channel`. */
  is_member?: boolean;
  is_archived?: boolean;
  topic?: string;
  purpose?: string;
  /** User ids in the channel (conversations.members); default the driver's user and the bot. */
  members?: string[];
}

export interface EmulatedMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  files?: { id: string; name: string; title: string }[];
  user: string;
  bot_id: string;
  /** Which Web API method created it. */
  via: 'chat.postMessage' | 'files.completeUploadExternal';
  deleted: boolean;
  edited?: { user: string; ts: string };
  /** Every version of the message, oldest first; the last one is the current state. */
  history: JsonObject[];
}

export interface EmulatedEphemeral {
  channel: string;
  user: string;
  message_ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

export interface UploadRecord {
  id: string;
  filename: string;
  /** The `length` the app declared to files.getUploadURLExternal. */
  length: number;
  alt_text?: string;
  snippet_type?: string;
  uploadUrl: string;
  /** Bytes POSTed to the upload URL; undefined until that happens. */
  bytes: Buffer | undefined;
  contentType?: string;
  completed?: {
    channel_id?: string;
    thread_ts?: string;
    initial_comment?: string;
    title?: string;
    message_ts?: string;
    at: number;
  };
}

export interface ViewRecord {
  id: string;
  type: string;
  rootViewId: string;
  /** Set for Home tabs (views.publish). */
  userId?: string;
  externalId?: string;
  /** The view object as Slack last returned it. */
  current: JsonObject;
  /** Every version, oldest first (current is last). */
  history: JsonObject[];
  closed: boolean;
}

export interface ResponsePost {
  id: string;
  url: string;
  body: unknown;
  at: number;
  status: number;
}

export interface WaitOptions {
  timeoutMs?: number;
}

export interface WaitForOptions extends WaitOptions {
  /** How many matching calls must exist (default 1). */
  count?: number;
  /** Extra filter when waiting on a method name. */
  where?: (call: SlackCall) => boolean;
}

export interface SlackEmulatorOptions {
  botToken?: string;
  appToken?: string;
  /** The app's OAuth client id and secret that oauth.v2.access accepts. */
  clientId?: string;
  clientSecret?: string;
  teamId?: string;
  teamDomain?: string;
  teamName?: string;
  botUserId?: string;
  botId?: string;
  botName?: string;
  appId?: string;
  users?: SlackUserSeed[];
  channels?: SlackChannelSeed[];
  /** Reject trigger ids older than this (Slack's real limit is 3000 ms). Off by default so slow CI does not flake. */
  triggerTtlMs?: number;
  /** How many JSON posts one response_url accepts (Slack: 5 within 30 minutes). */
  responseUrlMaxPosts?: number;
  /** Seed SLACK_DEFAULTS' user and channel (default true) so driver defaults resolve. */
  seedDefaults?: boolean;
}

export interface SlackEmulator {
  readonly url: string;
  /** Base for WebClient's `slackApiUrl`; the trailing slash matters because WebClient appends the method name. */
  readonly apiUrl: string;
  readonly botToken: string;
  /** The app-level token Socket Mode's `apps.connections.open` accepts. */
  readonly appToken: string;
  /** Socket Mode: the links, envelopes and acks, and ways to drive them. */
  readonly socket: SocketModeEmulator;
  readonly teamId: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly calls: readonly SlackCall[];
  readonly uploads: ReadonlyMap<string, UploadRecord>;
  readonly views: ReadonlyMap<string, ViewRecord>;
  readonly responses: readonly ResponsePost[];
  readonly ephemerals: readonly EmulatedEphemeral[];
  callsTo(method: string): SlackCall[];
  /** Current (non-deleted) messages, oldest first, optionally in one channel. */
  messages(channel?: string): EmulatedMessage[];
  /** One message by channel and ts, deleted or not. */
  message(channel: string, ts: string): EmulatedMessage | undefined;
  /** Replies in a thread (messages whose thread_ts is `ts`, excluding the parent). */
  thread(channel: string, ts: string): EmulatedMessage[];
  /** IDs of the open view stack, root first; the most recently touched stack by default. */
  viewStack(rootViewId?: string): string[];
  /** Simulate the user closing a modal stack (e.g. after a submission cleared it). */
  closeViews(rootViewId?: string): void;
  /** The DM channel id the emulator uses for a user (opening it if needed). */
  dmChannel(userId: string): string;
  addUser(user: SlackUserSeed): void;
  addChannel(channel: SlackChannelSeed): void;
  /** A fresh trigger id in Slack's format, usable once. */
  triggerId(): string;
  /** OAuth installs: client id and secret, tokens and who they are, refresh grants answered. */
  readonly installs: InstallRegistry;
  /** What Slack's "Allow" page does: a one-time code for /slack/oauth_redirect?code=… */
  authorizeInstall(grant: InstallGrant): string;
  /** Revokes a workspace's or org's tokens (an uninstall); returns how many. */
  revokeInstall(where: { teamId?: string; enterpriseId?: string }): number;
  /** A fresh response_url served by the emulator. */
  responseUrl(): string;
  responsesTo(url: string): ResponsePost[];
  /**
   * Fail the next `times` calls of a method: `{ path: '/api/chat.postMessage', status: 429,
   * retryAfter: 1 }` rate-limits it, `{ path, error: 'not_in_channel' }` answers `{ok:false, error}`.
   */
  fault(spec: SlackFaultSpec): FaultHandle;
  clearFaults(): void;
  /** Enforce a rate tier on a method from now on (429 + Retry-After past it). */
  rateLimit(spec: RateTierSpec): RateTier;
  /** Resolve with the matching calls once at least `count` exist. */
  waitFor(method: string, opts?: WaitForOptions): Promise<SlackCall[]>;
  waitFor(predicate: (call: SlackCall) => boolean, opts?: WaitForOptions): Promise<SlackCall[]>;
  /** Resolve with the probe's first truthy result, re-checked on every emulator event and every 20 ms. */
  waitUntil<T>(probe: () => T | undefined | null | false, opts?: WaitOptions): Promise<T>;
  /** Forget recorded traffic and state (messages, views, uploads, faults); seeded users and channels stay. */
  reset(): void;
  close(): Promise<void>;
}

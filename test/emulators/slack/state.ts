// The Slack emulator's state: who it answers as, the seeded users and channels, and the
// per-instance traffic and objects that reset() replaces wholesale.

import { randomBytes } from 'node:crypto';
import type { FaultCounter } from '../faults.ts';
import { createInstallRegistry, type InstallRegistry } from './installs.ts';
import type { RateTier } from './rate-limit.ts';
import {
  type EmulatedEphemeral,
  type EmulatedMessage,
  type JsonObject,
  type ResponsePost,
  SLACK_DEFAULTS,
  type SlackCall,
  type SlackChannelSeed,
  type SlackEmulatorOptions,
  type SlackUserSeed,
  type UploadRecord,
  type ViewRecord,
} from './types.ts';
import type { Reply } from './wire.ts';

export interface RateLimitFault extends FaultCounter {
  retryAfter: number;
}

export interface ErrorFault extends FaultCounter {
  error: string;
}

export interface SlackState {
  calls: SlackCall[];
  messages: EmulatedMessage[];
  ephemerals: EmulatedEphemeral[];
  uploads: Map<string, UploadRecord>;
  /** Upload-URL token → file id. */
  uploadTokens: Map<string, string>;
  views: Map<string, ViewRecord>;
  /** Root view id → the open stack, root first. */
  stacks: Map<string, string[]>;
  activeRoot: string | undefined;
  /** User id → that user's Home tab view id. */
  homeViews: Map<string, string>;
  usedTriggers: Set<string>;
  /** response_url id → how many posts it accepted. */
  responseUrls: Map<string, number>;
  responses: ResponsePost[];
  /** Method → its 429 fault; one per method, a new one replaces it. */
  rateLimits: Map<string, RateLimitFault>;
  /** Method → its `{ok:false}` fault; one per method, a new one replaces it. */
  failures: Map<string, ErrorFault>;
  /** Method → its enforced rate tier (rate-limit.ts). */
  tiers: Map<string, RateTier>;
  /** User id (or sorted comma list for group DMs) → DM channel id. */
  dms: Map<string, string>;
}

export interface SlackEnv {
  readonly botToken: string;
  /** The app-level token (`xapp-…`) Socket Mode connects with. */
  readonly appToken: string;
  readonly teamId: string;
  readonly teamDomain: string;
  readonly teamName: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly botName: string;
  readonly appId: string;
  readonly triggerTtlMs: number | undefined;
  readonly responseUrlMaxPosts: number;
  /** Seeded users and channels survive reset(). */
  readonly users: Map<string, SlackUserSeed>;
  readonly channels: Map<string, SlackChannelSeed>;
  state: SlackState;
  /** `http://127.0.0.1:<port>`, known once the server listens. */
  baseUrl: string;
  /** Shared by ids and trigger ids; never reset, so ids stay unique across resets. */
  counter: number;
  lastTsMicros: number;
  readonly listeners: Set<() => void>;
  /** Socket Mode tickets `apps.connections.open` issued and no link has used yet. */
  readonly tickets: Set<string>;
  /** OAuth installs in other workspaces and orgs; they survive reset(). */
  readonly installs: InstallRegistry;
}

/** One Web API method: the call's arguments in, Slack's answer out. */
export type Method = (env: SlackEnv, args: JsonObject) => Reply;

export function createState(): SlackState {
  return {
    calls: [],
    messages: [],
    ephemerals: [],
    uploads: new Map(),
    uploadTokens: new Map(),
    views: new Map(),
    stacks: new Map(),
    activeRoot: undefined,
    homeViews: new Map(),
    usedTriggers: new Set(),
    responseUrls: new Map(),
    responses: [],
    rateLimits: new Map(),
    failures: new Map(),
    tiers: new Map(),
    dms: new Map(),
  };
}

export function createEnv(opts: SlackEmulatorOptions): SlackEnv {
  return {
    botToken: opts.botToken ?? SLACK_DEFAULTS.botToken,
    appToken: opts.appToken ?? SLACK_DEFAULTS.appToken,
    teamId: opts.teamId ?? SLACK_DEFAULTS.teamId,
    teamDomain: opts.teamDomain ?? SLACK_DEFAULTS.teamDomain,
    teamName: opts.teamName ?? SLACK_DEFAULTS.teamName,
    botUserId: opts.botUserId ?? SLACK_DEFAULTS.botUserId,
    botId: opts.botId ?? SLACK_DEFAULTS.botId,
    botName: opts.botName ?? SLACK_DEFAULTS.botName,
    appId: opts.appId ?? SLACK_DEFAULTS.appId,
    triggerTtlMs: opts.triggerTtlMs,
    responseUrlMaxPosts: opts.responseUrlMaxPosts ?? 5,
    users: new Map(),
    channels: new Map(),
    state: createState(),
    baseUrl: '',
    counter: 0,
    lastTsMicros: 0,
    listeners: new Set(),
    tickets: new Set(),
    installs: createInstallRegistry({
      ...(opts.clientId ? { clientId: opts.clientId } : {}),
      ...(opts.clientSecret ? { clientSecret: opts.clientSecret } : {}),
    }),
  };
}

export function notify(env: SlackEnv): void {
  for (const listener of [...env.listeners]) listener();
}

export function record(env: SlackEnv, call: SlackCall): void {
  env.state.calls.push(call);
  notify(env);
}

export function nextId(env: SlackEnv, prefix: string): string {
  env.counter += 1;
  return `${prefix}0EMU${env.counter.toString(36).toUpperCase().padStart(6, '0')}`;
}

export function nextTs(env: SlackEnv): string {
  // Slack ts values are unique per channel and ordered; microsecond ticks guarantee both here.
  env.lastTsMicros = Math.max(Date.now() * 1000, env.lastTsMicros + 1);
  const micros = env.lastTsMicros;
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

export function viewHash(): string {
  return `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`;
}

/** A fresh trigger id in Slack's format (`<ms>.<n>.<hex>`). */
export function triggerId(env: SlackEnv): string {
  return `${Date.now()}.${env.counter++}.${randomBytes(8).toString('hex')}`;
}

/** The DM channel id the emulator uses for a user, opening it if needed. */
export function dmChannel(env: SlackEnv, userId: string): string {
  const { dms } = env.state;
  let id = dms.get(userId);
  if (id === undefined) {
    id = nextId(env, 'D');
    dms.set(userId, id);
  }
  return id;
}

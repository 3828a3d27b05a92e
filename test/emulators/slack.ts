/**
 * In-process emulator of the parts of Slack the app talks to: the Web API (as `@slack/web-api`'s
 * WebClient calls it), the external file-upload URLs and `response_url`s. Answers are shaped like
 * Slack's documented responses so the app's real client code runs unmodified against it; every
 * request is recorded so tests can assert on what the app did after it acked.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  /** A fresh response_url served by the emulator. */
  responseUrl(): string;
  responsesTo(url: string): ResponsePost[];
  /** Answer the next `times` calls of `method` with HTTP 429 and `Retry-After`. */
  rateLimit(method: string, opts?: { retryAfterSec?: number; times?: number }): void;
  /** Answer the next `times` calls of `method` with `{ok:false, error}`. */
  failNext(method: string, error: string, opts?: { times?: number }): void;
  /** Resolve with the matching calls once at least `count` exist. */
  waitFor(method: string, opts?: WaitForOptions): Promise<SlackCall[]>;
  waitFor(predicate: (call: SlackCall) => boolean, opts?: WaitForOptions): Promise<SlackCall[]>;
  /** Resolve with the probe's first truthy result, re-checked on every emulator event and every 20 ms. */
  waitUntil<T>(probe: () => T | undefined | null | false, opts?: WaitOptions): Promise<T>;
  /** Forget recorded traffic and state (messages, views, uploads, limits); seeded users and channels stay. */
  reset(): void;
  close(): Promise<void>;
}

// Form posts carry these as JSON strings; tests want them as objects.
const JSON_FIELDS: ReadonlySet<string> = new Set([
  'blocks',
  'attachments',
  'view',
  'files',
  'metadata',
  'unfurls',
  'user_auth_blocks',
  'options',
  'option_groups',
]);

const TRIGGER_ID_FORMAT = /^(\d+)\.(\d+)\.([0-9a-f]+)$/;

interface Reply {
  status: number;
  body: JsonObject;
  headers?: Record<string, string>;
}

const ok = (body: JsonObject = {}): Reply => ({ status: 200, body: { ok: true, ...body } });
const fail = (error: string, messages?: string[]): Reply => ({
  status: 200,
  body: messages?.length
    ? { ok: false, error, response_metadata: { messages } }
    : { ok: false, error },
});
const missing = (...fields: string[]): Reply =>
  fail(
    'invalid_arguments',
    fields.map((f) => `[ERROR] missing required field: ${f}`),
  );

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

function textOf(value: unknown): string | undefined {
  return isObject(value) ? str(value.text) : undefined;
}

/**
 * A subset of Slack's Block Kit limits: the ones an app most plausibly trips (lengths, counts,
 * duplicate ids), reported in Slack's `[ERROR] ... [json-pointer:...]` style.
 */
function validateBlocks(
  blocks: unknown,
  surface: 'message' | 'modal' | 'home',
  base: string,
): string[] {
  const errors: string[] = [];
  if (!Array.isArray(blocks)) return [`[ERROR] must be an array [json-pointer:${base}]`];
  const max = surface === 'message' ? 50 : 100;
  if (blocks.length > max)
    errors.push(`[ERROR] no more than ${max} items allowed [json-pointer:${base}]`);
  const blockIds = new Set<string>();
  // Slack wants action_ids unique within their block only; rows of identical buttons are fine.
  let actionIds = new Set<string>();
  const checkAction = (element: unknown, at: string): void => {
    if (!isObject(element)) return;
    const actionId = str(element.action_id);
    if (actionId === undefined) return;
    if (actionId.length > 255)
      errors.push(`[ERROR] must be less than 256 characters [json-pointer:${at}/action_id]`);
    if (actionIds.has(actionId))
      errors.push(`[ERROR] action_id already exists: ${actionId} [json-pointer:${at}/action_id]`);
    actionIds.add(actionId);
  };
  blocks.forEach((block, i) => {
    const at = `${base}/${i}`;
    actionIds = new Set<string>();
    if (!isObject(block) || typeof block.type !== 'string' || block.type === '') {
      errors.push(`[ERROR] missing required field: type [json-pointer:${at}]`);
      return;
    }
    const blockId = block.block_id;
    if (blockId !== undefined) {
      if (typeof blockId !== 'string' || blockId.length > 255)
        errors.push(
          `[ERROR] must be a string of at most 255 characters [json-pointer:${at}/block_id]`,
        );
      else if (blockIds.has(blockId))
        errors.push(`[ERROR] duplicate block_id: ${blockId} [json-pointer:${at}/block_id]`);
      else blockIds.add(blockId);
    }
    switch (block.type) {
      case 'section': {
        const text = textOf(block.text);
        const fields = block.fields;
        if (text === undefined && !Array.isArray(fields))
          errors.push(`[ERROR] must provide either text or fields [json-pointer:${at}]`);
        if (text !== undefined && text.length > 3000)
          errors.push(`[ERROR] must be less than 3001 characters [json-pointer:${at}/text/text]`);
        if (Array.isArray(fields)) {
          if (fields.length > 10)
            errors.push(`[ERROR] no more than 10 items allowed [json-pointer:${at}/fields]`);
          fields.forEach((f, j) => {
            if ((textOf(f)?.length ?? 0) > 2000)
              errors.push(
                `[ERROR] must be less than 2001 characters [json-pointer:${at}/fields/${j}/text]`,
              );
          });
        }
        checkAction(block.accessory, `${at}/accessory`);
        break;
      }
      case 'header': {
        const header = block.text;
        if (!isObject(header) || header.type !== 'plain_text')
          errors.push(`[ERROR] must be a plain_text text object [json-pointer:${at}/text]`);
        else if ((str(header.text)?.length ?? 0) > 150)
          errors.push(`[ERROR] must be less than 151 characters [json-pointer:${at}/text/text]`);
        break;
      }
      case 'actions':
      case 'context': {
        const limit = block.type === 'actions' ? 25 : 10;
        const elements = block.elements;
        if (!Array.isArray(elements) || elements.length === 0)
          errors.push(`[ERROR] must provide at least 1 item [json-pointer:${at}/elements]`);
        else {
          if (elements.length > limit)
            errors.push(
              `[ERROR] no more than ${limit} items allowed [json-pointer:${at}/elements]`,
            );
          elements.forEach((e, j) => {
            checkAction(e, `${at}/elements/${j}`);
          });
        }
        break;
      }
      case 'input': {
        if (!isObject(block.label))
          errors.push(`[ERROR] missing required field: label [json-pointer:${at}]`);
        if (!isObject(block.element))
          errors.push(`[ERROR] missing required field: element [json-pointer:${at}]`);
        checkAction(block.element, `${at}/element`);
        break;
      }
      default:
        break;
    }
  });
  return errors;
}

function validateView(view: unknown, allowed: readonly string[]): string[] {
  if (!isObject(view)) return ['[ERROR] missing required field: view'];
  const errors: string[] = [];
  const type = str(view.type);
  if (type === undefined || !allowed.includes(type))
    errors.push(`[ERROR] must be one of ${allowed.join(', ')} [json-pointer:/view/type]`);
  if (type === 'modal') {
    const title = view.title;
    if (!isObject(title) || title.type !== 'plain_text')
      errors.push('[ERROR] must be a plain_text text object [json-pointer:/view/title]');
    else if ((str(title.text)?.length ?? 0) > 24)
      errors.push('[ERROR] must be less than 25 characters [json-pointer:/view/title/text]');
    for (const key of ['submit', 'close'] as const) {
      const button = view[key];
      if (button === undefined || button === null) continue;
      if (!isObject(button) || button.type !== 'plain_text')
        errors.push(`[ERROR] must be a plain_text text object [json-pointer:/view/${key}]`);
      else if ((str(button.text)?.length ?? 0) > 24)
        errors.push(`[ERROR] must be less than 25 characters [json-pointer:/view/${key}/text]`);
    }
    const hasInput =
      Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === 'input');
    if (hasInput && !isObject(view.submit))
      errors.push(
        '[ERROR] submit is required when an input block is within the blocks array [json-pointer:/view/submit]',
      );
  }
  if ((str(view.private_metadata)?.length ?? 0) > 3000)
    errors.push('[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]');
  if ((str(view.callback_id)?.length ?? 0) > 255)
    errors.push('[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]');
  errors.push(
    ...validateBlocks(view.blocks ?? [], type === 'home' ? 'home' : 'modal', '/view/blocks'),
  );
  return errors;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

async function parseMultipart(req: IncomingMessage, raw: Buffer): Promise<FormData> {
  // undici's Response already implements a spec-compliant multipart parser.
  return new Response(raw, {
    headers: { 'content-type': req.headers['content-type'] ?? '' },
  }).formData();
}

function decodeJsonFields(args: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(args)) {
    if (JSON_FIELDS.has(key) && typeof value === 'string') {
      try {
        args[key] = JSON.parse(value);
      } catch {
        // Left as the string; the method's validation reports it like Slack would.
      }
    }
  }
  return args;
}

function mimeFor(filename: string): { mimetype: string; filetype: string; pretty_type: string } {
  const ext = filename.includes('.') ? (filename.split('.').pop() ?? '').toLowerCase() : '';
  const known: Record<string, [string, string]> = {
    csv: ['text/csv', 'CSV'],
    txt: ['text/plain', 'Plain Text'],
    json: ['application/json', 'JSON'],
    sql: ['text/plain', 'SQL'],
    png: ['image/png', 'PNG'],
    pdf: ['application/pdf', 'PDF'],
  };
  const hit = known[ext];
  return hit
    ? { mimetype: hit[0], filetype: ext, pretty_type: hit[1] }
    : { mimetype: 'application/octet-stream', filetype: 'binary', pretty_type: 'Binary' };
}

export async function startSlackEmulator(opts: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const botToken = opts.botToken ?? SLACK_DEFAULTS.botToken;
  const teamId = opts.teamId ?? SLACK_DEFAULTS.teamId;
  const teamDomain = opts.teamDomain ?? SLACK_DEFAULTS.teamDomain;
  const teamName = opts.teamName ?? SLACK_DEFAULTS.teamName;
  const botUserId = opts.botUserId ?? SLACK_DEFAULTS.botUserId;
  const botId = opts.botId ?? SLACK_DEFAULTS.botId;
  const botName = opts.botName ?? SLACK_DEFAULTS.botName;
  const appId = opts.appId ?? SLACK_DEFAULTS.appId;
  const responseUrlMaxPosts = opts.responseUrlMaxPosts ?? 5;

  const users = new Map<string, SlackUserSeed>();
  const channels = new Map<string, SlackChannelSeed>();

  // Everything below is per-instance state, cleared by reset().
  let calls: SlackCall[] = [];
  let messages: EmulatedMessage[] = [];
  let ephemerals: EmulatedEphemeral[] = [];
  let uploads = new Map<string, UploadRecord>();
  let uploadTokens = new Map<string, string>();
  let views = new Map<string, ViewRecord>();
  let stacks = new Map<string, string[]>();
  let activeRoot: string | undefined;
  let homeViews = new Map<string, string>();
  let usedTriggers = new Set<string>();
  let responseUrls = new Map<string, number>();
  let responses: ResponsePost[] = [];
  let rateLimits = new Map<string, { retryAfterSec: number; remaining: number }>();
  let failures = new Map<string, { error: string; remaining: number }>();
  let dms = new Map<string, string>();
  let counter = 0;
  let lastTsMicros = 0;
  const listeners = new Set<() => void>();

  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };
  const nextId = (prefix: string): string => {
    counter += 1;
    return `${prefix}0EMU${counter.toString(36).toUpperCase().padStart(6, '0')}`;
  };
  const nextTs = (): string => {
    // Slack ts values are unique per channel and ordered; microsecond ticks guarantee both here.
    lastTsMicros = Math.max(Date.now() * 1000, lastTsMicros + 1);
    return `${Math.floor(lastTsMicros / 1e6)}.${String(lastTsMicros % 1e6).padStart(6, '0')}`;
  };
  const viewHash = (): string =>
    `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`;

  let baseUrl = '';

  const dmChannel = (userId: string): string => {
    let id = dms.get(userId);
    if (id === undefined) {
      id = nextId('D');
      dms.set(userId, id);
    }
    return id;
  };

  type Resolved = { id: string; kind: 'channel' | 'im' | 'mpim'; seed?: SlackChannelSeed };
  /**
   * Conversation IDs always resolve; chat.postMessage alone also takes a `#name` or a user ID
   * (Slack then posts in the app's DM with that user).
   */
  const resolveChannel = (ref: string | undefined, loose = false): Resolved | undefined => {
    if (ref === undefined || ref === '') return undefined;
    const seed = channels.get(ref);
    if (seed) return { id: seed.id, kind: 'channel', seed };
    for (const [key, dm] of dms) {
      if (dm === ref) return { id: dm, kind: key.includes(',') ? 'mpim' : 'im' };
    }
    if (!loose) return undefined;
    const byName = [...channels.values()].find((c) => c.name === ref.replace(/^#/, ''));
    if (byName) return { id: byName.id, kind: 'channel', seed: byName };
    if (users.has(ref)) return { id: dmChannel(ref), kind: 'im' };
    return undefined;
  };

  const userObject = (u: SlackUserSeed, includeLocale: boolean): JsonObject => {
    const realName = u.real_name ?? u.name;
    const displayName = u.display_name ?? '';
    return {
      id: u.id,
      team_id: u.team_id ?? teamId,
      name: u.name,
      deleted: u.deleted ?? false,
      color: '9f69e7',
      real_name: realName,
      tz: u.tz ?? 'America/Los_Angeles',
      tz_label: u.tz_label ?? 'Pacific Standard Time',
      tz_offset: u.tz_offset ?? -28800,
      profile: {
        real_name: realName,
        real_name_normalized: realName,
        display_name: displayName,
        display_name_normalized: displayName,
        ...(u.email === undefined ? {} : { email: u.email }),
        team: u.team_id ?? teamId,
      },
      is_admin: u.is_admin ?? false,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: u.is_bot ?? false,
      is_app_user: false,
      updated: 1700000000,
      ...(includeLocale ? { locale: u.locale ?? 'en-US' } : {}),
    };
  };

  const channelObject = (r: Resolved): JsonObject => {
    if (r.kind !== 'channel' || !r.seed) {
      const user = [...dms].find(([, dm]) => dm === r.id)?.[0] ?? '';
      return r.kind === 'im'
        ? {
            id: r.id,
            created: 1700000000,
            is_im: true,
            is_org_shared: false,
            user,
            is_user_deleted: false,
            priority: 0,
          }
        : {
            id: r.id,
            name: `mpdm-${user}`,
            created: 1700000000,
            is_mpim: true,
            is_private: true,
            is_group: false,
          };
    }
    const c = r.seed;
    const isPrivate = c.is_private ?? false;
    return {
      id: c.id,
      name: c.name,
      name_normalized: c.name,
      is_channel: !isPrivate,
      is_group: false,
      is_im: false,
      is_mpim: false,
      is_private: isPrivate,
      is_archived: c.is_archived ?? false,
      is_general: false,
      is_shared: false,
      is_org_shared: false,
      is_ext_shared: false,
      is_member: c.is_member ?? true,
      created: 1700000000,
      creator: botUserId,
      context_team_id: teamId,
      topic: { value: c.topic ?? '', creator: '', last_set: 0 },
      purpose: { value: c.purpose ?? '', creator: '', last_set: 0 },
    };
  };

  const messageObject = (m: EmulatedMessage): JsonObject => ({
    type: 'message',
    user: m.user,
    bot_id: m.bot_id,
    app_id: appId,
    text: m.text,
    ts: m.ts,
    team: teamId,
    ...(m.thread_ts === undefined ? {} : { thread_ts: m.thread_ts }),
    ...(m.blocks === undefined ? {} : { blocks: m.blocks }),
    ...(m.attachments === undefined ? {} : { attachments: m.attachments }),
    ...(m.metadata === undefined ? {} : { metadata: m.metadata }),
    ...(m.files === undefined ? {} : { files: m.files, upload: true }),
    ...(m.edited === undefined ? {} : { edited: m.edited }),
    bot_profile: { id: botId, app_id: appId, name: botName, team_id: teamId, deleted: false },
  });

  /** Checks shared by chat.postMessage/postEphemeral/update: content present, within limits, blocks valid. */
  const checkContent = (args: JsonObject, requireContent: boolean): Reply | undefined => {
    const text = str(args.text);
    if (requireContent && !text && args.blocks === undefined && args.attachments === undefined)
      return fail('no_text');
    if (text !== undefined && text.length > 40000) return fail('msg_too_long');
    if (args.blocks !== undefined) {
      const errors = validateBlocks(args.blocks, 'message', '/blocks');
      if (errors.length) return fail('invalid_blocks', errors);
    }
    if (args.attachments !== undefined && !Array.isArray(args.attachments))
      return fail('invalid_attachments');
    return undefined;
  };

  /** Slack only accepts a trigger once and within its lifetime; also catches ids that are not triggers at all. */
  const consumeTrigger = (triggerId: string | undefined): Reply | undefined => {
    if (!triggerId) return missing('trigger_id');
    const parts = TRIGGER_ID_FORMAT.exec(triggerId);
    if (!parts) return fail('invalid_trigger_id');
    if (usedTriggers.has(triggerId)) return fail('exchanged_trigger_id');
    if (opts.triggerTtlMs !== undefined && Date.now() - Number(parts[1]) > opts.triggerTtlMs)
      return fail('expired_trigger_id');
    usedTriggers.add(triggerId);
    return undefined;
  };

  const withBlockIds = (blocks: unknown): unknown =>
    Array.isArray(blocks)
      ? blocks.map((b) =>
          // Slack assigns a random block_id when the app gives none; state.values is keyed by it.
          isObject(b) && b.block_id === undefined
            ? { ...b, block_id: randomBytes(3).toString('base64url') }
            : b,
        )
      : blocks;

  const renderView = (
    input: JsonObject,
    id: string,
    rootViewId: string,
    previousViewId: string | null,
  ): JsonObject => ({
    id,
    team_id: teamId,
    type: input.type,
    title: input.title ?? null,
    close: input.close ?? null,
    submit: input.submit ?? null,
    blocks: withBlockIds(input.blocks ?? []),
    private_metadata: str(input.private_metadata) ?? '',
    callback_id: str(input.callback_id) ?? '',
    external_id: str(input.external_id) ?? '',
    state: { values: {} },
    hash: viewHash(),
    clear_on_close: truthy(input.clear_on_close),
    notify_on_close: truthy(input.notify_on_close),
    root_view_id: rootViewId,
    previous_view_id: previousViewId,
    app_id: appId,
    app_installed_team_id: teamId,
    bot_id: botId,
  });

  const storeView = (record: ViewRecord): void => {
    views.set(record.id, record);
  };

  const findView = (args: JsonObject): ViewRecord | undefined => {
    const viewId = str(args.view_id);
    const externalId = str(args.external_id);
    if (viewId) return views.get(viewId);
    return [...views.values()].find(
      (v) => v.externalId !== undefined && v.externalId === externalId,
    );
  };

  const externalIdTaken = (view: JsonObject, except?: string): boolean => {
    const ext = str(view.external_id);
    return !!ext && [...views.values()].some((v) => v.externalId === ext && v.id !== except);
  };

  const methods: Record<string, (args: JsonObject) => Reply> = {
    'api.test': (args) => ok({ args }),

    'auth.test': () =>
      ok({
        url: `https://${teamDomain}.slack.com/`,
        team: teamName,
        user: botName,
        team_id: teamId,
        user_id: botUserId,
        bot_id: botId,
        is_enterprise_install: false,
      }),

    'chat.postMessage': (args) => {
      const target = resolveChannel(str(args.channel), true);
      if (!target) return fail('channel_not_found');
      if (target.seed && target.seed.is_member === false) return fail('not_in_channel');
      if (target.seed?.is_archived) return fail('is_archived');
      const bad = checkContent(args, true);
      if (bad) return bad;
      const threadTs = str(args.thread_ts);
      const m: EmulatedMessage = {
        channel: target.id,
        ts: nextTs(),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        text: str(args.text) ?? '',
        ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
        ...(Array.isArray(args.attachments) ? { attachments: args.attachments } : {}),
        ...(args.metadata === undefined ? {} : { metadata: args.metadata }),
        user: botUserId,
        bot_id: botId,
        via: 'chat.postMessage',
        deleted: false,
        history: [],
      };
      m.history.push(messageObject(m));
      messages.push(m);
      return ok({ channel: m.channel, ts: m.ts, message: messageObject(m) });
    },

    'chat.postEphemeral': (args) => {
      const target = resolveChannel(str(args.channel));
      if (!target) return fail('channel_not_found');
      const user = str(args.user);
      if (!user) return missing('user');
      if (!users.has(user)) return fail('user_not_found');
      if (target.seed && target.seed.is_member === false) return fail('not_in_channel');
      const bad = checkContent(args, true);
      if (bad) return bad;
      const threadTs = str(args.thread_ts);
      const e: EmulatedEphemeral = {
        channel: target.id,
        user,
        message_ts: nextTs(),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        text: str(args.text) ?? '',
        ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
        ...(Array.isArray(args.attachments) ? { attachments: args.attachments } : {}),
      };
      ephemerals.push(e);
      return ok({ message_ts: e.message_ts });
    },

    'chat.update': (args) => {
      const channel = str(args.channel);
      if (!channel) return fail('channel_not_found');
      const ts = str(args.ts);
      if (!ts) return missing('ts');
      const target = resolveChannel(channel);
      if (!target) return fail('channel_not_found');
      const m = messages.find((x) => x.channel === target.id && x.ts === ts && !x.deleted);
      if (!m) return fail('message_not_found');
      const bad = checkContent(args, false);
      if (bad) return bad;
      // Slack keeps the previous blocks/attachments when the update omits them; [] clears them.
      if (args.text !== undefined) m.text = str(args.text) ?? '';
      if (Array.isArray(args.blocks)) m.blocks = args.blocks;
      if (Array.isArray(args.attachments)) m.attachments = args.attachments;
      if (args.metadata !== undefined) m.metadata = args.metadata;
      m.edited = { user: botUserId, ts: nextTs() };
      m.history.push(messageObject(m));
      return ok({ channel: m.channel, ts: m.ts, text: m.text, message: messageObject(m) });
    },

    'chat.delete': (args) => {
      const target = resolveChannel(str(args.channel));
      if (!target) return fail('channel_not_found');
      const ts = str(args.ts);
      if (!ts) return missing('ts');
      const m = messages.find((x) => x.channel === target.id && x.ts === ts && !x.deleted);
      if (!m) return fail('message_not_found');
      m.deleted = true;
      return ok({ channel: m.channel, ts: m.ts });
    },

    // Unfurls a link in a posted message (channel + ts) or in the composer (unfurl_id + source).
    'chat.unfurl': (args) => {
      const unfurls = args.unfurls;
      const channel = str(args.channel);
      const ts = str(args.ts);
      const unfurlId = str(args.unfurl_id);
      const source = str(args.source);
      if (!(channel && ts) && !(unfurlId && source)) return missing('channel', 'ts');
      if (unfurls === undefined) return missing('unfurls');
      if (!isObject(unfurls) || !Object.values(unfurls).every(isObject))
        return fail('invalid_unfurls', ['[ERROR] unfurls must be a JSON object keyed by URL']);
      if (channel && !resolveChannel(channel)) return fail('channel_not_found');
      if (source && source !== 'composer' && source !== 'conversations_history')
        return fail('invalid_source');
      return ok();
    },

    'chat.getPermalink': (args) => {
      const channel = str(args.channel);
      const ts = str(args.message_ts);
      if (!channel || !ts)
        return missing(...(!channel ? ['channel'] : []), ...(!ts ? ['message_ts'] : []));
      const target = resolveChannel(channel);
      if (!target) return fail('channel_not_found');
      if (!messages.some((m) => m.channel === target.id && m.ts === ts))
        return fail('message_not_found');
      return ok({
        channel: target.id,
        permalink: `https://${teamDomain}.slack.com/archives/${target.id}/p${ts.replace('.', '')}`,
      });
    },

    'views.open': (args) => {
      const errors = validateView(args.view, ['modal']);
      if (errors.length) return fail('invalid_arguments', errors);
      const bad = consumeTrigger(str(args.trigger_id ?? args.interactivity_pointer));
      if (bad) return bad;
      const view = args.view as JsonObject;
      if (externalIdTaken(view)) return fail('duplicate_external_id');
      const id = nextId('V');
      const rendered = renderView(view, id, id, null);
      storeView({
        id,
        type: 'modal',
        rootViewId: id,
        ...(str(view.external_id) ? { externalId: str(view.external_id) } : {}),
        current: rendered,
        history: [rendered],
        closed: false,
      });
      stacks.set(id, [id]);
      activeRoot = id;
      return ok({ view: rendered });
    },

    'views.push': (args) => {
      const errors = validateView(args.view, ['modal']);
      if (errors.length) return fail('invalid_arguments', errors);
      const bad = consumeTrigger(str(args.trigger_id ?? args.interactivity_pointer));
      if (bad) return bad;
      // A trigger from inside a modal pushes onto that modal's stack; the emulator cannot see
      // which modal the click came from, so it uses the most recently opened or updated one.
      const stack = activeRoot === undefined ? undefined : stacks.get(activeRoot);
      if (!stack || activeRoot === undefined) return fail('not_found');
      if (stack.length >= 3) return fail('push_limit_reached');
      const view = args.view as JsonObject;
      if (externalIdTaken(view)) return fail('duplicate_external_id');
      const id = nextId('V');
      const rendered = renderView(view, id, activeRoot, stack[stack.length - 1] ?? null);
      storeView({
        id,
        type: 'modal',
        rootViewId: activeRoot,
        ...(str(view.external_id) ? { externalId: str(view.external_id) } : {}),
        current: rendered,
        history: [rendered],
        closed: false,
      });
      stack.push(id);
      return ok({ view: rendered });
    },

    'views.update': (args) => {
      if (!str(args.view_id) && !str(args.external_id)) return missing('view_id');
      const record = findView(args);
      if (!record || record.closed) return fail('not_found');
      const errors = validateView(args.view, [record.type]);
      if (errors.length) return fail('invalid_arguments', errors);
      const hash = str(args.hash);
      if (hash && hash !== record.current.hash) return fail('hash_conflict');
      const view = args.view as JsonObject;
      if (externalIdTaken(view, record.id)) return fail('duplicate_external_id');
      const rendered = renderView(
        view,
        record.id,
        record.rootViewId,
        (record.current.previous_view_id as string | null | undefined) ?? null,
      );
      record.current = rendered;
      record.history.push(rendered);
      if (str(view.external_id)) record.externalId = str(view.external_id);
      if (record.type === 'modal') activeRoot = record.rootViewId;
      return ok({ view: rendered });
    },

    'views.publish': (args) => {
      const userId = str(args.user_id);
      if (!userId) return missing('user_id');
      if (!users.has(userId)) return fail('user_not_found');
      const errors = validateView(args.view, ['home']);
      if (errors.length) return fail('invalid_arguments', errors);
      const existingId = homeViews.get(userId);
      const existing = existingId === undefined ? undefined : views.get(existingId);
      const hash = str(args.hash);
      if (hash && existing && hash !== existing.current.hash) return fail('hash_conflict');
      const id = existing?.id ?? nextId('V');
      const rendered = renderView(args.view as JsonObject, id, id, null);
      if (existing) {
        existing.current = rendered;
        existing.history.push(rendered);
      } else {
        storeView({
          id,
          type: 'home',
          rootViewId: id,
          userId,
          current: rendered,
          history: [rendered],
          closed: false,
        });
        homeViews.set(userId, id);
      }
      return ok({ view: rendered });
    },

    'files.getUploadURLExternal': (args) => {
      const filename = str(args.filename);
      const lengthArg = str(args.length);
      if (!filename || lengthArg === undefined) {
        return missing(
          ...(!filename ? ['filename'] : []),
          ...(lengthArg === undefined ? ['length'] : []),
        );
      }
      const length = Number(lengthArg);
      if (!Number.isInteger(length) || length < 0)
        return fail('invalid_arguments', ['[ERROR] length must be an integer']);
      if (length === 0) return fail('missing_argument');
      const id = nextId('F');
      const token = randomBytes(12).toString('base64url');
      const uploadUrl = `${baseUrl}/upload/v1/${token}`;
      uploadTokens.set(token, id);
      const altText = str(args.alt_txt ?? args.alt_text);
      const snippetType = str(args.snippet_type);
      uploads.set(id, {
        id,
        filename,
        length,
        ...(altText === undefined ? {} : { alt_text: altText }),
        ...(snippetType === undefined ? {} : { snippet_type: snippetType }),
        uploadUrl,
        bytes: undefined,
      });
      return ok({ upload_url: uploadUrl, file_id: id });
    },

    'files.completeUploadExternal': (args) => {
      const files = args.files;
      if (files === undefined) return missing('files');
      if (
        !Array.isArray(files) ||
        files.length === 0 ||
        !files.every((f) => isObject(f) && typeof f.id === 'string')
      )
        return fail('invalid_arguments', [
          '[ERROR] files must be a JSON array of {id, title?} [json-pointer:/files]',
        ]);
      const channelId = str(args.channel_id) ?? str(args.channels)?.split(',')[0];
      const target = channelId ? resolveChannel(channelId) : undefined;
      if (channelId && !target) return fail('invalid_channel');
      if (target?.seed && target.seed.is_member === false) return fail('not_in_channel');
      const records: UploadRecord[] = [];
      for (const f of files as JsonObject[]) {
        const record = uploads.get(f.id as string);
        // Slack cannot find a file whose bytes never reached the upload URL.
        if (!record || record.bytes === undefined) return fail('file_not_found');
        if (record.bytes.length !== record.length) {
          return fail('invalid_arguments', [
            `[ERROR] file ${record.id}: uploaded ${record.bytes.length} bytes but files.getUploadURLExternal declared length ${record.length}`,
          ]);
        }
        records.push(record);
      }
      const threadTs = str(args.thread_ts);
      const initialComment = str(args.initial_comment);
      const now = Date.now();
      const titled = records.map((record, i) => {
        const title = str((files[i] as JsonObject).title) ?? record.filename;
        return { record, title };
      });
      let messageTs: string | undefined;
      if (target) {
        const m: EmulatedMessage = {
          channel: target.id,
          ts: nextTs(),
          ...(threadTs ? { thread_ts: threadTs } : {}),
          text: initialComment ?? '',
          // Slack takes blocks for the share message, and ignores them when initial_comment is set.
          ...(initialComment === undefined && Array.isArray(args.blocks)
            ? { blocks: args.blocks as unknown[] }
            : {}),
          files: titled.map(({ record, title }) => ({
            id: record.id,
            name: record.filename,
            title,
          })),
          user: botUserId,
          bot_id: botId,
          via: 'files.completeUploadExternal',
          deleted: false,
          history: [],
        };
        m.history.push(messageObject(m));
        messages.push(m);
        messageTs = m.ts;
      }
      for (const { record, title } of titled) {
        record.completed = {
          ...(target ? { channel_id: target.id } : {}),
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...(initialComment === undefined ? {} : { initial_comment: initialComment }),
          title,
          ...(messageTs === undefined ? {} : { message_ts: messageTs }),
          at: now,
        };
      }
      return ok({
        files: titled.map(({ record, title }) => ({
          id: record.id,
          created: Math.floor(now / 1000),
          timestamp: Math.floor(now / 1000),
          name: record.filename,
          title,
          ...mimeFor(record.filename),
          user: botUserId,
          user_team: teamId,
          size: record.bytes?.length ?? 0,
          mode: 'hosted',
          is_external: false,
          is_public: target?.seed ? !(target.seed.is_private ?? false) : false,
          url_private: `${baseUrl}/files-pri/${record.id}/${encodeURIComponent(record.filename)}`,
          url_private_download: `${baseUrl}/files-pri/${record.id}/download/${encodeURIComponent(record.filename)}`,
          permalink: `https://${teamDomain}.slack.com/files/${botUserId}/${record.id}/${encodeURIComponent(record.filename)}`,
          channels: target?.kind === 'channel' ? [target.id] : [],
          ims: target?.kind === 'im' ? [target.id] : [],
          groups: [],
        })),
      });
    },

    'users.info': (args) => {
      const id = str(args.user);
      if (!id) return missing('user');
      const user = users.get(id);
      if (!user) return fail('user_not_found');
      return ok({ user: userObject(user, truthy(args.include_locale)) });
    },

    'conversations.info': (args) => {
      const target = resolveChannel(str(args.channel));
      return target ? ok({ channel: channelObject(target) }) : fail('channel_not_found');
    },

    'conversations.open': (args) => {
      const channel = str(args.channel);
      if (channel) {
        const target = resolveChannel(channel);
        return target ? ok({ channel: channelObject(target) }) : fail('channel_not_found');
      }
      const list = (str(args.users) ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean);
      if (list.length === 0) return fail('users_list_not_supplied');
      if (list.length > 8) return fail('too_many_users');
      if (list.some((u) => !users.has(u))) return fail('user_not_found');
      const key = list.length === 1 ? (list[0] as string) : [...list].sort().join(',');
      const already = dms.has(key);
      const id = already
        ? (dms.get(key) as string)
        : list.length === 1
          ? dmChannel(key)
          : nextId('G');
      dms.set(key, id);
      const full = truthy(args.return_im);
      const channelBody = full
        ? channelObject({ id, kind: list.length === 1 ? 'im' : 'mpim' })
        : { id };
      return ok({ ...(already ? { no_op: true, already_open: true } : {}), channel: channelBody });
    },
  };

  const record = (call: SlackCall): void => {
    calls.push(call);
    notify();
  };

  const send = (res: ServerResponse, reply: Reply): void => {
    res.writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      ...reply.headers,
    });
    res.end(JSON.stringify(reply.body));
  };

  const handleApi = async (
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
  ): Promise<void> => {
    const raw = await readBody(req);
    const type = mediaType(req);
    const args: JsonObject = Object.fromEntries(url.searchParams);
    let bodyToken: string | undefined;
    let parseError: string | undefined;
    if (raw.length > 0) {
      if (type === 'application/json') {
        try {
          const parsed: unknown = JSON.parse(raw.toString('utf8'));
          if (isObject(parsed)) Object.assign(args, parsed);
          else parseError = 'invalid_json';
        } catch {
          parseError = 'invalid_json';
        }
      } else if (type === 'multipart/form-data') {
        try {
          for (const [key, value] of await parseMultipart(req, raw)) {
            args[key] =
              typeof value === 'string'
                ? value
                : {
                    filename: value.name,
                    contentType: value.type,
                    bytes: Buffer.from(await value.arrayBuffer()),
                  };
          }
        } catch {
          parseError = 'invalid_form_data';
        }
      } else if (
        type === 'application/x-www-form-urlencoded' ||
        type === '' ||
        type === 'text/plain'
      ) {
        for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) args[key] = value;
      } else {
        parseError = 'invalid_post_type';
      }
      // Slack only honours a body token for form posts; JSON posts must use the header.
      if (type !== 'application/json') bodyToken = str(args.token);
    }
    decodeJsonFields(args);
    const header = req.headers.authorization;
    const headerToken = header?.startsWith('Bearer ')
      ? header.slice('Bearer '.length).trim()
      : undefined;
    const token = headerToken || bodyToken || str(url.searchParams.get('token') ?? undefined);
    // Tokens are credentials; tests assert on `token`, not on a copy left in args.
    delete args.token;

    let reply: Reply;
    const limit = rateLimits.get(method);
    const injected = failures.get(method);
    const handler = methods[method];
    if (limit && limit.remaining > 0) {
      limit.remaining -= 1;
      reply = {
        status: 429,
        body: { ok: false, error: 'ratelimited' },
        headers: { 'retry-after': String(limit.retryAfterSec) },
      };
    } else if (parseError) {
      reply = fail(parseError);
    } else if (!handler) {
      reply = fail('unknown_method');
    } else if (!token) {
      reply = fail('not_authed');
    } else if (token !== botToken) {
      reply = fail('invalid_auth');
    } else if (injected && injected.remaining > 0) {
      injected.remaining -= 1;
      reply = fail(injected.error);
    } else {
      reply = handler(args);
    }
    // Recorded before answering so a test that awaited the client call always sees it.
    record({ method, args, token, at: Date.now(), status: reply.status, response: reply.body });
    send(res, reply);
  };

  const handleUpload = async (
    req: IncomingMessage,
    res: ServerResponse,
    token: string,
  ): Promise<void> => {
    const raw = await readBody(req);
    const fileId = uploadTokens.get(token);
    const upload = fileId === undefined ? undefined : uploads.get(fileId);
    if (!upload) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    let bytes = raw;
    let contentType = req.headers['content-type'];
    if (mediaType(req) === 'multipart/form-data') {
      // WebClient's filesUploadV2 sends the bytes as a multipart part named `body`; curl-style
      // clients use `file` or `filename`. Any file part will do.
      const form = await parseMultipart(req, raw);
      const part = [...form.values()].find((v): v is File => typeof v !== 'string');
      if (part) {
        bytes = Buffer.from(await part.arrayBuffer());
        contentType = part.type;
      }
    }
    upload.bytes = bytes;
    if (contentType !== undefined) upload.contentType = contentType;
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`OK - ${bytes.length}`);
    notify();
  };

  const handleResponseUrl = async (
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
  ): Promise<void> => {
    const raw = await readBody(req);
    const url = `${baseUrl}/response/${id}`;
    const used = responseUrls.get(id);
    const answer = (status: number, text: string, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(text);
      responses.push({ id, url, body, at: Date.now(), status });
      notify();
    };
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      body = raw.toString('utf8');
    }
    if (used === undefined) return answer(404, 'expired_url', body);
    if (used >= responseUrlMaxPosts) return answer(404, 'used_url', body);
    if (!isObject(body)) return answer(400, 'invalid_payload', body);
    const blocksError =
      body.blocks === undefined ? [] : validateBlocks(body.blocks, 'message', '/blocks');
    if (
      !str(body.text) &&
      body.blocks === undefined &&
      body.attachments === undefined &&
      !truthy(body.delete_original)
    )
      return answer(400, 'no_text', body);
    if (blocksError.length) return answer(400, 'invalid_blocks', body);
    responseUrls.set(id, used + 1);
    answer(200, 'ok', body);
  };

  const handlePrivateFile = (res: ServerResponse, req: IncomingMessage, id: string): void => {
    const upload = uploads.get(id);
    if (req.headers.authorization !== `Bearer ${botToken}`) {
      res.writeHead(302, { location: `https://${teamDomain}.slack.com/?redir=/files-pri/${id}` });
      res.end();
      return;
    }
    if (!upload?.bytes || !upload.completed) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, {
      'content-type': mimeFor(upload.filename).mimetype,
      'content-length': upload.bytes.length,
    });
    res.end(upload.bytes);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const route = async (): Promise<void> => {
      let match = /^\/api\/([A-Za-z0-9_.]+)$/.exec(path);
      if (match?.[1] && (req.method === 'POST' || req.method === 'GET'))
        return handleApi(req, res, match[1], url);
      match = /^\/upload\/v1\/([A-Za-z0-9_-]+)$/.exec(path);
      if (match?.[1] && req.method === 'POST') return handleUpload(req, res, match[1]);
      match = /^\/response\/([A-Za-z0-9_-]+)$/.exec(path);
      if (match?.[1] && req.method === 'POST') return handleResponseUrl(req, res, match[1]);
      match = /^\/files-pri\/([A-Z0-9]+)\//.exec(path);
      if (match?.[1] && req.method === 'GET') return handlePrivateFile(res, req, match[1]);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    };
    route().catch((error: unknown) => {
      // A bug in the emulator must surface in the test, not hang the app's request.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  if (opts.seedDefaults !== false) {
    users.set(SLACK_DEFAULTS.userId, {
      id: SLACK_DEFAULTS.userId,
      name: SLACK_DEFAULTS.userName,
      real_name: SLACK_DEFAULTS.userRealName,
      display_name: SLACK_DEFAULTS.userName,
      tz: SLACK_DEFAULTS.userTz,
      tz_label: SLACK_DEFAULTS.userTzLabel,
      tz_offset: SLACK_DEFAULTS.userTzOffset,
      email: `${SLACK_DEFAULTS.userName}@example.com`,
    });
    channels.set(SLACK_DEFAULTS.channelId, {
      id: SLACK_DEFAULTS.channelId,
      name: SLACK_DEFAULTS.channelName,
    });
  }
  for (const u of opts.users ?? []) users.set(u.id, u);
  for (const c of opts.channels ?? []) channels.set(c.id, c);

  const waitUntil = <T>(
    probe: () => T | undefined | null | false,
    waitOpts: WaitOptions = {},
  ): Promise<T> => {
    const timeoutMs = waitOpts.timeoutMs ?? 5000;
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        let value: T | undefined | null | false;
        try {
          value = probe();
        } catch (error) {
          cleanup();
          reject(error);
          return true;
        }
        if (value === undefined || value === null || value === false) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = calls.map(
          (c) => `${c.method}${c.response.ok === false ? `(${String(c.response.error)})` : ''}`,
        );
        reject(
          new Error(
            `waitUntil timed out after ${timeoutMs} ms; Slack calls so far: [${seen.join(', ')}]`,
          ),
        );
      }, timeoutMs);
      // State can also change outside the emulator (the probe may read app state), so poll too.
      const poll = setInterval(check, 20);
      const listener = (): void => {
        check();
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        clearInterval(poll);
        listeners.delete(listener);
      };
      listeners.add(listener);
      check();
    });
  };

  function waitFor(
    target: string | ((call: SlackCall) => boolean),
    waitOpts: WaitForOptions = {},
  ): Promise<SlackCall[]> {
    const count = waitOpts.count ?? 1;
    const matches = (c: SlackCall): boolean =>
      typeof target === 'string' ? c.method === target && (waitOpts.where?.(c) ?? true) : target(c);
    const label = typeof target === 'string' ? target : 'predicate';
    return waitUntil(() => {
      const found = calls.filter(matches);
      return found.length >= count ? found : undefined;
    }, waitOpts).catch((error: unknown) => {
      throw new Error(
        `waitFor(${label}, count ${count}): ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    botToken,
    teamId,
    teamDomain,
    botUserId,
    botId,
    appId,
    get calls() {
      return calls;
    },
    get uploads() {
      return uploads;
    },
    get views() {
      return views;
    },
    get responses() {
      return responses;
    },
    get ephemerals() {
      return ephemerals;
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
    messages: (channel) =>
      messages.filter((m) => !m.deleted && (channel === undefined || m.channel === channel)),
    message: (channel, ts) => messages.find((m) => m.channel === channel && m.ts === ts),
    thread: (channel, ts) =>
      messages.filter(
        (m) => !m.deleted && m.channel === channel && m.thread_ts === ts && m.ts !== ts,
      ),
    viewStack: (rootViewId) => [...(stacks.get(rootViewId ?? activeRoot ?? '') ?? [])],
    closeViews: (rootViewId) => {
      const root = rootViewId ?? activeRoot;
      if (root === undefined) return;
      for (const id of stacks.get(root) ?? []) {
        const v = views.get(id);
        if (v) v.closed = true;
      }
      stacks.delete(root);
      if (activeRoot === root) activeRoot = [...stacks.keys()].pop();
    },
    dmChannel,
    addUser: (user) => {
      users.set(user.id, user);
    },
    addChannel: (channel) => {
      channels.set(channel.id, channel);
    },
    triggerId: () => `${Date.now()}.${counter++}.${randomBytes(8).toString('hex')}`,
    responseUrl: () => {
      const id = randomBytes(9).toString('base64url');
      responseUrls.set(id, 0);
      return `${baseUrl}/response/${id}`;
    },
    responsesTo: (url) => responses.filter((r) => r.url === url),
    rateLimit: (method, limitOpts = {}) => {
      rateLimits.set(method, {
        retryAfterSec: limitOpts.retryAfterSec ?? 1,
        remaining: limitOpts.times ?? 1,
      });
    },
    failNext: (method, error, failOpts = {}) => {
      failures.set(method, { error, remaining: failOpts.times ?? 1 });
    },
    waitFor,
    waitUntil,
    reset: () => {
      calls = [];
      messages = [];
      ephemerals = [];
      uploads = new Map();
      uploadTokens = new Map();
      views = new Map();
      stacks = new Map();
      activeRoot = undefined;
      homeViews = new Map();
      usedTriggers = new Set();
      responseUrls = new Map();
      responses = [];
      rateLimits = new Map();
      failures = new Map();
      dms = new Map();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from WebClient/fetch would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

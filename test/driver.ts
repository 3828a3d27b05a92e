/**
 * Plays Slack's side of the Events API / interactivity / slash-command traffic: builds payloads
 * shaped like the ones Slack sends, signs them with the app's signing secret and POSTs them to the
 * app. What comes back is the app's ack.
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
  type BlockAction,
  type BlockElementAction,
  type BlockSuggestion,
  type EnvelopedEvent,
  type GlobalShortcut,
  type Logger,
  LogLevel,
  type MessageShortcut,
  type SlashCommand,
  type ViewClosedAction,
  type ViewOutput,
  type ViewResponseUrl,
  type ViewStateValue,
  type ViewSubmitAction,
} from '@slack/bolt';
import { SLACK_DEFAULTS } from './emulators/slack.ts';

export interface SlackTarget {
  /** The app's request URL, e.g. `http://127.0.0.1:PORT/slack/events`. */
  url: string;
  signingSecret: string;
}

/** Ways to send a request Slack would never send, for testing the app's verification. */
export interface RequestOptions {
  /** `X-Slack-Request-Timestamp` in seconds; defaults to now. */
  timestamp?: number;
  /** Send this `X-Slack-Signature` verbatim instead of the correct one. */
  signature?: string;
  /** Sign with a different secret (a well-formed but wrong signature). */
  wrongSecret?: boolean;
  omitTimestamp?: boolean;
  omitSignature?: boolean;
  /** Slack's redelivery headers for Events API retries. */
  retryNum?: number;
  retryReason?: string;
  headers?: Record<string, string>;
}

export interface AckResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the app answered JSON, otherwise the text ('' for an empty ack). */
  body: unknown;
  raw: string;
}

export interface SlackUserRef {
  id: string;
  username?: string;
  name?: string;
  team_id?: string;
}

export interface SlackTeamRef {
  id: string;
  domain?: string;
  enterprise_id?: string;
  enterprise_name?: string;
}

export interface SlackChannelRef {
  id: string;
  name?: string;
}

export interface SlackEnterpriseRef {
  id: string;
  name: string;
}

/** Fields every interactive payload shares; all default to the emulator's identities. */
export interface InteractionBase {
  user?: SlackUserRef;
  team?: SlackTeamRef;
  enterprise?: SlackEnterpriseRef;
  api_app_id?: string;
  /** Slack's (deprecated) verification token; Bolt ignores it but Slack still sends it. */
  token?: string;
}

export interface CapturedLog {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

/**
 * A Bolt/WebClient `Logger` that keeps what it is told instead of printing it, so expected
 * warnings (bad signatures, Slack errors) neither clutter test output nor go unchecked.
 */
export function captureLogger(): Logger & { entries: CapturedLog[] } {
  const entries: CapturedLog[] = [];
  let level = LogLevel.DEBUG;
  const log =
    (lvl: CapturedLog['level']) =>
    (...msg: unknown[]): void => {
      entries.push({
        level: lvl,
        message: msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' '),
      });
    };
  return {
    entries,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

export function computeSignature(
  signingSecret: string,
  timestamp: number,
  rawBody: string,
): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** A trigger id in Slack's `digits.digits.hex` shape; the first part is the issue time in ms. */
export function newTriggerId(): string {
  return `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(10).toString('hex')}`;
}

function actionTs(): string {
  const now = Date.now();
  return `${Math.floor(now / 1000)}.${String((now % 1000) * 1000 + (randomBytes(2).readUInt16BE() % 1000)).padStart(6, '0')}`;
}

/** POST a raw body with Slack's signature headers; every helper below ends here. */
export async function postSigned(
  target: SlackTarget,
  rawBody: string,
  contentType: 'application/x-www-form-urlencoded' | 'application/json',
  opts: RequestOptions = {},
): Promise<AckResponse> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const secret = opts.wrongSecret ? `${target.signingSecret}-wrong` : target.signingSecret;
  const headers: Record<string, string> = {
    // Exactly this value: Bolt's HTTPReceiver compares the content-type with === and would
    // JSON-parse a form body sent with a charset parameter.
    'content-type': contentType,
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (!opts.omitTimestamp) headers['x-slack-request-timestamp'] = String(timestamp);
  if (!opts.omitSignature)
    headers['x-slack-signature'] = opts.signature ?? computeSignature(secret, timestamp, rawBody);
  if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
  if (opts.retryReason !== undefined) headers['x-slack-retry-reason'] = opts.retryReason;
  Object.assign(headers, opts.headers);

  const res = await fetch(target.url, { method: 'POST', headers, body: rawBody });
  const raw = await res.text();
  const responseHeaders = Object.fromEntries(res.headers);
  let body: unknown = raw;
  if ((res.headers.get('content-type') ?? '').includes('json') && raw !== '') {
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
  }
  return { status: res.status, headers: responseHeaders, body, raw };
}

/** Interactive payloads travel as a single `payload` form field holding JSON. */
export function postInteraction(
  target: SlackTarget,
  payload: object,
  opts?: RequestOptions,
): Promise<AckResponse> {
  const raw = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postSigned(target, raw, 'application/x-www-form-urlencoded', opts);
}

function userOf(user: SlackUserRef | undefined, team: SlackTeamRef) {
  const id = user?.id ?? SLACK_DEFAULTS.userId;
  const username = user?.username ?? user?.name ?? SLACK_DEFAULTS.userName;
  return { id, username, name: user?.name ?? username, team_id: user?.team_id ?? team.id };
}

function teamOf(team: SlackTeamRef | undefined) {
  return {
    id: team?.id ?? SLACK_DEFAULTS.teamId,
    domain: team?.domain ?? SLACK_DEFAULTS.teamDomain,
    ...(team?.enterprise_id === undefined ? {} : { enterprise_id: team.enterprise_id }),
    ...(team?.enterprise_name === undefined ? {} : { enterprise_name: team.enterprise_name }),
  };
}

function enterpriseFields(enterprise: SlackEnterpriseRef | undefined) {
  return enterprise === undefined
    ? { is_enterprise_install: false }
    : { is_enterprise_install: false, enterprise };
}

// ---------------------------------------------------------------------------------------------
// Slash commands

export interface SlashCommandOptions {
  text?: string;
  command?: string;
  user_id?: string;
  user_name?: string;
  team_id?: string;
  team_domain?: string;
  channel_id?: string;
  channel_name?: string;
  trigger_id?: string;
  response_url?: string;
  api_app_id?: string;
  enterprise_id?: string;
  enterprise_name?: string;
  is_enterprise_install?: boolean;
  token?: string;
  /** Extra form fields, sent verbatim. */
  extra?: Record<string, string>;
}

export function buildSlashCommand(o: SlashCommandOptions = {}): SlashCommand {
  // Field order as Slack sends it, so the signed bytes look like the real thing.
  return {
    token: o.token ?? SLACK_DEFAULTS.verificationToken,
    team_id: o.team_id ?? SLACK_DEFAULTS.teamId,
    team_domain: o.team_domain ?? SLACK_DEFAULTS.teamDomain,
    ...(o.enterprise_id === undefined ? {} : { enterprise_id: o.enterprise_id }),
    ...(o.enterprise_name === undefined ? {} : { enterprise_name: o.enterprise_name }),
    channel_id: o.channel_id ?? SLACK_DEFAULTS.channelId,
    channel_name: o.channel_name ?? SLACK_DEFAULTS.channelName,
    user_id: o.user_id ?? SLACK_DEFAULTS.userId,
    user_name: o.user_name ?? SLACK_DEFAULTS.userName,
    command: o.command ?? '/alation',
    text: o.text ?? '',
    api_app_id: o.api_app_id ?? SLACK_DEFAULTS.appId,
    is_enterprise_install: String(o.is_enterprise_install ?? false),
    response_url:
      o.response_url ??
      'https://hooks.slack.com/commands/T0EMU00001/0000000000/no-response-url-given',
    trigger_id: o.trigger_id ?? newTriggerId(),
    ...o.extra,
  };
}

/** Send `/alation <text>` (form-encoded, like Slack). Pass `response_url: emu.responseUrl()` to capture respond(). */
export function slashCommand(
  target: SlackTarget,
  o: SlashCommandOptions = {},
  req?: RequestOptions,
): Promise<AckResponse> {
  const fields = buildSlashCommand(o);
  const raw = new URLSearchParams(
    Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === 'string'),
  ).toString();
  return postSigned(target, raw, 'application/x-www-form-urlencoded', req);
}

// ---------------------------------------------------------------------------------------------
// Views (modals / home tabs) as Slack echoes them back in interaction payloads

export interface ViewInput {
  id?: string;
  callback_id?: string;
  private_metadata?: string;
  type?: string;
  title?: string | { type: 'plain_text'; text: string; emoji?: boolean };
  blocks?: ViewOutput['blocks'];
  /** Either Slack's full shape or a shorthand: a string becomes a plain_text_input value. */
  state?: { values: StateValuesInput };
  hash?: string;
  root_view_id?: string | null;
  previous_view_id?: string | null;
  external_id?: string;
  team_id?: string;
  app_id?: string;
  bot_id?: string;
  /** Any other ViewOutput fields (e.g. a view object taken from the emulator) pass through. */
  [key: string]: unknown;
}

export type StateValuesInput = Record<string, Record<string, ViewStateValue | string>>;

/** `{block: {action: 'text'}}` → Slack's `state.values` with plain_text_input entries. */
export function stateValues(values: StateValuesInput): ViewOutput['state']['values'] {
  const out: ViewOutput['state']['values'] = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const block: Record<string, ViewStateValue> = {};
    for (const [actionId, value] of Object.entries(actions)) {
      block[actionId] = typeof value === 'string' ? { type: 'plain_text_input', value } : value;
    }
    out[blockId] = block;
  }
  return out;
}

export function buildView(v: ViewInput = {}): ViewOutput {
  const id = v.id ?? `V0DRV${randomBytes(3).toString('hex').toUpperCase()}`;
  const title =
    typeof v.title === 'string' || v.title === undefined
      ? { type: 'plain_text' as const, text: v.title ?? 'Alation', emoji: true }
      : v.title;
  const { state, title: _title, ...rest } = v;
  return {
    type: 'modal',
    team_id: SLACK_DEFAULTS.teamId,
    app_id: SLACK_DEFAULTS.appId,
    app_installed_team_id: SLACK_DEFAULTS.teamId,
    bot_id: SLACK_DEFAULTS.botId,
    close: null,
    submit: null,
    blocks: [],
    callback_id: '',
    private_metadata: '',
    external_id: '',
    hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
    clear_on_close: false,
    notify_on_close: false,
    root_view_id: id,
    previous_view_id: null,
    ...rest,
    id,
    title,
    state: { values: stateValues(state?.values ?? {}) },
  } as ViewOutput;
}

// ---------------------------------------------------------------------------------------------
// Block actions

export interface ActionInput {
  action_id: string;
  block_id?: string;
  type?: BlockElementAction['type'];
  value?: string;
  text?: string;
  action_ts?: string;
  /** Type-specific fields (selected_option, selected_date, ...), passed through. */
  [key: string]: unknown;
}

export interface BlockActionOptions extends InteractionBase {
  actions: ActionInput[];
  /** Where the clicked element lives: a message in a channel (default) or a view. */
  channel?: SlackChannelRef;
  message?: {
    ts: string;
    text?: string;
    blocks?: unknown[];
    thread_ts?: string;
    user?: string;
    [key: string]: unknown;
  };
  view?: ViewInput;
  state?: { values: StateValuesInput };
  trigger_id?: string;
  /** Omitted for actions inside views, as Slack does; defaults to a dummy URL for message actions. */
  response_url?: string;
  container?: Record<string, unknown>;
  is_ephemeral?: boolean;
}

export function buildBlockAction(o: BlockActionOptions): BlockAction {
  const team = teamOf(o.team);
  const user = userOf(o.user, team);
  const inView = o.view !== undefined;
  const view = inView ? buildView(o.view) : undefined;
  const channel = o.channel
    ? { id: o.channel.id, name: o.channel.name ?? SLACK_DEFAULTS.channelName }
    : inView
      ? undefined
      : { id: SLACK_DEFAULTS.channelId, name: SLACK_DEFAULTS.channelName };
  const messageTs = o.message?.ts ?? actionTs();
  const message = inView
    ? undefined
    : {
        type: 'message' as const,
        user: SLACK_DEFAULTS.botUserId,
        bot_id: SLACK_DEFAULTS.botId,
        app_id: SLACK_DEFAULTS.appId,
        team: team.id,
        text: '',
        ...o.message,
        ts: messageTs,
      };
  const container =
    o.container ??
    (view
      ? { type: 'view', view_id: view.id }
      : {
          type: 'message',
          message_ts: messageTs,
          channel_id: channel?.id,
          is_ephemeral: o.is_ephemeral ?? false,
          ...(o.message?.thread_ts === undefined ? {} : { thread_ts: o.message.thread_ts }),
        });
  const responseUrl =
    o.response_url ??
    (inView && !o.channel
      ? undefined
      : 'https://hooks.slack.com/actions/T0EMU00001/0000000000/no-response-url-given');
  const actions = o.actions.map((a, i) => {
    const { text, ...rest } = a;
    const type = a.type ?? 'button';
    return {
      block_id: a.block_id ?? `blk${i}`,
      ...(type === 'button'
        ? { text: { type: 'plain_text', text: text ?? a.action_id, emoji: true } }
        : {}),
      action_ts: a.action_ts ?? actionTs(),
      ...rest,
      type,
    };
  }) as BlockElementAction[];
  return {
    type: 'block_actions',
    user,
    api_app_id: o.api_app_id ?? SLACK_DEFAULTS.appId,
    token: o.token ?? SLACK_DEFAULTS.verificationToken,
    container,
    trigger_id: o.trigger_id ?? newTriggerId(),
    team,
    ...enterpriseFields(o.enterprise),
    ...(channel ? { channel } : {}),
    ...(message ? { message } : {}),
    ...(view ? { view } : {}),
    state: { values: o.state ? stateValues(o.state.values) : (view?.state.values ?? {}) },
    ...(responseUrl === undefined ? {} : { response_url: responseUrl }),
    actions,
  } as BlockAction;
}

/** A click (or select) on an interactive element in a message, or in a view when `view` is given. */
export function blockAction(
  target: SlackTarget,
  o: BlockActionOptions,
  req?: RequestOptions,
): Promise<AckResponse> {
  return postInteraction(target, buildBlockAction(o), req);
}

// ---------------------------------------------------------------------------------------------
// View submission / close

export interface ViewSubmissionOptions extends InteractionBase {
  view: ViewInput;
  trigger_id?: string;
  /** Only present when the modal has `response_url_enabled` inputs. */
  response_urls?: ViewResponseUrl[];
}

export function buildViewSubmission(o: ViewSubmissionOptions): ViewSubmitAction {
  const team = teamOf(o.team);
  return {
    type: 'view_submission',
    team,
    user: userOf(o.user, team),
    api_app_id: o.api_app_id ?? SLACK_DEFAULTS.appId,
    token: o.token ?? SLACK_DEFAULTS.verificationToken,
    trigger_id: o.trigger_id ?? newTriggerId(),
    view: buildView(o.view),
    response_urls: o.response_urls ?? [],
    ...enterpriseFields(o.enterprise),
  };
}

/** The user pressed Submit; the ack carries `response_action` (errors/update/push/clear) if any. */
export function viewSubmission(
  target: SlackTarget,
  o: ViewSubmissionOptions,
  req?: RequestOptions,
): Promise<AckResponse> {
  return postInteraction(target, buildViewSubmission(o), req);
}

export interface ViewClosedOptions extends InteractionBase {
  view: ViewInput;
  is_cleared?: boolean;
}

export function buildViewClosed(o: ViewClosedOptions): ViewClosedAction {
  const team = teamOf(o.team);
  return {
    type: 'view_closed',
    team,
    user: userOf(o.user, team),
    api_app_id: o.api_app_id ?? SLACK_DEFAULTS.appId,
    token: o.token ?? SLACK_DEFAULTS.verificationToken,
    view: buildView(o.view),
    is_cleared: o.is_cleared ?? false,
    ...enterpriseFields(o.enterprise),
  };
}

/** Sent only for modals opened with `notify_on_close: true`. */
export function viewClosed(
  target: SlackTarget,
  o: ViewClosedOptions,
  req?: RequestOptions,
): Promise<AckResponse> {
  return postInteraction(target, buildViewClosed(o), req);
}

// ---------------------------------------------------------------------------------------------
// Shortcuts

export interface ShortcutOptions extends InteractionBase {
  callback_id: string;
  trigger_id?: string;
}

export function buildShortcut(o: ShortcutOptions): GlobalShortcut {
  const team = teamOf(o.team);
  const user = userOf(o.user, team);
  return {
    type: 'shortcut',
    token: o.token ?? SLACK_DEFAULTS.verificationToken,
    action_ts: actionTs(),
    team,
    user: { id: user.id, username: user.username, team_id: user.team_id },
    ...enterpriseFields(o.enterprise),
    callback_id: o.callback_id,
    trigger_id: o.trigger_id ?? newTriggerId(),
  };
}

/** A global shortcut (lightning-bolt menu). */
export function shortcut(
  target: SlackTarget,
  o: ShortcutOptions,
  req?: RequestOptions,
): Promise<AckResponse> {
  return postInteraction(target, buildShortcut(o), req);
}

export interface MessageActionOptions extends ShortcutOptions {
  channel?: SlackChannelRef;
  message: { ts: string; text?: string; user?: string; thread_ts?: string; [key: string]: unknown };
  response_url?: string;
}

export function buildMessageAction(o: MessageActionOptions): MessageShortcut {
  const team = teamOf(o.team);
  const user = userOf(o.user, team);
  return {
    type: 'message_action',
    token: o.token ?? SLACK_DEFAULTS.verificationToken,
    action_ts: actionTs(),
    team,
    user: { id: user.id, name: user.name, username: user.username, team_id: user.team_id },
    channel: {
      id: o.channel?.id ?? SLACK_DEFAULTS.channelId,
      name: o.channel?.name ?? SLACK_DEFAULTS.channelName,
    },
    ...enterpriseFields(o.enterprise),
    callback_id: o.callback_id,
    trigger_id: o.trigger_id ?? newTriggerId(),
    message_ts: o.message.ts,
    message: { type: 'message', user: SLACK_DEFAULTS.userId, text: '', ...o.message },
    response_url:
      o.response_url ?? 'https://hooks.slack.com/app/T0EMU00001/0000000000/no-response-url-given',
  };
}

/** A message shortcut ("…" menu on a message). */
export function messageAction(
  target: SlackTarget,
  o: MessageActionOptions,
  req?: RequestOptions,
): Promise<AckResponse> {
  return postInteraction(target, buildMessageAction(o), req);
}

// ---------------------------------------------------------------------------------------------
// External select options

export interface BlockSuggestionOptions extends InteractionBase {
  action_id: string;
  block_id: string;
  value: string;
  view?: ViewInput;
  channel?: SlackChannelRef;
}

export function buildBlockSuggestion(o: BlockSuggestionOptions): BlockSuggestion {
  const team = teamOf(o.team);
  const user = userOf(o.user, team);
  const view = o.view === undefined ? undefined : buildView(o.view);
  return {
    type: 'block_suggestion',
    user: { id: user.id, name: user.name, team_id: user.team_id },
    container: view
      ? { type: 'view', view_id: view.id }
      : { type: 'message', channel_id: o.channel?.id ?? SLACK_DEFAULTS.channelId },
    api_app_id: o.api_app_id ?? SLACK_DEFAULTS.appId,
    token: o.token ?? SLACK_DEFAULTS.verificationToken,
    action_id: o.action_id,
    block_id: o.block_id,
    value: o.value,
    team,
    ...enterpriseFields(o.enterprise),
    ...(view ? { view } : {}),
    ...(o.channel
      ? { channel: { id: o.channel.id, name: o.channel.name ?? SLACK_DEFAULTS.channelName } }
      : {}),
  };
}

/** Typing in an external_select: the ack body is `{options: [...]}` or `{option_groups: [...]}`. */
export function blockSuggestion(
  target: SlackTarget,
  o: BlockSuggestionOptions,
  req?: RequestOptions,
): Promise<AckResponse> {
  return postInteraction(target, buildBlockSuggestion(o), req);
}

// ---------------------------------------------------------------------------------------------
// Events API

export interface EventOptions {
  event: { type: string; [key: string]: unknown };
  team_id?: string;
  api_app_id?: string;
  event_id?: string;
  event_time?: number;
  /** The installation the event is delivered for; defaults to the emulator's bot. */
  authorizations?: EnvelopedEvent['authorizations'];
  token?: string;
  [key: string]: unknown;
}

export function buildEventEnvelope(o: EventOptions): EnvelopedEvent<EventOptions['event']> {
  const teamId = o.team_id ?? SLACK_DEFAULTS.teamId;
  const { event, ...rest } = o;
  return {
    token: SLACK_DEFAULTS.verificationToken,
    api_app_id: SLACK_DEFAULTS.appId,
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: SLACK_DEFAULTS.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(12).toString('base64url')}`,
    ...rest,
    team_id: teamId,
    type: 'event_callback',
    event: { event_ts: actionTs(), ...event },
  };
}

/**
 * Deliver an Events API request as JSON. `{event: {...}}` is wrapped in an `event_callback`
 * envelope; a body whose `type` is `url_verification` (or any other non-callback type) goes verbatim.
 */
export function event(
  target: SlackTarget,
  body: EventOptions | { type: string; [key: string]: unknown },
  req?: RequestOptions,
): Promise<AckResponse> {
  const payload =
    'event' in body && (body.type === undefined || body.type === 'event_callback')
      ? buildEventEnvelope(body as EventOptions)
      : body;
  return postSigned(target, JSON.stringify(payload), 'application/json', req);
}

/** Slack's endpoint check when the Request URL is saved; the app must echo `challenge`. */
export function urlVerification(
  target: SlackTarget,
  challenge: string,
  req?: RequestOptions,
): Promise<AckResponse> {
  return event(
    target,
    { type: 'url_verification', token: SLACK_DEFAULTS.verificationToken, challenge },
    req,
  );
}

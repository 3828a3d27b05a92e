import { z } from 'zod';

/**
 * What every Slack request must carry before Bolt or a listener reads it. Slack signs what it
 * sends, but a signed body can still be malformed (a replayed capture edited by hand, a proxy,
 * a bug at Slack's end); Bolt itself reads `body.ssl_check`, `body.user.id` and `view.state`
 * without checking, and a listener that throws before its ack leaves the person staring at a
 * timeout. Each schema names only what Bolt and this app's listeners rely on; everything else
 * passes through untouched.
 *
 * The kind is decided the way Bolt's `getTypeAndConversation` decides it (event, command,
 * options, actions, then `type`), so a body checked here is routed the way it was checked.
 */

const id = z.string().min(1).max(255);
const optionalString = z.string().max(1_000_000).optional();
const userRef = z.looseObject({ id });
const teamRef = z.looseObject({ id: id.optional(), enterprise_id: id.nullish() }).nullish();
const channelRef = z.looseObject({ id }).nullish();

const command = z.looseObject({
  command: z.string().min(1).max(255),
  text: z.string(),
  user_id: id,
  team_id: id,
  channel_id: id,
  trigger_id: optionalString,
  response_url: optionalString,
});

const action = z.looseObject({
  action_id: z.string().max(255),
  value: z.string().optional(),
});

const blockActions = z.looseObject({
  type: z.enum(['block_actions', 'interactive_message']),
  user: userRef,
  team: teamRef,
  actions: z.array(action).min(1).max(25),
  channel: channelRef,
  message: z.looseObject({ ts: z.string().optional(), text: z.string().optional() }).nullish(),
  view: z.looseObject({ id: z.string(), hash: z.string().optional() }).nullish(),
  response_url: optionalString,
  trigger_id: optionalString,
});

const stateValues = z.record(
  z.string(),
  z.record(z.string(), z.looseObject({ type: z.string().optional() })),
);

const viewSubmission = z.looseObject({
  type: z.literal('view_submission'),
  user: userRef,
  team: teamRef,
  view: z.looseObject({
    id,
    callback_id: z.string().max(255),
    state: z.looseObject({ values: stateValues }),
    private_metadata: z.string().max(3000).optional(),
    hash: z.string().optional(),
  }),
});

const viewClosed = z.looseObject({
  type: z.literal('view_closed'),
  user: userRef,
  view: z.looseObject({ id, callback_id: z.string().max(255) }),
});

const globalShortcut = z.looseObject({
  type: z.literal('shortcut'),
  callback_id: z.string().max(255),
  trigger_id: z.string(),
  user: userRef,
});

const messageShortcut = z.looseObject({
  type: z.literal('message_action'),
  callback_id: z.string().max(255),
  trigger_id: z.string(),
  user: userRef,
  channel: z.looseObject({ id }),
  message: z.looseObject({
    ts: z.string(),
    text: z.string().optional(),
    thread_ts: z.string().optional(),
  }),
  response_url: optionalString,
});

const options = z.looseObject({
  type: z.literal('block_suggestion'),
  user: userRef,
  action_id: z.string().max(255),
  value: z.string(),
});

/** Events the app listens to, with what their listeners read. */
const eventShapes: Record<string, z.ZodType> = {
  link_shared: z.looseObject({
    channel: id,
    message_ts: z.string(),
    user: id,
    links: z.array(z.looseObject({ url: z.string(), domain: z.string().optional() })).max(100),
  }),
  app_home_opened: z.looseObject({ user: id, tab: z.string().optional() }),
};

const eventCallback = z.looseObject({
  type: z.literal('event_callback'),
  event_id: id,
  team_id: id.optional(),
  event: z.looseObject({ type: z.string().min(1) }),
});

/** Bodies Slack sends that no listener handles but that deserve a plain 200. */
const NOTICES = new Set(['app_rate_limited', 'url_verification']);

export type InboundKind =
  | 'event'
  | 'command'
  | 'options'
  | 'action'
  | 'shortcut'
  | 'view_submission'
  | 'view_closed'
  | 'notice';

export type InboundCheck =
  | { ok: true; kind: InboundKind }
  | { ok: false; kind: InboundKind | 'unknown'; problem: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `view.state.values: expected record` — the first thing zod found, as one short phrase. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'malformed';
  const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
  return `${where}: ${issue.message}`.slice(0, 200);
}

function check(kind: InboundKind, schema: z.ZodType, body: unknown): InboundCheck {
  const parsed = schema.safeParse(body);
  return parsed.success
    ? { ok: true, kind }
    : { ok: false, kind, problem: firstIssue(parsed.error) };
}

function kindOf(body: Record<string, unknown>): [InboundKind, z.ZodType] | undefined {
  if (body.event !== undefined) return ['event', eventCallback];
  if (body.command !== undefined) return ['command', command];
  if (body.name !== undefined || body.type === 'block_suggestion') return ['options', options];
  if (body.actions !== undefined) return ['action', blockActions];
  switch (body.type) {
    case 'shortcut':
      return ['shortcut', globalShortcut];
    case 'message_action':
      return ['shortcut', messageShortcut];
    case 'view_submission':
      return ['view_submission', viewSubmission];
    case 'view_closed':
      return ['view_closed', viewClosed];
    default:
      return undefined;
  }
}

/** Whether `body` (already parsed from JSON or a form) is a request this app can act on. */
export function checkInbound(body: unknown): InboundCheck {
  if (!isRecord(body)) {
    return {
      ok: false,
      kind: 'unknown',
      problem: `the body is ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}, not an object`,
    };
  }
  if (typeof body.type === 'string' && NOTICES.has(body.type) && body.event === undefined) {
    return { ok: true, kind: 'notice' };
  }
  const found = kindOf(body);
  if (!found) {
    const type = typeof body.type === 'string' ? `"${body.type.slice(0, 40)}"` : 'none';
    return {
      ok: false,
      kind: 'unknown',
      problem: `no Slack request type this app knows (type: ${type})`,
    };
  }
  const [kind, schema] = found;
  const envelope = check(kind, schema, body);
  if (!envelope.ok || kind !== 'event') return envelope;
  const event = body.event as { type: string };
  const shape = eventShapes[event.type];
  if (!shape) return envelope;
  const inner = shape.safeParse(event);
  return inner.success
    ? envelope
    : { ok: false, kind, problem: `event (${event.type}) ${firstIssue(inner.error)}` };
}

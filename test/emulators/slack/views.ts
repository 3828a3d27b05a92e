// views.*: modals (open, push, update) with their trigger ids and stacks, and Home tabs.
import { randomBytes } from 'node:crypto';
import { validateView } from './blocks.ts';
import { type Method, nextId, type SlackEnv, viewHash } from './state.ts';
import type { JsonObject, ViewRecord } from './types.ts';
import { fail, isObject, missing, ok, type Reply, str, truthy } from './wire.ts';

const TRIGGER_ID_FORMAT = /^(\d+)\.(\d+)\.([0-9a-f]+)$/;

/** Slack only accepts a trigger once and within its lifetime; also catches ids that are not triggers at all. */
function consumeTrigger(env: SlackEnv, triggerId: string | undefined): Reply | undefined {
  if (!triggerId) return missing('trigger_id');
  const parts = TRIGGER_ID_FORMAT.exec(triggerId);
  if (!parts) return fail('invalid_trigger_id');
  if (env.state.usedTriggers.has(triggerId)) return fail('exchanged_trigger_id');
  if (env.triggerTtlMs !== undefined && Date.now() - Number(parts[1]) > env.triggerTtlMs)
    return fail('expired_trigger_id');
  env.state.usedTriggers.add(triggerId);
  return undefined;
}

function withBlockIds(blocks: unknown): unknown {
  return Array.isArray(blocks)
    ? blocks.map((b) =>
        // Slack assigns a random block_id when the app gives none; state.values is keyed by it.
        isObject(b) && b.block_id === undefined
          ? { ...b, block_id: randomBytes(3).toString('base64url') }
          : b,
      )
    : blocks;
}

function renderView(
  env: SlackEnv,
  input: JsonObject,
  id: string,
  rootViewId: string,
  previousViewId: string | null,
): JsonObject {
  return {
    id,
    team_id: env.teamId,
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
    app_id: env.appId,
    app_installed_team_id: env.teamId,
    bot_id: env.botId,
  };
}

function storeView(env: SlackEnv, record: ViewRecord): void {
  env.state.views.set(record.id, record);
}

function findView(env: SlackEnv, args: JsonObject): ViewRecord | undefined {
  const { views } = env.state;
  const viewId = str(args.view_id);
  const externalId = str(args.external_id);
  if (viewId) return views.get(viewId);
  return [...views.values()].find((v) => v.externalId !== undefined && v.externalId === externalId);
}

function externalIdTaken(env: SlackEnv, view: JsonObject, except?: string): boolean {
  const ext = str(view.external_id);
  return (
    !!ext && [...env.state.views.values()].some((v) => v.externalId === ext && v.id !== except)
  );
}

/** IDs of the open view stack, root first; the most recently touched stack by default. */
export function viewStack(env: SlackEnv, rootViewId?: string): string[] {
  return [...(env.state.stacks.get(rootViewId ?? env.state.activeRoot ?? '') ?? [])];
}

/** The user closing a modal stack (e.g. after a submission cleared it). */
export function closeViews(env: SlackEnv, rootViewId?: string): void {
  const { state } = env;
  const root = rootViewId ?? state.activeRoot;
  if (root === undefined) return;
  for (const id of state.stacks.get(root) ?? []) {
    const v = state.views.get(id);
    if (v) v.closed = true;
  }
  state.stacks.delete(root);
  if (state.activeRoot === root) state.activeRoot = [...state.stacks.keys()].pop();
}

export const viewMethods: Record<string, Method> = {
  'views.open': (env, args) => {
    const errors = validateView(args.view, ['modal']);
    if (errors.length) return fail('invalid_arguments', errors);
    const bad = consumeTrigger(env, str(args.trigger_id ?? args.interactivity_pointer));
    if (bad) return bad;
    const view = args.view as JsonObject;
    if (externalIdTaken(env, view)) return fail('duplicate_external_id');
    const id = nextId(env, 'V');
    const rendered = renderView(env, view, id, id, null);
    storeView(env, {
      id,
      type: 'modal',
      rootViewId: id,
      ...(str(view.external_id) ? { externalId: str(view.external_id) } : {}),
      current: rendered,
      history: [rendered],
      closed: false,
    });
    env.state.stacks.set(id, [id]);
    env.state.activeRoot = id;
    return ok({ view: rendered });
  },

  'views.push': (env, args) => {
    const errors = validateView(args.view, ['modal']);
    if (errors.length) return fail('invalid_arguments', errors);
    const bad = consumeTrigger(env, str(args.trigger_id ?? args.interactivity_pointer));
    if (bad) return bad;
    // A trigger from inside a modal pushes onto that modal's stack; the emulator cannot see
    // which modal the click came from, so it uses the most recently opened or updated one.
    const root = env.state.activeRoot;
    const stack = root === undefined ? undefined : env.state.stacks.get(root);
    if (!stack || root === undefined) return fail('not_found');
    if (stack.length >= 3) return fail('push_limit_reached');
    const view = args.view as JsonObject;
    if (externalIdTaken(env, view)) return fail('duplicate_external_id');
    const id = nextId(env, 'V');
    const rendered = renderView(env, view, id, root, stack[stack.length - 1] ?? null);
    storeView(env, {
      id,
      type: 'modal',
      rootViewId: root,
      ...(str(view.external_id) ? { externalId: str(view.external_id) } : {}),
      current: rendered,
      history: [rendered],
      closed: false,
    });
    stack.push(id);
    return ok({ view: rendered });
  },

  'views.update': (env, args) => {
    if (!str(args.view_id) && !str(args.external_id)) return missing('view_id');
    const record = findView(env, args);
    if (!record || record.closed) return fail('not_found');
    const errors = validateView(args.view, [record.type]);
    if (errors.length) return fail('invalid_arguments', errors);
    const hash = str(args.hash);
    if (hash && hash !== record.current.hash) return fail('hash_conflict');
    const view = args.view as JsonObject;
    if (externalIdTaken(env, view, record.id)) return fail('duplicate_external_id');
    const rendered = renderView(
      env,
      view,
      record.id,
      record.rootViewId,
      (record.current.previous_view_id as string | null | undefined) ?? null,
    );
    record.current = rendered;
    record.history.push(rendered);
    if (str(view.external_id)) record.externalId = str(view.external_id);
    if (record.type === 'modal') env.state.activeRoot = record.rootViewId;
    return ok({ view: rendered });
  },

  'views.publish': (env, args) => {
    const userId = str(args.user_id);
    if (!userId) return missing('user_id');
    if (!env.users.has(userId)) return fail('user_not_found');
    const errors = validateView(args.view, ['home']);
    if (errors.length) return fail('invalid_arguments', errors);
    const existingId = env.state.homeViews.get(userId);
    const existing = existingId === undefined ? undefined : env.state.views.get(existingId);
    const hash = str(args.hash);
    if (hash && existing && hash !== existing.current.hash) return fail('hash_conflict');
    const id = existing?.id ?? nextId(env, 'V');
    const rendered = renderView(env, args.view as JsonObject, id, id, null);
    if (existing) {
      existing.current = rendered;
      existing.history.push(rendered);
    } else {
      storeView(env, {
        id,
        type: 'home',
        rootViewId: id,
        userId,
        current: rendered,
        history: [rendered],
        closed: false,
      });
      env.state.homeViews.set(userId, id);
    }
    return ok({ view: rendered });
  },
};

// users.* and conversations.*: the seeded users and channels, and the DMs the bot opens.
import { dmChannel, type Method, nextId, type SlackEnv } from './state.ts';
import {
  type JsonObject,
  SLACK_DEFAULTS,
  type SlackChannelSeed,
  type SlackUserSeed,
} from './types.ts';
import { fail, missing, ok, str, truthy } from './wire.ts';

export type Resolved = { id: string; kind: 'channel' | 'im' | 'mpim'; seed?: SlackChannelSeed };
/**
 * Conversation IDs always resolve; chat.postMessage alone also takes a `#name` or a user ID
 * (Slack then posts in the app's DM with that user).
 */
export function resolveChannel(
  env: SlackEnv,
  ref: string | undefined,
  loose = false,
): Resolved | undefined {
  const { channels, users } = env;
  const { dms } = env.state;
  if (ref === undefined || ref === '') return undefined;
  const seed = channels.get(ref);
  if (seed) return { id: seed.id, kind: 'channel', seed };
  for (const [key, dm] of dms) {
    if (dm === ref) return { id: dm, kind: key.includes(',') ? 'mpim' : 'im' };
  }
  if (!loose) return undefined;
  const byName = [...channels.values()].find((c) => c.name === ref.replace(/^#/, ''));
  if (byName) return { id: byName.id, kind: 'channel', seed: byName };
  if (users.has(ref)) return { id: dmChannel(env, ref), kind: 'im' };
  return undefined;
}

function userObject(env: SlackEnv, u: SlackUserSeed, includeLocale: boolean): JsonObject {
  const { teamId } = env;
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
}

function channelObject(env: SlackEnv, r: Resolved): JsonObject {
  const { botUserId, teamId } = env;
  const { dms } = env.state;
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
}

export const conversationMethods: Record<string, Method> = {
  'users.info': (env, args) => {
    const id = str(args.user);
    if (!id) return missing('user');
    const user = env.users.get(id);
    if (!user) return fail('user_not_found');
    return ok({ user: userObject(env, user, truthy(args.include_locale)) });
  },

  'conversations.info': (env, args) => {
    const target = resolveChannel(env, str(args.channel));
    return target ? ok({ channel: channelObject(env, target) }) : fail('channel_not_found');
  },

  // Paged like Slack: `limit` under 1,000 (default 100), `next_cursor` "" on the last page.
  'conversations.members': (env, args) => {
    const target = resolveChannel(env, str(args.channel));
    if (!target) return fail('channel_not_found');
    if (target.kind !== 'channel') return fail('method_not_supported_for_channel_type');
    const limit = args.limit === undefined ? 100 : Number(args.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 999) return fail('invalid_limit');
    const cursor = str(args.cursor);
    let from = 0;
    if (cursor) {
      const decoded = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
      if (!decoded) return fail('invalid_cursor');
      from = Number(decoded[1]);
    }
    const all = target.seed?.members ?? [SLACK_DEFAULTS.userId, env.botUserId];
    const page = all.slice(from, from + limit);
    const next =
      from + limit < all.length ? Buffer.from(`offset:${from + limit}`).toString('base64') : '';
    return ok({ members: page, response_metadata: { next_cursor: next } });
  },

  'conversations.open': (env, args) => {
    const channel = str(args.channel);
    if (channel) {
      const target = resolveChannel(env, channel);
      return target ? ok({ channel: channelObject(env, target) }) : fail('channel_not_found');
    }
    const list = (str(args.users) ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    if (list.length === 0) return fail('users_list_not_supplied');
    if (list.length > 8) return fail('too_many_users');
    if (list.some((u) => !env.users.has(u))) return fail('user_not_found');
    const key = list.length === 1 ? (list[0] as string) : [...list].sort().join(',');
    const { dms } = env.state;
    const already = dms.has(key);
    const id = already
      ? (dms.get(key) as string)
      : list.length === 1
        ? dmChannel(env, key)
        : nextId(env, 'G');
    dms.set(key, id);
    const full = truthy(args.return_im);
    const channelBody = full
      ? channelObject(env, { id, kind: list.length === 1 ? 'im' : 'mpim' })
      : { id };
    return ok({ ...(already ? { no_op: true, already_open: true } : {}), channel: channelBody });
  },
};

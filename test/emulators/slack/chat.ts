// chat.*: messages the bot posts, updates and deletes, ephemerals, unfurls and permalinks.
import { validateBlocks } from './blocks.ts';
import { resolveChannel } from './conversations.ts';
import { type Method, nextTs, type SlackEnv } from './state.ts';
import type { EmulatedEphemeral, EmulatedMessage, JsonObject } from './types.ts';
import { fail, isObject, missing, ok, type Reply, str } from './wire.ts';

export function messageObject(env: SlackEnv, m: EmulatedMessage): JsonObject {
  const { appId, botId, botName, teamId } = env;
  return {
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
  };
}

/** Posts a message as the bot: a new ts in the channel, its first version in its history. */
export function postAsBot(
  env: SlackEnv,
  fields: Omit<EmulatedMessage, 'ts' | 'user' | 'bot_id' | 'deleted' | 'history'>,
): EmulatedMessage {
  const m: EmulatedMessage = {
    ts: nextTs(env),
    ...fields,
    user: env.botUserId,
    bot_id: env.botId,
    deleted: false,
    history: [],
  };
  m.history.push(messageObject(env, m));
  env.state.messages.push(m);
  return m;
}

/** Checks shared by chat.postMessage/postEphemeral/update: content present, within limits, blocks valid. */
function checkContent(args: JsonObject, requireContent: boolean): Reply | undefined {
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
}

export const chatMethods: Record<string, Method> = {
  'chat.postMessage': (env, args) => {
    const target = resolveChannel(env, str(args.channel), true);
    if (!target) return fail('channel_not_found');
    if (target.seed && target.seed.is_member === false) return fail('not_in_channel');
    if (target.seed?.is_archived) return fail('is_archived');
    const bad = checkContent(args, true);
    if (bad) return bad;
    const threadTs = str(args.thread_ts);
    const m = postAsBot(env, {
      channel: target.id,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      text: str(args.text) ?? '',
      ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
      ...(Array.isArray(args.attachments) ? { attachments: args.attachments } : {}),
      ...(args.metadata === undefined ? {} : { metadata: args.metadata }),
      via: 'chat.postMessage',
    });
    return ok({ channel: m.channel, ts: m.ts, message: messageObject(env, m) });
  },

  'chat.postEphemeral': (env, args) => {
    const target = resolveChannel(env, str(args.channel));
    if (!target) return fail('channel_not_found');
    const user = str(args.user);
    if (!user) return missing('user');
    if (!env.users.has(user)) return fail('user_not_found');
    if (target.seed && target.seed.is_member === false) return fail('not_in_channel');
    const bad = checkContent(args, true);
    if (bad) return bad;
    const threadTs = str(args.thread_ts);
    const e: EmulatedEphemeral = {
      channel: target.id,
      user,
      message_ts: nextTs(env),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      text: str(args.text) ?? '',
      ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
      ...(Array.isArray(args.attachments) ? { attachments: args.attachments } : {}),
    };
    env.state.ephemerals.push(e);
    return ok({ message_ts: e.message_ts });
  },

  'chat.update': (env, args) => {
    const channel = str(args.channel);
    if (!channel) return fail('channel_not_found');
    const ts = str(args.ts);
    if (!ts) return missing('ts');
    const target = resolveChannel(env, channel);
    if (!target) return fail('channel_not_found');
    const m = env.state.messages.find((x) => x.channel === target.id && x.ts === ts && !x.deleted);
    if (!m) return fail('message_not_found');
    const bad = checkContent(args, false);
    if (bad) return bad;
    // Slack keeps the previous blocks/attachments when the update omits them; [] clears them.
    if (args.text !== undefined) m.text = str(args.text) ?? '';
    if (Array.isArray(args.blocks)) m.blocks = args.blocks;
    if (Array.isArray(args.attachments)) m.attachments = args.attachments;
    if (args.metadata !== undefined) m.metadata = args.metadata;
    m.edited = { user: env.botUserId, ts: nextTs(env) };
    m.history.push(messageObject(env, m));
    return ok({ channel: m.channel, ts: m.ts, text: m.text, message: messageObject(env, m) });
  },

  'chat.delete': (env, args) => {
    const target = resolveChannel(env, str(args.channel));
    if (!target) return fail('channel_not_found');
    const ts = str(args.ts);
    if (!ts) return missing('ts');
    const m = env.state.messages.find((x) => x.channel === target.id && x.ts === ts && !x.deleted);
    if (!m) return fail('message_not_found');
    m.deleted = true;
    return ok({ channel: m.channel, ts: m.ts });
  },

  // Unfurls a link in a posted message (channel + ts) or in the composer (unfurl_id + source).
  'chat.unfurl': (env, args) => {
    const unfurls = args.unfurls;
    const channel = str(args.channel);
    const ts = str(args.ts);
    const unfurlId = str(args.unfurl_id);
    const source = str(args.source);
    if (!(channel && ts) && !(unfurlId && source)) return missing('channel', 'ts');
    if (unfurls === undefined) return missing('unfurls');
    if (!isObject(unfurls) || !Object.values(unfurls).every(isObject))
      return fail('invalid_unfurls', ['[ERROR] unfurls must be a JSON object keyed by URL']);
    if (channel && !resolveChannel(env, channel)) return fail('channel_not_found');
    if (source && source !== 'composer' && source !== 'conversations_history')
      return fail('invalid_source');
    return ok();
  },

  'chat.getPermalink': (env, args) => {
    const channel = str(args.channel);
    const ts = str(args.message_ts);
    if (!channel || !ts)
      return missing(...(!channel ? ['channel'] : []), ...(!ts ? ['message_ts'] : []));
    const target = resolveChannel(env, channel);
    if (!target) return fail('channel_not_found');
    if (!env.state.messages.some((m) => m.channel === target.id && m.ts === ts))
      return fail('message_not_found');
    return ok({
      channel: target.id,
      permalink: `https://${env.teamDomain}.slack.com/archives/${target.id}/p${ts.replace('.', '')}`,
    });
  },
};

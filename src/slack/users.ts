// What Slack says of a person (users.info), kept per (workspace, user) for a while: the audience
// check looks up every member of a channel to leave bots out, and a post's "as seen by" line
// names its viewer, so a second share into a 500-member channel would otherwise cost 500 calls.
// The cache is an object the caller makes (with its clock), never module state.
import type { AllMiddlewareArgs } from '@slack/bolt';
import type { Viewer } from '../views/audience.ts';

type Client = AllMiddlewareArgs['client'];

/** One Slack user as the bot needs them. */
export interface SlackPerson {
  id: string;
  /** False for bots (this one included), Slackbot and deactivated accounts. */
  reads: boolean;
  /** The name Slack shows: display name, else real name, else user name (raw, unescaped). */
  name: string | undefined;
  /** Their Slack time zone (IANA name). */
  tz: string | undefined;
}

export interface SlackUsers {
  /**
   * The person (not a reader when Slack says there is no such user), or undefined when Slack
   * did not answer (not kept: asked again).
   */
  lookup(client: Client, tenantId: string, userId: string): Promise<SlackPerson | undefined>;
  /** Who a post was read as, named without a mention (a mention would notify them). */
  viewer(client: Client, tenantId: string, userId: string): Promise<Viewer>;
  /** Their Slack time zone, or undefined if Slack will not say. */
  timeZone(client: Client, tenantId: string, userId: string): Promise<string | undefined>;
}

export interface SlackUsersDeps {
  now(): Date;
  /** How long an answer is trusted. */
  keepMs: number;
  /** Answers kept at most (oldest dropped first). */
  maxEntries?: number;
}

interface UserInfo {
  id?: string;
  name?: string;
  real_name?: string;
  is_bot?: boolean;
  deleted?: boolean;
  tz?: string;
  profile?: { display_name?: string; real_name?: string };
}

/** users.info errors that say who the user is not: nobody who reads the channel. */
const GONE = new Set(['user_not_found', 'user_not_visible']);

const firstName = (...names: (string | undefined)[]) =>
  names.map((n) => n?.trim()).find((n): n is string => Boolean(n));

export function personOf(userId: string, user: UserInfo | undefined): SlackPerson {
  return {
    id: userId,
    reads: !(user?.is_bot || user?.deleted || userId === 'USLACKBOT' || user?.id === 'USLACKBOT'),
    name: firstName(
      user?.profile?.display_name,
      user?.profile?.real_name,
      user?.real_name,
      user?.name,
    ),
    tz: user?.tz || undefined,
  };
}

export function createSlackUsers(deps: SlackUsersDeps): SlackUsers {
  const max = deps.maxEntries ?? 50_000;
  const kept = new Map<string, { person: SlackPerson; at: number }>();
  /** Look-ups under way, so members asked twice at once cost one call. */
  const asking = new Map<string, Promise<SlackPerson | undefined>>();

  async function ask(client: Client, userId: string): Promise<SlackPerson | undefined> {
    try {
      const res = await client.users.info({ user: userId });
      return personOf(userId, res.user as UserInfo | undefined);
    } catch (error) {
      // Slack's definite "no such person" is an answer too (kept); anything else is asked again.
      const code = (error as { data?: { error?: string } }).data?.error;
      return code && GONE.has(code)
        ? { id: userId, reads: false, name: undefined, tz: undefined }
        : undefined;
    }
  }

  async function lookup(client: Client, tenantId: string, userId: string) {
    const key = `${tenantId}:${userId}`;
    const now = deps.now().getTime();
    const hit = kept.get(key);
    if (hit && now - hit.at < deps.keepMs) return hit.person;
    const pending = asking.get(key);
    if (pending) return pending;
    const asked = ask(client, userId).then((person) => {
      asking.delete(key);
      if (person) {
        kept.delete(key);
        kept.set(key, { person, at: deps.now().getTime() });
        if (kept.size > max) kept.delete(kept.keys().next().value as string);
      }
      return person;
    });
    asking.set(key, asked);
    return asked;
  }

  return {
    lookup,
    async viewer(client, tenantId, userId) {
      const person = await lookup(client, tenantId, userId);
      return { userId, ...(person?.name ? { name: person.name } : {}) };
    },
    async timeZone(client, tenantId, userId) {
      return (await lookup(client, tenantId, userId))?.tz;
    },
  };
}

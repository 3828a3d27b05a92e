// Who in a channel can see what is about to be posted there, asked of Alation as each of them
// (issue 18): a result read with one person's access is otherwise shown to every member.
// Members come from Slack (bots left out, at most `maxMembers`); each one who has connected
// Alation is asked with their own credentials, a few at a time, and the answer is kept for ten
// minutes per (member, object) so a choice and its follow-up cost Alation nothing more.
import type { AllMiddlewareArgs } from '@slack/bolt';
import type { AlationClient } from '../client/alation.ts';
import { ForbiddenError, NotConnectedError, NotFoundError } from '../client/errors.ts';
import type { AudienceConfig } from '../config.ts';
import { channelPeople } from '../slack/channel-members.ts';
import type { SlackUsers } from '../slack/users.ts';
import type { CredentialStore, Owner } from '../store/credentials.ts';

type Client = AllMiddlewareArgs['client'];

/** How long a member's answer for an object is trusted. */
export const AUDIENCE_CACHE_MS = 10 * 60_000;
/** Members asked of Alation at once per check: Alation's pacing, not a burst of 500. */
const ASKED_AT_ONCE = 6;
/** Answers kept per process at most (oldest dropped first). */
const CACHE_ENTRIES = 50_000;

export interface AudienceObject {
  kind: 'query';
  id: number;
}

export interface AudienceFinding {
  channelId: string;
  object: AudienceObject;
  /** People read from the channel (at most the configured maximum). */
  checked: number;
  /** False when the channel had more members than were checked. */
  complete: boolean;
  canSee: string[];
  cannotSee: string[];
  notConnected: string[];
  /** Alation did not answer for them (timeouts, 5xx): neither seen nor refused. */
  unknown: string[];
}

export interface AudienceDeps {
  config: AudienceConfig;
  credentials: Pick<CredentialStore, 'load'>;
  alationFor(owner: Owner): AlationClient;
  /** users.info, cached: who of the members are people rather than bots. */
  users: Pick<SlackUsers, 'lookup'>;
  now(): Date;
}

export type Visibility = 'can' | 'cannot' | 'not_connected' | 'unknown';

export interface Audience {
  readonly config: AudienceConfig;
  /** Who of `channelId`'s members can see `object`, each asked as themselves. */
  check(
    client: Client,
    tenantId: string,
    channelId: string,
    object: AudienceObject,
  ): Promise<AudienceFinding>;
  /** One person's answer (cached like the rest): used for personal copies. */
  canSee(owner: Owner, object: AudienceObject): Promise<Visibility>;
  /** What a read just made as `owner` showed (the sharer's own), so it is not asked again. */
  remember(owner: Owner, object: AudienceObject, answer: 'can' | 'cannot'): void;
}

/**
 * What a check can ask about a catalog object, or undefined when Alation offers no way to ask.
 * The documented APIs (../shared/api) have one read per object that a member can be asked as
 * themselves and that answers 403/404 to someone who may not see it: a query's details,
 * `GET /integration/v1/query/<id>/`. Tables, schemas, data sources, columns and the rest have
 * none (the table sync is a POST for admins; a trust flag's own read is not documented to refuse
 * anyone who cannot see its subject), so posts about them are not checked.
 */
export function audienceObjectOf(subject: {
  otype: string;
  id: number;
}): AudienceObject | undefined {
  return subject.otype === 'query' ? { kind: 'query', id: subject.id } : undefined;
}

/** DMs and group DMs are not channels an audience check is about. */
export function isChannel(channelId: string): boolean {
  return /^[CG]/.test(channelId);
}

export function createAudience(deps: AudienceDeps): Audience {
  const cache = new Map<string, { answer: 'can' | 'cannot'; at: number }>();
  const keyOf = (owner: Owner, object: AudienceObject) =>
    `${owner.tenantId}:${owner.userId}:${object.kind}:${object.id}`;

  async function ask(owner: Owner, object: AudienceObject): Promise<Visibility> {
    const key = keyOf(owner, object);
    const now = deps.now().getTime();
    const kept = cache.get(key);
    if (kept && now - kept.at < AUDIENCE_CACHE_MS) return kept.answer;
    const loaded = await deps.credentials.load(owner, 'alation');
    if (loaded.state !== 'connected') return 'not_connected';
    let answer: 'can' | 'cannot';
    try {
      await deps.alationFor(owner).queries.get(object.id);
      answer = 'can';
    } catch (error) {
      if (error instanceof ForbiddenError || error instanceof NotFoundError) answer = 'cannot';
      else if (error instanceof NotConnectedError) return 'not_connected';
      else return 'unknown';
    }
    keep(key, answer, now);
    return answer;
  }

  function keep(key: string, answer: 'can' | 'cannot', at: number) {
    cache.delete(key);
    cache.set(key, { answer, at });
    if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  }

  return {
    config: deps.config,
    canSee: ask,
    remember(owner, object, answer) {
      keep(keyOf(owner, object), answer, deps.now().getTime());
    },
    async check(client, tenantId, channelId, object) {
      const { people, complete } = await channelPeople(
        client,
        channelId,
        deps.config.maxMembers,
        (userId) => deps.users.lookup(client, tenantId, userId),
      );
      const answers = new Array<Visibility>(people.length);
      let next = 0;
      const worker = async () => {
        while (next < people.length) {
          const i = next++;
          answers[i] = await ask({ tenantId, userId: people[i] as string }, object);
        }
      };
      await Promise.all(Array.from({ length: Math.min(ASKED_AT_ONCE, people.length) }, worker));
      const who = (v: Visibility) => people.filter((_, i) => answers[i] === v);
      return {
        channelId,
        object,
        checked: people.length,
        complete,
        canSee: who('can'),
        cannotSee: who('cannot'),
        notConnected: who('not_connected'),
        unknown: who('unknown'),
      };
    },
  };
}

// Announcements that carry catalog data, checked like shares (issue 18): a new Compose query
// (its title and SQL) and a trust flag on a query (the query's title and the flag's reason) are
// shown to every member of the channel, so each member who has connected Alation is asked as
// themselves first. Under AUDIENCE_CHECK=ask the announcer gets the private choice; "Send it only
// to those who can" reads the announcement again as each reader and DMs it to them.
// Posts about objects Alation has no per-object read for (tables, schemas, …) are not checked:
// see audienceObjectOf.
import type { AllMiddlewareArgs, App } from '@slack/bolt';
import type { AudienceObject } from '../audience/check.ts';
import type { AlationClient } from '../client/alation.ts';
import type { Logger } from '../log.ts';
import { announce, type Conversation, tellUser } from '../slack/reply.ts';
import type { Owner } from '../store/credentials.ts';
import {
  announceActions,
  buildAudienceChoice,
  buildAudienceWarning,
  seenByLine,
} from '../views/audience.ts';
import { context } from '../views/blocks.ts';
import type { SlackMessage } from '../views/help.ts';
import { type AudienceDelivery, audienceGate, registerAudienceChoice } from './audience-choice.ts';
import type { CommandDeps } from './command.ts';

type Client = AllMiddlewareArgs['client'];

export type AnnouncementKind = 'query' | 'flag';

/** What a choice's buttons carry: the announcement to read again, where, and who made it. */
export interface Announced {
  kind: AnnouncementKind;
  /** The query's id (a new query) or the flag's (a flag added). */
  id: number;
  /** The query the check asks about: the new query, or the one the flag is on. */
  queryId: number;
  channelId: string;
  /** The announcer, named in the announcement. */
  by: string;
}

/** An announcement as read by one person: the message, what it is about, and its title. */
export interface Rendered {
  message: SlackMessage;
  object: AudienceObject | undefined;
  title: string;
}

/** Reads what an announcement shows with `alation` (someone's own access) and builds it. */
export type RenderAnnouncement = (
  alation: AlationClient,
  announced: Announced,
  log: Logger,
) => Promise<Rendered>;

export function announcedValue(a: Announced): string {
  return JSON.stringify({ k: a.kind, i: a.id, q: a.queryId, c: a.channelId, b: a.by });
}

export function parseAnnounced(kind: AnnouncementKind, value: string): Announced | undefined {
  try {
    const v = JSON.parse(value) as Record<string, unknown>;
    const id = (n: unknown) => Number.isSafeInteger(n) && (n as number) > 0;
    if (v.k !== kind || !id(v.i) || !id(v.q)) return undefined;
    if (typeof v.c !== 'string' || !/^[CG][A-Z0-9]{1,20}$/.test(v.c)) return undefined;
    if (typeof v.b !== 'string' || !/^[UW][A-Z0-9]{1,20}$/.test(v.b)) return undefined;
    return { kind, id: v.i as number, queryId: v.q as number, channelId: v.c, by: v.b };
  } catch {
    return undefined;
  }
}

/** The "as seen by" line under an announcement read with one person's access. */
function withSeenBy(message: SlackMessage, line: string): SlackMessage {
  return { ...message, blocks: [...message.blocks, context(line)] };
}

export interface CheckedAnnouncement {
  client: Client;
  owner: Owner;
  where: Conversation;
  rendered: Rendered;
  /** The announcement's kind and id, for the choice's buttons. */
  kind: AnnouncementKind;
  id: number;
  log: Logger;
}

export function checkedAnnouncements(
  deps: CommandDeps,
  kind: AnnouncementKind,
  render: RenderAnnouncement,
) {
  /** Into the channel (as announce() does), checked under AUDIENCE_CHECK unless `anyway`. */
  async function post(
    input: Omit<CheckedAnnouncement, 'kind' | 'id'> & { id: number; anyway: boolean },
  ): Promise<boolean> {
    const { client, owner, where, rendered, log } = input;
    const channelId = where.channelId;
    const features = await deps.features();
    const gate =
      channelId && rendered.object
        ? await audienceGate(features, {
            client,
            owner,
            channelId,
            object: rendered.object,
            log,
            mode: input.anyway ? 'anyway' : 'check',
          })
        : { finding: undefined, ask: false, warnAfter: false };
    if (gate.finding && gate.ask && channelId && rendered.object) {
      const choice = buildAudienceChoice({
        finding: gate.finding,
        title: rendered.title,
        value: announcedValue({
          kind,
          id: input.id,
          queryId: rendered.object.id,
          channelId,
          by: owner.userId,
        }),
        actions: announceActions(kind),
      });
      await tellUser(client, owner.userId, choice, where.responseUrl);
      log.info({ kind, cannotSee: gate.finding.cannotSee.length }, 'asked before announcing');
      return false;
    }
    const message = gate.finding
      ? withSeenBy(
          rendered.message,
          seenByLine(
            gate.finding,
            await features.slackUsers.viewer(client, owner.tenantId, owner.userId),
          ),
        )
      : rendered.message;
    await announce(client, owner.userId, where, message, log);
    if (gate.finding && gate.warnAfter) {
      await tellUser(client, owner.userId, buildAudienceWarning(gate.finding), where.responseUrl);
    }
    return true;
  }

  const delivery: AudienceDelivery<Announced> = {
    actions: announceActions(kind),
    parse: (value) => parseAnnounced(kind, value),
    about: (a) => ({
      channelId: a.channelId,
      object: { kind: 'query', id: a.queryId },
      words: `the announcement of ${a.kind} ${a.id}`,
    }),
    cancelled: 'Cancelled: nothing was announced.',
    async post(a, { client, log, owner, responseUrl }) {
      const features = await deps.features();
      const rendered = await render(await features.requireAlation(owner), a, log);
      return post({
        client,
        owner,
        where: { channelId: a.channelId, responseUrl },
        rendered,
        id: a.id,
        log,
        anyway: true,
      });
    },
    async sendTo(a, { client, log, owner, channelId }) {
      const features = await deps.features();
      // Read again as the reader: they get what their own access shows.
      const rendered = await render(features.alationFor(owner), a, log);
      await client.chat.postMessage({
        channel: channelId,
        text: rendered.message.text,
        blocks: rendered.message.blocks,
      });
      return true;
    },
  };

  return {
    /** The announcement, after the audience check AUDIENCE_CHECK asks for. */
    announce: (input: Omit<CheckedAnnouncement, 'kind'>) => post({ ...input, anyway: false }),
    register: (app: App) => registerAudienceChoice(app, deps, delivery),
  };
}

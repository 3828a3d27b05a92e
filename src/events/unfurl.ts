// Link unfurls: Alation catalog links pasted in Slack get a compact card with their trust badges,
// read with the poster's own credentials.
import type { AllMiddlewareArgs, App, RespondFn } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { ownerOf } from '../auth/owner.ts';
import { type CatalogRef, parseAlationUrl } from '../client/alation/links.ts';
import type { AlationClient } from '../client/alation.ts';
import { isUpstreamError, NotConnectedError } from '../client/errors.ts';
import type { Features } from '../features.ts';
import type { Logger } from '../log.ts';
import { requestContext } from '../middleware/request-context.ts';
import { reportFailure } from '../slack/failure.ts';
import type { Viewer } from '../views/audience.ts';
import { buildUnfurlCard } from '../views/unfurl.ts';

type Client = AllMiddlewareArgs['client'];
type Unfurl = { blocks: KnownBlock[] };

/** How long a card is reused for the same link in the same workspace. */
export const UNFURL_TTL_MS = 60_000;
/** Slack sends a handful of links per message; more is not a message people read. */
const MAX_LINKS = 5;
/** Bounds memory when many distinct links are pasted within a TTL. */
const MAX_ENTRIES = 1000;

/**
 * Cards by (reader, url), so a link pasted again and again by one person costs Alation one read
 * a minute. By reader, not by workspace: a card is what Alation showed the one who posted the
 * link, and someone else's paste must be read with their own access (they may see less).
 * Owned by the app instance (created at registration), never module state.
 */
export interface UnfurlCache {
  get(reader: string, url: string): Unfurl | undefined;
  set(reader: string, url: string, card: Unfurl): void;
}

export function createUnfurlCache(ttlMs: number, now: () => number): UnfurlCache {
  const entries = new Map<string, { card: Unfurl; expires: number }>();
  const key = (reader: string, url: string) => `${reader}\n${url}`;
  return {
    get(reader, url) {
      const k = key(reader, url);
      const hit = entries.get(k);
      if (!hit) return undefined;
      if (hit.expires <= now()) {
        entries.delete(k);
        return undefined;
      }
      return hit.card;
    },
    set(reader, url, card) {
      const k = key(reader, url);
      entries.delete(k);
      // Maps keep insertion order, so the first key is the oldest entry.
      if (entries.size >= MAX_ENTRIES) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      entries.set(k, { card, expires: now() + ttlMs });
    },
  };
}

/** Reads what the card shows: for queries their details, for every kind its trust flags. */
export async function loadCard(
  alation: AlationClient,
  ref: CatalogRef,
  url: string,
  /** The Slack user whose access read it, named on the card. */
  seenBy?: Viewer,
): Promise<Unfurl> {
  const subject = { otype: ref.otype, id: ref.id };
  const [query, flags] = await Promise.all([
    ref.otype === 'query' ? alation.queries.get(ref.id) : Promise.resolve(undefined),
    alation.flags.list({ subject, limit: 20 }),
  ]);
  const datasource = query?.datasource;
  return buildUnfurlCard({
    ref,
    url,
    title: query?.title ?? undefined,
    description: query?.description ?? undefined,
    detail: datasource?.title ? `Data source: ${datasource.title}` : undefined,
    flags: flags.items,
    ...(seenBy ? { seenBy } : {}),
  });
}

export interface UnfurlDeps {
  features(): Promise<Features>;
  alationBaseUrl: string;
  cache: UnfurlCache;
}

interface LinkShared {
  channel: string;
  user: string;
  message_ts: string;
  thread_ts?: string;
  links: { url: string; domain?: string }[];
  unfurl_id?: string;
  source?: string;
}

export function registerUnfurls(app: App, deps: UnfurlDeps): void {
  app.event('link_shared', async ({ event, body, client, context }) => {
    const log = requestContext(context).log;
    const shared = event as unknown as LinkShared;
    const wanted = new Map<string, CatalogRef>();
    for (const link of shared.links ?? []) {
      const ref = parseAlationUrl(link.url, deps.alationBaseUrl);
      if (ref && wanted.size < MAX_LINKS) wanted.set(link.url, ref);
    }
    if (wanted.size === 0) return;
    const owner = ownerOf({
      user_id: shared.user,
      team_id: body.team_id,
      ...(body.enterprise_id ? { enterprise_id: body.enterprise_id } : {}),
    });
    const respond = ephemeralTo(client, shared);
    try {
      const features = await deps.features();
      // Checked before the cache: a card is never shown for someone who has not connected.
      const alation = await features.requireAlation(owner);
      const unfurls: Record<string, Unfurl> = {};
      let viewer: Viewer | undefined;
      for (const [url, ref] of wanted) {
        const reader = `${owner.tenantId}:${owner.userId}`;
        let card = deps.cache.get(reader, url);
        if (!card) {
          viewer ??= await features.slackUsers.viewer(client, owner.tenantId, owner.userId);
          card = await fresh(alation, ref, url, viewer, log);
          if (!card) continue;
          // Only fresh cards are stored: a hit must not extend its own lifetime.
          deps.cache.set(reader, url, card);
        }
        unfurls[url] = card;
      }
      if (Object.keys(unfurls).length === 0) return;
      await client.chat.unfurl({
        ...(shared.source === 'composer' && shared.unfurl_id
          ? { unfurl_id: shared.unfurl_id, source: 'composer' as const }
          : { channel: shared.channel, ts: shared.message_ts }),
        unfurls,
      } as Parameters<Client['chat']['unfurl']>[0]);
    } catch (error) {
      // A message still being composed has no channel to answer in.
      if (shared.source === 'composer') {
        if (!(error instanceof NotConnectedError)) {
          log.warn({ err: error }, 'could not unfurl a link in the composer');
        }
        return;
      }
      await reportFailure(error, respond, log, 'unfurl that Alation link').catch((err: unknown) =>
        log.warn({ err }, 'could not tell the poster why a link was not unfurled'),
      );
    }
  });
}

/**
 * One link's card, or undefined when Alation will not show it to this person (not found, not
 * allowed): the link then stays as it was, as it would for anyone without access.
 */
async function fresh(
  alation: AlationClient,
  ref: CatalogRef,
  url: string,
  seenBy: Viewer,
  log: Logger,
): Promise<Unfurl | undefined> {
  try {
    return await loadCard(alation, ref, url, seenBy);
  } catch (error) {
    if (isUpstreamError(error) && (error.kind === 'not_found' || error.kind === 'forbidden')) {
      log.info({ otype: ref.otype, id: ref.id, kind: error.kind }, 'link not unfurled');
      return undefined;
    }
    throw error;
  }
}

/** Answers only the poster, privately, in the channel the link was posted in. */
function ephemeralTo(client: Client, shared: LinkShared): RespondFn {
  const post = async (message: string | { text?: string; blocks?: KnownBlock[] }) => {
    const m = typeof message === 'string' ? { text: message } : message;
    await client.chat.postEphemeral({
      channel: shared.channel,
      user: shared.user,
      text: m.text ?? '',
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(shared.thread_ts ? { thread_ts: shared.thread_ts } : {}),
    });
  };
  // reportFailure only sends text and blocks; it never reads the response.
  return post as unknown as RespondFn;
}

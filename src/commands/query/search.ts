// `/alation query search <text>`: queries whose title or SQL contains the text, 10 at a time.
import type { AllMiddlewareArgs, App, RespondFn } from '@slack/bolt';
import { z } from 'zod';
import { ownerOf } from '../../auth/owner.ts';
import type { AlationClient, Query } from '../../client/alation.ts';
import type { Logger } from '../../log.ts';
import { requestContext } from '../../middleware/request-context.ts';
import { buttonValue } from '../../slack/button-value.ts';
import { reportFailure } from '../../slack/failure.ts';
import type { Owner } from '../../store/credentials.ts';
import { ACTION_QUERY_SEARCH_MORE, buildSearchResults } from '../../views/query.ts';
import type { CommandDeps, CommandInput } from '../command.ts';

export const SEARCH_PAGE_SIZE = 10;
/** Keeps the More button's value (which repeats the text) far below Slack's 2000 characters. */
export const MAX_SEARCH_TEXT = 200;

/**
 * A page of results: the text, the id after which it starts (results go by ascending id) and
 * the position of its first row. All of it rides in the More button, so it survives restarts.
 */
export interface SearchCursor {
  text: string;
  afterId?: number;
  firstIndex: number;
}

const cursorSchema = z.object({
  t: z.string().min(1).max(MAX_SEARCH_TEXT),
  a: z.number().int().nonnegative().optional(),
  n: z.number().int().positive(),
});

export function encodeSearchCursor(cursor: SearchCursor): string {
  return JSON.stringify({
    t: cursor.text,
    ...(cursor.afterId === undefined ? {} : { a: cursor.afterId }),
    n: cursor.firstIndex,
  });
}

export function decodeSearchCursor(value: string): SearchCursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(value));
    if (!parsed.success) return undefined;
    const { t, a, n } = parsed.data;
    return { text: t, firstIndex: n, ...(a === undefined ? {} : { afterId: a }) };
  } catch {
    return undefined;
  }
}

/**
 * Alation ANDs the filters of one request, so "title OR SQL contains" is two requests, each
 * ordered by id and starting after the last id shown, merged and de-duplicated. The 10 lowest
 * ids of the two first pages are exactly the 10 lowest of the whole union, so paging is exact.
 */
export async function loadSearchPage(
  alation: AlationClient,
  cursor: SearchCursor,
): Promise<{ queries: Query[]; next: SearchCursor | undefined }> {
  const request = (field: 'title' | 'content') =>
    alation.queries.list({
      filters: { [`${field}__icontains`]: cursor.text, id__gt: cursor.afterId },
      limit: SEARCH_PAGE_SIZE,
      orderBy: 'id',
    });
  const [byTitle, byContent] = await Promise.all([request('title'), request('content')]);
  const merged = new Map<number, Query>();
  for (const q of [...byTitle.items, ...byContent.items])
    if (!merged.has(q.id)) merged.set(q.id, q);
  const sorted = [...merged.values()].sort((a, b) => a.id - b.id);
  const queries = sorted.slice(0, SEARCH_PAGE_SIZE);
  const last = queries.at(-1);
  const more = sorted.length > SEARCH_PAGE_SIZE || byTitle.next !== null || byContent.next !== null;
  return {
    queries,
    next:
      more && last
        ? { text: cursor.text, afterId: last.id, firstIndex: cursor.firstIndex + queries.length }
        : undefined,
  };
}

export interface SearchInput {
  owner: Owner;
  cursor: SearchCursor;
  respond: RespondFn;
  client: AllMiddlewareArgs['client'];
  log: Logger;
}

export async function showSearchPage(
  deps: Pick<CommandDeps, 'features'>,
  { owner, cursor, respond, log }: SearchInput,
): Promise<void> {
  try {
    const features = await deps.features();
    const alation = await features.requireAlation(owner);
    const page = await loadSearchPage(alation, cursor);
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      ...buildSearchResults({
        text: cursor.text,
        queries: page.queries,
        more: page.next ? encodeSearchCursor(page.next) : undefined,
        firstIndex: cursor.firstIndex,
      }),
    });
  } catch (error) {
    await reportFailure(error, respond, log, 'search the queries');
  }
}

export function searchQueryAction(deps: CommandDeps) {
  return {
    async run({ ack, respond, command, client, log }: CommandInput, args: string) {
      const text = args.replace(/\s+/g, ' ').trim();
      if (text === '') {
        await ack({
          response_type: 'ephemeral',
          text: 'What should I look for? Give a word from the title or SQL, e.g. `/alation query search revenue`.',
        });
        return;
      }
      if (text.length > MAX_SEARCH_TEXT) {
        await ack({
          response_type: 'ephemeral',
          text: `That search text is ${text.length} characters long; use at most ${MAX_SEARCH_TEXT}, e.g. a distinctive word or table name.`,
        });
        return;
      }
      await ack();
      await showSearchPage(deps, {
        owner: ownerOf(command),
        cursor: { text, firstIndex: 1 },
        respond,
        client,
        log,
      });
    },
    register(app: App) {
      app.action(
        ACTION_QUERY_SEARCH_MORE,
        async ({ ack, body, action, respond, client, context }) => {
          await ack();
          const log = requestContext(context).log;
          const value = buttonValue(action);
          const cursor = decodeSearchCursor(value);
          if (!cursor) {
            log.warn('a search More button carried an unreadable value');
            await respond({
              response_type: 'ephemeral',
              replace_original: false,
              text: 'That button no longer works. Run `/alation query search <text>` again.',
            });
            return;
          }
          await showSearchPage(deps, { owner: ownerOf(body), cursor, respond, client, log });
        },
      );
    },
  };
}

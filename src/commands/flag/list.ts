// `/alation flag list [<otype> <id>]`: the flags on one object (Alation's oid/otype filter,
// paged with limit/skip), or the most recent flags of all; ten at a time with More.
import type { AllMiddlewareArgs, App, RespondFn } from '@slack/bolt';
import { ownerOf } from '../../auth/owner.ts';
import type { AlationClient, TrustFlag } from '../../client/alation.ts';
import { collectPages, MAX_PAGE_SIZE } from '../../client/paging.ts';
import type { Logger } from '../../log.ts';
import { requestContext } from '../../middleware/request-context.ts';
import { buttonValue } from '../../slack/button-value.ts';
import { reportFailure } from '../../slack/failure.ts';
import { userTimeZone } from '../../slack/reply.ts';
import type { Owner } from '../../store/credentials.ts';
import { ACTION_FLAG_LIST_MORE, buildFlagList } from '../../views/flag.ts';
import {
  decodeFlagListCursor,
  encodeFlagListCursor,
  type FlagListCursor,
} from '../../views/flag-ref.ts';
import type { CommandDeps, CommandInput } from '../command.ts';
import { lookupSubject, parseSubject } from './shared.ts';

export const FLAG_PAGE_SIZE = 10;
/**
 * Alation's flag list has no documented ordering, so "most recent" means reading the list and
 * sorting by creation time; this bounds how much is read for it.
 */
export const RECENT_READ_LIMIT = 5 * MAX_PAGE_SIZE;

export interface FlagPage {
  flags: TrustFlag[];
  next: FlagListCursor | undefined;
  truncated: boolean;
}

export async function loadFlagPage(
  alation: AlationClient,
  cursor: FlagListCursor,
): Promise<FlagPage> {
  if (cursor.subject) {
    const page = await alation.flags.list({
      subject: cursor.subject,
      limit: FLAG_PAGE_SIZE,
      skip: cursor.skip,
    });
    const flags = page.items.slice(0, FLAG_PAGE_SIZE);
    return {
      flags,
      next:
        page.next !== null && flags.length > 0
          ? { subject: cursor.subject, skip: cursor.skip + flags.length }
          : undefined,
      truncated: false,
    };
  }
  const all = await collectPages(
    (next) => alation.flags.list(next ? { cursor: next } : { limit: MAX_PAGE_SIZE }),
    RECENT_READ_LIMIT,
  );
  const newestFirst = all.items.sort(
    (a, b) => b.ts_created.localeCompare(a.ts_created) || b.id - a.id,
  );
  const flags = newestFirst.slice(cursor.skip, cursor.skip + FLAG_PAGE_SIZE);
  const end = cursor.skip + flags.length;
  return {
    flags,
    next: end < newestFirst.length && flags.length > 0 ? { skip: end } : undefined,
    truncated: all.truncated,
  };
}

export interface ListInput {
  owner: Owner;
  cursor: FlagListCursor;
  respond: RespondFn;
  client: AllMiddlewareArgs['client'];
  log: Logger;
}

export async function showFlagPage(
  deps: Pick<CommandDeps, 'features' | 'alationBaseUrl'>,
  { owner, cursor, respond, client, log }: ListInput,
): Promise<void> {
  try {
    const features = await deps.features();
    const alation = await features.requireAlation(owner);
    const [page, zone, subject] = await Promise.all([
      loadFlagPage(alation, cursor),
      userTimeZone(client, owner.userId),
      cursor.subject && cursor.skip === 0
        ? lookupSubject(alation, cursor.subject, log)
        : Promise.resolve(cursor.subject),
    ]);
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      ...buildFlagList({
        flags: page.flags,
        subject,
        alationBaseUrl: deps.alationBaseUrl,
        now: features.now(),
        zone,
        firstIndex: cursor.skip + 1,
        more: page.next ? encodeFlagListCursor(page.next) : undefined,
        truncated: page.truncated,
      }),
    });
  } catch (error) {
    await reportFailure(error, respond, log, 'list the trust flags');
  }
}

export function listFlagsAction(deps: CommandDeps) {
  return {
    async run({ ack, respond, command, client, log }: CommandInput, args: string) {
      const parsed = parseSubject(args, '/alation flag list');
      if (parsed && 'problem' in parsed) {
        await ack({ response_type: 'ephemeral', text: parsed.problem });
        return;
      }
      await ack();
      await showFlagPage(deps, {
        owner: ownerOf(command),
        cursor: { skip: 0, ...(parsed ? { subject: parsed.subject } : {}) },
        respond,
        client,
        log,
      });
    },
    register(app: App) {
      app.action(ACTION_FLAG_LIST_MORE, async ({ ack, body, action, respond, client, context }) => {
        await ack();
        const log = requestContext(context).log;
        const cursor = decodeFlagListCursor(buttonValue(action));
        if (!cursor) {
          log.warn('a flag list More button carried an unreadable value');
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: 'That button no longer works. Run `/alation flag list` again.',
          });
          return;
        }
        await showFlagPage(deps, { owner: ownerOf(body), cursor, respond, client, log });
      });
    },
  };
}

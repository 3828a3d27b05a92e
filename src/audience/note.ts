// The audience check of a query about to be delivered into a channel on a schedule (issue 18),
// in words: run from a digest or alert form as the channel is picked, and again when it is
// saved. One path for both, so both say the same thing under the same policy.
import type { AllMiddlewareArgs } from '@slack/bolt';
import type { Logger } from '../log.ts';
import { findingSentence, someCannotSee } from '../views/audience.ts';
import { type Audience, isChannel } from './check.ts';

export interface AudienceNote {
  /** "3 of 24 members of #sales cannot see query 15 in Alation, …" or "Everyone in …". */
  note: string;
  someCannotSee: boolean;
}

/**
 * What the check finds for `queryId` in `channelId`, each member asked as themselves; undefined
 * when there is nothing to check (AUDIENCE_CHECK=off, a DM, no query yet) or it could not run.
 */
export async function queryAudienceNote(
  audience: Audience,
  client: AllMiddlewareArgs['client'],
  tenantId: string,
  channelId: string,
  queryId: number,
  log: Logger,
): Promise<AudienceNote | undefined> {
  if (
    audience.config.policy === 'off' ||
    !isChannel(channelId) ||
    !Number.isSafeInteger(queryId) ||
    queryId <= 0
  )
    return undefined;
  try {
    const finding = await audience.check(client, tenantId, channelId, {
      kind: 'query',
      id: queryId,
    });
    return { note: findingSentence(finding), someCannotSee: someCannotSee(finding) };
  } catch (error) {
    log.warn({ err: error, channelId }, 'could not run the audience check');
    return undefined;
  }
}

/**
 * The check as a form shows it next to the channel while it is being filled in: the finding,
 * and, when some cannot see the query, how to send each reader their own copy instead.
 */
export async function formAudienceNote(
  audience: Audience,
  client: AllMiddlewareArgs['client'],
  tenantId: string,
  form: { channelId: string; queryId: string },
  log: Logger,
): Promise<string | undefined> {
  if (!/^\d{1,9}$/.test(form.queryId)) return undefined;
  const found = await queryAudienceNote(
    audience,
    client,
    tenantId,
    form.channelId,
    Number(form.queryId),
    log,
  );
  if (!found) return undefined;
  return found.someCannotSee
    ? `${found.note} Tick *To each subscriber, as themselves* to send each reader their own copy.`
    : found.note;
}

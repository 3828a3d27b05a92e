// The audience check for a digest saved into a channel (issue 18): who in the channel cannot see
// its query, told to the creator with the save and kept for the digest's list entry. Personal
// digests need none (each copy asks Alation as its reader), nor digests of other kinds.
import type { AllMiddlewareArgs } from '@slack/bolt';
import { isChannel } from '../../audience/check.ts';
import type { Features } from '../../features.ts';
import type { Logger } from '../../log.ts';
import type { Digest } from '../../store/digests.ts';
import { audienceSentence, someCannotSee } from '../../views/audience.ts';

/** The finding in words, recorded on the digest; undefined when there is nothing to say. */
export async function digestAudienceNote(
  features: Features,
  client: AllMiddlewareArgs['client'],
  digest: Digest,
  log: Logger,
): Promise<string | undefined> {
  const p = digest.params;
  if (
    p.kind !== 'query_result' ||
    p.personal ||
    features.audience.config.policy === 'off' ||
    !isChannel(digest.channelId)
  )
    return undefined;
  try {
    const finding = await features.audience.check(client, digest.owner.tenantId, digest.channelId, {
      kind: 'query',
      id: p.queryId,
    });
    const note = someCannotSee(finding) ? audienceSentence(finding) : null;
    await features.digests.setAudienceNote(digest.id, note);
    return note ?? undefined;
  } catch (error) {
    log.warn({ err: error }, 'could not run the audience check for a digest');
    return undefined;
  }
}

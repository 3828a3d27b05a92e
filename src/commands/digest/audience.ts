// The audience check for a digest saved into a channel (issue 18): who in the channel cannot see
// its query, told to the creator with the save and kept for the digest's list entry. Personal
// digests need none (each copy asks Alation as its reader), nor digests of other kinds.
import type { AllMiddlewareArgs } from '@slack/bolt';
import { isChannel } from '../../audience/check.ts';
import type { Features } from '../../features.ts';
import type { Logger } from '../../log.ts';
import type { Owner } from '../../store/credentials.ts';
import type { Digest } from '../../store/digests.ts';
import { audienceSentence, someCannotSee } from '../../views/audience.ts';
import type { DigestForm } from '../../views/digest-modal.ts';

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

/** The same check from the form as it is being filled in: shown next to the channel. */
export async function formAudienceNote(
  features: Features,
  client: AllMiddlewareArgs['client'],
  owner: Owner,
  form: DigestForm,
  log: Logger,
): Promise<string | undefined> {
  const queryId = Number(form.queryId);
  if (
    form.kind !== 'query_result' ||
    form.personal ||
    !Number.isSafeInteger(queryId) ||
    queryId <= 0 ||
    features.audience.config.policy === 'off' ||
    !isChannel(form.channelId)
  )
    return undefined;
  try {
    const finding = await features.audience.check(client, owner.tenantId, form.channelId, {
      kind: 'query',
      id: queryId,
    });
    return someCannotSee(finding)
      ? `${audienceSentence(finding)} Tick *To each subscriber, as themselves* to send each reader their own copy.`
      : `Everyone in <#${form.channelId}> who has connected Alation can see query ${queryId}.`;
  } catch (error) {
    log.warn({ err: error }, 'could not run the audience check from the digest form');
    return undefined;
  }
}

// The audience check for a digest saved into a channel (issue 18): who in the channel cannot see
// its query, told to the creator with the save and kept for the digest's list entry. Personal
// digests need none (each copy asks Alation as its reader), nor digests of other kinds.
import type { AllMiddlewareArgs } from '@slack/bolt';
import { formAudienceNote, queryAudienceNote } from '../../audience/note.ts';
import type { Features } from '../../features.ts';
import type { Logger } from '../../log.ts';
import type { Owner } from '../../store/credentials.ts';
import type { Digest } from '../../store/digests.ts';
import type { DigestForm } from '../../views/digest-modal.ts';

/** The finding in words, recorded on the digest; undefined when there is nothing to say. */
export async function digestAudienceNote(
  features: Features,
  client: AllMiddlewareArgs['client'],
  digest: Digest,
  log: Logger,
): Promise<string | undefined> {
  const p = digest.params;
  if (p.kind !== 'query_result' || p.personal) return undefined;
  const found = await queryAudienceNote(
    features.audience,
    client,
    digest.owner.tenantId,
    digest.channelId,
    p.queryId,
    log,
  );
  if (!found) return undefined;
  const note = found.someCannotSee ? found.note : null;
  try {
    await features.digests.setAudienceNote(digest.id, note);
  } catch (error) {
    log.warn({ err: error }, 'could not record the audience check of a digest');
  }
  return note ?? undefined;
}

/** The same check from the form as it is being filled in: shown next to the channel. */
export async function digestFormAudienceNote(
  features: Features,
  client: AllMiddlewareArgs['client'],
  owner: Owner,
  form: DigestForm,
  log: Logger,
): Promise<string | undefined> {
  if (form.kind !== 'query_result' || form.personal) return undefined;
  return formAudienceNote(features.audience, client, owner.tenantId, form, log);
}

// Get my own copy and Unsubscribe (issue 18): anyone in a personal digest's or alert's channel
// may ask for their own copy, read with their own Alation access; Unsubscribe (on a copy, the
// no-access notice, the channel post, `/alation digest list` and App Home) stops it.
import type { App } from '@slack/bolt';
import { ownerOf } from '../../auth/owner.ts';
import type { Features } from '../../features.ts';
import { publishHome } from '../../home/publish.ts';
import { requestContext } from '../../middleware/request-context.ts';
import { buttonValue } from '../../slack/button-value.ts';
import { privateRespond } from '../../slack/reply.ts';
import type { Owner } from '../../store/credentials.ts';
import type { SubscriptionStore } from '../../store/digest-subscriptions.ts';
import {
  ACTION_DIGEST_GET_COPY,
  ACTION_DIGEST_UNSUBSCRIBE,
  buildSubscribedNotice,
  buildUnsubscribedNotice,
  type CopySubjectRef,
  parseCopyValue,
} from '../../views/digest-copies.ts';
import type { CommandDeps } from '../command.ts';

const onHome = (body: unknown) => (body as { view?: { type?: string } }).view?.type === 'home';

interface Subject {
  name: string;
  /** Still sends personal copies, in this person's workspace. */
  personal: boolean;
  store: SubscriptionStore;
}

/** The digest or alert a button names, as its copies see it; undefined once deleted. */
async function subjectOf(
  features: Features,
  ref: CopySubjectRef,
  owner: Owner,
): Promise<Subject | undefined> {
  if (ref.kind === 'alert') {
    const alert = await features.alerts.get(ref.id);
    if (!alert) return undefined;
    const personal = alert.personal && alert.owner.tenantId === owner.tenantId;
    return { name: alert.name, personal, store: features.alertSubscriptions };
  }
  const digest = await features.digests.get(ref.id);
  if (!digest) return undefined;
  const personal =
    digest.owner.tenantId === owner.tenantId &&
    digest.params.kind === 'query_result' &&
    digest.params.personal === true;
  return { name: digest.name, personal, store: features.subscriptions };
}

export function registerDigestCopies(app: App, deps: CommandDeps): void {
  app.action(ACTION_DIGEST_GET_COPY, async ({ ack, body, action, client, respond, context }) => {
    await ack();
    const owner = ownerOf(body);
    const reply = privateRespond(respond, client, owner.userId);
    const features = await deps.features();
    const ref = parseCopyValue(buttonValue(action));
    const subject = await subjectOf(features, ref, owner);
    if (!subject?.personal) {
      await reply({
        response_type: 'ephemeral',
        replace_original: false,
        text: `That ${ref.kind} no longer sends personal copies, or it was deleted.`,
      });
      return;
    }
    const added = await subject.store.subscribe(ref.id, owner);
    const connected = (await features.credentials.load(owner, 'alation')).state === 'connected';
    requestContext(context).log.info(
      { [`${ref.kind}Id`]: ref.id, added },
      'personal copy asked for',
    );
    await reply({
      response_type: 'ephemeral',
      replace_original: false,
      text: buildSubscribedNotice({
        subject: ref.kind,
        name: subject.name,
        already: !added,
        connected,
      }),
    });
  });

  app.action(ACTION_DIGEST_UNSUBSCRIBE, async ({ ack, body, action, client, respond, context }) => {
    await ack();
    const owner = ownerOf(body);
    const features = await deps.features();
    const ref = parseCopyValue(buttonValue(action));
    const subject = await subjectOf(features, ref, owner);
    const store = ref.kind === 'alert' ? features.alertSubscriptions : features.subscriptions;
    const was = await store.unsubscribe(ref.id, owner);
    requestContext(context).log.info(
      { [`${ref.kind}Id`]: ref.id, was },
      `unsubscribed from a personal ${ref.kind}`,
    );
    if (onHome(body)) {
      await publishHome(client, features, owner);
      return;
    }
    await privateRespond(
      respond,
      client,
      owner.userId,
    )({
      response_type: 'ephemeral',
      replace_original: false,
      text: buildUnsubscribedNotice(subject?.name, was, ref.kind),
    });
  });
}

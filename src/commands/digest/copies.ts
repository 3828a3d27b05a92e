// Get my own copy and Unsubscribe (issue 18): anyone in a personal digest's channel may ask for
// their own copy, read with their own Alation access; Unsubscribe (on a copy, the no-access
// notice, `/alation digest list` and App Home) stops it.
import type { App } from '@slack/bolt';
import { ownerOf } from '../../auth/owner.ts';
import { publishHome } from '../../home/publish.ts';
import { requestContext } from '../../middleware/request-context.ts';
import { buttonValue } from '../../slack/button-value.ts';
import { privateRespond } from '../../slack/reply.ts';
import {
  ACTION_DIGEST_GET_COPY,
  ACTION_DIGEST_UNSUBSCRIBE,
  buildSubscribedNotice,
  buildUnsubscribedNotice,
} from '../../views/digest-copies.ts';
import type { CommandDeps } from '../command.ts';

const onHome = (body: unknown) => (body as { view?: { type?: string } }).view?.type === 'home';

export function registerDigestCopies(app: App, deps: CommandDeps): void {
  app.action(ACTION_DIGEST_GET_COPY, async ({ ack, body, action, client, respond, context }) => {
    await ack();
    const owner = ownerOf(body);
    const reply = privateRespond(respond, client, owner.userId);
    const features = await deps.features();
    const digest = await features.digests.get(buttonValue(action));
    if (
      !digest ||
      digest.owner.tenantId !== owner.tenantId ||
      digest.params.kind !== 'query_result' ||
      !digest.params.personal
    ) {
      await reply({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'That digest no longer sends personal copies, or it was deleted.',
      });
      return;
    }
    const added = await features.subscriptions.subscribe(digest.id, owner);
    const connected = (await features.credentials.load(owner, 'alation')).state === 'connected';
    requestContext(context).log.info({ digestId: digest.id, added }, 'personal copy asked for');
    await reply({
      response_type: 'ephemeral',
      replace_original: false,
      text: buildSubscribedNotice({ name: digest.name, already: !added, connected }),
    });
  });

  app.action(ACTION_DIGEST_UNSUBSCRIBE, async ({ ack, body, action, client, respond, context }) => {
    await ack();
    const owner = ownerOf(body);
    const features = await deps.features();
    const digestId = buttonValue(action);
    const digest = await features.digests.get(digestId);
    const was = await features.subscriptions.unsubscribe(digestId, owner);
    requestContext(context).log.info({ digestId, was }, 'unsubscribed from a personal digest');
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
      text: buildUnsubscribedNotice(digest?.name, was),
    });
  });
}

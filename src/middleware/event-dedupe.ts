import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Features } from '../features.ts';
import { requestContext } from './request-context.ts';

/**
 * Lets an Events API delivery through once per `event_id`: Slack resends an event whose ack it
 * did not see in time (`X-Slack-Retry-Num`), and without this a shared link is unfurled twice
 * and the App Home published twice. The claim is in the database, so replicas agree. Bolt has
 * already acked the event when global middleware runs, so waiting for storage here holds nobody.
 * If storage cannot answer, the event is handled rather than lost.
 */
export function eventDedupeMiddleware(
  features: () => Promise<Pick<Features, 'seenEvents'>>,
): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const eventId = (body as { type?: unknown; event_id?: unknown }).event_id;
    if ((body as { type?: unknown }).type !== 'event_callback' || typeof eventId !== 'string') {
      await next();
      return;
    }
    let first = true;
    try {
      first = await (await features()).seenEvents.claim(eventId);
    } catch (err) {
      requestContext(context).log.warn(
        { err, eventId },
        'could not check for a redelivered event; handling it',
      );
    }
    if (!first) {
      requestContext(context).log.info(
        { eventId, retryNum: context.retryNum, retryReason: context.retryReason },
        'skipped a redelivered event: already handled',
      );
      return;
    }
    await next();
  };
}

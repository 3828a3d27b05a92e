import { randomUUID } from 'node:crypto';
import type { AnyMiddlewareArgs, Context, Middleware } from '@slack/bolt';
import type { InFlight } from '../inflight.ts';
import type { Logger } from '../log.ts';

/** What every listener can rely on finding in Bolt's `context`. */
export interface RequestContext {
  requestId: string;
  /** A child logger carrying the request id, team, user and kind of request. */
  log: Logger;
}

export function requestContext(context: Context): RequestContext {
  const { requestId, log } = context as Context & Partial<RequestContext>;
  if (!requestId || !log) throw new Error('requestContextMiddleware is not installed');
  return { requestId, log };
}

function describe(body: AnyMiddlewareArgs['body']): Record<string, unknown> {
  const b = body as Record<string, unknown> & {
    user?: { id?: string };
    team?: { id?: string };
    event?: { type?: string; user?: string | { id?: string } };
  };
  // user_change (and team_join) carry a whole profile as `event.user`: log its id, never the rest.
  const eventUser = typeof b.event?.user === 'object' ? b.event.user?.id : b.event?.user;
  return {
    kind: b.command ? 'command' : (b.type ?? 'unknown'),
    command: b.command,
    subtype: b.event?.type,
    team: b.team_id ?? b.team?.id,
    user: b.user_id ?? b.user?.id ?? eventUser,
  };
}

/**
 * Gives each request an id and logger, logs how it ended, and counts the listener as in flight
 * until it finishes (which, for slow work, is long after the ack).
 */
export function requestContextMiddleware(
  log: Logger,
  inFlight: InFlight,
): Middleware<AnyMiddlewareArgs> {
  return async ({ context, body, next }) => {
    const requestId = randomUUID();
    // Built on first use: most requests never log, and a child logger is not free under load.
    let child: Logger | undefined;
    const childLog = () => {
      child ??= log.child({ reqId: requestId, ...describe(body) });
      return child;
    };
    Object.defineProperties(context, {
      requestId: { value: requestId, enumerable: true },
      log: { get: childLog, enumerable: false },
    });
    const started = performance.now();
    try {
      await inFlight.track(next());
      if (log.isLevelEnabled('debug')) {
        childLog().debug({ ms: Math.round(performance.now() - started) }, 'request handled');
      }
    } catch (error) {
      childLog().error(
        { err: error, ms: Math.round(performance.now() - started) },
        'request failed',
      );
      throw error;
    }
  };
}

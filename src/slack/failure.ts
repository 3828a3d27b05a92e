import type { RespondFn } from '@slack/bolt';
import { isUpstreamError, NotConnectedError } from '../client/errors.ts';
import type { Logger } from '../log.ts';
import { buildConnectPrompt } from '../views/connect.ts';
import { buildUpstreamErrorMessage } from '../views/upstream-error.ts';

/**
 * The one place a command's failure turns into what the person sees: connect or reconnect
 * with a button, or what went wrong upstream and what to do. Never a stack trace.
 */
export async function reportFailure(
  error: unknown,
  respond: RespondFn,
  log: Logger,
  doing: string,
): Promise<void> {
  if (error instanceof NotConnectedError) {
    await respond({ response_type: 'ephemeral', ...buildConnectPrompt(error.reason) });
    return;
  }
  if (isUpstreamError(error)) log.warn({ upstream: error.toLog() }, `could not ${doing}`);
  else log.error({ err: error }, `could not ${doing}`);
  await respond({ response_type: 'ephemeral', ...buildUpstreamErrorMessage(error, doing) });
}

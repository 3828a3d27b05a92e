// What the Mode sub-actions share: turning a failure into what the person sees.
import type { RespondFn } from '@slack/bolt';
import { type AnyUpstreamError, isUpstreamError, NotConnectedError } from '../../client/errors.ts';
import type { Features } from '../../features.ts';
import type { Logger } from '../../log.ts';
import type { Owner } from '../../store/credentials.ts';
import type { SlackMessage } from '../../views/help.ts';
import {
  buildModeConnectPrompt,
  buildModeErrorMessage,
  buildModeNotice,
} from '../../views/mode-run.ts';

export interface ModeFailureInput {
  respond: RespondFn;
  log: Logger;
  owner: Owner;
  /** Undefined when storage itself was not reachable. */
  features: Features | undefined;
  /** "list the query runs of …", for the message and the log. */
  doing: string;
  /** The person-facing line for a 404, naming what was looked for and the path tried. */
  notFound: (error: AnyUpstreamError) => string;
}

/**
 * The one place a Mode action's failure turns into what the person sees: connect, reconnect
 * (Mode refused the stored token, which is then marked so), not found, or what went wrong.
 */
export async function reportModeFailure(error: unknown, input: ModeFailureInput): Promise<void> {
  const { respond, log, owner, features, doing } = input;
  const say = (message: SlackMessage) =>
    respond({ response_type: 'ephemeral', replace_original: false, ...message });
  if (error instanceof NotConnectedError) {
    await say(buildModeConnectPrompt(error.reason));
    return;
  }
  if (isUpstreamError(error)) {
    log.warn({ upstream: error.toLog() }, `could not ${doing}`);
    if (error.kind === 'unauthorized') {
      await features?.credentials
        .markReconnect(owner, 'mode', 'credentials_rejected')
        .catch((e: unknown) => log.error({ err: e }, 'could not mark the Mode credential'));
      await say(buildModeConnectPrompt('credentials_rejected'));
      return;
    }
    if (error.kind === 'not_found') {
      await say(buildModeNotice(`:mag: ${input.notFound(error)}`));
      return;
    }
  } else {
    log.error({ err: error }, `could not ${doing}`);
  }
  await say(buildModeErrorMessage(error, doing));
}

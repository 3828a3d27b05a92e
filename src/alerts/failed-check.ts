// A check that could not be made: counted (three in a row pause the alert), said on the open
// card and in a DM to the creator with what to do; lost access or a dead connection pauses at once.
import { isUpstreamError, NotConnectedError } from '../client/errors.ts';
import type { Alert, CheckRecord } from '../store/alerts.ts';
import { buildAlertPausedDm } from '../views/alert.ts';
import type { SlackMessage } from '../views/help.ts';
import { renderCard } from './card.ts';
import type { CheckDeps, CheckOutcome } from './check.ts';

/** Paused after this many checks in a row that could not be made. */
export const PAUSE_AFTER_FAILURES = 3;

const SLACK_FIXES: Record<string, string> = {
  not_in_channel: 'the bot is not in its channel any more. Invite it with `/invite @Alation` there',
  is_archived: 'its channel was archived. Edit the alert to pick another channel',
  channel_not_found: 'its channel is gone. Edit the alert to pick another channel',
};

/** A check that could not be made: counted (three in a row pause the alert), and said. */
export async function failedCheck(
  deps: CheckDeps,
  alert: Alert,
  error: unknown,
): Promise<CheckOutcome> {
  const code = (error as { data?: { error?: string } }).data?.error;
  let fix: string | undefined;
  let pauseNow = false;
  if (error instanceof NotConnectedError) {
    fix =
      'your Alation connection no longer works. Reconnect it with the button below or `/alation login`';
    pauseNow = true;
  } else if (code && SLACK_FIXES[code]) {
    fix = SLACK_FIXES[code];
    pauseNow = true;
  } else if (isUpstreamError(error) && (error.kind === 'forbidden' || error.kind === 'not_found')) {
    fix = `Alation no longer lets you see query ${alert.queryId}. Ask its owner for access, or delete the alert`;
    pauseNow = true;
  }
  const detail = fix ?? (error instanceof Error ? error.message : String(error));
  deps.log.warn({ err: error, alertId: alert.id }, 'alert check failed');
  const record: CheckRecord = {
    result: alert.lastResult ?? '',
    state: alert.lastState ?? 'clear',
    episode: alert.episode,
    failed: true,
    detail,
  };
  const after = await deps.alerts.finish(
    alert.id,
    `error:${deps.now().toISOString()}`,
    record,
    deps.now(),
    pauseNow ? 1 : PAUSE_AFTER_FAILURES,
  );
  if (after?.status === 'paused') {
    // The card says so too, so the channel does not wait on an alert that stopped looking
    // (a personal alert's channel post has no card to redraw: it would carry the data).
    if (after.episode?.cardTs && !after.personal) {
      await deps.slack.chat
        .update({
          channel: after.channelId,
          ts: after.episode.cardTs,
          ...renderCard(
            after,
            after.episode,
            'open',
            deps.now(),
            await deps.ownerName?.(deps.slack, after.owner),
          ),
        })
        .catch((err: unknown) =>
          deps.log.warn({ err, alertId: alert.id }, 'could not mark a paused alert’s card'),
        );
    }
    const why = fix ?? `${PAUSE_AFTER_FAILURES} checks in a row failed (last: ${detail})`;
    await tellOwner(
      deps,
      alert,
      buildAlertPausedDm(alert.name, why, error instanceof NotConnectedError),
    );
  }
  return 'failed';
}

async function tellOwner(deps: CheckDeps, alert: Alert, message: SlackMessage): Promise<void> {
  try {
    await deps.slack.chat.postMessage({ channel: alert.owner.userId, ...message });
  } catch (error) {
    deps.log.warn({ err: error, alertId: alert.id }, 'could not tell an alert owner it paused');
  }
}

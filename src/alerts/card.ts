// An alert's card in Slack: drawn from the alert and what its episode keeps of the last result,
// and the effects of one check carried out (post once, update in place, remind, resolve).
import { publishPersonal } from '../digests/personal-copies.ts';
import type { Alert } from '../store/alerts.ts';
import { buildAlertCard, buildReminder, buildResolvedReply } from '../views/alert.ts';
import type { CheckDeps } from './check.ts';
import type { Episode, Shown, Step } from './episode.ts';
import { type Measurement, SHOWN_ROWS } from './measure.ts';
import { shareNewRows } from './new-rows-file.ts';

export interface CardFacts {
  /** The judged result's slot (its claim in alert_checks): a firing's copies are claimed under it. */
  slot: string;
  title: string;
  url: string;
  composeUrl: string;
  resultId: number | undefined;
  measurement: Measurement | undefined;
  now: Date;
}

/** The card for an episode, from the alert and what the episode keeps of its last result. */
export function renderCard(
  alert: Alert,
  episode: Episode,
  phase: 'open' | 'resolved',
  now: Date,
  /** The creator's Slack name, for the "as seen by" line (their id when Slack gave none). */
  ownerName?: string,
) {
  const shown = episode.shown;
  return buildAlertCard({
    alertId: alert.id,
    name: alert.name,
    condition: alert.condition,
    queryId: alert.queryId,
    queryTitle: shown?.queryTitle ?? `Query ${alert.queryId}`,
    queryUrl: shown?.queryUrl ?? '',
    ...(shown?.composeUrl ? { composeUrl: shown.composeUrl } : {}),
    ...(shown?.resultId === undefined ? {} : { resultId: shown.resultId }),
    phase,
    episode,
    endedAt: now,
    header: shown?.header ?? [],
    rows: shown?.rows ?? [],
    ...(shown?.matched === undefined ? {} : { matched: shown.matched }),
    muted: alert.status === 'muted',
    seenBy: { userId: alert.owner.userId, name: ownerName },
    ...(alert.status === 'paused' && alert.pausedReason
      ? { pausedReason: alert.pausedReason }
      : {}),
    ...(alert.snoozedUntil ? { snoozedUntil: alert.snoozedUntil } : {}),
    ...(alert.snoozedBy ? { snoozedBy: alert.snoozedBy } : {}),
    now,
    zone: alert.tz,
  });
}

/** New rows beyond what the card shows go into its thread as a CSV (all, up to NEW_ROWS_KEPT). */
async function attachNewRows(
  deps: CheckDeps,
  alert: Alert,
  threadTs: string,
  m: Measurement | undefined,
) {
  if (alert.condition.kind !== 'new_rows' || !m || m.newRowCount <= SHOWN_ROWS) return;
  await shareNewRows(
    deps.slack,
    { channelId: alert.channelId, threadTs },
    { header: m.header, rows: m.rows, total: m.newRowCount, queryId: alert.queryId },
  );
}

/** Blocks a copy leaves out: the card's buttons act on the channel's card, which has no data. */
const withoutButtons = (message: ReturnType<typeof renderCard>) => ({
  text: message.text,
  blocks: message.blocks.filter((b) => b.type !== 'actions'),
});

/**
 * A personal alert (issue 18): its channel gets a post with no data and Get my own copy when it
 * fires, each subscriber the card in a DM (one Alation call each, claimed per subscriber under
 * the firing's result slot); when it ends, a line in the post's thread. The card is never
 * updated in the channel, nor reminded there: it would carry the creator's data.
 */
async function applyPersonal(
  deps: CheckDeps,
  alert: Alert,
  next: Step,
  facts: CardFacts,
  shown: Shown,
): Promise<Episode | undefined> {
  let episode = next.episode && { ...next.episode, shown };
  if (!deps.personal) throw new Error('personal alerts need the copy fan-out');
  for (const effect of next.effects) {
    if (effect.kind === 'post_card' && episode) {
      const message = withoutButtons(renderCard(alert, episode, 'open', facts.now));
      const target = {
        subject: { kind: 'alert' as const, id: alert.id },
        name: alert.name,
        queryId: alert.queryId,
        channelId: alert.channelId,
      };
      // Posted with this check's client (the alert's workspace), not the one the deps were made with.
      const publish = { ...deps.personal, slack: deps.slack };
      const ts = await publishPersonal(publish, target, facts.slot, message, facts.resultId);
      if (ts) episode = { ...episode, cardTs: ts };
    } else if (effect.kind === 'resolve' && effect.ended.cardTs) {
      await deps.slack.chat.postMessage({
        channel: alert.channelId,
        thread_ts: effect.ended.cardTs,
        ...buildResolvedReply(alert.name, effect.lastedMs),
      });
    }
  }
  return episode;
}

/** Carries out a step's effects in Slack; returns the episode as it now stands (with its ts). */
export async function apply(
  deps: CheckDeps,
  alert: Alert,
  next: Step,
  facts: CardFacts,
): Promise<Episode | undefined> {
  const m = facts.measurement;
  const shown: Shown = {
    queryTitle: facts.title,
    queryUrl: facts.url,
    composeUrl: facts.composeUrl,
    ...(facts.resultId === undefined ? {} : { resultId: facts.resultId }),
    header: m?.header ?? [],
    rows: (m?.rows ?? []).slice(0, SHOWN_ROWS),
    ...(alert.condition.kind === 'new_rows' && m ? { matched: m.newRowCount } : {}),
  };
  if (alert.personal) return applyPersonal(deps, alert, next, facts, shown);
  let episode = next.episode && { ...next.episode, shown };
  const ownerName = await deps.ownerName?.(deps.slack, alert.owner);
  const card = (e: Episode, phase: 'open' | 'resolved') =>
    renderCard(alert, e, phase, facts.now, ownerName);
  for (const effect of next.effects) {
    switch (effect.kind) {
      case 'post_card': {
        if (!episode) break;
        const posted = await deps.slack.chat.postMessage({
          channel: alert.channelId,
          ...card(episode, 'open'),
        });
        if (posted.ts) episode = { ...episode, cardTs: posted.ts };
        if (posted.ts) await attachNewRows(deps, alert, posted.ts, m);
        break;
      }
      case 'update_card':
        if (episode?.cardTs) {
          await deps.slack.chat.update({
            channel: alert.channelId,
            ts: episode.cardTs,
            ...card(episode, 'open'),
          });
          // Still triggered by more new rows: those go into the thread too.
          await attachNewRows(deps, alert, episode.cardTs, m);
        }
        break;
      case 'remind':
        if (episode?.cardTs) {
          await deps.slack.chat.postMessage({
            channel: alert.channelId,
            thread_ts: episode.cardTs,
            ...buildReminder(alert.name, episode, facts.now),
          });
        }
        break;
      case 'resolve': {
        const ts = effect.ended.cardTs;
        if (!ts) break;
        await deps.slack.chat.update({
          channel: alert.channelId,
          ts,
          ...card(effect.ended, 'resolved'),
        });
        await deps.slack.chat.postMessage({
          channel: alert.channelId,
          thread_ts: ts,
          ...buildResolvedReply(alert.name, effect.lastedMs),
        });
        break;
      }
    }
  }
  return episode;
}

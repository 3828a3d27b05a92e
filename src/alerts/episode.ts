// The life of an alert's card: what one check does to the current episode, and what it must post.
// Pure, so every transition is tested without Slack, Alation or a clock.
//
// An episode starts when the condition starts holding (or the query starts failing) and ends
// when a check finds it clear again. One card stands for one episode: posted once, updated in
// place while the episode lasts, turned Resolved with a reply in its thread when it ends.

/** Grafana Alertmanager's default repeat interval: a reminder at most this often. */
export const REMIND_EVERY_MS = 4 * 60 * 60 * 1000;

export type EpisodeKind = 'triggered' | 'failing';

export interface Episode {
  kind: EpisodeKind;
  startedAt: string;
  /** Checks that found it so, this one included. */
  checks: number;
  /** The card's ts once posted; absent while a snooze held back the post. */
  cardTs?: string;
  acknowledgedBy?: string;
  acknowledgedAt?: string;
  /** When a reminder (or the card) last notified the channel. */
  notifiedAt?: string;
  lastValue?: number;
  /** Why the query failed or the condition could not be judged (failing episodes). */
  problem?: string;
  /** What the card shows of the last result, so a button press can redraw it without Alation. */
  shown?: Shown;
}

export interface Shown {
  queryTitle: string;
  queryUrl: string;
  /** Where the result is seen in Alation (Compose shows a query's latest result). */
  composeUrl?: string;
  resultId?: number;
  header: string[];
  /** At most the card's 10 rows. */
  rows: string[][];
  matched?: number;
}

export type Check =
  | { kind: 'holds'; value?: number }
  | { kind: 'clear'; value?: number }
  /** The execution failed, or the condition could not be judged on the result. */
  | { kind: 'failing'; problem: string };

export type Effect =
  | { kind: 'post_card' }
  | { kind: 'update_card' }
  | { kind: 'remind' }
  /** The card turns Resolved; a reply in its thread says so and for how long it lasted. */
  | { kind: 'resolve'; lastedMs: number; ended: Episode };

export interface Step {
  episode?: Episode;
  effects: Effect[];
}

export interface StepContext {
  now: Date;
  /** Until when the alert is snoozed: no posts and no replies, card updates in place only. */
  snoozedUntil?: Date;
  remindEveryMs?: number;
}

export function step(current: Episode | undefined, check: Check, ctx: StepContext): Step {
  const now = ctx.now.toISOString();
  const quiet = ctx.snoozedUntil !== undefined && ctx.now < ctx.snoozedUntil;
  const announce = (episode: Episode): Step =>
    quiet
      ? { episode, effects: [] }
      : { episode: { ...episode, notifiedAt: now }, effects: [{ kind: 'post_card' }] };

  if (check.kind === 'clear') {
    if (!current) return { effects: [] };
    const lastedMs = ctx.now.getTime() - Date.parse(current.startedAt);
    // A card never posted (snoozed throughout) has nothing to resolve in Slack.
    return current.cardTs
      ? { effects: [{ kind: 'resolve', lastedMs, ended: current }] }
      : { effects: [] };
  }

  const kind: EpisodeKind = check.kind === 'holds' ? 'triggered' : 'failing';
  const value = check.kind === 'holds' ? check.value : undefined;
  const problem = check.kind === 'failing' ? check.problem : undefined;
  if (!current) {
    return announce(fresh(kind, now, value, problem));
  }

  // The same card carries on: a failing query whose next result trips the condition becomes a
  // triggered episode; a triggered one whose next run fails stays triggered and says so.
  const next: Episode = {
    ...current,
    kind: current.kind === 'triggered' ? 'triggered' : kind,
    checks: current.kind === kind || current.kind === 'triggered' ? current.checks + 1 : 1,
    ...(current.kind === 'failing' && kind === 'triggered' ? { startedAt: now } : {}),
  };
  if (value !== undefined) next.lastValue = value;
  if (problem !== undefined) next.problem = problem;
  else delete next.problem;

  if (!next.cardTs) return announce(next);
  const effects: Effect[] = [{ kind: 'update_card' }];
  const every = ctx.remindEveryMs ?? REMIND_EVERY_MS;
  const last = Date.parse(next.notifiedAt ?? next.startedAt);
  if (!quiet && !next.acknowledgedBy && ctx.now.getTime() - last >= every) {
    effects.push({ kind: 'remind' });
    next.notifiedAt = now;
  }
  return { episode: next, effects };
}

function fresh(kind: EpisodeKind, now: string, value?: number, problem?: string): Episode {
  const episode: Episode = { kind, startedAt: now, checks: 1 };
  if (value !== undefined) episode.lastValue = value;
  if (problem !== undefined) episode.problem = problem;
  return episode;
}

/** Acknowledge: who and when, shown on the card; no reminders for the rest of the episode. */
export function acknowledge(episode: Episode, userId: string, now: Date): Episode {
  if (episode.acknowledgedBy) return episode;
  return { ...episode, acknowledgedBy: userId, acknowledgedAt: now.toISOString() };
}

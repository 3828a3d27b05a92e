// One check of one alert, start to end: read the query's latest result as the alert's creator,
// judge a result not judged before (claimed, so once across replicas and restarts), and carry
// the card through its episode. Problems the creator can fix reach them in a DM.
import type { AllMiddlewareArgs } from '@slack/bolt';
import { queryUrl } from '../client/alation/links.ts';
import type { AlationClient } from '../client/alation.ts';
import { isUpstreamError, NotConnectedError } from '../client/errors.ts';
import type { CpuPool } from '../cpu/pool.ts';
import { streamTaskRef } from '../cpu/task.ts';
import type { Logger } from '../log.ts';
import { latestResultOf, type ResultState } from '../results/latest.ts';
import type { Alert, AlertStore, CheckRecord, CheckState } from '../store/alerts.ts';
import type { Owner } from '../store/credentials.ts';
import {
  buildAlertCard,
  buildAlertPausedDm,
  buildReminder,
  buildResolvedReply,
} from '../views/alert.ts';
import type { SlackMessage } from '../views/help.ts';
import { type Check, type Episode, type Shown, type Step, step } from './episode.ts';
import { judge } from './judge.ts';
import { type Measurement, SHOWN_ROWS } from './measure.ts';
import type { MeasureOutput } from './measure-task.ts';
import { shareNewRows } from './new-rows-file.ts';

type Client = AllMiddlewareArgs['client'];

const MEASURE_TASK = streamTaskRef<typeof import('./measure-task.ts').default>(
  new URL('./measure-task.ts', import.meta.url),
);

/** Paused after this many checks in a row that could not be made. */
export const PAUSE_AFTER_FAILURES = 3;
/** A claim older than this belonged to a replica that died mid-check. */
export const CHECK_LEASE_MS = 60_000;

export interface CheckDeps {
  alerts: AlertStore;
  alationFor(owner: Owner): AlationClient;
  alationBaseUrl: string;
  slack: Client;
  cpu: CpuPool;
  log: Logger;
  now(): Date;
  leaseMs?: number;
}

export type CheckOutcome =
  | 'judged'
  /** The latest result was judged before (here or on another replica). */
  | 'not_new'
  /** No finished result to judge: never ran, still running, canceled or expired. */
  | 'no_result'
  | 'inactive'
  | 'failed'
  | { busyUntil: Date };

/** What identifies a result: its id and run, so a re-run into the same id is judged anew. */
function slotOf(state: ResultState): string | undefined {
  const ran = 'executedAt' in state ? (state.executedAt?.toISOString() ?? '') : '';
  if (state.kind === 'ready') return `${state.resultId}@${ran}`;
  if (state.kind === 'failed') return `failed@${ran}`;
  return undefined;
}

export async function checkAlert(deps: CheckDeps, alertId: string): Promise<CheckOutcome> {
  return (await checkAlerts(deps, [alertId])).get(alertId) ?? 'inactive';
}

/**
 * Checks alerts together: those of one creator on one query share one read of the latest result
 * and, when it is new, one download of its CSV, measured for all of them in one pass.
 */
export async function checkAlerts(
  deps: CheckDeps,
  alertIds: readonly string[],
): Promise<Map<string, CheckOutcome>> {
  const outcomes = new Map<string, CheckOutcome>(alertIds.map((id) => [id, 'inactive']));
  const alerts = (await Promise.all(alertIds.map((id) => deps.alerts.get(id)))).filter(
    (a): a is Alert => a?.status === 'active',
  );
  const groups = new Map<string, Alert[]>();
  for (const a of alerts) {
    const key = `${a.owner.tenantId}:${a.owner.userId}:${a.queryId}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  await Promise.all(
    [...groups.values()].map(async (group) => {
      for (const [id, outcome] of await checkGroup(deps, group)) outcomes.set(id, outcome);
    }),
  );
  return outcomes;
}

async function checkGroup(deps: CheckDeps, group: Alert[]): Promise<Map<string, CheckOutcome>> {
  const outcomes = new Map<string, CheckOutcome>();
  const [first] = group;
  if (!first) return outcomes;
  const alation = deps.alationFor(first.owner);
  let latest: Awaited<ReturnType<typeof latestResultOf>>;
  try {
    latest = await latestResultOf(alation, first.queryId);
  } catch (error) {
    for (const alert of group) outcomes.set(alert.id, await failedCheck(deps, alert, error));
    return outcomes;
  }
  const slot = slotOf(latest.state);
  const now = deps.now();
  const claimed: Alert[] = [];
  for (const alert of group) {
    if (!slot) outcomes.set(alert.id, 'no_result');
    else if (slot === alert.lastResult) outcomes.set(alert.id, 'not_new');
    else {
      const claim = await deps.alerts.claim(alert.id, slot, now, deps.leaseMs ?? CHECK_LEASE_MS);
      if (claim.state === 'claimed') claimed.push(alert);
      else
        outcomes.set(
          alert.id,
          claim.state === 'busy' ? { busyUntil: claim.leaseEndsAt } : 'not_new',
        );
    }
  }
  if (!slot || claimed.length === 0) return outcomes;
  let found: Findings[];
  try {
    found = await findingsFor(deps, claimed, alation, latest.state);
  } catch (error) {
    // Given back, so the next check (or another replica) judges this result after all.
    for (const alert of claimed) {
      await deps.alerts.release(alert.id, slot, now);
      outcomes.set(alert.id, await failedCheck(deps, alert, error));
    }
    return outcomes;
  }
  const title = latest.query.title || `Query ${first.queryId}`;
  const url = queryUrl(deps.alationBaseUrl, first.queryId, latest.query.catalog_url);
  await Promise.all(
    claimed.map(async (alert, i) => {
      const f = found[i] ?? { state: 'clear' };
      try {
        outcomes.set(alert.id, await settleAlert(deps, alert, slot, f, { title, url, now }));
      } catch (error) {
        await deps.alerts.release(alert.id, slot, now);
        outcomes.set(alert.id, await failedCheck(deps, alert, error));
      }
    }),
  );
  return outcomes;
}

/** One claimed alert: the step its findings make, carried out in Slack, then recorded. */
async function settleAlert(
  deps: CheckDeps,
  alert: Alert,
  slot: string,
  found: Findings,
  facts: { title: string; url: string; now: Date },
): Promise<CheckOutcome> {
  const next = found.check
    ? step(alert.episode ?? undefined, found.check, { now: facts.now, ...snooze(alert) })
    : { episode: alert.episode ?? undefined, effects: [] };
  const episode = await apply(deps, alert, next, { ...facts, measurement: found.measurement });
  const record: CheckRecord = {
    result: slot,
    state: found.state,
    episode: episode ?? null,
    failed: false,
    detail: found.check?.kind === 'failing' ? found.check.problem : null,
    ...(found.value === undefined ? {} : { value: found.value }),
    ...(found.measurement ? { fingerprint: found.measurement.fingerprint } : {}),
  };
  if (found.measurement && alert.condition.kind === 'new_rows') {
    await deps.alerts.setKeys(alert.id, found.measurement.keys, found.measurement.keysCapped);
  }
  await deps.alerts.finish(alert.id, slot, record, facts.now, PAUSE_AFTER_FAILURES);
  return 'judged';
}

const snooze = (alert: Alert) => (alert.snoozedUntil ? { snoozedUntil: alert.snoozedUntil } : {});

interface Findings {
  check?: Check;
  state: CheckState;
  value?: number;
  measurement?: Measurement;
}

/** What the latest result says for each alert, in their order: one CSV read for all. */
async function findingsFor(
  deps: CheckDeps,
  alerts: Alert[],
  alation: AlationClient,
  state: ResultState,
): Promise<Findings[]> {
  if (state.kind === 'failed') {
    const failing: Findings = {
      check: { kind: 'failing', problem: `The query failed: ${state.error}` },
      state: 'failing',
    };
    return alerts.map(() => failing);
  }
  if (state.kind !== 'ready') return alerts.map(() => ({ state: 'clear' }));
  const keys = await Promise.all(
    alerts.map((a) => (a.condition.kind === 'new_rows' ? deps.alerts.keys(a.id) : undefined)),
  );
  const measurements = await measureAll(deps, alerts, keys, alation, state.resultId);
  return alerts.map((alert, i) => findingOf(alert, measurements?.[i], keys[i] !== undefined));
}

function findingOf(alert: Alert, measurement: Measurement | undefined, hasKeys: boolean): Findings {
  if (!measurement) {
    const problem =
      'The latest result is not a CSV table Alation could give, so it cannot be judged.';
    return { check: { kind: 'failing', problem }, state: 'failing' };
  }
  const verdict = judge(alert.condition, measurement, {
    ...(alert.lastFingerprint ? { fingerprint: alert.lastFingerprint } : {}),
    hasKeys,
  });
  switch (verdict.kind) {
    case 'baseline':
      return { state: 'baseline', measurement };
    case 'broken':
      return {
        check: { kind: 'failing', problem: verdict.problem },
        state: 'failing',
        measurement,
      };
    default: {
      const check: Check =
        verdict.value === undefined
          ? { kind: verdict.kind }
          : { kind: verdict.kind, value: verdict.value };
      return {
        check,
        state: verdict.kind === 'holds' ? 'triggered' : 'clear',
        measurement,
        ...(verdict.value === undefined ? {} : { value: verdict.value }),
      };
    }
  }
}

/** The result's CSV streamed once through a CPU-pool thread: only the measurements come back. */
async function measureAll(
  deps: CheckDeps,
  alerts: Alert[],
  keys: (Set<string> | undefined)[],
  alation: AlationClient,
  resultId: number,
): Promise<MeasureOutput> {
  const response = await alation.queries.resultCsv(resultId);
  const stream = deps.cpu.open(MEASURE_TASK, {
    items: alerts.map((a, i) => {
      const previous = keys[i];
      return { condition: a.condition, ...(previous ? { previousKeys: [...previous] } : {}) };
    }),
  });
  try {
    for await (const chunk of response.body) await stream.write(chunk as Buffer);
  } catch (error) {
    stream.abort(error);
    response.body.destroy();
    throw error;
  }
  return stream.end();
}

interface CardFacts {
  title: string;
  url: string;
  measurement: Measurement | undefined;
  now: Date;
}

/** The card for an episode, from the alert and what the episode keeps of its last result. */
export function renderCard(alert: Alert, episode: Episode, phase: 'open' | 'resolved', now: Date) {
  const shown = episode.shown;
  return buildAlertCard({
    alertId: alert.id,
    name: alert.name,
    condition: alert.condition,
    queryId: alert.queryId,
    queryTitle: shown?.queryTitle ?? `Query ${alert.queryId}`,
    queryUrl: shown?.queryUrl ?? '',
    phase,
    episode,
    endedAt: now,
    header: shown?.header ?? [],
    rows: shown?.rows ?? [],
    ...(shown?.matched === undefined ? {} : { matched: shown.matched }),
    muted: alert.status === 'muted',
    ...(alert.status === 'paused' && alert.pausedReason
      ? { pausedReason: alert.pausedReason }
      : {}),
    ...(alert.snoozedUntil ? { snoozedUntil: alert.snoozedUntil } : {}),
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

/** Carries out a step's effects in Slack; returns the episode as it now stands (with its ts). */
async function apply(
  deps: CheckDeps,
  alert: Alert,
  next: Step,
  facts: CardFacts,
): Promise<Episode | undefined> {
  const m = facts.measurement;
  const shown: Shown = {
    queryTitle: facts.title,
    queryUrl: facts.url,
    header: m?.header ?? [],
    rows: (m?.rows ?? []).slice(0, SHOWN_ROWS),
    ...(alert.condition.kind === 'new_rows' && m ? { matched: m.newRowCount } : {}),
  };
  let episode = next.episode && { ...next.episode, shown };
  const card = (e: Episode, phase: 'open' | 'resolved') => renderCard(alert, e, phase, facts.now);
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

const SLACK_FIXES: Record<string, string> = {
  not_in_channel: 'the bot is not in its channel any more. Invite it with `/invite @Alation` there',
  is_archived: 'its channel was archived. Edit the alert to pick another channel',
  channel_not_found: 'its channel is gone. Edit the alert to pick another channel',
};

/** A check that could not be made: counted (three in a row pause the alert), and said. */
async function failedCheck(deps: CheckDeps, alert: Alert, error: unknown): Promise<CheckOutcome> {
  const code = (error as { data?: { error?: string } }).data?.error;
  let fix: string | undefined;
  let pauseNow = false;
  if (error instanceof NotConnectedError) {
    fix = 'your Alation connection no longer works. Reconnect with `/alation login`';
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
    // The card says so too, so the channel does not wait on an alert that stopped looking.
    if (after.episode?.cardTs) {
      await deps.slack.chat
        .update({
          channel: after.channelId,
          ts: after.episode.cardTs,
          ...renderCard(after, after.episode, 'open', deps.now()),
        })
        .catch((err: unknown) =>
          deps.log.warn({ err, alertId: alert.id }, 'could not mark a paused alert’s card'),
        );
    }
    const why = fix ?? `${PAUSE_AFTER_FAILURES} checks in a row failed (last: ${detail})`;
    await tellOwner(deps, alert, buildAlertPausedDm(alert.name, why));
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

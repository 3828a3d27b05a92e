// One check of one alert, start to end: read the query's latest result as the alert's creator,
// judge a result not judged before (claimed, so once across replicas and restarts), and carry
// the card through its episode. Problems the creator can fix reach them in a DM.
import type { AllMiddlewareArgs } from '@slack/bolt';
import { composeUrl, queryUrl } from '../client/alation/links.ts';
import type { AlationClient } from '../client/alation.ts';
import type { CpuPool } from '../cpu/pool.ts';
import { streamTaskRef } from '../cpu/task.ts';
import type { PublishDeps } from '../digests/personal-copies.ts';
import type { Logger } from '../log.ts';
import { latestResultOf, type ResultState } from '../results/latest.ts';
import type { Alert, AlertStore, CheckRecord, CheckState } from '../store/alerts.ts';
import type { Owner } from '../store/credentials.ts';
import { apply } from './card.ts';
import { type Check, step } from './episode.ts';
import { failedCheck, PAUSE_AFTER_FAILURES } from './failed-check.ts';
import { judge } from './judge.ts';
import type { Measurement } from './measure.ts';
import type { MeasureOutput } from './measure-task.ts';

type Client = AllMiddlewareArgs['client'];

export { renderCard } from './card.ts';
export { PAUSE_AFTER_FAILURES };

const MEASURE_TASK = streamTaskRef<typeof import('./measure-task.ts').default>(
  new URL('./measure-task.ts', import.meta.url),
);

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
  /** The creator's Slack name for the card's "as seen by" line; undefined when Slack gave none. */
  ownerName?(slack: Client, owner: Owner): Promise<string | undefined>;
  /** Personal alerts' copies (issue 18): their subscriptions and the fan-out queue. */
  personal?: PublishDeps;
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
  const compose = composeUrl(deps.alationBaseUrl, first.queryId, latest.query.compose_url);
  const resultId = latest.state.kind === 'ready' ? latest.state.resultId : undefined;
  await Promise.all(
    claimed.map(async (alert, i) => {
      const f = found[i] ?? { state: 'clear' };
      try {
        outcomes.set(
          alert.id,
          await settleAlert(deps, alert, slot, f, {
            slot,
            title,
            url,
            composeUrl: compose,
            resultId,
            now,
          }),
        );
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
  facts: {
    slot: string;
    title: string;
    url: string;
    composeUrl: string;
    resultId: number | undefined;
    now: Date;
  },
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

import { afterEach, describe, expect, it } from 'vitest';
import { type DeliveryDeps, deliverDigest } from '../../src/digests/deliver.ts';
import { DIGEST_QUEUE, digestWorkerDeps } from '../../src/queue/digest-run.ts';
import type { DigestParams } from '../../src/store/digests.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { textOf } from '../support/flows.ts';
import { captureLog } from '../support/log.ts';
import { until } from '../support/wait.ts';

const bots: TestBot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

const CSV = 'region,total\nEMEA,1200.50\nAMER,980.00\n';
const CHANNEL = SLACK_DEFAULTS.channelId;

async function setup(options: Parameters<typeof startTestBot>[0] = {}) {
  const t = await startTestBot({ jobs: {}, ...options });
  bots.push(t);
  await t.connectAlation(DEFAULT_OWNER, 7);
  const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
  const query = t.alation.addQuery({ datasourceId, title: 'Sales by region', content: 'SELECT 1' });
  t.alation.addResult(query.id, {
    csv: CSV,
    rowCount: 2,
    executedAt: new Date(Date.now() - 3600_000),
  });
  return { t, query };
}

/** A controllable clock: deliveries happen "at" whatever instant the test sets. */
function clocked(t: TestBot, start: Date) {
  let now = start;
  const deps: DeliveryDeps = {
    ...digestWorkerDeps(t.features, t.bot.app.client, captureLog().log),
    now: () => now,
  };
  return {
    deps,
    set(at: Date) {
      now = at;
    },
  };
}

async function create(
  t: TestBot,
  params: DigestParams,
  extra: { cron?: string; tz?: string; channelId?: string } = {},
) {
  return t.features.digests.create(
    {
      owner: DEFAULT_OWNER,
      channelId: extra.channelId ?? CHANNEL,
      name: 'Morning sales',
      // Charts have their own tests (chart-digest.test.ts); these are about delivery.
      params: params.kind === 'query_result' ? { includeChart: false, ...params } : params,
      cron: extra.cron ?? '0 9 * * 1-5',
      tz: extra.tz ?? 'Europe/Berlin',
    },
    new Date('2026-11-23T08:00:00Z'),
  );
}

const uploadsIn = (t: TestBot) =>
  t.slack.callsTo('files.completeUploadExternal').filter((c) => c.args.channel_id === CHANNEL);
const postsIn = (t: TestBot, channel: string = CHANNEL) =>
  t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);

/**
 * During `outage` a run gives its slot back (a passing failure, for pg-boss to retry) and posts
 * nothing; once it is over, the retry posts the slot once and the creator is not bothered.
 */
async function expectRetriedOnce(t: TestBot, digestId: string, outage: { remove(): void }) {
  const clock = clocked(t, new Date('2026-11-24T08:00:05Z'));
  const at = new Date('2026-11-24T08:00:00Z');
  await expect(deliverDigest(clock.deps, digestId, { at })).rejects.toThrow(
    'digest delivery failed for a passing reason',
  );
  expect(await t.features.digests.deliveries(digestId)).toEqual([]);
  outage.remove();
  expect(await deliverDigest(clock.deps, digestId, { at })).toBe('posted');
  expect(postsIn(t)).toHaveLength(1);
  expect(postsIn(t, DEFAULT_OWNER.userId)).toHaveLength(0);
}

describe('query result digests', () => {
  it('posts the header, period, preview and the CSV, once per slot', async () => {
    const { t, query } = await setup();
    const digest = await create(t, {
      kind: 'query_result',
      queryId: query.id,
      attachCsv: true,
      onlyIfChanged: false,
    });
    const clock = clocked(t, new Date('2026-11-24T08:00:05Z'));
    const slot = { at: new Date('2026-11-24T08:00:00Z') };
    expect(await deliverDigest(clock.deps, digest.id, slot)).toBe('posted');
    expect(await deliverDigest(clock.deps, digest.id, slot)).toBe('duplicate');
    expect(uploadsIn(t)).toHaveLength(1);
    const upload = [...t.slack.uploads.values()].find((u) => u.filename.endsWith('.csv'));
    expect(upload?.bytes?.toString('utf8')).toBe(CSV);
    const text = textOf(uploadsIn(t)[0]?.args);
    expect(text).toContain('Morning sales');
    // The period in the digest's zone: created 09:00 Berlin on the 23rd, to 09:00 on the 24th.
    expect(text).toContain('Mon 23 Nov 2026, 09:00 UTC+01:00 → Tue 24 Nov 2026, 09:00 UTC+01:00');
    expect(text).toContain('EMEA');
    const after = await t.features.digests.get(digest.id);
    expect(after?.lastOutcome).toBe('posted');
    expect(after?.sinceAt.toISOString()).toBe(slot.at.toISOString());
  });

  it('skips an unchanged result when asked to post only on change, and posts a changed one', async () => {
    const { t, query } = await setup();
    const digest = await create(t, {
      kind: 'query_result',
      queryId: query.id,
      attachCsv: true,
      onlyIfChanged: true,
    });
    const clock = clocked(t, new Date('2026-11-24T08:00:05Z'));
    expect(
      await deliverDigest(clock.deps, digest.id, { at: new Date('2026-11-24T08:00:00Z') }),
    ).toBe('posted');
    // A re-run with the same rows is not a change.
    t.alation.addResult(query.id, { csv: CSV, rowCount: 2 });
    clock.set(new Date('2026-11-25T08:00:05Z'));
    expect(
      await deliverDigest(clock.deps, digest.id, { at: new Date('2026-11-25T08:00:00Z') }),
    ).toBe('skipped');
    expect(uploadsIn(t)).toHaveLength(1);
    t.alation.addResult(query.id, { csv: `${CSV}APAC,1.00\n`, rowCount: 3 });
    clock.set(new Date('2026-11-26T08:00:05Z'));
    expect(
      await deliverDigest(clock.deps, digest.id, { at: new Date('2026-11-26T08:00:00Z') }),
    ).toBe('posted');
    expect(uploadsIn(t)).toHaveLength(2);
    expect([...t.slack.uploads.values()].at(-1)?.bytes?.toString('utf8')).toContain('APAC');
  });

  it('posts without a file when the CSV is not wanted', async () => {
    const { t, query } = await setup();
    const digest = await create(t, {
      kind: 'query_result',
      queryId: query.id,
      attachCsv: false,
      onlyIfChanged: false,
    });
    const clock = clocked(t, new Date('2026-11-24T08:00:05Z'));
    expect(
      await deliverDigest(clock.deps, digest.id, { at: new Date('2026-11-24T08:00:00Z') }),
    ).toBe('posted');
    expect(uploadsIn(t)).toHaveLength(0);
    const [post] = postsIn(t);
    expect(textOf(post?.args)).toContain('EMEA');
    expect(textOf(post?.args)).not.toContain('attached');
  });

  it('runs from pg-boss: the same slot queued twice (two replicas) posts once', async () => {
    const { t, query } = await setup();
    const digest = await create(t, {
      kind: 'query_result',
      queryId: query.id,
      attachCsv: true,
      onlyIfChanged: false,
    });
    const slot = '2026-11-24T08:00:00.000Z';
    await t.boss?.send(DIGEST_QUEUE, { digestId: digest.id, slot });
    await t.boss?.send(DIGEST_QUEUE, { digestId: digest.id, slot });
    await t.slack.waitFor('files.completeUploadExternal');
    // Both jobs complete; one that found the slot mid-run leaves a deferred re-check behind.
    await until(async () => {
      const jobs = (await t.boss?.findJobs(DIGEST_QUEUE)) ?? [];
      const completed = jobs.filter((j) => j.state === 'completed').length;
      return completed === 2 && !jobs.some((j) => j.state === 'active');
    });
    const deferred = ((await t.boss?.findJobs(DIGEST_QUEUE)) ?? []).filter(
      (j) => j.state === 'created',
    );
    for (const job of deferred) expect(job.startAfter.getTime()).toBeGreaterThan(Date.now());
    expect(uploadsIn(t)).toHaveLength(1);
    expect(await t.features.digests.deliveries(digest.id)).toEqual([{ slot, status: 'posted' }]);
  });
});

describe('delivery repairs itself', () => {
  it('tells the creator when the bot is not in the channel', async () => {
    const { t, query } = await setup();
    t.slack.addChannel({ id: 'C0OUTSIDE1', name: 'outside', is_member: false });
    const digest = await create(
      t,
      { kind: 'query_result', queryId: query.id, attachCsv: false, onlyIfChanged: false },
      { channelId: 'C0OUTSIDE1', cron: '0 9 * * *', tz: 'UTC' },
    );
    const clock = clocked(t, new Date('2026-11-24T09:00:01Z'));
    expect(
      await deliverDigest(clock.deps, digest.id, { at: new Date('2026-11-24T09:00:00Z') }),
    ).toBe('failed');
    const [dm] = postsIn(t, DEFAULT_OWNER.userId);
    expect(textOf(dm?.args)).toContain('I am not a member of <#C0OUTSIDE1>');
    expect(textOf(dm?.args)).toContain('/invite @Alation');
  });

  it('tells the creator when the channel is archived', async () => {
    const { t, query } = await setup();
    t.slack.addChannel({ id: 'C0ARCHIVE1', name: 'old', is_archived: true });
    const digest = await create(
      t,
      { kind: 'query_result', queryId: query.id, attachCsv: false, onlyIfChanged: false },
      { channelId: 'C0ARCHIVE1', cron: '0 9 * * *', tz: 'UTC' },
    );
    const clock = clocked(t, new Date('2026-11-24T09:00:01Z'));
    expect(
      await deliverDigest(clock.deps, digest.id, { at: new Date('2026-11-24T09:00:00Z') }),
    ).toBe('failed');
    expect(textOf(postsIn(t, DEFAULT_OWNER.userId)[0]?.args)).toContain(
      '<#C0ARCHIVE1> is archived',
    );
  });

  it('gives the slot back on an Alation outage, so a retry posts it once', async () => {
    const { t, query } = await setup();
    const digest = await create(t, {
      kind: 'query_result',
      queryId: query.id,
      attachCsv: false,
      onlyIfChanged: false,
    });
    const outage = t.alation.fault({ path: /\/result\/latest\//, status: 503, times: Infinity });
    await expectRetriedOnce(t, digest.id, outage);
  });

  it('after the last retry, records the failure and tells the creator what happened', async () => {
    const { t, query } = await setup();
    const digest = await create(t, {
      kind: 'query_result',
      queryId: query.id,
      attachCsv: false,
      onlyIfChanged: false,
    });
    t.alation.fault({ path: /\/result\/latest\//, status: 503, times: Infinity });
    const clock = clocked(t, new Date('2026-11-24T08:00:05Z'));
    const at = new Date('2026-11-24T08:00:00Z');
    expect(await deliverDigest(clock.deps, digest.id, { at }, { lastAttempt: true })).toBe(
      'failed',
    );
    expect(postsIn(t)).toHaveLength(0);
    const dm = textOf(postsIn(t, DEFAULT_OWNER.userId)[0]?.args);
    expect(dm).toContain('could not be posted');
    expect(dm).toContain('I will try again at the next run');
    expect(await t.features.digests.deliveries(digest.id)).toEqual([
      { slot: at.toISOString(), status: 'failed' },
    ]);
    expect((await t.features.digests.get(digest.id))?.consecutiveFailures).toBe(1);
  });

  it('DMs the creator when their credentials stop working and pauses after 3 failures', async () => {
    const { t, query } = await setup();
    const digest = await create(t, {
      kind: 'query_result',
      queryId: query.id,
      attachCsv: false,
      onlyIfChanged: false,
    });
    await t.features.digestScheduler().schedule(digest);
    t.alation.revokeRefreshToken(7);
    const clock = clocked(t, new Date('2026-11-24T08:00:05Z'));
    for (const day of [24, 25, 26]) {
      const at = new Date(`2026-11-${day}T08:00:00Z`);
      clock.set(new Date(at.getTime() + 5_000));
      expect(await deliverDigest(clock.deps, digest.id, { at })).toBe('failed');
    }
    const dms = postsIn(t, DEFAULT_OWNER.userId);
    expect(dms).toHaveLength(2);
    expect(textOf(dms[0]?.args)).toContain('/alation login');
    expect(textOf(dms[1]?.args)).toContain('failed 3 times in a row, so I paused it');
    const paused = await t.features.digests.get(digest.id);
    expect(paused?.status).toBe('paused');
    expect(await t.boss?.getSchedule(DIGEST_QUEUE, digest.id)).toBeNull();
    // Paused: scheduled slots do nothing.
    expect(
      await deliverDigest(clock.deps, digest.id, { at: new Date('2026-11-27T08:00:00Z') }),
    ).toBe('inactive');
    expect(postsIn(t)).toHaveLength(0);
  });

  it('retries after a Slack 429 and delivers once', async () => {
    const { t, query } = await setup();
    const digest = await create(t, {
      kind: 'query_result',
      queryId: query.id,
      attachCsv: false,
      onlyIfChanged: false,
    });
    t.slack.fault({ path: '/api/chat.postMessage', status: 429, retryAfter: 1 });
    const clock = clocked(t, new Date('2026-11-24T08:00:05Z'));
    expect(
      await deliverDigest(clock.deps, digest.id, { at: new Date('2026-11-24T08:00:00Z') }),
    ).toBe('posted');
    const delivered = t.slack.messages(CHANNEL);
    expect(delivered).toHaveLength(1);
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(2);
  });
});

describe('activity digests', () => {
  it('lists failed runs since the previous digest, newest first, in the digest’s zone', async () => {
    const { t, query } = await setup();
    const other = t.alation.addQuery({
      datasourceId: query.datasourceId,
      title: 'Other',
      content: 'SELECT 2',
    });
    t.alation.addExecutionEvent(query.id, {
      executedAt: new Date('2026-11-23T22:00:00Z'),
      executionError: 'relation "sales" does not exist',
    });
    t.alation.addExecutionEvent(other.id, {
      executedAt: new Date('2026-11-24T02:30:00Z'),
      executionError: 'permission denied',
    });
    // Before the period and a success: neither belongs in it.
    t.alation.addExecutionEvent(query.id, {
      executedAt: new Date('2026-11-22T22:00:00Z'),
      executionError: 'old failure',
    });
    t.alation.addExecutionEvent(query.id, { executedAt: new Date('2026-11-24T01:00:00Z') });
    const digest = await create(
      t,
      { kind: 'failed_runs' },
      { cron: '0 7 * * *', tz: 'America/New_York' },
    );
    const clock = clocked(t, new Date('2026-11-24T12:00:05Z'));
    expect(
      await deliverDigest(clock.deps, digest.id, { at: new Date('2026-11-24T12:00:00Z') }),
    ).toBe('posted');
    const text = textOf(postsIn(t)[0]?.args);
    expect(text).toContain('permission denied');
    expect(text).toContain('relation "sales" does not exist');
    expect(text).not.toContain('old failure');
    expect(text.indexOf('permission denied')).toBeLessThan(text.indexOf('relation'));
    expect(text).toContain('Mon 23 Nov 2026, 21:30 UTC-05:00');
    // Only one query, next period: nothing new.
    clock.set(new Date('2026-11-25T12:00:05Z'));
    expect(
      await deliverDigest(clock.deps, digest.id, { at: new Date('2026-11-25T12:00:00Z') }),
    ).toBe('posted');
    expect(textOf(postsIn(t)[1]?.args)).toContain('No failed query runs in this period');
  });

  it('keeps to one data source when asked', async () => {
    const { t, query } = await setup();
    const lake = t.alation.addDataSource({ title: 'Lake' }).id;
    const onLake = t.alation.addQuery({ datasourceId: lake, title: 'Lake q', content: 'SELECT 3' });
    t.alation.addExecutionEvent(query.id, {
      executedAt: new Date('2026-11-23T22:00:00Z'),
      executionError: 'warehouse failure',
    });
    t.alation.addExecutionEvent(onLake.id, {
      executedAt: new Date('2026-11-23T23:00:00Z'),
      executionError: 'lake failure',
    });
    const digest = await create(t, { kind: 'failed_runs', datasourceId: lake });
    const clock = clocked(t, new Date('2026-11-24T08:00:05Z'));
    await deliverDigest(clock.deps, digest.id, { at: new Date('2026-11-24T08:00:00Z') });
    const text = textOf(postsIn(t)[0]?.args);
    expect(text).toContain(`1 failed run on data source ${lake}`);
    expect(text).toContain('lake failure');
    expect(text).not.toContain('warehouse failure');
  });

  it('finds a new flag among more flags than one page holds (the API cannot filter by time)', async () => {
    const { t } = await setup();
    for (let i = 0; i < 1_200; i++) {
      t.alation.addFlag({
        flagType: 'ENDORSEMENT',
        subject: { otype: 'table', id: 1_000 + i },
        userId: 7,
        tsCreated: new Date('2026-10-01T00:00:00Z'),
      });
    }
    t.alation.addFlag({
      flagType: 'DEPRECATION',
      reason: 'moved to orders_v2',
      subject: { otype: 'table', id: 12 },
      userId: 7,
      tsCreated: new Date('2026-11-23T12:00:00Z'),
    });
    const digest = await create(t, { kind: 'flag_changes', onlyWarnings: false });
    const clock = clocked(t, new Date('2026-11-24T08:00:05Z'));
    await deliverDigest(clock.deps, digest.id, { at: new Date('2026-11-24T08:00:00Z') });
    const text = textOf(postsIn(t)[0]?.args);
    expect(text).toContain('1 new trust flag');
    expect(text).toContain('moved to orders_v2');
    expect(t.alation.requestsTo('GET', '/integration/flag/').length).toBeGreaterThan(1);
  });

  it('lists new deprecations and warnings only, when asked', async () => {
    const { t } = await setup();
    const at = new Date('2026-11-23T12:00:00Z');
    t.alation.addFlag({
      flagType: 'DEPRECATION',
      reason: 'use orders_v2',
      subject: { otype: 'table', id: 12 },
      userId: 7,
      tsCreated: at,
    });
    t.alation.addFlag({
      flagType: 'WARNING',
      reason: 'late data',
      subject: { otype: 'table', id: 13 },
      userId: 7,
      tsCreated: at,
    });
    t.alation.addFlag({
      flagType: 'ENDORSEMENT',
      subject: { otype: 'table', id: 14 },
      userId: 7,
      tsCreated: at,
    });
    t.alation.addFlag({
      flagType: 'DEPRECATION',
      reason: 'long ago',
      subject: { otype: 'table', id: 15 },
      userId: 7,
      tsCreated: new Date('2026-11-01T00:00:00Z'),
    });
    const digest = await create(t, { kind: 'flag_changes', onlyWarnings: true });
    const clock = clocked(t, new Date('2026-11-24T08:00:05Z'));
    expect(
      await deliverDigest(clock.deps, digest.id, { at: new Date('2026-11-24T08:00:00Z') }),
    ).toBe('posted');
    const text = textOf(postsIn(t)[0]?.args);
    expect(text).toContain('2 new deprecations or warnings');
    expect(text).toContain('Deprecation* on');
    expect(text).toContain('use orders_v2');
    expect(text).toContain('late data');
    expect(text).not.toContain('Endorsement');
    expect(text).not.toContain('long ago');
  });

  it('keeps to 50 blocks and summarises the rest with a link', async () => {
    const { t, query } = await setup();
    for (let i = 0; i < 60; i++) {
      t.alation.addExecutionEvent(query.id, {
        executedAt: new Date(Date.UTC(2026, 10, 23, 12, i)),
        executionError: `failure ${i}`,
      });
    }
    const digest = await create(t, { kind: 'failed_runs', queryId: query.id });
    const clock = clocked(t, new Date('2026-11-24T08:00:05Z'));
    await deliverDigest(clock.deps, digest.id, { at: new Date('2026-11-24T08:00:00Z') });
    const blocks = postsIn(t)[0]?.args.blocks as unknown[];
    expect(blocks).toHaveLength(50);
    expect(textOf(blocks.at(-1))).toContain('…and 13 more.');
    expect(textOf(blocks.at(-1))).toContain('See every run in Alation');
  });
});

describe('Mode report run digests', () => {
  /** Report `r3p0rt`: a run that finished in the period, one before it, one still going. */
  function seedReport(t: TestBot) {
    const run = (token: string, state: 'failed' | 'succeeded' | 'running', completed?: string) =>
      t.mode.addReportRun({
        workspace: 'acme',
        report: 'r3p0rt',
        token,
        state,
        createdAt: new Date('2026-11-23T19:55:00Z'),
        completedAt: completed ? new Date(completed) : null,
      });
    const query = (runToken: string, name: string, state: 'failed' | 'succeeded', error?: string) =>
      t.mode.addQueryRun({
        workspace: 'acme',
        report: 'r3p0rt',
        run: runToken,
        queryName: name,
        state,
        ...(error ? { errorType: 'QueryError', errorMessage: error } : {}),
      });
    run('inperiod', 'failed', '2026-11-23T20:00:00Z');
    query('inperiod', 'Daily revenue', 'succeeded');
    query('inperiod', 'Churn by cohort', 'failed', 'column "cohort" does not exist');
    run('before', 'succeeded', '2026-11-22T20:00:00Z');
    query('before', 'Old numbers', 'succeeded');
    run('going', 'running');
  }

  /** A Mode digest on report `r3p0rt` (seeded), its creator connected to Mode. */
  async function modeDigest(extra: { run?: string; only?: 'failed' | 'succeeded' } = {}) {
    const { t } = await setup();
    const api = await t.connectMode();
    seedReport(t);
    const digest = await create(t, {
      kind: 'mode_runs',
      workspace: 'acme',
      report: 'r3p0rt',
      ...extra,
    });
    return { t, api, digest };
  }

  it('lists the query runs of each report run that finished in the period, read as the creator', async () => {
    const { t, api, digest } = await modeDigest();
    const clock = clocked(t, new Date('2026-11-24T08:00:05Z'));
    expect(
      await deliverDigest(clock.deps, digest.id, { at: new Date('2026-11-24T08:00:00Z') }),
    ).toBe('posted');
    const [post] = postsIn(t);
    const text = textOf(post?.args);
    expect(text).toContain('Mode query runs: 1 failed, 1 succeeded in 1 report run');
    expect(text).toContain('Churn by cohort');
    expect(text).toContain('QueryError: column "cohort" does not exist');
    expect(text).toContain('Daily revenue');
    // Finished in the digest's zone (Berlin): 20:00 UTC is 21:00 there.
    expect(text).toContain('finished Mon 23 Nov 2026, 21:00 UTC+01:00');
    expect(text).toContain(`${t.mode.url}/acme/reports/r3p0rt/runs/inperiod`);
    expect(text).not.toContain('Old numbers');
    expect(text).not.toContain('going');
    // Every Mode request carried the creator's own token.
    const modeCalls = t.mode.requests;
    expect(modeCalls.length).toBeGreaterThanOrEqual(2);
    expect(modeCalls.every((r) => r.userId === api.token)).toBe(true);
    expect(modeCalls[0]?.query.get('filter')).toBe('updated_at.gt.2026-11-23T08:00:00.000Z');
  });

  it('shows only failed query runs when asked, and says so when a period had none', async () => {
    const { t, digest } = await modeDigest({ only: 'failed' });
    const clock = clocked(t, new Date('2026-11-24T08:00:05Z'));
    await deliverDigest(clock.deps, digest.id, { at: new Date('2026-11-24T08:00:00Z') });
    const first = textOf(postsIn(t)[0]?.args);
    expect(first).toContain('Churn by cohort');
    expect(first).not.toContain('Daily revenue');
    expect(first).toContain('Mode query runs: 1 failed in 1 report run');
    // The next day nothing finished: the digest says so rather than staying silent.
    clock.set(new Date('2026-11-25T08:00:05Z'));
    await deliverDigest(clock.deps, digest.id, { at: new Date('2026-11-25T08:00:00Z') });
    expect(textOf(postsIn(t)[1]?.args)).toContain('No run of this report finished in this period');
  });

  it('follows one report run and posts again only when its query runs changed', async () => {
    const { t, digest } = await modeDigest({ run: 'inperiod' });
    const clock = clocked(t, new Date('2026-11-24T08:00:05Z'));
    const at = (day: number) => ({ at: new Date(`2026-11-${day}T08:00:00Z`) });
    expect(await deliverDigest(clock.deps, digest.id, at(24))).toBe('posted');
    expect(textOf(postsIn(t)[0]?.args)).toContain('Report run inperiod');
    clock.set(new Date('2026-11-25T08:00:05Z'));
    expect(await deliverDigest(clock.deps, digest.id, at(25))).toBe('skipped');
    const churn = [...t.mode.state.queryRuns.values()].find(
      (q) => q.queryName === 'Churn by cohort',
    );
    t.mode.updateQueryRun(churn?.token ?? '', {
      state: 'succeeded',
      errorType: null,
      errorMessage: null,
    });
    clock.set(new Date('2026-11-26T08:00:05Z'));
    expect(await deliverDigest(clock.deps, digest.id, at(26))).toBe('posted');
    expect(postsIn(t)).toHaveLength(2);
    expect(textOf(postsIn(t)[1]?.args)).toContain('0 failed, 2 succeeded');
  });

  it('gives the slot back when Mode is down, and a retry posts it once', async () => {
    const { t, digest } = await modeDigest();
    const outage = t.mode.fault({ path: /\/runs\/?$/, status: 502, times: Infinity });
    await expectRetriedOnce(t, digest.id, outage);
  });

  it('DMs the creator to reconnect Mode when Mode refuses their token, and marks it', async () => {
    const { t, api, digest } = await modeDigest();
    t.mode.state.tokens.delete(api.token);
    const clock = clocked(t, new Date('2026-11-24T08:00:05Z'));
    expect(
      await deliverDigest(clock.deps, digest.id, { at: new Date('2026-11-24T08:00:00Z') }),
    ).toBe('failed');
    expect(postsIn(t)).toHaveLength(0);
    const [dm] = postsIn(t, DEFAULT_OWNER.userId);
    expect(textOf(dm?.args)).toContain('Mode no longer accepts');
    expect(textOf(dm?.args)).toContain('/alation mode login');
    const stored = await t.features.credentials.load(DEFAULT_OWNER, 'mode');
    expect(stored.state).toBe('reconnect');
  });

  it('DMs the creator when they have no Mode connection, and names a report Mode cannot find', async () => {
    const { t } = await setup();
    const digest = await create(t, { kind: 'mode_runs', workspace: 'acme', report: 'r3p0rt' });
    const clock = clocked(t, new Date('2026-11-24T08:00:05Z'));
    expect(
      await deliverDigest(clock.deps, digest.id, { at: new Date('2026-11-24T08:00:00Z') }),
    ).toBe('failed');
    expect(textOf(postsIn(t, DEFAULT_OWNER.userId)[0]?.args)).toContain('is not connected');
    await t.connectMode();
    const gone = await create(t, { kind: 'mode_runs', workspace: 'acme', report: 'nosuch' });
    expect(await deliverDigest(clock.deps, gone.id, { at: new Date('2026-11-24T08:00:00Z') })).toBe(
      'failed',
    );
    expect(textOf(postsIn(t, DEFAULT_OWNER.userId)[1]?.args)).toContain(
      'Mode report acme/nosuch no longer exists',
    );
  });
});

// Issue 18: a digest or an alert "to each subscriber, as themselves". Each run's (or firing's)
// channel post carries Get my own copy and no data; each subscriber gets a DM only after Alation,
// asked as them, shows them the very result the run (or firing) shows.
import { afterEach, describe, expect, it } from 'vitest';
import { type CheckDeps, checkAlert } from '../../src/alerts/check.ts';
import { type DeliveryDeps, deliverDigest } from '../../src/digests/deliver.ts';
import { alertCheckDeps } from '../../src/queue/alert-check.ts';
import { enqueueCopies } from '../../src/queue/digest-copies.ts';
import { digestWorkerDeps } from '../../src/queue/digest-run.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import {
  ADA,
  adaBobAndCy,
  as,
  BOB,
  CY,
  creatorAndCy,
  dms,
  expectBobLeft,
  finishedCopies,
  hiddenQuery,
  LOADED,
  latestAskedBy,
  manySubscribers,
  press,
  queueDrained,
  saveOneLineRun,
  twoReplicas,
} from '../support/copies.ts';
import { testDatabases } from '../support/databases.ts';
import { textOf } from '../support/flows.ts';
import { captureLog } from '../support/log.ts';
import { until } from '../support/wait.ts';

const CHANNEL = SLACK_DEFAULTS.channelId;

const bots: TestBot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

async function personalDigest(t: TestBot, published: boolean) {
  const query = hiddenQuery(t, 'Pipeline by rep', published);
  const { resultId } = t.alation.addResult(query.id, {
    csv: 'region,total\nEMEA,1200\n',
    rowCount: 1,
  });
  const digest = await t.features.digests.create(
    {
      owner: DEFAULT_OWNER,
      channelId: CHANNEL,
      name: 'Pipeline',
      params: {
        kind: 'query_result',
        queryId: query.id,
        attachCsv: true,
        onlyIfChanged: false,
        includeChart: false,
        personal: true,
      },
      cron: '0 9 * * *',
      tz: 'UTC',
    },
    new Date(),
  );
  await t.features.subscriptions.subscribe(digest.id, DEFAULT_OWNER);
  return { digest, queryId: query.id, resultId };
}

const deps = (t: TestBot): DeliveryDeps =>
  digestWorkerDeps(t.features, t.bot.app.client, captureLog().log);

const channelPosts = (t: TestBot) =>
  t.slack.messages(CHANNEL).filter((m) => m.thread_ts === undefined);

/** A personal alert on a query only Alation users 7 (its author) and 8 see, unless published. */
async function personalAlert(t: TestBot, published = false) {
  const query = hiddenQuery(t, 'Failed orders', published);
  const alert = await t.features.alerts.create(
    {
      owner: DEFAULT_OWNER,
      channelId: CHANNEL,
      onlyMe: false,
      personal: true,
      tz: 'UTC',
      name: 'Failed orders',
      queryId: query.id,
      condition: { kind: 'row_count', op: '>', n: 0 },
      everyMinutes: 5,
    },
    new Date(),
  );
  await t.features.alertSubscriptions.subscribe(alert.id, DEFAULT_OWNER);
  let at = Date.now() - 60 * 60_000;
  /** A new latest result: with failed orders (the alert fires) or none (it resolves). */
  const result = (failing: boolean) => {
    at += 60_000;
    return t.alation.addResult(query.id, {
      csv: failing ? 'order_id,status\n4711,failed-EMEA\n' : 'order_id,status\n',
      executedAt: new Date(at),
    }).resultId;
  };
  return { alert, queryId: query.id, result };
}

const checkDeps = (t: TestBot): CheckDeps =>
  alertCheckDeps(t.features, t.bot.app.client, captureLog().log);

describe('personal copies of a digest', () => {
  it('sends Ada the data and Bob the no-access notice, each asked as themselves; Unsubscribe stops Bob’s', async () => {
    const t = await adaBobAndCy(bots);
    const { digest, queryId } = await personalDigest(t, false);

    // First run: the channel gets no data, only who got a copy and the button.
    expect(await deliverDigest(deps(t), digest.id, { manual: 'run-1' })).toBe('posted');
    const post = t.slack.messages(CHANNEL).at(-1);
    expect(textOf(post)).toContain('this run went to 1 subscriber');
    expect(textOf(post)).not.toContain('EMEA');
    expect(JSON.stringify(post)).toContain('digest_get_copy');
    await t.slack.waitUntil(() => dms(t, DEFAULT_OWNER.userId).length === 1 || undefined, LOADED);

    // Ada and Bob ask for their own copies.
    await press(t, ADA, 'digest_get_copy', digest.id);
    await press(t, BOB, 'digest_get_copy', digest.id);
    await until(async () => (await t.features.subscriptions.count(digest.id)) === 3, 10_000);

    const before = t.alation.requests.length;
    expect(await deliverDigest(deps(t), digest.id, { manual: 'run-2' })).toBe('posted');
    await t.slack.waitUntil(() => (dms(t, ADA).length && dms(t, BOB).length) || undefined, LOADED);
    expect(textOf(dms(t, ADA).at(-1))).toContain('EMEA');
    expect(textOf(dms(t, ADA).at(-1))).not.toContain('is attached');
    const notice = textOf(dms(t, BOB).at(-1));
    expect(notice).toContain(
      `You cannot see query ${queryId} in Alation any more; unsubscribe or ask its owner for access`,
    );
    expect(notice).not.toContain('EMEA');
    // Each copy asked Alation as its subscriber (Ada 8, Bob 9), once.
    const asked = latestAskedBy(t, queryId, before);
    expect([8, 9].map((u) => asked.filter((v) => v === u).length)).toEqual([1, 1]);

    // Bob unsubscribes from the notice; the next run reaches Ada and the creator only.
    await press(t, BOB, 'digest_unsubscribe', digest.id);
    await until(async () => (await t.features.subscriptions.count(digest.id)) === 2, 10_000);
    expect(await deliverDigest(deps(t), digest.id, { manual: 'run-3' })).toBe('posted');
    await expectBobLeft(t);
  }, 60_000);

  it('tells a subscriber whose connection is gone once, not once per run', async () => {
    const t = await creatorAndCy(bots);
    const { digest } = await personalDigest(t, true);
    await t.features.subscriptions.subscribe(digest.id, as(CY));
    for (const run of ['run-1', 'run-2', 'run-3']) {
      expect(await deliverDigest(deps(t), digest.id, { manual: run })).toBe('posted');
    }
    await t.slack.waitUntil(() => dms(t, DEFAULT_OWNER.userId).length === 3 || undefined, LOADED);
    await finishedCopies(t, 'digest_copies', CY, 3);
    expect(dms(t, CY)).toHaveLength(1);
    expect(textOf(dms(t, CY)[0])).toContain('this is the only reminder');
  }, 60_000);

  it('shows My subscriptions with Unsubscribe in /alation digest list', async () => {
    const t = await startTestBot({ jobs: {} });
    bots.push(t);
    await t.connectAlation(DEFAULT_OWNER, 7);
    const { digest } = await personalDigest(t, true);
    const { listMessage } = await import('../../src/digests/list-message.ts');
    const shown = await listMessage(t.features, DEFAULT_OWNER);
    const text = JSON.stringify(shown.blocks);
    expect(text).toContain('My subscriptions');
    expect(text).toContain('digest_unsubscribe');
    expect(text).toContain(digest.id);
  });
});

const postgres = testDatabases().find((d) => d.name === 'postgres');
describe.runIf(postgres)('two replicas on one PostgreSQL', () => {
  it('posts each subscriber’s copy once, with the fan-out queued on both', async () => {
    const { a, b, schema } = await twoReplicas(postgres, 'pgboss_copies', bots);
    const { digest, resultId } = await personalDigest(a, true);
    const users = await manySubscribers(a, 80, (o) =>
      a.features.subscriptions.subscribe(digest.id, o),
    );
    const slot = 'manual:replicas';
    await saveOneLineRun(a, {
      digestId: digest.id,
      slot,
      title: 'Pipeline',
      line: 'EMEA 1200',
      resultId,
    });
    // Both replicas queue the whole fan-out, as if both had run the slot.
    if (!a.boss || !b.boss) throw new Error('no pg-boss');
    await Promise.all([
      enqueueCopies(a.boss, { subject: 'digest', id: digest.id }, slot, 81, 10),
      enqueueCopies(b.boss, { subject: 'digest', id: digest.id }, slot, 81, 10),
    ]);
    await queueDrained(a, schema);
    for (const id of [...users, DEFAULT_OWNER.userId]) expect(dms(a, id)).toHaveLength(1);
    const done = (t: TestBot) =>
      t.logs().filter((l) => l.msg === 'personal copies batch finished').length;
    expect(done(a)).toBeGreaterThan(0);
    expect(done(b)).toBeGreaterThan(0);
  }, 120_000);

  it('posts a personal alert’s channel post once and each copy once, checked on both', async () => {
    const { a, b, schema } = await twoReplicas(postgres, 'pgboss_acopies', bots);
    const { alert, result } = await personalAlert(a, true);
    const users = await manySubscribers(a, 60, (o) =>
      a.features.alertSubscriptions.subscribe(alert.id, o),
    );
    result(true);
    // Both replicas check the same new result at once: one judges it and fires.
    await Promise.all([checkAlert(checkDeps(a), alert.id), checkAlert(checkDeps(b), alert.id)]);
    await until(async () => {
      const [row] = await a.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM alert_copies WHERE status <> 'claimed'`,
      );
      return Number(row?.n) === users.length + 1;
    }, 60_000);
    await queueDrained(a, schema);
    expect(channelPosts(a)).toHaveLength(1);
    for (const id of [...users, DEFAULT_OWNER.userId]) expect(dms(a, id)).toHaveLength(1);
  }, 120_000);
});

describe('personal alerts', () => {
  it('sends Ada the card and Bob the no-access notice, each asked as themselves; Unsubscribe stops Bob’s', async () => {
    const t = await adaBobAndCy(bots);
    const { alert, queryId, result } = await personalAlert(t);

    // It fires: the channel gets no data, only who got a copy and the buttons.
    result(true);
    expect(await checkAlert(checkDeps(t), alert.id)).toBe('judged');
    const [post] = channelPosts(t);
    expect(channelPosts(t)).toHaveLength(1);
    expect(textOf(post)).toContain('this alert fired; it went to 1 subscriber');
    expect(JSON.stringify(post)).not.toContain('failed-EMEA');
    expect(JSON.stringify(post)).toContain(`"value":"alert:${alert.id}"`);
    await t.slack.waitUntil(() => dms(t, DEFAULT_OWNER.userId).length === 1 || undefined, LOADED);
    expect(JSON.stringify(dms(t, DEFAULT_OWNER.userId)[0])).toContain('failed-EMEA');

    // Ada and Bob ask for their own copies from the channel's post.
    await press(t, ADA, 'digest_get_copy', `alert:${alert.id}`);
    await press(t, BOB, 'digest_get_copy', `alert:${alert.id}`);
    await until(async () => (await t.features.alertSubscriptions.count(alert.id)) === 3, 10_000);

    // It resolves (a line in the post's thread, no data), then fires again.
    result(false);
    await checkAlert(checkDeps(t), alert.id);
    const before = t.alation.requests.length;
    result(true);
    expect(await checkAlert(checkDeps(t), alert.id)).toBe('judged');
    await t.slack.waitUntil(() => (dms(t, ADA).length && dms(t, BOB).length) || undefined, LOADED);
    expect(JSON.stringify(dms(t, ADA).at(-1))).toContain('failed-EMEA');
    const notice = textOf(dms(t, BOB).at(-1));
    expect(notice).toContain(
      `You cannot see query ${queryId} in Alation any more; unsubscribe or ask its owner for access`,
    );
    expect(JSON.stringify(dms(t, BOB).at(-1))).not.toContain('failed-EMEA');
    // Each copy asked Alation as its subscriber (Ada 8, Bob 9), once.
    const asked = latestAskedBy(t, queryId, before);
    expect([8, 9].map((u) => asked.filter((v) => v === u).length)).toEqual([1, 1]);
    // The channel saw two data-free posts and never the data.
    expect(channelPosts(t)).toHaveLength(2);
    expect(JSON.stringify(t.slack.messages(CHANNEL))).not.toContain('failed-EMEA');

    // My subscriptions lists the alert with Unsubscribe; Bob unsubscribes from the notice.
    const { listMessage } = await import('../../src/digests/list-message.ts');
    const mine = JSON.stringify((await listMessage(t.features, as(BOB))).blocks);
    expect(mine).toContain('My subscriptions');
    expect(mine).toContain(`alert:${alert.id}`);
    await press(t, BOB, 'digest_unsubscribe', `alert:${alert.id}`);
    await until(async () => (await t.features.alertSubscriptions.count(alert.id)) === 2, 10_000);
    result(false);
    await checkAlert(checkDeps(t), alert.id);
    result(true);
    await checkAlert(checkDeps(t), alert.id);
    await expectBobLeft(t);
  }, 90_000);

  it('tells a subscriber whose connection is gone once, not once per firing', async () => {
    const t = await creatorAndCy(bots);
    const { alert, result } = await personalAlert(t, true);
    await t.features.alertSubscriptions.subscribe(alert.id, as(CY));
    for (let i = 0; i < 3; i++) {
      result(true);
      await checkAlert(checkDeps(t), alert.id);
      result(false);
      await checkAlert(checkDeps(t), alert.id);
    }
    await t.slack.waitUntil(() => dms(t, DEFAULT_OWNER.userId).length === 3 || undefined, LOADED);
    await finishedCopies(t, 'alert_copies', CY, 3);
    expect(dms(t, CY)).toHaveLength(1);
    expect(textOf(dms(t, CY)[0])).toContain('this is the only reminder');
  }, 90_000);
});

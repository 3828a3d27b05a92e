// Issue 18: an alert "to each subscriber, as themselves". When it fires its channel gets a post
// with no data and Get my own copy; each subscriber gets the card in a DM only once Alation,
// asked as them, shows them the very result that fired it.
import { afterEach, describe, expect, it } from 'vitest';
import { type CheckDeps, checkAlert } from '../../src/alerts/check.ts';
import { alertCheckDeps } from '../../src/queue/alert-check.ts';
import { DIGEST_COPY_QUEUE } from '../../src/queue/digest-copies.ts';
import type { Owner } from '../../src/store/credentials.ts';
import { blockAction } from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { testDatabases } from '../support/databases.ts';
import { textOf } from '../support/flows.ts';
import { captureLog } from '../support/log.ts';
import { until } from '../support/wait.ts';

const CHANNEL = SLACK_DEFAULTS.channelId;
/** Copies go through pg-boss polling: generous waits for a loaded machine. */
const LOADED = { timeoutMs: 30_000 };
const ADA = 'U0ADA00001';
const BOB = 'U0BOB00001';
const CY = 'U0CY000001';
const as = (userId: string): Owner => ({ tenantId: DEFAULT_OWNER.tenantId, userId });

const bots: TestBot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

/** A personal alert on an unpublished query only Alation users 7 (its author) and 8 see. */
async function personalAlert(t: TestBot, published = false) {
  const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
  const query = t.alation.addQuery({
    datasourceId,
    title: 'Failed orders',
    content: 'SELECT 1',
    published,
    authorId: 7,
    viewerIds: [8],
  });
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

const deps = (t: TestBot): CheckDeps =>
  alertCheckDeps(t.features, t.bot.app.client, captureLog().log);
const dms = (t: TestBot, userId: string) => t.slack.messages(t.slack.dmChannel(userId));
const channelPosts = (t: TestBot) =>
  t.slack.messages(CHANNEL).filter((m) => m.thread_ts === undefined);

async function press(t: TestBot, userId: string, actionId: string, value: string) {
  await blockAction(t.target, {
    user: { id: userId },
    actions: [{ action_id: actionId, value }],
    response_url: t.slack.responseUrl(),
  });
}

describe('personal alerts', () => {
  it('sends Ada the card and Bob the no-access notice, each asked as themselves; Unsubscribe stops Bob’s', async () => {
    const t = await startTestBot({ jobs: {} });
    bots.push(t);
    for (const id of [ADA, BOB, CY]) t.slack.addUser({ id, name: id.toLowerCase() });
    await t.connectAlation(DEFAULT_OWNER, 7);
    await t.connectAlation(as(ADA), 8);
    await t.connectAlation(as(BOB), 9);
    const { alert, queryId, result } = await personalAlert(t);

    // It fires: the channel gets no data, only who got a copy and the buttons.
    result(true);
    expect(await checkAlert(deps(t), alert.id)).toBe('judged');
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
    await checkAlert(deps(t), alert.id);
    const before = t.alation.requests.length;
    result(true);
    expect(await checkAlert(deps(t), alert.id)).toBe('judged');
    await t.slack.waitUntil(() => (dms(t, ADA).length && dms(t, BOB).length) || undefined, LOADED);
    expect(JSON.stringify(dms(t, ADA).at(-1))).toContain('failed-EMEA');
    const notice = textOf(dms(t, BOB).at(-1));
    expect(notice).toContain(
      `You cannot see query ${queryId} in Alation any more; unsubscribe or ask its owner for access`,
    );
    expect(JSON.stringify(dms(t, BOB).at(-1))).not.toContain('failed-EMEA');
    // Each copy asked Alation as its subscriber, once.
    const asked = t.alation.requests
      .slice(before)
      .filter((r) => r.path === `/integration/v1/query/${queryId}/result/latest/`)
      .map((r) => r.userId);
    expect(asked.filter((u) => u === 8)).toHaveLength(1);
    expect(asked.filter((u) => u === 9)).toHaveLength(1);
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
    await checkAlert(deps(t), alert.id);
    result(true);
    await checkAlert(deps(t), alert.id);
    await t.slack.waitUntil(() => dms(t, ADA).length === 2 || undefined, LOADED);
    await t.slack.waitUntil(() => dms(t, DEFAULT_OWNER.userId).length === 3 || undefined, LOADED);
    expect(dms(t, BOB)).toHaveLength(1);
  }, 90_000);

  it('tells a subscriber whose connection is gone once, not once per firing', async () => {
    const t = await startTestBot({ jobs: {} });
    bots.push(t);
    t.slack.addUser({ id: CY, name: 'cy' });
    await t.connectAlation(DEFAULT_OWNER, 7);
    const { alert, result } = await personalAlert(t, true);
    await t.features.alertSubscriptions.subscribe(alert.id, as(CY));
    for (let i = 0; i < 3; i++) {
      result(true);
      await checkAlert(deps(t), alert.id);
      result(false);
      await checkAlert(deps(t), alert.id);
    }
    await t.slack.waitUntil(() => dms(t, DEFAULT_OWNER.userId).length === 3 || undefined, LOADED);
    await until(async () => {
      const [row] = await t.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM alert_copies WHERE slot LIKE $1 AND status <> 'claimed'`,
        [`%#${CY}`],
      );
      return Number(row?.n) === 3;
    }, 10_000);
    expect(dms(t, CY)).toHaveLength(1);
    expect(textOf(dms(t, CY)[0])).toContain('this is the only reminder');
  }, 90_000);
});

const postgres = testDatabases().find((d) => d.name === 'postgres');
describe.runIf(postgres)('personal alerts on two replicas on one PostgreSQL', () => {
  it('posts the channel post once and each subscriber’s copy once, checked on both', async () => {
    const schema = `pgboss_acopies_${Date.now().toString(36)}`;
    const a = await startTestBot({ database: postgres, jobs: { schema } });
    bots.push(a);
    const b = await startTestBot({ jobs: { schema }, reuse: a });
    bots.push(b);
    await a.connectAlation(DEFAULT_OWNER, 7);
    const { alert, result } = await personalAlert(a, true);
    const users = Array.from({ length: 60 }, (_, i) => `U0SUB${String(i).padStart(5, '0')}`);
    for (const [i, id] of users.entries()) {
      a.slack.addUser({ id, name: id.toLowerCase() });
      await a.connectAlation(as(id), 100 + i);
      await a.features.alertSubscriptions.subscribe(alert.id, as(id));
    }
    result(true);
    // Both replicas check the same new result at once: one judges it and fires.
    await Promise.all([checkAlert(deps(a), alert.id), checkAlert(deps(b), alert.id)]);
    await until(async () => {
      const [row] = await a.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM alert_copies WHERE status <> 'claimed'`,
      );
      return Number(row?.n) === users.length + 1;
    }, 60_000);
    await until(async () => {
      const [row] = await a.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${schema}.job WHERE name = $1 AND state <> 'completed'`,
        [DIGEST_COPY_QUEUE],
      );
      return Number(row?.n) === 0;
    }, 60_000);
    expect(channelPosts(a)).toHaveLength(1);
    for (const id of [...users, DEFAULT_OWNER.userId]) expect(dms(a, id)).toHaveLength(1);
  }, 120_000);
});

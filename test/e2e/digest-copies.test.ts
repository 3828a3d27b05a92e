// Issue 18: a digest "to each subscriber, as themselves". Each run's channel post carries Get my
// own copy; each subscriber gets a DM only after Alation, asked as them, lets them see the query.
import { afterEach, describe, expect, it } from 'vitest';
import { type DeliveryDeps, deliverDigest } from '../../src/digests/deliver.ts';
import { DIGEST_COPY_QUEUE, enqueueCopies } from '../../src/queue/digest-copies.ts';
import { digestWorkerDeps } from '../../src/queue/digest-run.ts';
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

async function personalDigest(t: TestBot, published: boolean) {
  const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
  const query = t.alation.addQuery({
    datasourceId,
    title: 'Pipeline by rep',
    content: 'SELECT 1',
    published,
    authorId: 7,
    viewerIds: [8],
  });
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
const dms = (t: TestBot, userId: string) => t.slack.messages(t.slack.dmChannel(userId));

async function press(t: TestBot, userId: string, actionId: string, digestId: string) {
  await blockAction(t.target, {
    user: { id: userId },
    actions: [{ action_id: actionId, value: digestId }],
    response_url: t.slack.responseUrl(),
  });
}

describe('personal copies of a digest', () => {
  it('sends Ada the data and Bob the no-access notice, each asked as themselves; Unsubscribe stops Bob’s', async () => {
    const t = await startTestBot({ jobs: {} });
    bots.push(t);
    for (const id of [ADA, BOB, CY]) t.slack.addUser({ id, name: id.toLowerCase() });
    await t.connectAlation(DEFAULT_OWNER, 7);
    await t.connectAlation(as(ADA), 8);
    await t.connectAlation(as(BOB), 9);
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
    // Each copy asked Alation as its subscriber, once.
    const asked = t.alation.requests
      .slice(before)
      .filter((r) => r.path === `/integration/v1/query/${queryId}/result/latest/`)
      .map((r) => r.userId);
    expect(asked.filter((u) => u === 8)).toHaveLength(1);
    expect(asked.filter((u) => u === 9)).toHaveLength(1);

    // Bob unsubscribes from the notice; the next run reaches Ada and the creator only.
    await press(t, BOB, 'digest_unsubscribe', digest.id);
    await until(async () => (await t.features.subscriptions.count(digest.id)) === 2, 10_000);
    expect(await deliverDigest(deps(t), digest.id, { manual: 'run-3' })).toBe('posted');
    await t.slack.waitUntil(() => dms(t, ADA).length === 2 || undefined, LOADED);
    await t.slack.waitUntil(() => dms(t, DEFAULT_OWNER.userId).length === 3 || undefined, LOADED);
    expect(dms(t, BOB)).toHaveLength(1);
  }, 60_000);

  it('tells a subscriber whose connection is gone once, not once per run', async () => {
    const t = await startTestBot({ jobs: {} });
    bots.push(t);
    t.slack.addUser({ id: CY, name: 'cy' });
    await t.connectAlation(DEFAULT_OWNER, 7);
    const { digest } = await personalDigest(t, true);
    await t.features.subscriptions.subscribe(digest.id, as(CY));
    for (const run of ['run-1', 'run-2', 'run-3']) {
      expect(await deliverDigest(deps(t), digest.id, { manual: run })).toBe('posted');
    }
    await t.slack.waitUntil(() => dms(t, DEFAULT_OWNER.userId).length === 3 || undefined, LOADED);
    await until(async () => {
      const [row] = await t.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM digest_copies WHERE slot LIKE $1 AND status <> 'claimed'`,
        [`%#${CY}`],
      );
      return Number(row?.n) === 3;
    }, 10_000);
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
    const schema = `pgboss_copies_${Date.now().toString(36)}`;
    const a = await startTestBot({ database: postgres, jobs: { schema } });
    bots.push(a);
    const b = await startTestBot({ jobs: { schema }, reuse: a });
    bots.push(b);
    await a.connectAlation(DEFAULT_OWNER, 7);
    const { digest, resultId } = await personalDigest(a, true);
    const users = Array.from({ length: 80 }, (_, i) => `U0SUB${String(i).padStart(5, '0')}`);
    for (const [i, id] of users.entries()) {
      a.slack.addUser({ id, name: id.toLowerCase() });
      await a.connectAlation(as(id), 100 + i);
      await a.features.subscriptions.subscribe(digest.id, as(id));
    }
    const slot = 'manual:replicas';
    await a.features.subscriptions.saveRun(digest.id, slot, {
      message: {
        text: 'Pipeline',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'EMEA 1200' } }],
      },
      resultId,
    });
    // Both replicas queue the whole fan-out, as if both had run the slot.
    if (!a.boss || !b.boss) throw new Error('no pg-boss');
    await Promise.all([
      enqueueCopies(a.boss, { subject: 'digest', id: digest.id }, slot, 81, 10),
      enqueueCopies(b.boss, { subject: 'digest', id: digest.id }, slot, 81, 10),
    ]);
    await until(async () => {
      const [row] = await a.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${schema}.job WHERE name = $1 AND state <> 'completed'`,
        [DIGEST_COPY_QUEUE],
      );
      return Number(row?.n) === 0;
    }, 60_000);
    for (const id of [...users, DEFAULT_OWNER.userId]) expect(dms(a, id)).toHaveLength(1);
    const done = (t: TestBot) =>
      t.logs().filter((l) => l.msg === 'personal copies batch finished').length;
    expect(done(a)).toBeGreaterThan(0);
    expect(done(b)).toBeGreaterThan(0);
  }, 120_000);
});

// Alert checks against the emulators (issue 17): the latest result changes between checks, and
// the card is posted once, updated in place, and resolved with a reply in its thread.
import { afterEach, describe, expect, it } from 'vitest';
import { type CheckDeps, checkAlert } from '../../src/alerts/check.ts';
import type { Condition } from '../../src/alerts/condition.ts';
import { acknowledge, REMIND_EVERY_MS } from '../../src/alerts/episode.ts';
import { alertCheckDeps } from '../../src/queue/alert-check.ts';
import { createAlertStore } from '../../src/store/alerts.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { testDatabases } from '../support/databases.ts';
import { captureLog } from '../support/log.ts';
import { until } from '../support/wait.ts';

const CHANNEL = SLACK_DEFAULTS.channelId;
const bots: TestBot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

async function setup(options: Parameters<typeof startTestBot>[0] = {}) {
  const t = await startTestBot(options);
  bots.push(t);
  await t.connectAlation(DEFAULT_OWNER, 7);
  const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
  const query = t.alation.addQuery({ datasourceId, title: 'Failed orders', content: 'SELECT 1' });
  const alerts = createAlertStore(t.db);
  let now = new Date('2026-12-01T09:00:00Z');
  const captured = captureLog();
  const deps: CheckDeps = {
    alerts,
    alationFor: t.features.alationFor,
    alationBaseUrl: t.features.alationBaseUrl,
    slack: t.bot.app.client,
    cpu: t.features.cpu,
    log: captured.log,
    now: () => now,
    // The worker's own: the creator's Slack name for the card's "as seen by" line.
    ownerName: alertCheckDeps(t.features, t.bot.app.client, captured.log).ownerName,
  };
  let run = 0;
  /** A new latest result, five minutes after the previous one. */
  const result = (csv: string, extra: { executionError?: string } = {}) => {
    run++;
    now = new Date(now.getTime() + 5 * 60_000);
    t.alation.addResult(query.id, { csv, executedAt: new Date(now.getTime() - 60_000), ...extra });
  };
  const create = (condition: Condition, name = 'Failed orders') =>
    alerts.create(
      {
        owner: DEFAULT_OWNER,
        channelId: CHANNEL,
        onlyMe: false,
        tz: 'UTC',
        name,
        queryId: query.id,
        condition,
        everyMinutes: 5,
      },
      now,
    );
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  return { t, alerts, deps, result, create, advance, runs: () => run, logs: captured };
}

const cards = (t: TestBot) =>
  t.slack.messages(CHANNEL).filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);
const text = (m: unknown) => JSON.stringify(m);

describe('checkAlert', () => {
  it('posts a card when the condition starts holding, updates it in place, resolves it with a reply', async () => {
    const { t, deps, result, create, alerts } = await setup();
    const alert = await create({ kind: 'row_count', op: '>', n: 0 });
    result('id,status\n');
    expect(await checkAlert(deps, alert.id)).toBe('judged');
    expect(cards(t)).toHaveLength(0);

    result('id,status\n1,failed\n');
    expect(await checkAlert(deps, alert.id)).toBe('judged');
    expect(cards(t)).toHaveLength(1);
    const [card] = cards(t);
    expect(text(card)).toContain('*Triggered*');
    expect(text(card)).toContain('Rows: *1*');
    expect(text(card)).toMatch(/compose[^|]*\|Open in Compose> to see result \d+ in Alation/);
    // Whose access it read with, by name: a mention would notify the creator on every card.
    expect(text(card)).toContain(`As seen by ${SLACK_DEFAULTS.userName} in Alation`);
    expect(text(card)).not.toContain(`<@${DEFAULT_OWNER.userId}>`);

    result('id,status\n1,failed\n2,failed\n');
    await checkAlert(deps, alert.id);
    expect(cards(t)).toHaveLength(1);
    const updated = t.slack.message(CHANNEL, card?.ts ?? '');
    expect(text(updated)).toContain('*Still triggered* (2 checks');
    expect(text(updated)).toContain('Rows: *2*');

    result('id,status\n');
    await checkAlert(deps, alert.id);
    expect(cards(t)).toHaveLength(1);
    expect(text(t.slack.message(CHANNEL, card?.ts ?? ''))).toContain('*Resolved* after 10 min');
    const replies = t.slack.thread(CHANNEL, card?.ts ?? '');
    expect(replies.map((r) => r.text)).toEqual([
      ':white_check_mark: *Failed orders* resolved after 10 min.',
    ]);
    expect((await alerts.get(alert.id))?.episode).toBeNull();
  });

  it('judges each result once: a second check of the same result changes nothing', async () => {
    const { t, deps, result, create, alerts } = await setup();
    const alert = await create({ kind: 'row_count', op: '=', n: 0 });
    result('id\n');
    expect(await checkAlert(deps, alert.id)).toBe('judged');
    expect(await checkAlert(deps, alert.id)).toBe('not_new');
    // Another replica that read the alert before the first finished: the claim turns it away.
    const stale = await alerts.get(alert.id);
    await alerts.finish(
      alert.id,
      'x',
      { result: 'x', state: 'clear', episode: null, failed: false, detail: null },
      new Date(),
      3,
    );
    expect(stale).toBeDefined();
    expect(cards(t)).toHaveLength(1);
  });

  it('measures a column and says what it measured against the threshold', async () => {
    const { t, deps, result, create } = await setup();
    const alert = await create({
      kind: 'column',
      column: 'amount',
      reducer: 'sum',
      op: '>=',
      threshold: 1000,
    });
    result('id,amount\n1,"1,200"\n2,300\n');
    await checkAlert(deps, alert.id);
    expect(text(cards(t)[0])).toContain('Measured *1,500* against ≥ 1,000');
  });

  it('finds new rows by key after the first result set the baseline', async () => {
    const { t, deps, result, create } = await setup();
    const alert = await create({ kind: 'new_rows', keyColumn: 'id' });
    result('id,status\n1,failed\n2,failed\n');
    await checkAlert(deps, alert.id);
    expect(cards(t)).toHaveLength(0);
    result('id,status\n1,failed\n2,failed\n3,failed\n');
    await checkAlert(deps, alert.id);
    const card = text(cards(t)[0]);
    expect(card).toContain('*1* new row since the previous result');
    expect(card).toContain('3 ');
  });

  it('shares every new row in the card’s thread when there are more than the card shows', async () => {
    const { t, deps, result, create } = await setup();
    const alert = await create({ kind: 'new_rows', keyColumn: 'id' });
    result('id\n0\n');
    await checkAlert(deps, alert.id);
    result(`id\n0\n${Array.from({ length: 25 }, (_, i) => i + 1).join('\n')}\n`);
    await checkAlert(deps, alert.id);
    const card = cards(t)[0];
    expect(text(card)).toContain('First 10 of 25 rows; all are in the attached CSV.');
    const [shared] = t.slack.callsTo('files.completeUploadExternal');
    expect(shared?.args).toMatchObject({ channel_id: CHANNEL, thread_ts: card?.ts });
    expect(text(shared?.args)).toContain('25 new rows');
  });

  it('alerts when the result changes, and resolves when the next one is the same again', async () => {
    const { t, deps, result, create } = await setup();
    const alert = await create({ kind: 'changed' });
    result('region,total\nEMEA,10\n');
    await checkAlert(deps, alert.id);
    result('region,total\nEMEA,10\n');
    await checkAlert(deps, alert.id);
    expect(cards(t)).toHaveLength(0);
    result('region,total\nEMEA,12\n');
    await checkAlert(deps, alert.id);
    expect(cards(t)).toHaveLength(1);
    expect(text(cards(t)[0])).toContain('When the result changes.');
    result('region,total\nEMEA,12\n');
    await checkAlert(deps, alert.id);
    expect(text(t.slack.message(CHANNEL, cards(t)[0]?.ts ?? ''))).toContain('*Resolved*');
  });

  it.each([
    [
      'a column value',
      { kind: 'column', column: 'amount', reducer: 'sum', op: '>', threshold: 100 } as Condition,
      ['id,amount\n1,60\n2,70\n', 'id,amount\n1,60\n'],
    ],
    [
      'new rows',
      { kind: 'new_rows', keyColumn: 'id' } as Condition,
      ['id\n1\n', 'id\n1\n2\n', 'id\n1\n2\n'],
    ],
  ])('triggers and resolves on %s', async (_kind, condition, results) => {
    const { t, deps, result, create } = await setup();
    const alert = await create(condition);
    const sequence = condition.kind === 'new_rows' ? results : ['id,amount\n1,1\n', ...results];
    for (const csv of sequence) {
      result(csv);
      await checkAlert(deps, alert.id);
    }
    expect(cards(t)).toHaveLength(1);
    const ts = cards(t)[0]?.ts ?? '';
    expect(text(t.slack.message(CHANNEL, ts))).toContain('*Resolved*');
    expect(t.slack.thread(CHANNEL, ts).map((r) => r.text)).toEqual([
      ':white_check_mark: *Failed orders* resolved after 5 min.',
    ]);
  });

  it('reminds in the thread while nobody acknowledges, and stops once someone does', async () => {
    const { t, deps, result, create, advance, alerts } = await setup();
    const alert = await create({ kind: 'row_count', op: '>', n: 0 });
    result('id\n1\n');
    await checkAlert(deps, alert.id);
    const ts = cards(t)[0]?.ts ?? '';
    advance(REMIND_EVERY_MS);
    result('id\n1\n2\n');
    await checkAlert(deps, alert.id);
    expect(t.slack.thread(CHANNEL, ts).map((r) => r.text)).toEqual([
      expect.stringContaining('is still triggered (2 checks'),
    ]);
    const open = (await alerts.get(alert.id))?.episode;
    if (!open) throw new Error('no episode');
    await alerts.setEpisode(alert.id, acknowledge(open, 'U0BOB00001', new Date()), open.startedAt);
    advance(REMIND_EVERY_MS);
    result('id\n1\n2\n3\n');
    await checkAlert(deps, alert.id);
    expect(t.slack.thread(CHANNEL, ts)).toHaveLength(1);
    expect(text(t.slack.message(CHANNEL, ts))).toContain('Acknowledged by <@U0BOB00001>');
  });

  it('pauses with a Reconnect button when the creator’s Alation connection is gone', async () => {
    const { t, deps, result, create, alerts } = await setup();
    const alert = await create({ kind: 'row_count', op: '>', n: 0 });
    await t.features.credentials.remove(DEFAULT_OWNER, 'alation');
    result('id\n1\n');
    expect(await checkAlert(deps, alert.id)).toBe('failed');
    expect((await alerts.get(alert.id))?.status).toBe('paused');
    const dm = text(t.slack.messages(t.slack.dmChannel(DEFAULT_OWNER.userId)));
    expect(dm).toContain('your Alation connection no longer works');
    expect(dm).toContain('"action_id":"alation_connect"');
  });

  it('holds back reminders while snoozed', async () => {
    const { t, deps, result, create, advance, alerts } = await setup();
    const alert = await create({ kind: 'row_count', op: '>', n: 0 });
    result('id\n1\n');
    await checkAlert(deps, alert.id);
    const ts = cards(t)[0]?.ts ?? '';
    await alerts.snooze(alert.id, new Date(Date.parse('2026-12-02T09:00:00Z')), 'U0BOB00001');
    advance(REMIND_EVERY_MS);
    result('id\n1\n2\n');
    await checkAlert(deps, alert.id);
    expect(t.slack.thread(CHANNEL, ts)).toEqual([]);
    expect(text(t.slack.message(CHANNEL, ts))).toContain('Snoozed by <@U0BOB00001> until');
  });

  it('pauses and tells the creator how to fix it when the bot is not in the channel', async () => {
    const { t, deps, result, create, alerts } = await setup();
    const alert = await create({ kind: 'row_count', op: '>', n: 0 });
    t.slack.fault({ path: '/api/chat.postMessage', error: 'not_in_channel', times: 1 });
    result('id\n1\n');
    expect(await checkAlert(deps, alert.id)).toBe('failed');
    expect((await alerts.get(alert.id))?.status).toBe('paused');
    const dm = text(t.slack.messages(t.slack.dmChannel(DEFAULT_OWNER.userId)));
    expect(dm).toContain('the bot is not in its channel any more');
    expect(dm).toContain('/invite @Alation');
  });

  it('tells a failed run apart from a false condition', async () => {
    const { t, deps, result, create } = await setup();
    const alert = await create({ kind: 'row_count', op: '>', n: 0 });
    result('', { executionError: 'relation "orders" does not exist' });
    expect(await checkAlert(deps, alert.id)).toBe('judged');
    const card = text(cards(t)[0]);
    expect(card).toContain('*The query failed*');
    expect(card).toContain('relation \\"orders\\" does not exist');
  });

  it('pauses after three checks that could not be made, and says so on the open card', async () => {
    const { t, deps, result, create, alerts } = await setup();
    const alert = await create({ kind: 'row_count', op: '>', n: 0 });
    result('id\n1\n');
    await checkAlert(deps, alert.id);
    const card = cards(t)[0];
    t.alation.fault({ path: `/integration/v1/query/${alert.queryId}/`, status: 503, times: 50 });
    for (let i = 0; i < 3; i++) expect(await checkAlert(deps, alert.id)).toBe('failed');
    expect((await alerts.get(alert.id))?.status).toBe('paused');
    expect(text(t.slack.message(CHANNEL, card?.ts ?? ''))).toContain('Paused, not checked:');
    expect(text(t.slack.messages(t.slack.dmChannel(DEFAULT_OWNER.userId)))).toContain(
      'is paused: 3 checks in a row failed',
    );
  });

  it('pauses and DMs the creator when Alation stops letting them see the query', async () => {
    const { t, deps, result, create, alerts } = await setup();
    const alert = await create({ kind: 'row_count', op: '>', n: 0 });
    result('id\n1\n');
    t.alation.fault({ path: `/integration/v1/query/${alert.queryId}/`, status: 403, times: 5 });
    expect(await checkAlert(deps, alert.id)).toBe('failed');
    expect((await alerts.get(alert.id))?.status).toBe('paused');
    const dm = t.slack.messages(t.slack.dmChannel(DEFAULT_OWNER.userId));
    expect(text(dm)).toContain(`Alation no longer lets you see query ${alert.queryId}`);
    expect(await checkAlert(deps, alert.id)).toBe('inactive');
  });

  it('runs on the pg-boss worker the bot starts, as scheduled or checked now', async () => {
    const { t, result, create } = await setup({ jobs: {} });
    const alert = await create({ kind: 'row_count', op: '>', n: 0 });
    await t.features.alertScheduler().schedule(alert);
    result('id\n1\n');
    await t.features.alertScheduler().checkNow(alert.id);
    await until(async () => cards(t).length === 1, 20_000, 'the alert card');
    expect(text(cards(t)[0])).toContain('*Triggered*');
  });
});

const postgres = testDatabases().find((d) => d.name === 'postgres');

describe.runIf(postgres)('two replicas on one PostgreSQL', () => {
  it('judge 50 alerts’ new result once each, checked on both at the same time', async () => {
    const a = await startTestBot({ database: postgres });
    bots.push(a);
    const b = await startTestBot({ reuse: a });
    bots.push(b);
    await a.connectAlation(DEFAULT_OWNER, 7);
    const datasourceId = a.alation.addDataSource({ title: 'Warehouse' }).id;
    const query = a.alation.addQuery({ datasourceId, title: 'Failed orders', content: 'SELECT 1' });
    a.alation.addResult(query.id, { csv: 'id\n1\n', executedAt: new Date(Date.now() - 60_000) });
    const depsOf = (t: TestBot): CheckDeps => ({
      alerts: createAlertStore(t.db),
      alationFor: t.features.alationFor,
      alationBaseUrl: t.features.alationBaseUrl,
      slack: t.bot.app.client,
      cpu: t.features.cpu,
      log: captureLog().log,
      now: () => new Date(),
    });
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const alert = await depsOf(a).alerts.create(
        {
          owner: DEFAULT_OWNER,
          channelId: CHANNEL,
          onlyMe: false,
          tz: 'UTC',
          name: `Alert ${i}`,
          queryId: query.id,
          condition: { kind: 'row_count', op: '>', n: 0 },
          everyMinutes: 5,
        },
        new Date(),
      );
      ids.push(alert.id);
    }
    const outcomes = await Promise.all(
      ids.flatMap((id) => [checkAlert(depsOf(a), id), checkAlert(depsOf(b), id)]),
    );
    expect(
      outcomes.filter((o) => o !== 'judged' && o !== 'not_new' && typeof o !== 'object'),
    ).toEqual([]);
    expect(outcomes.filter((o) => o === 'judged')).toHaveLength(50);
    expect(cards(a)).toHaveLength(50);
    expect(new Set(cards(a).map((m) => m.text)).size).toBe(50);
  });
});

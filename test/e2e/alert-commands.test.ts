// `/alation alert new` and `list` through HTTP (issue 17): the form offers the result's columns,
// checks the query and column as the creator on save, schedules and checks at once; the card's
// Acknowledge and Snooze say who pressed them; only the creator may mute or delete.
import { afterEach, describe, expect, it } from 'vitest';
import { blockAction, event, slashCommand } from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import {
  alertFormValues,
  type Json,
  openAlertForm,
  submitAlertForm,
} from '../support/alert-form.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { until } from '../support/wait.ts';

const CHANNEL = SLACK_DEFAULTS.channelId;
const bots: TestBot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

async function setup() {
  const t = await startTestBot({ jobs: {} });
  bots.push(t);
  await t.connectAlation(DEFAULT_OWNER, 7);
  const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
  const query = t.alation.addQuery({ datasourceId, title: 'Failed orders', content: 'SELECT 1' });
  t.alation.addResult(query.id, {
    csv: 'order_id,amount\n1,120\n2,80\n',
    executedAt: new Date(Date.now() - 60_000),
  });
  return { t, query };
}

const openForm = (t: TestBot, text: string) => openAlertForm(t, text);
const values = alertFormValues;
const submit = submitAlertForm;

const cardsIn = (t: TestBot) => t.slack.messages(CHANNEL).filter((m) => m.thread_ts === undefined);
const text = (v: unknown) => JSON.stringify(v);

describe('/alation alert', () => {
  it('offers the latest result’s columns in the form', async () => {
    const { t, query } = await setup();
    const { view } = await openForm(t, `alert new ${query.id}`);
    expect(text(view)).toContain('Columns read from the latest result (2).');
    // Picking "a number in a column" re-renders the form with the columns to choose from.
    const updates = t.slack.callsTo('views.update').length;
    await blockAction(t.target, {
      view: { ...view, state: { values: values({ query: String(query.id) }) } } as never,
      actions: [
        {
          action_id: 'alert_refresh',
          block_id: 'alert_kind',
          type: 'static_select',
          selected_option: { value: 'column' },
        },
      ],
    });
    const [update] = (await t.slack.waitFor('views.update', { count: updates + 1 })).slice(-1);
    const shown = text(update?.args);
    expect(shown).toContain('"value":"amount"');
    expect(shown).toContain('"value":"order_id"');
  });

  it('refuses a column the result lacks and a threshold that is not a number, inline', async () => {
    const { t, query } = await setup();
    const { view } = await openForm(t, `alert new ${query.id}`);
    const bad = await submit(t, view, { query: String(query.id), threshold: 'lots' });
    expect(bad.body).toMatchObject({
      response_action: 'errors',
      errors: { alert_threshold: expect.stringContaining('must be a number') },
    });
    const missing = await submit(t, view, { query: String(query.id), column: 'revenue' });
    expect(missing.body).toMatchObject({
      response_action: 'errors',
      errors: { alert_column: expect.stringContaining('no column “revenue”') },
    });
    const unseen = await submit(t, view, { query: '999' });
    expect(unseen.body).toMatchObject({
      response_action: 'errors',
      errors: { alert_query: expect.stringContaining('no query 999') },
    });
    expect(await t.features.alerts.list(DEFAULT_OWNER.tenantId)).toEqual([]);
  });

  it('saves, checks at once and posts a card; Acknowledge and Snooze show who and until when', async () => {
    const { t, query } = await setup();
    const { view, responseUrl } = await openForm(t, `alert new ${query.id}`);
    const saved = await submit(t, view, { query: String(query.id) });
    expect(saved.status).toBe(200);
    await until(
      async () => t.slack.responsesTo(responseUrl).length > 0,
      10_000,
      'the confirmation',
    );
    expect(text(t.slack.responsesTo(responseUrl))).toContain('Created alert *Big orders* on query');
    await until(async () => cardsIn(t).length === 1, 20_000, 'the alert card');
    const card = cardsIn(t)[0];
    expect(text(card)).toContain('Measured *120* against > 100');
    const [alert] = await t.features.alerts.list(DEFAULT_OWNER.tenantId);
    if (!alert || !card) throw new Error('no alert');

    await blockAction(t.target, {
      user: { id: 'U0BOB00001' },
      actions: [{ action_id: 'alert_ack', value: alert.id }],
      message: { ts: card.ts },
    });
    await until(
      async () => text(t.slack.message(CHANNEL, card.ts)).includes('Acknowledged by <@U0BOB00001>'),
      10_000,
      'the acknowledgement',
    );

    await blockAction(t.target, {
      actions: [
        {
          action_id: 'alert_snooze',
          type: 'static_select',
          selected_option: { value: `${alert.id}:1h` },
        },
      ],
      message: { ts: card.ts },
    });
    await until(
      async () =>
        text(t.slack.message(CHANNEL, card.ts)).includes('Snoozed by <@U0USER0001> until'),
      10_000,
      'the snooze',
    );
    expect((await t.features.alerts.get(alert.id))?.snoozedUntil).not.toBeNull();
  });

  it('lists the alerts; only the creator may mute or delete', async () => {
    const { t, query } = await setup();
    const alert = await t.features.alerts.create(
      {
        owner: DEFAULT_OWNER,
        channelId: CHANNEL,
        onlyMe: false,
        tz: 'UTC',
        name: 'No orders',
        queryId: query.id,
        condition: { kind: 'row_count', op: '=', n: 0 },
        everyMinutes: 15,
      },
      new Date(),
    );
    const listed = t.slack.responseUrl();
    await slashCommand(t.target, { text: 'alert list', response_url: listed });
    await until(async () => t.slack.responsesTo(listed).length > 0, 10_000, 'the list');
    const list = text(t.slack.responsesTo(listed));
    expect(list).toContain('*No orders* · query');
    expect(list).toContain('When the result has no rows · every 15 min');

    const other = t.slack.responseUrl();
    await blockAction(t.target, {
      user: { id: 'U0BOB00001' },
      actions: [{ action_id: 'alert_delete', value: alert.id }],
      response_url: other,
    });
    await until(async () => t.slack.responsesTo(other).length > 0, 10_000, 'the refusal');
    expect(text(t.slack.responsesTo(other))).toContain(
      `Only <@${DEFAULT_OWNER.userId}>, who created this alert, can change it.`,
    );
    expect(await t.features.alerts.get(alert.id)).toBeDefined();

    const mine = t.slack.responseUrl();
    await blockAction(t.target, {
      actions: [{ action_id: 'alert_mute', value: alert.id }],
      response_url: mine,
    });
    await until(async () => t.slack.responsesTo(mine).length > 0, 10_000, 'the muted list');
    expect(text(t.slack.responsesTo(mine))).toContain('*Muted*');
    expect((await t.features.alerts.get(alert.id))?.status).toBe('muted');

    const gone = t.slack.responseUrl();
    await blockAction(t.target, {
      actions: [{ action_id: 'alert_delete', value: alert.id }],
      response_url: gone,
    });
    await until(async () => t.slack.responsesTo(gone).length > 0, 10_000, 'the deletion');
    expect(text(t.slack.responsesTo(gone))).toContain('Deleted *No orders*');
    expect(await t.features.alerts.get(alert.id)).toBeUndefined();
  });

  it('shows the alerts on App Home, where Mute republishes the Home', async () => {
    const { t, query } = await setup();
    const alert = await t.features.alerts.create(
      {
        owner: DEFAULT_OWNER,
        channelId: CHANNEL,
        onlyMe: false,
        tz: 'UTC',
        name: 'Late loads',
        queryId: query.id,
        condition: { kind: 'changed' },
        everyMinutes: 60,
      },
      new Date(),
    );
    await event(t.target, {
      event: {
        type: 'app_home_opened',
        user: DEFAULT_OWNER.userId,
        channel: 'D0HOME0001',
        tab: 'home',
      },
    });
    const [first] = await t.slack.waitFor('views.publish', { count: 1 });
    expect(text(first?.args)).toContain('"text":"Alerts"');
    expect(text(first?.args)).toContain('*Late loads*');
    await blockAction(t.target, {
      view: { type: 'home' } as never,
      actions: [{ action_id: 'alert_mute', value: alert.id }],
    });
    const published = await t.slack.waitFor('views.publish', { count: 2 });
    expect(text(published[1]?.args)).toContain('*Muted*');
  });

  it('edits an alert in the same form, filled in, and keeps it the creator’s', async () => {
    const { t, query } = await setup();
    const alert = await t.features.alerts.create(
      {
        owner: DEFAULT_OWNER,
        channelId: CHANNEL,
        onlyMe: false,
        tz: 'UTC',
        name: 'Big orders',
        queryId: query.id,
        condition: { kind: 'column', column: 'amount', reducer: 'max', op: '>', threshold: 100 },
        everyMinutes: 5,
      },
      new Date(),
    );
    const opened = t.slack.callsTo('views.open').length;
    await blockAction(t.target, { actions: [{ action_id: 'alert_edit', value: alert.id }] });
    const [call] = (await t.slack.waitFor('views.open', { count: opened + 1 })).slice(-1);
    const view = (call?.response as { view?: Json } | undefined)?.view;
    if (!view) throw new Error('no edit form');
    expect(text(view)).toContain('Edit alert');
    expect(text(view)).toContain('"initial_value":"100"');
    const saved = await submit(t, view, {
      query: String(query.id),
      threshold: '150',
      name: 'Bigger orders',
    });
    expect(saved.status).toBe(200);
    await until(
      async () => (await t.features.alerts.get(alert.id))?.name === 'Bigger orders',
      10_000,
      'the edit',
    );
    expect((await t.features.alerts.get(alert.id))?.condition).toMatchObject({
      threshold: 150,
      reducer: 'max',
    });
    expect(await t.features.alerts.list(DEFAULT_OWNER.tenantId)).toHaveLength(1);
  });

  it('saves a personal alert: the creator is subscribed and the channel gets no data', async () => {
    const { t, query } = await setup();
    const { view, responseUrl } = await openForm(t, `alert new ${query.id}`);
    const clash = await submit(t, view, { query: String(query.id), onlyMe: true, personal: true });
    expect(clash.body).toMatchObject({
      response_action: 'errors',
      errors: { alert_personal: expect.stringContaining('pick one') },
    });
    await submit(t, view, { query: String(query.id), personal: true });
    await until(async () => t.slack.responsesTo(responseUrl).length > 0, 10_000, 'the answer');
    expect(text(t.slack.responsesTo(responseUrl))).toContain("a card in each subscriber's DM");
    const [alert] = await t.features.alerts.list(DEFAULT_OWNER.tenantId);
    expect(alert?.personal).toBe(true);
    expect(await t.features.alertSubscriptions.count(alert?.id ?? '')).toBe(1);
    // The check at once fires it: a data-free post here, the card in the creator's DM.
    await until(async () => cardsIn(t).length === 1, 20_000, 'the channel post');
    expect(text(cardsIn(t)[0])).toContain('this alert fired');
    expect(text(cardsIn(t)[0])).not.toContain('Measured');
    const dm = t.slack.dmChannel(DEFAULT_OWNER.userId);
    await until(async () => t.slack.messages(dm).length > 0, 30_000, 'the creator’s copy');
    expect(text(t.slack.messages(dm))).toContain('Measured *120* against > 100');
  }, 60_000);
});

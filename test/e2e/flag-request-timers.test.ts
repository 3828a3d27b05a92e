// An unanswered trust-flag request reminds its reviewer once after 2 days and expires after 14,
// telling the requester (issue 20). pg-boss's TestClock drives the queue and the app's clock,
// so days pass in seconds; a withdrawn request neither reminds nor expires.
import { TestClock } from 'pg-boss';
import { afterEach, describe, expect, it } from 'vitest';
import { blockAction, slashCommand, viewSubmission } from '../driver.ts';
import type { EmulatedMessage } from '../emulators/slack.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { textOf } from '../support/flows.ts';

type Json = Record<string, unknown>;
const BOB = { id: 'U0USER0002', name: 'bob' };
const DAY = 86_400_000;
const START = Date.parse('2026-05-04T09:00:00Z');

const bots: TestBot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
});

/**
 * Jumps pg-boss's clock (and the app's) to `to`, then ticks a few seconds so the workers poll
 * there: days pass without stepping through them.
 */
async function jumpTo(clock: TestClock, to: number) {
  if (clock.now() < to) await clock.setTime(to);
  for (let i = 0; i < 3; i++) await clock.tick(1_000);
}

async function timedBot(clock: TestClock) {
  const t = await startTestBot({ jobs: { clock }, now: () => new Date(clock.now()) });
  bots.push(t);
  t.slack.addUser({ id: BOB.id, name: BOB.name });
  const warehouse = t.alation.addDataSource({ title: 'Warehouse' }).id;
  const orders = t.alation.addTable({ datasourceId: warehouse, schema: 'public', name: 'orders' });
  await t.connectAlation(DEFAULT_OWNER, 7);
  return { t, orders: orders.id };
}

/** Alice asks Bob to deprecate the table; returns the request's id once its card is posted. */
async function ask(t: TestBot, tableId: number): Promise<string> {
  const before = t.slack.callsTo('views.open').length;
  await slashCommand(t.target, { text: `flag request table ${tableId}` });
  const [call] = (await t.slack.waitFor('views.open', { count: before + 1 })).slice(-1);
  const view = (call?.response as { view?: Json & { id: string } } | undefined)?.view;
  if (!view) throw new Error('no request form');
  const text = (value: string) => ({ type: 'plain_text_input', value });
  const ack = await viewSubmission(t.target, {
    view: {
      ...view,
      state: {
        values: {
          flag_otype: { value: text('table') },
          flag_subject_id: { value: text(String(tableId)) },
          flag_type: {
            flag_request_type_choice: {
              type: 'radio_buttons',
              selected_option: { value: 'DEPRECATION', text: { type: 'plain_text', text: 'D' } },
            },
          },
          flag_reason: { value: text('Replaced') },
          flag_request_reviewer: { pick: { type: 'users_select', selected_user: BOB.id } },
          flag_request_channel: {
            pick: { type: 'conversations_select', selected_conversation: null },
          },
        },
      } as never,
    },
  });
  expect((ack.body as Json).response_action).toBe('update');
  const [row] = await t.db.query<{ id: string }>('SELECT id FROM flag_requests');
  const id = row?.id;
  if (!id) throw new Error('no request stored');
  return id;
}

const dms = (t: TestBot, userId: string) => t.slack.messages(t.slack.dmChannel(userId));
const cardOf = async (t: TestBot, id: string): Promise<EmulatedMessage> => {
  const request = await t.features.flagRequests.get(id);
  if (!request?.card) throw new Error('no card');
  return t.slack.message(request.card.channelId, request.card.ts) as EmulatedMessage;
};

describe('flag request timers', () => {
  it('reminds the reviewer once after 2 days and expires after 14, telling the requester', async () => {
    const clock = new TestClock(START);
    const { t, orders } = await timedBot(clock);
    const id = await ask(t, orders);
    const card = await cardOf(t, id);

    await jumpTo(clock, START + DAY);
    expect(t.slack.thread(card.channel, card.ts)).toEqual([]);

    await jumpTo(clock, START + 2 * DAY - 60_000);
    expect(t.slack.thread(card.channel, card.ts)).toEqual([]);
    await jumpTo(clock, START + 2 * DAY + 1_000);
    const [reminder] = await t.slack.waitUntil(
      () => {
        const replies = t.slack.thread(card.channel, card.ts);
        return replies.length > 0 ? replies : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(textOf(reminder?.blocks)).toContain(
      `Reminder: <@${BOB.id}>, <@${SLACK_DEFAULTS.userId}> is still waiting`,
    );
    // Bob also gets a message of his own (a thread reply in a DM does not notify).
    expect(
      dms(t, BOB.id).filter((m) => m.text.startsWith('Reminder') && !m.thread_ts),
    ).toHaveLength(1);

    // More time, more polls: still one reminder.
    await jumpTo(clock, START + 2 * DAY + 5 * 60_000);
    expect(t.slack.thread(card.channel, card.ts)).toHaveLength(1);
    expect((await t.features.flagRequests.get(id))?.status).toBe('open');

    await jumpTo(clock, START + 14 * DAY + 1_000);
    const told = await t.slack.waitUntil(
      () => dms(t, SLACK_DEFAULTS.userId).find((m) => m.text.includes(': expired')),
      { timeoutMs: 20_000 },
    );
    expect(textOf(told.blocks)).toContain('*Expired*: nobody decided in time');
    const closed = await cardOf(t, id);
    expect(textOf(closed.blocks)).toContain('*Expired*');
    expect(textOf(closed.blocks)).not.toContain('flag_request_approve');
    expect(JSON.stringify(closed.blocks)).not.toContain('flag_request_approve');
    const events = await t.features.flagRequests.events(id);
    expect(events.map((e) => [e.event, e.at.toISOString()])).toEqual([
      ['requested', new Date(START).toISOString()],
      ['reminded', expect.any(String)],
      ['expired', expect.any(String)],
    ]);
    expect(events[1]?.at.getTime()).toBeGreaterThanOrEqual(START + 2 * DAY);
    expect(events[2]?.at.getTime()).toBeGreaterThanOrEqual(START + 14 * DAY);
    expect(t.alation.requestsTo('POST', '/integration/flag/')).toEqual([]);
  }, 120_000);

  it('a withdrawn request neither reminds nor expires', async () => {
    const clock = new TestClock(START);
    const { t, orders } = await timedBot(clock);
    const id = await ask(t, orders);
    const request = await t.features.flagRequests.get(id);
    const receipt = request?.receipt;
    if (!receipt) throw new Error('no receipt');
    await blockAction(t.target, {
      channel: { id: receipt.channelId },
      message: { ts: receipt.ts },
      actions: [{ action_id: 'flag_request_withdraw', value: id }],
      response_url: t.slack.responseUrl(),
    });
    const card = await cardOf(t, id);
    await t.slack.waitUntil(() => (textOf(card.blocks).includes('*Withdrawn*') ? true : undefined));

    await jumpTo(clock, START + 14 * DAY + 60_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(t.slack.thread(card.channel, card.ts)).toEqual([]);
    expect(dms(t, SLACK_DEFAULTS.userId).filter((m) => m.text.includes(': expired'))).toEqual([]);
    expect((await t.features.flagRequests.events(id)).map((e) => e.event)).toEqual([
      'requested',
      'withdrawn',
    ]);
  }, 120_000);
});

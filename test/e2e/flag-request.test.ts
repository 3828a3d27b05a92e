// Trust-flag requests through HTTP (issue 20): a request goes to a person's DM or a stewards'
// channel, and Approve creates the flag in Alation as the approver (their own token, asserted
// in the emulator's log); approve with changes, deny with a reason, Alation refusing the
// approver, a double press, and a claim whose replica died.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { viewSubmission } from '../driver.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import {
  ALICE,
  actionIds,
  BOB,
  CAROL,
  DAVE,
  flagRequestWorld,
  STEWARDS,
} from '../support/flag-requests.ts';
import { textOf } from '../support/flows.ts';

type Json = Record<string, unknown>;

let t: TestBot;
let orders: number;
const world = flagRequestWorld();
const { flagPosts, nextOpenedView, request, cardIn, press, current, requestRow, dmsTo } = world;
beforeEach(async () => {
  ({ t, orders } = await world.start());
});
afterEach(() => world.stop());

describe('a request to a person', () => {
  const input = {
    type: 'DEPRECATION',
    reason: 'Replaced by <orders_v2>',
    reviewer: BOB.id,
  } as const;

  it('sends a review card to their DM and a receipt to the requester', async () => {
    t.alation.addFlag({
      flagType: 'WARNING',
      reason: 'Late loads',
      subject: { otype: 'table', id: orders },
      userId: 8,
    });
    const { ack } = await request(input);
    expect(ack.response_action).toBe('update');
    expect(textOf(ack.view)).toContain(`Sent to <@${BOB.id}>`);
    const card = await cardIn(t.slack.dmChannel(BOB.id));
    const text = textOf(card.blocks);
    expect(text).toContain(`<@${ALICE.id}> asks <@${BOB.id}> to deprecate`);
    expect(text).toContain('Replaced by &lt;orders_v2&gt;');
    expect(text).toContain('*Flags on it now:*');
    expect(text).toContain('Late loads');
    expect(actionIds(card)).toEqual([
      'flag_request_approve',
      'flag_request_changes',
      'flag_request_deny',
      'flag_request_ask',
      'flag_open_subject',
    ]);
    const receipt = await t.slack.waitUntil(() =>
      dmsTo(ALICE).find((m) => m.text.startsWith('Your trust flag request')),
    );
    expect(actionIds(receipt)).toEqual(['flag_request_withdraw']);
    // Nothing was created yet; the flags were read as Alice.
    expect(flagPosts()).toEqual([]);
    expect(t.alation.requestsTo('GET', '/integration/flag/')[0]?.userId).toBe(7);
  });

  it('approve creates the flag as the approver, closes the card and tells the requester', async () => {
    await request(input);
    const card = await cardIn(t.slack.dmChannel(BOB.id));
    const { reply } = await press('flag_request_approve', card, BOB);
    expect(textOf(await reply())).toContain('Approved');
    const [post] = flagPosts();
    expect(post?.userId).toBe(8);
    expect(post?.body).toEqual({
      flag_type: 'DEPRECATION',
      flag_reason: 'Replaced by <orders_v2>',
      subject: { otype: 'table', id: orders },
    });
    const flag = [...t.alation.state.flags.values()][0];
    expect(flag?.userId).toBe(8);
    const closed = current(card);
    expect(textOf(closed.blocks)).toContain(`*Approved by <@${BOB.id}>*`);
    expect(actionIds(closed)).toEqual(['flag_open_subject']);
    const outcome = await t.slack.waitUntil(() =>
      dmsTo(ALICE).find((m) => m.text.includes(': approved')),
    );
    expect(textOf(outcome.blocks)).toContain(`Approved by <@${BOB.id}>`);
    expect(textOf(outcome.blocks)).toContain(`${t.alation.url}/table/${orders}/`);
    const row = await requestRow();
    expect(row).toMatchObject({ status: 'approved', decidedBy: BOB.id, flagId: flag?.id });
    const events = await t.features.flagRequests.events(row?.id ?? '');
    expect(events.map((e) => [e.event, e.actorId, e.flagId])).toEqual([
      ['requested', ALICE.id, null],
      ['approved', BOB.id, flag?.id],
    ]);
  });

  it('approve with changes creates the changed flag as the approver', async () => {
    await request(input);
    const card = await cardIn(t.slack.dmChannel(BOB.id));
    const opened = t.slack.callsTo('views.open').length;
    await press('flag_request_changes', card, BOB);
    const view = await nextOpenedView(opened);
    expect(view.callback_id).toBe('flag_request_changes');
    const ack = await viewSubmission(t.target, {
      user: BOB,
      view: {
        ...view,
        state: {
          values: {
            flag_type: {
              flag_request_changes_type_choice: {
                type: 'radio_buttons',
                selected_option: { value: 'WARNING', text: { type: 'plain_text', text: 'W' } },
              },
            },
            flag_reason: { value: { type: 'plain_text_input', value: 'Use with care until May' } },
          },
        } as never,
      },
    });
    expect(ack.raw).toBe('');
    expect(flagPosts().map((p) => [p.userId, p.body])).toEqual([
      [
        8,
        {
          flag_type: 'WARNING',
          flag_reason: 'Use with care until May',
          subject: { otype: 'table', id: orders },
        },
      ],
    ]);
    const text = textOf(current(card).blocks);
    expect(text).toContain(`*Approved by <@${BOB.id}>* with changes`);
    expect(text).toContain('Use with care until May');
  });

  it('when Alation refuses the reviewer (403), the card says so, the requester is told, and no one else may decide', async () => {
    await request({ ...input, reviewer: CAROL.id });
    const card = await cardIn(t.slack.dmChannel(CAROL.id));
    const { reply } = await press('flag_request_approve', card, CAROL);
    expect(textOf(await reply())).toContain('Alation did not let the last approver create');
    expect(flagPosts().map((p) => p.userId)).toEqual([9]);
    expect(t.alation.state.flags.size).toBe(0);
    const open = current(card);
    expect(textOf(open.blocks)).toContain(`still open; <@${ALICE.id}> has been told`);
    expect(actionIds(open)).toContain('flag_request_approve');
    expect((await requestRow())?.status).toBe('open');
    const told = await t.slack.waitUntil(() =>
      dmsTo(ALICE).find((m) => textOf(m.blocks).includes('tried to approve your request')),
    );
    expect(told.thread_ts).toBeDefined();
    // Bob was not asked: his press (a forwarded button) decides nothing.
    const id = String((await requestRow())?.id);
    const bob = await press('flag_request_approve', open, BOB, id);
    expect(textOf(await bob.reply())).toContain(`asked of <@${CAROL.id}>, so only they can decide`);
    expect(flagPosts()).toHaveLength(1);
  });
});

describe('a request to a stewards’ channel', () => {
  const input = { type: 'WARNING', reason: 'Stale since March', channel: STEWARDS } as const;

  it('posts the card in the channel; deny with a reason tells the requester', async () => {
    await request(input);
    const card = await cardIn(STEWARDS);
    expect(textOf(card.blocks)).toContain(`asks <#${STEWARDS}> to put a warning on`);
    const opened = t.slack.callsTo('views.open').length;
    await press('flag_request_deny', card, CAROL);
    const view = await nextOpenedView(opened);
    const empty = await viewSubmission(t.target, {
      user: CAROL,
      view: {
        ...view,
        state: {
          values: { flag_request_note: { value: { type: 'plain_text_input', value: ' ' } } },
        } as never,
      },
    });
    expect((empty.body as { errors?: Json }).errors?.flag_request_note).toContain('Say why');
    const ack = await viewSubmission(t.target, {
      user: CAROL,
      view: {
        ...view,
        state: {
          values: {
            flag_request_note: {
              value: { type: 'plain_text_input', value: 'It was reloaded <!here> today' },
            },
          },
        } as never,
      },
    });
    expect(ack.raw).toBe('');
    const closed = current(card);
    expect(textOf(closed.blocks)).toContain(`*Denied by <@${CAROL.id}>*`);
    expect(textOf(closed.blocks)).toContain('It was reloaded &lt;!here&gt; today');
    expect(actionIds(closed)).toEqual(['flag_open_subject']);
    const outcome = await t.slack.waitUntil(() =>
      dmsTo(ALICE).find((m) => m.text.includes(': denied')),
    );
    expect(textOf(outcome.blocks)).toContain('It was reloaded &lt;!here&gt; today');
    expect(flagPosts()).toEqual([]);
    const row = await requestRow();
    expect(row).toMatchObject({ status: 'denied', decidedBy: CAROL.id });
  });

  it('when Alation refuses one steward (403), another may still approve the same card', async () => {
    await request(input);
    const card = await cardIn(STEWARDS);
    const id = String((await requestRow())?.id);
    const { reply } = await press('flag_request_approve', card, CAROL);
    expect(textOf(await reply())).toContain('Nothing was created; the request stays open');
    expect(textOf(current(card).blocks)).toContain('still open for someone who may');
    expect((await requestRow())?.status).toBe('open');
    await press('flag_request_approve', current(card), BOB, id);
    await t.slack.waitUntil(() => textOf(current(card).blocks).includes('Approved by'));
    expect(flagPosts().map((p) => p.userId)).toEqual([9, 8]);
    expect(t.alation.state.flags.size).toBe(1);
    const events = await t.features.flagRequests.events(id);
    expect(events.map((e) => [e.event, e.actorId])).toEqual([
      ['requested', ALICE.id],
      ['refused', CAROL.id],
      ['approved', BOB.id],
    ]);
  });

  it('a double press by two stewards creates one flag', async () => {
    await request(input);
    const card = await cardIn(STEWARDS);
    // Alation takes a while, so both presses arrive while the first approval is under way.
    t.alation.fault({ method: 'POST', path: '/integration/flag/', latencyMs: 400, times: 2 });
    const [first, second] = await Promise.all([
      press('flag_request_approve', card, BOB),
      press('flag_request_approve', card, DAVE),
    ]);
    const answers = [textOf(await first.reply()), textOf(await second.reply())];
    expect(answers.filter((a) => a.includes('Approved: the warning is in Alation'))).toHaveLength(
      1,
    );
    expect(answers.filter((a) => a.includes('is approving this request right now'))).toHaveLength(
      1,
    );
    expect(flagPosts()).toHaveLength(1);
    expect(t.alation.state.flags.size).toBe(1);
    const events = await t.features.flagRequests.events((await requestRow())?.id ?? '');
    expect(events.filter((e) => e.event === 'approved')).toHaveLength(1);
  });

  it('a double press on two replicas sharing the database creates one flag', async () => {
    const replica = await startTestBot({ reuse: t });
    try {
      await request(input);
      const card = await cardIn(STEWARDS);
      const id = String((await requestRow())?.id);
      t.alation.fault({ method: 'POST', path: '/integration/flag/', latencyMs: 400, times: 2 });
      const [first, second] = await Promise.all([
        press('flag_request_approve', card, BOB, id),
        press('flag_request_approve', card, DAVE, id, replica.target),
      ]);
      const answers = [textOf(await first.reply()), textOf(await second.reply())];
      expect(answers.filter((a) => a.includes('Approved: the warning is in Alation'))).toHaveLength(
        1,
      );
      expect(flagPosts()).toHaveLength(1);
      expect(t.alation.state.flags.size).toBe(1);
    } finally {
      await replica.stop();
    }
  });

  it('adopts the flag of an approval whose replica died before recording it', async () => {
    await request(input);
    const card = await cardIn(STEWARDS);
    const id = String((await requestRow())?.id);
    // Dave's replica claimed three minutes ago, created the flag in Alation, and died.
    const claimed = await t.features.flagRequests.claim(
      id,
      DAVE.id,
      new Date(Date.now() - 180_000),
      {
        flagType: 'WARNING',
        reason: 'Stale since March',
      },
    );
    expect(claimed.ok).toBe(true);
    const created = t.alation.addFlag({
      flagType: 'WARNING',
      reason: 'Stale since March',
      subject: { otype: 'table', id: orders },
      userId: 10,
    });
    const { reply } = await press('flag_request_approve', card, BOB, id);
    expect(textOf(await reply())).toContain(
      `Already decided, nothing else was done: :white_check_mark: *Approved by <@${DAVE.id}>*`,
    );
    expect(flagPosts()).toEqual([]);
    expect(t.alation.state.flags.size).toBe(1);
    expect(await requestRow()).toMatchObject({
      status: 'approved',
      decidedBy: DAVE.id,
      flagId: created.id,
    });
    expect(textOf(current(card).blocks)).toContain(`*Approved by <@${DAVE.id}>*`);
    await t.slack.waitUntil(() => dmsTo(ALICE).find((m) => m.text.includes(': approved')));
  });

  it('tells the requester in the form when the bot is not in the channel', async () => {
    t.slack.addChannel({ id: 'C0OUTSIDE', name: 'elsewhere', is_member: false });
    const { ack } = await request({ ...input, channel: 'C0OUTSIDE' });
    expect((ack.errors as Json).flag_request_channel).toContain('/invite @Alation');
    expect(await t.db.query('SELECT id FROM flag_requests')).toEqual([]);
  });
});

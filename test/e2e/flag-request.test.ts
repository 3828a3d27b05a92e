// Trust-flag requests through HTTP (issue 20): a request goes to a person's DM or a stewards'
// channel, and Approve creates the flag in Alation as the approver (their own token, asserted
// in the emulator's log); deny, approve with changes, a refusal by Alation, a double press,
// withdrawing, the Request a flag… offer where Alation refuses an Add, and the requests list.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlagType } from '../../src/client/alation.ts';
import { blockAction, event, slashCommand, viewSubmission } from '../driver.ts';
import type { EmulatedMessage } from '../emulators/slack.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

type Json = Record<string, unknown>;
type User = { id: string; name: string };

const ALICE: User = { id: SLACK_DEFAULTS.userId, name: SLACK_DEFAULTS.userName };
const BOB: User = { id: 'U0USER0002', name: 'bob' };
const CAROL: User = { id: 'U0USER0003', name: 'carol' };
const DAVE: User = { id: 'U0USER0004', name: 'dave' };
const STEWARDS = 'C0STEWARDS';
const owner = (u: User) => ({ tenantId: SLACK_DEFAULTS.teamId, userId: u.id });

let t: TestBot;
let orders: number;

beforeEach(async () => {
  t = await startTestBot({ jobs: {} });
  for (const u of [BOB, CAROL, DAVE]) t.slack.addUser({ id: u.id, name: u.name });
  t.slack.addChannel({ id: STEWARDS, name: 'data-stewards', is_member: true });
  const warehouse = t.alation.addDataSource({ title: 'Warehouse' }).id;
  orders = t.alation.addTable({ datasourceId: warehouse, schema: 'public', name: 'orders' }).id;
  // Alice (7) may not set flags; Bob (8) and Dave (10) are stewards; Carol (9) may not either.
  await t.connectAlation(DEFAULT_OWNER, 7);
  mayNotFlag(7);
  await t.connectAlation(owner(BOB), 8);
  await t.connectAlation(owner(CAROL), 9);
  mayNotFlag(9);
  await t.connectAlation(owner(DAVE), 10);
});
afterEach(() => t.stop());

function mayNotFlag(alationUserId: number) {
  const user = t.alation.state.users.get(alationUserId);
  if (!user) throw new Error(`no Alation user ${alationUserId}`);
  user.canEditFlags = false;
}

const flagPosts = () => t.alation.requestsTo('POST', '/integration/flag/');
const buttonsOf = (message: { blocks?: unknown[] }) =>
  ((message.blocks ?? []) as Json[]).flatMap((b) =>
    b.type === 'actions' ? (b.elements as Json[]) : [],
  );
const actionIds = (message: { blocks?: unknown[] }) => buttonsOf(message).map((b) => b.action_id);

interface RequestInput {
  otype?: string;
  id?: string;
  type?: FlagType;
  reason?: string;
  reviewer?: string;
  channel?: string;
}

function requestState(input: RequestInput) {
  const text = (value: string | undefined) => ({ type: 'plain_text_input', value: value ?? null });
  return {
    values: {
      flag_otype: { value: text(input.otype) },
      flag_subject_id: { value: text(input.id) },
      flag_type: {
        flag_request_type_choice: {
          type: 'radio_buttons',
          selected_option: input.type
            ? { value: input.type, text: { type: 'plain_text', text: input.type } }
            : null,
        },
      },
      ...(input.reason === undefined ? {} : { flag_reason: { value: text(input.reason) } }),
      flag_request_reviewer: {
        pick: { type: 'users_select', selected_user: input.reviewer ?? null },
      },
      flag_request_channel: {
        pick: { type: 'conversations_select', selected_conversation: input.channel ?? null },
      },
    },
  } as never;
}

/** Waits for the next views.open and returns the view Slack stored. */
async function nextOpenedView(before: number): Promise<Json & { id: string }> {
  const [call] = (await t.slack.waitFor('views.open', { count: before + 1 })).slice(-1);
  const view = (call?.response as { view?: Json & { id: string } } | undefined)?.view;
  if (!view) throw new Error('views.open returned no view');
  return view;
}

async function openRequestForm(args: string) {
  const before = t.slack.callsTo('views.open').length;
  const ack = await slashCommand(t.target, {
    text: `flag request ${args}`,
    response_url: t.slack.responseUrl(),
  });
  expect(ack.status).toBe(200);
  return await nextOpenedView(before);
}

/** Alice asks; resolves once the card and her receipt are posted. */
async function request(input: RequestInput) {
  const view = await openRequestForm(`table ${orders}`);
  const ack = await viewSubmission(t.target, {
    view: { ...view, state: requestState({ otype: 'table', id: String(orders), ...input }) },
  });
  expect(ack.status).toBe(200);
  return { view, ack: ack.body as Json };
}

async function cardIn(channel: string): Promise<EmulatedMessage> {
  return t.slack.waitUntil(() =>
    t.slack.messages(channel).find((m) => m.text.startsWith('Trust flag request')),
  );
}

async function press(
  actionId: string,
  message: EmulatedMessage,
  user: User,
  value = String(buttonsOf(message).find((b) => b.action_id === actionId)?.value),
) {
  const responseUrl = t.slack.responseUrl();
  const ack = await blockAction(t.target, {
    user,
    channel: { id: message.channel },
    message: { ts: message.ts, blocks: message.blocks ?? [] },
    actions: [{ action_id: actionId, value }],
    response_url: responseUrl,
  });
  expect(ack.status).toBe(200);
  return { responseUrl, reply: () => nextResponse(t, responseUrl) };
}

/** The card as Slack holds it now (after the bot's chat.update calls). */
const current = (m: EmulatedMessage) => t.slack.message(m.channel, m.ts) as EmulatedMessage;
const requestRow = async () => {
  const [row] = await t.db.query<{ id: string }>('SELECT id FROM flag_requests');
  return t.features.flagRequests.get(row?.id ?? '');
};
const dmsTo = (u: User) => t.slack.messages(t.slack.dmChannel(u.id));

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

describe('before anything is created', () => {
  it('asks an approver who has not connected to connect, and leaves the request open', async () => {
    await request({ type: 'WARNING', reason: 'Old', reviewer: BOB.id });
    const card = await cardIn(t.slack.dmChannel(BOB.id));
    await t.features.credentials.remove(owner(BOB), 'alation');
    const { reply } = await press('flag_request_approve', card, BOB);
    const answer = await reply();
    expect(buttonsOf(answer as { blocks?: unknown[] }).map((b) => b.action_id)).toContain(
      'alation_connect',
    );
    expect(flagPosts()).toEqual([]);
    expect(await requestRow()).toMatchObject({ status: 'open', claimedBy: null });
    expect(actionIds(current(card))).toContain('flag_request_approve');
  });

  it('puts Alation’s “Invalid otype” next to the object type, and sends nothing', async () => {
    const view = await openRequestForm('');
    const ack = await viewSubmission(t.target, {
      view: {
        ...view,
        state: requestState({
          otype: 'tabel',
          id: '12',
          type: 'WARNING',
          reason: 'x',
          reviewer: BOB.id,
        }),
      },
    });
    expect(((ack.body as Json).errors as Json).flag_otype).toContain('Invalid otype');
    expect(await t.db.query('SELECT id FROM flag_requests')).toEqual([]);
    expect(t.slack.messages(t.slack.dmChannel(BOB.id))).toEqual([]);
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

describe('the requester', () => {
  it('withdraws a request; the card closes and a later Approve creates nothing', async () => {
    await request({ type: 'DEPRECATION', reason: 'Old', reviewer: BOB.id });
    const card = await cardIn(t.slack.dmChannel(BOB.id));
    const receipt = await t.slack.waitUntil(() =>
      dmsTo(ALICE).find((m) => m.text.startsWith('Your trust flag request')),
    );
    const id = String((await requestRow())?.id);
    const { reply } = await press('flag_request_withdraw', receipt, ALICE);
    expect(textOf(await reply())).toContain('Withdrawn');
    expect(textOf(current(card).blocks)).toContain('*Withdrawn*');
    expect(actionIds(current(card))).toEqual(['flag_open_subject']);
    expect(actionIds(current(receipt))).toEqual([]);
    const late = await press('flag_request_approve', card, BOB, id);
    expect(textOf(await late.reply())).toContain('Already decided');
    expect(flagPosts()).toEqual([]);
    expect((await requestRow())?.status).toBe('withdrawn');
  });

  it('is asked a question in the thread of the receipt', async () => {
    await request({ type: 'DEPRECATION', reason: 'Old', reviewer: BOB.id });
    const card = await cardIn(t.slack.dmChannel(BOB.id));
    const receipt = await t.slack.waitUntil(() =>
      dmsTo(ALICE).find((m) => m.text.startsWith('Your trust flag request')),
    );
    const opened = t.slack.callsTo('views.open').length;
    await press('flag_request_ask', card, BOB);
    const view = await nextOpenedView(opened);
    const ack = await viewSubmission(t.target, {
      user: BOB,
      view: {
        ...view,
        state: {
          values: {
            flag_request_note: {
              value: { type: 'plain_text_input', value: 'Which table replaces it?' },
            },
          },
        } as never,
      },
    });
    expect(ack.raw).toBe('');
    const [question] = t.slack.thread(receipt.channel, receipt.ts);
    expect(textOf(question?.blocks)).toContain(`<@${BOB.id}> asks about this request`);
    expect(textOf(question?.blocks)).toContain('Which table replaces it?');
    expect((await requestRow())?.status).toBe('open');
  });

  it('cannot pick themselves, and must pick someone', async () => {
    const { ack } = await request({ type: 'DEPRECATION', reason: 'Old', reviewer: ALICE.id });
    expect((ack.errors as Json).flag_request_reviewer).toContain('cannot decide your own');
    const none = await request({ type: 'DEPRECATION', reason: 'Old' });
    expect((none.ack.errors as Json).flag_request_reviewer).toContain('Who should decide?');
  });

  it('lists mine and those waiting for me with /alation flag requests', async () => {
    await request({ type: 'DEPRECATION', reason: 'Old', reviewer: BOB.id });
    await cardIn(t.slack.dmChannel(BOB.id));
    const responseUrl = t.slack.responseUrl();
    await slashCommand(t.target, {
      text: 'flag requests',
      response_url: responseUrl,
      user_id: BOB.id,
      user_name: BOB.name,
    });
    const bobs = textOf(await nextResponse(t, responseUrl));
    expect(bobs).toContain('*Waiting for you*');
    expect(bobs).toContain(`from <@${ALICE.id}>`);
    const mineUrl = t.slack.responseUrl();
    await slashCommand(t.target, { text: 'flag requests', response_url: mineUrl });
    const alices = await nextResponse(t, mineUrl);
    expect(textOf(alices)).toContain(`asked of <@${BOB.id}>`);
    expect(actionIds(alices as { blocks?: unknown[] })).toEqual(['flag_request_withdraw']);
  });
});

describe('App Home', () => {
  it('shows the requests waiting for the reviewer, with their buttons, and Approve works there', async () => {
    await request({ type: 'DEPRECATION', reason: 'Old', reviewer: BOB.id });
    const card = await cardIn(t.slack.dmChannel(BOB.id));
    await event(t.target, {
      event: { type: 'app_home_opened', user: BOB.id, channel: 'D0HOME0002', tab: 'home' },
    });
    const [publish] = await t.slack.waitFor('views.publish');
    expect(publish?.args.user_id).toBe(BOB.id);
    const home = publish?.args.view as { blocks: unknown[] };
    expect(textOf(home)).toContain('Trust flag requests');
    expect(textOf(home)).toContain(`from <@${ALICE.id}>`);
    const approve = buttonsOf(home).find((b) => b.action_id === 'flag_request_approve');
    expect(approve).toBeDefined();
    // A Home button has no response_url: the answer goes to Bob's DM.
    await blockAction(t.target, {
      user: BOB,
      view: { id: 'VHOME', type: 'home' } as never,
      actions: [{ action_id: 'flag_request_approve', value: String(approve?.value) }],
    });
    await t.slack.waitUntil(() => textOf(current(card).blocks).includes('Approved by'));
    expect(flagPosts().map((p) => p.userId)).toEqual([8]);
  });
});

describe('where Alation refuses an Add (403)', () => {
  it('offers Request a flag…, which opens the request form filled in', async () => {
    const before = t.slack.callsTo('views.open').length;
    await slashCommand(t.target, {
      text: `flag add table ${orders}`,
      response_url: t.slack.responseUrl(),
    });
    const view = await nextOpenedView(before);
    const text = (value: string) => ({ type: 'plain_text_input', value });
    const ack = await viewSubmission(t.target, {
      view: {
        ...view,
        state: {
          values: {
            flag_otype: { value: text('table') },
            flag_subject_id: { value: text(String(orders)) },
            flag_type: {
              flag_type_choice: {
                type: 'radio_buttons',
                selected_option: { value: 'DEPRECATION', text: { type: 'plain_text', text: 'D' } },
              },
            },
            flag_reason: { value: text('Replaced') },
          },
        } as never,
      },
    });
    const refused = (ack.body as { view: Json }).view;
    expect(textOf(refused)).toContain('Alation did not let you add trust flags');
    const offer = buttonsOf(refused as { blocks: unknown[] })[0];
    expect(offer?.action_id).toBe('flag_request_open');
    await blockAction(t.target, {
      view: { ...view, ...refused, id: view.id },
      actions: [{ action_id: 'flag_request_open', value: String(offer?.value) }],
    });
    const [update] = (await t.slack.waitFor('views.update')).slice(-1);
    const form = update?.args.view as Json;
    expect(form.callback_id).toBe('flag_request');
    const initial = (id: string) =>
      ((form.blocks as Json[]).find((b) => b.block_id === id)?.element as Json | undefined)
        ?.initial_value;
    expect(initial('flag_otype')).toBe('table');
    expect(initial('flag_subject_id')).toBe(String(orders));
    expect(initial('flag_reason')).toBe('Replaced');
  });
});

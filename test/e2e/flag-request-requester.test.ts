// Trust-flag requests from the requester's side (issue 20): what is refused before anything is
// sent, withdrawing, questions in the receipt's thread, /alation flag requests, App Home, and
// Request a flag… where Alation refuses someone's own Add.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockAction, event, slashCommand, viewSubmission } from '../driver.ts';
import type { TestBot } from '../support/bot.ts';
import {
  ALICE,
  actionIds,
  BOB,
  buttonsOf,
  CAROL,
  DAVE,
  flagRequestWorld,
  owner,
  requestState,
  STEWARDS,
} from '../support/flag-requests.ts';
import { textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

type Json = Record<string, unknown>;

let t: TestBot;
let orders: number;
const world = flagRequestWorld();
const {
  flagPosts,
  openRequestForm,
  nextOpenedView,
  request,
  cardIn,
  press,
  current,
  requestRow,
  dmsTo,
} = world;
beforeEach(async () => {
  ({ t, orders } = await world.start());
});
afterEach(() => world.stop());

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
  it('lists a request sent to a stewards’ channel as waiting for each member of it', async () => {
    t.slack.addChannel({
      id: STEWARDS,
      name: 'data-stewards',
      is_member: true,
      members: [BOB.id, CAROL.id],
    });
    await request({ type: 'DEPRECATION', reason: 'Old', channel: STEWARDS });
    await cardIn(STEWARDS);
    const waitingFor = async (user: typeof BOB) => {
      const responseUrl = t.slack.responseUrl();
      await slashCommand(t.target, {
        text: 'flag requests',
        response_url: responseUrl,
        user_id: user.id,
        user_name: user.name,
      });
      return textOf(await nextResponse(t, responseUrl));
    };
    expect(await waitingFor(BOB)).toContain(`from <@${ALICE.id}>`);
    expect(await waitingFor(CAROL)).toContain(`from <@${ALICE.id}>`);
    expect(await waitingFor(DAVE)).not.toContain(`from <@${ALICE.id}>`);
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

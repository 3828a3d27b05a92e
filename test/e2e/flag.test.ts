import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlagType } from '../../src/client/alation.ts';
import { blockAction, slashCommand, viewSubmission } from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

let t: TestBot;
let warehouse: number;
let orders: number;
let revenue: number;
const HOUR = 3600_000;
type Json = Record<string, unknown>;

beforeEach(async () => {
  t = await startTestBot();
  // Alation user 8 owns the warehouse; user 7 (the default Slack user) is a plain user.
  warehouse = t.alation.addDataSource({ title: 'Warehouse', ownerIds: [8] }).id;
  orders = t.alation.addTable({ datasourceId: warehouse, schema: 'public', name: 'orders' }).id;
  revenue = t.alation.addQuery({
    datasourceId: warehouse,
    title: 'Daily revenue',
    content: 'SELECT 1',
  }).id;
  await t.connectAlation(DEFAULT_OWNER, 7);
});
afterEach(() => t.stop());

const BOB = { id: 'U0USER0002', name: 'bob' };

async function command(text: string, extra: Parameters<typeof slashCommand>[1] = {}) {
  const responseUrl = t.slack.responseUrl();
  const ack = await slashCommand(t.target, { text, response_url: responseUrl, ...extra });
  expect(ack.status).toBe(200);
  return { ack, responseUrl, reply: (count = 1) => nextResponse(t, responseUrl, count) };
}

async function click(
  actionId: string,
  value: string,
  options: { user?: { id: string; name: string }; inChannel?: boolean } = {},
) {
  const responseUrl = t.slack.responseUrl();
  const ack = await blockAction(t.target, {
    actions: [{ action_id: actionId, value }],
    response_url: responseUrl,
    is_ephemeral: !options.inChannel,
    ...(options.user ? { user: options.user } : {}),
  });
  expect(ack.status).toBe(200);
  return { responseUrl, reply: (count = 1) => nextResponse(t, responseUrl, count) };
}

/** Waits for the next views.open and returns the view Slack stored. */
async function nextOpenedView(before: number): Promise<Json & { id: string }> {
  const [call] = (await t.slack.waitFor('views.open', { count: before + 1 })).slice(-1);
  const view = (call?.response as { view?: Json & { id: string } } | undefined)?.view;
  if (!view) throw new Error('views.open returned no view');
  return view;
}

async function openAdd(args = '') {
  const before = t.slack.callsTo('views.open').length;
  const { responseUrl } = await command(`flag add ${args}`.trim());
  return { view: await nextOpenedView(before), responseUrl };
}

interface AddInput {
  otype?: string;
  id?: string;
  type?: FlagType;
  reason?: string;
}

function addState(input: AddInput) {
  const text = (value: string | undefined) => ({ type: 'plain_text_input', value: value ?? null });
  return {
    values: {
      flag_otype: { value: text(input.otype) },
      flag_subject_id: { value: text(input.id) },
      flag_type: {
        flag_type_choice: {
          type: 'radio_buttons',
          selected_option: input.type
            ? { value: input.type, text: { type: 'plain_text', text: input.type } }
            : null,
        },
      },
      ...(input.reason === undefined ? {} : { flag_reason: { value: text(input.reason) } }),
    },
  } as never;
}

function submitAdd(
  view: Json & { id: string },
  input: AddInput,
  user?: { id: string; name: string },
) {
  return viewSubmission(t.target, {
    view: { ...view, state: addState(input) },
    ...(user ? { user } : {}),
  });
}

const posts = () => t.alation.requestsTo('POST', '/integration/flag/');
const blocksOf = (view: Json) => view.blocks as Json[];
// Slack gives blocks without an id a random one; only the app's own ids say anything.
const blockIds = (view: Json) =>
  blocksOf(view).map((b) => (String(b.block_id).startsWith('flag_') ? b.block_id : b.type));
const buttonsOf = (message: Json) =>
  (message.blocks as Json[]).flatMap((b) => (b.type === 'actions' ? (b.elements as Json[]) : []));
const errorsOf = (ack: { body: unknown }) => (ack.body as { errors?: Json }).errors ?? {};

describe('/alation flag add', () => {
  it('opens the form prefilled, named, and rebuilds the reason for the chosen type', async () => {
    const { view } = await openAdd(`query ${revenue}`);
    expect(view.callback_id).toBe('flag_add');
    expect(textOf(view)).toContain(`*Daily revenue* (query ${revenue})`);
    const initial = (id: string) =>
      (blocksOf(view).find((b) => b.block_id === id)?.element as Json | undefined)?.initial_value;
    expect(initial('flag_otype')).toBe('query');
    expect(initial('flag_subject_id')).toBe(String(revenue));
    expect(blockIds(view)).toEqual([
      'section',
      'flag_otype',
      'flag_subject_id',
      'flag_type',
      'flag_reason',
    ]);
    // The name lookup ran as the user.
    expect(t.alation.requestsTo('GET', `/integration/v1/query/${revenue}/`)[0]?.userId).toBe(7);

    const choose = async (type: FlagType, count: number) => {
      await blockAction(t.target, {
        view: { ...view, state: addState({ otype: 'query', id: String(revenue), type }) },
        actions: [
          {
            action_id: 'flag_type_choice',
            block_id: 'flag_type',
            type: 'radio_buttons',
            selected_option: { value: type, text: { type: 'plain_text', text: type } },
          },
        ],
      });
      const [update] = (await t.slack.waitFor('views.update', { count })).slice(-1);
      expect(update?.args.view_id).toBe(view.id);
      return update?.args.view as Json;
    };
    const endorsement = await choose('ENDORSEMENT', 1);
    expect(blockIds(endorsement)).not.toContain('flag_reason');
    expect(textOf(endorsement)).toContain('Endorsements carry no reason');
    const deprecation = await choose('DEPRECATION', 2);
    const reason = blocksOf(deprecation).find((b) => b.block_id === 'flag_reason');
    expect(reason?.optional).toBe(false);
    expect(textOf(reason)).toContain('Required for a Deprecation');
    expect(textOf(deprecation)).toContain('Daily revenue');
    expect(posts()).toEqual([]);
  });

  it('deprecates as the user and announces it in the channel with a link and buttons', async () => {
    const { view, responseUrl } = await openAdd(`query ${revenue}`);
    const ack = await submitAdd(view, {
      otype: 'query',
      id: String(revenue),
      type: 'DEPRECATION',
      reason: ' Use <v2> & friends ',
    });
    expect(ack.raw).toBe('');
    const [request] = posts();
    expect(request?.userId).toBe(7);
    expect(request?.body).toEqual({
      flag_type: 'DEPRECATION',
      flag_reason: 'Use <v2> & friends',
      subject: { otype: 'query', id: revenue },
    });
    const post = await nextResponse(t, responseUrl);
    expect(post.response_type).toBe('in_channel');
    const url = `${t.alation.url}/query/${revenue}/`;
    expect(textOf(post)).toContain(
      `⚑ <@${SLACK_DEFAULTS.userId}> deprecated <${url}|Daily revenue> (query ${revenue}): Use &lt;v2&gt; &amp; friends`,
    );
    const flagId = [...t.alation.state.flags.keys()][0];
    const buttons = buttonsOf(post);
    expect(buttons.map((b) => b.action_id)).toEqual([
      'flag_open_subject',
      'flag_edit_reason',
      'flag_remove',
    ]);
    expect(buttons[0]?.url).toBe(url);
    expect(JSON.parse(String(buttons[1]?.value))).toEqual({
      f: flagId,
      t: 'DEPRECATION',
      o: 'query',
      i: revenue,
    });
    expect(buttons[2]?.confirm).toMatchObject({
      title: { text: 'Remove this flag?' },
      confirm: { text: 'Remove' },
      deny: { text: 'Keep it' },
      style: 'danger',
    });
  });

  it('puts a warning on a table typed into the empty form', async () => {
    const { view, responseUrl } = await openAdd();
    expect(
      blocksOf(view).every((b) => (b.element as Json | undefined)?.initial_value === undefined),
    ).toBe(true);
    const ack = await submitAdd(view, {
      otype: ' Table ',
      id: String(orders),
      type: 'WARNING',
      reason: 'Might have old data',
    });
    expect(ack.raw).toBe('');
    expect(posts()[0]?.body).toEqual({
      flag_type: 'WARNING',
      flag_reason: 'Might have old data',
      subject: { otype: 'table', id: orders },
    });
    const text = textOf(await nextResponse(t, responseUrl));
    expect(text).toContain(
      `put a warning on <${t.alation.url}/table/${orders}/|table ${orders}>: Might have old data`,
    );
  });

  it('endorses a data source without a reason, and offers no Edit reason', async () => {
    const { view, responseUrl } = await openAdd(`data ${warehouse}`);
    const ack = await submitAdd(view, {
      otype: 'data',
      id: String(warehouse),
      type: 'ENDORSEMENT',
    });
    expect(ack.raw).toBe('');
    expect(posts()[0]?.body).toEqual({
      flag_type: 'ENDORSEMENT',
      subject: { otype: 'data', id: warehouse },
    });
    const post = await nextResponse(t, responseUrl);
    expect(textOf(post)).toContain(
      `endorsed <${t.alation.url}/data/${warehouse}/|data source ${warehouse}>.`,
    );
    expect(buttonsOf(post).map((b) => b.action_id)).toEqual(['flag_open_subject', 'flag_remove']);
  });

  it.each([
    [
      'a Warning without a reason',
      { otype: 'table', type: 'WARNING', reason: '   ' },
      'flag_reason',
      'A Warning needs a reason',
    ],
    [
      'a Deprecation without a reason',
      { otype: 'table', type: 'DEPRECATION' },
      'flag_reason',
      'A Deprecation needs a reason',
    ],
    [
      'an Endorsement with a reason',
      { otype: 'table', type: 'ENDORSEMENT', reason: 'great' },
      'flag_type',
      'Endorsements carry no reason',
    ],
    ['no type', { otype: 'table' }, 'flag_type', 'Choose Endorsement, Warning or Deprecation'],
    ['no object type', { otype: ' ', type: 'ENDORSEMENT' }, 'flag_otype', 'Which kind of object?'],
  ] as const)(
    'refuses %s next to the field, without asking Alation',
    async (_, input, block, message) => {
      const { view } = await openAdd(`table ${orders}`);
      const ack = await submitAdd(view, { id: String(orders), ...input });
      expect(ack.status).toBe(200);
      expect(String(errorsOf(ack)[block])).toContain(message);
      expect(posts()).toEqual([]);
    },
  );

  it('refuses a missing or malformed object id before asking Alation', async () => {
    const { view } = await openAdd();
    const missing = await submitAdd(view, { otype: 'table', id: '', type: 'ENDORSEMENT' });
    expect(String(errorsOf(missing).flag_subject_id)).toContain('Which object?');
    const bad = await submitAdd(view, { otype: 'table', id: '12a', type: 'ENDORSEMENT' });
    expect(String(errorsOf(bad).flag_subject_id)).toContain('“12a” is not an id');
    expect(posts()).toEqual([]);
  });

  it('shows Alation’s Invalid otype next to the object type', async () => {
    const { view } = await openAdd('tabel 12');
    const ack = await submitAdd(view, { otype: 'tabel', id: '12', type: 'ENDORSEMENT' });
    expect(String(errorsOf(ack).flag_otype)).toContain(
      'Alation does not know the object type “tabel” (Invalid otype)',
    );
    const [request] = posts();
    expect(request?.userId).toBe(7);
    expect(request?.body).toEqual({
      flag_type: 'ENDORSEMENT',
      subject: { otype: 'tabel', id: 12 },
    });
    expect(t.alation.state.flags.size).toBe(0);
  });

  it('says next to the id when the object does not exist', async () => {
    const { view } = await openAdd('table 4242');
    const ack = await submitAdd(view, {
      otype: 'table',
      id: '4242',
      type: 'WARNING',
      reason: 'stale',
    });
    expect(String(errorsOf(ack).flag_subject_id)).toContain('Alation found no table with id 4242');
    expect(posts()).toHaveLength(1);
    expect(t.alation.state.flags.size).toBe(0);
  });

  it.each([
    ['flag', 'What should I do with trust flags?'],
    ['flag frob', '`frob` is not something `/alation flag` does'],
    ['flag add table abc', '`abc` is not an object id'],
    ['flag add table', 'Give the object’s type and id'],
    ['flag list 12 table', '`12` is not an object type'],
    ['flag edit', 'Which flag?'],
    ['flag remove nine', '`nine` is not a flag id'],
  ])('explains %j right in the ack', async (text, message) => {
    const { ack } = await command(text);
    expect(ack.body).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(ack.body)).toContain(message);
    expect(t.alation.requests).toEqual([]);
    expect(t.slack.callsTo('views.open')).toEqual([]);
  });

  it('accepts a pasted catalog link as the subject', async () => {
    const { view } = await openAdd(`${t.alation.url}/table/${orders}/`);
    const initial = (id: string) =>
      (blocksOf(view).find((b) => b.block_id === id)?.element as Json | undefined)?.initial_value;
    expect([initial('flag_otype'), initial('flag_subject_id')]).toEqual(['table', String(orders)]);
  });
});

describe('/alation flag list', () => {
  it('pages the flags on an object ten at a time with More, as the user', async () => {
    const start = Date.now() - 30 * HOUR;
    const ids: number[] = [];
    for (let i = 0; i < 23; i++) {
      ids.push(
        t.alation.addFlag({
          flagType: i === 0 ? 'ENDORSEMENT' : 'WARNING',
          reason: i === 0 ? '' : `Reason ${i}`,
          subject: { otype: 'table', id: orders },
          userId: 7,
          tsCreated: new Date(start + i * HOUR),
        }).id,
      );
    }
    t.alation.addFlag({
      flagType: 'DEPRECATION',
      reason: 'other',
      subject: { otype: 'data', id: warehouse },
      userId: 7,
    });
    const idsIn = (m: Json) =>
      buttonsOf(m)
        .filter((b) => b.action_id === 'flag_remove')
        .map((b) => JSON.parse(String(b.value)).f as number);

    const { reply } = await command(`flag list table ${orders}`);
    const first = await reply();
    expect(first.response_type).toBe('ephemeral');
    expect(idsIn(first)).toEqual(ids.slice(0, 10));
    const text = textOf(first);
    expect(text).toContain(
      `Trust flags on <${t.alation.url}/table/${orders}/|table ${orders}>* (1–10, more below)`,
    );
    expect(text).toContain(`:white_check_mark: *Endorsement*  ·  flag ${ids[0]}`);
    expect(text).toContain('>Reason 1\nby User 7, 1 day ago (');
    expect(text).toMatch(/UTC\+0[12]:00\)/);
    // Endorsements have no reason to edit; the others do.
    const editable = buttonsOf(first).filter((b) => b.action_id === 'flag_edit_reason');
    expect(editable.map((b) => JSON.parse(String(b.value)).f)).toEqual(ids.slice(1, 10));

    const more1 = buttonsOf(first).find((b) => b.action_id === 'flag_list_more');
    expect(JSON.parse(String(more1?.value))).toEqual({ o: 'table', i: orders, s: 10 });
    const page2 = await (await click('flag_list_more', String(more1?.value))).reply();
    expect(idsIn(page2)).toEqual(ids.slice(10, 20));
    expect(textOf(page2)).toContain('(11–20, more below)');
    const more2 = buttonsOf(page2).find((b) => b.action_id === 'flag_list_more');
    const page3 = await (await click('flag_list_more', String(more2?.value))).reply();
    expect(idsIn(page3)).toEqual(ids.slice(20));
    expect(textOf(page3)).toContain('(21–23)');
    expect(buttonsOf(page3).some((b) => b.action_id === 'flag_list_more')).toBe(false);

    const lists = t.alation.requestsTo('GET', '/integration/flag/');
    expect(lists.map((r) => Object.fromEntries(r.query))).toEqual([
      { oid: String(orders), otype: 'table', limit: '10', skip: '0' },
      { oid: String(orders), otype: 'table', limit: '10', skip: '10' },
      { oid: String(orders), otype: 'table', limit: '10', skip: '20' },
    ]);
    for (const r of lists) expect(r.userId).toBe(7);
  });

  it('lists the most recent flags of all, newest first, with their objects', async () => {
    const now = Date.now();
    const old = t.alation.addFlag({
      flagType: 'DEPRECATION',
      reason: 'old',
      subject: { otype: 'table', id: orders },
      userId: 7,
      tsCreated: new Date(now - 48 * HOUR),
    });
    const recent = t.alation.addFlag({
      flagType: 'WARNING',
      reason: 'recent',
      subject: { otype: 'query', id: revenue },
      userId: 7,
      tsCreated: new Date(now - HOUR),
    });
    const middle = t.alation.addFlag({
      flagType: 'ENDORSEMENT',
      subject: { otype: 'data', id: warehouse },
      userId: 7,
      tsCreated: new Date(now - 5 * HOUR),
    });
    const { reply } = await command('flag list');
    const message = await reply();
    const text = textOf(message);
    expect(text).toContain('Most recent trust flags*, newest first (1–3)');
    const order = [recent.id, middle.id, old.id].map((id) => text.indexOf(`flag ${id}\n`));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(text).toContain(
      `:warning: *Warning* on <${t.alation.url}/query/${revenue}/|query ${revenue}>`,
    );
    expect(text).toContain(`on <${t.alation.url}/data/${warehouse}/|data source ${warehouse}>`);
    const [request] = t.alation.requestsTo('GET', '/integration/flag/');
    expect(Object.fromEntries(request?.query ?? [])).toEqual({ limit: '1000' });
    expect(request?.userId).toBe(7);
  });

  it('says when an object has no flags', async () => {
    const { reply } = await command(`flag list table ${orders}`);
    expect(textOf(await reply())).toContain(`\`/alation flag add table ${orders}\` adds one`);
  });
});

describe('editing a reason', () => {
  function seedWarning(userId = 7) {
    return t.alation.addFlag({
      flagType: 'WARNING',
      reason: 'Might have old data',
      subject: { otype: 'table', id: orders },
      userId,
    });
  }

  it('opens a prefilled form from Edit reason and saves the new reason as the user', async () => {
    const flag = seedWarning();
    const before = t.slack.callsTo('views.open').length;
    const { responseUrl } = await click('flag_edit_reason', JSON.stringify({ f: flag.id }));
    const view = await nextOpenedView(before);
    expect(view.callback_id).toBe('flag_edit');
    const input = blocksOf(view).find((b) => b.block_id === 'flag_reason');
    expect((input?.element as Json | undefined)?.initial_value).toBe('Might have old data');
    expect(textOf(view)).toContain(`*Warning* on table ${orders} (flag ${flag.id}), by User 7`);
    expect(t.alation.requestsTo('GET', `/integration/flag/${flag.id}/`)[0]?.userId).toBe(7);

    const blank = await viewSubmission(t.target, {
      view: { ...view, state: { values: { flag_reason: { value: '  ' } } } },
    });
    expect(String(errorsOf(blank).flag_reason)).toContain('Give a reason');
    expect(t.alation.requestsTo('PUT', /\/integration\/flag\//)).toEqual([]);

    const ack = await viewSubmission(t.target, {
      view: { ...view, state: { values: { flag_reason: { value: 'Loaded weekly now' } } } },
    });
    expect(ack.raw).toBe('');
    const [put] = t.alation.requestsTo('PUT', `/integration/flag/${flag.id}/`);
    expect(put?.userId).toBe(7);
    expect(put?.body).toEqual({ flag_reason: 'Loaded weekly now' });
    expect(t.alation.state.flags.get(flag.id)?.reason).toBe('Loaded weekly now');
    const note = await nextResponse(t, responseUrl);
    expect(note.response_type).toBe('ephemeral');
    expect(note.replace_original).toBe(false);
    expect(textOf(note)).toContain('Updated the reason of the warning on');
    expect(textOf(note)).toContain('>Loaded weekly now');
  });

  it('opens the same form from /alation flag edit', async () => {
    const flag = seedWarning();
    const before = t.slack.callsTo('views.open').length;
    await command(`flag edit ${flag.id}`);
    const view = await nextOpenedView(before);
    expect(view.callback_id).toBe('flag_edit');
    expect(JSON.parse(String(view.private_metadata))).toMatchObject({
      flagId: flag.id,
      channelId: SLACK_DEFAULTS.channelId,
    });
  });

  it('refuses an endorsement with Alation’s rule, without opening a form', async () => {
    const flag = t.alation.addFlag({
      flagType: 'ENDORSEMENT',
      subject: { otype: 'table', id: orders },
      userId: 7,
    });
    const { reply } = await command(`flag edit ${flag.id}`);
    const text = textOf(await reply());
    expect(text).toContain(`Flag ${flag.id} is an endorsement, so it has no reason to edit.`);
    expect(text).toContain('cannot update one');
    expect(t.slack.callsTo('views.open')).toEqual([]);
    expect(t.alation.requestsTo('PUT', /flag/)).toEqual([]);
  });

  it('explains the permission rule when Alation refuses the change (403)', async () => {
    t.alation.addUser({ id: 9, name: 'Carol' });
    const flag = seedWarning(9);
    const before = t.slack.callsTo('views.open').length;
    await click('flag_edit_reason', String(flag.id));
    const view = await nextOpenedView(before);
    const ack = await viewSubmission(t.target, {
      view: { ...view, state: { values: { flag_reason: { value: 'mine now' } } } },
    });
    const error = String(errorsOf(ack).flag_reason);
    expect(error).toContain(`Alation did not let you change the reason of flag ${flag.id}`);
    expect(error).toContain('only by its author, a Server Admin, or an Owner of the data source');
    expect(t.alation.requestsTo('PUT', `/integration/flag/${flag.id}/`)[0]?.userId).toBe(7);
    expect(t.alation.state.flags.get(flag.id)?.reason).toBe('Might have old data');
  });

  it('says plainly when the flag to edit is gone', async () => {
    const { reply } = await command('flag edit 999');
    expect(textOf(await reply())).toContain('Flag 999 is already gone from Alation.');
    expect(t.slack.callsTo('views.open')).toEqual([]);
  });
});

describe('removing a flag', () => {
  function seedDeprecation(userId = 7) {
    return t.alation.addFlag({
      flagType: 'DEPRECATION',
      reason: 'Use orders_v2',
      subject: { otype: 'table', id: orders },
      userId,
    });
  }
  const deletes = (id: number) => t.alation.requestsTo('DELETE', `/integration/flag/${id}/`);

  it('asks for confirmation first, then removes as the user', async () => {
    const flag = seedDeprecation();
    const { reply } = await command(`flag remove ${flag.id}`);
    const confirm = await reply();
    expect(confirm.response_type).toBe('ephemeral');
    expect(textOf(confirm)).toContain('*Remove this flag?*');
    expect(textOf(confirm)).toContain('>Use orders_v2');
    expect(deletes(flag.id)).toEqual([]);
    const [remove, keep] = buttonsOf(confirm);
    expect(remove?.action_id).toBe('flag_remove_confirmed');
    expect(keep?.action_id).toBe('flag_remove_cancel');

    const done = await (await click('flag_remove_confirmed', String(remove?.value))).reply();
    expect(done.replace_original).toBe(true);
    expect(textOf(done)).toContain(
      `<@${SLACK_DEFAULTS.userId}> removed the deprecation on table ${orders} (flag ${flag.id}) in Alation.`,
    );
    expect(deletes(flag.id)[0]?.userId).toBe(7);
    expect(t.alation.state.flags.has(flag.id)).toBe(false);
  });

  it('keeps the flag when the confirmation is declined', async () => {
    const flag = seedDeprecation();
    const confirm = await (await command(`flag remove ${flag.id}`)).reply();
    const keep = buttonsOf(confirm)[1];
    const done = await (await click('flag_remove_cancel', String(keep?.value))).reply();
    expect(done.replace_original).toBe(true);
    expect(textOf(done)).toContain(`Kept flag ${flag.id}; nothing was removed.`);
    expect(t.alation.requestsTo('DELETE', /flag/)).toEqual([]);
  });

  it('explains who may remove a flag when Alation refuses (403)', async () => {
    t.alation.addUser({ id: 9, name: 'Carol' });
    const flag = seedDeprecation(9);
    const value = JSON.stringify({ f: flag.id, t: 'DEPRECATION', o: 'table', i: orders });
    const reply = await (await click('flag_remove', value)).reply();
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.replace_original).toBe(false);
    const text = textOf(reply);
    expect(text).toContain(
      `Alation did not let you remove the deprecation on table ${orders} (flag ${flag.id}).`,
    );
    expect(text).toContain('only by its author, a Server Admin, or an Owner of the data source');
    expect(deletes(flag.id)[0]?.userId).toBe(7);
    expect(t.alation.state.flags.has(flag.id)).toBe(true);
  });

  it('says plainly when the flag is already gone (404), from a button and the command', async () => {
    const fromButton = await (await click('flag_remove', '999')).reply();
    expect(textOf(fromButton)).toContain(
      'Flag 999 is already gone from Alation. Someone removed it already',
    );
    expect(deletes(999)[0]?.userId).toBe(7);
    const fromCommand = await (await command('flag remove 999')).reply();
    expect(textOf(fromCommand)).toContain('Flag 999 is already gone from Alation.');
    expect(textOf(fromCommand)).not.toMatch(/error|stack/i);
  });

  it('offers Connect to a presser who has not connected, and asks Alation nothing', async () => {
    const flag = seedDeprecation();
    const nobody = { id: 'U0NOBODY01', name: 'nobody' };
    for (const actionId of ['flag_remove', 'flag_edit_reason', 'flag_remove_confirmed']) {
      const reply = await (await click(actionId, String(flag.id), { user: nobody })).reply();
      expect(textOf(reply)).toContain('Connect your Alation account first');
      expect(buttonsOf(reply)[0]).toMatchObject({ action_id: 'alation_connect' });
    }
    const list = await (await command('flag list', { user_id: nobody.id })).reply();
    expect(buttonsOf(list)[0]).toMatchObject({ action_id: 'alation_connect' });
    const add = await (await command('flag add table 1', { user_id: nobody.id })).reply();
    expect(buttonsOf(add)[0]).toMatchObject({ action_id: 'alation_connect' });
    expect(t.alation.requests).toEqual([]);
    expect(t.slack.callsTo('views.open')).toEqual([]);
    expect(t.alation.state.flags.has(flag.id)).toBe(true);
  });
});

describe('each person acts with their own credentials', () => {
  it('creates the flag with A’s token and removes it with B’s (a data-source owner)', async () => {
    t.slack.addUser({ id: BOB.id, name: BOB.name, tz: 'America/New_York' });
    await t.connectAlation({ tenantId: DEFAULT_OWNER.tenantId, userId: BOB.id }, 8);

    const { view, responseUrl } = await openAdd(`table ${orders}`);
    expect(
      (
        await submitAdd(view, {
          otype: 'table',
          id: String(orders),
          type: 'DEPRECATION',
          reason: 'Use orders_v2',
        })
      ).raw,
    ).toBe('');
    const announcement = await nextResponse(t, responseUrl);
    const [created] = posts();
    expect(created?.userId).toBe(7);
    const flag = [...t.alation.state.flags.values()][0];
    expect(flag?.userId).toBe(7);

    const remove = buttonsOf(announcement).find((b) => b.action_id === 'flag_remove');
    const { reply } = await click('flag_remove', String(remove?.value), {
      user: BOB,
      inChannel: true,
    });
    const replaced = await reply();
    const [deleted] = t.alation.requestsTo('DELETE', `/integration/flag/${flag?.id}/`);
    expect(deleted?.userId).toBe(8);
    expect(deleted?.headers.token).toBeTruthy();
    expect(deleted?.headers.token).not.toBe(created?.headers.token);
    expect(t.alation.state.flags.size).toBe(0);
    // The channel's announcement is no longer true, so it is replaced for everyone.
    expect(replaced).toMatchObject({ replace_original: true, response_type: 'in_channel' });
    expect(textOf(replaced)).toContain(`<@${BOB.id}> removed the deprecation on table ${orders}`);
  });
});

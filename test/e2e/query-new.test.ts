import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockAction, slashCommand, viewSubmission } from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

let t: TestBot;
let warehouse: number;
beforeEach(async () => {
  t = await startTestBot();
  warehouse = t.alation.addDataSource({ title: 'Warehouse' }).id;
  await t.connectAlation(DEFAULT_OWNER, 7);
});
afterEach(() => t.stop());

type Json = Record<string, unknown>;

interface FormInput {
  datasource?: string;
  title?: string;
  sql?: string;
  description?: string;
  tags?: string;
  domains?: string;
  options?: string[];
}

/** `/alation query new …` → the modal Slack was asked to open, and where replies go. */
async function openForm(args = '') {
  const opened = t.slack.callsTo('views.open').length;
  const responseUrl = t.slack.responseUrl();
  const ack = await slashCommand(t.target, {
    text: `query new ${args}`.trim(),
    response_url: responseUrl,
  });
  expect(ack.status).toBe(200);
  const [call] = (await t.slack.waitFor('views.open', { count: opened + 1 })).slice(-1);
  const view = (call?.response as { view?: Json & { id: string } } | undefined)?.view;
  if (!view) throw new Error('views.open returned no view');
  return { view, responseUrl };
}

function submit(view: Json & { id: string }, input: FormInput) {
  const text = (value: string | undefined) => ({ type: 'plain_text_input', value: value ?? null });
  return viewSubmission(t.target, {
    view: {
      ...view,
      state: {
        values: {
          query_datasource: { value: text(input.datasource) },
          query_title: { value: text(input.title) },
          query_sql: { value: text(input.sql) },
          query_description: { value: text(input.description) },
          query_tags: { value: text(input.tags) },
          query_domains: { value: text(input.domains) },
          query_options: {
            value: {
              type: 'checkboxes',
              selected_options: (input.options ?? ['saved']).map((value) => ({
                value,
                text: { type: 'plain_text', text: value },
              })),
            },
          },
        },
      } as never,
    },
  });
}

const creates = () => t.alation.requestsTo('POST', '/integration/v1/query/');

function initialValue(view: Json, blockId: string): unknown {
  const block = (view.blocks as Json[]).find((b) => b.block_id === blockId);
  return (block?.element as Json | undefined)?.initial_value;
}

describe('/alation query new', () => {
  it('offers every Create Query field, saved on and published off', async () => {
    const { view } = await openForm();
    const ids = (view.blocks as Json[]).map((b) => b.block_id);
    expect(ids).toEqual([
      'query_datasource',
      'query_title',
      'query_sql',
      'query_description',
      'query_tags',
      'query_domains',
      'query_options',
    ]);
    const options = (view.blocks as Json[]).at(-1)?.element as Json;
    expect((options.initial_options as Json[]).map((o) => o.value)).toEqual(['saved']);
    expect(initialValue(view, 'query_datasource')).toBeUndefined();
    expect(JSON.parse(String(view.private_metadata))).toMatchObject({
      channelId: SLACK_DEFAULTS.channelId,
    });
  });

  it('creates the query as the user and announces it in the channel with links', async () => {
    const domain = t.alation.addDomain({ title: 'Finance' });
    const { view, responseUrl } = await openForm();
    const ack = await submit(view, {
      datasource: String(warehouse),
      title: 'Revenue by region',
      sql: 'SELECT region, sum(amount)\nFROM sales\nGROUP BY 1',
      description: 'Quarterly numbers',
      tags: 'finance, weekly, finance',
      domains: ` ${domain.id} `,
      options: ['saved', 'published'],
    });
    expect(ack.raw).toBe('');

    const [request] = creates();
    expect(request?.userId).toBe(7);
    expect(request?.headers.token).toBeTruthy();
    expect(request?.body).toEqual({
      datasource_id: warehouse,
      content: 'SELECT region, sum(amount)\nFROM sales\nGROUP BY 1',
      saved: true,
      published: true,
      title: 'Revenue by region',
      description: 'Quarterly numbers',
      tag_names: ['finance', 'weekly'],
      domain_ids: [domain.id],
    });
    const created = [...t.alation.state.queries.values()].at(-1);
    expect(created?.authorId).toBe(7);

    const post = await nextResponse(t, responseUrl);
    expect(post.response_type).toBe('in_channel');
    const text = textOf(post);
    expect(text).toContain('Revenue by region');
    expect(text).toContain(`Warehouse (id ${warehouse})`);
    expect(text).toContain('SELECT region, sum(amount)');
    const buttons = (post.blocks as Json[])
      .filter((b) => b.type === 'actions')
      .flatMap((b) => (b.elements as Json[]) ?? []);
    // Published: everyone asked can see it, and the announcement says whose access read it.
    expect(text).toContain('Everyone here who has connected Alation can see this query');
    expect(text).toContain('as seen by alice in Alation');
    expect(buttons).toEqual([
      expect.objectContaining({
        action_id: 'query_open_compose',
        url: `${t.alation.url}/compose/query/${created?.id}/`,
      }),
      expect.objectContaining({
        action_id: 'query_open_catalog',
        url: `${t.alation.url}/query/${created?.id}/`,
      }),
    ]);
    // The link buttons still send an action; it is acknowledged without a reply.
    const click = await blockAction(t.target, {
      actions: [{ action_id: 'query_open_compose', value: '' }],
    });
    expect(click.status).toBe(200);
  });

  it('remembers the data source for the next form, and an argument overrides it', async () => {
    const other = t.alation.addDataSource({ title: 'Lake' }).id;
    const first = await openForm();
    await submit(first.view, { datasource: String(other), sql: 'SELECT 1' });
    await nextResponse(t, first.responseUrl);

    const second = await openForm();
    expect(initialValue(second.view, 'query_datasource')).toBe(String(other));
    const third = await openForm(String(warehouse));
    expect(initialValue(third.view, 'query_datasource')).toBe(String(warehouse));
    const [row] = await t.db.query<{ value: unknown }>(
      `SELECT value FROM user_prefs WHERE user_id = $1 AND key = 'query.last_datasource_id'`,
      [DEFAULT_OWNER.userId],
    );
    expect(row?.value).toBe(other);
  });

  it.each([
    [{ datasource: '', sql: 'SELECT 1' }, { query_datasource: /Enter the data source/ }],
    [
      { datasource: 'seven', sql: 'SELECT 1' },
      { query_datasource: /“seven” is not a data source id/ },
    ],
    [{ datasource: '7', sql: '   \n ' }, { query_sql: /Enter the SQL/ }],
    [
      { datasource: '7', sql: 'SELECT 1', domains: '3, x2' },
      { query_domains: /“x2” is not a domain id/ },
    ],
  ])('explains bad input %j next to the field, without calling Alation', async (input, errors) => {
    const { view } = await openForm();
    const ack = await submit(view, input);
    expect(ack.body).toMatchObject({ response_action: 'errors' });
    const got = (ack.body as { errors: Record<string, string> }).errors;
    expect(Object.keys(got)).toEqual(Object.keys(errors));
    for (const [block, pattern] of Object.entries(errors)) expect(got[block]).toMatch(pattern);
    expect(creates()).toEqual([]);
  });

  it("puts Alation's own field errors next to the right inputs", async () => {
    const { view } = await openForm();
    const ack = await submit(view, { datasource: '999', sql: 'SELECT 1', domains: '424242' });
    expect(creates()).toHaveLength(1);
    expect(ack.body).toEqual({
      response_action: 'errors',
      errors: {
        query_datasource: 'Alation: Invalid pk "999" - object does not exist.',
        query_domains: 'Alation: Invalid pk "424242" - object does not exist.',
      },
    });
  });

  it('says nothing was created when Alation fails otherwise', async () => {
    t.alation.fault({ method: 'POST', path: '/integration/v1/query/', html: true, status: 503 });
    const { view } = await openForm();
    const ack = await submit(view, { datasource: String(warehouse), sql: 'SELECT 1' });
    const errors = (ack.body as { errors: Record<string, string> }).errors;
    expect(errors.query_sql).toMatch(/HTML page \(status 503\).*Nothing was created\./);
    expect(errors.query_sql).not.toMatch(/<html/i);
    expect(t.alation.state.queries.size).toBe(0);
  });

  it('shows progress when Alation is slow, then the outcome', async () => {
    // Each call stays inside the client's timeout; together they outlast Slack's window.
    t.alation.fault({ path: '/integration/v1/createAPIAccessToken/', latencyMs: 1_100 });
    t.alation.fault({ method: 'POST', path: '/integration/v1/query/', latencyMs: 1_100 });
    const { view, responseUrl } = await openForm();
    const ack = await submit(view, {
      datasource: String(warehouse),
      sql: 'SELECT 2',
      title: 'Slow',
    });
    expect(ack.body).toMatchObject({ response_action: 'update' });
    expect(textOf((ack.body as Json).view)).toContain('Creating the query');
    const [update] = await t.slack.waitFor('views.update');
    expect(update?.args.view_id).toBe(view.id);
    expect(textOf(update?.args.view)).toContain('Created *Slow*');
    expect(textOf(await nextResponse(t, responseUrl))).toContain('Slow');
  });

  it('asks a user who has not connected to connect first, before any form', async () => {
    const responseUrl = t.slack.responseUrl();
    await slashCommand(t.target, {
      text: 'query new',
      response_url: responseUrl,
      user_id: 'U0NOBODY01',
    });
    const reply = await nextResponse(t, responseUrl);
    expect(textOf(reply)).toContain('Connect your Alation account first');
    expect(t.slack.callsTo('views.open')).toEqual([]);
  });

  it('rejects a data source argument that is not a number', async () => {
    const ack = await slashCommand(t.target, { text: 'query new warehouse' });
    expect(textOf(ack.body)).toContain('`warehouse` is not a data source id');
    expect(t.slack.callsTo('views.open')).toEqual([]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageAction, viewSubmission } from '../driver.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { openedView, textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

type Json = Record<string, unknown>;
let t: TestBot;
let warehouse: number;

beforeEach(async () => {
  t = await startTestBot();
  warehouse = t.alation.addDataSource({ title: 'Warehouse' }).id;
});
afterEach(() => t.stop());

async function shortcut(text: string) {
  const responseUrl = t.slack.responseUrl();
  const ack = await messageAction(t.target, {
    callback_id: 'open_sql_in_compose',
    message: { ts: '1700000000.000100', text },
    response_url: responseUrl,
  });
  expect(ack.status).toBe(200);
  return responseUrl;
}

const submit = (view: Json & { id: string }, datasource: string) =>
  viewSubmission(t.target, {
    view: {
      ...view,
      state: {
        values: { open_sql_datasource: { value: { type: 'number_input', value: datasource } } },
      },
    },
  });

const linkOf = (view: unknown): string | undefined => {
  const found = JSON.stringify(view).match(/"url":"([^"]+)"/);
  return found?.[1];
};

describe('Open SQL in Alation Compose', () => {
  it('gives a link to the import endpoint with the SQL from a code block, URL-encoded', async () => {
    await t.features.prefs.set(DEFAULT_OWNER, 'query.last_datasource_id', warehouse);
    await shortcut(
      'Try this:\n```SELECT region, sum(amount)\nFROM sales WHERE a &lt; 3 &amp;&amp; b\nGROUP BY 1```',
    );
    const view = await openedView(t, 'open_sql_in_compose_form');
    expect(textOf(view)).toContain('SELECT region, sum(amount)');
    const input = (view.blocks as Json[]).find((b) => b.block_id === 'open_sql_datasource');
    expect((input?.element as Json | undefined)?.initial_value).toBe(String(warehouse));
    const ack = await submit(view, String(warehouse));
    const body = ack.body as Json;
    expect(body.response_action).toBe('update');
    const sql = 'SELECT region, sum(amount)\nFROM sales WHERE a < 3 && b\nGROUP BY 1';
    expect(linkOf(body.view)).toBe(
      `${t.alation.url}/integration/v1/query/import/?return_to=compose&datasource_id=${warehouse}&content=${encodeURIComponent(sql)}`,
    );
    expect(
      t.alation.requests.filter((r) => r.method === 'POST' && r.path === '/integration/v1/query/'),
    ).toHaveLength(0);
  });

  it('puts very long SQL into a draft query created as the person and links its Compose page', async () => {
    await t.connectAlation(DEFAULT_OWNER, 7);
    const sql = `SELECT ${Array.from({ length: 400 }, (_, i) => `col_${i}`).join(', ')} FROM wide_table`;
    await shortcut(sql);
    const view = await openedView(t, 'open_sql_in_compose_form');
    const ack = await submit(view, String(warehouse));
    expect(textOf((ack.body as Json).view)).toContain('creating a draft query');
    const [update] = await t.slack.waitFor('views.update');
    const creates = t.alation.requests.filter(
      (r) => r.method === 'POST' && r.path === '/integration/v1/query/',
    );
    expect(creates).toHaveLength(1);
    expect(creates[0]?.userId).toBe(7);
    expect(creates[0]?.body).toEqual({ datasource_id: warehouse, content: sql, saved: false });
    expect(textOf(update?.args.view)).toContain('unsaved draft');
    expect(linkOf(update?.args.view)).toMatch(new RegExp(`^${t.alation.url}/compose/query/\\d+/$`));
  });

  it('asks a person who is not connected to connect before long SQL becomes a draft', async () => {
    const responseUrl = await shortcut(`SELECT ${'x, '.repeat(1500)}1`);
    const reply = await nextResponse(t, responseUrl);
    expect(textOf(reply)).toContain('Connect your Alation account first');
    expect(t.slack.callsTo('views.open')).toHaveLength(0);
  });

  it('says clearly when the message has no SQL', async () => {
    const responseUrl = await shortcut('Can someone look at the revenue dashboard?');
    const reply = await nextResponse(t, responseUrl);
    expect(reply.text).toContain('I found no SQL in that message');
    expect(t.slack.callsTo('views.open')).toHaveLength(0);
  });

  it('asks for a whole-number data source', async () => {
    await shortcut('select 1');
    const view = await openedView(t, 'open_sql_in_compose_form');
    const ack = await submit(view, '0');
    expect((ack.body as Json).response_action).toBe('errors');
  });
});

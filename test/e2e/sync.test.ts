import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockAction, slashCommand, viewSubmission } from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { openedView, textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

type Json = Record<string, unknown>;

const SYNC_PATH = '/api/v1/table/sync/';

let t: TestBot;
let warehouse: number;

beforeEach(async () => {
  t = await startTestBot();
  warehouse = t.alation.addDataSource({ title: 'Warehouse' }).id;
  await t.connectAlation(DEFAULT_OWNER, 7);
  makeAdmin(7, true);
});
afterEach(() => t.stop());

function makeAdmin(userId: number, isAdmin: boolean) {
  const user = t.alation.state.users.get(userId);
  if (!user) throw new Error(`no Alation user ${userId}`);
  user.isAdmin = isAdmin;
}

function seedArticles(datasourceId = warehouse) {
  return t.alation.addTable({
    datasourceId,
    schema: 'objects',
    name: 'articles',
    title: 'Articles',
    description:
      '<p>Contains one row for each <b>Article</b> ever created &amp; kept.</p><ul><li>See <a href="/article/3/">the guide</a></li><li><code>id</code> is the key</li></ul><script>alert(1)</script>',
    isView: true,
    inCatalog: false,
  });
}

/** `/alation sync <args>` → the acknowledgement and where the answer goes. */
async function sync(args: string, userId?: string) {
  const responseUrl = t.slack.responseUrl();
  const ack = await slashCommand(t.target, {
    text: `sync ${args}`.trim(),
    response_url: responseUrl,
    ...(userId ? { user_id: userId } : {}),
  });
  expect(ack.status).toBe(200);
  return { ack, responseUrl };
}

const syncCalls = () => t.alation.requestsTo('POST', SYNC_PATH);

const buttonsOf = (message: Json) =>
  ((message.blocks as Json[]) ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Json[]);

describe('/alation sync', () => {
  it('syncs the table as the user and posts its card in the channel', async () => {
    const table = seedArticles();
    const { ack, responseUrl } = await sync(`${warehouse} objects articles view`);
    expect(textOf(ack.body)).toContain(
      `Asking Alation to sync view objects.articles from data source ${warehouse}`,
    );

    const card = await nextResponse(t, responseUrl);
    expect(card.response_type).toBe('in_channel');
    const text = textOf(card);
    expect(text).toContain(`|Articles>* is synced from the database`);
    expect(text).toContain('*Schema*\nobjects');
    expect(text).toContain('*Name*\narticles');
    expect(text).toContain('*Type*\nView');
    expect(text).toContain('Contains one row for each *Article* ever created &amp; kept.');
    expect(text).toContain(`• See <${t.alation.url}/article/3/|the guide>`);
    expect(text).toContain('• `id` is the key');
    expect(text).not.toContain('alert');
    expect(text).toContain(`Synced by <@${SLACK_DEFAULTS.userId}>`);
    expect(buttonsOf(card)).toEqual([
      expect.objectContaining({
        action_id: 'sync_open_table',
        url: `${t.alation.url}/table/${table.id}/`,
      }),
    ]);

    const [request] = syncCalls();
    expect(syncCalls()).toHaveLength(1);
    expect(request?.path).toBe(SYNC_PATH);
    expect(request?.userId).toBe(7);
    expect(request?.headers.token).toBeTruthy();
    expect(request?.body).toEqual({
      datasource_id: warehouse,
      schema: 'objects',
      table: 'articles',
      table_type: 'VIEW',
    });
    expect(t.alation.state.tables.get(table.id)?.inCatalog).toBe(true);

    // The link button still sends an action; it is acknowledged without a reply.
    const click = await blockAction(t.target, {
      actions: [{ action_id: 'sync_open_table', value: '' }],
    });
    expect(click.status).toBe(200);
  });

  it('passes a multi-part schema through and takes quoted names with spaces', async () => {
    t.alation.addTable({
      datasourceId: warehouse,
      schema: 'main.dbo',
      name: 'order lines',
      description: '',
    });
    const { responseUrl } = await sync(`${warehouse} main.dbo “order lines”`);
    const card = await nextResponse(t, responseUrl);
    expect(textOf(card)).toContain('*Type*\nTable');
    expect(textOf(card)).toContain('No description in Alation yet');
    expect(syncCalls()[0]?.body).toEqual({
      datasource_id: warehouse,
      schema: 'main.dbo',
      table: 'order lines',
      table_type: 'TABLE',
    });

    t.alation.addTable({ datasourceId: warehouse, schema: 'my schema', name: 'T&C' });
    const quoted = await sync(`${warehouse} "my schema" T&amp;C table`);
    expect(textOf(await nextResponse(t, quoted.responseUrl))).toContain('*Name*\nT&amp;C');
    expect(syncCalls()[1]?.body).toMatchObject({ schema: 'my schema', table: 'T&C' });
  });

  it.each([
    ['7', /Missing the schema and the table name after the data source id/],
    ['7 objects', /Missing the table name/],
    ['warehouse objects articles', /“warehouse” is not a data source id/],
    ['7 objects articles tabel', /“tabel” is not a table type: add `view`/],
    ['7 "my schema articles', /A quote is not closed/],
    ['7 a b c d', /That is 5 words; a sync takes at most 4/],
    ['7 "" articles', /Give the schema/],
  ])('explains `sync %s` privately, with the usage, before calling Alation', async (args, why) => {
    const { ack } = await sync(args);
    const body = ack.body as Json;
    expect(body.response_type).toBe('ephemeral');
    expect(textOf(body)).toMatch(why);
    expect(textOf(body)).toContain('Usage: `/alation sync &lt;datasource_id&gt; &lt;schema&gt;');
    expect(syncCalls()).toEqual([]);
  });

  describe('each row of the error table has its own message', () => {
    async function failure(args: string): Promise<string> {
      const { responseUrl } = await sync(args);
      const reply = await nextResponse(t, responseUrl);
      expect(reply.response_type).toBe('ephemeral');
      return textOf(reply);
    }

    it('400 body is missing a required value', async () => {
      seedArticles();
      // Never sent by the bot (it checks first); Alation's own answer still reads clearly.
      t.alation.fault({
        method: 'POST',
        path: SYNC_PATH,
        status: 400,
        body: { schema: ['This field is required.'] },
      });
      const text = await failure(`${warehouse} objects articles`);
      expect(text).toContain(
        'Alation says the sync request is missing the schema (Alation: “This field is required.”). Give the data source id, the schema and the table: `/alation sync &lt;datasource_id&gt; &lt;schema&gt; &lt;table&gt; [view]`.',
      );
    });

    it('400 bad value for table_type', async () => {
      seedArticles();
      t.alation.fault({
        method: 'POST',
        path: SYNC_PATH,
        status: 400,
        body: { table_type: ['"view" is not a valid choice.'] },
      });
      const text = await failure(`${warehouse} objects articles view`);
      expect(text).toContain(
        'Alation did not accept the table type (Alation: “"view" is not a valid choice.”). It must be TABLE or VIEW',
      );
    });

    it('400 schema excluded from the catalog', async () => {
      t.alation.addSchema({ datasourceId: warehouse, name: 'secret', excluded: true });
      const text = await failure(`${warehouse} secret salaries`);
      expect(text).toContain(
        `Schema “secret” is excluded from the catalog of data source ${warehouse}, so Alation will not sync its tables. An Alation admin can include it again`,
      );
    });

    it('403 not authenticated, even with a fresh access token: Reconnect', async () => {
      seedArticles();
      t.alation.fault({
        method: 'POST',
        path: SYNC_PATH,
        status: 403,
        body: { detail: 'Authentication credentials were not provided.', code: '403000' },
        times: 2,
      });
      const { responseUrl } = await sync(`${warehouse} objects articles`);
      const reply = await nextResponse(t, responseUrl);
      expect(textOf(reply)).toContain(
        'Alation says you are not authenticated: it refused your credentials even with a freshly minted access token. Reconnect your Alation account',
      );
      expect(buttonsOf(reply)).toEqual([
        expect.objectContaining({ action_id: 'alation_connect', value: 'alation' }),
      ]);
      // One refresh, one retry, then the answer is taken at its word.
      expect(syncCalls()).toHaveLength(2);
    });

    it('403 not an admin', async () => {
      seedArticles();
      makeAdmin(7, false);
      const text = await failure(`${warehouse} objects articles view`);
      expect(text).toContain(
        `Only Alation admins can sync tables, and your Alation account is not an admin. Ask an Alation admin to run \`/alation sync ${warehouse} objects articles view\`.`,
      );
      expect(syncCalls()).toHaveLength(1);
    });

    it('403 the service account may not read the table', async () => {
      const locked = t.alation.addDataSource({ serviceAccountCanRead: false }).id;
      seedArticles(locked);
      const text = await failure(`${locked} objects articles`);
      expect(text).toContain(
        `The service account data source ${locked} connects with is not allowed to read the metadata of “objects.articles” (it may need the SELECT privilege on it).`,
      );
    });

    it('404 data source invalid', async () => {
      const text = await failure('999 objects articles');
      expect(text).toContain('Alation has no data source 999, or you cannot see it.');
    });

    it('404 schema invalid', async () => {
      seedArticles();
      const text = await failure(`${warehouse} nope articles`);
      expect(text).toContain(`Data source ${warehouse} has no schema “nope”.`);
      expect(text).toContain('e.g. main.dbo');
    });

    it('404 table not found in the data source', async () => {
      seedArticles();
      const text = await failure(`${warehouse} objects ghost`);
      expect(text).toContain(
        `Alation found no table “ghost” in schema “objects” of data source ${warehouse}; it looked in the database itself. Check the name and its case, and add \`view\` if it is a view.`,
      );
    });

    it('500 error connecting to the data source', async () => {
      const down = t.alation.addDataSource({ connectionError: 'timeout after 30 s' }).id;
      seedArticles(down);
      const text = await failure(`${down} objects articles`);
      expect(text).toContain(
        `Alation could not connect to data source ${down} to read “objects.articles”: Error connecting to the data source: timeout after 30 s. Nothing was synced.`,
      );
    });
  });

  it('asks a user who has not connected to connect first', async () => {
    const { responseUrl } = await sync(`${warehouse} objects articles`, 'U0NOBODY01');
    const reply = await nextResponse(t, responseUrl);
    expect(textOf(reply)).toContain('Connect your Alation account first');
    expect(buttonsOf(reply)).toEqual([expect.objectContaining({ action_id: 'alation_connect' })]);
    expect(syncCalls()).toEqual([]);

    const form = await sync('', 'U0NOBODY01');
    expect(textOf(await nextResponse(t, form.responseUrl))).toContain(
      'Connect your Alation account first',
    );
    expect(t.slack.callsTo('views.open')).toEqual([]);
  });
});

describe('/alation sync with no arguments: the form', () => {
  async function openForm() {
    const { responseUrl } = await sync('');
    const view = await openedView(t, 'sync_table');
    return { view, responseUrl };
  }

  function submit(
    view: Json & { id: string },
    input: { datasource?: string; schema?: string; table?: string; type?: string },
  ) {
    const text = (value: string | undefined) => ({
      type: 'plain_text_input',
      value: value ?? null,
    });
    return viewSubmission(t.target, {
      view: {
        ...view,
        state: {
          values: {
            sync_datasource: { value: text(input.datasource) },
            sync_schema: { value: text(input.schema) },
            sync_table_name: { value: text(input.table) },
            sync_table_type: {
              value: {
                type: 'radio_buttons',
                selected_option: {
                  value: input.type ?? 'TABLE',
                  text: { type: 'plain_text', text: input.type ?? 'TABLE' },
                },
              },
            },
          },
        } as never,
      },
    });
  }

  it('offers the same fields, Table by default, and posts the card on submit', async () => {
    const table = seedArticles();
    const { view, responseUrl } = await openForm();
    const blocks = view.blocks as Json[];
    expect(blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toEqual([
      'sync_datasource',
      'sync_schema',
      'sync_table_name',
      'sync_table_type',
    ]);
    const type = blocks.find((b) => b.block_id === 'sync_table_type')?.element as Json;
    expect((type.initial_option as Json).value).toBe('TABLE');
    expect(JSON.parse(String(view.private_metadata))).toMatchObject({
      channelId: SLACK_DEFAULTS.channelId,
    });

    const ack = await submit(view, {
      datasource: ` ${warehouse} `,
      schema: 'objects',
      table: 'articles',
      type: 'VIEW',
    });
    expect(ack.raw).toBe('');
    const [request] = syncCalls();
    expect(request?.userId).toBe(7);
    expect(request?.body).toEqual({
      datasource_id: warehouse,
      schema: 'objects',
      table: 'articles',
      table_type: 'VIEW',
    });
    const card = await nextResponse(t, responseUrl);
    expect(card.response_type).toBe('in_channel');
    expect(textOf(card)).toContain('|Articles>* is synced from the database');
    expect(buttonsOf(card)).toEqual([
      expect.objectContaining({ url: `${t.alation.url}/table/${table.id}/` }),
    ]);
  });

  it('explains bad input next to the field, without calling Alation', async () => {
    const { view } = await openForm();
    const ack = await submit(view, { datasource: 'seven', schema: ' ', table: '' });
    expect(ack.body).toEqual({
      response_action: 'errors',
      errors: {
        sync_datasource:
          '“seven” is not a data source id. Use the number in its Alation URL: /data/7/ → 7.',
        sync_schema:
          'Give the schema, e.g. public; sources with two levels (SQL Server) need both, e.g. main.dbo.',
        sync_table_name: 'Give the table name, as the database spells it.',
      },
    });
    expect(syncCalls()).toEqual([]);
  });

  it.each([
    [{ table: 'ghost' }, 'sync_table_name', /found no table “ghost”/],
    [{ schema: 'nope' }, 'sync_schema', /has no schema “nope”/],
    [{ admin: false }, 'sync_datasource', /Only Alation admins can sync tables/],
  ])("puts Alation's refusal %j next to the right field", async (change, block, message) => {
    seedArticles();
    if ('admin' in change) makeAdmin(7, false);
    const { view } = await openForm();
    const ack = await submit(view, {
      datasource: String(warehouse),
      schema: 'schema' in change ? change.schema : 'objects',
      table: 'table' in change ? change.table : 'articles',
    });
    const errors = (ack.body as { errors: Record<string, string> }).errors;
    expect(Object.keys(errors)).toEqual([block]);
    expect(errors[block]).toMatch(message);
  });

  it('shows progress when Alation is slow, then the outcome', async () => {
    seedArticles();
    // Each call stays inside the client's timeout; together they outlast Slack's window.
    t.alation.fault({ path: '/integration/v1/createAPIAccessToken/', latencyMs: 1_100 });
    t.alation.fault({ method: 'POST', path: SYNC_PATH, latencyMs: 1_100 });
    const { view, responseUrl } = await openForm();
    const ack = await submit(view, {
      datasource: String(warehouse),
      schema: 'objects',
      table: 'articles',
    });
    expect(ack.body).toMatchObject({ response_action: 'update' });
    expect(textOf((ack.body as Json).view)).toContain('Alation is syncing objects.articles');
    const [update] = await t.slack.waitFor('views.update');
    expect(update?.args.view_id).toBe(view.id);
    expect(textOf(update?.args.view)).toContain('Synced *Articles*');
    expect(textOf(await nextResponse(t, responseUrl))).toContain('Articles');
  });
});

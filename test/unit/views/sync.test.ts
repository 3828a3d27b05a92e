import { describe, expect, it } from 'vitest';
import type { SyncedTable } from '../../../src/client/alation.ts';
import { UpstreamTimeoutError } from '../../../src/client/errors.ts';
import { syncOutcomeErrors } from '../../../src/commands/sync.ts';
import {
  buildSyncedTableMessage,
  buildSyncFailureMessage,
  buildSyncUsageMessage,
  type SyncFailure,
  syncCommandText,
  syncFailureErrors,
  syncFailureText,
} from '../../../src/views/sync.ts';
import { textOf } from '../../support/flows.ts';
import { BASE, call, REQUEST } from './fixtures/sync.ts';

function table(overrides: Partial<SyncedTable> = {}): SyncedTable {
  return {
    id: 17194,
    url: '/table/17194/',
    name: 'articles',
    schema_name: 'objects',
    title: 'Articles',
    description: '<p>Contains one row for each Article ever created in Alation</p>\n',
    ds_id: 107,
    is_view: true,
    custom_fields: [],
    schema_id: 773,
    synonyms: null,
    db_comment: null,
    ...overrides,
  };
}

describe('failure messages', () => {
  const failures: SyncFailure[] = [
    { kind: 'missing_value', fields: ['schema', 'table'], said: null },
    { kind: 'bad_table_type', said: null },
    { kind: 'schema_excluded', said: null },
    { kind: 'not_authenticated' },
    { kind: 'not_admin', said: null },
    { kind: 'service_account', said: null },
    { kind: 'source_not_found', which: 'datasource', said: null },
    { kind: 'source_not_found', which: 'schema', said: null },
    { kind: 'source_not_found', which: 'either', said: 'Data Source or Schema is invalid' },
    { kind: 'table_not_found', said: null },
    { kind: 'connection_error', said: 'timeout' },
  ];

  it('says something different for every row', () => {
    const texts = failures.map((f) => syncFailureText(f, REQUEST));
    expect(new Set(texts).size).toBe(failures.length);
    expect(texts[0]).toContain('missing the schema and the table name');
    expect(texts[4]).toBe(
      'Only Alation admins can sync tables, and your Alation account is not an admin. Ask an Alation admin to run `/alation sync 8 main.dbo foobar`.',
    );
    expect(texts[10]).toContain(
      'could not connect to data source 8 to read “main.dbo.foobar”: timeout.',
    );
  });

  it('escapes names in messages and offers Reconnect only when not authenticated', () => {
    const odd = { ...REQUEST, schema: '<!channel>', table: 'a&b' };
    const message = buildSyncFailureMessage({ kind: 'schema_excluded', said: null }, odd);
    expect(textOf(message.blocks)).toContain('Schema “&lt;!channel&gt;” is excluded');
    expect(textOf(message.blocks)).not.toContain('<!channel>');
    expect(message.blocks).toHaveLength(1);
    const auth = buildSyncFailureMessage({ kind: 'not_authenticated' }, REQUEST);
    expect(auth.blocks[1]).toMatchObject({
      type: 'actions',
      elements: [{ action_id: 'alation_connect', text: { text: 'Reconnect Alation' } }],
    });
  });

  it('puts each failure next to the field it is about', () => {
    const blockOf = (f: SyncFailure) => Object.keys(syncFailureErrors(f, REQUEST));
    expect(blockOf({ kind: 'missing_value', fields: ['table'], said: null })).toEqual([
      'sync_table_name',
    ]);
    expect(blockOf({ kind: 'bad_table_type', said: null })).toEqual(['sync_table_type']);
    expect(blockOf({ kind: 'schema_excluded', said: null })).toEqual(['sync_schema']);
    expect(blockOf({ kind: 'not_admin', said: null })).toEqual(['sync_datasource']);
    expect(blockOf({ kind: 'service_account', said: null })).toEqual(['sync_table_name']);
    expect(syncOutcomeErrors(new UpstreamTimeoutError(call), REQUEST)).toEqual({
      sync_datasource: 'Could not sync table main.dbo.foobar. Alation did not answer in time.',
    });
  });

  it('repeats a command with quotes where names need them', () => {
    expect(
      syncCommandText({ datasourceId: 3, schema: 'my schema', table: 't', tableType: 'VIEW' }),
    ).toBe('/alation sync 3 "my schema" t view');
  });

  it('gives the usage with a local problem', () => {
    expect(textOf(buildSyncUsageMessage('Missing the table name.').blocks)).toContain(
      'Usage: `/alation sync &lt;datasource_id&gt; &lt;schema&gt; &lt;table&gt; [view]`',
    );
  });
});

describe('the synced table card', () => {
  it('shows title, schema, description, kind and a catalog link', () => {
    const message = buildSyncedTableMessage({
      table: table(),
      request: REQUEST,
      alationBaseUrl: `${BASE}/`,
      requestedBy: 'U1',
    });
    expect(message.text).toBe('Synced view Articles (objects.articles)');
    const text = textOf(message.blocks);
    expect(text).toContain(`*<${BASE}/table/17194/|Articles>* is synced from the database.`);
    expect(text).toContain('*Schema*\nobjects');
    expect(text).toContain('*Type*\nView');
    expect(text).toContain('*Data source*\n107');
    expect(text).toContain('Contains one row for each Article ever created in Alation');
    expect(text).toContain('Synced by <@U1> · view 17194');
    expect(message.blocks.at(-1)).toEqual({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: 'sync_open_table',
          text: { type: 'plain_text', text: 'Open in catalog', emoji: true },
          url: `${BASE}/table/17194/`,
        },
      ],
    });
  });

  it('falls back to the name, the requested kind and escapes what Alation sent', () => {
    const message = buildSyncedTableMessage({
      table: table({
        title: ' ',
        name: 'a<b>',
        is_view: undefined,
        description: null,
        db_comment: 'raw & <x>',
      }),
      request: REQUEST,
      alationBaseUrl: BASE,
      requestedBy: 'U1',
    });
    const text = textOf(message.blocks);
    expect(text).toContain('|a&lt;b&gt;>*');
    expect(text).toContain('*Type*\nTable');
    expect(text).toContain('_No description in Alation yet._');
    expect(text).toContain('Database comment: raw &amp; &lt;x&gt;');
  });

  it('keeps a long description inside Slack’s section limit without cutting a link', () => {
    const long = `<p>${'word '.repeat(576)}<a href="https://x.example/long">link text</a></p>`;
    const message = buildSyncedTableMessage({
      table: table({ description: long }),
      request: REQUEST,
      alationBaseUrl: BASE,
      requestedBy: 'U1',
    });
    const description = textOf(message.blocks[2]);
    expect(description.length).toBeLessThanOrEqual(2_900);
    expect(description.endsWith('…')).toBe(true);
    expect(description).not.toContain('<https');
  });
});

import { describe, expect, it } from 'vitest';
import {
  checkSyncForm,
  parseSyncArgs,
  readSyncForm,
  splitWords,
} from '../../../../src/commands/sync/parse.ts';
import { buildSyncModal } from '../../../../src/views/sync.ts';
import { textOf } from '../../../support/flows.ts';
import { BASE, REQUEST } from '../../views/fixtures/sync.ts';

describe('parseSyncArgs', () => {
  it('no arguments means the form', () => {
    expect(parseSyncArgs('')).toEqual({ kind: 'form' });
    expect(parseSyncArgs('   ')).toEqual({ kind: 'form' });
  });

  it('reads the documented sample, type in any case', () => {
    expect(parseSyncArgs('8 main.dbo foobar VIEW')).toEqual({
      kind: 'sync',
      request: { datasourceId: 8, schema: 'main.dbo', table: 'foobar', tableType: 'VIEW' },
    });
    expect(parseSyncArgs('8 main.dbo foobar view')).toMatchObject({
      request: { tableType: 'VIEW' },
    });
    expect(parseSyncArgs('8 main.dbo foobar table')).toMatchObject({
      request: { tableType: 'TABLE' },
    });
    expect(parseSyncArgs('8 main.dbo foobar')).toMatchObject({ request: { tableType: 'TABLE' } });
  });

  it('accepts a pasted data source link', () => {
    expect(parseSyncArgs(`${BASE}/data/8/ s t`)).toMatchObject({ request: { datasourceId: 8 } });
  });

  it('takes quoted words with spaces, straight or curly, and Slack-escaped characters', () => {
    expect(parseSyncArgs('8 "my schema" “my table”')).toMatchObject({
      request: { schema: 'my schema', table: 'my table' },
    });
    expect(parseSyncArgs('8 a&amp;b &lt;t&gt;')).toMatchObject({
      request: { schema: 'a&b', table: '<t>' },
    });
  });

  it.each([
    ['8', 'Missing the schema and the table name after the data source id.'],
    ['8 s', 'Missing the table name after the data source id.'],
    ['0 s t', '“0” is not a data source id. Use the number in its Alation URL: /data/7/ → 7.'],
    ['8 s t tbl', '“tbl” is not a table type: add `view` for a view, or leave it out for a table.'],
    [
      '8 s t view extra',
      'That is 5 words; a sync takes at most 4. Put quotes around a name with spaces.',
    ],
    ['8 "s t', 'A quote is not closed: "s t. Close it with ".'],
    ['8 s ""', 'Give the table name, as the database spells it.'],
  ])('`%s` → %s', (args, problem) => {
    expect(parseSyncArgs(args)).toEqual({ kind: 'problem', problem });
  });

  it('splits words', () => {
    expect(splitWords(' a  "b c"  d ')).toEqual({ words: ['a', 'b c', 'd'] });
    expect(splitWords('"" x')).toEqual({ words: ['', 'x'] });
  });
});

describe('the form', () => {
  it('reads and checks the submitted state', () => {
    const form = readSyncForm({
      sync_datasource: { value: { value: ' 8 ' } },
      sync_schema: { value: { value: 'main.dbo' } },
      sync_table_name: { value: { value: 'foobar' } },
      sync_table_type: { value: { selected_option: { value: 'VIEW' } } },
    });
    expect(checkSyncForm(form)).toEqual({ ok: true, request: { ...REQUEST, tableType: 'VIEW' } });
    expect(readSyncForm({}).tableType).toBe('TABLE');
    expect(checkSyncForm(readSyncForm({}))).toEqual({
      ok: false,
      errors: {
        sync_datasource: 'Give the data source id: the number in its Alation URL, /data/7/ → 7.',
        sync_schema:
          'Give the schema, e.g. public; sources with two levels (SQL Server) need both, e.g. main.dbo.',
        sync_table_name: 'Give the table name, as the database spells it.',
      },
    });
  });

  it('defaults the type to Table and keeps what was typed', () => {
    const modal = buildSyncModal({ privateMetadata: '{}' });
    expect(modal.callback_id).toBe('sync_table');
    const type = modal.blocks.find((b) => b.block_id === 'sync_table_type');
    expect(type).toMatchObject({
      element: { type: 'radio_buttons', initial_option: { value: 'TABLE' } },
    });
    const again = buildSyncModal({
      privateMetadata: '{}',
      values: { datasourceId: '8', schema: 'a<b', table: 't', tableType: 'VIEW' },
      problem: 'Alation said <no>',
    });
    expect(textOf(again.blocks[0])).toBe(':warning: Alation said &lt;no&gt;');
    expect(again.blocks.find((b) => b.block_id === 'sync_schema')).toMatchObject({
      element: { initial_value: 'a<b' },
    });
    expect(again.blocks.find((b) => b.block_id === 'sync_table_type')).toMatchObject({
      element: { initial_option: { value: 'VIEW' } },
    });
  });
});

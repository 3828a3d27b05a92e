import { describe, expect, it } from 'vitest';
import type { ExecutionEvent, Query } from '../../../../src/client/alation.ts';
import { BadRequestError, ServerError } from '../../../../src/client/errors.ts';
import { checkForm, fieldErrorsToForm, readForm } from '../../../../src/commands/query/form.ts';
import { outcomeErrors } from '../../../../src/commands/query/new.ts';
import { decodeSearchCursor, encodeSearchCursor } from '../../../../src/commands/query/search.ts';
import {
  decodeRunsCursor,
  encodeRunsCursor,
  parseRunsArgs,
} from '../../../../src/commands/runs.ts';

function _query(overrides: Partial<Query> = {}): Query {
  return {
    id: 6,
    datasource_id: 1,
    title: 'Top <10> users & co',
    content: 'SELECT 1',
    saved: true,
    published: false,
    datasource: { id: 1, title: 'OCF snowflake' },
    ts_last_saved: '2026-11-22T09:00:00.000000Z',
    catalog_url: '/query/6/',
    compose_url: '/compose/query/6/',
    schedules: [],
    ...overrides,
  };
}

function _event(overrides: Partial<ExecutionEvent> = {}): ExecutionEvent {
  return {
    id: 1,
    result: null,
    num_result_rows: 1234,
    execution_error: null,
    canceled: false,
    ts_executed: '2026-11-22T11:00:00.000000Z',
    elapsed_seconds: 7.654321,
    index_in_batch: 0,
    batch_id: 1,
    session_id: 1,
    query_id: 6,
    ...overrides,
  };
}

describe('form and cursors', () => {
  const values = (v: Record<string, string>, options: string[] = ['saved']) => ({
    ...Object.fromEntries(Object.entries(v).map(([k, value]) => [k, { value: { value } }])),
    query_options: { value: { selected_options: options.map((value) => ({ value })) } },
  });

  it('turns the form into a Create Query body', () => {
    const form = readForm(
      values(
        {
          query_datasource: ' 7 ',
          query_sql: 'SELECT 1',
          query_tags: 'a, b,,a',
          query_domains: '1,2',
        },
        [],
      ),
    );
    expect(checkForm(form)).toEqual({
      ok: true,
      body: {
        datasource_id: 7,
        content: 'SELECT 1',
        saved: false,
        published: false,
        tag_names: ['a', 'b'],
        domain_ids: [1, 2],
      },
    });
  });

  it('maps Alation field errors to inputs, and unknown fields under the SQL', () => {
    expect(
      fieldErrorsToForm({ content: ['This field is required.'], author: ['User does not exist.'] }),
    ).toEqual({
      query_sql: 'Alation: This field is required. Alation: author: User does not exist.',
    });
    const generic = outcomeErrors(
      new ServerError({ service: 'Alation', method: 'POST', path: '/x/', status: 500 }),
    );
    expect(generic.query_sql).toMatch(/had a problem \(status 500\).*Nothing was created\./);
    const field = outcomeErrors(
      new BadRequestError({
        service: 'Alation',
        method: 'POST',
        path: '/x/',
        status: 400,
        fieldErrors: { tag_names: ['Expected a list of strings.'] },
      }),
    );
    expect(field).toEqual({ query_tags: 'Alation: Expected a list of strings.' });
  });

  it('round-trips paging cursors and rejects tampered ones', () => {
    const search = { text: 'revenue "q"', afterId: 42, firstIndex: 11 };
    expect(decodeSearchCursor(encodeSearchCursor(search))).toEqual(search);
    expect(decodeSearchCursor('{"t":"","n":1}')).toBeUndefined();
    expect(decodeSearchCursor('not json')).toBeUndefined();
    const runs = { queryId: 6, failedOnly: true, before: { ts: '2026-11-22T11:00:00Z', id: 9 } };
    expect(decodeRunsCursor(encodeRunsCursor(runs))).toEqual(runs);
    expect(decodeRunsCursor('{"q":-1,"f":0}')).toBeUndefined();
  });

  it('parses runs arguments', () => {
    expect(parseRunsArgs('42 --failed')).toEqual({ ok: true, queryId: 42, failedOnly: true });
    expect(parseRunsArgs('https://a.example.com/query/42/')).toEqual({
      ok: true,
      queryId: 42,
      failedOnly: false,
    });
    expect(parseRunsArgs('42 43')).toMatchObject({ ok: false });
  });
});

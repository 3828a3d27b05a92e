import { describe, expect, it } from 'vitest';
import { BadRequestError, ServerError } from '../../../../src/client/errors.ts';
import { checkForm, fieldErrorsToForm, readForm } from '../../../../src/commands/query/form.ts';
import { outcomeErrors } from '../../../../src/commands/query/new.ts';
import { decodeSearchCursor, encodeSearchCursor } from '../../../../src/commands/query/search.ts';
import {
  decodeRunsCursor,
  encodeRunsCursor,
  parseRunsArgs,
} from '../../../../src/commands/runs.ts';

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

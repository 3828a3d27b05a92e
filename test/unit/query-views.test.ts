import { describe, expect, it } from 'vitest';
import type { ExecutionEvent, Query } from '../../src/client/alation.ts';
import { BadRequestError, ServerError } from '../../src/client/errors.ts';
import { checkForm, fieldErrorsToForm, readForm } from '../../src/commands/query/form.ts';
import { outcomeErrors } from '../../src/commands/query/new.ts';
import { decodeSearchCursor, encodeSearchCursor } from '../../src/commands/query/search.ts';
import { decodeRunsCursor, encodeRunsCursor, parseRunsArgs } from '../../src/commands/runs.ts';
import { escapeMrkdwn } from '../../src/views/blocks.ts';
import {
  buildCreatedMessage,
  buildNewQueryModal,
  buildQueryCard,
  buildSearchResults,
  sqlPreview,
} from '../../src/views/query.ts';
import { buildRunsMessage, runLine } from '../../src/views/runs.ts';
import { textOf } from '../support/flows.ts';

const NOW = new Date('2026-11-22T12:00:00Z');

function query(overrides: Partial<Query> = {}): Query {
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

function event(overrides: Partial<ExecutionEvent> = {}): ExecutionEvent {
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

describe('query views', () => {
  it('escapes Alation text so it cannot become Slack markup', () => {
    expect(escapeMrkdwn('a <@U1> & <!here>')).toBe('a &lt;@U1&gt; &amp; &lt;!here&gt;');
    const card = buildQueryCard({
      query: query(),
      alationBaseUrl: 'https://alation.example.com',
      now: NOW,
      zone: 'Europe/Berlin',
      scheduledRuns: [],
    });
    expect(card.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Top <10> users & co', emoji: true },
    });
    expect(textOf(card)).toContain('OCF snowflake (id 1)');
    expect(textOf(card)).toContain('3 hours ago (Sun 22 Nov 2026, 10:00 UTC+01:00)');
    expect(textOf(card)).toContain('Saved, not published');
  });

  it('shows schedules in words, overdue, next run and last attempt', () => {
    const card = buildQueryCard({
      query: query({
        schedules: [
          {
            enabled: true,
            cron_expression: '0 9 * * 1-5',
            overdue: true,
            ts_next_run: '2026-11-23T08:00:00Z',
            ts_last_attempt: '2026-11-20T08:00:00Z',
            user: { username: 'ann@example.com', is_active: false },
          },
        ],
      }),
      alationBaseUrl: 'https://alation.example.com',
      now: NOW,
      zone: 'UTC',
      scheduledRuns: [
        {
          task_id: 'x',
          ts_sent_to_broker: '2026-11-20T08:00:00Z',
          ts_prerun: '2026-11-20T08:00:01Z',
          ts_postrun: null,
        },
      ],
    });
    const text = textOf(card);
    expect(text).toContain('*Every weekday at 09:00* :warning: *overdue*');
    expect(text).toContain('Next run in 20 hours (Mon 23 Nov 2026, 08:00 UTC)');
    expect(text).toContain('Last attempt 2 days ago (Fri 20 Nov 2026, 08:00 UTC)');
    expect(text).toContain('inactive user');
    expect(text).toContain('started, not finished');
  });

  it('previews long SQL briefly and keeps code blocks closed', () => {
    const sql = Array.from({ length: 20 }, (_, i) => `SELECT ${i} -- \`\`\``).join('\n');
    const preview = sqlPreview(sql);
    expect(preview.split('\n')).toHaveLength(9);
    expect(preview.endsWith('\n…```')).toBe(true);
    expect(preview.slice(3, -3)).not.toContain('```');
    expect(sqlPreview('  ')).toBe('_(no SQL saved)_');
  });

  it('announces a created query with link buttons', () => {
    const message = buildCreatedMessage({
      query: query(),
      alationBaseUrl: 'https://a.example.com',
      creatorUserId: 'U1',
    });
    expect(textOf(message)).toContain('<@U1> created *Top &lt;10&gt; users &amp; co* (query 6)');
    expect(JSON.stringify(message.blocks)).toContain('https://a.example.com/compose/query/6/');
  });

  it('keeps the form’s previous values and defaults', () => {
    const modal = buildNewQueryModal({
      privateMetadata: '{}',
      values: { datasourceId: '3', published: true },
    });
    const json = JSON.stringify(modal);
    expect(json).toContain('"initial_value":"3"');
    expect(json).toMatch(/"initial_options":\[\{[^\]]*"saved"[^\]]*"published"/);
  });

  it('lists search results with buttons and a More button, or says none match', () => {
    const results = buildSearchResults({
      text: 'rev',
      queries: [query()],
      more: '{"t":"rev"}',
      firstIndex: 11,
    });
    expect(textOf(results)).toContain('(11–11, more below)');
    expect(results.blocks.at(-1)).toMatchObject({
      elements: [{ action_id: 'query_search_more', value: '{"t":"rev"}' }],
    });
    expect(
      textOf(buildSearchResults({ text: 'x', queries: [], more: undefined, firstIndex: 1 })),
    ).toContain('No queries match “x”');
  });
});

describe('runs view', () => {
  it('describes a success, a failure and a canceled run', () => {
    expect(runLine({ event: event(), scheduled: true }, NOW, 'UTC')).toBe(
      '*:white_check_mark: Succeeded* 1 hour ago (Sun 22 Nov 2026, 11:00 UTC)\nscheduled  ·  1,234 rows  ·  7.65 s',
    );
    const failed = runLine(
      {
        event: event({ execution_error: 'syntax\n error', num_result_rows: null }),
        scheduled: false,
      },
      NOW,
      undefined,
    );
    expect(failed).toContain('*:x: Failed*');
    expect(failed).toContain('```syntax error```');
    expect(
      runLine({ event: event({ canceled: true }), scheduled: undefined }, NOW, 'UTC'),
    ).toContain('Canceled');
  });

  it('offers More only when there are older runs', () => {
    const message = buildRunsMessage({
      queryId: 6,
      failedOnly: false,
      rows: [{ event: event(), scheduled: false }],
      now: NOW,
      zone: 'UTC',
      more: 'next',
      continued: false,
    });
    expect(message.blocks.at(-1)).toMatchObject({ elements: [{ action_id: 'query_runs_more' }] });
  });
});

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

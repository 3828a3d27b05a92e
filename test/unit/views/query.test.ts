import { describe, expect, it } from 'vitest';
import type { Query } from '../../../src/client/alation.ts';
import { escapeMrkdwn } from '../../../src/views/blocks.ts';
import {
  buildCreatedMessage,
  buildQueryCard,
  buildSearchResults,
  sqlPreview,
} from '../../../src/views/query.ts';
import { buildNewQueryModal } from '../../../src/views/query-modal.ts';
import { textOf } from '../../support/flows.ts';
import { NOW } from './fixtures/query.ts';

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

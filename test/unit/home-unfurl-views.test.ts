import { describe, expect, it } from 'vitest';
import type { TrustFlag } from '../../src/client/alation.ts';
import { composeImportUrl, sqlIn } from '../../src/events/open-sql.ts';
import { createUnfurlCache } from '../../src/events/unfurl.ts';
import { buildHomeView } from '../../src/views/home.ts';
import { buildOpenSqlLinkModal, buildOpenSqlModal } from '../../src/views/open-sql.ts';
import { badgeLine, buildUnfurlCard } from '../../src/views/unfurl.ts';
import type { ConnectionSummary } from '../../src/views/whoami.ts';
import { textOf } from '../support/flows.ts';

const BASE = 'https://alation.example.com';
const missing = (provider: 'alation' | 'mode'): ConnectionSummary => ({
  provider,
  status: 'missing',
  profile: {},
});
const fmt = (iso: string) => `at ${iso}`;

const flag = (flag_type: TrustFlag['flag_type'], reason = '', name = 'Ann'): TrustFlag => ({
  id: 1,
  flag_type,
  flag_reason: reason,
  ts_created: '2026-01-01T00:00:00Z',
  subject: { id: 12, otype: 'table' },
  user: { id: 8, display_name: name },
});

describe('unfurl card', () => {
  it('names objects it cannot look up by kind and id, and orders badges by importance', () => {
    const card = buildUnfurlCard({
      ref: { otype: 'attribute', id: 5 },
      url: `${BASE}/attribute/5/`,
      flags: [flag('ENDORSEMENT'), flag('DEPRECATION', 'use v2 <now>')],
    });
    const text = textOf(card);
    expect(text).toContain(`*<${BASE}/attribute/5/|Column 5>*`);
    expect(text.indexOf('Deprecated')).toBeLessThan(text.indexOf('Endorsed'));
    expect(text).toContain('use v2 &lt;now&gt;');
  });

  it('shows a title, escapes link-breaking characters and says when there are no flags', () => {
    const card = buildUnfurlCard({
      ref: { otype: 'query', id: 6 },
      url: `${BASE}/query/6/`,
      title: 'A | B > C',
      description: 'desc',
      flags: [],
    });
    expect(textOf(card)).toContain(`*<${BASE}/query/6/|A ¦ B &gt; C>* · query 6`);
    expect(textOf(card)).toContain('No trust flags.');
  });

  it('badge lines', () => {
    expect(badgeLine(flag('WARNING', 'late'))).toBe(':warning: *Warning* by Ann: late');
    expect(badgeLine(flag('ENDORSEMENT', '', ''))).toBe(':white_check_mark: *Endorsed*');
  });
});

describe('unfurl cache', () => {
  it('expires entries and keys by team and url', () => {
    let now = 0;
    const cache = createUnfurlCache(60_000, () => now);
    cache.set('T1', 'u', { blocks: [] });
    expect(cache.get('T1', 'u')).toEqual({ blocks: [] });
    expect(cache.get('T2', 'u')).toBeUndefined();
    now = 60_000;
    expect(cache.get('T1', 'u')).toBeUndefined();
  });
});

describe('home view', () => {
  it('first-run page for someone not connected', () => {
    const view = buildHomeView({
      alation: missing('alation'),
      mode: missing('mode'),
      watches: [],
      formatDate: fmt,
    });
    expect(view.type).toBe('home');
    expect(textOf(view)).toContain('Welcome to Alation in Slack');
    expect(textOf(view)).not.toContain('Jobs you are watching');
  });

  it('status, reconnect reason, disconnect with confirmation, and watches', () => {
    const view = buildHomeView({
      alation: {
        provider: 'alation',
        status: 'reconnect',
        profile: {},
        reason: 'refresh_token_expired',
      },
      mode: { provider: 'mode', status: 'active', profile: { workspace: 'acme' } },
      watches: [{ label: 'job 42', channelId: 'C1', jobStatus: 'RUNNING', started: 'today 10:00' }],
      formatDate: fmt,
    });
    const text = textOf(view);
    expect(text).toContain('needs reconnecting: your Alation refresh token has expired');
    expect(text).toContain('connected to workspace `acme`');
    expect(text).toContain('• *job 42* · running · started today 10:00 · in <#C1>');
    const json = JSON.stringify(view);
    expect(json).toContain('"action_id":"home_disconnect","value":"mode"');
    expect(json).toContain('"confirm"');
  });

  it('says when no watches run', () => {
    const view = buildHomeView({
      alation: {
        provider: 'alation',
        status: 'active',
        profile: { alationUserId: 7, refreshTokenExpiresAt: '2027-01-01' },
      },
      mode: missing('mode'),
      watches: [],
      formatDate: fmt,
    });
    expect(textOf(view)).toContain(
      'connected as Alation user 7. The refresh token expires at 2027-01-01.',
    );
    expect(textOf(view)).toContain('None running.');
  });
});

describe('open SQL', () => {
  it.each([
    ['```SELECT 1```', 'SELECT 1'],
    [
      'look:\n```\nWITH a AS (SELECT 1) SELECT * FROM a\n```\nthanks',
      'WITH a AS (SELECT 1) SELECT * FROM a',
    ],
    ['  select a &lt;&gt; b from t  ', 'select a <> b from t'],
    ['hello there', undefined],
    ['``````', undefined],
    ['', undefined],
  ])('sqlIn(%j)', (text, expected) => {
    expect(sqlIn(text)).toBe(expected);
  });

  it('builds the documented import URL with the SQL encoded', () => {
    expect(composeImportUrl(`${BASE}/`, 3, 'SELECT * FROM t WHERE a = "x&y"')).toBe(
      `${BASE}/integration/v1/query/import/?return_to=compose&datasource_id=3&content=SELECT%20*%20FROM%20t%20WHERE%20a%20%3D%20%22x%26y%22`,
    );
  });

  it('modals', () => {
    const form = buildOpenSqlModal({ sql: 'SELECT 1', datasourceId: 3, privateMetadata: '{}' });
    expect(JSON.stringify(form)).toContain('"initial_value":"3"');
    const link = buildOpenSqlLinkModal({
      url: `${BASE}/compose/query/9/`,
      datasourceId: 3,
      draftQueryId: 9,
    });
    expect(textOf(link)).toContain('query 9');
  });
});

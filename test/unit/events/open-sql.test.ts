import { describe, expect, it } from 'vitest';
import { composeImportUrl } from '../../../src/client/alation/links.ts';
import { sqlIn } from '../../../src/events/open-sql.ts';
import { buildOpenSqlLinkModal, buildOpenSqlModal } from '../../../src/views/open-sql.ts';
import { textOf } from '../../support/flows.ts';

const BASE = 'https://alation.example.com';

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

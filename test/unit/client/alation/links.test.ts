import { describe, expect, it } from 'vitest';
import {
  catalogUrl,
  composeImportUrl,
  composeUrl,
  parseAlationUrl,
  queryLinkedIn,
  queryUrl,
} from '../../../../src/client/alation/links.ts';

const BASE = 'https://alation.example.com';

describe('parseAlationUrl', () => {
  it.each([
    [`${BASE}/query/6/`, { otype: 'query', id: 6 }],
    [`${BASE}/compose/query/6/`, { otype: 'query', id: 6 }],
    [`${BASE}/table/12/`, { otype: 'table', id: 12 }],
    [`${BASE}/table/12/overview`, { otype: 'table', id: 12 }],
    [`${BASE}/data/3/`, { otype: 'data', id: 3 }],
    [`${BASE}/schema/4`, { otype: 'schema', id: 4 }],
    [`${BASE}/attribute/99/?tab=x`, { otype: 'attribute', id: 99 }],
    ['https://ALATION.example.com/table/1/', { otype: 'table', id: 1 }],
  ])('%s', (url, expected) => {
    expect(parseAlationUrl(url, BASE)).toEqual(expected);
  });

  it.each([
    'https://other.example.com/table/12/',
    'https://alation.example.com:8443/table/12/',
    `${BASE}/compose/table/12/`,
    `${BASE}/user/3/`,
    `${BASE}/table/abc/`,
    `${BASE}/article/5/`,
    `${BASE}/table/1234567890123/`,
    'javascript:alert(1)',
    'not a url',
  ])('ignores %s', (url) => {
    expect(parseAlationUrl(url, BASE)).toBeUndefined();
  });

  it('honours a base URL with a path prefix', () => {
    const base = 'https://h.example.com/alation';
    expect(parseAlationUrl('https://h.example.com/alation/table/2/', base)).toEqual({
      otype: 'table',
      id: 2,
    });
    expect(parseAlationUrl('https://h.example.com/table/2/', base)).toBeUndefined();
  });
});

describe('queryLinkedIn', () => {
  it.each([
    [`see <${BASE}/query/15/|Weekly revenue>`, 15],
    [`${BASE}/compose/query/7/ and ${BASE}/query/8/`, 7],
    [`at the end of a sentence: ${BASE}/query/9.`, 9],
    [`a table first <${BASE}/table/3/> then <${BASE}/query/4/>`, 4],
  ])('%s → %s', (text, id) => {
    expect(queryLinkedIn(text, BASE)).toBe(id);
  });

  it.each(['https://evil.example/query/5/', `${BASE}/table/3/`, 'query 5', ''])(
    'finds none in %s',
    (text) => {
      expect(queryLinkedIn(text, BASE)).toBeUndefined();
    },
  );
});

describe('building pages', () => {
  it('prefers the path Alation gave, never an absolute URL from a reply', () => {
    expect(queryUrl(`${BASE}/`, 6, '/query/6/')).toBe(`${BASE}/query/6/`);
    expect(queryUrl(BASE, 6, 'https://evil.example/')).toBe(`${BASE}/query/6/`);
    expect(composeUrl(BASE, 6)).toBe(`${BASE}/compose/query/6/`);
    expect(catalogUrl(`${BASE}/`, { otype: 'data', id: 6 })).toBe(`${BASE}/data/6/`);
    expect(catalogUrl(BASE, { otype: 'table', id: 4 }, 'odd')).toBe(`${BASE}/table/4/`);
  });

  it('builds every page the registry can read back', () => {
    for (const otype of ['query', 'table', 'data', 'schema', 'attribute'] as const) {
      expect(parseAlationUrl(catalogUrl(BASE, { otype, id: 42 }), BASE)).toEqual({ otype, id: 42 });
    }
    expect(parseAlationUrl(composeUrl(BASE, 42), BASE)).toEqual({ otype: 'query', id: 42 });
  });

  it('opens Compose with SQL typed in', () => {
    expect(composeImportUrl(`${BASE}/`, 3, 'select 1 & 2')).toBe(
      `${BASE}/integration/v1/query/import/?return_to=compose&datasource_id=3&content=select%201%20%26%202`,
    );
  });
});

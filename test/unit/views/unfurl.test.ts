import { describe, expect, it } from 'vitest';
import type { TrustFlag } from '../../../src/client/alation.ts';
import { badgeLine, buildUnfurlCard } from '../../../src/views/unfurl.ts';
import { textOf } from '../../support/flows.ts';

const BASE = 'https://alation.example.com';

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

// Escaping makes text longer (`<` is sent as the four characters `&lt;`), and Slack's limits
// count what it receives: 3000 characters per section or context text. These check that the
// views clip after escaping, never cut an entity in half, and still fit.

import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { codeBlock, escapeMrkdwn, escapeWithin } from '../../../src/views/blocks.ts';
import { buildFlagAddedMessage } from '../../../src/views/flag.ts';
import { buildModeRunDetails, parametersText, sqlFitsInline } from '../../../src/views/mode-run.ts';
import { renderTable } from '../../../src/views/preview-table.ts';
import { buildSqlMessage } from '../../../src/views/sql.ts';
import { buildUnfurlCard } from '../../../src/views/unfurl.ts';
import { findHostileMarkup } from '../../support/hostile.ts';
import { modeQueryRun, modeRef, NOW, trustFlag } from './hostile-fixtures.ts';

const SECTION_LIMIT = 3_000;
const LT = '<'.repeat(5_000);

/** Every section and context text of some blocks, for their lengths. */
function texts(blocks: KnownBlock[]): string[] {
  return blocks.flatMap((b) => {
    if (b.type === 'section') return [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text)];
    if (b.type === 'context') return b.elements.map((e) => ('text' in e ? e.text : ''));
    return [];
  });
}

const longest = (blocks: KnownBlock[]) => Math.max(...texts(blocks).map((t) => t.length));

describe('escapeWithin', () => {
  it('escapes short text whole', () => {
    expect(escapeWithin('a <b> & c', 100)).toBe('a &lt;b&gt; &amp; c');
  });

  it('clips so the escaped text fits, with an ellipsis and no half entity', () => {
    const out = escapeWithin('<&>'.repeat(100), 50);
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out.endsWith('…')).toBe(true);
    expect(out.slice(0, -1)).toMatch(/^(?:&lt;|&amp;|&gt;)+$/);
  });
});

describe('codeBlock', () => {
  it('escapes, defuses a ``` inside, and stays within its size', () => {
    const block = codeBlock(`<!here> \`\`\` ${LT}`, 400);
    expect(block.length).toBeLessThanOrEqual(400);
    expect(block.startsWith('```&lt;!here&gt; `\u200b`` ')).toBe(true);
    expect(block.endsWith('…```')).toBe(true);
    expect(findHostileMarkup({ type: 'mrkdwn', text: block })).toEqual([]);
  });
});

describe('SQL and tables once escaped', () => {
  it('cuts SQL that no longer fits a section once escaped, and says so', () => {
    const message = buildSqlMessage({
      queryId: 6,
      sql: LT.slice(0, 2_800),
      queryUrl: 'https://a/q/6/',
    });
    expect(longest(message.blocks)).toBeLessThanOrEqual(SECTION_LIMIT);
    expect(texts(message.blocks)[0]).toContain('Cut short here: the whole SQL is in Alation.');
  });

  it('shows SQL that fits whole, escaped', () => {
    const message = buildSqlMessage({
      queryId: 6,
      sql: 'SELECT 1 WHERE a < b',
      queryUrl: 'https://a/q/6/',
    });
    expect(texts(message.blocks)[0]).toBe(
      'SQL of <https://a/q/6/|query 6>\n```SELECT 1 WHERE a &lt; b```',
    );
  });

  it('sends Mode SQL as a file when only its escaped form is too long', () => {
    const run = (sql: string) => modeQueryRun('x', { raw_source: sql, rendered_source: sql });
    expect(sqlFitsInline(run('x'.repeat(2_000)))).toBe(true);
    expect(sqlFitsInline(run('<'.repeat(1_000)))).toBe(false);
  });

  it('keeps a preview table within maxChars once escaped', () => {
    const rows = Array.from({ length: 10 }, () => [
      '<&>'.repeat(8),
      '<'.repeat(24),
      '>'.repeat(24),
    ]);
    const table = renderTable(['a<', 'b&', 'c>'], rows);
    expect(table.shownColumns).toBe(3);
    expect(escapeMrkdwn(table.text).length).toBeLessThanOrEqual(2_400);
    expect(table.shownRows).toBeLessThan(10);
  });
});

describe('views with long escaped text', () => {
  it('lists as many Mode parameters as fit, and says how many more', () => {
    const params = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`p${i}`, LT]));
    const text = parametersText(params) ?? '';
    expect(text.length).toBeLessThanOrEqual(2_800);
    expect(text).toMatch(/\n…and \d+ more$/);
  });

  it('keeps a Mode query run with a long, markup-heavy name within one section', () => {
    const details = buildModeRunDetails({
      ref: modeRef('acme'),
      run: modeQueryRun('x', { query_name: '&'.repeat(3_000), parameters: {} }),
      modeBaseUrl: 'https://app.mode.com',
      sql: { kind: 'inline' },
      now: NOW,
      zone: 'UTC',
    });
    expect(longest(details.blocks)).toBeLessThanOrEqual(SECTION_LIMIT);
  });

  it('keeps an unfurl card with long reasons and description within its blocks', () => {
    const card = buildUnfurlCard({
      ref: { otype: 'query', id: 6 },
      url: 'https://alation.example.com/query/6/',
      title: LT,
      description: LT,
      detail: LT,
      flags: Array.from({ length: 5 }, () => trustFlag(LT)),
    });
    expect(longest(card.blocks)).toBeLessThanOrEqual(SECTION_LIMIT);
  });

  it('keeps a flag announcement with a long reason within one section', () => {
    const message = buildFlagAddedMessage({
      flag: {
        ...trustFlag(LT),
        subject: { id: 12, otype: 'table' },
        user: { id: 7, display_name: LT },
      },
      subject: { otype: 'table', id: 12, name: LT },
      slackUserId: 'U1',
      alationBaseUrl: 'https://alation.example.com',
    });
    expect(longest(message.blocks)).toBeLessThanOrEqual(SECTION_LIMIT);
  });
});

import { describe, expect, it } from 'vitest';
import {
  buildFlagAddedMessage,
  buildFlagGoneMessage,
  buildFlagList,
  buildRemoveConfirmMessage,
  flagButtons,
  subjectLink,
} from '../../../src/views/flag.ts';
import { textOf } from '../../support/flows.ts';
import { flag } from './fixtures/flag.ts';

const BASE = 'https://alation.example.com';
const NOW = new Date('2026-11-22T12:00:00Z');

describe('flag messages', () => {
  it('links the subject on the Alation base URL, escaping names', () => {
    expect(subjectLink(BASE, { otype: 'query', id: 6, name: 'A|B <x>' })).toBe(
      `<${BASE}/query/6/|A¦B &lt;x&gt;> (query 6)`,
    );
    expect(subjectLink(BASE, { otype: 'attribute', id: 5 })).toBe(
      `<${BASE}/attribute/5/|column 5>`,
    );
  });

  it('announces "⚑ <user> deprecated <subject>: <reason>" with Edit reason and a confirmed Remove', () => {
    const message = buildFlagAddedMessage({
      flag: flag(),
      subject: { otype: 'table', id: 12, name: 'orders' },
      slackUserId: 'U1',
      alationBaseUrl: BASE,
    });
    expect(textOf(message)).toContain(
      `⚑ <@U1> deprecated <${BASE}/table/12/|orders> (table 12): Use &lt;orders_v2&gt; &amp; co`,
    );
    // The notification text is mrkdwn too: the reason shows as typed and cannot ping or link.
    expect(message.text).toBe('⚑ deprecated orders (table 12): Use &lt;orders_v2&gt; &amp; co');
    const buttons = message.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(buttons.map((b) => b.action_id)).toEqual([
      'flag_open_subject',
      'flag_edit_reason',
      'flag_remove',
    ]);
    expect(JSON.stringify(buttons[2])).toContain('"confirm"');
  });

  it('offers no Edit reason on an endorsement', () => {
    const buttons = flagButtons(flag({ flag_type: 'ENDORSEMENT', flag_reason: '' }));
    expect(buttons.map((b) => b.action_id)).toEqual(['flag_remove']);
  });

  it('lists flags with author, time in the user’s zone and More', () => {
    const message = buildFlagList({
      flags: [flag()],
      subject: undefined,
      alationBaseUrl: BASE,
      now: NOW,
      zone: 'Europe/Berlin',
      firstIndex: 1,
      more: '{"s":10}',
    });
    const text = textOf(message);
    expect(text).toContain('Most recent trust flags*, newest first (1–1, more below)');
    expect(text).toContain(`:no_entry: *Deprecation* on <${BASE}/table/12/|table 12>  ·  flag 9`);
    expect(text).toContain('>Use &lt;orders_v2&gt; &amp; co');
    expect(text).toContain('by Alice &lt;A&gt;, 3 hours ago (Sun 22 Nov 2026, 10:00 UTC+01:00)');
    const more = message.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : [])).at(-1);
    expect(more).toMatchObject({ action_id: 'flag_list_more', value: '{"s":10}' });
  });

  it('says when there are no flags, and when a page is past the end', () => {
    const base = { flags: [], alationBaseUrl: BASE, now: NOW, zone: undefined, more: undefined };
    expect(
      textOf(buildFlagList({ ...base, subject: { otype: 'table', id: 12 }, firstIndex: 1 })),
    ).toContain('`/alation flag add table 12` adds one');
    expect(textOf(buildFlagList({ ...base, subject: undefined, firstIndex: 11 }))).toContain(
      'No more trust flags.',
    );
  });

  it('asks before removing, and says plainly when a flag is gone', () => {
    const confirm = buildRemoveConfirmMessage({
      flag: flag(),
      alationBaseUrl: BASE,
      now: NOW,
      zone: undefined,
    });
    expect(textOf(confirm)).toContain('*Remove this flag?*');
    expect(textOf(buildFlagGoneMessage({ flagId: 9 }, 'remove'))).toContain(
      'Flag 9 is already gone from Alation.',
    );
  });
});

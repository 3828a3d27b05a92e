import { describe, expect, it } from 'vitest';
import type { TrustFlag } from '../../src/client/alation.ts';
import { BadRequestError, ForbiddenError } from '../../src/client/errors.ts';
import { addErrors, checkAddForm } from '../../src/commands/flag/add.ts';
import { parseFlagId, parseSubject } from '../../src/commands/flag/shared.ts';
import {
  buildFlagAddedMessage,
  buildFlagGoneMessage,
  buildFlagList,
  buildRemoveConfirmMessage,
  flagButtons,
  subjectLink,
} from '../../src/views/flag.ts';
import { buildAddFlagModal, buildEditFlagModal } from '../../src/views/flag-modal.ts';
import {
  decodeFlagListCursor,
  decodeFlagRef,
  encodeFlagListCursor,
  encodeFlagRef,
} from '../../src/views/flag-ref.ts';
import { textOf } from '../support/flows.ts';

const BASE = 'https://alation.example.com';
const NOW = new Date('2026-11-22T12:00:00Z');

function flag(overrides: Partial<TrustFlag> = {}): TrustFlag {
  return {
    id: 9,
    flag_type: 'DEPRECATION',
    flag_reason: 'Use <orders_v2> & co',
    ts_created: '2026-11-22T09:00:00.000000Z',
    subject: { id: 12, otype: 'table', url: '/table/12/' },
    user: { id: 7, url: '/user/7/', display_name: 'Alice <A>' },
    ...overrides,
  };
}

const blockIds = (view: { blocks: unknown[] }) =>
  view.blocks.map(
    (b) => (b as { block_id?: string; type: string }).block_id ?? (b as { type: string }).type,
  );

describe('flag button values', () => {
  it('round-trips a flag reference and accepts a bare id', () => {
    const ref = { flagId: 9, flagType: 'WARNING' as const, subject: { otype: 'table', id: 12 } };
    expect(decodeFlagRef(encodeFlagRef(ref))).toEqual(ref);
    expect(decodeFlagRef('9')).toEqual({ flagId: 9 });
    for (const bad of ['', '0', 'x', '{"f":-1}', '{"f":1,"t":"NOPE"}', '[1]']) {
      expect(decodeFlagRef(bad)).toBeUndefined();
    }
  });

  it('round-trips list cursors, with and without a subject', () => {
    const cursor = { subject: { otype: 'table', id: 12 }, skip: 10 };
    expect(decodeFlagListCursor(encodeFlagListCursor(cursor))).toEqual(cursor);
    expect(decodeFlagListCursor(encodeFlagListCursor({ skip: 20 }))).toEqual({ skip: 20 });
    expect(decodeFlagListCursor('{"o":"table","s":1}')).toBeUndefined();
    expect(decodeFlagListCursor('nope')).toBeUndefined();
  });
});

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

describe('flag modals', () => {
  it('shows the reason by type: optional before a choice, required, or absent for endorsements', () => {
    const modal = (flagType?: 'ENDORSEMENT' | 'WARNING') =>
      buildAddFlagModal({ privateMetadata: '{}', values: { flagType } });
    const reasonOf = (m: ReturnType<typeof modal>) =>
      m.blocks.find((b) => 'block_id' in b && b.block_id === 'flag_reason') as
        | { optional?: boolean }
        | undefined;
    expect(reasonOf(modal())?.optional).toBe(true);
    expect(reasonOf(modal('WARNING'))?.optional).toBe(false);
    expect(reasonOf(modal('ENDORSEMENT'))).toBeUndefined();
    expect(textOf(modal('ENDORSEMENT'))).toContain('Endorsements carry no reason');
    const typeBlock = modal().blocks.find((b) => 'block_id' in b && b.block_id === 'flag_type');
    expect(typeBlock).toMatchObject({
      dispatch_action: true,
      element: { action_id: 'flag_type_choice' },
    });
  });

  it('names the subject when it was looked up, and prefills the edit form', () => {
    const add = buildAddFlagModal({
      privateMetadata: '{}',
      values: { otype: 'query', subjectId: '6' },
      subject: { otype: 'query', id: 6, name: 'Daily revenue' },
    });
    expect(blockIds(add)[0]).toBe('section');
    expect(textOf(add)).toContain('*Daily revenue* (query 6)');
    const edit = buildEditFlagModal({ privateMetadata: '{"flagId":9}', flag: flag() });
    expect(JSON.stringify(edit)).toContain('"initial_value":"Use <orders_v2> & co"');
    expect(edit.callback_id).toBe('flag_edit');
  });
});

describe('flag input rules', () => {
  it('builds the API body from the form exactly as Alation’s rules say', () => {
    expect(
      checkAddForm({ otype: ' Table ', subjectId: '12', flagType: 'ENDORSEMENT', reason: ' ' }),
    ).toEqual({
      ok: true,
      body: { flag_type: 'ENDORSEMENT', subject: { otype: 'table', id: 12 } },
    });
    expect(
      checkAddForm({ otype: 'data', subjectId: '1', flagType: 'WARNING', reason: ' old ' }),
    ).toEqual({
      ok: true,
      body: { flag_type: 'WARNING', flag_reason: 'old', subject: { otype: 'data', id: 1 } },
    });
    const refused = checkAddForm({ otype: 'data', subjectId: '1', flagType: 'DEPRECATION' });
    expect(refused.ok).toBe(false);
  });

  it('puts Alation’s refusals next to the right field', () => {
    const form = { otype: 'tabel', subjectId: '1', flagType: 'WARNING' as const, reason: 'x' };
    const init = { service: 'Alation', method: 'POST', path: '/integration/flag/', status: 400 };
    expect(
      addErrors(
        new BadRequestError({ ...init, fieldErrors: { subject: ['Invalid otype'] } }),
        form,
      ),
    ).toHaveProperty('flag_otype');
    expect(
      addErrors(
        new BadRequestError({ ...init, fieldErrors: { subject: ['No tabel object with id 1.'] } }),
        form,
      ),
    ).toHaveProperty('flag_subject_id');
    expect(addErrors(new ForbiddenError({ ...init, status: 403 }), form).flag_type).toContain(
      'global flag edit permission',
    );
  });

  it('parses subjects and flag ids', () => {
    expect(parseSubject('table 12', 'x')).toEqual({ subject: { otype: 'table', id: 12 } });
    expect(parseSubject('<https://a.example.com/data/3/>', 'x')).toEqual({
      subject: { otype: 'data', id: 3 },
    });
    expect(parseSubject('', 'x')).toBeUndefined();
    expect(parseSubject('table', 'x')).toHaveProperty('problem');
    expect(parseFlagId('9', 'x')).toEqual({ flagId: 9 });
    expect(parseFlagId('0', 'x')).toHaveProperty('problem');
  });
});

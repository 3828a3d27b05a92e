import { describe, expect, it } from 'vitest';
import { buildAddFlagModal, buildEditFlagModal } from '../../../src/views/flag-modal.ts';
import { textOf } from '../../support/flows.ts';
import { flag } from './fixtures/flag.ts';

const blockIds = (view: { blocks: unknown[] }) =>
  view.blocks.map(
    (b) => (b as { block_id?: string; type: string }).block_id ?? (b as { type: string }).type,
  );

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

import { describe, expect, it } from 'vitest';
import {
  buildAddRefusedModal,
  buildApproveChangesModal,
  buildRequestFlagModal,
  decodeRequestSeed,
  encodeRequestSeed,
} from '../../../src/views/flag-request-modal.ts';
import { hostileRequest } from './hostile-builders-flag-requests.ts';

type Block = { block_id?: string; type: string; element?: Record<string, unknown> };
const ids = (view: { blocks: unknown[] }) =>
  (view.blocks as Block[]).map((b) => b.block_id ?? b.type);

describe('the request form', () => {
  it('asks for the object, the flag, the reason and who decides, prefilled', () => {
    const view = buildRequestFlagModal({
      privateMetadata: '{}',
      values: { otype: 'table', subjectId: '12', flagType: 'WARNING', reviewerUserId: 'UBOB' },
    });
    expect(view.callback_id).toBe('flag_request');
    expect(ids(view)).toEqual([
      'flag_otype',
      'flag_subject_id',
      'flag_type',
      'flag_reason',
      'flag_request_reviewer',
      'flag_request_channel',
    ]);
    const blocks = view.blocks as Block[];
    expect(blocks[4]?.element).toMatchObject({ type: 'users_select', initial_user: 'UBOB' });
    expect(blocks[5]?.element).toMatchObject({ type: 'conversations_select' });
    expect(blocks[2]?.element?.action_id).toBe('flag_request_type_choice');
  });

  it('hides the reason for an endorsement, as Alation requires', () => {
    const view = buildRequestFlagModal({
      privateMetadata: '{}',
      values: { flagType: 'ENDORSEMENT' },
    });
    expect(ids(view)).not.toContain('flag_reason');
  });
});

describe('approve with changes', () => {
  it('starts from the requested type and reason, with its own type radio', () => {
    const request = hostileRequest('orders');
    const view = buildApproveChangesModal({
      privateMetadata: '{}',
      request,
      values: { flagType: request.flagType, reason: 'Replaced' },
    });
    const type = (view.blocks as Block[]).find((b) => b.block_id === 'flag_type');
    expect(type?.element?.action_id).toBe('flag_request_changes_type_choice');
    const reason = (view.blocks as Block[]).find((b) => b.block_id === 'flag_reason');
    expect(reason?.element?.initial_value).toBe('Replaced');
  });
});

describe('Request a flag… after a refused Add', () => {
  it('carries the form in its button, and anything unreadable is an empty form', () => {
    const form = {
      otype: 'table',
      subjectId: '12',
      flagType: 'DEPRECATION' as const,
      reason: 'Old',
    };
    const view = buildAddRefusedModal({ privateMetadata: '{"channelId":"C1"}', values: form });
    expect(view.private_metadata).toBe('{"channelId":"C1"}');
    const button = (view.blocks as { type: string; elements?: { value?: string }[] }[]).find(
      (b) => b.type === 'actions',
    )?.elements?.[0];
    expect(decodeRequestSeed(button?.value ?? '')).toEqual(form);
    expect(encodeRequestSeed({ reason: 'x'.repeat(5000) }).length).toBeLessThan(2000);
    expect(decodeRequestSeed('{"t":"NOPE"}')).toEqual({});
    expect(decodeRequestSeed('not json')).toEqual({});
  });
});

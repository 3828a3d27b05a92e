import { describe, expect, it } from 'vitest';
import { checkReviewer, readRequestForm } from '../../../../src/commands/flag/request.ts';

describe('the request form', () => {
  it('reads the object, flag, reason and the picked reviewer', () => {
    expect(
      readRequestForm({
        flag_otype: { value: { value: 'table' } },
        flag_subject_id: { value: { value: '12' } },
        flag_type: { flag_request_type_choice: { selected_option: { value: 'WARNING' } } },
        flag_reason: { value: { value: 'Old' } },
        flag_request_reviewer: { pick: { selected_user: 'UBOB' } },
        flag_request_channel: { pick: { selected_conversation: null } },
      }),
    ).toEqual({
      otype: 'table',
      subjectId: '12',
      flagType: 'WARNING',
      reason: 'Old',
      reviewerUserId: 'UBOB',
      reviewerChannelId: undefined,
    });
    expect(
      readRequestForm({
        flag_type: { flag_request_type_choice: { selected_option: { value: 'NOPE' } } },
      }).flagType,
    ).toBeUndefined();
  });

  it('wants exactly one reviewer, not the requester', () => {
    expect(checkReviewer({ reviewerUserId: 'UBOB' }, 'UALICE')).toEqual({
      ok: true,
      reviewer: { userId: 'UBOB' },
    });
    expect(checkReviewer({ reviewerChannelId: 'CSTEW' }, 'UALICE')).toEqual({
      ok: true,
      reviewer: { channelId: 'CSTEW' },
    });
    const problem = (form: Parameters<typeof checkReviewer>[0]) => {
      const checked = checkReviewer(form, 'UALICE');
      return checked.ok ? undefined : Object.entries(checked.errors)[0];
    };
    expect(problem({})).toEqual([
      'flag_request_reviewer',
      expect.stringContaining('Who should decide?'),
    ]);
    expect(problem({ reviewerUserId: 'UALICE' })).toEqual([
      'flag_request_reviewer',
      expect.stringContaining('cannot decide your own'),
    ]);
    expect(problem({ reviewerUserId: 'UBOB', reviewerChannelId: 'CSTEW' })).toEqual([
      'flag_request_channel',
      expect.stringContaining('not both'),
    ]);
  });
});

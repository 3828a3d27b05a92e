import { describe, expect, it } from 'vitest';
import { readChangesForm } from '../../../../src/commands/flag/request-forms.ts';
import { hostileRequest } from '../../views/hostile-builders-flag-requests.ts';

describe('Approve with changes', () => {
  it('read the changes on the request’s own object', () => {
    const request = hostileRequest('orders');
    expect(
      readChangesForm(
        {
          flag_type: {
            flag_request_changes_type_choice: { selected_option: { value: 'ENDORSEMENT' } },
          },
        },
        request,
      ),
    ).toEqual({ otype: 'orders', subjectId: '12', flagType: 'ENDORSEMENT', reason: undefined });
  });
});

import { describe, expect, it } from 'vitest';
import { ForbiddenError, ServerError } from '../../../src/client/errors.ts';
import { flagBody, refusalText } from '../../../src/flag-requests/decide.ts';
import { hostileRequest } from '../views/hostile-builders-flag-requests.ts';

const init = { service: 'Alation', method: 'POST', path: '/integration/flag/' };

describe('deciding a request', () => {
  it('builds the flag as Alation wants it: no reason on an endorsement', () => {
    const request = hostileRequest('table');
    expect(flagBody(request, { flagType: 'WARNING', reason: ' Old ' })).toEqual({
      flag_type: 'WARNING',
      flag_reason: 'Old',
      subject: { otype: 'table', id: 12 },
    });
    expect(flagBody(request, { flagType: 'ENDORSEMENT', reason: 'ignored' })).toEqual({
      flag_type: 'ENDORSEMENT',
      subject: { otype: 'table', id: 12 },
    });
  });

  it('says why Alation did not create the flag', () => {
    const choice = { flagType: 'DEPRECATION' as const, reason: 'x' };
    expect(refusalText(new ForbiddenError({ ...init, status: 403 }), 'U2', choice)).toContain(
      'global flag edit permission',
    );
    expect(refusalText(new ServerError({ ...init, status: 503 }), 'U2', choice)).toContain(
      'Alation could not create the deprecation',
    );
    expect(refusalText(new Error('boom'), 'U2', choice)).not.toContain('boom');
  });
});

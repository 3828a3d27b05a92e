import { describe, expect, it } from 'vitest';
import { decisionText } from '../../../../src/commands/flag/request-review.ts';
import { hostileRequest } from '../../views/hostile-builders-flag-requests.ts';

describe('the review buttons', () => {
  it('say what became of a request someone else got to first', () => {
    expect(decisionText({ kind: 'taken', request: hostileRequest('x', 'deciding') })).toContain(
      '<@U2> is approving this request right now',
    );
    expect(decisionText({ kind: 'taken', request: hostileRequest('x', 'denied') })).toContain(
      'Already decided, nothing else was done: :x: *Denied by <@U2>*',
    );
    expect(decisionText({ kind: 'taken', request: undefined })).toBe(
      'This request no longer exists.',
    );
    expect(decisionText({ kind: 'own', request: hostileRequest('x') })).toContain(
      'someone else decides',
    );
    const personal = { ...hostileRequest('x'), reviewer: { userId: 'UCAROL' } };
    expect(decisionText({ kind: 'not_reviewer', request: personal })).toBe(
      'This request was asked of <@UCAROL>, so only they can decide it.',
    );
  });
});

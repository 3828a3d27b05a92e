import { describe, expect, it } from 'vitest';
import { ownerOf } from '../../../src/auth/owner.ts';

describe('ownerOf', () => {
  it('a workspace outside Grid: the team is the tenant, and nothing more', () => {
    expect(ownerOf({ user_id: 'U1', team_id: 'T1' })).toEqual({ tenantId: 'T1', userId: 'U1' });
    expect(ownerOf({ user: { id: 'U1', team_id: 'T1' }, team: { id: 'T1' } })).toEqual({
      tenantId: 'T1',
      userId: 'U1',
    });
  });

  it('on Enterprise Grid: the org is the tenant, and the workspace acted in is kept', () => {
    // A slash command's fields, then an interaction's objects.
    expect(ownerOf({ user_id: 'U1', team_id: 'T1', enterprise_id: 'E1' })).toEqual({
      tenantId: 'E1',
      userId: 'U1',
      teamId: 'T1',
    });
    expect(
      ownerOf({ user: { id: 'U1', team_id: 'T2' }, team: { id: 'T2', enterprise_id: 'E1' } }),
    ).toEqual({ tenantId: 'E1', userId: 'U1', teamId: 'T2' });
    // An org-wide install's interaction may carry no team: the org alone.
    expect(ownerOf({ user: { id: 'U1' }, team: null, enterprise: { id: 'E1' } })).toEqual({
      tenantId: 'E1',
      userId: 'U1',
    });
  });

  it('refuses a request with no user or team', () => {
    expect(() => ownerOf({ team_id: 'T1' })).toThrow('no user or team');
  });
});

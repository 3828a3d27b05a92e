import { describe, expect, it } from 'vitest';
import { BadRequestError, ForbiddenError } from '../../../../src/client/errors.ts';
import { addErrors, checkAddForm } from '../../../../src/commands/flag/add.ts';
import { parseFlagId, parseSubject } from '../../../../src/commands/flag/shared.ts';

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

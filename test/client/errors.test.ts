import { describe, expect, it } from 'vitest';
import {
  type AnyUpstreamError,
  BadRequestError,
  isUpstreamError,
  NotFoundError,
} from '../../src/client/errors.ts';
import { errorForStatus, parseErrorBody } from '../../src/client/http/failure.ts';
import { backoffMs, parseRetryAfter, retryPolicy } from '../../src/client/http/retry.ts';

const facts = { service: 'Alation', method: 'GET', path: '/integration/flag/' };

describe('error bodies', () => {
  it('flattens nested DRF field errors and keeps non_field_errors', () => {
    const body = parseErrorBody(
      'application/json',
      JSON.stringify({
        subject: { id: ['A valid integer is required.'] },
        flag_type: ['"X" is not a valid choice.'],
        non_field_errors: ['Pick one.'],
      }),
    );
    expect(body.fieldErrors).toEqual({
      'subject.id': ['A valid integer is required.'],
      flag_type: ['"X" is not a valid choice.'],
      non_field_errors: ['Pick one.'],
    });
    expect(body.detail).toBeNull();
  });

  it('reads the detail and code of Alation, OAuth and Mode envelopes', () => {
    const read = (value: unknown) => {
      const { detail, code } = parseErrorBody('application/json', JSON.stringify(value));
      return { detail, code };
    };
    expect(
      read({ detail: 'Authentication credentials were not provided.', code: '403000' }),
    ).toEqual({ detail: 'Authentication credentials were not provided.', code: '403000' });
    expect(read({ error: 'invalid_grant', error_description: 'Invalid code.' })).toEqual({
      detail: 'Invalid code.',
      code: 'invalid_grant',
    });
    expect(read({ error: "Invalid value(s) ['x'] for URL parameter 'id'" })).toEqual({
      detail: "Invalid value(s) ['x'] for URL parameter 'id'",
      code: null,
    });
    expect(read({ id: 'not_found', message: 'ReportRun not found' })).toEqual({
      detail: 'ReportRun not found',
      code: 'not_found',
    });
  });

  it('recognises HTML by content type or by its opening tag', () => {
    expect(parseErrorBody('text/html', 'Service down').html).toBe(true);
    expect(parseErrorBody('text/plain', '  <!DOCTYPE html><html></html>').html).toBe(true);
    expect(parseErrorBody('text/plain', 'Bad Gateway').detail).toBe('Bad Gateway');
  });

  const page = '<html><body><h1>Token abc123 invalid</h1></body></html>';

  it.each([400, 401, 403, 404, 500, 503])('never lets HTML into the message of a %i', (status) => {
    const error = errorForStatus(facts, status, parseErrorBody('text/html', page), null);
    expect(error.kind).toBe('bad_response');
    expect(error.message).not.toMatch(/<|abc123/);
  });

  it('keeps a 429 from an HTML page rate_limited', () => {
    // 429 stays rate_limited even from a proxy page: it still means "slow down".
    expect(errorForStatus(facts, 429, parseErrorBody('text/html', page), 5).kind).toBe(
      'rate_limited',
    );
  });

  it('maps the remaining statuses and narrows through kind', () => {
    const kinds = [400, 401, 403, 404, 409, 500, 504].map(
      (status) => errorForStatus(facts, status, parseErrorBody(null, '{}'), null).kind,
    );
    expect(kinds).toEqual([
      'bad_request',
      'unauthorized',
      'forbidden',
      'not_found',
      'bad_request',
      'server_error',
      'server_error',
    ]);
    const error: unknown = new BadRequestError({ ...facts, fieldErrors: { title: ['Too long.'] } });
    expect(isUpstreamError(error)).toBe(true);
    const fieldsOf = (e: AnyUpstreamError) =>
      e.kind === 'bad_request' ? Object.keys(e.fieldErrors) : [];
    expect(fieldsOf(error as AnyUpstreamError)).toEqual(['title']);
    expect(isUpstreamError(new Error('x'))).toBe(false);
  });

  it('keeps long server details out of the message but in detail', () => {
    const detail = `Table ${'x'.repeat(1000)} not found`;
    const error = new NotFoundError({ ...facts, status: 404, detail });
    expect(error.message.length).toBeLessThan(400);
    expect(error.detail).toBe(detail);
    expect(error.toLog()).toEqual({
      kind: 'not_found',
      service: 'Alation',
      method: 'GET',
      path: '/integration/flag/',
      status: 404,
      code: null,
    });
  });
});

describe('retry timing', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2024-05-01T12:00:00Z');
    expect(parseRetryAfter('12', now)).toBe(12);
    expect(parseRetryAfter('Wed, 01 May 2024 12:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Wed, 01 May 2024 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it('doubles the backoff step up to the ceiling, with jitter in the upper half', () => {
    const low = retryPolicy({ random: () => 0, baseDelayMs: 100, maxDelayMs: 1000 });
    const high = retryPolicy({ random: () => 0.999, baseDelayMs: 100, maxDelayMs: 1000 });
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(low, n))).toEqual([50, 100, 200, 400, 500, 500]);
    expect(backoffMs(high, 3)).toBe(400);
  });
});

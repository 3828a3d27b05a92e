import { describe, expect, it } from 'vitest';
import { boltLogger, scrub, scrubText } from '../../src/log.ts';
import { captureLog } from '../support/log.ts';

describe('log redaction', () => {
  it('hides secret-named fields at any depth, keeps descriptive ones', () => {
    const { log, raw, lines } = captureLog();
    log.info(
      {
        request: {
          headers: { TOKEN: 'alation-access', Authorization: 'Bearer abc', accept: 'json' },
        },
        body: { refresh_token: 'rt-1', user_id: 7, token_expires_at: '2026-01-01' },
        creds: [{ api_access_token: 'aat-1' }],
        clientSecret: 'cs',
        password: 'pw',
      },
      'calling alation',
    );
    for (const secret of ['alation-access', 'abc', 'rt-1', 'aat-1', '"cs"', '"pw"']) {
      expect(raw()).not.toContain(secret);
    }
    const [line] = lines();
    expect(line).toMatchObject({
      request: { headers: { TOKEN: '[REDACTED]', accept: 'json' } },
      body: { refresh_token: '[REDACTED]', user_id: 7, token_expires_at: '2026-01-01' },
    });
  });

  it('hides Slack tokens, auth headers and token query parameters inside text', () => {
    const { log, raw } = captureLog();
    log.warn(
      'posting with xoxb-123-456-abcdef to https://x.test/cb?code=c0de&state=st4te&ok=1 using Basic dXNlcjpwYXNz',
    );
    expect(raw()).not.toMatch(/abcdef|c0de|st4te|dXNlcjpwYXNz/);
    expect(raw()).toContain('ok=1');
  });

  it('hides rotating Slack tokens and refresh tokens inside text', () => {
    const { log, raw } = captureLog();
    log.warn('refreshed xoxe.xoxb-1-MTIz-rotated with xoxe-1-My0xLTE0-refresh; done');
    expect(raw()).not.toMatch(/MTIz|rotated|My0xLTE0|refresh;/);
    expect(raw()).toContain('done');
  });

  it('scrubs error messages and stacks but keeps the error type', () => {
    const { log, lines } = captureLog();
    class UpstreamError extends Error {}
    const err = new UpstreamError('401 for xapp-1-A-secret');
    log.error({ err }, 'failed');
    const [line] = lines();
    expect(line?.err).toMatchObject({ type: 'UpstreamError', message: '401 for [REDACTED]' });
    expect(JSON.stringify(line)).not.toContain('secret');
    // The caller's error object is left untouched.
    expect(err.message).toBe('401 for xapp-1-A-secret');
  });

  it('redacts secrets bound to child loggers', () => {
    const { log, raw } = captureLog();
    log.child({ reqId: 'r-1', token: 'bound-secret', botToken: 'xoxb-9' }).info('hi');
    expect(raw()).not.toContain('bound-secret');
    expect(raw()).not.toContain('xoxb-9');
    expect(raw()).toContain('r-1');
  });

  it('routes Bolt log calls through pino with the same redaction', () => {
    const { log, lines } = captureLog();
    const bolt = boltLogger(log);
    bolt.setLevel('error' as never);
    bolt.debug('still logged: the level is LOG_LEVEL, not Bolt default');
    bolt.error('request failed', new Error('boom with Bearer t0ken'), { token: 'x' });
    const [debug, error] = lines();
    expect(debug).toMatchObject({ level: 20, component: 'bolt' });
    expect(error).toMatchObject({ level: 50, err: { message: 'boom with Bearer [REDACTED]' } });
    expect(JSON.stringify(error)).not.toContain('t0ken');
  });

  it('copes with cycles, buffers and Headers', () => {
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    expect(scrub(cyclic)).toEqual({ name: 'a', self: '[Circular]' });
    expect(scrub({ b: Buffer.from('secret') })).toEqual({ b: '[Buffer 6 bytes]' });
    expect(scrub(new Headers({ token: 't', accept: 'x' }))).toEqual({
      token: '[REDACTED]',
      accept: 'x',
    });
    expect(scrubText('nothing here')).toBe('nothing here');
  });
});

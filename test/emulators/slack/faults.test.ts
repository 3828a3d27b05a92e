// 429s and injected errors from the shared fault vocabulary (slack/faults.ts).
import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import {
  slackError,
  useSlackEmulatorSuite,
  type WebClient,
} from '../../support/slack-emulator-suite.ts';
import { SLACK_DEFAULTS } from '../slack.ts';

const t = useSlackEmulatorSuite();

describe('faults', () => {
  it('answers 429 with Retry-After, which WebClient waits out and retries', async () => {
    t.emu.fault({ path: '/api/chat.postMessage', status: 429, retryAfter: 1, times: 1 });
    const retrying = t.newClient(t.emu.botToken, {
      retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 10 },
    });
    const started = Date.now();
    const res = await retrying.chat.postMessage({
      channel: SLACK_DEFAULTS.channelId,
      text: 'after the limit',
    });
    expect(res.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(t.emu.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    expect(t.emu.messages()).toHaveLength(1);

    t.emu.fault({ path: '/api/chat.postMessage', status: 429, retryAfter: 7 });
    const impatient = t.newClient(t.emu.botToken, { rejectRateLimitedCalls: true });
    await expect(
      impatient.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'x' }),
    ).rejects.toMatchObject({
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
  });

  it('injects Slack errors for the next calls of a method', async () => {
    t.emu.fault({ path: '/api/chat.postMessage', error: 'internal_error', times: 1 });
    expect(
      await slackError(t.client.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'x' })),
    ).toBe('internal_error');
    expect(
      (await t.client.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'x' })).ok,
    ).toBe(true);
  });

  it('checks a rate limit before the token and an error fault after it; a new fault replaces the last', async () => {
    const stranger = t.newClient('xoxb-not-ours');
    const limit = t.emu.fault({ path: '/api/chat.postMessage', status: 429, retryAfter: 3 });
    await expect(
      t.newClient('xoxb-not-ours', { rejectRateLimitedCalls: true }).chat.postMessage({
        channel: SLACK_DEFAULTS.channelId,
        text: 'x',
      }),
    ).rejects.toMatchObject({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 3 });
    expect(limit).toMatchObject({ hits: 1, remaining: 0 });

    t.emu.fault({ path: '/api/chat.postMessage', error: 'internal_error' });
    const replaced = t.emu.fault({ path: '/api/chat.postMessage', error: 'fatal_error', times: 2 });
    const post = (c: WebClient) =>
      slackError(c.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'x' }));
    expect(await post(stranger)).toBe('invalid_auth');
    expect(replaced).toMatchObject({ hits: 0, remaining: 2 });
    expect(await post(t.client)).toBe('fatal_error');
    replaced.remove();
    expect(
      (await t.client.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'x' })).ok,
    ).toBe(true);
    expect(() => t.emu.fault({ path: '/api/', error: 'x' })).toThrow(/\/api\/<method>/);
  });
});

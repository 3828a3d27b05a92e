// Enforced rate tiers (slack/rate-limit.ts): per workspace and per channel, over a sliding
// window, answered 429 with Retry-After as Slack does.
import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { useSlackEmulatorSuite } from '../../support/slack-emulator-suite.ts';
import { SLACK_DEFAULTS } from '../slack.ts';

const t = useSlackEmulatorSuite();

describe('rate tiers', () => {
  it('lets the workspace limit through per window, then answers 429 with Retry-After', async () => {
    const tier = t.emu.rateLimit({ method: 'chat.postMessage', perWorkspace: 3, windowMs: 60_000 });
    const client = t.newClient(t.emu.botToken, { rejectRateLimitedCalls: true });
    for (const user of ['U1', 'U2', 'U3']) {
      t.emu.addUser({ id: user, name: user });
      await client.chat.postMessage({ channel: user, text: 'hi' });
    }
    t.emu.addUser({ id: 'U4', name: 'U4' });
    await expect(client.chat.postMessage({ channel: 'U4', text: 'hi' })).rejects.toMatchObject({
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 60,
    });
    expect(tier).toMatchObject({ passed: 3, rejected: 1 });
    expect(t.emu.messages()).toHaveLength(3);
    // Other methods are not limited by it.
    await client.conversations.info({ channel: SLACK_DEFAULTS.channelId });
  });

  it('limits one channel without holding back the others', async () => {
    t.emu.rateLimit({ method: 'chat.postMessage', perChannel: 1, windowMs: 1_000 });
    const client = t.newClient(t.emu.botToken, { rejectRateLimitedCalls: true });
    t.emu.addUser({ id: 'U9', name: 'u9' });
    await client.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'one' });
    await expect(
      client.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'two' }),
    ).rejects.toMatchObject({ retryAfter: 1 });
    await client.chat.postMessage({ channel: 'U9', text: 'elsewhere' });
  });

  it('is waited out by a WebClient that retries, so every message arrives once', async () => {
    t.emu.rateLimit({ method: 'chat.postMessage', perWorkspace: 2, windowMs: 1_000 });
    const client = t.newClient(t.emu.botToken, {
      retryConfig: { retries: 5, minTimeout: 0, maxTimeout: 10 },
    });
    await Promise.all(
      ['a', 'b', 'c'].map((text) =>
        client.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text }),
      ),
    );
    expect(
      t.emu
        .messages()
        .map((m) => m.text)
        .sort(),
    ).toEqual(['a', 'b', 'c']);
    expect(
      t.emu.callsTo('chat.postMessage').filter((c) => c.status === 429).length,
    ).toBeGreaterThan(0);
  });
});

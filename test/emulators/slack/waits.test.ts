// Waiting for the app (slack/waits.ts).
import { describe, expect, it } from 'vitest';
import { useSlackEmulatorSuite } from '../../support/slack-emulator-suite.ts';
import { SLACK_DEFAULTS } from '../slack.ts';

const t = useSlackEmulatorSuite();

describe('waits', () => {
  it('waitFor resolves once the app has made the calls, and times out with what it saw', async () => {
    setTimeout(() => {
      void t.client.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'later 1' });
      void t.client.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'later 2' });
    }, 50);
    const calls = await t.emu.waitFor('chat.postMessage', { count: 2, timeoutMs: 2000 });
    expect(calls.map((c) => c.args.text).sort()).toEqual(['later 1', 'later 2']);

    const [byPredicate] = await t.emu.waitFor((c) => c.args.text === 'later 2');
    expect(byPredicate?.method).toBe('chat.postMessage');

    setTimeout(() => {
      void fetch(t.emu.responseUrl(), {
        method: 'POST',
        body: JSON.stringify({ text: 'async respond' }),
      });
    }, 20);
    const response = await t.emu.waitUntil(() => t.emu.responses.find((r) => r.status === 200));
    expect(response.body).toEqual({ text: 'async respond' });

    await expect(t.emu.waitFor('views.open', { timeoutMs: 100 })).rejects.toThrow(
      /waitFor\(views\.open, count 1\).*chat\.postMessage/,
    );
  });
});

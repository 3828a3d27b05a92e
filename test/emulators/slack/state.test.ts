// What reset() forgets and keeps (slack/state.ts).
import { describe, expect, it } from 'vitest';
import { useSlackEmulatorSuite } from '../../support/slack-emulator-suite.ts';
import { SLACK_DEFAULTS } from '../slack.ts';

const t = useSlackEmulatorSuite();

describe('reset', () => {
  it('reset forgets traffic but keeps seeded users and channels', async () => {
    await t.client.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'x' });
    t.emu.reset();
    expect(t.emu.calls).toHaveLength(0);
    expect(t.emu.messages()).toHaveLength(0);
    expect((await t.client.users.info({ user: 'U0BOB00001' })).ok).toBe(true);
  });
});

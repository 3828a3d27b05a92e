// auth.test (slack/auth.ts).
import { describe, expect, it } from 'vitest';
import { useSlackEmulatorSuite } from '../../support/slack-emulator-suite.ts';
import { SLACK_DEFAULTS } from '../slack.ts';

const t = useSlackEmulatorSuite();

describe('auth', () => {
  it('answers auth.test with the bot identity and records the token', async () => {
    const res = await t.client.auth.test();
    expect(res).toMatchObject({
      ok: true,
      team_id: SLACK_DEFAULTS.teamId,
      user_id: t.emu.botUserId,
      bot_id: t.emu.botId,
      url: `https://${SLACK_DEFAULTS.teamDomain}.slack.com/`,
    });
    expect(t.emu.callsTo('auth.test')).toHaveLength(1);
    expect(t.emu.calls[0]).toMatchObject({
      method: 'auth.test',
      token: t.emu.botToken,
      status: 200,
    });
  });
});

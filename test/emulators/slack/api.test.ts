// A Web API call as the emulator decodes it: tokens in the header or a form field, JSON
// bodies, unknown methods (slack/api.ts).
import { describe, expect, it } from 'vitest';
import { slackError, useSlackEmulatorSuite } from '../../support/slack-emulator-suite.ts';
import { SLACK_DEFAULTS } from '../slack.ts';

const t = useSlackEmulatorSuite();

describe('Web API calls', () => {
  it('rejects a wrong token with invalid_auth and a missing one with not_authed', async () => {
    expect(await slackError(t.newClient('xoxb-nope').auth.test())).toBe('invalid_auth');
    expect(
      await slackError(t.newClient(undefined).chat.postMessage({ channel: 'C1', text: 'x' })),
    ).toBe('not_authed');
  });

  it('accepts the token as a form field, as Slack does for form posts', async () => {
    const res = await fetch(`${t.emu.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: t.emu.botToken }).toString(),
    });
    expect(await res.json()).toMatchObject({ ok: true, user_id: t.emu.botUserId });
    expect(t.emu.calls[0]?.args).not.toHaveProperty('token');
  });

  it('parses JSON bodies, which must carry the token in the header', async () => {
    const post = (headers: Record<string, string>, body: object) =>
      fetch(`${t.emu.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
        body: JSON.stringify(body),
      }).then((r) => r.json());
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }];
    expect(
      await post(
        { authorization: `Bearer ${t.emu.botToken}` },
        { channel: SLACK_DEFAULTS.channelId, text: 'hi', blocks },
      ),
    ).toMatchObject({ ok: true });
    expect(t.emu.callsTo('chat.postMessage')[0]?.args).toEqual({
      channel: SLACK_DEFAULTS.channelId,
      text: 'hi',
      blocks,
    });
    expect(
      await post({}, { token: t.emu.botToken, channel: SLACK_DEFAULTS.channelId, text: 'hi' }),
    ).toMatchObject({
      ok: false,
      error: 'not_authed',
    });
  });

  it('records unknown methods and answers unknown_method', async () => {
    expect(await slackError(t.client.apiCall('reactions.add', { name: 'eyes' }))).toBe(
      'unknown_method',
    );
    expect(t.emu.callsTo('reactions.add')).toMatchObject([
      { args: { name: 'eyes' }, response: { error: 'unknown_method' } },
    ]);
  });
});

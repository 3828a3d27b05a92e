// OAuth installs (slack/installs.ts): oauth.v2.access code exchange and refresh grants, and
// tokens that answer (and are recorded) as their own workspace or org.
import { describe, expect, it } from 'vitest';
import { slackError, useSlackEmulatorSuite } from '../../support/slack-emulator-suite.ts';

const t = useSlackEmulatorSuite();

const exchange = (code: string, secret = t.emu.installs.clientSecret) =>
  t.newClient(undefined).oauth.v2.access({
    client_id: t.emu.installs.clientId,
    client_secret: secret,
    code,
  });

describe('oauth.v2.access', () => {
  it('exchanges a code once for a workspace bot token that answers as that workspace', async () => {
    const code = t.emu.authorizeInstall({ teamId: 'T0W1', teamName: 'One', userId: 'U0ADMIN1' });
    const res = await exchange(code);
    expect(res).toMatchObject({
      ok: true,
      token_type: 'bot',
      team: { id: 'T0W1', name: 'One' },
      enterprise: null,
      is_enterprise_install: false,
      authed_user: { id: 'U0ADMIN1' },
    });
    expect(res.refresh_token).toBeUndefined();
    expect(await slackError(exchange(code))).toBe('invalid_code');

    const bot = t.newClient(res.access_token);
    expect(await bot.auth.test()).toMatchObject({ team_id: 'T0W1', user_id: res.bot_user_id });
    await bot.chat.postMessage({ channel: 'C0CHAN0001', text: 'hi' });
    expect(t.emu.callsTo('chat.postMessage')[0]).toMatchObject({
      token: res.access_token,
      teamId: 'T0W1',
    });
  });

  it('gives an org-wide install a token with no team', async () => {
    const code = t.emu.authorizeInstall({
      enterpriseId: 'E0ORG1',
      enterpriseName: 'Org',
      isEnterpriseInstall: true,
    });
    const res = await exchange(code);
    expect(res).toMatchObject({
      team: null,
      enterprise: { id: 'E0ORG1', name: 'Org' },
      is_enterprise_install: true,
    });
    expect(await t.newClient(res.access_token).auth.test()).toMatchObject({
      enterprise_id: 'E0ORG1',
      is_enterprise_install: true,
    });
  });

  it('refuses a wrong client secret and an unknown grant type', async () => {
    const code = t.emu.authorizeInstall({ teamId: 'T0W1' });
    expect(await slackError(exchange(code, 'wrong'))).toBe('bad_client_secret');
    expect(
      await slackError(
        t.newClient(undefined).oauth.v2.access({
          client_id: t.emu.installs.clientId,
          client_secret: t.emu.installs.clientSecret,
          grant_type: 'password' as 'refresh_token',
        }),
      ),
    ).toBe('invalid_grant_type');
  });

  it('with rotation, refreshes once per refresh token and expires tokens', async () => {
    const code = t.emu.authorizeInstall({ teamId: 'T0W2', rotation: { expiresInSeconds: 1 } });
    const first = await exchange(code);
    expect(first.access_token?.startsWith('xoxe.xoxb-')).toBe(true);
    expect(first.expires_in).toBe(1);
    const refresh = () =>
      t.newClient(undefined).oauth.v2.access({
        client_id: t.emu.installs.clientId,
        client_secret: t.emu.installs.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token ?? '',
      });
    const renewed = await refresh();
    expect(renewed).toMatchObject({ ok: true, token_type: 'bot', expires_in: 43_200 });
    expect(renewed.access_token).not.toBe(first.access_token);
    expect(await slackError(refresh())).toBe('invalid_refresh_token');
    expect(t.emu.installs.refreshes.map((r) => r.ok)).toEqual([true, false]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await slackError(t.newClient(first.access_token).auth.test())).toBe('token_expired');
    expect(await t.newClient(renewed.access_token).auth.test()).toMatchObject({ team_id: 'T0W2' });
  });

  it('stops answering a workspace’s tokens once it is uninstalled', async () => {
    const res = await exchange(t.emu.authorizeInstall({ teamId: 'T0W3' }));
    expect(t.emu.revokeInstall({ teamId: 'T0W3' })).toBe(1);
    expect(await slackError(t.newClient(res.access_token).auth.test())).toBe('invalid_auth');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slashCommand, viewSubmission } from '../driver.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { openedView, textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(() => t.stop());

async function run(text: string) {
  const responseUrl = t.slack.responseUrl();
  const ack = await slashCommand(t.target, { text, response_url: responseUrl });
  expect(ack.status).toBe(200);
  return { ack, reply: () => nextResponse(t, responseUrl) };
}

describe('/alation whoami', () => {
  it('says nothing is connected and offers Connect', async () => {
    const reply = await (await run('whoami')).reply();
    expect(textOf(reply)).toContain('Alation:* not connected');
    expect(textOf(reply)).toContain('Mode:* not connected');
    expect(JSON.stringify(reply)).toContain('"action_id":"alation_connect"');
  });

  it('shows the Alation user and the refresh token expiry in the user’s zone, never a token', async () => {
    const { refreshToken } = t.alation.addUser({
      id: 7,
      refreshTokenExpiresAt: new Date('2027-03-01T12:00:00Z'),
    });
    await t.features.credentials.save(
      DEFAULT_OWNER,
      'alation',
      { method: 'refresh_token', alationUserId: 7, refreshToken },
      {
        method: 'refresh_token',
        alationUserId: 7,
        tokenName: 'slack',
        refreshTokenExpiresAt: '2027-03-01T12:00:00.000Z',
      },
    );
    const reply = await (await run('whoami')).reply();
    const text = textOf(reply);
    expect(text).toContain('connected as Alation user 7 with refresh token “slack”');
    expect(text).toContain('expires Mon 1 Mar 2027, 13:00 UTC+01:00');
    expect(JSON.stringify(reply)).not.toContain(refreshToken);
    expect(JSON.stringify(reply)).not.toContain('alation_connect');
  });

  it('says when the connection needs renewing', async () => {
    await t.connectAlation(DEFAULT_OWNER, 7);
    await t.features.credentials.markReconnect(DEFAULT_OWNER, 'alation', 'refresh_token_invalid');
    const reply = await (await run('whoami')).reply();
    expect(textOf(reply)).toContain(
      'needs reconnecting: Alation no longer accepts your refresh token',
    );
    expect(JSON.stringify(reply)).toContain('Reconnect Alation');
  });
});

describe('/alation logout', () => {
  it('revokes the access tokens the bot minted, deletes the credential, and says what is left to do', async () => {
    const { refreshToken } = await t.connectAlation(DEFAULT_OWNER, 7);
    const reply = await (await run('logout')).reply();
    expect(textOf(reply)).toContain('Disconnected from Alation');
    expect(textOf(reply)).toContain('access tokens the bot used revoked');
    expect(textOf(reply)).toContain('You were not connected to Mode.');
    const [revoke] = t.alation.requestsTo('POST', '/integration/v1/revokeAPIAccessTokens/');
    expect(revoke?.body).toEqual({ refresh_token: refreshToken, user_id: 7 });
    expect(await t.db.query('SELECT 1 FROM credentials')).toEqual([]);
  });

  it('still deletes the credential when Alation cannot be reached, and says so', async () => {
    await t.connectAlation(DEFAULT_OWNER, 7);
    t.alation.fault({
      path: '/integration/v1/revokeAPIAccessTokens/',
      drop: true,
      times: Infinity,
    });
    const reply = await (await run('logout alation')).reply();
    expect(textOf(reply)).toContain('could not be reached to revoke');
    expect(await t.db.query('SELECT 1 FROM credentials')).toEqual([]);
  });

  it('explains an argument it does not know', async () => {
    const { ack } = await run('logout everything');
    expect(ack.body).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(ack.body)).toContain('`everything` is neither');
  });
});

describe('/alation mode login', () => {
  async function submitMode(fields: { workspace: string; token: string; secret: string }) {
    await slashCommand(t.target, { text: 'mode login' });
    const view = await openedView(t, 'mode_login');
    return viewSubmission(t.target, {
      view: {
        ...view,
        state: {
          values: {
            mode_workspace: { value: fields.workspace },
            mode_token: { value: fields.token },
            mode_secret: { value: fields.secret },
          },
        },
      },
    });
  }

  it('checks the token against the workspace, stores it and confirms', async () => {
    t.mode.addWorkspace('acme', { name: 'Acme Analytics' });
    const api = t.mode.addApiToken({ workspaces: ['acme'] });
    const ack = await submitMode({ workspace: 'acme', token: api.token, secret: api.secret });
    expect(ack.raw).toBe('');
    const [check] = t.mode.requestsTo('GET', '/api/acme');
    expect(check?.headers.authorization).toBe(api.authorization);
    const [row] = await t.db.query<{ provider: string; profile: Record<string, string> }>(
      'SELECT provider, profile FROM credentials',
    );
    expect(row).toEqual({
      provider: 'mode',
      profile: { workspace: 'acme', name: 'Acme Analytics' },
    });
    const [dm] = await t.slack.waitFor('chat.postMessage');
    expect(dm?.args.channel).toBe(DEFAULT_OWNER.userId);
    expect(textOf(dm?.args)).toContain('Connected to Mode');
  });

  it.each([
    ['a wrong secret', 'acme', 'WRONG', { mode_token: /did not accept/, mode_secret: /secret/ }],
    ['an unknown workspace', 'nope', 'GOOD', { mode_workspace: /No Mode workspace “nope”/ }],
    ['an empty workspace', '', 'GOOD', { mode_workspace: /Enter the workspace name/ }],
  ])('refuses %s inline and stores nothing', async (_case, workspace, secret, expected) => {
    t.mode.addWorkspace('acme');
    const api = t.mode.addApiToken({ workspaces: ['acme'] });
    const ack = await submitMode({
      workspace,
      token: api.token,
      secret: secret === 'GOOD' ? api.secret : secret,
    });
    const body = ack.body as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    for (const [field, pattern] of Object.entries(expected))
      expect(body.errors[field]).toMatch(pattern);
    expect(await t.db.query('SELECT 1 FROM credentials')).toEqual([]);
  });

  it('explains `/alation mode` without login', async () => {
    const { ack } = await run('mode');
    expect(textOf(ack.body)).toContain('/alation mode login');
  });
});

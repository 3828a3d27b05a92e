import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slashCommand } from '../driver.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { openedView, textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

let t: TestBot;
const CLIENT = { clientId: 'slack-bot', clientSecret: 'client-secret-123' };

beforeEach(async () => {
  t = await startTestBot({ oauth: CLIENT });
  t.alation.addOAuthClient({ ...CLIENT, redirectUris: [`${t.origin}/oauth/alation/callback`] });
  t.alation.addUser({ id: 7 });
});
afterEach(() => t.stop());

/** The form bodies the app sent to the token endpoint. */
const tokenRequests = () =>
  t.alation
    .requestsTo('POST', '/oauth/v1/token/')
    .map((r) => Object.fromEntries(new URLSearchParams(String(r.body))));

/** Opens the modal and returns the "Sign in with Alation" link in it. */
async function signInLink(responseUrl?: string): Promise<string> {
  await slashCommand(t.target, {
    text: 'login',
    ...(responseUrl ? { response_url: responseUrl } : {}),
  });
  const view = await openedView(t);
  const [actions] = (view.blocks as { type: string; elements?: { url?: string }[] }[]).filter(
    (b) => b.type === 'actions',
  );
  const url = actions?.elements?.[0]?.url;
  if (!url) throw new Error('no sign-in link in the modal');
  return url;
}

/** What the person's browser does: authorize at Alation (as user 7), follow the redirect back. */
async function browse(link: string, extra = 'emulator_user_id=7') {
  const authorize = await fetch(`${link}&${extra}`, { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const callback = authorize.headers.get('location') ?? '';
  const page = await fetch(callback, { redirect: 'manual' });
  return { callback, status: page.status, html: await page.text() };
}

describe('Sign in with Alation (OAuth 2.0 + PKCE)', () => {
  it('offers a sign-in button instead of the token form, with state and an S256 challenge', async () => {
    const link = new URL(await signInLink());
    expect(`${link.origin}${link.pathname}`).toBe(`${t.alation.url}/oauth/v1/authorize/`);
    expect(Object.fromEntries(link.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'slack-bot',
      redirect_uri: `${t.origin}/oauth/alation/callback`,
      code_challenge_method: 'S256',
      state: expect.stringMatching(/^[\w-]{40,}$/),
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
    });
    // Only a hash of the state is stored.
    const [row] = await t.db.query<{ state_hash: string }>('SELECT state_hash FROM oauth_states');
    expect(row?.state_hash).not.toBe(link.searchParams.get('state'));
  });

  it('signs in, stores the tokens for the Slack user, confirms, and later calls carry the bearer token', async () => {
    const responseUrl = t.slack.responseUrl();
    const { status, html } = await browse(await signInLink(responseUrl));
    expect(status).toBe(200);
    expect(html).toContain('Connected to Alation');

    const [token] = tokenRequests();
    expect(token).toMatchObject({
      grant_type: 'authorization_code',
      code_verifier: expect.stringMatching(/^[\w-]{43}$/),
    });
    const [row] = await t.db.query<{ user_id: string; profile: { method: string } }>(
      'SELECT user_id, profile FROM credentials',
    );
    expect(row).toEqual({
      user_id: DEFAULT_OWNER.userId,
      profile: expect.objectContaining({ method: 'oauth' }),
    });
    expect(textOf(await nextResponse(t, responseUrl))).toContain('Connected to Alation');
    const [update] = await t.slack.waitFor('views.update');
    expect(update?.args.external_id).toMatch(/^alation-login-/);

    const source = t.alation.addDataSource();
    const query = t.alation.addQuery({ datasourceId: source.id, content: 'SELECT 1' });
    const sqlUrl = t.slack.responseUrl();
    await slashCommand(t.target, { text: `sql ${query.id}`, response_url: sqlUrl });
    expect((await nextResponse(t, sqlUrl)).response_type).toBe('in_channel');
    const [call] = t.alation.requestsTo('GET', `/integration/v1/query/${query.id}/sql/`);
    expect(call?.userId).toBe(7);
    expect(call?.headers.authorization).toMatch(/^Bearer /);
  });

  it('refreshes an expired OAuth access token with the refresh grant', async () => {
    await browse(await signInLink());
    const [issued] = t.alation.state.oauthTokens;
    t.alation.expireOAuthAccessToken(issued?.accessToken ?? '');
    const source = t.alation.addDataSource();
    const query = t.alation.addQuery({ datasourceId: source.id, content: 'SELECT 1' });
    const sqlUrl = t.slack.responseUrl();
    await slashCommand(t.target, { text: `sql ${query.id}`, response_url: sqlUrl });
    expect((await nextResponse(t, sqlUrl)).response_type).toBe('in_channel');
    const grants = tokenRequests().map((r) => r.grant_type);
    expect(grants).toEqual(['authorization_code', 'refresh_token']);
  });

  it('refuses a state that was already used', async () => {
    const { callback } = await browse(await signInLink());
    const again = await fetch(callback);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('already been used');
    expect(t.alation.requestsTo('POST', '/oauth/v1/token/')).toHaveLength(1);
  });

  it('refuses an expired state and stores nothing', async () => {
    const link = await signInLink();
    await t.db.query(`UPDATE oauth_states SET expires_at = now() - interval '1 second'`);
    const { status, html } = await browse(link);
    expect(status).toBe(400);
    expect(html).toContain('has expired (links last 10 minutes)');
    expect(t.alation.requestsTo('POST', '/oauth/v1/token/')).toEqual([]);
    expect(await t.db.query('SELECT 1 FROM credentials')).toEqual([]);
  });

  it('refuses an unknown state, and says so when the person declined at Alation', async () => {
    const unknown = await fetch(`${t.origin}/oauth/alation/callback?code=x&state=made-up`);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('not valid');
    const declined = await browse(await signInLink(), 'emulator_user_id=7&emulator_consent=deny');
    expect(declined.status).toBe(400);
    expect(declined.html).toContain('Sign-in cancelled');
    expect(await t.db.query('SELECT 1 FROM credentials')).toEqual([]);
  });
});

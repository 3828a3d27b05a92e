import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginCommand } from '../../src/commands/login.ts';
import { blockAction, slashCommand, viewSubmission } from '../driver.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { openedView, textOf } from '../support/flows.ts';

let t: TestBot;
afterEach(() => t.stop());

async function openLogin(responseUrl?: string) {
  const ack = await slashCommand(t.target, {
    text: 'login',
    ...(responseUrl ? { response_url: responseUrl } : {}),
  });
  expect(ack.status).toBe(200);
  return openedView(t, 'alation_login');
}

const submit = (view: Record<string, unknown> & { id: string }, userId: string, token: string) =>
  viewSubmission(t.target, {
    view: {
      ...view,
      state: {
        values: { alation_user_id: { value: userId }, alation_refresh_token: { value: token } },
      },
    },
  });

const storedRows = () => t.db.query<{ user_id: string }>('SELECT user_id FROM credentials');

describe('/alation login with a refresh token', () => {
  beforeEach(async () => {
    t = await startTestBot();
  });

  it('opens a modal asking for the user id (with the profile-URL hint) and the refresh token', async () => {
    const view = await openLogin();
    const text = textOf(view);
    expect(text).toContain('Alation user ID');
    expect(text).toContain(`${t.alation.url.replace('http://', '')}/user/42/ → 42`);
    expect(text).toContain('Refresh token');
    const blocks = view.blocks as { block_id: string; element?: { multiline?: boolean } }[];
    expect(blocks.find((b) => b.block_id === 'alation_refresh_token')?.element?.multiline).toBe(
      true,
    );
  });

  it('checks the token with Alation, stores it, closes the modal and confirms with the expiry in the user’s zone', async () => {
    const { refreshToken } = t.alation.addUser({
      id: 7,
      refreshTokenExpiresAt: new Date('2027-01-19T08:00:00Z'),
    });
    const responseUrl = t.slack.responseUrl();
    const view = await openLogin(responseUrl);
    // Pasted with a line break in the middle and spaces around: still the same token.
    const pasted = `  ${refreshToken.slice(0, 10)}\n${refreshToken.slice(10)}  `;
    const ack = await submit(view, ' 7 ', pasted);
    expect(ack.status).toBe(200);
    expect(ack.raw).toBe('');

    const validated = t.alation.requestsTo('POST', '/integration/v1/validateRefreshToken/');
    expect(validated.map((r) => r.body)).toEqual([{ refresh_token: refreshToken, user_id: 7 }]);
    expect(t.alation.requestsTo('POST', '/integration/v1/createAPIAccessToken/')).toHaveLength(1);
    expect(await storedRows()).toEqual([{ user_id: DEFAULT_OWNER.userId }]);

    const [confirmation] = await t.slack.waitUntil(() => {
      const posts = t.slack.responsesTo(responseUrl);
      return posts.length > 0 ? posts : undefined;
    });
    const text = textOf(confirmation?.body);
    expect(text).toContain('Connected to Alation');
    expect(text).toContain('Alation user 7');
    // The emulator's user is in Europe/Berlin: 08:00 UTC is 09:00 there.
    expect(text).toContain('Tue 19 Jan 2027, 09:00 UTC+01:00');
    expect(text).not.toContain(refreshToken);
  });

  it.each([
    [
      'a user id that is not a number',
      'seven',
      'GOOD',
      { alation_user_id: /numeric Alation user ID/ },
    ],
    ['an empty token', '7', '   ', { alation_refresh_token: /Paste the refresh token/ }],
    [
      'a token Alation does not know',
      '7',
      'not-a-real-token',
      {
        alation_user_id: /Is 7 your own user ID/,
        alation_refresh_token: /did not accept this refresh token/,
      },
    ],
    [
      'another user’s id',
      '8',
      'GOOD',
      { alation_user_id: /Is 8 your own user ID/, alation_refresh_token: /did not accept/ },
    ],
  ])('refuses %s inline and stores nothing', async (_case, userId, token, expected) => {
    const { refreshToken } = t.alation.addUser({ id: 7 });
    t.alation.addUser({ id: 8 });
    const view = await openLogin();
    const ack = await submit(view, userId, token === 'GOOD' ? refreshToken : token);
    expect(ack.status).toBe(200);
    const body = ack.body as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors).sort()).toEqual(Object.keys(expected).sort());
    for (const [field, pattern] of Object.entries(expected)) {
      expect(body.errors[field]).toMatch(pattern);
    }
    expect(await storedRows()).toEqual([]);
  });

  it('refuses an expired refresh token on the token field', async () => {
    const { refreshToken } = t.alation.addUser({ id: 7 });
    t.alation.expireRefreshToken(7);
    const ack = await submit(await openLogin(), '7', refreshToken);
    expect(ack.body).toMatchObject({
      response_action: 'errors',
      errors: { alation_refresh_token: expect.stringMatching(/This refresh token has expired/) },
    });
    expect(t.alation.requestsTo('POST', '/integration/v1/createAPIAccessToken/')).toEqual([]);
    expect(await storedRows()).toEqual([]);
  });

  it('refuses a {"status": "failed"} answer', async () => {
    const { refreshToken } = t.alation.addUser({ id: 7 });
    t.alation.knobs.statusFailedOn = ['validateRefreshToken'];
    const ack = await submit(await openLogin(), '7', refreshToken);
    expect(ack.body).toMatchObject({
      errors: {
        alation_refresh_token: expect.stringMatching(/Alation could not validate this token/),
      },
    });
    expect(await storedRows()).toEqual([]);
  });

  it.each([
    ['unreachable', { drop: true as const }, /Could not reach Alation/],
    ['an HTML error page', { html: true as const, status: 502 }, /HTML page \(status 502\)/],
  ])('says so inline when Alation is %s', async (_case, fault, message) => {
    const { refreshToken } = t.alation.addUser({ id: 7 });
    t.alation.fault({ path: '/integration/v1/validateRefreshToken/', times: Infinity, ...fault });
    const ack = await submit(await openLogin(), '7', refreshToken);
    expect(ack.body).toMatchObject({
      response_action: 'errors',
      errors: { alation_refresh_token: expect.stringMatching(message) },
    });
    expect((ack.body as { errors: Record<string, string> }).errors.alation_refresh_token).toContain(
      'Nothing was saved',
    );
    expect(await storedRows()).toEqual([]);
  });
});

describe('a slow Alation during login', () => {
  it('answers Slack in time with a progress view, then shows the outcome', async () => {
    t = await startTestBot({
      commands: (defaults) =>
        defaults.map((c) =>
          c.name === 'login'
            ? loginCommand(
                {
                  features: async () => t.features,
                  alationBaseUrl: t.alation.url,
                  oauthEnabled: false,
                },
                { ackBudgetMs: 100 },
              )
            : c,
        ),
    });
    const { refreshToken } = t.alation.addUser({ id: 7 });
    t.alation.fault({ path: '/integration/v1/validateRefreshToken/', latencyMs: 400 });
    const view = await openLogin();
    const ack = await submit(view, '7', refreshToken);
    expect(ack.body).toMatchObject({
      response_action: 'update',
      view: { blocks: [{ text: { text: expect.stringContaining('Checking your token') } }] },
    });
    const [update] = await t.slack.waitFor('views.update');
    expect(update?.args.view_id).toBe(view.id);
    expect(textOf(update?.args.view)).toContain('Connected to Alation');
    expect(await storedRows()).toEqual([{ user_id: DEFAULT_OWNER.userId }]);
  });
});

describe('the Connect button', () => {
  it('opens the login modal from any prompt', async () => {
    t = await startTestBot();
    const ack = await blockAction(t.target, {
      actions: [{ action_id: 'alation_connect', value: 'alation' }],
      trigger_id: 'T.connect.1',
    });
    expect(ack.status).toBe(200);
    const [open] = await t.slack.waitFor('views.open');
    expect(open?.args.trigger_id).toBe('T.connect.1');
    expect(open?.args.view).toMatchObject({ callback_id: 'alation_login' });
  });
});

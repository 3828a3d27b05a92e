// Rotating bot tokens (token_rotation_enabled, issue 19): a token close to expiry is refreshed
// with oauth.v2.access (grant_type=refresh_token) before it is used, once across replicas —
// a refresh token works once, so a second refresh would lose the installation.
import { afterEach, describe, expect, it } from 'vitest';
import { REFRESH_AHEAD_MS } from '../../src/slack/token-rotation.ts';
import { slashCommand } from '../driver.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { install } from '../support/install.ts';

const bots: TestBot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

const A = { teamId: 'T0ALPHA001', teamName: 'Alpha' };

/** Two replicas of one deployment: same database, keys and Slack. */
async function replicas() {
  const first = await startTestBot({ slackOAuth: true });
  bots.push(first);
  const second = await startTestBot({ slackOAuth: true, reuse: first });
  bots.push(second);
  return [first, second] as const;
}

const expiresAt = async (t: TestBot) =>
  (
    await t.db.query<{ bot_expires_at: Date | string }>(
      'SELECT bot_expires_at FROM slack_installations',
    )
  ).map((r) => new Date(r.bot_expires_at).getTime())[0] ?? 0;

describe('a rotating bot token', () => {
  it('is refreshed once when two replicas need it at the same moment', async () => {
    const [one, two] = await replicas();
    // An hour left: inside the two-hour margin, so the first use refreshes it.
    const installed = await install(one, { ...A, rotation: { expiresInSeconds: 3600 } });
    expect(installed.status).toBe(200);
    expect(installed.token?.startsWith('xoxe.xoxb-')).toBe(true);
    const before = await expiresAt(one);

    const acks = await Promise.all(
      [one, two, one, two].map((bot) =>
        slashCommand(bot.target, {
          text: 'login',
          team_id: A.teamId,
          trigger_id: bot.slack.triggerId(),
        }),
      ),
    );
    for (const ack of acks) expect(ack.status).toBe(200);
    const background = await Promise.all([
      one.bot.clients.forTenant(A.teamId),
      two.bot.clients.forTenant(A.teamId),
    ]);
    const opened = await one.slack.waitFor('views.open', { count: 4 });

    expect(one.slack.installs.refreshes).toHaveLength(1);
    expect(one.slack.installs.refreshes[0]?.ok).toBe(true);
    const fresh = [...one.slack.installs.tokens.keys()].filter((k) => k !== installed.token);
    expect(fresh).toHaveLength(1);
    for (const call of opened) {
      expect(call.token).toBe(fresh[0]);
      expect(call.status).toBe(200);
    }
    for (const client of background) {
      const me = await client?.auth.test();
      expect(me?.team_id).toBe(A.teamId);
    }
    expect(one.slack.callsTo('auth.test').at(-1)?.token).toBe(fresh[0]);
    // The new expiry is stored (rotation's 3600 s again here, from the refresh time).
    expect(await expiresAt(one)).toBeGreaterThan(before);
    // Sealed: neither the new token nor its refresh token is in the table in plain text.
    const dump = JSON.stringify(
      (await one.db.query<{ secret: Uint8Array }>('SELECT secret FROM slack_installations')).map(
        (r) => Buffer.from(r.secret).toString('latin1'),
      ),
    );
    expect(dump).not.toContain('xoxe');
  });

  it('is left alone while more than the margin is left', async () => {
    const [one] = await replicas();
    const installed = await install(one, {
      ...A,
      rotation: { expiresInSeconds: (REFRESH_AHEAD_MS / 1000) * 3 },
    });
    await slashCommand(one.target, {
      text: 'login',
      team_id: A.teamId,
      trigger_id: one.slack.triggerId(),
    });
    const [opened] = await one.slack.waitFor('views.open');
    expect(opened?.token).toBe(installed.token);
    expect(one.slack.installs.refreshes).toHaveLength(0);
    expect(await one.bot.clients.refreshDue()).toBe(0);
  });
});

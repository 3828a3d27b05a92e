// Distributed by OAuth (issue 19): workspaces install through /slack/install and
// /slack/oauth_redirect (the emulator's oauth.v2.access), and every Slack call — a command's
// modal, a digest posted in the background — goes out with that workspace's own bot token.
import { afterEach, describe, expect, it } from 'vitest';
import type { Owner } from '../../src/store/credentials.ts';
import { event, slashCommand } from '../driver.ts';
import { jobRunning, jobSucceeded } from '../emulators/alation.ts';
import { SLACK_DEFAULTS, type SlackCall } from '../emulators/slack.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { beginInstall, finishInstall, install } from '../support/install.ts';
import { createQueryDigest } from '../support/query-digest.ts';

const bots: TestBot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

const A = { teamId: 'T0ALPHA001', teamName: 'Alpha & <Co>' };
const B = { teamId: 'T0BETA0002', teamName: 'Beta' };
const CHANNEL = SLACK_DEFAULTS.channelId;
const USER = SLACK_DEFAULTS.userId;

async function start() {
  const t = await startTestBot({ slackOAuth: true, jobs: {} });
  bots.push(t);
  return t;
}

/** A digest of `owner`, in the shared default channel, run now through the queue. */
async function digestFor(t: TestBot, owner: Owner, name: string) {
  await t.connectAlation(owner, owner.tenantId === A.teamId ? 7 : 8);
  const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
  const query = t.alation.addQuery({ datasourceId, title: name, content: 'SELECT 1' });
  t.alation.addResult(query.id, { csv: 'a\n1\n', rowCount: 1, executedAt: new Date() });
  const digest = await createQueryDigest(t, { owner, queryId: query.id, name, channelId: CHANNEL });
  await t.features.digestScheduler().schedule(digest);
  return digest;
}

const postOf = (name: string) => (c: SlackCall) =>
  c.method === 'chat.postMessage' &&
  c.args.channel === CHANNEL &&
  JSON.stringify(c.args).includes(name) &&
  c.status === 200;

describe('two workspaces installed by OAuth', () => {
  it('stores each installation sealed and answers each workspace with its own token', async () => {
    const t = await start();
    const a = await install(t, A);
    const b = await install(t, B);
    expect(a.status).toBe(200);
    expect(a.html).toContain('Alation is installed');
    // The team name came from Slack: escaped on the page.
    expect(a.html).toContain('Alpha &#38; &#60;Co&#62;');
    expect(a.html).toContain('/alation login');
    expect(a.token).toBeDefined();
    expect(b.token).toBeDefined();
    expect(a.token).not.toBe(b.token);

    // No bot token in plain text in the database.
    const rows = await t.db.query<Record<string, unknown>>('SELECT * FROM slack_installations');
    expect(rows.map((r) => r.id).sort()).toEqual([`T:${A.teamId}`, `T:${B.teamId}`]);
    const dump = JSON.stringify(
      rows.map((r) => ({ ...r, secret: Buffer.from(r.secret as Uint8Array).toString('latin1') })),
    );
    expect(dump).not.toContain(a.token);
    expect(dump).not.toContain(b.token);
    expect(dump).not.toContain('xoxb-');

    for (const [team, token] of [
      [A.teamId, a.token],
      [B.teamId, b.token],
    ] as const) {
      const ack = await slashCommand(t.target, {
        text: 'login',
        team_id: team,
        trigger_id: t.slack.triggerId(),
      });
      expect(ack.status).toBe(200);
      const [opened] = await t.slack.waitFor((c) => c.method === 'views.open' && c.teamId === team);
      expect(opened?.token).toBe(token);
      expect(opened?.status).toBe(200);
    }
  });

  it('posts each workspace’s digest with that workspace’s token', async () => {
    const t = await start();
    const a = await install(t, A);
    const b = await install(t, B);
    const da = await digestFor(t, { tenantId: A.teamId, userId: USER }, 'Alpha sales');
    const db = await digestFor(t, { tenantId: B.teamId, userId: USER }, 'Beta sales');
    await t.features.digestScheduler().runNow(da.id, 'press-a');
    await t.features.digestScheduler().runNow(db.id, 'press-b');
    const [postA] = await t.slack.waitFor(postOf('Alpha sales'), { timeoutMs: 20_000 });
    const [postB] = await t.slack.waitFor(postOf('Beta sales'), { timeoutMs: 20_000 });
    expect(postA?.token).toBe(a.token);
    expect(postA?.teamId).toBe(A.teamId);
    expect(postB?.token).toBe(b.token);
    expect(postB?.teamId).toBe(B.teamId);
  });

  it('keeps each workspace’s job card up to date with that workspace’s token', async () => {
    const t = await start();
    const a = await install(t, A);
    const b = await install(t, B);
    for (const [team, user, id] of [
      [A.teamId, 7, 41],
      [B.teamId, 8, 42],
    ] as const) {
      await t.connectAlation({ tenantId: team, userId: USER }, user);
      t.alation.addJob({ id, states: [jobRunning(), jobRunning(), jobSucceeded({}, 'done')] });
      await slashCommand(t.target, {
        text: `job ${id}`,
        team_id: team,
        response_url: t.slack.responseUrl(),
      });
    }
    const updates = await t.slack.waitFor(
      (c) => c.method === 'chat.update' && JSON.stringify(c.args).includes(': successful'),
      { count: 2, timeoutMs: 20_000 },
    );
    for (const update of updates) {
      const mine = JSON.stringify(update.args).includes('job 41') ? a.token : b.token;
      expect(update.token).toBe(mine);
      expect(update.status).toBe(200);
    }
    // The background polls (every chat.update) never used another workspace's token.
    for (const call of t.slack.callsTo('chat.update')) {
      expect(call.token).toBe(JSON.stringify(call.args).includes('job 41') ? a.token : b.token);
    }
  });

  it('posts each workspace’s alert card with that workspace’s token', async () => {
    const t = await start();
    const tokens = {
      [A.teamId]: (await install(t, A)).token,
      [B.teamId]: (await install(t, B)).token,
    };
    for (const [team, user] of [
      [A.teamId, 7],
      [B.teamId, 8],
    ] as const) {
      const owner = { tenantId: team, userId: USER };
      await t.connectAlation(owner, user);
      const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
      const query = t.alation.addQuery({
        datasourceId,
        title: `${team} orders`,
        content: 'SELECT 1',
      });
      t.alation.addResult(query.id, { csv: 'id\n1\n', executedAt: new Date(Date.now() - 60_000) });
      const alert = await t.features.alerts.create(
        {
          owner,
          channelId: CHANNEL,
          onlyMe: false,
          tz: 'UTC',
          name: `${team} failed orders`,
          queryId: query.id,
          condition: { kind: 'row_count', op: '>', n: 0 },
          everyMinutes: 5,
        },
        new Date(),
      );
      await t.features.alertScheduler().checkNow(alert.id);
    }
    for (const team of [A.teamId, B.teamId]) {
      const [card] = await t.slack.waitFor(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.status === 200 &&
          JSON.stringify(c.args).includes(`${team} failed orders`),
        { timeoutMs: 20_000 },
      );
      expect(card?.token).toBe(tokens[team]);
      expect(card?.teamId).toBe(team);
    }
  });

  it('publishes each workspace’s App Home with that workspace’s token', async () => {
    const t = await start();
    const tokens = {
      [A.teamId]: (await install(t, A)).token,
      [B.teamId]: (await install(t, B)).token,
    };
    for (const team of [A.teamId, B.teamId]) {
      await event(t.target, {
        event: { type: 'app_home_opened', user: USER, channel: 'D0HOME0001', tab: 'home' },
        team_id: team,
      });
      const [published] = await t.slack.waitFor(
        (c) => c.method === 'views.publish' && c.teamId === team,
        { timeoutMs: 20_000 },
      );
      expect(published?.token).toBe(tokens[team]);
      expect(published?.status).toBe(200);
    }
    expect(t.slack.callsTo('views.publish')).toHaveLength(2);
  });

  it('a workspace that never installed gets no answer as another workspace', async () => {
    const t = await start();
    await install(t, A);
    await slashCommand(t.target, {
      text: 'login',
      team_id: 'T0NOTHERE1',
      trigger_id: t.slack.triggerId(),
    });
    await slashCommand(t.target, {
      text: 'login',
      team_id: A.teamId,
      trigger_id: t.slack.triggerId(),
    });
    await t.slack.waitFor((c) => c.method === 'views.open' && c.teamId === A.teamId);
    expect(t.slack.callsTo('views.open')).toHaveLength(1);
  });
});

describe('the install pages', () => {
  it('refuses a state used twice, and says how to start again', async () => {
    const t = await start();
    const { state, cookie } = await beginInstall(t);
    const first = await finishInstall(t, { code: t.slack.authorizeInstall(A), state }, cookie);
    expect(first.status).toBe(200);
    const again = await finishInstall(t, { code: t.slack.authorizeInstall(B), state }, cookie);
    expect(again.status).toBe(400);
    expect(again.html).toContain('Alation was not installed');
    expect(again.html).toContain('expired or was already used');
    expect(again.html).toContain('/slack/install');
    const rows = await t.db.query('SELECT id FROM slack_installations');
    expect(rows).toHaveLength(1);
  });

  it('explains a cancelled install', async () => {
    const t = await start();
    const { state, cookie } = await beginInstall(t);
    const page = await finishInstall(t, { error: 'access_denied', state }, cookie);
    expect(page.status).toBe(400);
    expect(page.html).toContain('cancelled');
    expect(await t.db.query('SELECT id FROM slack_installations')).toHaveLength(0);
  });

  it('refuses a state that was never issued', async () => {
    const t = await start();
    const { cookie } = await beginInstall(t);
    const page = await finishInstall(
      t,
      { code: t.slack.authorizeInstall(A), state: 'forged<script>' },
      cookie,
    );
    expect(page.status).toBe(400);
    expect(page.html).not.toContain('<script>');
    expect(await t.db.query('SELECT id FROM slack_installations')).toHaveLength(0);
  });
});

// Uninstall and revocation (issue 19): app_uninstalled and tokens_revoked delete that
// workspace's installation at once and stop its digests, while another workspace keeps working;
// its people's credentials go after the retention period; reinstalling resumes the digests.
import { afterEach, describe, expect, it } from 'vitest';
import { DIGEST_QUEUE } from '../../src/queue/digest-run.ts';
import type { Owner } from '../../src/store/credentials.ts';
import { UNINSTALL_RETENTION_DAYS } from '../../src/store/tenant-lifecycle.ts';
import { event } from '../driver.ts';
import { SLACK_DEFAULTS, type SlackCall } from '../emulators/slack.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { install } from '../support/install.ts';
import { createQueryDigest } from '../support/query-digest.ts';
import { until } from '../support/wait.ts';

const bots: TestBot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

const A = { teamId: 'T0ALPHA001', teamName: 'Alpha' };
const B = { teamId: 'T0BETA0002', teamName: 'Beta' };
const CHANNEL = SLACK_DEFAULTS.channelId;
const ownerIn = (teamId: string): Owner => ({ tenantId: teamId, userId: SLACK_DEFAULTS.userId });

async function setup() {
  const t = await startTestBot({ slackOAuth: true, jobs: {} });
  bots.push(t);
  const a = await install(t, A);
  const b = await install(t, B);
  const digests = [];
  for (const [team, name, user] of [
    [A.teamId, 'Alpha sales', 7],
    [B.teamId, 'Beta sales', 8],
  ] as const) {
    await t.connectAlation(ownerIn(team), user);
    const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
    const query = t.alation.addQuery({ datasourceId, title: name, content: 'SELECT 1' });
    t.alation.addResult(query.id, { csv: 'a\n1\n', rowCount: 1, executedAt: new Date() });
    const digest = await createQueryDigest(t, {
      owner: ownerIn(team),
      queryId: query.id,
      name,
      channelId: CHANNEL,
    });
    await t.features.digestScheduler().schedule(digest);
    digests.push(digest);
  }
  const [da, db] = digests;
  if (!da || !db) throw new Error('digests not created');
  return { t, a, b, da, db };
}

const posted = (name: string) => (c: SlackCall) =>
  c.method === 'chat.postMessage' &&
  c.args.channel === CHANNEL &&
  JSON.stringify(c.args).includes(name) &&
  c.status === 200;

const uninstallEvent = (t: TestBot, teamId: string) =>
  event(t.target, { event: { type: 'app_uninstalled' }, team_id: teamId });

describe('app_uninstalled', () => {
  it('deletes the tokens, pauses that workspace’s digests, and leaves the other working', async () => {
    const { t, b, da, db } = await setup();
    t.slack.revokeInstall({ teamId: A.teamId });
    expect((await uninstallEvent(t, A.teamId)).status).toBe(200);
    await until(async () => (await t.features.digests.get(da.id))?.status === 'paused');
    const ids = await t.db.query<{ id: string }>('SELECT id FROM slack_installations');
    expect(ids.map((r) => r.id)).toEqual([`T:${B.teamId}`]);
    expect((await t.features.digests.get(da.id))?.pausedReason).toBe('app_uninstalled');
    expect(await t.boss?.getSchedule(DIGEST_QUEUE, da.id)).toBeNull();
    expect((await t.boss?.getSchedule(DIGEST_QUEUE, db.id))?.cron).toBe('0 9 * * *');

    // A run of A's digest posts nothing (and never with B's token); B's posts with B's token.
    await t.features.digestScheduler().runNow(da.id, 'press-a');
    await t.features.digestScheduler().runNow(db.id, 'press-b');
    const [postB] = await t.slack.waitFor(posted('Beta sales'), { timeoutMs: 20_000 });
    expect(postB?.token).toBe(b.token);
    expect(t.slack.calls.filter(posted('Alpha sales'))).toHaveLength(0);

    // Credentials stay for the retention period, then go (A's only).
    const count = async (team: string) =>
      (await t.db.query('SELECT 1 FROM credentials WHERE tenant_id = $1', [team])).length;
    expect(await count(A.teamId)).toBe(1);
    const early = await t.features.lifecycle.purgeDue(
      new Date(Date.now() + (UNINSTALL_RETENTION_DAYS - 1) * 86_400_000),
    );
    expect(early.credentials).toBe(0);
    const due = await t.features.lifecycle.purgeDue(
      new Date(Date.now() + (UNINSTALL_RETENTION_DAYS + 1) * 86_400_000),
    );
    expect(due).toEqual({ tenants: 1, credentials: 1 });
    expect(await count(A.teamId)).toBe(0);
    expect(await count(B.teamId)).toBe(1);
  });

  it('reinstalling resumes the digests it paused, with the new token', async () => {
    const { t, da } = await setup();
    t.slack.revokeInstall({ teamId: A.teamId });
    await uninstallEvent(t, A.teamId);
    await until(async () => (await t.features.digests.get(da.id))?.status === 'paused');
    const again = await install(t, A);
    expect(again.status).toBe(200);
    await until(async () => (await t.features.digests.get(da.id))?.status === 'active');
    expect((await t.boss?.getSchedule(DIGEST_QUEUE, da.id))?.cron).toBe('0 9 * * *');
    expect(
      await t.db.query('SELECT 1 FROM slack_uninstalls WHERE tenant_id = $1', [A.teamId]),
    ).toHaveLength(0);
    await t.features.digestScheduler().runNow(da.id, 'press-again');
    const [post] = await t.slack.waitFor(posted('Alpha sales'), { timeoutMs: 20_000 });
    expect(post?.token).toBe(again.token);
  });
});

describe('tokens_revoked', () => {
  it('with the bot token revoked, acts as an uninstall', async () => {
    const { t, da, db } = await setup();
    const ack = await event(t.target, {
      event: { type: 'tokens_revoked', tokens: { oauth: [], bot: ['U0BOT00002'] } },
      team_id: A.teamId,
    });
    expect(ack.status).toBe(200);
    await until(async () => (await t.features.digests.get(da.id))?.status === 'paused');
    expect((await t.features.digests.get(db.id))?.status).toBe('active');
    expect(
      await t.db.query('SELECT id FROM slack_installations WHERE id = $1', [`T:${A.teamId}`]),
    ).toHaveLength(0);
  });

  it('with only user tokens revoked, changes nothing', async () => {
    const { t, da } = await setup();
    await event(t.target, {
      event: { type: 'tokens_revoked', tokens: { oauth: ['U0USER0001'], bot: [] } },
      team_id: A.teamId,
    });
    await t.slack.waitUntil(() => true);
    expect((await t.features.digests.get(da.id))?.status).toBe('active');
    expect(await t.db.query('SELECT id FROM slack_installations')).toHaveLength(2);
  });
});

describe('a background run whose installation is gone', () => {
  it('pauses its digest and records why', async () => {
    const { t, da } = await setup();
    await t.db.query('DELETE FROM slack_installations WHERE id = $1', [`T:${A.teamId}`]);
    await t.features.digestScheduler().runNow(da.id, 'press-gone');
    await until(async () => (await t.features.digests.get(da.id))?.status === 'paused');
    expect((await t.features.digests.get(da.id))?.pausedReason).toBe('installation_gone');
    expect(await t.boss?.getSchedule(DIGEST_QUEUE, da.id)).toBeNull();
    expect(t.slack.calls.filter(posted('Alpha sales'))).toHaveLength(0);
  });
});

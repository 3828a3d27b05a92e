// Enterprise Grid org-wide install (issue 19): one install by an org admin serves every
// workspace of the org — commands in two of its workspaces are answered with the org's token,
// one Alation connection (keyed by the enterprise) works in both, and background work finds
// the org's token too.
import { afterEach, describe, expect, it } from 'vitest';
import { slashCommand } from '../driver.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { install } from '../support/install.ts';
import { createQueryDigest } from '../support/query-digest.ts';

let t: TestBot;
afterEach(() => t.stop());

const ORG = { enterpriseId: 'E0ORG00001', enterpriseName: 'Starship' };
const WORKSPACES = ['T0ORGWS001', 'T0ORGWS002'];
const CHANNEL = SLACK_DEFAULTS.channelId;

describe('an org-wide install', () => {
  it('answers in two of the org’s workspaces with the org’s token', async () => {
    t = await startTestBot({ slackOAuth: true, jobs: {} });
    const org = await install(t, { ...ORG, isEnterpriseInstall: true });
    expect(org.status).toBe(200);
    expect(org.html).toContain('the Starship organization');
    expect(org.html).toContain('Add to workspaces');
    const rows = await t.db.query<{ id: string; team_id: string | null }>(
      'SELECT id, team_id FROM slack_installations',
    );
    expect(rows).toEqual([{ id: `E:${ORG.enterpriseId}`, team_id: null }]);

    for (const team of WORKSPACES) {
      const ack = await slashCommand(t.target, {
        text: 'login',
        team_id: team,
        enterprise_id: ORG.enterpriseId,
        is_enterprise_install: true,
        trigger_id: t.slack.triggerId(),
      });
      expect(ack.status).toBe(200);
    }
    const opened = await t.slack.waitFor('views.open', { count: 2 });
    for (const call of opened) {
      expect(call.token).toBe(org.token);
      expect(call.enterpriseId).toBe(ORG.enterpriseId);
      expect(call.status).toBe(200);
    }
  });

  it('posts a digest of the org (credentials keyed by the enterprise) with the org’s token', async () => {
    t = await startTestBot({ slackOAuth: true, jobs: {} });
    const org = await install(t, { ...ORG, isEnterpriseInstall: true });
    const owner = { tenantId: ORG.enterpriseId, userId: SLACK_DEFAULTS.userId };
    await t.connectAlation(owner, 7);
    const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
    const query = t.alation.addQuery({ datasourceId, title: 'Org sales', content: 'SELECT 1' });
    t.alation.addResult(query.id, { csv: 'a\n1\n', rowCount: 1, executedAt: new Date() });
    const digest = await createQueryDigest(t, {
      owner,
      queryId: query.id,
      name: 'Org sales',
      channelId: CHANNEL,
    });
    await t.features.digestScheduler().runNow(digest.id, 'press-org');
    const [post] = await t.slack.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === CHANNEL &&
        JSON.stringify(c.args).includes('Org sales'),
      { timeoutMs: 20_000 },
    );
    expect(post?.token).toBe(org.token);
    expect(post?.status).toBe(200);
  });

  it('workspaces of an org installed one by one: a digest made in each posts with its own', async () => {
    t = await startTestBot({ slackOAuth: true, jobs: {} });
    const [a, b] = WORKSPACES;
    const first = await install(t, { ...ORG, teamId: a ?? '' });
    const second = await install(t, { ...ORG, teamId: b ?? '' });
    expect(first.token).not.toBe(second.token);
    const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
    const query = t.alation.addQuery({ datasourceId, title: 'Org sales', content: 'SELECT 1' });
    t.alation.addResult(query.id, { csv: 'a\n1\n', rowCount: 1, executedAt: new Date() });
    // One connection for the org; each digest remembers the workspace it was made in.
    const connected = { tenantId: ORG.enterpriseId, userId: SLACK_DEFAULTS.userId };
    await t.connectAlation(connected, 7);
    for (const team of [a, b]) {
      const digest = await createQueryDigest(t, {
        owner: { ...connected, teamId: team ?? '' },
        queryId: query.id,
        name: `Sales made in ${team}`,
        channelId: CHANNEL,
      });
      expect((await t.features.digests.get(digest.id))?.owner.teamId).toBe(team);
      await t.features.digestScheduler().runNow(digest.id, `press-${team}`);
    }
    for (const [team, token] of [
      [a, first.token],
      [b, second.token],
    ]) {
      const [post] = await t.slack.waitFor(
        (c) =>
          c.method === 'chat.postMessage' && JSON.stringify(c.args).includes(`made in ${team}`),
        { timeoutMs: 20_000 },
      );
      // Not the org's newest install: the one of the workspace the digest lives in.
      expect(post?.token).toBe(token);
      expect(post?.teamId).toBe(team);
    }
  });
});

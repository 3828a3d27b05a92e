import { afterEach, describe, expect, it } from 'vitest';
import { jobCommand } from '../../src/commands/job.ts';
import { blockAction, slashCommand } from '../driver.ts';
import { jobFailed, jobRunning, jobSucceeded } from '../emulators/alation.ts';
import type { SlackCall } from '../emulators/slack.ts';
import { SLACK_DEFAULTS } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { testDatabases } from '../support/databases.ts';
import { textOf } from '../support/flows.ts';
import { nextResponse } from '../support/respond.ts';

const bots: TestBot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

async function bot(options: Parameters<typeof startTestBot>[0] = {}) {
  const started = await startTestBot({ jobs: {}, ...options });
  bots.push(started);
  return started;
}

const RESULT = {
  updated_objects: 2,
  number_received: 3,
  error_objects: [
    'Line 3. Key: schema_b. Datasource id in key does not match the id in the request',
  ],
  error: '1 errors were ignored',
};

async function job(t: TestBot, args: string, user = {}) {
  const responseUrl = t.slack.responseUrl();
  const ack = await slashCommand(t.target, {
    text: `job ${args}`,
    response_url: responseUrl,
    ...user,
  });
  return { ack, responseUrl };
}

/** Every version of the card, from chat.postMessage through each chat.update. */
const cardTexts = (t: TestBot) =>
  t.slack.calls
    .filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update')
    .map((c) => textOf(c.args));

const finalCard = (t: TestBot) =>
  t.slack.waitFor('chat.update', {
    where: (c: SlackCall) => /successful|failed/.test(textOf(c.args)),
    timeoutMs: 15_000,
  });

const jobRequests = (t: TestBot) => t.alation.requestsTo('GET', '/api/v1/bulk_metadata/job/');

describe('/alation job', () => {
  it('posts a card and updates it in place, running → running → successful, with the result parsed', async () => {
    const t = await bot();
    await t.connectAlation(DEFAULT_OWNER, 7);
    t.alation.addJob({
      id: 42,
      states: [jobRunning(), jobRunning(), jobSucceeded(RESULT, 'Job finished in 3.0 seconds')],
    });
    const { ack } = await job(t, '42');
    expect(textOf(ack.body)).toContain('Looking up job 42');
    const [final] = await finalCard(t);
    expect(final?.args.channel).toBe(SLACK_DEFAULTS.channelId);
    const text = textOf(final?.args);
    expect(text).toContain('Alation job 42*: successful');
    expect(text).toContain('Job finished in 3.0 seconds');
    expect(text).toContain('Updated objects: *2*');
    expect(text).toContain('Received: *3*');
    expect(text).toContain('Errors (1):\n• Line 3. Key: schema_b.');
    expect(text).toContain('_1 errors were ignored_');
    expect(JSON.stringify(final?.args.blocks)).not.toContain('job_stop');

    const versions = cardTexts(t);
    expect(versions[0]).toContain('job 42*: running');
    expect(versions.filter((v) => v.includes('Stop watching')).length).toBeGreaterThanOrEqual(2);
    expect(versions.filter((v) => v.includes(': successful'))).toHaveLength(1);
    const polls = jobRequests(t);
    expect(polls).toHaveLength(3);
    for (const r of polls) {
      expect(r.query.get('id')).toBe('42');
      expect(r.userId).toBe(7);
    }
    const [watch] = await t.db.query<{ status: string; polls: number }>(
      'SELECT status, polls FROM job_watches',
    );
    expect(watch).toEqual({ status: 'finished', polls: 3 });
  });

  it('shows a failed job at once, with each error line, and watches nothing', async () => {
    const t = await bot();
    await t.connectAlation(DEFAULT_OWNER, 7);
    t.alation.addJob({ id: 7, states: [jobFailed(RESULT, 'Job failed after 1.0 seconds')] });
    await job(t, '7');
    const [posted] = await t.slack.waitFor('chat.postMessage');
    const text = textOf(posted?.args);
    expect(text).toContain(':x: *Alation job 7*: failed');
    expect(text).toContain('Datasource id in key does not match');
    expect(await t.db.query('SELECT 1 FROM job_watches')).toEqual([]);
  });

  it('URL-encodes a job name with # and shows the plain-text QLI result', async () => {
    const t = await bot();
    await t.connectAlation(DEFAULT_OWNER, 7);
    const name = 'MetadataExtraction#1_2017-10-05-19-36-45-431906-00-00-4ea1dc02';
    t.alation.addJob({
      name,
      states: [
        jobSucceeded(
          'Bulk Query Ingestion Succeeded: 0 new events ingested, 1 previously-ingested events skipped.',
        ),
      ],
    });
    await job(t, name);
    const [posted] = await t.slack.waitFor('chat.postMessage');
    expect(textOf(posted?.args)).toContain('> Bulk Query Ingestion Succeeded');
    const [request] = jobRequests(t);
    expect(request?.query.get('name')).toBe(name);
  });

  it('says plainly when there is no such job, and explains a missing argument', async () => {
    const t = await bot();
    await t.connectAlation(DEFAULT_OWNER, 7);
    const { responseUrl } = await job(t, '999');
    expect(textOf(await nextResponse(t, responseUrl))).toContain(
      'Alation knows no job 999 that you can see',
    );
    const { ack } = await job(t, '');
    expect(textOf(ack.body)).toContain('Which job?');
  });

  it('lets the watcher stop watching, refuses anyone else, and checks again on request', async () => {
    const t = await bot({ jobs: { delays: { firstMs: 400, maxMs: 400 } } });
    await t.connectAlation(DEFAULT_OWNER, 7);
    t.alation.addJob({
      id: 5,
      states: [jobRunning(), jobRunning(), jobRunning(), jobSucceeded(RESULT)],
    });
    await job(t, '5');
    const [withWatch] = await t.slack.waitFor('chat.update', {
      where: (c: SlackCall) => JSON.stringify(c.args).includes('job_stop'),
    });
    const blocks = (withWatch?.args.blocks ?? []) as {
      type: string;
      elements?: { value?: string }[];
    }[];
    const actions = blocks.find((b) => b.type === 'actions');
    const watchId = String(actions?.elements?.[0]?.value);

    const stranger = t.slack.responseUrl();
    t.slack.addUser({ id: 'U0OTHER001', name: 'eve' });
    await blockAction(t.target, {
      user: { id: 'U0OTHER001', name: 'eve' },
      actions: [{ action_id: 'job_stop', value: watchId }],
      response_url: stranger,
    });
    expect(textOf(await nextResponse(t, stranger))).toContain(`Only <@${DEFAULT_OWNER.userId}>`);

    await blockAction(t.target, { actions: [{ action_id: 'job_stop', value: watchId }] });
    const [stopped] = await t.slack.waitFor('chat.update', {
      where: (c: SlackCall) => textOf(c.args).includes('stopped watching'),
    });
    expect(JSON.stringify(stopped?.args.blocks)).toContain('job_check_again');
    const [row] = await t.db.query<{ status: string }>('SELECT status FROM job_watches');
    expect(row?.status).toBe('stopped');

    await blockAction(t.target, { actions: [{ action_id: 'job_check_again', value: watchId }] });
    const [final] = await finalCard(t);
    expect(textOf(final?.args)).toContain('successful');
  });

  it('stops watching at the deadline and offers Check again', async () => {
    let started: TestBot | undefined;
    const t = await bot({
      commands: (defaults) =>
        defaults.map((c) =>
          c.name === 'job'
            ? jobCommand(
                {
                  features: async () => {
                    if (!started) throw new Error('not started');
                    return started.features;
                  },
                  alationBaseUrl: 'http://alation.invalid',
                  oauthEnabled: false,
                },
                { deadlineMs: 300 },
              )
            : c,
        ),
    });
    started = t;
    await t.connectAlation(DEFAULT_OWNER, 7);
    t.alation.addJob({ id: 8, states: [jobRunning()] });
    await job(t, '8');
    const [expired] = await t.slack.waitFor('chat.update', {
      where: (c: SlackCall) => textOf(c.args).includes('Stopped watching at'),
      timeoutMs: 10_000,
    });
    expect(textOf(expired?.args)).toContain('the time limit; the job may still finish');
    expect(JSON.stringify(expired?.args.blocks)).toContain('job_check_again');
  });

  it('says so on the card and asks the user to reconnect when their credentials stop working', async () => {
    const t = await bot({ jobs: { delays: { firstMs: 300, maxMs: 300 } } });
    await t.connectAlation(DEFAULT_OWNER, 7);
    t.alation.addJob({ id: 9, states: [jobRunning()] });
    await job(t, '9');
    await t.slack.waitFor('chat.update', {
      where: (c: SlackCall) => JSON.stringify(c.args).includes('job_stop'),
    });
    const used = jobRequests(t)[0]?.headers.token;
    t.alation.revokeRefreshToken(7);
    t.alation.expireAccessToken(String(used));
    const [card] = await t.slack.waitFor('chat.update', {
      where: (c: SlackCall) => textOf(c.args).includes('Alation connection no longer works'),
      timeoutMs: 10_000,
    });
    expect(JSON.stringify(card?.args.blocks)).toContain('job_check_again');
    const [dm] = await t.slack.waitFor('chat.postMessage', {
      where: (c: SlackCall) => c.args.channel === DEFAULT_OWNER.userId,
    });
    expect(textOf(dm?.args)).toContain('Reconnect your Alation account');
  });

  it('resumes an unfinished watch after a restart and reaches the final card exactly once', async () => {
    const schema = `pgboss_restart_${Date.now().toString(36)}`;
    const first = await startTestBot({ jobs: { schema, delays: { firstMs: 300, maxMs: 300 } } });
    await first.connectAlation(DEFAULT_OWNER, 7);
    first.alation.addJob({
      id: 11,
      states: [jobRunning(), jobRunning(), jobRunning(), jobSucceeded(RESULT)],
    });
    await job(first, '11');
    await first.slack.waitFor('chat.update', {
      where: (c: SlackCall) => JSON.stringify(c.args).includes('job_stop'),
    });
    await first.stop({ keep: true });
    const pollsBefore = jobRequests(first).length;
    expect(pollsBefore).toBeLessThan(4);

    const second = await startTestBot({
      jobs: { schema, delays: { firstMs: 300, maxMs: 300 } },
      reuse: first,
    });
    bots.push(second);
    await finalCard(second);
    expect(cardTexts(second).filter((v) => v.includes(': successful'))).toHaveLength(1);
    expect(jobRequests(second).length).toBe(4);
    const [row] = await second.db.query<{ status: string }>('SELECT status FROM job_watches');
    expect(row?.status).toBe('finished');
  });
});

const postgres = testDatabases().find((d) => d.name === 'postgres');
describe.runIf(postgres)('two replicas on one PostgreSQL', () => {
  it('never poll the same watch at the same time', async () => {
    const schema = `pgboss_pair_${Date.now().toString(36)}`;
    const delays = { firstMs: 100, maxMs: 100 };
    const a = await bot({ database: postgres, jobs: { schema, delays } });
    const b = await startTestBot({ jobs: { schema, delays }, reuse: a });
    bots.push(b);
    await a.connectAlation(DEFAULT_OWNER, 7);
    const steps = [...Array.from({ length: 8 }, () => jobRunning()), jobSucceeded(RESULT)];
    a.alation.addJob({ id: 21, states: steps });
    // Each poll takes 300 ms at Alation: two polls of one watch at once would overlap.
    a.alation.fault({ path: '/api/v1/bulk_metadata/job/', latencyMs: 300, times: Infinity });
    await job(a, '21');
    await a.slack.waitFor('chat.update', {
      where: (c: SlackCall) => /successful/.test(textOf(c.args)),
      timeoutMs: 30_000,
    });
    const arrivals = jobRequests(a).map((r) => r.at.getTime());
    expect(arrivals).toHaveLength(steps.length);
    const gaps = arrivals.slice(1).map((at, i) => at - (arrivals[i] ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(300);
    expect(cardTexts(a).filter((v) => v.includes(': successful'))).toHaveLength(1);
  }, 40_000);
});

import { afterEach, describe, expect, it } from 'vitest';
import { DIGEST_QUEUE } from '../../src/queue/digest-run.ts';
import { SLACK_DEFAULTS, type SocketEnvelope } from '../emulators/slack.ts';
import { DEFAULT_OWNER, startTestBot, type TestBot } from '../support/bot.ts';
import { openedView, textOf } from '../support/flows.ts';
import { createQueryDigest } from '../support/query-digest.ts';
import { socketAction, socketCommand, socketEvent, socketSubmission } from '../support/socket.ts';
import { until } from '../support/wait.ts';

// The main flows with the bot in Socket Mode (SLACK_APP_TOKEN set): Slack's traffic arrives as
// envelopes on a WebSocket the bot opened, and each is acknowledged by its envelope_id.
type Json = Record<string, unknown>;

const bots: TestBot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
});

async function start(options: Parameters<typeof startTestBot>[0] = {}): Promise<TestBot> {
  const t = await startTestBot({ socketMode: true, ...options });
  bots.push(t);
  return t;
}

/** Slack shows the person an error when an envelope is not acked within 3 seconds. */
function expectAckedInTime(envelope: SocketEnvelope): void {
  expect(envelope.ack).toBeDefined();
  expect(envelope.ack?.ms).toBeLessThan(3_000);
}

describe('Socket Mode', () => {
  it('opens its link through SLACK_API_URL with the app-level token, and serves no HTTP events', async () => {
    const t = await start();
    const [open] = t.slack.callsTo('apps.connections.open');
    expect(open?.token).toBe(t.slack.appToken);
    expect(open?.response).toMatchObject({ ok: true });
    expect(t.slack.socket.open()).toHaveLength(1);
    // The app-level token is a credential too: never in the log, even at debug.
    expect(t.rawLogs()).not.toContain(t.slack.appToken);
    // Custom routes still answer on the port (health checks behind a load balancer)…
    expect((await fetch(`${t.origin}/healthz`)).status).toBe(200);
    // …but nothing listens for Slack's HTTP requests.
    const events = await fetch(`${t.origin}/slack/events`, { method: 'POST', body: '{}' });
    expect(events.status).toBe(404);
  });

  it('answers a slash command in the ack payload', async () => {
    const t = await start();
    const help = await socketCommand(t, { text: 'help' });
    expectAckedInTime(help);
    expect(help.ack?.payload).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(help.ack?.payload)).toContain('/alation mode login');
    // The reply went back on the link: no Web API call was needed.
    expect(t.slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it('opens a modal from a slash command and takes its submission, errors in the ack', async () => {
    const t = await start();
    t.mode.addWorkspace('acme', { name: 'Acme Analytics' });
    const api = t.mode.addApiToken({ workspaces: ['acme'] });
    const command = await socketCommand(t, { text: 'mode login' });
    expectAckedInTime(command);
    const view = await openedView(t, 'mode_login');
    const [open] = t.slack.callsTo('views.open');
    expect(open?.args.trigger_id).toBe((command.payload as Json).trigger_id);

    const submit = (secret: string) =>
      socketSubmission(t, {
        view: {
          ...view,
          state: {
            values: {
              mode_workspace: { value: 'acme' },
              mode_token: { value: api.token },
              mode_secret: { value: secret },
            },
          },
        },
      });
    const wrong = await submit('WRONG');
    expectAckedInTime(wrong);
    expect(wrong.ack?.payload).toMatchObject({
      response_action: 'errors',
      errors: { mode_secret: expect.stringMatching(/secret/) },
    });
    expect(await t.db.query('SELECT 1 FROM credentials')).toEqual([]);

    const right = await submit(api.secret);
    expectAckedInTime(right);
    // A plain ack closes the modal.
    expect(right.ack?.payload).toEqual({});
    const [row] = await t.db.query<{ provider: string }>('SELECT provider FROM credentials');
    expect(row?.provider).toBe('mode');
    const [dm] = await t.slack.waitFor('chat.postMessage');
    expect(dm?.args.channel).toBe(DEFAULT_OWNER.userId);
    expect(textOf(dm?.args)).toContain('Connected to Mode');
  });

  it('publishes App Home for an event and opens a modal from its button', async () => {
    const t = await start();
    const opened = await socketEvent(t, {
      event: {
        type: 'app_home_opened',
        user: DEFAULT_OWNER.userId,
        channel: 'D0HOME0001',
        tab: 'home',
      },
    });
    expectAckedInTime(opened);
    expect(opened.retry_attempt).toBe(0);
    const [publish] = await t.slack.waitFor('views.publish');
    expect(publish?.args.user_id).toBe(DEFAULT_OWNER.userId);
    const home = publish?.args.view as Json;
    expect(textOf(home)).toContain('Welcome to Alation in Slack');
    expect(JSON.stringify(home)).toContain('"action_id":"mode_connect"');

    const click = await socketAction(t, {
      actions: [{ action_id: 'mode_connect', value: 'mode' }],
      view: {
        id: String((publish?.response as { view?: Json } | undefined)?.view?.id),
        type: 'home',
      },
    });
    expectAckedInTime(click);
    await openedView(t, 'mode_login');
  });

  it('acknowledges a redelivered event once and acts on it once', async () => {
    const t = await start();
    const event = {
      event_id: 'Ev0SOCKET001',
      event: {
        type: 'app_home_opened',
        user: DEFAULT_OWNER.userId,
        channel: 'D0HOME0001',
        tab: 'home',
      },
    };
    expectAckedInTime(await socketEvent(t, event));
    await t.slack.waitFor('views.publish');
    expectAckedInTime(await socketEvent(t, event, { retryAttempt: 1, retryReason: 'timeout' }));
    // The redelivery is acked (so Slack stops) but Home is not published twice.
    await socketCommand(t, { text: 'help' });
    expect(t.slack.callsTo('views.publish')).toHaveLength(1);
  });

  it('posts a scheduled digest while connected over Socket Mode', async () => {
    const t = await start({ jobs: {} });
    await t.connectAlation(DEFAULT_OWNER, 7);
    const datasourceId = t.alation.addDataSource({ title: 'Warehouse' }).id;
    const query = t.alation.addQuery({
      datasourceId,
      title: 'Sales by region',
      content: 'SELECT 1',
    });
    t.alation.addResult(query.id, {
      csv: 'region,total\nEMEA,1200.50\n',
      rowCount: 1,
      executedAt: new Date(Date.now() - 3600_000),
    });
    const digest = await createQueryDigest(t, {
      owner: DEFAULT_OWNER,
      queryId: query.id,
      name: 'Morning sales',
      since: new Date('2026-11-23T08:00:00Z'),
    });
    const slot = '2026-11-24T09:00:00.000Z';
    // What pg-boss's cron enqueues at the slot.
    await t.boss?.send(DIGEST_QUEUE, { digestId: digest.id, slot });
    const [post] = await t.slack.waitFor('chat.postMessage', {
      where: (c) => c.args.channel === SLACK_DEFAULTS.channelId,
      timeoutMs: 30_000,
    });
    expect(post?.token).toBe(t.slack.botToken);
    expect(textOf(post?.args)).toContain('EMEA');
    await until(async () =>
      (await t.features.digests.deliveries(digest.id)).some((d) => d.status !== 'claimed'),
    );
    expect(await t.features.digests.deliveries(digest.id)).toEqual([{ slot, status: 'posted' }]);
    // The link stayed up the whole time.
    expect(t.slack.socket.connections).toHaveLength(1);
  });

  it('acknowledges and drops a malformed envelope with one warning, and keeps serving', async () => {
    const t = await start();
    const malformed = await t.slack.socket.send('interactive', {
      type: 'block_actions',
      team: { id: SLACK_DEFAULTS.teamId },
    });
    expectAckedInTime(malformed);
    const warnings = t.logs().filter((l) => l.msg === 'dropped a malformed Slack request');
    expect(warnings).toHaveLength(1);
    expect(textOf((await socketCommand(t, { text: 'help' })).ack?.payload)).toContain('/alation');
    expect(t.slack.socket.connections).toHaveLength(1);
  });

  it('acks what is in flight on a link Slack recycles before it leaves that link', async () => {
    const t = await start();
    const first = t.slack.socket.open()[0];
    // Each event waits on the database (the redelivery check) before its ack: still in flight
    // when the disconnect right behind them arrives.
    const events = Array.from({ length: 3 }, (_, i) =>
      socketEvent(
        t,
        {
          event_id: `Ev0RECYCLE0${i}`,
          event: {
            type: 'app_home_opened',
            user: DEFAULT_OWNER.userId,
            channel: 'D0HOME0001',
            tab: 'home',
          },
        },
        { timeoutMs: 20_000 },
      ),
    );
    t.slack.socket.disconnect('refresh_requested', 5_000);
    for (const sent of await Promise.all(events)) {
      expectAckedInTime(sent);
      expect(sent.connection).toBe(first?.id);
    }
    expect(first?.closedBy).toBe('client');
    // And it goes on, on a new link: answered there (stopping mid-reconnect would leave the
    // socket client's own start() to reject).
    const help = await socketCommand(t, { text: 'help' }, { timeoutMs: 30_000 });
    expect(help.connection).not.toBe(first?.id);
    expectAckedInTime(help);
  });

  it('reconnects when Slack recycles the link and answers on the new one', async () => {
    const t = await start();
    const first = t.slack.socket.open()[0];
    t.slack.socket.disconnect('refresh_requested');
    // Sent while the bot is between links: Slack holds it for the next one.
    const help = await socketCommand(t, { text: 'help' }, { timeoutMs: 30_000 });
    expect(first?.closedBy).toBe('client');
    expect(help.connection).not.toBe(first?.id);
    expect(help.ack?.payload).toMatchObject({ response_type: 'ephemeral' });
    expect(t.slack.callsTo('apps.connections.open')).toHaveLength(2);
    expect(t.slack.socket.open()).toHaveLength(1);
  });
});

import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  blockAction,
  blockSuggestion,
  captureLogger,
  computeSignature,
  event,
  messageAction,
  postSigned,
  type SlackTarget,
  shortcut,
  slashCommand,
  urlVerification,
  viewClosed,
  viewSubmission,
} from './driver.ts';
import { SLACK_DEFAULTS, type SlackEmulator, startSlackEmulator } from './emulators/slack.ts';

const signingSecret = 'driver-test-signing-secret';

const composeModal = {
  type: 'modal' as const,
  callback_id: 'compose',
  title: { type: 'plain_text' as const, text: 'Compose query' },
  submit: { type: 'plain_text' as const, text: 'Run' },
  blocks: [
    {
      type: 'input',
      block_id: 'sql',
      label: { type: 'plain_text' as const, text: 'SQL' },
      element: { type: 'plain_text_input', action_id: 'sql_input' },
    },
  ],
};

describe('driver against a real Bolt App', () => {
  let emu: SlackEmulator;
  let app: App;
  let target: SlackTarget;
  const logger = captureLogger();
  // What the listeners saw, so tests can tell "handler ran" from "Bolt answered on its own".
  const seen: { kind: string; body: unknown }[] = [];

  beforeAll(async () => {
    // Bolt calls auth.test from the App constructor when given a token, so Slack must be up first.
    emu = await startSlackEmulator();
    app = new App({
      signingSecret,
      token: emu.botToken,
      logger,
      clientOptions: { slackApiUrl: emu.apiUrl },
    });

    app.command('/alation', async ({ command, ack, respond, client }) => {
      seen.push({ kind: 'command', body: command });
      if (command.text === 'plain') {
        await ack('plain text ack');
        return;
      }
      await ack({ response_type: 'ephemeral', text: `Working on: ${command.text}` });
      await respond({ response_type: 'in_channel', text: 'done' });
      await client.chat.postMessage({
        channel: command.channel_id,
        text: `result for ${command.user_id}`,
      });
    });

    app.action('open_compose', async ({ ack, body, client }) => {
      seen.push({ kind: 'action', body });
      await ack();
      await client.views.open({
        trigger_id: (body as { trigger_id: string }).trigger_id,
        view: composeModal,
      });
    });

    app.view('compose', async ({ ack, view }) => {
      seen.push({ kind: 'view_submission', body: view });
      const sql = view.state.values.sql?.sql_input?.value ?? '';
      if (!/^select/i.test(sql)) {
        await ack({ response_action: 'errors', errors: { sql: 'Only SELECT statements can run' } });
        return;
      }
      await ack();
    });

    app.view({ callback_id: 'compose', type: 'view_closed' }, async ({ ack, body }) => {
      seen.push({ kind: 'view_closed', body });
      await ack();
    });

    app.shortcut('search_catalog', async ({ ack, shortcut: s }) => {
      seen.push({ kind: s.type, body: s });
      await ack();
    });

    app.options('table_picker', async ({ ack, options }) => {
      seen.push({ kind: 'options', body: options });
      await ack({
        options: [
          { text: { type: 'plain_text', text: `public.${options.value}` }, value: options.value },
        ],
      });
    });

    app.event('app_mention', async ({ event: e }) => {
      seen.push({ kind: 'app_mention', body: e });
    });

    const server = await app.start({ port: 0, host: '127.0.0.1' });
    target = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
      signingSecret,
    };
  });

  afterEach(() => {
    seen.length = 0;
    logger.entries.length = 0;
  });

  afterAll(async () => {
    await app.stop();
    await emu.close();
  });

  it('Bolt verified its bot token against the emulator with auth.test', async () => {
    // Fired from the constructor and not awaited by app.start(), so it may still be in flight.
    expect(await emu.waitFor('auth.test')).toMatchObject([
      { token: emu.botToken, response: { ok: true } },
    ]);
  });

  describe('slash commands', () => {
    it('delivers a signed command; the 200 ack carries what ack() was given', async () => {
      const responseUrl = emu.responseUrl();
      const res = await slashCommand(target, { text: 'top tables', response_url: responseUrl });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.body).toEqual({ response_type: 'ephemeral', text: 'Working on: top tables' });

      expect(seen).toHaveLength(1);
      expect(seen[0]?.body).toMatchObject({
        command: '/alation',
        text: 'top tables',
        user_id: SLACK_DEFAULTS.userId,
        channel_id: SLACK_DEFAULTS.channelId,
        team_id: emu.teamId,
        api_app_id: emu.appId,
        is_enterprise_install: 'false',
        response_url: responseUrl,
        trigger_id: expect.stringMatching(/^\d+\.\d+\.[0-9a-f]+$/),
      });

      // The listener keeps working after the ack; the emulator sees the follow-ups.
      const [post] = await emu.waitFor('chat.postMessage');
      expect(post?.args).toMatchObject({
        channel: SLACK_DEFAULTS.channelId,
        text: `result for ${SLACK_DEFAULTS.userId}`,
      });
      const response = await emu.waitUntil(() => emu.responsesTo(responseUrl)[0]);
      expect(response.body).toEqual({ response_type: 'in_channel', text: 'done' });
    });

    it('sends a string ack back as a bare text body', async () => {
      const res = await slashCommand(target, { text: 'plain' });
      expect(res).toMatchObject({ status: 200, body: 'plain text ack', raw: 'plain text ack' });
      expect(res.headers['content-type']).toBeUndefined();
    });

    it('answers 401 to a bad signature without running the handler', async () => {
      const res = await slashCommand(target, { text: 'forged' }, { wrongSecret: true });
      expect(res).toMatchObject({ status: 401, raw: '' });
      const garbage = await slashCommand(target, { text: 'forged' }, { signature: 'v0=deadbeef' });
      expect(garbage.status).toBe(401);
      const unsigned = await slashCommand(
        target,
        { text: 'forged' },
        { omitSignature: true, omitTimestamp: true },
      );
      expect(unsigned.status).toBe(401);
      expect(seen).toHaveLength(0);
      expect(
        logger.entries.some((e) => e.level === 'warn' && e.message.includes('signature mismatch')),
      ).toBe(true);
    });

    it('answers 401 to a correctly signed request older than five minutes', async () => {
      const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
      const res = await slashCommand(target, { text: 'replayed' }, { timestamp: sixMinutesAgo });
      expect(res.status).toBe(401);
      expect(seen).toHaveLength(0);
      expect(logger.entries.some((e) => e.message.includes('stale'))).toBe(true);
    });

    it('signs exactly the bytes it sends', async () => {
      const raw =
        'command=%2Falation&text=hand+made&user_id=U0USER0001&channel_id=C0CHAN0001&team_id=T0EMU00001';
      const timestamp = Math.floor(Date.now() / 1000);
      const res = await postSigned(target, raw, 'application/x-www-form-urlencoded', {
        timestamp,
        signature: computeSignature(signingSecret, timestamp, raw),
      });
      expect(res.status).toBe(200);
      expect(seen[0]?.body).toMatchObject({ text: 'hand made' });
    });
  });

  describe('interactivity', () => {
    it('round-trips a block action whose trigger id the app exchanges for a modal', async () => {
      const res = await blockAction(target, {
        actions: [{ action_id: 'open_compose', block_id: 'menu', value: 'compose' }],
        message: { ts: '1700000000.000100', text: 'Pick one' },
      });
      expect(res).toMatchObject({ status: 200, raw: '' });
      const body = seen[0]?.body as { trigger_id: string; actions: unknown[]; channel: unknown };
      expect(body.actions).toMatchObject([
        { action_id: 'open_compose', block_id: 'menu', value: 'compose', type: 'button' },
      ]);
      expect(body.channel).toEqual({
        id: SLACK_DEFAULTS.channelId,
        name: SLACK_DEFAULTS.channelName,
      });

      const [open] = await emu.waitFor('views.open');
      expect(open?.args.trigger_id).toBe(body.trigger_id);
      expect(open?.response).toMatchObject({ ok: true, view: { callback_id: 'compose' } });
    });

    it('returns response_action errors from a view submission, and a bare 200 when valid', async () => {
      const invalid = await viewSubmission(target, {
        view: {
          callback_id: 'compose',
          state: { values: { sql: { sql_input: 'DROP TABLE users' } } },
        },
      });
      expect(invalid.status).toBe(200);
      expect(invalid.body).toEqual({
        response_action: 'errors',
        errors: { sql: 'Only SELECT statements can run' },
      });

      // A submission of the very view the app opened, as Slack would echo it back.
      await blockAction(target, { actions: [{ action_id: 'open_compose' }] });
      const [open] = await emu.waitFor('views.open');
      const openedId = (open?.response.view as { id: string } | undefined)?.id ?? '';
      const opened = emu.views.get(openedId);
      const valid = await viewSubmission(target, {
        view: { ...opened?.current, state: { values: { sql: { sql_input: 'select 1' } } } },
      });
      expect(valid).toMatchObject({ status: 200, raw: '' });
      const submitted = seen.filter((s) => s.kind === 'view_submission').map((s) => s.body);
      expect(submitted[1]).toMatchObject({
        id: opened?.id,
        callback_id: 'compose',
        hash: opened?.current.hash,
      });
    });

    it('delivers view_closed, shortcuts, message actions and options requests', async () => {
      expect(
        (await viewClosed(target, { view: { callback_id: 'compose' }, is_cleared: true })).status,
      ).toBe(200);
      expect((await shortcut(target, { callback_id: 'search_catalog' })).status).toBe(200);
      const msg = await messageAction(target, {
        callback_id: 'search_catalog',
        message: { ts: '1700000000.000200', text: 'orders table?' },
      });
      expect(msg.status).toBe(200);
      const options = await blockSuggestion(target, {
        action_id: 'table_picker',
        block_id: 'tables',
        value: 'ord',
      });
      expect(options.body).toEqual({
        options: [{ text: { type: 'plain_text', text: 'public.ord' }, value: 'ord' }],
      });
      expect(seen.map((s) => s.kind)).toEqual([
        'view_closed',
        'shortcut',
        'message_action',
        'options',
      ]);
      expect(seen[0]?.body).toMatchObject({ type: 'view_closed', is_cleared: true });
      expect(seen[2]?.body).toMatchObject({
        message_ts: '1700000000.000200',
        channel: { id: SLACK_DEFAULTS.channelId },
      });
    });
  });

  describe('Events API', () => {
    it('answers url_verification with the challenge', async () => {
      const res = await urlVerification(target, 'challenge-123');
      expect(res).toMatchObject({ status: 200, body: { challenge: 'challenge-123' } });
    });

    it('acks an event_callback at once and runs the listener', async () => {
      const res = await event(target, {
        event: {
          type: 'app_mention',
          user: SLACK_DEFAULTS.userId,
          text: '<@U0BOT00001> hi',
          ts: '1700000000.000300',
          channel: SLACK_DEFAULTS.channelId,
        },
      });
      expect(res).toMatchObject({ status: 200, raw: '' });
      await emu.waitUntil(() => seen.find((s) => s.kind === 'app_mention'));
      expect(seen[0]?.body).toMatchObject({ type: 'app_mention', text: '<@U0BOT00001> hi' });
    });
  });
});

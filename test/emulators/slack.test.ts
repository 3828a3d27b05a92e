import { webApi } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../driver.ts';
import { SLACK_DEFAULTS, type SlackEmulator, startSlackEmulator } from './slack.ts';

type WebClient = InstanceType<typeof webApi.WebClient>;

/** The Slack error code a WebClient call failed with. */
async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const data = (error as { data?: { error?: unknown } }).data;
    if (typeof data?.error === 'string') return data.error;
    throw error;
  }
  throw new Error('expected the Slack call to fail');
}

describe('Slack Web API emulator', () => {
  let emu: SlackEmulator;
  let client: WebClient;

  const newClient = (token: string | undefined, options: webApi.WebClientOptions = {}): WebClient =>
    new webApi.WebClient(token, {
      slackApiUrl: emu.apiUrl,
      // WebClient logs Slack's `[ERROR]` response messages; several tests provoke them on purpose.
      logger: captureLogger(),
      retryConfig: { retries: 0 },
      ...options,
    });

  beforeAll(async () => {
    emu = await startSlackEmulator({
      users: [
        {
          id: 'U0BOB00001',
          name: 'bob',
          real_name: 'Bob Builder',
          display_name: 'bobby',
          tz: 'America/New_York',
          tz_label: 'Eastern Standard Time',
          tz_offset: -18000,
        },
      ],
      channels: [
        { id: 'C0PRIV0001', name: 'secret-stuff', is_private: true },
        { id: 'C0OUT00001', name: 'not-joined', is_member: false },
      ],
    });
    client = newClient(emu.botToken);
  });

  afterEach(() => {
    emu.reset();
  });

  afterAll(async () => {
    await emu.close();
  });

  describe('auth', () => {
    it('answers auth.test with the bot identity and records the token', async () => {
      const res = await client.auth.test();
      expect(res).toMatchObject({
        ok: true,
        team_id: SLACK_DEFAULTS.teamId,
        user_id: emu.botUserId,
        bot_id: emu.botId,
        url: `https://${SLACK_DEFAULTS.teamDomain}.slack.com/`,
      });
      expect(emu.callsTo('auth.test')).toHaveLength(1);
      expect(emu.calls[0]).toMatchObject({ method: 'auth.test', token: emu.botToken, status: 200 });
    });

    it('rejects a wrong token with invalid_auth and a missing one with not_authed', async () => {
      expect(await slackError(newClient('xoxb-nope').auth.test())).toBe('invalid_auth');
      expect(
        await slackError(newClient(undefined).chat.postMessage({ channel: 'C1', text: 'x' })),
      ).toBe('not_authed');
    });

    it('accepts the token as a form field, as Slack does for form posts', async () => {
      const res = await fetch(`${emu.apiUrl}auth.test`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: emu.botToken }).toString(),
      });
      expect(await res.json()).toMatchObject({ ok: true, user_id: emu.botUserId });
      expect(emu.calls[0]?.args).not.toHaveProperty('token');
    });

    it('parses JSON bodies, which must carry the token in the header', async () => {
      const post = (headers: Record<string, string>, body: object) =>
        fetch(`${emu.apiUrl}chat.postMessage`, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
          body: JSON.stringify(body),
        }).then((r) => r.json());
      const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }];
      expect(
        await post(
          { authorization: `Bearer ${emu.botToken}` },
          { channel: SLACK_DEFAULTS.channelId, text: 'hi', blocks },
        ),
      ).toMatchObject({ ok: true });
      expect(emu.callsTo('chat.postMessage')[0]?.args).toEqual({
        channel: SLACK_DEFAULTS.channelId,
        text: 'hi',
        blocks,
      });
      expect(
        await post({}, { token: emu.botToken, channel: SLACK_DEFAULTS.channelId, text: 'hi' }),
      ).toMatchObject({
        ok: false,
        error: 'not_authed',
      });
    });
  });

  describe('chat', () => {
    it('posts messages with unique ts and decodes blocks in the recorded args', async () => {
      const blocks = [
        { type: 'section', block_id: 'b1', text: { type: 'mrkdwn', text: 'Result *ready*' } },
      ];
      const first = await client.chat.postMessage({
        channel: SLACK_DEFAULTS.channelId,
        text: 'one',
        blocks,
      });
      const second = await client.chat.postMessage({
        channel: SLACK_DEFAULTS.channelId,
        text: 'two',
        thread_ts: first.ts,
      });
      expect(first).toMatchObject({
        ok: true,
        channel: SLACK_DEFAULTS.channelId,
        message: { type: 'message', text: 'one', user: emu.botUserId, bot_id: emu.botId, blocks },
      });
      expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
      expect(second.ts).not.toBe(first.ts);
      expect(emu.callsTo('chat.postMessage')[0]?.args.blocks).toEqual(blocks);
      expect(emu.messages(SLACK_DEFAULTS.channelId).map((m) => m.text)).toEqual(['one', 'two']);
      expect(emu.thread(SLACK_DEFAULTS.channelId, first.ts as string).map((m) => m.text)).toEqual([
        'two',
      ]);
    });

    it('answers channel_not_found, not_in_channel, no_text and invalid_blocks like Slack', async () => {
      expect(await slackError(client.chat.postMessage({ channel: 'C0MISSING1', text: 'x' }))).toBe(
        'channel_not_found',
      );
      expect(await slackError(client.chat.postMessage({ channel: 'C0OUT00001', text: 'x' }))).toBe(
        'not_in_channel',
      );
      expect(
        await slackError(client.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: '' })),
      ).toBe('no_text');
      const tooLong = [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }];
      const error = await client.chat
        .postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'x', blocks: tooLong })
        .catch(
          (e: { data: { error: string; response_metadata: { messages: string[] } } }) => e.data,
        );
      expect(error).toMatchObject({
        error: 'invalid_blocks',
        response_metadata: { messages: [expect.stringContaining('/blocks/0/text/text')] },
      });
    });

    it('posts to a user ID in the DM that conversations.open returns', async () => {
      const res = await client.chat.postMessage({ channel: 'U0BOB00001', text: 'psst' });
      const opened = await client.conversations.open({ users: 'U0BOB00001' });
      expect(opened).toMatchObject({ ok: true, already_open: true, channel: { id: res.channel } });
      expect(res.channel).toMatch(/^D/);
      expect(emu.messages(res.channel)).toHaveLength(1);
    });

    it('records ephemeral messages and checks the user', async () => {
      const res = await client.chat.postEphemeral({
        channel: SLACK_DEFAULTS.channelId,
        user: SLACK_DEFAULTS.userId,
        text: 'only you',
      });
      expect(res.message_ts).toMatch(/^\d+\.\d+$/);
      expect(emu.ephemerals).toEqual([
        {
          channel: SLACK_DEFAULTS.channelId,
          user: SLACK_DEFAULTS.userId,
          message_ts: res.message_ts,
          text: 'only you',
        },
      ]);
      expect(emu.messages()).toHaveLength(0);
      expect(
        await slackError(
          client.chat.postEphemeral({
            channel: SLACK_DEFAULTS.channelId,
            user: 'U0NOBODY01',
            text: 'x',
          }),
        ),
      ).toBe('user_not_found');
    });

    it('updates a message in place, keeping blocks the update omits, and deletes it', async () => {
      const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'Running…' } }];
      const posted = await client.chat.postMessage({
        channel: SLACK_DEFAULTS.channelId,
        text: 'running',
        blocks,
      });
      const ts = posted.ts as string;
      const updated = await client.chat.update({
        channel: SLACK_DEFAULTS.channelId,
        ts,
        text: 'done',
      });
      expect(updated).toMatchObject({
        ok: true,
        channel: SLACK_DEFAULTS.channelId,
        ts,
        text: 'done',
      });
      const current = emu.message(SLACK_DEFAULTS.channelId, ts);
      expect(current).toMatchObject({ text: 'done', blocks, edited: { user: emu.botUserId } });
      expect(current?.history.map((h) => h.text)).toEqual(['running', 'done']);

      expect(
        await slackError(
          client.chat.update({ channel: SLACK_DEFAULTS.channelId, ts: '1.000001', text: 'x' }),
        ),
      ).toBe('message_not_found');
      expect(await client.chat.delete({ channel: SLACK_DEFAULTS.channelId, ts })).toMatchObject({
        ok: true,
        ts,
      });
      expect(emu.messages()).toHaveLength(0);
      expect(await slackError(client.chat.delete({ channel: SLACK_DEFAULTS.channelId, ts }))).toBe(
        'message_not_found',
      );
      expect(
        await slackError(client.chat.update({ channel: SLACK_DEFAULTS.channelId, ts, text: 'x' })),
      ).toBe('message_not_found');
    });
  });

  describe('views', () => {
    const modal = (title: string, extra: Record<string, unknown> = {}) => ({
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: title },
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: title } }],
      ...extra,
    });

    it('opens a modal, consumes the trigger and keeps the view history across updates', async () => {
      const trigger = emu.triggerId();
      const opened = await client.views.open({
        trigger_id: trigger,
        view: modal('Compose', { callback_id: 'compose', private_metadata: '{"q":1}' }),
      });
      const view = opened.view as {
        id: string;
        hash: string;
        root_view_id: string;
        callback_id: string;
      };
      expect(opened.view).toMatchObject({
        type: 'modal',
        team_id: emu.teamId,
        callback_id: 'compose',
        private_metadata: '{"q":1}',
        root_view_id: view.id,
        previous_view_id: null,
        state: { values: {} },
        app_id: emu.appId,
        bot_id: emu.botId,
      });
      expect(view.id).toMatch(/^V/);
      expect(emu.callsTo('views.open')[0]?.args.view).toMatchObject({ callback_id: 'compose' });

      expect(
        await slackError(client.views.open({ trigger_id: trigger, view: modal('Again') })),
      ).toBe('exchanged_trigger_id');
      expect(
        await slackError(client.views.open({ trigger_id: 'V0NOTATRIG', view: modal('Bad') })),
      ).toBe('invalid_trigger_id');

      const updated = await client.views.update({
        view_id: view.id,
        hash: view.hash,
        view: modal('Running'),
      });
      expect(updated.view).toMatchObject({ id: view.id, title: { text: 'Running' } });
      expect(
        await slackError(
          client.views.update({ view_id: view.id, hash: view.hash, view: modal('Stale') }),
        ),
      ).toBe('hash_conflict');
      expect(
        await slackError(client.views.update({ view_id: 'V0NOPE0001', view: modal('Nope') })),
      ).toBe('not_found');
      expect(
        emu.views.get(view.id)?.history.map((v) => (v.title as { text: string }).text),
      ).toEqual(['Compose', 'Running']);
    });

    it('allows at most three views in a stack', async () => {
      const root = await client.views.open({ trigger_id: emu.triggerId(), view: modal('One') });
      const second = await client.views.push({ trigger_id: emu.triggerId(), view: modal('Two') });
      await client.views.push({ trigger_id: emu.triggerId(), view: modal('Three') });
      expect(second.view).toMatchObject({
        root_view_id: root.view?.id,
        previous_view_id: root.view?.id,
      });
      expect(
        await slackError(client.views.push({ trigger_id: emu.triggerId(), view: modal('Four') })),
      ).toBe('push_limit_reached');
      expect(emu.viewStack()).toHaveLength(3);
      emu.closeViews();
      expect(
        await slackError(client.views.push({ trigger_id: emu.triggerId(), view: modal('Five') })),
      ).toBe('not_found');
    });

    it('validates modals the way Slack does', async () => {
      const res = await client.views
        .open({
          trigger_id: emu.triggerId(),
          view: modal('A title that is far too long for Slack'),
        })
        .catch((e: { data: unknown }) => e.data);
      expect(res).toMatchObject({
        error: 'invalid_arguments',
        response_metadata: { messages: [expect.stringContaining('/view/title/text')] },
      });
      const input = {
        type: 'input',
        label: { type: 'plain_text', text: 'SQL' },
        element: { type: 'plain_text_input', action_id: 'sql' },
      };
      expect(
        await slackError(
          client.views.open({
            trigger_id: emu.triggerId(),
            view: { ...modal('No submit'), blocks: [input] },
          }),
        ),
      ).toBe('invalid_arguments');
    });

    it('publishes a Home tab per user', async () => {
      const home = {
        type: 'home' as const,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Welcome' } }],
      };
      const first = await client.views.publish({ user_id: SLACK_DEFAULTS.userId, view: home });
      const again = await client.views.publish({ user_id: SLACK_DEFAULTS.userId, view: home });
      expect(first.view).toMatchObject({ type: 'home' });
      expect(again.view?.id).toBe(first.view?.id);
      expect(emu.views.get(first.view?.id as string)?.history).toHaveLength(2);
      expect(await slackError(client.views.publish({ user_id: 'U0NOBODY01', view: home }))).toBe(
        'user_not_found',
      );
    });
  });

  describe('files', () => {
    it('runs the three-step external upload and shares the file in a thread', async () => {
      const parent = await client.chat.postMessage({
        channel: SLACK_DEFAULTS.channelId,
        text: 'query results',
      });
      const csv = Buffer.from('name,value\nÄpfel,1\n', 'utf8');
      const ticket = await client.files.getUploadURLExternal({
        filename: 'result.csv',
        length: csv.length,
      });
      expect(ticket).toMatchObject({ ok: true, file_id: expect.stringMatching(/^F/) });
      expect(ticket.upload_url?.startsWith(emu.url)).toBe(true);

      const upload = await fetch(ticket.upload_url as string, { method: 'POST', body: csv });
      expect(upload.status).toBe(200);
      expect(await upload.text()).toBe(`OK - ${csv.length}`);

      const done = await client.files.completeUploadExternal({
        files: [{ id: ticket.file_id as string, title: 'Query result' }],
        channel_id: SLACK_DEFAULTS.channelId,
        thread_ts: parent.ts as string,
        initial_comment: 'Here you go',
      });
      expect(done.files?.[0]).toMatchObject({
        id: ticket.file_id,
        name: 'result.csv',
        title: 'Query result',
        mimetype: 'text/csv',
        size: csv.length,
      });
      expect(emu.callsTo('files.completeUploadExternal')[0]?.args.files).toEqual([
        { id: ticket.file_id, title: 'Query result' },
      ]);
      const record = emu.uploads.get(ticket.file_id as string);
      expect(record?.bytes?.equals(csv)).toBe(true);
      expect(record?.completed).toMatchObject({
        channel_id: SLACK_DEFAULTS.channelId,
        thread_ts: parent.ts,
        initial_comment: 'Here you go',
        title: 'Query result',
      });
      const shared = emu.thread(SLACK_DEFAULTS.channelId, parent.ts as string);
      expect(shared).toMatchObject([
        { text: 'Here you go', files: [{ id: ticket.file_id, name: 'result.csv' }] },
      ]);

      const download = await fetch(done.files?.[0]?.url_private as string, {
        headers: { authorization: `Bearer ${emu.botToken}` },
      });
      expect(Buffer.from(await download.arrayBuffer()).equals(csv)).toBe(true);
    });

    it("accepts WebClient's own multipart upload (filesUploadV2)", async () => {
      const res = await client.filesUploadV2({
        channel_id: SLACK_DEFAULTS.channelId,
        filename: 'tables.csv',
        content: 'a,b\n1,2\n',
        title: 'Tables',
      });
      expect(res.ok).toBe(true);
      const [record] = [...emu.uploads.values()];
      expect(record?.bytes?.toString()).toBe('a,b\n1,2\n');
      expect(record?.completed).toMatchObject({
        channel_id: SLACK_DEFAULTS.channelId,
        title: 'Tables',
      });
    });

    it('refuses to complete a file whose bytes never arrived or do not match the declared length', async () => {
      const neverSent = await client.files.getUploadURLExternal({ filename: 'a.csv', length: 3 });
      expect(
        await slackError(
          client.files.completeUploadExternal({ files: [{ id: neverSent.file_id as string }] }),
        ),
      ).toBe('file_not_found');
      const short = await client.files.getUploadURLExternal({ filename: 'b.csv', length: 10 });
      await fetch(short.upload_url as string, { method: 'POST', body: 'abc' });
      expect(
        await slackError(
          client.files.completeUploadExternal({ files: [{ id: short.file_id as string }] }),
        ),
      ).toBe('invalid_arguments');
      expect(
        await slackError(client.files.getUploadURLExternal({ filename: 'c.csv' } as never)),
      ).toBe('invalid_arguments');
    });
  });

  describe('users and conversations', () => {
    it('returns seeded users with their time zone', async () => {
      const res = await client.users.info({ user: 'U0BOB00001' });
      expect(res.user).toMatchObject({
        id: 'U0BOB00001',
        name: 'bob',
        real_name: 'Bob Builder',
        tz: 'America/New_York',
        tz_label: 'Eastern Standard Time',
        tz_offset: -18000,
        profile: { display_name: 'bobby', real_name: 'Bob Builder' },
      });
      expect(await slackError(client.users.info({ user: 'U0NOBODY01' }))).toBe('user_not_found');
      emu.addUser({ id: 'U0LATE0001', name: 'late', tz: 'Asia/Tokyo', tz_offset: 32400 });
      expect((await client.users.info({ user: 'U0LATE0001' })).user).toMatchObject({
        tz: 'Asia/Tokyo',
      });
    });

    it('describes channels and DMs', async () => {
      expect((await client.conversations.info({ channel: 'C0PRIV0001' })).channel).toMatchObject({
        id: 'C0PRIV0001',
        name: 'secret-stuff',
        is_private: true,
        is_channel: false,
        is_member: true,
      });
      emu.addChannel({ id: 'C0NEW00001', name: 'fresh' });
      expect((await client.conversations.info({ channel: 'C0NEW00001' })).channel?.name).toBe(
        'fresh',
      );
      expect(await slackError(client.conversations.info({ channel: 'C0MISSING1' }))).toBe(
        'channel_not_found',
      );

      const dm = await client.conversations.open({ users: SLACK_DEFAULTS.userId });
      expect(dm).toMatchObject({ ok: true, channel: { id: emu.dmChannel(SLACK_DEFAULTS.userId) } });
      expect(dm).not.toHaveProperty('already_open');
      expect(
        (await client.conversations.info({ channel: dm.channel?.id as string })).channel,
      ).toMatchObject({
        is_im: true,
        user: SLACK_DEFAULTS.userId,
      });
      expect(await slackError(client.conversations.open({ users: 'U0NOBODY01' }))).toBe(
        'user_not_found',
      );
    });
  });

  describe('test controls', () => {
    it('records unknown methods and answers unknown_method', async () => {
      expect(await slackError(client.apiCall('reactions.add', { name: 'eyes' }))).toBe(
        'unknown_method',
      );
      expect(emu.callsTo('reactions.add')).toMatchObject([
        { args: { name: 'eyes' }, response: { error: 'unknown_method' } },
      ]);
    });

    it('answers 429 with Retry-After, which WebClient waits out and retries', async () => {
      emu.fault({ path: '/api/chat.postMessage', status: 429, retryAfter: 1, times: 1 });
      const retrying = newClient(emu.botToken, {
        retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 10 },
      });
      const started = Date.now();
      const res = await retrying.chat.postMessage({
        channel: SLACK_DEFAULTS.channelId,
        text: 'after the limit',
      });
      expect(res.ok).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(emu.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
      expect(emu.messages()).toHaveLength(1);

      emu.fault({ path: '/api/chat.postMessage', status: 429, retryAfter: 7 });
      const impatient = newClient(emu.botToken, { rejectRateLimitedCalls: true });
      await expect(
        impatient.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'x' }),
      ).rejects.toMatchObject({
        code: webApi.ErrorCode.RateLimitedError,
        retryAfter: 7,
      });
    });

    it('injects Slack errors for the next calls of a method', async () => {
      emu.fault({ path: '/api/chat.postMessage', error: 'internal_error', times: 1 });
      expect(
        await slackError(client.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'x' })),
      ).toBe('internal_error');
      expect(
        (await client.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'x' })).ok,
      ).toBe(true);
    });

    it('checks a rate limit before the token and an error fault after it; a new fault replaces the last', async () => {
      const stranger = newClient('xoxb-not-ours');
      const limit = emu.fault({ path: '/api/chat.postMessage', status: 429, retryAfter: 3 });
      await expect(
        newClient('xoxb-not-ours', { rejectRateLimitedCalls: true }).chat.postMessage({
          channel: SLACK_DEFAULTS.channelId,
          text: 'x',
        }),
      ).rejects.toMatchObject({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 3 });
      expect(limit).toMatchObject({ hits: 1, remaining: 0 });

      emu.fault({ path: '/api/chat.postMessage', error: 'internal_error' });
      const replaced = emu.fault({ path: '/api/chat.postMessage', error: 'fatal_error', times: 2 });
      const post = (c: WebClient) =>
        slackError(c.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'x' }));
      expect(await post(stranger)).toBe('invalid_auth');
      expect(replaced).toMatchObject({ hits: 0, remaining: 2 });
      expect(await post(client)).toBe('fatal_error');
      replaced.remove();
      expect(
        (await client.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'x' })).ok,
      ).toBe(true);
      expect(() => emu.fault({ path: '/api/', error: 'x' })).toThrow(/\/api\/<method>/);
    });

    it('records response_url posts and stops accepting them after five', async () => {
      const url = emu.responseUrl();
      const post = (body: unknown) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      for (let i = 1; i <= 5; i += 1) {
        expect((await post({ text: `update ${i}`, replace_original: true })).status).toBe(200);
      }
      const sixth = await post({ text: 'one too many' });
      expect(sixth.status).toBe(404);
      expect(await sixth.text()).toBe('used_url');
      expect(emu.responsesTo(url).map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 404]);
      expect(emu.responsesTo(url)[0]).toMatchObject({
        body: { text: 'update 1', replace_original: true },
      });

      const fresh = emu.responseUrl();
      const empty = await fetch(fresh, {
        method: 'POST',
        body: JSON.stringify({ response_type: 'ephemeral' }),
      });
      expect(empty.status).toBe(400);
      const unknown = await fetch(`${emu.url}/response/never-minted`, {
        method: 'POST',
        body: '{"text":"x"}',
      });
      expect(unknown.status).toBe(404);
    });

    it('waitFor resolves once the app has made the calls, and times out with what it saw', async () => {
      setTimeout(() => {
        void client.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'later 1' });
        void client.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'later 2' });
      }, 50);
      const calls = await emu.waitFor('chat.postMessage', { count: 2, timeoutMs: 2000 });
      expect(calls.map((c) => c.args.text).sort()).toEqual(['later 1', 'later 2']);

      const [byPredicate] = await emu.waitFor((c) => c.args.text === 'later 2');
      expect(byPredicate?.method).toBe('chat.postMessage');

      setTimeout(() => {
        void fetch(emu.responseUrl(), {
          method: 'POST',
          body: JSON.stringify({ text: 'async respond' }),
        });
      }, 20);
      const response = await emu.waitUntil(() => emu.responses.find((r) => r.status === 200));
      expect(response.body).toEqual({ text: 'async respond' });

      await expect(emu.waitFor('views.open', { timeoutMs: 100 })).rejects.toThrow(
        /waitFor\(views\.open, count 1\).*chat\.postMessage/,
      );
    });

    it('reset forgets traffic but keeps seeded users and channels', async () => {
      await client.chat.postMessage({ channel: SLACK_DEFAULTS.channelId, text: 'x' });
      emu.reset();
      expect(emu.calls).toHaveLength(0);
      expect(emu.messages()).toHaveLength(0);
      expect((await client.users.info({ user: 'U0BOB00001' })).ok).toBe(true);
    });
  });
});

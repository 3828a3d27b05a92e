import { LogLevel, SocketModeReceiver } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackEmulator, startSlackEmulator } from '../slack.ts';

// The SDK the app connects with (@slack/socket-mode, reached through Bolt's receiver, which
// builds it), so the emulator is checked against the real client, not against itself.
type SocketClient = SocketModeReceiver['client'];

let slack: SlackEmulator;
let clients: SocketClient[];
beforeEach(async () => {
  slack = await startSlackEmulator();
  clients = [];
});
afterEach(async () => {
  await Promise.all(clients.map((c) => c.disconnect().catch(() => {})));
  await slack.close();
});

function client(): SocketClient {
  const receiver = new SocketModeReceiver({
    appToken: slack.appToken,
    logLevel: LogLevel.ERROR,
    installerOptions: { clientOptions: { slackApiUrl: slack.apiUrl } },
  });
  clients.push(receiver.client);
  return receiver.client;
}

const mention = { type: 'event_callback', event: { type: 'app_mention', text: 'hi' } };

async function open(headers: Record<string, string>, body = ''): Promise<Record<string, unknown>> {
  const res = await fetch(`${slack.apiUrl}apps.connections.open`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
  return (await res.json()) as Record<string, unknown>;
}

describe('apps.connections.open', () => {
  it('takes only the app-level token, from the Authorization header', async () => {
    expect(await open({})).toEqual({ ok: false, error: 'not_authed' });
    expect(await open({}, `token=${slack.appToken}`)).toEqual({ ok: false, error: 'not_authed' });
    expect(await open({ authorization: `Bearer ${slack.botToken}` })).toEqual({
      ok: false,
      error: 'not_allowed_token_type',
    });
    expect(await open({ authorization: 'Bearer xapp-1-A0OTHER-1-nope' })).toEqual({
      ok: false,
      error: 'invalid_auth',
    });
  });

  it('mints a fresh one-time WebSocket URL on every call', async () => {
    const auth = { authorization: `Bearer ${slack.appToken}` };
    const [a, b] = [await open(auth), await open(auth)];
    expect(a).toMatchObject({
      ok: true,
      url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/),
    });
    expect(b.url).not.toEqual(a.url);
    const url = String(a.url);
    const first = new WebSocket(url);
    const hello = await new Promise<unknown>((resolve, reject) => {
      first.onmessage = (m) => resolve(JSON.parse(String(m.data)));
      first.onerror = () => reject(new Error('first connection failed'));
    });
    expect(hello).toEqual({
      type: 'hello',
      num_connections: 1,
      debug_info: expect.objectContaining({ host: expect.any(String) }),
      connection_info: { app_id: slack.appId },
    });
    // The same ticket again is refused.
    const again = new WebSocket(url);
    await new Promise<void>((resolve) => {
      again.onerror = () => resolve();
      again.onopen = () => resolve();
    });
    expect(again.readyState).toBe(WebSocket.CLOSED);
    first.close();
    expect(slack.socket.connections).toHaveLength(1);
  });

  it('answers a rate limit or an injected error like any method', async () => {
    slack.fault({ path: '/api/apps.connections.open', error: 'forbidden_team' });
    expect(await open({ authorization: `Bearer ${slack.appToken}` })).toEqual({
      ok: false,
      error: 'forbidden_team',
    });
  });
});

describe('the Socket Mode link', () => {
  it('says hello, delivers envelopes and records each ack with its payload', async () => {
    const sdk = client();
    sdk.on('slash_commands', async ({ ack, body }) => {
      await ack({ text: `got ${String(body.command)}` });
    });
    sdk.on('app_mention', async ({ ack }) => {
      await ack();
    });
    await sdk.start();
    const link = await slack.socket.waitForConnection();
    expect(link.openedAt).toEqual(expect.any(Number));

    const command = await slack.socket.send('slash_commands', {
      command: '/alation',
      text: 'help',
    });
    expect(command).toMatchObject({
      type: 'slash_commands',
      accepts_response_payload: true,
      connection: link.id,
      ack: { payload: { text: 'got /alation' }, connection: link.id },
    });
    const event = await slack.socket.send('events_api', mention, {
      retryAttempt: 1,
      retryReason: 'timeout',
    });
    expect(event).toMatchObject({
      retry_attempt: 1,
      retry_reason: 'timeout',
      accepts_response_payload: false,
    });
    expect(event.ack?.payload).toEqual({});
    expect(link.strays).toEqual([]);
  });

  it('holds envelopes sent before any link until one opens', async () => {
    const delivered = slack.socket.send('interactive', { type: 'block_actions' });
    expect(slack.socket.envelopes[0]?.sentAt).toBeUndefined();
    const sdk = client();
    sdk.on('interactive', async ({ ack }) => ack());
    await sdk.start();
    expect((await delivered).ack).toBeDefined();
  });

  it('rejects a send that is never acked', async () => {
    const sdk = client();
    await sdk.start();
    await expect(slack.socket.send('events_api', mention, { timeoutMs: 200 })).rejects.toThrow(
      /was not acked/,
    );
  });

  it('recycles a link with disconnect: the client closes it and opens a new one', async () => {
    const sdk = client();
    sdk.on('app_mention', async ({ ack }) => ack());
    await sdk.start();
    const first = await slack.socket.waitForConnection(1);
    slack.socket.disconnect('refresh_requested');
    const second = await slack.socket.waitForConnection(2, 30_000);
    await slack.waitUntil(() => first.closedAt !== undefined);
    expect(first).toMatchObject({
      disconnectReason: 'refresh_requested',
      closedBy: 'client',
      closeCode: 1000,
    });
    expect(slack.callsTo('apps.connections.open')).toHaveLength(2);
    expect(slack.socket.open().map((c) => c.id)).toEqual([second.id]);
    const after = await slack.socket.send('events_api', mention);
    expect(after.connection).toBe(second.id);
  });

  it('answers the client’s pings and records the pongs to its own', async () => {
    const sdk = client();
    await sdk.start();
    const link = await slack.socket.waitForConnection();
    slack.socket.ping();
    // The client pings every clientPingTimeout / 3 (≈1.7 s) and must see each answered.
    await slack.waitUntil(() => link.pongs >= 1 && link.clientPings >= 1, { timeoutMs: 10_000 });
    expect(link.serverPings).toBe(1);
    expect(link.closedAt).toBeUndefined();
  });

  it('drops the TCP connection of a client that ignores disconnect', async () => {
    const res = await open({ authorization: `Bearer ${slack.appToken}` });
    const ws = new WebSocket(String(res.url));
    const messages: unknown[] = [];
    ws.onmessage = (m) => messages.push(JSON.parse(String(m.data)));
    const link = await slack.socket.waitForConnection();
    await slack.waitUntil(() => messages.length >= 1);
    slack.socket.disconnect('warning', 100);
    await slack.waitUntil(() => link.closedAt !== undefined);
    expect(messages.at(-1)).toMatchObject({ type: 'disconnect', reason: 'warning' });
    expect(link).toMatchObject({ closedBy: 'network', closeCode: 1006 });
  });

  it('carries messages of every frame length both ways', async () => {
    const sdk = client();
    const sizes = [10, 70_000, 200_000];
    sdk.on('interactive', async ({ ack, body }) => {
      await ack({ echo: 'x'.repeat(String(body.blob).length) });
    });
    await sdk.start();
    for (const size of sizes) {
      const envelope = await slack.socket.send('interactive', { blob: 'y'.repeat(size) });
      expect(String(envelope.ack?.payload?.echo)).toHaveLength(size);
    }
  });
});

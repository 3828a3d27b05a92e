import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSlashCommand } from '../driver.ts';
import { type SlackEmulator, type SocketEnvelope, startSlackEmulator } from '../emulators/slack.ts';
import { freePort, spawnBot, waitForStatus } from '../support/process.ts';

let slack: SlackEmulator;
beforeAll(async () => {
  slack = await startSlackEmulator();
});
afterAll(() => slack.close());

// The bot opens its Socket Mode link before storage starts (run.ts), so a fresh embedded
// database is created while the link is up. The Socket Mode client pings Slack every ~1.7 s and
// drops the link when a pong is over 5 s old by its own clock, so an event loop blocked by
// storage shows up as "A pong wasn't received…", a closed link and a reconnect.
describe('Socket Mode start-up on a fresh embedded database', () => {
  it('keeps its first link while the database is created, and acks every envelope in time', async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const bot = spawnBot({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: 'socket-startup-secret',
      SLACK_APP_TOKEN: slack.appToken,
      SLACK_API_URL: slack.apiUrl,
      ALATION_BASE_URL: 'http://127.0.0.1:9',
      DATA_DIR: await mkdtemp(path.join(tmpdir(), 'bot-socket-fresh-')),
      PORT: String(port),
      LOG_LEVEL: 'warn',
    });
    // Slack pings its links too; the client then also watches for those.
    const stopPinging = slack.socket.startPinging(1_000);
    try {
      let readyAt: number | undefined;
      const sent: Promise<SocketEnvelope>[] = [];
      const sending = (async () => {
        // Slack's traffic does not wait for the bot: a command every 100 ms from launch until
        // a second after ready (held by the emulator until the first link opens).
        while (readyAt === undefined || Date.now() - readyAt < 1_000) {
          if (bot.child.exitCode !== null) break;
          sent.push(
            slack.socket.send(
              'slash_commands',
              { ...buildSlashCommand({ text: 'help' }) },
              { timeoutMs: 60_000 },
            ),
          );
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      await slack.socket.waitForConnection(1, 120_000).catch((error: unknown) => {
        throw new Error(`${String(error)}\nstdout:\n${bot.stdout()}\nstderr:\n${bot.stderr()}`);
      });
      await waitForStatus(`${origin}/readyz`, 200, bot, 120_000);
      readyAt = Date.now();
      const readyz = (await (await fetch(`${origin}/readyz`)).json()) as {
        eventLoop?: { sinceListening?: { max?: number } };
      };
      await sending;
      const envelopes = await Promise.all(sent);

      const [link, ...more] = slack.socket.connections;
      // One link, still open: nothing dropped it, so nothing reconnected.
      expect(more).toEqual([]);
      expect(link).toMatchObject({ closedAt: undefined, disconnectReason: undefined, strays: [] });
      expect(slack.callsTo('apps.connections.open')).toHaveLength(1);
      // The client kept pinging and the link answered Slack's pings the whole time.
      expect(link?.clientPings).toBeGreaterThan(0);
      expect(link?.pongs).toBeGreaterThan(0);
      expect(bot.stdout()).not.toMatch(/pong wasn.t received|ping wasn.t received/i);
      // Every envelope acked on that link, within Slack's 3 seconds, with help in its payload.
      expect(envelopes.filter((e) => e.connection !== link?.id)).toEqual([]);
      expect(envelopes.filter((e) => (e.ack?.ms ?? Number.POSITIVE_INFINITY) >= 3_000)).toEqual([]);
      expect(
        envelopes.filter(
          (e) => (e.ack?.payload as { response_type?: string })?.response_type !== 'ephemeral',
        ),
      ).toEqual([]);
      // Some arrived while storage was still starting, and some after, or this proves nothing.
      expect(
        envelopes.filter((e) => (e.sentAt ?? readyAt ?? 0) < (readyAt ?? 0) - 500).length,
      ).toBeGreaterThan(0);
      expect(envelopes.filter((e) => (e.sentAt ?? 0) > (readyAt ?? 0)).length).toBeGreaterThan(0);
      expect(readyz.eventLoop?.sinceListening?.max).toEqual(expect.any(Number));
      console.info(
        `socket start-up: ${envelopes.length} envelopes, max ack ${Math.max(...envelopes.map((e) => e.ack?.ms ?? 0))} ms, ` +
          `link open ${(readyAt ?? 0) - (link?.openedAt ?? 0)} ms before ready, event loop max since listening ` +
          `${readyz.eventLoop?.sinceListening?.max} ms, client pings ${link?.clientPings}`,
      );
    } finally {
      stopPinging();
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
  });
});

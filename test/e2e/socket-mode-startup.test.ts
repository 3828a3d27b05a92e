import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildSlashCommand } from '../driver.ts';
import {
  type SlackEmulator,
  type SocketConnection,
  type SocketEnvelope,
  startSlackEmulator,
} from '../emulators/slack.ts';
import { type BotProcess, freePort, spawnBot, waitForStatus } from '../support/process.ts';

let slack: SlackEmulator;
beforeEach(async () => {
  slack = await startSlackEmulator();
});
afterEach(() => slack.close());

// The bot opens its Socket Mode link before storage starts (run.ts), so a fresh embedded
// database is created while the link is up. The Socket Mode client pings Slack every ~1.7 s and
// drops the link when a pong is over 5 s old by its own clock, so an event loop blocked by
// storage shows up as "A pong wasn't received…", a closed link and a reconnect; acks that wait
// for the event loop show up as acks later than Slack's 3 seconds.

interface StartUp {
  bot: BotProcess;
  origin: string;
  readyAt: number;
  envelopes: SocketEnvelope[];
  eventLoopMax: number | undefined;
}

/**
 * Launches `node src/main.ts` in Socket Mode on a fresh DATA_DIR while Slack sends a command
 * every 100 ms, from launch until a second after /readyz says ready; `whileStarting` runs once
 * the first link is up (storage is then still being created), and can hold the traffic back
 * (`quiet`) until everything sent so far is acked.
 */
async function startUp(
  whileStarting?: (
    origin: string,
    quiet: (during: () => Promise<void>) => Promise<void>,
  ) => Promise<void>,
): Promise<StartUp> {
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
    let paused = false;
    const sent: Promise<SocketEnvelope>[] = [];
    const sending = (async () => {
      // Held by the emulator until a link is open, as Slack holds them.
      while (readyAt === undefined || Date.now() - readyAt < 1_000) {
        if (bot.child.exitCode !== null) break;
        if (paused) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        const command = { ...buildSlashCommand({ text: 'help' }) };
        sent.push(slack.socket.send('slash_commands', command, { timeoutMs: 60_000 }));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await slack.socket.waitForConnection(1, 120_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\nstdout:\n${bot.stdout()}\nstderr:\n${bot.stderr()}`);
    });
    await whileStarting?.(origin, async (during) => {
      paused = true;
      await Promise.all(sent);
      await during();
      paused = false;
    });
    await waitForStatus(`${origin}/readyz`, 200, bot, 120_000);
    readyAt = Date.now();
    const readyz = (await (await fetch(`${origin}/readyz`)).json()) as {
      eventLoop?: { sinceListening?: { max?: number } };
    };
    await sending;
    return {
      bot,
      origin,
      readyAt,
      envelopes: await Promise.all(sent),
      eventLoopMax: readyz.eventLoop?.sinceListening?.max,
    };
  } catch (error) {
    bot.child.kill('SIGTERM');
    throw error;
  } finally {
    stopPinging();
  }
}

/** A link that was never dropped: open, or closed only by the client after Slack asked. */
function expectKept(link: SocketConnection | undefined): void {
  expect(link?.strays).toEqual([]);
  // The client kept pinging and answered Slack's pings.
  expect(link?.clientPings).toBeGreaterThan(0);
  expect(link?.pongs).toBeGreaterThan(0);
  if (link?.closedAt === undefined) return;
  expect(link).toMatchObject({ closedBy: 'client', closeCode: 1000 });
  expect(link.disconnectReason).toBeDefined();
}

function expectAllAckedInTime(run: StartUp, links: SocketConnection[]): void {
  const { envelopes, readyAt } = run;
  const ids = links.map((l) => l.id);
  expect(envelopes.filter((e) => !ids.includes(e.ack?.connection ?? -1))).toEqual([]);
  // Slack shows the person an error after 3 seconds without an ack.
  expect(envelopes.filter((e) => (e.ack?.ms ?? Number.POSITIVE_INFINITY) >= 3_000)).toEqual([]);
  const help = (e: SocketEnvelope) => (e.ack?.payload as { response_type?: string })?.response_type;
  expect(envelopes.filter((e) => help(e) !== 'ephemeral')).toEqual([]);
  // Some went out while storage was still starting, and some after, or this proves nothing.
  const before = envelopes.filter((e) => (e.sentAt ?? readyAt) < readyAt - 500);
  expect(before.length).toBeGreaterThan(0);
  expect(envelopes.filter((e) => (e.sentAt ?? 0) > readyAt).length).toBeGreaterThan(0);
  console.info(
    `socket start-up: ${envelopes.length} envelopes (${before.length} before ready), max ack ` +
      `${Math.max(...envelopes.map((e) => e.ack?.ms ?? 0))} ms, event loop max since listening ` +
      `${run.eventLoopMax} ms, links ${JSON.stringify(links.map((l) => ({ id: l.id, pings: l.clientPings, pongs: l.pongs, closed: l.closedBy })))}`,
  );
}

describe('Socket Mode start-up on a fresh embedded database', () => {
  let run: StartUp | undefined;
  afterEach(async () => {
    run?.bot.child.kill('SIGTERM');
    await run?.bot.exited;
    run = undefined;
  });

  it('keeps its first link while the database is created, and acks every envelope in time', async () => {
    run = await startUp();
    const [link, ...more] = slack.socket.connections;
    // One link, still open: nothing dropped it, so nothing reconnected.
    expect(more).toEqual([]);
    expect(link?.closedAt).toBeUndefined();
    expectKept(link);
    expect(slack.callsTo('apps.connections.open')).toHaveLength(1);
    expect(run.bot.stdout()).not.toMatch(/pong wasn.t received|ping wasn.t received/i);
    expectAllAckedInTime(run, [link as SocketConnection]);
    expect(run.eventLoopMax).toEqual(expect.any(Number));
  });

  it('keeps a link it opens while the database is being created (Slack recycled the first)', async (ctx) => {
    let openedWhileStarting = false;
    run = await startUp(async (origin, quiet) => {
      // Recycled as soon as it is up: the client waits ~5 s before it reconnects, and the new
      // link must open while storage is still being created.
      const readyz = await fetch(`${origin}/readyz`);
      expect(readyz.status, 'storage was ready too soon for this test').toBe(503);
      // With nothing in flight: @slack/socket-mode closes the link as soon as it reads
      // `disconnect`, so an envelope whose ack was still being made is lost (see notes).
      await quiet(async () => {
        slack.socket.disconnect('refresh_requested');
        await slack.socket.waitForConnection(2, 60_000);
      });
      openedWhileStarting = (await fetch(`${origin}/readyz`)).status === 503;
    });
    // A machine that creates the database in under ~5 s leaves nothing for this case to prove
    // (the first case still covers the link held through creation).
    if (!openedWhileStarting) ctx.skip('storage was ready before the client reconnected');
    const [first, second, ...more] = slack.socket.connections;
    expect(more).toEqual([]);
    // Closed by the client, cleanly, only because Slack asked.
    expect(first).toMatchObject({
      disconnectReason: 'refresh_requested',
      closedBy: 'client',
      closeCode: 1000,
      strays: [],
    });
    expect(second?.closedAt).toBeUndefined();
    expectKept(second);
    expect(slack.callsTo('apps.connections.open')).toHaveLength(2);
    expect(run.bot.stdout()).not.toMatch(/pong wasn.t received|ping wasn.t received/i);
    expectAllAckedInTime(run, [first, second] as SocketConnection[]);
  });
});

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackEmulator, startSlackEmulator } from '../emulators/slack.ts';
import { freePort, probeAcks, spawnBot, waitForStatus } from '../support/process.ts';

let slack: SlackEmulator;
beforeAll(async () => {
  slack = await startSlackEmulator();
});
afterAll(() => slack.close());

describe('start-up on a fresh embedded database', () => {
  it('answers every request that arrives while the database is created, and reports the event loop', async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const signingSecret = 'startup-acks-secret';
    const bot = spawnBot({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: slack.apiUrl,
      ALATION_BASE_URL: 'http://127.0.0.1:9',
      DATA_DIR: await mkdtemp(path.join(tmpdir(), 'bot-fresh-')),
      PORT: String(port),
      LOG_LEVEL: 'warn',
    });
    try {
      let readyAt: number | undefined;
      // Samples are timed from the probe's own start, which comes after it loads the driver (a
      // while, on a busy machine); its first stop() check marks that start on this clock.
      let probeStarted: number | undefined;
      const probing = probeAcks({
        origin,
        signingSecret,
        everyMs: 100,
        stop: () => {
          probeStarted ??= performance.now();
          return readyAt !== undefined && performance.now() - readyAt > 1_000;
        },
      });
      const launched = performance.now();
      await waitForStatus(`${origin}/readyz`, 200, bot, 120_000);
      readyAt = performance.now();
      const readyz = (await (await fetch(`${origin}/readyz`)).json()) as Record<string, unknown>;
      const samples = await probing;

      // Refused: nothing listened yet, so no load balancer would have sent them.
      const reached = samples.filter((s) => s.status !== 'refused');
      expect(reached.filter((s) => s.status !== 200)).toEqual([]);
      // Answered in time: Slack gives up on an ack after 3 seconds.
      expect(reached.filter((s) => (s.ackMs ?? Number.POSITIVE_INFINITY) >= 3_000)).toEqual([]);
      // Some arrived while storage was still starting, or the test proves nothing.
      const ready = readyAt - (probeStarted ?? launched);
      const beforeReady = reached.filter((s) => s.sentAtMs < ready - 500);
      expect(beforeReady.length).toBeGreaterThan(0);
      // …and some after, so the whole start-up is covered, not just its beginning.
      expect(reached.filter((s) => s.sentAtMs > ready).length).toBeGreaterThan(0);
      expect(readyz).toMatchObject({
        status: 'ready',
        eventLoop: {
          sinceStart: { p50: expect.any(Number), p99: expect.any(Number), max: expect.any(Number) },
          sinceListening: { max: expect.any(Number) },
          recent: { max: expect.any(Number), windowSeconds: 60 },
        },
      });
    } finally {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
  });
});
